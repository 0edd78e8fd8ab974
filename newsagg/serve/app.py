"""The ASGI application of ``newsagg serve``: pages and JSON API over one read-only store.

``create_app(config)`` builds it (FastAPI: the OpenAPI schema at ``/api/openapi.json`` comes with it; the
interactive docs are off because they load scripts from a CDN). Every response carries the strict headers
of :mod:`newsagg.serve.security`; a configured token is checked before any route runs; a store that is down
or slow answers 503 with its reason, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsagg import __version__
from newsagg.secrets import redact
from newsagg.serve.config import ServeConfig
from newsagg.serve.gateway import Gateway, StoreUnavailable
from newsagg.serve.rendering import build_environment, render
from newsagg.serve.security import COOKIE, SECURITY_HEADERS, authorized
from newsagg.serve.views import BadRequest

log = logging.getLogger("newsagg.serve")
STATIC = Path(__file__).resolve().parent / "static"
#: Reachable without the token: the login form and the stylesheet it uses.
OPEN_PATHS = ("/login", "/static/")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, title: str, message: str) -> Response:
    """The same error as JSON for the API and as a page for people; ``message`` is redacted."""
    message = redact(message)
    if is_api(request):
        return JSONResponse({"error": title, "detail": message}, status_code=status)
    env = request.app.state.templates
    body = render(env, "error.html", title=title, message=message, status=status, nav=None)
    return HTMLResponse(body, status_code=status)


def create_app(config: ServeConfig, *, gateway: Gateway | None = None) -> FastAPI:
    from newsagg.serve import api, pages

    app = FastAPI(
        title="newsagg",
        version=__version__,
        description="Read-only API over a newsagg store: search, stories, articles, sources. "
        "Field names are those of the CLI's --format json and of the exports.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.config = config
    app.state.gateway = gateway or Gateway(config)
    app.state.templates = build_environment()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=308)

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        path = request.url.path
        if not path.startswith(OPEN_PATHS) and not authorized(
            config.token, request.headers.get("authorization"), request.cookies.get(COOKIE)
        ):
            if is_api(request):
                response: Response = JSONResponse(
                    {"error": "unauthorized", "detail": "send 'Authorization: Bearer <NEWSAGG_SERVE_TOKEN>'"},
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer realm="newsagg"'},
                )
            else:
                target = path + (f"?{request.url.query}" if request.url.query else "")
                from urllib.parse import urlencode

                response = RedirectResponse("/login?" + urlencode({"next": target}), status_code=303)
        else:
            response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> Response:
        response = error_response(request, 503, "store unavailable", str(exc))
        response.headers["Retry-After"] = "30"
        return response

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> Response:
        return error_response(request, 400, "bad request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in exc.errors()
        )
        return error_response(request, 422 if is_api(request) else 400, "bad request", reasons)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = {404: "not found", 405: "method not allowed"}.get(exc.status_code, "error")
        return error_response(request, exc.status_code, title, str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.error("%s %s failed: %s", request.method, request.url.path, redact(repr(exc)))
        return error_response(request, 500, "internal error", "the server failed on this request; see its log")

    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.gateway.close()
