"""The result of extracting one page."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsagg.dates import DatedValue


@dataclass
class ExtractedArticle:
    url: str
    canonical_url: str
    title: str | None = None
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published: DatedValue | None = None
    modified: DatedValue | None = None
    language: str | None = None
    description: str | None = None
    site_name: str | None = None
    section: str | None = None
    keywords: list[str] = field(default_factory=list)
    image: str | None = None
    is_article: bool = False
    #: ``article``, ``listing``, ``other``, or None when the page has no main text to store
    #: (:mod:`newsagg.extraction.kind`); ``kind_reason`` says why in a short token
    kind: str | None = None
    kind_reason: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain-JSON view (dates as ``DatedValue.to_dict``)."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "text": self.text,
            "authors": list(self.authors),
            "published": self.published.to_dict() if self.published else None,
            "modified": self.modified.to_dict() if self.modified else None,
            "language": self.language,
            "description": self.description,
            "site_name": self.site_name,
            "section": self.section,
            "keywords": list(self.keywords),
            "image": self.image,
            "is_article": self.is_article,
            "kind": self.kind,
            "kind_reason": self.kind_reason,
            "warnings": list(self.warnings),
        }
