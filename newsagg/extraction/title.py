"""The headline: every place a page states it, cleaned of outlet name / section / date / byline parts, then
one choice by agreement.

Pages carry up to five headlines: ``og:title`` (what the editors wrote for sharing), the JSON-LD
``headline``, ``twitter:title``, ``<title>`` (usually with "| Outlet" and a section), and the visible
``<h1>``. They often differ: an SEO variant, a kicker ("Nahost-Ticker: ...") on one but not the other, a
site suffix. The cleaning below removes what is not headline; :func:`choose_title` then picks the
candidate the others support.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .authors import person_like
from .page import Page
from .sitename import (
    GENERIC_SECTIONS,
    full_site_names,
    host_key,
    is_host_initials,
    is_site_part,
    norm_space,
    registered_name,
    site_keys,
    squash,
)

# A separator between headline and outlet / section parts. Spaced dashes and bars, fullwidth bar and colon
# (CJK titles: "見出し：朝日新聞デジタル"), the hangul letter used as a bar, and "Word: " (kickers). Single
# angle quotes stand between parts too ("Headline ‹ Section ‹ Outlet").
_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»‹›*~/]|::|//)\s+|\s*[|｜ㅣ]\s*|\s*：\s*|(?<=\w):\s+")
# A separator between a headline and its kicker ("Kicker: Headline", "Kicker | Headline", "Kicker - Headline").
_KICKER_SEPARATOR = re.compile(r"(?:^|(?<=\S))(?::\s+|\s+[|\-–—]\s+)")
_DATE_PART = re.compile(
    r"^\W*(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}\.? \w+ \d{4}|\w+ \d{1,2},? \d{4})\W*$"
)
_BY_PART = re.compile(r"^(?:by|von|por|par|di|door|av|af)\s+(\S.*)$", re.IGNORECASE)
_NEWS_SECTION = re.compile(r"^[\w .&'-]{1,30}\s(news|nachrichten|noticias)$", re.IGNORECASE)


def section_keys(page: Page) -> set[str]:
    """Squashed names of the page's sections (meta, JSON-LD, breadcrumb)."""
    raw: list[Any] = []
    for key in ("article:section", "section", "parsely-section", "content:category", "content:subcategory"):
        raw.extend(page.meta_values(key)[:2])
    section = page.ld("articleSection")
    raw.extend(section if isinstance(section, list) else [section])
    for obj in page.jsonld:
        if "breadcrumblist" in str(obj.get("@type", "")).lower() and isinstance(obj.get("itemListElement"), list):
            for item in obj["itemListElement"][:6]:
                if isinstance(item, dict):
                    inner = item.get("item")
                    raw.append(item.get("name") or (inner.get("name") if isinstance(inner, dict) else None))
    return {squash(r) for r in raw if isinstance(r, str) and squash(r)}


@dataclass
class _Context:
    keys: list[str]
    sections: set[str]
    full_names: frozenset[str] = frozenset()
    host_name: str = ""


def _is_byline_part(part: str) -> bool:
    """ "by Jane Doe" / "von Jane Doe": a byline only when a person follows ("Von München bis Aachen" is a
    kicker, not a byline)."""
    match = _BY_PART.match(part)
    if not match:
        return False
    names = re.split(r"\s*(?:,|\s&\s|\s(?:and|und|y|et|e)\s)\s*", match.group(1).strip(" .,"))
    return all(person_like(name) for name in names if name)


def _is_section_part(part: str, ctx: _Context) -> bool:
    squashed = squash(part)
    if not squashed or len(part) > 40:
        return False
    return squashed in ctx.sections or squashed in GENERIC_SECTIONS or bool(_NEWS_SECTION.match(part.strip()))


def _is_tail_part(part: str, sep: str, ctx: _Context, after_site: bool) -> bool:
    """A part that is not headline: the outlet, a date, a byline, or a section (the page's own section behind
    a bar or dash, or any section-like name next to the outlet)."""
    if is_site_part(part, ctx.keys) or is_host_initials(part, ctx.host_name):
        return True
    stripped = part.strip()
    if _DATE_PART.match(stripped) or _is_byline_part(stripped):
        return True
    if after_site:
        return _is_section_part(part, ctx)
    return ":" not in sep and squash(part) in ctx.sections and len(part) <= 40


