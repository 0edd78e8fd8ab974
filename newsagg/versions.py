"""Article versions: when a re-fetched article's headline, text or dates change, the previous version is kept.

Backend-agnostic: the index pipeline reads the stored article by id through the storage contract, and
:func:`next_versions` returns the new ``versions`` list (oldest first, the last ``limit`` kept), each entry
the *previous* state with a short summary of what changed when it was replaced:

``{"fetched_at", "replaced_at", "title", "text", "text_hash", "published_at", "modified_at", "changes"}``

``changes`` reads like a news desk's log: ``headline changed``, ``correction appended``, ``update appended``,
``text appended (2 paragraphs)``, ``text edited (12 % changed)``, ``published date moved``, ``modified date
changed``. An unchanged re-fetch creates no version.

A re-fetch that lacks a date or a headline the stored copy has (e.g. it came from the fetch state, not
from a feed entry that supplied the date) is not a change: no date is no evidence, so the stored value is
carried forward (:func:`carry_forward`).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from newsagg.settings_schema import default_of

DEFAULT_MAX_VERSIONS = default_of("NEWSAGG_VERSIONS_MAX")
#: Fields carried forward from the stored copy when the re-fetch is no evidence of a change (see carry_forward).
_CARRIED = {
    "published_at": (
        "published_at",
        "published_utc",
        "published_source",
        "published_precision",
        "published_confidence",
    ),
    "modified_at": ("modified_at", "modified_utc", "modified_source"),
    "title": ("title",),
}
_CORRECTION = re.compile(
    r"\b(?:correcci[oó]n|fe de erratas|errata|rectificaci[oó]n|aclaraci[oó]n|nota (?:del editor|de la redacci[oó]n)"
    r"|correction|corrected|clarification|editor['’]?s note|correção|retificação)\b",
    re.IGNORECASE,
)
_UPDATE = re.compile(
    r"^\W{0,3}(?:actualizaci[oó]n|actualizado|[úu]ltima hora|update[d]?|atualiza[çc][ãa]o)\b", re.IGNORECASE
)
_LARGE = 4000  # words: above this, difflib's autojunk heuristic keeps the comparison fast


def carry_forward(stored: dict[str, Any], article: dict[str, Any]) -> None:
    """Keep ``stored``'s headline/dates where the re-fetch is no evidence of a change (in place).

    A missing value is no evidence (absence is not a change). Neither is a date read twice from the page's
    visible text: "hace 3 horas" read two hours later gives another time, though nothing moved.
    """
    for key, fields in _CARRIED.items():
        source = f"{key.removesuffix('_at')}_source"
        from_text = key != "title" and article.get(source) == "text" and stored.get(source) == "text"
        if stored.get(key) and (not article.get(key) or from_text):
            for name in fields:
                article[name] = stored.get(name)


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def text_changes(old: str | None, new: str | None) -> list[str]:
    """Short summaries of how ``new`` differs from ``old`` (empty when the texts are equal)."""
    if (old or "") == (new or ""):
        return []
    old_paras, new_paras = _paragraphs(old), _paragraphs(new)
    old_set, new_set = set(old_paras), set(new_paras)
    added = [p for p in new_paras if p not in old_set]
    removed = [p for p in old_paras if p not in new_set]
    changes: list[str] = []
    corrections = [p for p in added if _CORRECTION.search(p)]
    updates = [p for p in added if p not in corrections and _UPDATE.search(p)]
    if corrections:
        changes.append("correction appended")
    if updates:
        changes.append("update appended")
    rest = [p for p in added if p not in corrections and p not in updates]
    if not rest and not removed:
        return changes or ["text edited (whitespace)"]
    kept = [p for p in new_paras if p not in corrections and p not in updates]
    if not removed and kept[: len(old_paras)] == old_paras:
        changes.append(f"text appended ({_plural(len(rest), 'paragraph')})")
    elif not rest:
        changes.append(f"text shortened ({_plural(len(removed), 'paragraph')} removed)")
    else:
        a, b = " ".join(old_paras).split(), " ".join(kept).split()
        ratio = difflib.SequenceMatcher(None, a, b, autojunk=max(len(a), len(b)) > _LARGE).ratio()
        changes.append(f"text edited ({max(1, round(100 * (1 - ratio)))} % changed)")
    return changes


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed from the stored article ``old`` to the re-fetched ``new``; empty: not a new version."""
    changes: list[str] = []
    if (old.get("title") or "") != (new.get("title") or ""):
        changes.append("headline changed")
    changes.extend(text_changes(old.get("text"), new.get("text")))  # empty when the texts are equal
    if old.get("published_at") != new.get("published_at"):
        changes.append(
            "published date moved"
            if old.get("published_at") and new.get("published_at")
            else "published date added"
            if new.get("published_at")
            else "published date removed"
        )
    if old.get("modified_at") != new.get("modified_at"):
        changes.append("modified date changed" if old.get("modified_at") else "modified date added")
    return changes


def next_versions(
    stored: dict[str, Any] | None, article: dict[str, Any], *, at: str, limit: int = DEFAULT_MAX_VERSIONS
) -> tuple[list[dict[str, Any]], list[str]]:
    """The ``versions`` list ``article`` should be written with, and the changes found (empty: none).

    ``stored`` is the article as the store has it (None for a new article); ``at`` is the fetch time of the
    new version (ISO 8601), which becomes the previous version's ``replaced_at``.
    """
    if stored is None:
        return list(article.get("versions") or []), []
    history = [dict(v) for v in (stored.get("versions") or [])]
    carry_forward(stored, article)
    changes = changes_between(stored, article)
    if not changes:
        return history, []
    history.append(
        {
            "fetched_at": history[-1]["replaced_at"] if history else stored.get("discovered_at"),
            "replaced_at": at,
            "title": stored.get("title"),
            "text": stored.get("text"),
            "text_hash": stored.get("content_hash"),
            "published_at": stored.get("published_at"),
            "modified_at": stored.get("modified_at"),
            "changes": changes,
        }
    )
    return history[-max(1, limit) :], changes
