"""Dedupe's bounded memory and its precomputed-signature path, against a real SQLite store."""

from __future__ import annotations

from pathlib import Path

from newsagg.dedupe import DuplicateDetector, signature_for
from newsagg.storage.sqlite import SQLiteStore
from newsagg.text import content_hash
from tests.test_dedupe import EDITED, OTHER, WIRE


def test_signature_from_a_worker_gives_the_same_verdict(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    computed = DuplicateDetector(store)
    handed = DuplicateDetector(store)
    for detector, precomputed in ((computed, False), (handed, True)):
        detector.check("wire", WIRE, content_hash(WIRE), signature=signature_for(WIRE) if precomputed else None)
    a, _ = computed.check("edited", EDITED, content_hash(EDITED))
    b, _ = handed.check("edited", EDITED, content_hash(EDITED), signature=signature_for(EDITED))
    assert a == b
    assert a.kind in ("near", "near-verbatim") and a.matched_id == "wire"
    store.close()


def test_a_signature_of_the_wrong_size_is_recomputed(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    detector = DuplicateDetector(store)
    detector.check("wire", WIRE, content_hash(WIRE), signature=b"\x00" * 12)
    verdict, _ = detector.check("edited", EDITED, content_hash(EDITED))
    assert verdict.matched_id == "wire"
    store.close()


def test_the_near_duplicate_index_keeps_only_the_window(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    detector = DuplicateDetector(store, window=2)
    detector.check("wire", WIRE, content_hash(WIRE))
    for i in range(3):  # three unrelated articles push the wire story out of the window
        text = f"{OTHER} Nota número {i} con palabras distintas {'x' * i}."
        detector.check(f"other-{i}", text, content_hash(text))
    assert len(detector._recent) == 2
    verdict, _ = detector.check("edited", EDITED, content_hash(EDITED))
    assert verdict.kind is None, "an evicted signature was still matched"
    store.close()


def test_short_texts_get_no_signature() -> None:
    assert signature_for("too short to compare") is None
    assert signature_for(None) is None
    assert len(signature_for(WIRE) or b"") == 4 * 128
