"""py3langid's identifier as extraction loads it (:func:`newsagg.extraction.language.compact`): its DFA tables are
arrays, not lists of Python ints (shared by the pool's workers without being copied on write), and it classifies
every text exactly as the identifier py3langid builds."""

from __future__ import annotations

import gzip
from array import array
from pathlib import Path

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from newsagg.extraction.language import SAMPLE_CHARS, _identifier, compact

REAL_PAGES = Path(__file__).parent / "fixtures" / "extraction" / "real"


def samples() -> list[str]:
    """Texts in several scripts and languages: the real pages' markup (English, German, Japanese) cut into
    windows, and short texts."""
    texts = ["The minister said on Tuesday that talks would resume.", "Der Minister sagte am Dienstag.", "", "12345"]
    texts += ["ニュース 東京 政府は火曜日に発表した", "El ministro dijo el martes que las conversaciones seguirán."]
    for page in sorted(REAL_PAGES.glob("*.html.gz")):
        html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
        texts += [html[start : start + SAMPLE_CHARS] for start in range(0, min(len(html), 60_000), 1_500)]
    return texts


def test_the_dfa_tables_are_arrays() -> None:
    identifier = _identifier()
    assert isinstance(identifier._rowbase, array)
    assert isinstance(identifier.tk_output, array)


def test_compact_identifier_classifies_as_py3langid() -> None:
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    compacted = compact(LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))
    assert list(compacted._rowbase) == reference._rowbase
    assert list(compacted.tk_output) == reference.tk_output
    texts = samples()
    assert len(texts) > 100
    for text in texts:
        assert compacted.classify(text) == reference.classify(text), text[:80]
        assert (compacted.rank(text) if text else None) == (reference.rank(text) if text else None)
