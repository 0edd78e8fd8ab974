"""Index design of the engine backends: versioned templates, write aliases, explicit mappings, migration.

Three kinds of documents, each in its own index behind an alias (``<prefix>-articles``, ``<prefix>-stories``,
``<prefix>-signatures``). The concrete index is ``<alias>-v<N>`` where N is :data:`SCHEMA_VERSION`; a
composable index template ``<alias>`` (``version: N``) carries settings and mappings, so a rollover or a
manual reindex gets the same mappings. Readers and writers only ever use the alias. With
``NEWSAGG_ENGINE_ROLLOVER`` the articles live in generations ``<alias>-v<N>-000001``, ``-000002``… behind
their alias, the newest being the write index (:mod:`newsagg.storage.engine_lifecycle`).

On start :func:`ensure_schema` compares versions: nothing there → create; older → migrate (create the new
index, copy every document of every old generation page by page with ``search_after``, upgrading each to the new layout
(:func:`upgrade_source`), swap the alias atomically; ``_reindex`` is not used because not every engine has it,
e.g. the Elasticsearch test node); newer → stop with a clear :class:`StorageError` (this build does not know
that layout).

Every time field people query is a ``date`` accepting ISO 8601 and epoch millis, in UTC, with the original
offset in its own field (:mod:`newsagg.storage.engine_dates`); article documents carry their story's label
(``story_label``), so a dashboard shows "Kast visita el CECOT", not ``st-f9a6b3ad1650``. Shards and replicas
come from the settings (``NEWSAGG_ENGINE_SHARDS``, ``NEWSAGG_ENGINE_REPLICAS``).

Article text is indexed with the *folded* analyzer (standard tokenizer, lower-case, ASCII folding:
'región' = 'region') in ``title``/``text``, plus one stemmed subfield per language of
:data:`newsagg.storage.analysis.SNOWBALL_LANGUAGES` (``text.es``, ``text.pt``, ...: folded, then the Snowball
stemmer of that language), queried for articles of that language. The SQLite store mirrors exactly this
analysis (:mod:`newsagg.storage.analysis`, docs/search.md), so a query finds the same articles everywhere.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

from newsagg.storage.analysis import SNOWBALL_LANGUAGES
from newsagg.storage.base import StorageError
from newsagg.storage.engine_client import EngineClient
from newsagg.storage.engine_dates import ARTICLE_DATES, DATE_FORMAT, article_dates, story_dates
from newsagg.storage.engine_lifecycle import (
    GENERATION,
    Rollover,
    delete_policy,
    detect_driver,
    generation_name,
    install_policy,
    maintain,
    rollover_alias,
    template_settings,
)

logger = logging.getLogger(__name__)

#: v2: articles.versions (stored, not indexed); v3: articles.kind (article, listing, other);
#: v4: dates as dates (UTC, offsets kept), story summary dates, articles.story_label;
#: v5: stemmed subfields for es, en, pt, de, fr with folding + Snowball (the built-in language analyzers of v4
#: used other stemmers than SQLite can, and no folding)
SCHEMA_VERSION = 5
KINDS = ("articles", "stories", "signatures")
#: The unique keyword field of each kind: sort key for copying/iterating (sorting on _id is disabled in ES 8+).
KEY_FIELD = {"articles": "id", "stories": "id", "signatures": "article_id"}
FOLDED = "newsagg_folded"
#: language code → analyzer of its stemmed subfield
LANGUAGE_SUBFIELDS = {code: f"newsagg_{code}" for code in SNOWBALL_LANGUAGES}

_KEYWORD = {"type": "keyword", "ignore_above": 4096}
_DOUBLE = {"type": "double"}
_DATE = {"type": "date", "format": DATE_FORMAT}
_STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}


def _text(*, raw: bool = False) -> dict[str, Any]:
    fields: dict[str, Any] = {
        code: {"type": "text", "analyzer": analyzer} for code, analyzer in LANGUAGE_SUBFIELDS.items()
    }
    if raw:
        fields["raw"] = {"type": "keyword", "ignore_above": 1024}
    return {"type": "text", "analyzer": FOLDED, "fields": fields}


def article_properties() -> dict[str, Any]:
    keyword_fields = (
        "id",
        "url",
        "canonical_url",
        "outlet_id",
        "outlet_name",
        "country",
        "region",
        "language",
        "authors",
        "site_name",
        "section",
        "keywords",
        "published_source",
        "published_precision",
        "modified_source",
        "discovered_via",
        "content_hash",
        "dup_group",
        "duplicate_of",
        "duplicate_kind",
        "story_id",
        "warnings",
        "kind",
    )
    properties: dict[str, Any] = {name: dict(_KEYWORD) for name in keyword_fields}
    for name in ARTICLE_DATES:  # see newsagg.storage.engine_dates
        properties[f"{name}_at"] = dict(_DATE)  # the instant, UTC
        properties[f"{name}_offset"] = dict(_KEYWORD)  # the page's own UTC offset, e.g. -03:00
        properties[f"{name}_at_local"] = dict(_STORED_ONLY)  # the article's own string, given back as is
    properties.update(
        {
            "title": _text(raw=True),
            "text": _text(),
            "description": {"type": "text", "analyzer": FOLDED},
            "published_utc": _DOUBLE,
            "modified_utc": _DOUBLE,
            "discovered_utc": _DOUBLE,
            "published_confidence": _DOUBLE,
            "similarity": _DOUBLE,
            "word_count": {"type": "integer"},
            # previous versions of the article (newsagg/versions.py): kept in _source, never indexed or searched
            "versions": {"type": "object", "enabled": False},
            # --- maintained by the store, not part of the article dict ---
            "seq": {"type": "long"},  # insertion order: tie-break of 'earliest published'
            "when_utc": _DOUBLE,  # published_utc, else discovered_utc: the date filters' field
            "published": dict(_DATE),  # epoch millis of published_utc: the data views' time field
            "first_seen": dict(_DATE),
            "last_seen": dict(_DATE),
            # the label of story_id, kept current by the store: what a dashboard shows for a story
            "story_label": {
                "type": "keyword",
                "ignore_above": 1024,
                "fields": {"text": {"type": "text", "analyzer": FOLDED}},
            },
            "fp": {"type": "keyword", "index": False, "doc_values": False},  # fingerprint of the content fields
        }
    )
    return properties


def story_properties() -> dict[str, Any]:
    return {
        "id": dict(_KEYWORD),
        "label": _text(raw=True),
        "keywords": dict(_KEYWORD),
        # the clusterer's own timestamps: a malformed one is kept in _source rather than refusing the story
        "created_at": {**_DATE, "ignore_malformed": True},
        "updated_at": {**_DATE, "ignore_malformed": True},
        "first_published_utc": _DOUBLE,
        "last_published_utc": _DOUBLE,
        # dates of the summary for a data view (see newsagg.storage.engine_dates)
        "first_published": dict(_DATE),
        "last_published": dict(_DATE),
        "updated": dict(_DATE),
        "article_count": {"type": "integer"},
        "merged_into": dict(_KEYWORD),
    }


def signature_properties() -> dict[str, Any]:
    return {"article_id": dict(_KEYWORD), "minhash": {"type": "binary"}}


_PROPERTIES = {"articles": article_properties, "stories": story_properties, "signatures": signature_properties}


def analysis_settings() -> dict[str, Any]:
    """The folded analyzer and one stemmed analyzer per language: lowercase, asciifolding, then the language's
    ``snowball`` filter, the same steps as :mod:`newsagg.storage.analysis` (no stop words, which SQLite
    has not either)."""
    folding = ["lowercase", "asciifolding"]
    analyzers: dict[str, Any] = {FOLDED: {"type": "custom", "tokenizer": "standard", "filter": folding}}
    filters: dict[str, Any] = {}
    for code, algorithm in SNOWBALL_LANGUAGES.items():
        filters[f"newsagg_snowball_{code}"] = {"type": "snowball", "language": algorithm.capitalize()}
        analyzers[LANGUAGE_SUBFIELDS[code]] = {
            "type": "custom",
            "tokenizer": "standard",
            "filter": [*folding, f"newsagg_snowball_{code}"],
        }
    return {"analyzer": analyzers, "filter": filters}


def index_body(
    kind: str,
    version: int = SCHEMA_VERSION,
    *,
    replicas: int | None = None,
    shards: int = 1,
    lifecycle: dict[str, Any] | None = None,
) -> dict[str, Any]:
    settings: dict[str, Any] = {**(lifecycle or {}), "number_of_shards": shards, "analysis": analysis_settings()}
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    mappings = {
        "dynamic": "strict",
        "_meta": {"newsagg_schema": version, "kind": kind},
        "properties": _PROPERTIES[kind](),
    }
    return {"settings": settings, "mappings": mappings}


def template_body(
    prefix: str,
    kind: str,
    version: int = SCHEMA_VERSION,
    *,
    replicas: int | None = None,
    shards: int = 1,
    lifecycle: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The composable template of ``kind``: matches every index of every version (and rolled generation).
    ``lifecycle``: index settings handing the indices to ILM/ISM (see :mod:`newsagg.storage.engine_lifecycle`)."""
    return {
        "index_patterns": [f"{prefix}-{kind}-v*"],
        "version": version,
        "priority": 200,
        "_meta": {
            "newsagg_schema": version,
            "description": f"newsagg {kind}, schema v{version}",
            "lifecycle": _lifecycle_tag(lifecycle),
        },
        "template": index_body(kind, version, replicas=replicas, shards=shards, lifecycle=lifecycle),
    }


