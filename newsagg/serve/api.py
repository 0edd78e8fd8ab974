"""The JSON API: the CLI's verbs over HTTP, with the CLI's ``--format json`` field names.

``/api/search`` ↔ ``newsagg search``, ``/api/stories`` ↔ ``stories list``, ``/api/stories/{id}`` ↔ ``stories
show`` (the story document of the exports, with ``angles``), ``/api/articles/{id}``, ``/api/sources/health``
↔ ``sources health``, ``/api/runs`` ↔ ``runs list``. Every answer is GET and read-only; known secrets and URL
credentials are masked as in the exports.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from newsagg.secrets import redact_value
from newsagg.serve import views
from newsagg.serve.gateway import Gateway
from newsagg.serve.params import ArticleId, StoryId, search_params, stories_params

T = TypeVar("T")
router = APIRouter(prefix="/api", tags=["api"])


def _gateway(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def _masked(value: T) -> T:
    """``value`` with known secrets and URL credentials masked (same shape)."""
    masked: T = redact_value(value)
    return masked


@router.get("/search", summary="Full-text search of articles (as 'newsagg search --format json').")
async def search(request: Request, params: Annotated[views.SearchParams, Depends(search_params)]) -> dict[str, Any]:
    result = await _gateway(request).call(lambda store: views.search_results(store, params))
    return _masked(result)


@router.get("/stories", summary="Stories, largest first (as 'newsagg stories list --format json').")
async def stories(request: Request, params: Annotated[views.StoriesParams, Depends(stories_params)]) -> dict[str, Any]:
    result = await _gateway(request).call(lambda store: views.story_list(store, params))
    return _masked(result)


@router.get("/stories/{story_id}", summary="One story document (as 'newsagg stories show ID --format json').")
async def story(request: Request, story_id: StoryId) -> dict[str, Any]:
    document = await _gateway(request).call(lambda store: views.story_view(store, story_id))
    if document is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return document  # masked by story_view


@router.get("/articles/{article_id}", summary="One article with date provenance, original, copies and story.")
async def article(request: Request, article_id: ArticleId) -> dict[str, Any]:
    found = await _gateway(request).call(lambda store: views.article_view(store, article_id))
    if found is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return _masked(found)


@router.get("/sources/health", summary="Source health (as 'newsagg sources health --format json').")
async def sources_health(request: Request) -> dict[str, Any]:
    settings = request.app.state.config.settings
    found = await _gateway(request).runs(lambda log: views.health_view(log, settings))
    return _masked(found or views.EMPTY_SOURCES["health"])


@router.get("/runs", summary="Recent crawl runs, newest first (as 'newsagg runs list --format json').")
async def runs(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> list[dict[str, Any]]:
    from newsagg.state.runs import summarize

    found = await _gateway(request).runs(lambda log: summarize(log.list(limit=limit)))
    return _masked(found or [])
