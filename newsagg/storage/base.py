"""The storage contract every backend implements (SQLite, Elasticsearch, OpenSearch).

Everything above the store (pipelines, story clustering, CLI, exports) talks to this interface only, so
switching ``NEWSAGG_BACKEND`` changes where articles live, not what the product does. The contract test
suite (``tests/test_storage_contract.py``) runs against every backend.

Articles and stories are plain dicts (JSON-friendly, the same shape on every backend); the field list is
``ARTICLE_FIELDS``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsagg.secrets import redact

Article = dict[str, Any]
Story = dict[str, Any]

#: Stored article fields; everything else on an item is dropped before indexing.
ARTICLE_FIELDS: tuple[str, ...] = (
    "id",
    "url",
    "canonical_url",
    "outlet_id",
    "outlet_name",
    "country",
    "region",
    "language",
    "title",
    "text",
    "authors",
    "description",
    "site_name",
    "section",
    "keywords",
    "published_at",
    "published_utc",
    "published_source",
    "published_precision",
    "published_confidence",
    "modified_at",
    "modified_utc",
    "modified_source",
    "discovered_at",
    "discovered_utc",
    "discovered_via",
    "content_hash",
    "word_count",
    "dup_group",
    "duplicate_of",
    "duplicate_kind",
    "similarity",
    "story_id",
    "warnings",
    "versions",
    "kind",
)

#: List-valued fields (stored as JSON text where the backend has no arrays). ``versions`` is a list of objects
#: (previous versions of the article, see ``newsagg/versions.py``), stored but not indexed.
JSON_FIELDS = frozenset({"authors", "keywords", "warnings", "versions"})
#: Numeric fields (timestamps, scores, counts).
NUMERIC_FIELDS = frozenset(
    {"published_utc", "modified_utc", "discovered_utc", "published_confidence", "similarity", "word_count"}
)
#: Owned by dedupe/clustering/versioning: a re-crawl that does not know them (None) must not clear them.
STICKY_FIELDS = ("story_id", "duplicate_of", "duplicate_kind", "similarity", "dup_group", "versions")
#: The first discovery is history: a re-crawl keeps it.
DISCOVERY_FIELDS = ("discovered_at", "discovered_utc", "discovered_via")
#: A change in one of these makes a re-crawl an update rather than 'unchanged'.
CONTENT_FIELDS = tuple(f for f in ARTICLE_FIELDS if f not in STICKY_FIELDS and f not in DISCOVERY_FIELDS)
#: Stored story fields (a story is a summary the clusterer rewrites; ``merged_into`` points at its successor).
STORY_FIELDS: tuple[str, ...] = (
    "id",
    "label",
    "keywords",
    "created_at",
    "updated_at",
    "first_published_utc",
    "last_published_utc",
    "article_count",
    "merged_into",
)


# --- values: one stored form on every backend ----------------------------------------------------------
def normalize_value(name: str, value: Any) -> Any:
    """The stored form of an article field: numbers as float, lists as lists (of str, or of dicts for
    ``versions``), everything else as str; ``None`` stays ``None``. Backends without arrays store the list
    as JSON text (:func:`json_text`)."""
    if value is None:
        return None
    if name in JSON_FIELDS:
        return [v if isinstance(v, dict) else str(v) for v in value]
    if name in NUMERIC_FIELDS:
        return float(value)
    return str(value)


def normalize_article(article: Mapping[str, Any]) -> dict[str, Any]:
    """Every stored field of ``article`` in its stored form (missing fields: ``None``)."""
    return {name: normalize_value(name, article.get(name)) for name in ARTICLE_FIELDS}


def json_text(value: list[Any] | None) -> str | None:
    """A list field as JSON text, for backends that store lists as text (SQLite)."""
    return None if value is None else json.dumps(value, ensure_ascii=False)


def decode_article(source: Mapping[str, Any]) -> Article:
    """A stored article as the contract hands it out: list fields as lists (``[]`` when empty, whether the
    backend kept JSON text or an array), ``word_count`` as int, the other numbers as float."""
    article: Article = {}
    for name in ARTICLE_FIELDS:
        value = source.get(name)
        if name in JSON_FIELDS:
            value = (json.loads(value) if isinstance(value, str) else list(value)) if value else []
        elif name == "word_count" and value is not None:
            value = int(value)
        elif name in NUMERIC_FIELDS and value is not None:
            value = float(value)
        article[name] = value
    return article


def normalize_story(story: Mapping[str, Any]) -> Story:
    """A story's fields in their stored form: ``keywords`` a list of str, times float, ``article_count`` int."""
    return {
        "id": story["id"],
        "label": story.get("label"),
        "keywords": [str(k) for k in story.get("keywords") or []],
        "created_at": story.get("created_at"),
        "updated_at": story.get("updated_at"),
        "first_published_utc": normalize_value("published_utc", story.get("first_published_utc")),
        "last_published_utc": normalize_value("published_utc", story.get("last_published_utc")),
        "article_count": int(story.get("article_count") or 0),
        "merged_into": story.get("merged_into"),
    }


