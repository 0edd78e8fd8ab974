"""Duplicate detection: same URL, same text, near-duplicate (MinHash LSH). Links, never drops.

Decisions are recorded as a ``dup_group`` per article (the group of verbatim / near-verbatim copies) plus
the similarity to the member it matched; which member is the *original* is decided by the store
(`resolve_duplicate_groups`: the earliest-published member), so crawl order cannot make a copy look like
the original.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from hashlib import sha1 as _sha1
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from newsagg.settings_schema import default_of
from newsagg.storage.base import ArticleStore, StorageError
from newsagg.text import shingles_of_tokens, tokens

if TYPE_CHECKING:
    from datasketch import LeanMinHash

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
#: Signatures are computed here (:func:`minhash_of`) bit for bit as datasketch 2.0.0's ``MinHash(seed=1,
#: scheme="affine32")`` computes them, without importing datasketch: it imports scipy (≈ 30 MB per process)
#: for its LSH parameter search, and every extraction worker and the crawl process import this module.
SCHEME = "affine32"
SEED = 1
_MAX_HASH = np.uint32(0xFFFFFFFF)  # an empty signature's values (datasketch's "no value yet")
#: Shingles hashed per numpy block: the block's (rows x num_perm) uint32 matrix stays ≈ 1 MB however long the
#: text (datasketch builds it for the whole text at once: 50 MB for a 100,000-word page).
_BLOCK = 2048

#: (a, b) of the affine permutations, per num_perm; they depend only on (num_perm, seed).
_PERMUTATIONS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def shingle_hashes(shingles: Iterable[str]) -> np.ndarray:
    """datasketch's default 32-bit hash of each shingle (``sha1_hash32``: the first 4 bytes of its SHA-1,
    little-endian), computed in one pass: the digests are joined and read back by numpy instead of being
    unpacked one Python call at a time. Stored signatures depend on these values bit for bit."""
    digests = b"".join([_sha1(s.encode("utf-8")).digest() for s in shingles])
    return np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)  # a SHA-1 digest is 5 32-bit words


def permutations(num_perm: int = DEFAULT_NUM_PERM) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations ``h -> a*h + b mod 2**32`` datasketch draws for ``seed=1``: from the legacy
    ``RandomState(seed)``, ``num_perm`` values of ``a`` in ``[0, 2**31)`` made odd (``2a + 1``: a bijection), then
    ``num_perm`` values of ``b`` in ``[0, 2**32)``. Imported lazily: ``numpy.random`` is only needed once."""
    cached = _PERMUTATIONS.get(num_perm)
    if cached is None:
        from numpy.random import RandomState

        gen = RandomState(SEED)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        cached = _PERMUTATIONS.setdefault(num_perm, (a, b))
    return cached


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, which datasketch applies to every input hash before the permutations
    (uint32 arithmetic: the wraparound is the intended modulo 2**32)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: np.ndarray = values ^ (values >> np.uint32(16))
    return mixed


