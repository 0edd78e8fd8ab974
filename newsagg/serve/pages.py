"""The HTML pages: search, stories, one story, one article, sources, and the login form.

Pages work without JavaScript (forms with GET, so the URL holds the whole query and can be bookmarked), and
no page loads anything from another origin.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsagg.secrets import redact_value
from newsagg.serve import charts, views
from newsagg.serve.countrymap import country_map
from newsagg.serve.params import ArticleId, StoryId, search_params, stories_params
from newsagg.serve.rendering import render
from newsagg.serve.security import COOKIE, authorized, safe_next, session_value

router = APIRouter(include_in_schema=False)
MAX_LOGIN_BODY = 4096


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    env = request.app.state.templates
    config = request.app.state.config
    body = render(env, template, locked=bool(config.token), backend=config.backend, **context)
    return HTMLResponse(body, status_code=status)


@router.get("/", response_class=HTMLResponse)
@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request, params: Annotated[views.SearchParams, Depends(search_params)]) -> HTMLResponse:
    result = await request.app.state.gateway.call(lambda store: views.search_results(store, params))
    return page(request, "search.html", nav="search", params=params, result=redact_value(result))


@router.get("/stories", response_class=HTMLResponse)
async def stories_page(
    request: Request, params: Annotated[views.StoriesParams, Depends(stories_params)]
) -> HTMLResponse:
    result = await request.app.state.gateway.call(lambda store: views.story_list(store, params))
    return page(request, "stories.html", nav="stories", params=params, result=redact_value(result))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: StoryId) -> HTMLResponse:
    document = await request.app.state.gateway.call(lambda store: views.story_view(store, story_id))
    if document is None:
        raise HTTPException(404, f"no story {story_id!r}")
    chart = charts.timeline(document["articles"])
    coverage_map = country_map(document, {row["country"]: row["colour"] for row in chart.rows})
    return page(
        request,
        "story.html",
        nav="stories",
        doc=document,
        story=document["story"],
        timeline=chart,
        countrymap=coverage_map,
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
async def article_page(request: Request, article_id: ArticleId) -> HTMLResponse:
    found = await request.app.state.gateway.call(lambda store: views.article_view(store, article_id))
    if found is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return page(request, "article.html", nav="search", view=redact_value(found), article=redact_value(found["article"]))


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(request: Request) -> HTMLResponse:
    settings = request.app.state.config.settings
    found = await request.app.state.gateway.runs(lambda log: views.sources_view(log, settings))
    return page(request, "sources.html", nav="sources", view=redact_value(found or views.EMPTY_SOURCES))


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "/") -> Response:
    config = request.app.state.config
    if not config.token:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login.html", nav=None, next=safe_next(next), failed=False)


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the token from the form and set the session cookie; redirects only to a path on this server."""
    config = request.app.state.config
    body = (await request.body())[:MAX_LOGIN_BODY].decode("utf-8", "replace")
    form = {k: v[0] for k, v in parse_qs(body).items()}
    target = safe_next(form.get("next"))
    if not config.token:
        return RedirectResponse(target, status_code=303)
    if not authorized(config.token, f"Bearer {form.get('token', '')}", None):
        return page(request, "login.html", status=401, nav=None, next=target, failed=True)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        COOKIE,
        session_value(config.token),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.get("/logout")
async def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
