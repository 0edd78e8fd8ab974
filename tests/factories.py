"""Test data factories shared by the storage, dedupe and story tests."""

from __future__ import annotations

from datetime import UTC, datetime

from newsagg.text import content_hash

T0 = datetime(2026, 11, 27, 12, 0, tzinfo=UTC).timestamp()


def article(article_id: str, **fields: object) -> dict:
    text = str(fields.pop("text", f"Texto del artículo {article_id} sobre la región y el gobierno."))
    base = {
        "id": article_id,
        "url": f"http://example.test/{article_id}",
        "canonical_url": f"http://example.test/{article_id}",
        "outlet_id": "outlet-a",
        "outlet_name": "Outlet A",
        "country": "CL",
        "region": "Latin America",
        "language": "es",
        "title": f"Título {article_id}",
        "text": text,
        "authors": ["Ana Pérez"],
        "keywords": [],
        "warnings": [],
        "published_at": "2026-11-27T09:00:00-03:00",
        "published_utc": T0,
        "published_source": "json-ld",
        "published_precision": "minute",
        "discovered_at": "2026-11-27T12:30:00+00:00",
        "discovered_utc": T0 + 1800,
        "content_hash": content_hash(text),
        "word_count": len(text.split()),
        "dup_group": article_id,
    }
    base.update(fields)
    return base
