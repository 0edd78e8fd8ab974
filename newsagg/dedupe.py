"""Duplicate detection: same URL, same text, near-duplicate (MinHash LSH). Links, never drops.

Decisions are recorded as a ``dup_group`` per article (the group of verbatim / near-verbatim copies) plus
the similarity to the member it matched; which member is the *original* is decided by the store
(`resolve_duplicate_groups`: the earliest-published member), so crawl order cannot make a copy look like
the original.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import sha1 as _sha1

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH
from datasketch.lsh import _optimal_param

from newsagg.settings_schema import default_of
from newsagg.storage.base import ArticleStore, StorageError
from newsagg.text import word_shingles

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = default_of("NEWSAGG_DEDUPE_THRESHOLD")
DEFAULT_NUM_PERM = 128
#: Below this many words a text is too short for a meaningful near-duplicate verdict.
MIN_WORDS_FOR_NEAR = 40
VERBATIM_SIMILARITY = 0.9


@dataclass(frozen=True, slots=True)
class DuplicateVerdict:
    dup_group: str
    kind: str | None  # None (original), "exact", "near-verbatim", "near"
    similarity: float | None
    matched_id: str | None


#: datasketch's 32-bit affine permutations: half the bytes of the 64-bit schemes, same accuracy at our sizes.
SCHEME = "affine32"


#: Permutations are the costly part of a new MinHash (≈ 1 ms); they depend only on (num_perm, seed, scheme).
_PERMUTATIONS: dict[int, object] = {}


def shingle_hashes(shingles: Iterable[str]) -> list[int]:
    """datasketch's default 32-bit hash of each shingle (``sha1_hash32``: the first 4 bytes of its SHA-1,
    little-endian), computed in one pass: the digests are joined and read back by numpy instead of being
    unpacked one Python call at a time. Stored signatures depend on these values bit for bit."""
    digests = b"".join([_sha1(s.encode("utf-8")).digest() for s in shingles])
    return np.frombuffer(digests, dtype="<u4")[::5].tolist()  # a SHA-1 digest is 5 32-bit words


def _identity(value: int) -> int:
    return value


def minhash_of(text: str, num_perm: int = DEFAULT_NUM_PERM) -> MinHash:
    permutations = _PERMUTATIONS.get(num_perm)
    signature = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME, permutations=permutations, hashfunc=_identity)
    _PERMUTATIONS.setdefault(num_perm, signature.permutations)
    signature.update_batch(shingle_hashes(word_shingles(text)))
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype(np.uint32).tobytes()


def signature_from_bytes(data: bytes, num_perm: int = DEFAULT_NUM_PERM) -> MinHash:
    return MinHash(num_perm=num_perm, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint32).copy())


def signature_for(text: str | None, num_perm: int = DEFAULT_NUM_PERM) -> bytes | None:
    """The signature to persist for ``text`` (None when too short for a near-duplicate verdict).

    Pure and picklable, so the extraction workers compute it next to the text they extract and the crawl
    process only compares (MinHash of a 1,000-word article costs ≈ 7 ms of SHA-1 calls).
    """
    if not text or len(text.split()) < MIN_WORDS_FOR_NEAR:
        return None
    return signature_bytes(minhash_of(text, num_perm))


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)


_MIX = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: folds a band's r values into one 64-bit key


class RecentSignatures:
    """The ``window`` most recent signatures, banded for LSH lookup, in fixed-size numpy arrays.

    A ring buffer: row ``i`` holds one article's 128 values (512 bytes) and its 25 band keys (200 bytes);
    the oldest row is overwritten when the window is full. A query compares the article's band keys with
    every row's (vectorized: ≈ 1 ms for 50,000 rows) and returns the rows sharing a band, the classic LSH
    candidates with datasketch's band layout for the threshold. datasketch's in-memory MinHashLSH took
    9.5 KB per article in Python objects and grew with every article; this takes ≈ 0.8 KB, capped.
    """

    def __init__(self, window: int, num_perm: int, threshold: float) -> None:
        self.window = max(1, window)
        self.b, self.r = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self.values = np.zeros((self.window, num_perm), dtype=np.uint32)
        self.bands = np.zeros((self.window, self.b), dtype=np.uint64)
        self.ids: list[str | None] = [None] * self.window
        self.slot_of: dict[str, int] = {}
        self.next = 0
        self.used = 0

    def __len__(self) -> int:
        return len(self.slot_of)

    def band_keys(self, values: np.ndarray) -> np.ndarray:
        rows = values[: self.b * self.r].reshape(self.b, self.r).astype(np.uint64)
        keys = rows[:, 0].copy()
        with np.errstate(over="ignore"):
            for j in range(1, self.r):
                keys = (keys ^ rows[:, j]) * _MIX
        return keys

    def add(self, article_id: str, values: np.ndarray) -> None:
        slot = self.slot_of.get(article_id)
        if slot is None:
            slot = self.next
            self.next = (self.next + 1) % self.window
            self.used = min(self.used + 1, self.window)
            evicted = self.ids[slot]
            if evicted is not None:
                del self.slot_of[evicted]
        self.values[slot] = values
        self.bands[slot] = self.band_keys(values)
        self.ids[slot] = article_id
        self.slot_of[article_id] = slot

    def candidates(self, values: np.ndarray) -> dict[str, np.ndarray]:
        if not self.used:
            return {}
        hits = np.nonzero((self.bands[: self.used] == self.band_keys(values)).any(axis=1))[0]
        return {self.ids[i]: self.values[i] for i in hits if self.ids[i] is not None}  # type: ignore[misc]


class SharedDupeState:
    """This run's dedupe state in Redis, shared by every process of a distributed crawl.

    An LSH index (datasketch's Redis storage) plus hashes id → signature, id → dup group, content hash → id,
    all under ``<prefix>:dedupe:`` so they disappear with the run's other keys when its last process
    closes. Articles of earlier runs are found through each process's own index, loaded from the store.
    """

    def __init__(self, redis_url: str, prefix: str, *, threshold: float, num_perm: int) -> None:
        import redis

        self.server = redis.Redis.from_url(redis_url)
        self.key = f"{prefix}:dedupe"
        kwargs = self.server.connection_pool.connection_kwargs
        config = {k: kwargs[k] for k in ("host", "port", "db", "password", "path") if kwargs.get(k) is not None}
        self.lsh = MinHashLSH(
            threshold=threshold,
            num_perm=num_perm,
            storage_config={"type": "redis", "basename": f"{self.key}:lsh".encode(), "redis": config},
        )

    def add(self, article_id: str, values: np.ndarray, group: str, text_hash: str) -> None:
        self.server.hset(f"{self.key}:sig", article_id, values.tobytes())
        self.server.hset(f"{self.key}:group", article_id, group)
        self.server.hsetnx(f"{self.key}:hash", text_hash, article_id)
        if article_id not in self.lsh:
            self.lsh.insert(article_id, _lean(values))

    def add_group(self, article_id: str, group: str, text_hash: str) -> None:
        self.server.hset(f"{self.key}:group", article_id, group)
        self.server.hsetnx(f"{self.key}:hash", text_hash, article_id)

    def candidates(self, values: np.ndarray) -> dict[str, np.ndarray]:
        keys = [k.decode() if isinstance(k, bytes) else k for k in self.lsh.query(_lean(values))]
        if not keys:
            return {}
        blobs = self.server.hmget(f"{self.key}:sig", keys)
        return {k: np.frombuffer(b, dtype=np.uint32) for k, b in zip(keys, blobs, strict=True) if b}

    def group_of(self, article_id: str) -> str | None:
        value = self.server.hget(f"{self.key}:group", article_id)
        return value.decode() if value else None

    def id_of_hash(self, text_hash: str) -> str | None:
        value = self.server.hget(f"{self.key}:hash", text_hash)
        return value.decode() if value else None


class DuplicateDetector:
    """Finds the dup group of a new article against recent signatures plus what is still in flight.

    Memory is bounded: the LSH index and the signatures it compares hold the ``window`` most recent
    articles (default 50,000, ``NEWSAGG_DEDUPE_WINDOW``, ≈ 40 MB at most, see :class:`RecentSignatures`);
    older ones are evicted first-in first-out.
    Copies of a story are published within days of each other, so a window of recent articles finds them;
    exact copies are still found at any age through the store's content-hash index.
    """

    def __init__(
        self,
        store: ArticleStore,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        recent_cache: int = 10_000,
        window: int = 50_000,
        shared: SharedDupeState | None = None,
    ) -> None:
        self.store = store
        self.shared = shared
        self.threshold = threshold
        self.num_perm = num_perm
        self._recent = RecentSignatures(window, num_perm, threshold)
        # id -> dup_group for articles not yet (or recently) written; bounded so memory stays flat.
        self._recent_groups: OrderedDict[str, str] = OrderedDict()
        self._recent_hashes: OrderedDict[str, str] = OrderedDict()
        self._recent_cache = recent_cache
        try:
            for article_id, data in store.iter_signatures():
                self._insert(article_id, np.frombuffer(data, dtype=np.uint32))
        except StorageError as exc:
            # Copies of this crawl's own articles are still found; copies of earlier runs' articles are
            # found by exact content hash once the store answers, near copies of them are missed this run.
            logger.warning("earlier signatures not loaded (store unavailable): %s", exc)

    def _insert(self, article_id: str, values: np.ndarray) -> None:
        if len(values) != self.num_perm:
            return  # a signature made with another num_perm cannot be compared
        self._recent.add(article_id, values)

    def _remember(self, cache: OrderedDict[str, str], key: str, value: str) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > self._recent_cache:
            cache.popitem(last=False)

    def _group_of(self, article_id: str) -> str:
        if article_id in self._recent_groups:
            return self._recent_groups[article_id]
        if self.shared is not None:
            group = self.shared.group_of(article_id)
            if group:
                return group
        try:
            stored = self.store.get_article(article_id)
        except StorageError:  # store down: the article is still stored later (spool); judge from memory
            stored = None
        return (stored or {}).get("dup_group") or article_id

    def check(
        self, article_id: str, text: str, text_hash: str, signature: bytes | None = None
    ) -> tuple[DuplicateVerdict, MinHash | None]:
        """Classify one article; returns the verdict and the signature to persist (None for short texts).

        ``signature``: the text's :func:`signature_for`, if already computed (by an extraction worker).
        """
        verdict = self._exact(article_id, text_hash)
        minhash: MinHash | None = None
        if signature is None or len(signature) != 4 * self.num_perm:
            signature = signature_for(text, self.num_perm)
        if signature is not None:
            values = np.frombuffer(signature, dtype=np.uint32)
            minhash = _lean(values)
            if verdict is None:
                verdict = self._near(article_id, values)
            self._insert(article_id, values)
        if verdict is None:
            verdict = DuplicateVerdict(self._recent_groups.get(article_id, article_id), None, None, None)
        self._remember(self._recent_groups, article_id, verdict.dup_group)
        self._remember(self._recent_hashes, text_hash, article_id)
        if self.shared is not None:
            if signature is not None:
                self.shared.add(article_id, np.frombuffer(signature, dtype=np.uint32), verdict.dup_group, text_hash)
            else:
                self.shared.add_group(article_id, verdict.dup_group, text_hash)
        return verdict, minhash

    def _exact(self, article_id: str, text_hash: str) -> DuplicateVerdict | None:
        other = self._recent_hashes.get(text_hash)
        if (other is None or other == article_id) and self.shared is not None:
            other = self.shared.id_of_hash(text_hash)
        if other is None or other == article_id:
            try:
                stored = [a for a in self.store.find_by_content_hash(text_hash) if a["id"] != article_id]
            except StorageError:  # store down: judge from this crawl's memory, never drop the article
                stored = []
            other = stored[0]["id"] if stored else None
        if other is None or other == article_id:
            return None
        return DuplicateVerdict(self._group_of(other), "exact", 1.0, other)

    def _near(self, article_id: str, values: np.ndarray) -> DuplicateVerdict | None:
        best_id, best_similarity = None, 0.0
        candidates = self._recent.candidates(values)
        if self.shared is not None:
            candidates.update(self.shared.candidates(values))
        for other, their_values in sorted(candidates.items()):
            if other == article_id:
                continue
            similarity = float(np.count_nonzero(values == their_values)) / self.num_perm
            if similarity > best_similarity or (similarity == best_similarity and best_id and other < best_id):
                best_id, best_similarity = other, similarity
        if best_id is None or best_similarity < self.threshold:
            return None
        kind = "near-verbatim" if best_similarity >= VERBATIM_SIMILARITY else "near"
        return DuplicateVerdict(self._group_of(best_id), kind, round(best_similarity, 4), best_id)
