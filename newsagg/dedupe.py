"""Duplicate detection: same URL, same text, near-duplicate (MinHash LSH). Links, never drops.

Decisions are recorded as a ``dup_group`` per article (the group of verbatim / near-verbatim copies) plus
the similarity to the member it matched; which member is the *original* is decided by the store
(`resolve_duplicate_groups`: the earliest-published member), so crawl order cannot make a copy look like
the original.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsagg.storage.base import ArticleStore
from newsagg.text import word_shingles

DEFAULT_THRESHOLD = 0.5
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


def minhash_of(text: str, num_perm: int = DEFAULT_NUM_PERM) -> MinHash:
    signature = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME)
    signature.update_batch([s.encode("utf-8") for s in word_shingles(text)])
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    return signature.hashvalues.astype(np.uint32).tobytes()


def signature_from_bytes(data: bytes, num_perm: int = DEFAULT_NUM_PERM) -> MinHash:
    return MinHash(num_perm=num_perm, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype=np.uint32).copy())


class DuplicateDetector:
    """Finds the dup group of a new article against everything stored plus what is still in flight."""

    def __init__(
        self,
        store: ArticleStore,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        recent_cache: int = 50_000,
    ) -> None:
        self.store = store
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, MinHash] = {}
        # id -> dup_group for articles not yet (or recently) written; bounded so memory stays flat.
        self._recent_groups: OrderedDict[str, str] = OrderedDict()
        self._recent_hashes: OrderedDict[str, str] = OrderedDict()
        self._recent_cache = recent_cache
        for article_id, data in store.iter_signatures():
            self._insert(article_id, signature_from_bytes(data, num_perm))

    def _insert(self, article_id: str, signature: MinHash) -> None:
        if article_id in self._signatures:
            self._lsh.remove(article_id)
        self._signatures[article_id] = signature
        self._lsh.insert(article_id, signature)

    def _remember(self, cache: OrderedDict[str, str], key: str, value: str) -> None:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > self._recent_cache:
            cache.popitem(last=False)

    def _group_of(self, article_id: str) -> str:
        if article_id in self._recent_groups:
            return self._recent_groups[article_id]
        stored = self.store.get_article(article_id)
        return (stored or {}).get("dup_group") or article_id

    def check(self, article_id: str, text: str, text_hash: str) -> tuple[DuplicateVerdict, MinHash | None]:
        """Classify one article; returns the verdict and the signature to persist (None for short texts)."""
        verdict = self._exact(article_id, text_hash)
        signature: MinHash | None = None
        if len(text.split()) >= MIN_WORDS_FOR_NEAR:
            signature = minhash_of(text, self.num_perm)
            if verdict is None:
                verdict = self._near(article_id, signature)
            self._insert(article_id, signature)
        if verdict is None:
            verdict = DuplicateVerdict(self._recent_groups.get(article_id, article_id), None, None, None)
        self._remember(self._recent_groups, article_id, verdict.dup_group)
        self._remember(self._recent_hashes, text_hash, article_id)
        return verdict, signature

    def _exact(self, article_id: str, text_hash: str) -> DuplicateVerdict | None:
        other = self._recent_hashes.get(text_hash)
        if other is None or other == article_id:
            stored = [a for a in self.store.find_by_content_hash(text_hash) if a["id"] != article_id]
            other = stored[0]["id"] if stored else None
        if other is None or other == article_id:
            return None
        return DuplicateVerdict(self._group_of(other), "exact", 1.0, other)

    def _near(self, article_id: str, signature: MinHash) -> DuplicateVerdict | None:
        best_id, best_similarity = None, 0.0
        for other in self._lsh.query(signature):
            if other == article_id:
                continue
            similarity = signature.jaccard(self._signatures[other])
            if similarity > best_similarity or (similarity == best_similarity and best_id and other < best_id):
                best_id, best_similarity = other, similarity
        if best_id is None or best_similarity < self.threshold:
            return None
        kind = "near-verbatim" if best_similarity >= VERBATIM_SIMILARITY else "near"
        return DuplicateVerdict(self._group_of(best_id), kind, round(best_similarity, 4), best_id)