class Signature:
    """A text's MinHash signature: ``num_perm`` uint32 values, the minimum of each permutation over the text's
    shingle hashes. What datasketch's ``MinHash`` was used for here (values, Jaccard estimate, bytes), without
    its permutation arrays and hash function carried in every object."""

    __slots__ = ("hashvalues",)

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = hashvalues

    def __len__(self) -> int:
        return len(self.hashvalues)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Signature) and np.array_equal(self.hashvalues, other.hashvalues)

    __hash__ = None  # type: ignore[assignment]  # mutable values: not hashable, like datasketch's MinHash

    def __repr__(self) -> str:
        return f"Signature(num_perm={len(self)})"

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity: the share of permutations whose minima agree."""
        if len(self) != len(other):
            raise ValueError("signatures of different num_perm cannot be compared")
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / len(self)

    def to_bytes(self) -> bytes:
        """The stored form (:func:`signature_bytes`)."""
        return signature_bytes(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(np.frombuffer(data, dtype=np.uint32).copy())


def minhash_of(text: str, num_perm: int = DEFAULT_NUM_PERM) -> Signature:
    """The MinHash of ``text``'s word shingles, equal bit for bit to datasketch's ``MinHash(num_perm, seed=1,
    scheme="affine32")`` updated with each shingle's UTF-8 bytes (its default SHA-1 hash). Stored signatures of
    earlier crawls were made that way, and new ones are compared with them."""
    return minhash_of_tokens(tokens(text), num_perm)


def minhash_of_tokens(words: list[str], num_perm: int = DEFAULT_NUM_PERM) -> Signature:
    """:func:`minhash_of` the text whose :func:`newsagg.text.tokens` are ``words``."""
    a, b = permutations(num_perm)
    values = np.full(num_perm, _MAX_HASH, dtype=np.uint32)
    hashes = shingle_hashes(shingles_of_tokens(words))
    for start in range(0, len(hashes), _BLOCK):
        mixed = _fmix32(hashes[start : start + _BLOCK]).reshape(-1, 1)
        np.minimum(values, (mixed * a + b).min(axis=0), out=values)
    return Signature(values)


class HasHashValues(Protocol):
    """A :class:`Signature`, or a datasketch ``MinHash``/``LeanMinHash`` (the same values and stored bytes)."""

    @property
    def hashvalues(self) -> np.ndarray: ...


def signature_bytes(signature: HasHashValues) -> bytes:
    """The stored form of a signature: its values as native uint32, 4 bytes each."""
    return signature.hashvalues.astype(np.uint32).tobytes()


def signature_from_bytes(data: bytes, num_perm: int = DEFAULT_NUM_PERM) -> Signature:
    """A stored signature read back; a ValueError if it was made with another ``num_perm`` (its values could not
    be compared position by position)."""
    signature = Signature.from_bytes(data)
    if len(signature) != num_perm:
        raise ValueError(f"a signature of {len(signature)} values, expected {num_perm}")
    return signature


def signature_for(text: str | None, num_perm: int = DEFAULT_NUM_PERM) -> bytes | None:
    """The signature to persist for ``text`` (None when too short for a near-duplicate verdict).

    Pure and picklable, so the extraction workers compute it next to the text they extract and the crawl
    process only compares (MinHash of a 1,000-word article costs ≈ 7 ms of SHA-1 calls).
    """
    return signature_of_tokens(text or "", tokens(text), num_perm)


def signature_of_tokens(text: str, words: list[str], num_perm: int = DEFAULT_NUM_PERM) -> bytes | None:
    """:func:`signature_for` ``text``, whose :func:`newsagg.text.tokens` are ``words`` (computed once by a caller
    that needs them for the content hash too)."""
    if not text or len(text.split()) < MIN_WORDS_FOR_NEAR:
        return None
    return signature_bytes(minhash_of_tokens(words, num_perm))


def _legendre_nodes(points: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1]: Newton's iteration on the Legendre polynomial of degree
    ``points`` (its three-term recurrence), from the usual cosine guesses; elementwise numpy only."""
    nodes = np.cos(np.pi * (np.arange(1, points + 1) - 0.25) / (points + 0.5))
    for _ in range(100):
        previous, current = np.ones_like(nodes), nodes.copy()
        for degree in range(2, points + 1):
            previous, current = current, ((2 * degree - 1) * nodes * current - (degree - 1) * previous) / degree
        derivative = points * (nodes * current - previous) / (nodes * nodes - 1.0)
        step = current / derivative
        nodes = nodes - step
        if np.max(np.abs(step)) < 1e-15:
            break
    return nodes, 2.0 / ((1.0 - nodes * nodes) * derivative * derivative)


def _integrals(lower: float, upper: float, f: Callable[[np.ndarray], np.ndarray], points: int) -> np.ndarray:
    """The integral over [lower, upper] of ``f`` (vectorised over its leading axes, the nodes on the last)."""
    nodes, weights = _legendre_nodes(points)
    half = (upper - lower) / 2.0
    integral: np.ndarray = f(half * nodes + (lower + upper) / 2.0) @ weights * half
    return integral


