"""``newsagg serve``: a local, read-only web app and JSON API over the store (see docs/serve.md).

Modules: ``config`` (address, token rule, limits), ``gateway`` (read-only, time-limited store access),
``views`` (what each page/endpoint shows, as JSON-ready dicts), ``charts`` (server-side SVG geometry),
``security`` (token, cookie, redirects, headers), ``rendering`` (Jinja2 with autoescape), ``pages`` and
``api`` (the routes), ``app`` (the ASGI app factory), ``server`` (uvicorn).
"""

from newsagg.serve.app import create_app
from newsagg.serve.config import ServeConfig, ServeConfigError

__all__ = ["ServeConfig", "ServeConfigError", "create_app"]