def decode_story(source: Mapping[str, Any]) -> Story:
    """A stored story: ``keywords`` as a list (JSON text or array), ``article_count`` as int."""
    story: Story = {name: source.get(name) for name in STORY_FIELDS}
    keywords = story["keywords"]
    story["keywords"] = (json.loads(keywords) if isinstance(keywords, str) else list(keywords)) if keywords else []
    story["article_count"] = int(story["article_count"] or 0)
    return story


# --- upsert merge rules ---------------------------------------------------------------------------------
def merge_refetch(values: dict[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """What a re-crawl writes over the stored copy of the same article (``values`` is changed and returned).

    Sticky fields the re-crawl does not know (``None``) keep their stored value: dedupe, clustering and
    versioning own them. The first discovery is history: a stored discovery is kept. Both values must be in
    the same (backend) form.
    """
    for name in STICKY_FIELDS:
        if values.get(name) is None:
            values[name] = stored.get(name)
    for name in DISCOVERY_FIELDS:
        if stored.get(name) is not None:
            values[name] = stored.get(name)
    return values


def same_values(values: Mapping[str, Any], stored: Mapping[str, Any], names: Iterable[str]) -> bool:
    """Whether ``values`` and ``stored`` agree on every field in ``names`` (same backend form)."""
    return all(values.get(name) == stored.get(name) for name in names)


def is_unchanged(values: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """A merged re-crawl (:func:`merge_refetch`) that changes nothing stored: counted 'unchanged', not written."""
    return same_values(values, stored, CONTENT_FIELDS) and same_values(values, stored, STICKY_FIELDS)


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Filters shared by search, listing and export. ``None`` means 'any'."""

    language: str | None = None
    country: str | None = None
    outlet: str | None = None
    story_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    include_duplicates: bool = True
    #: Only articles without a story yet (their clustering failed or has not run: the backlog).
    unclustered: bool = False
    #: Page kind: ``article``, ``listing`` or ``other`` (``None``: any). A row stored before page kinds
    #: existed has no kind and counts as an article: only articles were stored then.
    kind: str | None = None

    def since_utc(self) -> float | None:
        return self.since.timestamp() if self.since else None

    def until_utc(self) -> float | None:
        return self.until.timestamp() if self.until else None


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float
    snippet: str


#: The orders ``ArticleStore.search`` knows.
SEARCH_SORTS = ("relevance", "date")


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    #: "eq" when ``total`` is the exact number of matches, "gte" when the store stopped counting there (a
    #: query matching most of a large SQLite store), as Elasticsearch's ``hits.total.relation``
    total_relation: str = "eq"


@dataclass(frozen=True, slots=True)
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertResult) -> UpsertResult:
        return UpsertResult(
            self.inserted + other.inserted, self.updated + other.updated, self.unchanged + other.unchanged
        )


class StorageError(RuntimeError):
    """The backend could not do what was asked (engine down, disk full, file locked...)."""

    def __str__(self) -> str:
        # An engine (or a proxy) may echo the credentials it got in its error body: never print them.
        return redact(super().__str__())


class ArticleStore(ABC):
    """A place where articles, their duplicate links, signatures and stories live."""

    name: str = "abstract"

    # --- articles -------------------------------------------------------------------------------
    @abstractmethod
    def upsert_articles(self, articles: Sequence[Article]) -> UpsertResult:
        """Insert or update by ``id``; idempotent: writing the same article twice changes nothing.

        A write never clears ``story_id`` or ``duplicate_of`` of an existing article (those are
        owned by clustering/dedupe), unless the new value is set.
        """

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None: ...

    @abstractmethod
    def get_articles(self, article_ids: Iterable[str]) -> list[Article]: ...

    @abstractmethod
    def find_by_content_hash(self, content_hash: str) -> list[Article]: ...

    @abstractmethod
    def count_articles(self, flt: ArticleFilter | None = None) -> int: ...

    @abstractmethod
    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]:
        """All matching articles, oldest published first (undated last)."""

    @abstractmethod
    def search(
        self, query: str, flt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0, sort: str = "relevance"
    ) -> SearchPage:
        """Full-text search with highlighted snippets, best match first (BM25 or the engine's ranking), or with
        ``sort="date"`` newest first (published, else discovered time; undated last)."""

    @abstractmethod
    def candidates(
        self,
        terms: Sequence[str],
        *,
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None = None,
        limit: int = 50,
    ) -> list[Article]:
        """Articles that already belong to a story, matching any of ``terms``, best first.

        Used by clustering: the backend proposes, Python decides.
        """

    def candidate_stories(
        self,
        terms: Sequence[str],
        *,
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None = None,
        limit: int = 50,
    ) -> list[str]:
        """The ``story_id`` of each article :meth:`candidates` returns, in its order: all clustering reads of
        them. A backend may answer without loading the articles (the SQLite store does)."""
        found = self.candidates(terms, since_utc=since_utc, until_utc=until_utc, exclude_id=exclude_id, limit=limit)
        return [str(article["story_id"]) for article in found]

    @abstractmethod
    def term_stats(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """How many articles are stored and, per (folded) term, how many contain it: IDF for clustering."""

    # --- duplicates -----------------------------------------------------------------------------
    @abstractmethod
    def resolve_duplicate_groups(self, groups: Iterable[str]) -> None:
        """Within each ``dup_group``, point every member's ``duplicate_of`` at the earliest-published one."""

    @abstractmethod
    def save_signatures(self, signatures: Sequence[tuple[str, bytes]]) -> None: ...

    @abstractmethod
    def iter_signatures(self) -> Iterator[tuple[str, bytes]]: ...

    # --- stories --------------------------------------------------------------------------------
    @abstractmethod
    def assign_story(self, article_id: str, story_id: str) -> None: ...

    @abstractmethod
    def save_story(self, story: Story) -> None: ...

    @abstractmethod
    def get_story(self, story_id: str) -> Story | None:
        """A story by id, following merge aliases."""

    @abstractmethod
    def list_stories(self, *, min_articles: int = 1, limit: int = 100) -> list[Story]: ...

    # --- lifecycle ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Make every write committed so far, by any process or connection, visible to this store's reads.

        A store reads its own writes without this. Call it where another process wrote (a worker clustering
        what the crawl process indexed). Default: nothing to do (SQLite readers see every commit).
        """
        return None

    def describe(self) -> dict[str, Any]:
        """Where the data lives, for ``newsagg index status``: at least the backend's name (``backend``)."""
        return {"backend": self.name}

    def check(self, repair: bool = False) -> list[str]:
        """Problems with the stored data's integrity, one line each (empty: healthy); ``repair`` fixes what
        can be rebuilt from the data itself. Default: a backend that cannot check itself reports nothing."""
        return []

    @abstractmethod
    def drop(self) -> None:
        """Delete every article, signature and story this store holds (tests and resets; cannot be undone)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
