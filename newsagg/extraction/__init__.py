"""Article extraction: HTML page -> text, title, authors, dates with provenance, language, canonical URL.

Pure functions, no Scrapy: the extract pipeline stage calls :func:`extract_article` on each fetched page.
"""

from .core import extract_article
from .model import ExtractedArticle

__all__ = ["ExtractedArticle", "extract_article"]
