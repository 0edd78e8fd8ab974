"""Article fields in their stored form: stable id from the canonical URL, outlet/country/region from the
registry, tz-aware dates (kept with their original offset) plus UTC timestamps and provenance."""

from __future__ import annotations

from datetime import UTC, datetime

from itemadapter import ItemAdapter

from newsagg.dates import DatedValue
from newsagg.sanitize import sanitize_article
from newsagg.text import content_hash
from newsagg.urls import article_id, canonicalize_url


def _set_date(adapter: ItemAdapter, prefix: str, value: DatedValue | None) -> None:
    adapter[f"{prefix}_at"] = value.isoformat() if value else None
    adapter[f"{prefix}_utc"] = value.utc_timestamp() if value else None
    adapter[f"{prefix}_source"] = value.source if value else None
    if prefix == "published":
        adapter["published_precision"] = value.precision if value else None
        adapter["published_confidence"] = value.confidence if value else None


SANITIZED_FIELDS = ("title", "text", "authors", "keywords", "description", "site_name", "section", "outlet_name")


class NormalizePipeline:
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def process_item(self, item):  # type: ignore[no-untyped-def]
        adapter = ItemAdapter(item)
        extracted = adapter.pop("extraction")
        registry = self.crawler.spider.registry
        outlet = registry.get(adapter["outlet_id"])
        canonical = canonicalize_url(extracted.canonical_url or adapter["url"])
        adapter["canonical_url"] = canonical
        adapter["id"] = article_id(canonical)
        owner = registry.for_url(canonical)
        if outlet is not None and owner is not None and owner.id != outlet.id:
            # A canonical naming another outlet's page links the two (a syndicated copy) but is not this page's
            # identity: taking that id would overwrite the other outlet's stored article with this copy.
            adapter["id"] = article_id(canonicalize_url(adapter["url"]))
            extracted.warnings.append(f"canonical points to outlet {owner.id}: kept as a link ({canonical})")
            self.crawler.stats.inc_value("newsagg/foreign_canonical")
        adapter["title"] = extracted.title or adapter.get("feed_title")
        adapter["text"] = extracted.text
        adapter["authors"] = list(extracted.authors)
        adapter["description"] = extracted.description
        adapter["site_name"] = extracted.site_name
        adapter["section"] = extracted.section
        adapter["keywords"] = list(extracted.keywords)
        adapter["warnings"] = list(extracted.warnings)
        adapter["kind"] = extracted.kind
        adapter["language"] = extracted.language or (outlet.language if outlet else None)
        if outlet:
            adapter["outlet_name"] = outlet.name
            adapter["country"] = outlet.country
            adapter["region"] = outlet.region
        _set_date(adapter, "published", extracted.published)
        _set_date(adapter, "modified", extracted.modified)
        fetched = adapter.get("fetched_at") or datetime.now(UTC)
        adapter["discovered_at"] = fetched.isoformat()
        adapter["discovered_utc"] = fetched.timestamp()
        self._sanitize(adapter)
        if adapter.get("content_hash") is None or adapter["text"] != extracted.text:
            # not computed by the extraction worker, or the text changed since (sanitized)
            adapter["content_hash"] = content_hash(adapter["text"])
        adapter["word_count"] = len(adapter["text"].split())
        return item

    def _sanitize(self, adapter: ItemAdapter) -> None:
        """Controls, bidi overrides and absurd sizes out of every stored text field, whatever its source
        (a feed title stands in for a missing page title, so the page alone is not the only way in)."""
        fields = {name: adapter.get(name) for name in SANITIZED_FIELDS}
        notes = sanitize_article(fields)
        for name, value in fields.items():
            adapter[name] = value
        if notes:
            adapter["warnings"] = [*adapter.get("warnings", []), *notes]
            self.crawler.stats.inc_value("newsagg/capped_fields", len(notes))
            self.crawler.spider.logger.warning("%s: %s", adapter.get("url"), "; ".join(notes))
