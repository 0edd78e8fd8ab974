"""Text from the web is hostile: what is stored is cleaned once, and what is shown is escaped for where it goes.

- **Stored fields** lose C0/C1 control characters (an ESC in a feed title would otherwise reach a
  terminal as ``ESC[2J`` or an ``ESC]8`` hyperlink), keep tabs and newlines only where the field has
  lines (the body), and lose bidirectional overrides and isolates in one-line fields (a U+202E in a title
  reverses what a reader sees around it: "‮gpj.exe" style spoofing). Absurd sizes are capped, with a
  warning, so one page cannot bloat the store or a table.
- **Shown text**: :func:`visible_controls` makes any bidi control left in older data visible as
  ``<U+202E>``; :func:`spreadsheet_safe` neutralizes cells a spreadsheet would run as a formula (OWASP's
  advice: prefix a ``'``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: C0 controls except tab/newline/carriage return, DEL, and the C1 block.
_CONTROLS_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: In a one-line field every control goes, tab and newlines included (they become spaces).
_CONTROLS_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). The marks LRM/RLM stay: they
#: are ordinary punctuation in Arabic and Hebrew text and cannot reorder what follows them.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
#: First characters a spreadsheet reads as the start of a formula (or a cell separator trick).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

#: Longest value kept for each one-line field, in characters.
FIELD_MAX_CHARS: dict[str, int] = {
    "title": 1_000,
    "description": 5_000,
    "site_name": 300,
    "section": 300,
    "outlet_name": 300,
    "author": 200,
    "keyword": 200,
}
#: Most entries kept in a list field.
LIST_MAX_ITEMS: dict[str, int] = {"authors": 20, "keywords": 50}
#: Longest body text kept (about 150,000 words: far past any real article, well under the page cap).
TEXT_MAX_CHARS = 1_000_000


def clean_text(text: str) -> str:
    """A body text without control characters; tabs and newlines stay (carriage returns become newlines)."""
    return _CONTROLS_MULTILINE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(text: str) -> str:
    """A one-line field: no controls (whitespace ones become spaces), no bidi overrides, spaces folded."""
    text = _CONTROLS_ONE_LINE.sub(lambda m: " " if m.group(0) in "\t\n\r" else "", text)
    return " ".join(BIDI_CONTROLS.sub("", text).split())


@dataclass
class Capped:
    """What :func:`sanitize_article` had to cut, as ``field: how`` notes for the article's warnings."""

    notes: list[str]

    def add(self, field: str, how: str) -> None:
        self.notes.append(f"{field} capped: {how}")


def _cap(value: str, limit: int, field: str, capped: Capped) -> str:
    if len(value) <= limit:
        return value
    capped.add(field, f"{len(value)} -> {limit} characters")
    return value[:limit]


def _clean_list(values: Iterable[object], field: str, item: str, capped: Capped) -> list[str]:
    cleaned = [v for v in (clean_line(str(x)) for x in values if x is not None) if v]
    limit = LIST_MAX_ITEMS[field]
    if len(cleaned) > limit:
        capped.add(field, f"{len(cleaned)} -> {limit} entries")
        cleaned = cleaned[:limit]
    return [_cap(v, FIELD_MAX_CHARS[item], field, capped) for v in cleaned]


def sanitize_article(article: dict[str, object]) -> list[str]:
    """Clean an article's text fields in place (see the module doc); returns notes on what was capped."""
    capped = Capped([])
    for field in ("title", "description", "site_name", "section", "outlet_name"):
        value = article.get(field)
        if isinstance(value, str):
            article[field] = _cap(clean_line(value), FIELD_MAX_CHARS[field], field, capped) or None
    text = article.get("text")
    if isinstance(text, str):
        article["text"] = _cap(clean_text(text), TEXT_MAX_CHARS, "text", capped)
    for field, item in (("authors", "author"), ("keywords", "keyword")):
        values = article.get(field)
        if isinstance(values, list | tuple):
            article[field] = _clean_list(values, field, item, capped)
    return capped.notes


def visible_controls(text: str) -> str:
    """Bidi controls and other invisible controls shown as ``<U+XXXX>`` (for tables and reports)."""
    return _CONTROLS_ONE_LINE.sub(_codepoint, BIDI_CONTROLS.sub(_codepoint, text))


def terminal_text(text: str) -> str:
    """Multi-line text safe to print on a terminal: lines and tabs kept, every other control character and
    bidi control shown as ``<U+XXXX>`` (an archived page may hold an ``ESC`` sequence)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS_MULTILINE.sub(_codepoint, BIDI_CONTROLS.sub(_codepoint, lines))


def _codepoint(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group(0)):04X}>"


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a string starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