def clean_title(raw: str | None, ctx: _Context) -> str | None:
    """``"Headline - Politics | Outlet"`` / ``"Outlet | Headline"`` / ``"Headline – DW – 28.04.2023"`` ->
    ``"Headline"``."""
    text = norm_space(raw)
    if not text:
        return None
    if _only_site_name(text, ctx):
        return None  # the outlet's name alone: this source has no headline
    parts = _SEPARATOR.split(text)
    if len(parts) < 2:
        return text
    seps = _SEPARATOR.findall(text)
    removed_end = _strip_full_name(parts, seps, ctx)
    while len(parts) > 1 and _is_tail_part(parts[-1], seps[-1], ctx, removed_end):
        removed_end = removed_end or is_site_part(parts[-1], ctx.keys)
        parts.pop()
        seps.pop()
    # a section between the headline and the removed outlet, joined without spaces ("見出し-政治ㅣ한국일보")
    if removed_end and len(parts) == 1:
        head, dash, tail = parts[0].rpartition("-")
        if dash and head and tail and squash(tail) in ctx.sections and len(tail) <= 20:
            parts[0] = head
    removed_start = _strip_full_name(parts, seps, ctx, at_start=True)
    while len(parts) > 1 and _is_tail_part(parts[0], seps[0], ctx, removed_start):
        removed_start = removed_start or is_site_part(parts[0], ctx.keys)
        parts.pop(0)
        seps.pop(0)
    out = parts[0]
    for sep, part in zip(seps, parts[1:], strict=False):
        out += sep + part
    return out.strip(" -–—|:") or None


def _only_site_name(text: str, ctx: _Context) -> bool:
    squashed = squash(text)
    if squashed in ctx.full_names or squashed in ctx.keys:
        return True
    return len(text.split()) <= 3 and (is_site_part(text, ctx.keys) or is_host_initials(text, ctx.host_name))


def _strip_full_name(parts: list[str], seps: list[str], ctx: _Context, at_start: bool = False) -> bool:
    """Remove a run of end (or start) parts that together spell a site name with its tagline."""
    if not ctx.full_names:
        return False
    for cut in range(1, len(parts)):
        run = parts[:cut] if at_start else parts[cut:]
        if squash("".join(run)) in ctx.full_names:
            if at_start:
                del parts[:cut], seps[:cut]
            else:
                del parts[cut:], seps[cut - 1 :]
            return True
    return False


def _h1_elements(page: Page) -> Iterator[Any]:
    """``<h1>`` elements that may hold the headline: those of the article container first, none in a
    breadcrumb or navigation, none empty or absurdly long."""
    for xpath in ("//article//h1", "//main//h1", "//h1"):
        for el in page.tree.xpath(xpath)[:3]:
            parent = el.getparent()
            if parent is not None and parent.tag in ("li", "nav"):
                continue
            text = norm_space(el.text_content())
            if text and 3 <= len(text) <= 300:
                yield el


def headline_element(page: Page) -> Any | None:
    """The ``<h1>`` holding the visible headline: the first candidate whose words are all in the page's
    ``<title>`` or ``og:title`` (a site logo is often an ``<h1>`` too, outside any article container), else
    the first candidate."""
    first = None
    titles = set(" ".join(filter(None, (page.meta_first("og:title"), page.tree.findtext(".//title")))).lower().split())
    for el in _h1_elements(page):
        first = el if first is None else first
        words = el.text_content().lower().split()
        if len(words) >= 3 and all(word in titles for word in words[:8]):
            return el
    return first


def h1(page: Page) -> str | None:
    """The visible headline (see :func:`headline_element`)."""
    el = headline_element(page)
    return norm_space(el.text_content()) if el is not None else None


def candidates(page: Page, site: str | None) -> list[tuple[str, str]]:
    """``(source, cleaned headline)`` for every source the page has, in order of trust."""
    ctx = _Context(
        keys=site_keys(page, site),
        sections=section_keys(page),
        full_names=frozenset(full_site_names(page, site)),
        host_name=registered_name(host_key(page.url)),
    )
    headline = page.ld("headline") or page.ld("name")
    if isinstance(headline, list) and headline:
        headline = headline[0]
    title_el = page.tree.find(".//title")
    raw = [
        ("og", page.meta_first("og:title")),
        ("ld", headline if isinstance(headline, str) else None),
        ("twitter", page.meta_first("twitter:title", "parsely-title", "sailthru.title", "dc.title")),
        ("title", title_el.text_content() if title_el is not None else None),
        ("h1", h1(page)),
    ]
    out = []
    for source, value in raw:
        cleaned = clean_title(value, ctx)
        if cleaned:
            out.append((source, cleaned))
    visible = next((text for source, text in out if source == "h1"), None)
    if visible:
        # "Headline - Outlet Name" where the visible headline stops at the separator: the rest is a suffix
        out = [(source, visible if _suffixed(text, visible) else text) for source, text in out]
    return out


