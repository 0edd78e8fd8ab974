"""Article extraction: HTML page -> text, title, authors, dates with provenance, language, canonical URL.

Pure functions, no Scrapy: the extract pipeline stage calls :func:`extract_article` on each fetched page.

:func:`extract_article` is loaded at first use (PEP 562): the crawl process only unpickles the
:class:`ExtractedArticle` results of its extraction workers, and importing this package for them would load
trafilatura, jusText, htmldate and lxml's HTML cleaner (≈ 7 MB) into it for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import ExtractedArticle

if TYPE_CHECKING:
    from .core import extract_article

__all__ = ["ExtractedArticle", "extract_article"]


def __getattr__(name: str) -> Any:
    if name == "extract_article":
        from .core import extract_article

        return extract_article
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
