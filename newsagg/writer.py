"""The one way a batch of extracted articles is written to the store, whoever writes it.

The crawl's index pipeline, its spool replay and ``newsagg index replay`` all hand their batches to
:class:`BatchWriter`, so a batch is stored the same way wherever it comes from:

1. **versions**: each article is compared with its stored copy (one batched read by id, any backend); a
   re-fetch whose headline, text or dates changed keeps the stored copy as a version (:mod:`newsagg.versions`);
2. **upsert** by id (idempotent; the store's merge rules keep sticky and discovery fields);
3. **signatures**: the MinHash of each article's text, for dedupe across crawls;
4. **duplicate groups**: every touched group points its copies at the earliest-published member;
5. **read back** the stored copies (with their resolved duplicate links and kept story ids);
6. **stories** (when the writer is given a clusterer): each stored copy is assigned a story, in the one
   clustering order (:func:`newsagg.stories.clustering_order`). A crawl clusters elsewhere (its story
   extension or worker, after the ``articles_indexed`` signal), so its writer has no clusterer.

A :class:`~newsagg.storage.StorageError` from any step propagates: the caller keeps the batch (spool or
spool file) and writes it again later, which is safe since every step is idempotent.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsagg.storage.base import Article, ArticleStore, UpsertResult
from newsagg.stories.order import clustering_order
from newsagg.versions import DEFAULT_MAX_VERSIONS, next_versions

if TYPE_CHECKING:
    from newsagg.stories.clusterer import StoryClusterer

#: An article to write and its MinHash signature (``None``: no signature, e.g. no text to sign).
BatchEntry = tuple[Article, bytes | None]


@dataclass(frozen=True, slots=True)
class NewVersion:
    """A re-fetch that replaced its stored copy, and what changed (``headline changed``, ...)."""

    article_id: str
    url: str | None
    changes: list[str]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What a batch write did, for the caller's counters and logs."""

    upsert: UpsertResult
    new_versions: list[NewVersion] = field(default_factory=list)
    #: the stored copies as read back after the write, in clustering order
    stored: list[Article] = field(default_factory=list)
    #: story id of each stored copy, when the writer clustered them (same order as ``stored``)
    stories: list[str] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.upsert.inserted + self.upsert.updated + self.upsert.unchanged


class BatchWriter:
    """Writes batches to ``store``; see the module docstring for the steps.

    ``clock`` gives the fetch time of a re-fetch that carries none (its ``discovered_at`` is preferred: a
    batch replayed from the spool may be written a crawl later). ``max_versions`` bounds each article's
    history.
    """

    def __init__(
        self,
        store: ArticleStore,
        *,
        max_versions: int = DEFAULT_MAX_VERSIONS,
        clock: Callable[[], float] = time.time,
        clusterer: StoryClusterer | None = None,
    ) -> None:
        self.store = store
        self.max_versions = max_versions
        self.clock = clock
        self.clusterer = clusterer

    def write(self, batch: Sequence[BatchEntry]) -> WriteResult:
        """Write ``batch``. The articles are updated in place with their ``versions`` (and carried-forward
        fields), so a batch that fails and is spooled holds what was about to be written."""
        articles = [article for article, _ in batch]
        new_versions = self._add_versions(articles)
        result = self.store.upsert_articles(articles)
        self.store.save_signatures([(article["id"], minhash) for article, minhash in batch if minhash])
        self.store.resolve_duplicate_groups(a["dup_group"] for a in articles if a.get("dup_group"))
        stored = clustering_order(self.store.get_articles(a["id"] for a in articles))
        stories = [self.clusterer.assign(article) for article in stored] if self.clusterer is not None else []
        return WriteResult(result, new_versions, stored, stories)

    def _add_versions(self, articles: list[Article]) -> list[NewVersion]:
        """Set each article's ``versions`` from its stored copy (a new version when headline/text/dates moved)."""
        stored = {a["id"]: a for a in self.store.get_articles(dict.fromkeys(a["id"] for a in articles))}
        now = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")
        created: list[NewVersion] = []
        for article in articles:
            at = article.get("discovered_at") or now
            versions, changes = next_versions(stored.get(article["id"]), article, at=at, limit=self.max_versions)
            article["versions"] = versions
            if changes:
                created.append(NewVersion(article["id"], article.get("url"), changes))
            stored[article["id"]] = article  # a second copy in the same batch compares with this one
        return created
