"""Article content of the local news web, one module per group of stories.

Each module defines ``ARTICLES``: a list of plain dicts (see :mod:`newsagg.newsweb.model` for the keys).
To add an article, append a dict to one of these lists (or add a module and list it below); the server,
feeds, sitemaps, section pages and ``NewsWeb.expected()`` are all derived from these dicts.
"""

from __future__ import annotations

from . import kast_cecot, others

ARTICLES: list[dict] = [*kast_cecot.ARTICLES, *others.ARTICLES]

__all__ = ["ARTICLES"]
