"""ArticleStore on Elasticsearch or OpenSearch: one implementation, two clients.

Same semantics as the SQLite reference (the contract suite runs on all three):

* **Upserts** read the stored state first (one realtime ``mget`` of the small fields), decide in Python
  exactly like SQLite (sticky story/duplicate fields, first discovery kept, inserted/updated/unchanged by a
  fingerprint of the content fields), then write only new or changed documents in bulk. Inserts use
  ``op_type=create`` and updates ``if_seq_no``/``if_primary_term``, so a concurrent writer causes a 409 and a
  fresh decision instead of a lost update. Idempotent by article id.
* **Read-your-writes**: the engine makes writes searchable at its next refresh (1 s). The store remembers
  which aliases it wrote and refreshes them before its next search-type read, so clustering sees the batch it
  was just handed; realtime ``get``/``mget`` need no refresh. Bulk throughput is not taxed by a refresh per
  request.
* No scripts, ``_update_by_query`` or ``_reindex`` (not every engine has them): duplicate resolution reads the
  groups and writes partial updates in bulk.
* Any failure is a :class:`StorageError` naming the engine, the operation and, for bulk writes, every
  refused document with its reason; the index pipeline then spools the batch (nothing lost).
* **For dashboards** every document carries its times as UTC ``date`` fields with their offsets
  (:mod:`newsagg.storage.engine_dates`; the article's own strings are given back unchanged) and its story's
  label (``story_label``), kept current when a story is (re)labelled or its articles move to another story.
* A server that can never serve this client stops the store at once (:meth:`EngineClient.handshake`).
* **Rolled-over article indices** (``NEWSAGG_ENGINE_ROLLOVER``, :mod:`newsagg.storage.engine_lifecycle`):
  searches go through the alias to every generation; a stored article is looked up where it lives (the
  write index realtime, the older generations by an ``ids`` search, then a realtime get there) and updated
  in *that* index, so a re-fetched old article is never copied into the write index.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsagg.storage.base import (
    CONTENT_FIELDS,
    DISCOVERY_FIELDS,
    SEARCH_SORTS,
    STICKY_FIELDS,
    Article,
    ArticleFilter,
    ArticleStore,
    SearchHit,
    SearchPage,
    StorageError,
    Story,
    UpsertResult,
    decode_article,
    decode_story,
    merge_refetch,
    normalize_article,
    normalize_story,
    same_values,
)
from newsagg.storage.engine_bulk import BulkIndexer, BulkOp, BulkReport
from newsagg.storage.engine_client import EngineClient
from newsagg.storage.engine_config import EngineConfig
from newsagg.storage.engine_dates import ARTICLE_DATES, article_dates, article_time, story_dates
from newsagg.storage.engine_lifecycle import Rollover, parse_retention
from newsagg.storage.engine_query import (
    ARTICLE_ORDER,
    candidates_query,
    filtered,
    highlight,
    pick_snippet,
    term_filters,
    text_query,
)
from newsagg.storage.engine_schema import SCHEMA_VERSION, drop_prefix, ensure_schema, scan_pages, write_index

_LOCAL_TIMES = [f"{name}_at_local" for name in ARTICLE_DATES]
_STATE_FIELDS = [*STICKY_FIELDS, *DISCOVERY_FIELDS, *_LOCAL_TIMES, "fp", "seq", "first_seen", "story_label"]
_SINGLE_WORD = re.compile(r"\w+", re.UNICODE)
_CONFLICT_ROUNDS = 5
_TERMS_PER_REQUEST = 200
_GROUPS_PER_REQUEST = 500


def _fingerprint(values: dict[str, Any]) -> str:
    """Hash of the content fields (normalized values: str, float, list of str or None; repr is stable)."""
    payload = repr([values.get(n) for n in CONTENT_FIELDS])
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _now_ms() -> int:
    return int(time.time() * 1000)


def _article_view(source: dict[str, Any]) -> dict[str, Any]:
    """An engine document with the article's own time strings back under ``*_at`` (the contract's form)."""
    view = dict(source)
    for name in ARTICLE_DATES:
        view[f"{name}_at"] = article_time(source, name)
    return view


def _decode(source: dict[str, Any]) -> Article:
    return decode_article(_article_view(source))


class EngineStore(ArticleStore):
    """ArticleStore on an Elasticsearch or OpenSearch cluster (``config.engine``)."""

    def __init__(self, config: EngineConfig, *, schema_version: int = SCHEMA_VERSION) -> None:
        self.config = config
        self.name = config.engine
        self.schema_version = schema_version
        self.client = EngineClient(config)
        self._lock = threading.RLock()
        self._dirty: set[str] = set()
        self._last_seq = 0
        self._rolled_seen: tuple[str, ...] = ()
        self.rollover = Rollover.parse(config.rollover)
        self.retention = parse_retention(config.retention)
        try:
            self.client.handshake()
            self.replicas = config.replicas if config.replicas is not None else self._default_replicas()
            aliases = ensure_schema(
                self.client,
                config.index_prefix,
                version=schema_version,
                replicas=self.replicas,
                shards=config.shards,
                rollover=self.rollover,
                retention=self.retention,
            )
        except StorageError:
            self.client.close()
            raise
        self.articles_alias = aliases["articles"]
        self.stories_alias = aliases["stories"]
        self.signatures_alias = aliases["signatures"]
        self.bulk = BulkIndexer(
            self.client,
            chunk_docs=config.bulk_docs,
            chunk_bytes=config.bulk_bytes,
            threads=config.bulk_threads,
            max_retries=config.max_retries,
            backoff=config.retry_backoff,
        )

    def _default_replicas(self) -> int | None:
        """0 on a one-data-node cluster (a replica could never be allocated: the indices would stay yellow),
        else the cluster's own default."""
        return 0 if self.client.data_nodes() <= 1 else None

    def __repr__(self) -> str:
        return f"EngineStore({self.config.engine} at {self.client.where}, prefix={self.config.index_prefix!r})"

    # --- helpers -------------------------------------------------------------------------------------------
    def _wrote(self, alias: str) -> None:
        with self._lock:
            self._dirty.add(alias)

    def _fresh(self, alias: str) -> None:
        """Refresh ``alias`` if this store wrote to it since the last refresh (read-your-writes)."""
        with self._lock:
            if alias not in self._dirty:
                return
            self._dirty.discard(alias)
        try:
            self.client.refresh(alias)
        except StorageError:
            self._wrote(alias)
            raise

    def _next_seq(self) -> int:
        with self._lock:
            self._last_seq = max(self._last_seq + 1, time.time_ns() // 1000)
            return self._last_seq

    def _search(self, alias: str, body: dict[str, Any]) -> dict[str, Any]:
        self._fresh(alias)
        return self.client.search(alias, body)

    def _stored(self, ids: list[str], source: list[str] | bool = True) -> dict[str, dict[str, Any]]:
        """Stored articles by id: ``{id: {"_index", "_source", "_seq_no", "_primary_term"}}``, realtime.

        A get through an alias over several indices is refused, so every lookup names its index: a realtime
        ``mget`` on the write index, then (rolled generations only) the rest located by an ``ids`` search of
        the older, read-only generations (refreshed once whenever their set changes: a rollover may have left
        the last second of writes unsearchable) and fetched from there. Naming the index also keeps a lookup
        right when a rollover happens between the alias lookup and the ``mget``."""
        behind = self.client.get_alias(self.articles_alias)
        if not behind:  # the alias vanished under us: let the engine say so
            return {d["_id"]: d for d in self.client.mget(self.articles_alias, ids, source) if d.get("found")}
        write = write_index(behind)
        older = sorted(i for i in behind if i != write)
        docs = self.client.mget_docs([{"_index": write, "_id": i} for i in ids], source)
        found = {d["_id"]: d for d in docs if d.get("found")}
        missing = [i for i in ids if i not in found]
        if missing and older:
            self._fresh_generations(older)
            size = min(len(missing) * len(older), 10_000)
            body = {"query": {"ids": {"values": missing}}, "size": size, "_source": False}
            hits = self.client.search(",".join(older), body).get("hits", {}).get("hits", [])
            located = sorted(hits, key=lambda h: h["_index"], reverse=True)  # a duplicate from before: newest
            for doc in self.client.mget_docs([{"_index": h["_index"], "_id": h["_id"]} for h in located], source):
                if doc.get("found"):
                    found.setdefault(doc["_id"], doc)
        return found

    def _fresh_generations(self, older: list[str]) -> None:
        key = tuple(older)
        with self._lock:
            if key == self._rolled_seen:
                return
        self.client.refresh(",".join(older))
        with self._lock:
            self._rolled_seen = key

    def _raise_failures(self, what: str, report: BulkReport) -> None:
        if not report.failures:
            return
        shown = "; ".join(str(f) for f in report.failures[:10])
        more = f" (and {len(report.failures) - 10} more)" if len(report.failures) > 10 else ""
        raise StorageError(f"{self.name} refused {len(report.failures)} document(s) in {what}: {shown}{more}")

    # --- articles --------------------------------------------------------------------------------------------
    def upsert_articles(self, articles: Sequence[Article]) -> UpsertResult:
        for article in articles:
            if not article.get("id"):
                raise ValueError(f"article without an id: {str(article.get('url'))[:200]!r}")
        outcome: dict[str, UpsertResult] = {}
        todo = list(articles)
        for _ in range(_CONFLICT_ROUNDS):
            results, conflicts = self._upsert_once(todo)
            outcome.update(results)
            if not conflicts:
                break
            todo = [a for a in articles if a["id"] in conflicts]
        else:
            raise StorageError(f"{self.name}: {len(todo)} article(s) kept conflicting with concurrent writers")
        total = UpsertResult()
        for result in outcome.values():
            total = total + result
        return total

    def _upsert_once(self, articles: Sequence[Article]) -> tuple[dict[str, UpsertResult], set[str]]:
        ids = list(dict.fromkeys(a["id"] for a in articles))
        state: dict[str, dict[str, Any] | None] = {}
        versions: dict[str, tuple[int, int]] = {}
        homes: dict[str, str] = {}  # the index holding each stored article: its updates go there
        for start in range(0, len(ids), self.config.bulk_docs):
            chunk = ids[start : start + self.config.bulk_docs]
            for doc_id, doc in self._stored(chunk, _STATE_FIELDS).items():
                state[doc_id] = doc.get("_source") or {}
                versions[doc_id] = (doc["_seq_no"], doc["_primary_term"])
                homes[doc_id] = doc["_index"]
        counts: dict[str, list[int]] = {i: [0, 0, 0] for i in ids}
        pending: dict[str, tuple[str, dict[str, Any]]] = {}
        now = _now_ms()
        for article in articles:
            article_id = article["id"]
            values = normalize_article(article)
            stored = state.get(article_id)
            current = _article_view(stored) if stored is not None else None
            if current is None:
                label = self._label_of(values.get("story_id"))
                doc = self._document(values, seq=self._next_seq(), first_seen=now, now=now, story_label=label)
                state[article_id] = doc
                pending[article_id] = ("create", doc)
                counts[article_id][0] += 1
                continue
            merge_refetch(values, current)
            # unchanged: the stored fingerprint of the content fields stands for comparing each of them
            if _fingerprint(values) == current.get("fp") and same_values(values, current, STICKY_FIELDS):
                counts[article_id][2] += 1
                continue
            same_story = values.get("story_id") == current.get("story_id")
            doc = self._document(
                values,
                seq=current.get("seq") or self._next_seq(),
                first_seen=current.get("first_seen") or now,
                now=now,
                story_label=current.get("story_label") if same_story else self._label_of(values.get("story_id")),
            )
            state[article_id] = doc
            action = pending.get(article_id, ("index", doc))[0]
            pending[article_id] = (action, doc)
            counts[article_id][1] += 1
        ops = []
        for article_id, (action, doc) in pending.items():
            seq_no, term = versions.get(article_id, (None, None)) if action == "index" else (None, None)
            index = homes.get(article_id, self.articles_alias) if action == "index" else self.articles_alias
            ops.append(BulkOp(action, index, article_id, doc, seq_no, term))
        report = self.bulk.run(ops)
        if ops:
            self._wrote(self.articles_alias)
        self._raise_failures("upsert_articles", report)
        conflicts = set(report.conflicts)
        results = {i: UpsertResult(*c) for i, c in counts.items() if i not in conflicts}
        return results, conflicts

    @staticmethod
    def _document(
        values: dict[str, Any], *, seq: int, first_seen: int, now: int, story_label: str | None
    ) -> dict[str, Any]:
        doc = dict(values)
        doc.update(article_dates(values))  # *_at become UTC dates; the article's strings go to *_at_local
        published = values.get("published_utc")
        when = published if published is not None else values.get("discovered_utc")
        doc.update(
            {
                "seq": seq,
                "when_utc": when,
                "published": int(published * 1000) if published is not None and math.isfinite(published) else None,
                "first_seen": first_seen,
                "last_seen": now,
                "fp": _fingerprint(values),
                "story_label": story_label,
            }
        )
        return doc

    def get_article(self, article_id: str) -> Article | None:
        found = self.get_articles([article_id])
        return found[0] if found else None

    def get_articles(self, article_ids: Iterable[str]) -> list[Article]:
        ids = [i for i in article_ids if i]
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 1000):
            for doc_id, doc in self._stored(list(dict.fromkeys(ids[start : start + 1000]))).items():
                found[doc_id] = _decode(doc["_source"])
        return [found[i] for i in ids if i in found]

    def find_by_content_hash(self, content_hash: str) -> list[Article]:
        self._fresh(self.articles_alias)
        query = {"term": {"content_hash": content_hash}}
        return [
            _decode(hit["_source"])
            for page in scan_pages(self.client, self.articles_alias, query, [{"seq": "asc"}, {"id": "asc"}])
            for hit in page
        ]

    def count_articles(self, flt: ArticleFilter | None = None) -> int:
        self._fresh(self.articles_alias)
        return self.client.count(self.articles_alias, {"query": filtered(None, flt)})

    def iter_articles(self, flt: ArticleFilter | None = None) -> Iterator[Article]:
        self._fresh(self.articles_alias)
        for page in scan_pages(self.client, self.articles_alias, filtered(None, flt), ARTICLE_ORDER):
            for hit in page:
                yield _decode(hit["_source"])

    def search(
        self, query: str, flt: ArticleFilter | None = None, *, limit: int = 20, offset: int = 0, sort: str = "relevance"
    ) -> SearchPage:
        if sort not in SEARCH_SORTS:
            raise ValueError(f"sort must be one of {', '.join(SEARCH_SORTS)}")
        match = text_query(query)
        if match is None:
            return SearchPage(total=0)
        body = {
            "query": filtered(match, flt),
            "from": max(offset, 0),
            "size": max(limit, 0),
            "track_total_hits": True,
            "sort": [{"_score": "desc"}, {"seq": "asc"}],
            "highlight": highlight(),
        }
        if sort == "date":
            body["sort"] = [{"when_utc": {"order": "desc", "missing": "_last"}}, {"_score": "desc"}, {"seq": "asc"}]
            body["track_scores"] = True
        result = self._search(self.articles_alias, body)
        hits = [
            SearchHit(
                article=_decode(h["_source"]),
                score=float(h.get("_score") or (h["sort"][0] if sort != "date" else 0.0)),
                snippet=pick_snippet(h),
            )
            for h in result["hits"]["hits"]
        ]
        total = result["hits"]["total"]
        return SearchPage(total=int(total["value"]), hits=hits, total_relation=str(total.get("relation", "eq")))

    def candidates(
        self,
        terms: Sequence[str],
        *,
        since_utc: float | None,
        until_utc: float | None,
        exclude_id: str | None = None,
        limit: int = 50,
    ) -> list[Article]:
        query = candidates_query(terms, since_utc=since_utc, until_utc=until_utc, exclude_id=exclude_id)
        if query is None or limit <= 0:
            return []
        body = {"query": query, "size": limit, "track_total_hits": False, "sort": [{"_score": "desc"}, {"seq": "asc"}]}
        return [_decode(h["_source"]) for h in self._search(self.articles_alias, body)["hits"]["hits"]]

    def term_stats(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        self._fresh(self.articles_alias)
        total = self.client.count(self.articles_alias, {"query": {"match_all": {}}})
        # Like SQLite's FTS vocabulary: only single words are terms ('el salvador', "o'higgins" count 0 there).
        wanted = list(dict.fromkeys(t for t in terms if t and _SINGLE_WORD.fullmatch(t)))
        frequencies: dict[str, int] = {}
        for start in range(0, len(wanted), _TERMS_PER_REQUEST):
            chunk = wanted[start : start + _TERMS_PER_REQUEST]
            body = {"size": 0, "track_total_hits": False, "aggs": {"terms": term_filters(chunk)}}
            buckets = self.client.search(self.articles_alias, body)["aggregations"]["terms"]["buckets"]
            for key, bucket in buckets.items():
                if bucket["doc_count"]:
                    frequencies[chunk[int(key)]] = int(bucket["doc_count"])
        return total, frequencies

    # --- duplicates ------------------------------------------------------------------------------------------
    def resolve_duplicate_groups(self, groups: Iterable[str]) -> None:
        group_list = [g for g in dict.fromkeys(groups) if g]
        if not group_list:
            return
        self._fresh(self.articles_alias)
        order = [{"dup_group": "asc"}, *ARTICLE_ORDER[:2], {"seq": "asc"}, {"id": "asc"}]
        fields = ["id", "dup_group", "content_hash", "duplicate_of", "duplicate_kind", "similarity"]
        ops: list[BulkOp] = []
        for start in range(0, len(group_list), _GROUPS_PER_REQUEST):
            members: dict[str, list[dict[str, Any]]] = {}
            query = {"terms": {"dup_group": group_list[start : start + _GROUPS_PER_REQUEST]}}
            for page in scan_pages(self.client, self.articles_alias, query, order, source=fields):
                for hit in page:
                    members.setdefault(hit["_source"]["dup_group"], []).append(
                        {**hit["_source"], "_index": hit["_index"]}
                    )
            for group_members in members.values():
                ops.extend(self._group_updates(group_members))
        if not ops:
            return
        report = self.bulk.run(ops)
        self._wrote(self.articles_alias)
        self._raise_failures("resolve_duplicate_groups", report)

    def _group_updates(self, members: list[dict[str, Any]]) -> list[BulkOp]:
        """The SQLite rules: the earliest member is the original; copies point at it and carry the verdict."""
        original = members[0]
        kind, similarity = original.get("duplicate_kind") or "near", original.get("similarity")
        wanted: dict[str, dict[str, Any]] = {
            original["id"]: {"duplicate_of": None, "duplicate_kind": None, "similarity": None}
        }
        for member in members[1:]:
            same_text = member.get("content_hash") is not None and member.get("content_hash") == original.get(
                "content_hash"
            )
            wanted[member["id"]] = {
                "duplicate_of": original["id"],
                "duplicate_kind": "exact" if same_text else (member.get("duplicate_kind") or kind),
                "similarity": 1.0
                if same_text
                else (member.get("similarity") if member.get("similarity") is not None else similarity),
            }
        ops = []
        for member in members:
            target = wanted[member["id"]]
            if any(member.get(k) != v for k, v in target.items()):
                ops.append(BulkOp("update", member["_index"], member["id"], target))  # where it lives
        return ops

    def save_signatures(self, signatures: Sequence[tuple[str, bytes]]) -> None:
        """Upserts: a signature that did not change (every article of a ``crawl --full`` re-run) is a no-op
        on the server, not a new version of the document."""
        ops = [
            BulkOp(
                "update",
                self.signatures_alias,
                article_id,
                {"article_id": article_id, "minhash": base64.b64encode(bytes(data)).decode("ascii")},
                upsert=True,
            )
            for article_id, data in dict(signatures).items()
        ]
        if not ops:
            return
        report = self.bulk.run(ops)
        if report.noop < report.ok:
            self._wrote(self.signatures_alias)
        self._raise_failures("save_signatures", report)

    def iter_signatures(self) -> Iterator[tuple[str, bytes]]:
        self._fresh(self.signatures_alias)
        for page in scan_pages(self.client, self.signatures_alias, {"match_all": {}}, [{"article_id": "asc"}]):
            for hit in page:
                yield hit["_source"]["article_id"], base64.b64decode(hit["_source"]["minhash"])

    # --- stories ---------------------------------------------------------------------------------------------
    def assign_story(self, article_id: str, story_id: str) -> None:
        try:
            label = self._label_of(story_id)
        except StorageError:  # the assignment matters more than its label: a later relabel brings it
            label = None
        update = {"story_id": story_id, "story_label": label}
        if not self.client.update(self.articles_alias, article_id, update):  # not in the write index
            home = self._stored([article_id], ["id"]).get(article_id)  # an older generation holds it
            if home is not None:
                self.client.update(home["_index"], article_id, update)
        self._wrote(self.articles_alias)

    def _label_of(self, story_id: str | None) -> str | None:
        """The current label of ``story_id`` (a realtime get: no refresh needed)."""
        if not story_id:
            return None
        source = self._story_doc(story_id)
        return source.get("label") if source else None

    def save_story(self, story: Story) -> None:
        existing = self._story_doc(story["id"])
        doc: dict[str, Any] = dict(normalize_story(story))
        if existing:  # created_at is the founding time: an update of the summary keeps it
            doc["created_at"] = existing.get("created_at")
        doc.update(story_dates(doc))
        report = self.bulk.run([BulkOp("index", self.stories_alias, story["id"], doc)])
        self._wrote(self.stories_alias)
        self._raise_failures("save_story", report)
        if existing is not None and existing.get("label") != doc.get("label"):
            self._relabel(story["id"], doc.get("label"))

    def _relabel(self, story_id: str, label: str | None) -> None:
        """Give every article of ``story_id`` its new ``story_label`` (partial updates in bulk)."""
        self._fresh(self.articles_alias)
        query = {"term": {"story_id": story_id}}
        ops = [
            BulkOp("update", hit["_index"], hit["_id"], {"story_label": label})
            for page in scan_pages(self.client, self.articles_alias, query, [{"id": "asc"}], source=["story_label"])
            for hit in page
            if hit["_source"].get("story_label") != label
        ]
        if not ops:
            return
        report = self.bulk.run(ops)
        self._wrote(self.articles_alias)
        self._raise_failures("relabel story", report)

    def _story_doc(self, story_id: str) -> dict[str, Any] | None:
        docs = self.client.mget(self.stories_alias, [story_id])
        return docs[0]["_source"] if docs and docs[0].get("found") else None

    def get_story(self, story_id: str) -> Story | None:
        seen: set[str] = set()
        while story_id not in seen:
            seen.add(story_id)
            source = self._story_doc(story_id)
            if source is None:
                return None
            story = decode_story(source)
            if not story.get("merged_into"):
                return story
            story_id = story["merged_into"]
        return None

    def list_stories(self, *, min_articles: int = 1, limit: int = 100) -> list[Story]:
        body = {
            "query": {
                "bool": {
                    "filter": [{"range": {"article_count": {"gte": min_articles}}}],
                    "must_not": [{"exists": {"field": "merged_into"}}],
                }
            },
            "sort": [
                {"article_count": "desc"},
                {"first_published_utc": {"order": "asc", "missing": "_first"}},
                {"id": "asc"},
            ],
            "size": limit,
            "track_total_hits": False,
        }
        return [decode_story(h["_source"]) for h in self._search(self.stories_alias, body)["hits"]["hits"]]

    # --- lifecycle -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Refresh every alias, so searches see what other processes wrote (this store's own writes are
        refreshed on demand, see ``_fresh``)."""
        for alias in (self.articles_alias, self.stories_alias, self.signatures_alias):
            self._wrote(alias)
            self._fresh(alias)

    def describe(self) -> dict[str, Any]:
        """Where the data lives: engine, nodes, schema version, the index behind each alias."""
        indices = {
            alias: sorted(self.client.get_alias(alias))
            for alias in (self.articles_alias, self.stories_alias, self.signatures_alias)
        }
        return {
            "backend": self.name,
            "engine": self.name,
            "nodes": self.client.where,
            "schema_version": self.schema_version,
            "shards": self.config.shards,
            "replicas": "cluster default" if self.replicas is None else self.replicas,
            "rollover": str(self.rollover) if self.rollover else "off",
            "retention": self.retention or "forever",
            "indices": indices,
        }

    def drop(self) -> None:
        """Delete this prefix's indices (every version) and templates: all stored data is gone. For tests."""
        drop_prefix(self.client, self.config.index_prefix)

    def close(self) -> None:
        self.client.close()