_SUFFIX_SEPARATOR = re.compile(r"^\s+[|\-–—·•/]\s+\S")


def _suffixed(text: str, visible: str) -> bool:
    """``text`` is ``visible`` + " - " + a short tail (an outlet or section name the cleaning missed)."""
    if not text.startswith(visible) or len(text) == len(visible):
        return False
    rest = text[len(visible) :]
    return bool(_SUFFIX_SEPARATOR.match(rest)) and len(rest) <= 60


def _key(text: str) -> str:
    """Comparison key: case, quotes, punctuation and spacing do not make two headlines different."""
    return squash(text)


def _kicker_tail(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` with a kicker in front ("Kicker: Headline")."""
    if len(longer) <= len(shorter):
        return False
    for match in _KICKER_SEPARATOR.finditer(longer):
        if _key(longer[match.end() :]) == _key(shorter):
            return 0 < match.start() <= 80
    return False


# How much each source's word counts. JSON-LD ``headline`` is the article's own structured headline; the
# social titles and ``<title>``/``<h1>`` outvote it only when they all agree on another text. (Measured on
# news-metadata: publishers differ on which title "the" title is, and this weighting is the best any fixed
# weighting of the five sources reaches there.)
_WEIGHTS = {"ld": 3.0, "og": 1.5, "twitter": 0.5, "title": 0.5, "h1": 0.5}
# A kicker-free text gets this share of the weight of the sources that carry it behind a kicker (0.75:
# tuned on one half of news-metadata, +1 page on the other half; 0.5 before).
_KICKER_SUPPORT = 0.75


_SEPARATOR_MARKS = re.compile(r"[|/\-–—·•»‹›*~:：｜ㅣ]")


def _lost_separator(full: str, other: str) -> bool:
    """``other`` is ``full`` with one of its separators dropped ("Kicker Headline", "KickerHeadline")."""
    if len(_SEPARATOR.findall(full)) <= len(_SEPARATOR.findall(other)):
        return False
    return "".join(_SEPARATOR_MARKS.sub("", full).split()) == "".join(_SEPARATOR_MARKS.sub("", other).split())


def choose_title(cands: list[tuple[str, str]]) -> str | None:
    """The headline the sources support most.

    Sources whose cleaned text is the same (ignoring case, quotes and punctuation) pool their weights; a
    kicker-free text also gets half the weight of the sources that carry it behind a kicker. Ties go to the
    order of trust. Among spellings of the winner, one that kept a separator the others lost comes first,
    then the most common one (straight or curly quotes).
    """
    if not cands:
        return None
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for rank, (source, text) in enumerate(cands):
        groups.setdefault(_key(text), []).append((rank, source, text))
    scored = []
    for members in groups.values():
        text = members[0][2]
        score = sum(_WEIGHTS.get(source, 0.5) for _, source, _ in members)
        score += _KICKER_SUPPORT * sum(_WEIGHTS.get(s, 0.5) for s, other in cands if _kicker_tail(other, text))
        counts: dict[str, int] = {}
        for _, _, spelling in members:
            counts[spelling] = counts.get(spelling, 0) + 1
        spelling = max(members, key=lambda m: (counts[m[2]], -m[0]))[2]
        # a spelling that kept a separator the others lost ("Kicker / Headline" vs "Kicker Headline") first
        spelling = next((m[2] for m in members if _lost_separator(m[2], spelling)), spelling)
        scored.append((score, -members[0][0], spelling))
    return max(scored)[2]


def title(page: Page, site: str | None) -> str | None:
    return choose_title(candidates(page, site))


def title_and_spellings(page: Page, site: str | None) -> tuple[str | None, list[str]]:
    """The chosen headline and every cleaned headline the sources give (the body drops any of them when it
    repeats one at its start, whichever the vote chose)."""
    cands = candidates(page, site)
    return choose_title(cands), [text for _, text in cands]