def _lifecycle_tag(lifecycle: dict[str, Any] | None) -> str:
    """What the template's lifecycle settings are, in one comparable string (re-put the template on a change)."""
    return ",".join(f"{k}={v}" for k, v in sorted((lifecycle or {}).items())) or "none"


def upgrade_source(kind: str, source: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """A document of an older schema in the layout of :data:`SCHEMA_VERSION` (for :func:`migrate`).

    v3 → v4 (and older): an article's ``*_at`` keyword strings move to ``*_at_local`` and become UTC dates
    with their offsets; ``story_label`` from ``labels`` (story id → label); a story gets its summary dates.
    Fields of the versions in between need nothing (``kind`` is absent from older documents, as if unknown;
    v5 changed analyzers only).
    Idempotent.
    """
    doc = dict(source)
    if kind == "articles":
        if not any(f"{name}_at_local" in doc for name in ARTICLE_DATES):
            doc.update(article_dates(doc))
        if "story_label" not in doc:
            doc["story_label"] = labels.get(doc.get("story_id") or "")
    elif kind == "stories":
        doc.update(story_dates(doc))
    return doc


def alias_name(prefix: str, kind: str) -> str:
    return f"{prefix}-{kind}"


def index_name(prefix: str, kind: str, version: int = SCHEMA_VERSION, *, rolled: bool = False) -> str:
    """``<prefix>-<kind>-v<N>``, or its first generation ``…-v<N>-000001`` for a rolled-over article index."""
    name = f"{prefix}-{kind}-v{version}"
    return generation_name(name) if rolled else name


_VERSION_SUFFIX = re.compile(r"-v(\d+)(?:-(\d{6}))?$")


def _index_version(index: str) -> int:
    match = _VERSION_SUFFIX.search(index)
    return int(match.group(1)) if match else 0


def _index_order(index: str) -> tuple[int, int]:
    """(schema version, rollover generation): the newest index sorts last."""
    match = _VERSION_SUFFIX.search(index)
    return (int(match.group(1)), int(match.group(2) or 0)) if match else (0, 0)


def ensure_schema(
    client: EngineClient,
    prefix: str,
    *,
    version: int = SCHEMA_VERSION,
    replicas: int | None = None,
    shards: int = 1,
    rollover: Rollover | None = None,
    retention: str | None = None,
) -> dict[str, str]:
    """Make templates and aliases ready for ``version``; returns ``{kind: alias}``. See the module doc.

    ``rollover`` (off: None) puts the articles in rolled generations behind their alias, with the engine's
    lifecycle policy, or newsagg's own rollover/retention pass where the engine has none
    (:mod:`newsagg.storage.engine_lifecycle`)."""
    aliases: dict[str, str] = {}
    labels: dict[str, str] | None = None
    driver = None
    if rollover is not None:
        driver = detect_driver(client)
        install_policy(client, driver, prefix, rollover, retention)  # before any index: ISM attaches to new ones
    for kind in KINDS:
        alias = alias_name(prefix, kind)
        rolled = kind == "articles" and rollover is not None
        lifecycle = template_settings(driver, prefix, alias) if rolled and driver else {}
        template = client.get_index_template(alias)
        template_version = (template or {}).get("version")
        if isinstance(template_version, int) and template_version > version:
            raise StorageError(
                f"index template {alias!r} on {client.engine} is schema v{template_version}, newer than this "
                f"newsagg (v{version}): upgrade newsagg, or use another NEWSAGG_INDEX_PREFIX"
            )
        template_lifecycle = ((template or {}).get("_meta") or {}).get("lifecycle", "none")
        if template_version != version or template_lifecycle != _lifecycle_tag(lifecycle):
            body = template_body(prefix, kind, version, replicas=replicas, shards=shards, lifecycle=lifecycle)
            client.put_index_template(alias, body)
        behind = client.get_alias(alias)
        if not behind:
            if client.index_exists(alias):
                raise StorageError(f"{alias!r} is a concrete index, not an alias; newsagg needs the name free")
            _create(client, index_name(prefix, kind, version, rolled=rolled), alias)
        else:
            current = write_index(behind)
            current_version = _index_version(current)
            if current_version > version:
                raise StorageError(
                    f"alias {alias!r} points at {current!r} (schema v{current_version}), newer than this newsagg "
                    f"(v{version}): upgrade newsagg, or use another NEWSAGG_INDEX_PREFIX"
                )
            if current_version < version:
                if labels is None:  # articles are migrated before stories: read the labels once, first
                    labels = story_labels(client, alias_name(prefix, "stories"))
                new = index_name(prefix, kind, version, rolled=rolled)
                migrate(client, kind, alias, sorted(behind, key=_index_order), new, labels)
            elif rolled and not GENERATION.search(current):
                # rollover switched on over a single index: it stays readable, new articles go to generation 1
                logger.warning("rollover on: %s now writes to %s", alias, generation_name(current))
                rollover_alias(client, alias, new_index=generation_name(current))
        if rolled and driver == "newsagg":
            try:
                maintain(client, alias, rollover, retention)  # type: ignore[arg-type]
            except StorageError as exc:  # the articles are still safe to write: roll over at the next open
                logger.warning("rollover/retention pass of %s failed: %s", alias, exc)
        aliases[kind] = alias
    return aliases


def _create(client: EngineClient, index: str, alias: str) -> None:
    try:
        client.create_index(index, {"aliases": {alias: {"is_write_index": True}}})
    except StorageError as exc:
        if "resource_already_exists" not in str(exc):  # another process won the race: fine
            raise


def write_index(behind: dict[str, Any]) -> str:
    """The write index among ``behind`` (a ``get_alias`` answer); the newest if none is marked."""
    for index, spec in behind.items():
        for alias_spec in (spec.get("aliases") or {}).values():
            if alias_spec.get("is_write_index"):
                return index
    return sorted(behind, key=_index_order)[-1]


def story_labels(client: EngineClient, alias: str) -> dict[str, str]:
    """Story id → label of every story behind ``alias`` ({} if there is none yet)."""
    if not client.get_alias(alias):
        return {}
    client.refresh(alias)
    return {
        hit["_source"]["id"]: hit["_source"].get("label")
        for page in scan_pages(client, alias, {"match_all": {}}, [{"id": "asc"}], source=["id", "label"])
        for hit in page
        if hit["_source"].get("label")
    }


def migrate(
    client: EngineClient,
    kind: str,
    alias: str,
    old: str | list[str],
    new: str,
    labels: dict[str, str] | None = None,
) -> int:
    """Copy ``old`` (one index, or every rolled generation) into a fresh ``new`` (mappings from the
    template) and move ``alias``; returns docs copied.

    Each document is upgraded to the new layout on the way (:func:`upgrade_source`; ``labels``: story id →
    label, for articles). The old indices are kept (delete them once satisfied). Run while nothing else writes
    to the alias.
    """
    olds = [old] if isinstance(old, str) else list(old)
    source = ",".join(olds)
    logger.warning("migrating %s: %s -> %s", alias, source, new)
    if client.index_exists(new):
        client.delete_index(new)  # debris of an interrupted migration: the old index is still the truth
    client.create_index(new, {})
    client.refresh(source)  # the copy reads with search: make the last writes visible
    copied = 0
    for page in scan_pages(client, source, {"match_all": {}}, [{KEY_FIELD[kind]: "asc"}], page_size=500):
        lines: list[bytes] = []
        for hit in page:
            lines.append(_json_line({"index": {"_index": new, "_id": hit["_id"]}}))
            lines.append(_json_line(upgrade_source(kind, hit["_source"], labels or {})))
        result = client.bulk(b"".join(lines))
        if result.get("errors"):
            failed = [i for i in result.get("items", []) if i.get("index", {}).get("error")]
            raise StorageError(f"migration of {alias} failed on {len(failed)} documents: {failed[:3]}")
        copied += len(page)
    client.refresh(new)
    client.update_aliases(
        [
            *({"remove": {"index": index, "alias": alias}} for index in olds),
            {"add": {"index": new, "alias": alias, "is_write_index": True}},
        ]
    )
    logger.warning("migrated %s: %d documents copied to %s; %s kept, delete when satisfied", alias, copied, new, source)
    return copied


def drop_prefix(client: EngineClient, prefix: str) -> None:
    """Delete every index (all versions) and template of ``prefix``. Destructive: for tests and tear-downs."""
    for kind in KINDS:
        alias = alias_name(prefix, kind)
        for index in {*client.get_alias(alias), *client.list_indices(f"{alias}-v*")}:
            client.delete_index(index)
        client.delete_index_template(alias)
    delete_policy(client, prefix)


def scan_pages(
    client: EngineClient,
    index: str,
    query: dict[str, Any],
    sort: list[dict[str, Any]],
    *,
    page_size: int = 1000,
    source: Any = True,
) -> Iterator[list[dict[str, Any]]]:
    """Every hit of ``query`` in ``sort`` order, page by page, with ``search_after``.

    ``sort`` must end with a unique field so pages neither skip nor repeat documents.
    """
    after: list[Any] | None = None
    while True:
        body: dict[str, Any] = {
            "query": query,
            "sort": sort,
            "size": page_size,
            "track_total_hits": False,
            "_source": source,
        }
        if after is not None:
            body["search_after"] = after
        hits = client.search(index, body).get("hits", {}).get("hits", [])
        if not hits:
            return
        yield hits
        if len(hits) < page_size:
            return
        after = hits[-1]["sort"]


def _json_line(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
