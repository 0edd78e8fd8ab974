"""newsagg's own MinHash (:func:`newsagg.dedupe.minhash_of`) and LSH band search (:func:`optimal_bands`) against
datasketch's: stored signatures and verdicts must not change, and ``newsagg.dedupe`` must not load datasketch
(and its scipy) in every process that dedupes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from newsagg.dedupe import (
    DEFAULT_THRESHOLD,
    SCHEME,
    DuplicateDetector,
    DuplicateVerdict,
    SharedDupeState,
    Signature,
    minhash_of,
    optimal_bands,
    signature_bytes,
    signature_for,
    signature_from_bytes,
)
from newsagg.storage.sqlite import SQLiteStore
from newsagg.text import content_hash, word_shingles
from tests.test_dedupe import EDITED, OTHER, WIRE

ROOT = Path(__file__).resolve().parent.parent


def datasketch_minhash(text: str, num_perm: int = 128) -> MinHash:
    """What stored signatures were made with: datasketch 2.0.0, seed 1, affine32, its default SHA-1 hash."""
    signature = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME)
    signature.update_batch([s.encode("utf-8") for s in word_shingles(text)])
    return signature


def long_text(words: int) -> str:
    """A text of ``words`` words drawn from a 3,000-word vocabulary with accents: more shingles than one
    numpy block of :func:`minhash_of`, so blocks must combine exactly."""
    rng = np.random.default_rng(words)
    vocabulary = [f"palabra{i}" for i in range(3000)] + ["Perú", "número", "año", "ça", "İstanbul"]
    return " ".join(rng.choice(vocabulary, words))


@pytest.mark.parametrize(
    "text", [WIRE, EDITED, OTHER, long_text(2052), long_text(9000), "una dos tres"], ids=lambda t: str(len(t))
)
def test_signatures_are_bit_for_bit_datasketchs(text: str) -> None:
    ours, theirs = minhash_of(text), datasketch_minhash(text)
    assert ours.hashvalues.dtype == np.uint32
    assert np.array_equal(ours.hashvalues, theirs.hashvalues)
    assert signature_bytes(ours) == theirs.hashvalues.astype(np.uint32).tobytes()


def test_other_signature_sizes_are_datasketchs_too() -> None:
    for num_perm in (16, 64, 256):
        assert np.array_equal(minhash_of(WIRE, num_perm).hashvalues, datasketch_minhash(WIRE, num_perm).hashvalues)


def test_signature_bytes_round_trip_and_jaccard_is_datasketchs() -> None:
    wire, edited = minhash_of(WIRE), minhash_of(EDITED)
    stored = signature_for(WIRE)
    assert stored is not None and len(stored) == 4 * 128
    assert signature_from_bytes(stored) == wire == Signature.from_bytes(wire.to_bytes())
    assert wire.jaccard(edited) == datasketch_minhash(WIRE).jaccard(datasketch_minhash(EDITED))
    assert 0.5 < wire.jaccard(edited) < 1.0
    with pytest.raises(ValueError):
        signature_from_bytes(stored[:64])


@pytest.mark.parametrize("threshold", [DEFAULT_THRESHOLD, 0.1, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
def test_bands_are_datasketchs(threshold: float) -> None:
    assert optimal_bands(threshold, 128) == _optimal_param(threshold, 128, 0.5, 0.5)


def test_bands_for_other_sizes_and_weights_are_datasketchs() -> None:
    assert optimal_bands(0.5, 64) == _optimal_param(0.5, 64, 0.5, 0.5)
    assert optimal_bands(0.5, 128, 0.3, 0.7) == _optimal_param(0.5, 128, 0.3, 0.7)


def test_importing_dedupe_loads_neither_datasketch_nor_scipy() -> None:
    """Every extraction worker and the crawl process import newsagg.dedupe: datasketch imports scipy (tens of MB
    a process) for its LSH parameter search, which :func:`optimal_bands` replaces."""
    probe = (
        "import json, sys\n"
        "import newsagg.dedupe as d\n"
        "d.signature_for(' '.join(['palabra%d' % i for i in range(60)]))\n"
        "d.RecentSignatures(10, 128, 0.5)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('datasketch', 'scipy'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


@pytest.mark.redis
def test_the_shared_state_of_a_distributed_crawl_finds_near_copies(tmp_path: Path, redis_url: str) -> None:
    """The Redis-backed LSH (the one place datasketch is still imported) indexes our signatures as datasketch's."""
    stores = [SQLiteStore(tmp_path / f"{name}.sqlite") for name in ("a", "b")]
    shared = [SharedDupeState(redis_url, "test-shared", threshold=DEFAULT_THRESHOLD, num_perm=128) for _ in stores]
    detectors = [DuplicateDetector(store, shared=state) for store, state in zip(stores, shared, strict=True)]
    first, _ = detectors[0].check("wire", WIRE, content_hash(WIRE))
    verdict, signature = detectors[1].check("edited", EDITED, content_hash(EDITED))
    assert first.kind is None
    assert verdict.matched_id == "wire" and verdict.kind in ("near", "near-verbatim")
    assert signature == minhash_of(EDITED)
    for store, state in zip(stores, shared, strict=True):
        store.close()
        state.server.close()  # not left to the collector, which may run it inside another test


@pytest.mark.redis
def test_processes_check_their_articles_one_at_a_time(tmp_path: Path, redis_url: str) -> None:
    """A check (look up, then add) holds the run's dedupe lock: two copies checked at once by two processes
    would each miss the other. While another process holds the lock a check waits; then it runs."""
    store = SQLiteStore(tmp_path / "a.sqlite")
    state = SharedDupeState(redis_url, "test-lock", threshold=DEFAULT_THRESHOLD, num_perm=128)
    other = SharedDupeState(redis_url, "test-lock", threshold=DEFAULT_THRESHOLD, num_perm=128)
    detector = DuplicateDetector(store, shared=state)
    verdicts: list[DuplicateVerdict] = []
    try:
        held = other.serialized()
        held.__enter__()
        worker = threading.Thread(target=lambda: verdicts.append(detector.check("wire", WIRE, content_hash(WIRE))[0]))
        worker.start()
        worker.join(timeout=0.5)
        assert worker.is_alive() and not verdicts  # waiting for the lock
        held.__exit__(None, None, None)
        worker.join(timeout=30)
        assert not worker.is_alive() and verdicts[0].kind is None
        assert state.server.exists(f"{state.key}:lock") == 0  # released
    finally:
        store.close()
        state.server.close()
        other.server.close()
