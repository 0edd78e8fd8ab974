"""The storage contract every backend implements (SQLite, Elasticsearch, OpenSearch).

Everything above the store (pipelines, story clustering, CLI, exports) talks to this interface only, so
switching ``NEWSAGG_BACKEND`` changes where articles live, not what the product does. The contract test
suite (``tests/test_storage_contract.py``) runs against every backend.

Articles and stories are plain dicts (JSON-friendly, the same shape on every backend); the field list is
``ARTICLE_FIELDS``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
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

    def since_utc(self) -> float | None:
        return self.since.timestamp() if self.since else None

    def until_utc(self) -> float | None:
        return self.until.timestamp() if self.until else None


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: Article
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    hits: list[SearchHit] = field(default_factory=list)


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
    def search(self, query: str, flt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0) -> SearchPage:
        """Full-text search (BM25 or the engine's ranking) with highlighted snippets."""

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
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