def optimal_bands(
    threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5
) -> tuple[int, int]:
    """The LSH bands ``(b, r)`` minimising the weighted false-positive and false-negative areas for
    ``threshold``: datasketch's ``MinHashLSH`` parameter search (``datasketch.lsh._optimal_param``), the same grid
    and the same order (the first minimum wins), without scipy, which datasketch imports only for ``quad``.

    The probability that two signatures of similarity ``s`` share a band, ``1 - (1 - s**r)**b``, is a
    polynomial of degree ``b*r <= num_perm``, so a Gauss-Legendre rule of ``num_perm // 2 + 1`` nodes integrates
    it exactly (up to rounding, like scipy's adaptive ``quad``); all the ``(b, r)`` pairs are integrated at once.
    """
    pairs = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.float64)
    b, r = pairs[:, 0:1], pairs[:, 1:2]
    points = num_perm // 2 + 1

    def shared(s: np.ndarray) -> np.ndarray:
        result: np.ndarray = 1.0 - (1.0 - s**r) ** b
        return result

    false_positive = _integrals(0.0, threshold, shared, points)
    false_negative = _integrals(threshold, 1.0, lambda s: 1.0 - shared(s), points)
    error = false_positive * false_positive_weight + false_negative * false_negative_weight
    best = int(np.argmin(error))
    return int(pairs[best, 0]), int(pairs[best, 1])


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
        self.b, self.r = optimal_bands(threshold, num_perm)
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
        from datasketch import LeanMinHash, MinHashLSH  # only a distributed crawl needs it (and its scipy)

        self._lean_class = LeanMinHash

        self.server = redis.Redis.from_url(redis_url)
        self.key = f"{prefix}:dedupe"
        kwargs = self.server.connection_pool.connection_kwargs
        config = {k: kwargs[k] for k in ("host", "port", "db", "password", "path") if kwargs.get(k) is not None}
        self.lsh = MinHashLSH(
            threshold=threshold,
            num_perm=num_perm,
            storage_config={"type": "redis", "basename": f"{self.key}:lsh".encode(), "redis": config},
        )

    #: How long a process may hold the run's dedupe lock (one article's check: milliseconds); a process killed
    #: while holding it blocks the others no longer than this.
    LOCK_SECONDS = 10

    def serialized(self) -> AbstractContextManager[Any]:
        """The run's dedupe lock: one article's check (look up, then add) at a time across the processes.
        Without it two copies checked at the same moment by two processes each miss the other (neither is
        in the index yet) and stay in separate groups."""
        lock: AbstractContextManager[Any] = self.server.lock(f"{self.key}:lock", timeout=self.LOCK_SECONDS)
        return lock

    def _lean(self, values: np.ndarray) -> LeanMinHash:
        return self._lean_class(seed=SEED, hashvalues=values, scheme=SCHEME)

    def add(self, article_id: str, values: np.ndarray, group: str, text_hash: str) -> None:
        self.server.hset(f"{self.key}:sig", article_id, values.tobytes())
        self.server.hset(f"{self.key}:group", article_id, group)
        self.server.hsetnx(f"{self.key}:hash", text_hash, article_id)
        if article_id not in self.lsh:
            self.lsh.insert(article_id, self._lean(values))

    def add_group(self, article_id: str, group: str, text_hash: str) -> None:
        self.server.hset(f"{self.key}:group", article_id, group)
        self.server.hsetnx(f"{self.key}:hash", text_hash, article_id)

    def candidates(self, values: np.ndarray) -> dict[str, np.ndarray]:
        keys = [k.decode() if isinstance(k, bytes) else k for k in self.lsh.query(self._lean(values))]
        if not keys:
            return {}
        blobs = self.server.hmget(f"{self.key}:sig", keys)
        return {k: np.frombuffer(_as_bytes(b), dtype=np.uint32) for k, b in zip(keys, blobs, strict=True) if b}

    def group_of(self, article_id: str) -> str | None:
        value = self.server.hget(f"{self.key}:group", article_id)
        return _as_bytes(value).decode() if value else None

    def id_of_hash(self, text_hash: str) -> str | None:
        value = self.server.hget(f"{self.key}:hash", text_hash)
        return _as_bytes(value).decode() if value else None


def _as_bytes(value: bytes | str) -> bytes:
    """A Redis answer as bytes: the client is created without ``decode_responses`` (signatures are binary), but
    redis-py types its answers ``bytes | str``."""
    return value.encode() if isinstance(value, str) else value


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
    ) -> tuple[DuplicateVerdict, Signature | None]:
        """Classify one article; returns the verdict and the signature to persist (None for short texts).

        ``signature``: the text's :func:`signature_for`, if already computed (by an extraction worker).
        """
        if self.shared is None:
            return self._check(article_id, text, text_hash, signature)
        with self.shared.serialized():
            return self._check(article_id, text, text_hash, signature)

    def _check(
        self, article_id: str, text: str, text_hash: str, signature: bytes | None
    ) -> tuple[DuplicateVerdict, Signature | None]:
        verdict = self._exact(article_id, text_hash)
        minhash: Signature | None = None
        if signature is None or len(signature) != 4 * self.num_perm:
            signature = signature_for(text, self.num_perm)
        if signature is not None:
            values = np.frombuffer(signature, dtype=np.uint32)
            minhash = Signature(values)
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
