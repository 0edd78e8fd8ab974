"""Main text: trafilatura on the parsed tree, then paragraph-level cleanup of page furniture.

trafilatura finds the article container and drops most navigation; what it leaves are short furniture lines
inside that container (audio players, share bars, newsletter boxes, "N comments" headers followed by the
comments). Those are removed here with generic, multilingual line patterns, never site rules.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from .passes import TrafilaturaPasses

# Elements that are page furniture whatever the site: audio players, share bars, newsletter boxes, comment
# threads. Matched on exact class/id tokens and removed before trafilatura sees the tree.
_FURNITURE_TOKENS = (
    "comments",
    "comment-list",
    "commentlist",
    "comments-area",
    "comment-respond",
    "disqus_thread",
    "listen-to-article",
    "audio-player",
    "article-audio",
    "text-to-speech",
    "share-bar",
    "social-share",
    "share-buttons",
    "sharing-buttons",
    "newsletter-signup",
    "newsletter-box",
    "fact-checker",
)
_FURNITURE_SET = frozenset(_FURNITURE_TOKENS)
# A class/id made of parts ("caja-comentarios", "reader_comments") any of which names a comment thread, in
# the languages of our outlets: comments are never article text.
_COMMENT_PARTS = frozenset({"comments", "comentarios", "comentários", "commentaires", "kommentare", "commenti"})
_TOKEN_PARTS = re.compile(r"[-_]")


def _is_furniture(tokens: set[str]) -> bool:
    if tokens & _FURNITURE_SET:
        return True
    return any(part in _COMMENT_PARTS for token in tokens for part in _TOKEN_PARTS.split(token))


def drop_keep_tail(el: Any) -> None:
    """Remove ``el`` but keep its tail text (which belongs to the parent)."""
    parent = el.getparent()
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


# Substrings every furniture class/id contains: a case-sensitive search over the lower-cased attribute
# values rejects most elements cheaply (walking every element of a large page in Python is the cost here).
_FURNITURE_HINTS = re.compile(r"comment|coment|kommentar|disqus|listen|audio|speech|shar|newsletter|fact")
_CLASS_OR_ID = etree.XPath("//@class | //@id")


def prune_furniture(tree: Any) -> int:
    """Remove furniture elements (class/id token match) from ``tree`` in place; returns how many."""
    return _prune_furniture(tree, _CLASS_OR_ID(tree))


def _prune_furniture(tree: Any, values: list[Any]) -> int:
    doomed: list[Any] = []
    for value in values:
        if not _FURNITURE_HINTS.search(value.lower()):
            continue
        el = value.getparent()
        if el is None or (doomed and doomed[-1] is el):
            continue
        tokens = set((el.get("class") or "").lower().split())
        if el.get("id"):
            tokens.add(el.get("id").lower())
        if _is_furniture(tokens):
            doomed.append(el)
    removed = 0
    for el in doomed:
        parent = el.getparent()
        if parent is not None and el.tag not in ("html", "body"):
            drop_keep_tail(el)
            removed += 1
    return removed


_FURNITURE_LINE = re.compile(
    r"^\W*("
    r"listen to (this|the) (article|story)|listen( now)?|escuchar?( (el|este|la|esta))? (artículo|noticia|nota)"
    r"|artikel (anhören|vorlesen( lassen)?)|ouvir (a|o|esta|este) (notícia|artigo|matéria)|écouter (l'|cet )?article"
    r"|fact[- ]?checker|verify the accuracy of this article.*"
    r"|share( this( article| story)?)?( on \w+)?|compartir( en \w+)?|teilen|partager"
    r"|advertisement|publicidad|anzeige|werbung|publicité|pubblicità|reklama"
    r"|(sign up|subscribe) (for|to) (our|the) newsletter.*|suscr[ií]bete.*newsletter.*|newsletter abonnieren"
    r"|follow us on .{0,40}|s[ií]guenos en .{0,40}"
    r"|\d+\s+(comments?|comentarios?|kommentare?|commentaires?)|(comments?|comentarios|kommentare)"
    r"|(read|see) more|leer más|lee también|mehr zum thema|lesen sie auch|czytaj (więcej|także)|leia (mais|também)"
    r"|tags?|etiquetas|schlagworte|related( articles| stories| topics)?|relacionad[ao]s|more on this( story)?"
    r")\W*$",
    re.IGNORECASE,
)
# calls to action and cross-links: short lines only, wherever they are
_CTA = re.compile(
    r"\b(sign up (now|here|today)|sign up for (our|the) (free )?(daily |weekly )?newsletter|subscribe (now|here)"
    r"|share (it|this) with|tell us what you think"
    r"|got a (story|news tip)|for more stories like this|like this story|follow (us|\w+(\.\w+)?) on (twitter|facebook|"
    r"instagram|x\b)|download (our|the) app|get (our|the) (free )?(daily )?newsletter|delivered (to|through) your "
    r"(inbox|letterbox)|^also on\b|^more ?:|^read (also|more):|^see also\b|^related:|^recommended:"
    r"|^(lesen sie|lea|leia|lire) (auch|también|também|aussi)\b)",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^(\(?(photo|foto|image|bild|picture|credit|crédit|imagen|fotografía|video)s?( ?credit)?\s*(:|by|von|de|por)|©)",
    re.IGNORECASE,
)
_DATE_TOKEN = re.compile(
    r"\b(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[:h.]\d{2}(:\d{2})?|\d{4}|\d{1,2}(st|nd|rd|th)?|"
    r"[ap]\.?m\.?|jan\w*|feb\w*|m[aä]r\w*|apr\w*|ma[iy]\w*|jun\w*|jul\w*|aug\w*|sep\w*|o[ck]t\w*|nov\w*|de[cz]\w*|"
    r"ene\w*|abr\w*|ago\w*|dic\w*|janv\w*|févr\w*|avr\w*|juil\w*|août|déc\w*|"
    r"mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|\w+-feira|uhr|de|del|am|um|at|on|às|a las|"
    r"utc|gmt|[ecmp][sd]t|ces?t|updated|published|posted|publicado|actualizado|atualizado|aktualisiert|"
    r"veröffentlicht|stand|le|el|em|,|\||-|–|—|·|/)\b",
    re.IGNORECASE,
)
_COMMENTS_HEADER = re.compile(
    r"^\W*(\d+\s+)?(comments?|comentarios?|kommentare?|commentaires?|comentários?|reader comments)"
    r"(\s*\(\d+\))?\W*$",
    re.IGNORECASE,
)
TRAILING_RUN = False  # measured: trailing short-line runs are list articles as often as link lists
_TERMINAL = re.compile(r"[.!?:;\"”’»)…]$")
_SQUASH = re.compile(r"[\W_]+")


def _squash(text: str) -> str:
    return _SQUASH.sub("", text.lower())


def _is_dateline(para: str) -> bool:
    """A paragraph that is only a date / update stamp ("Updated at 1:23 p.m.", "22 de janeiro de 2018 às 0:13")."""
    if len(para) > 90 or not re.search(r"\d", para):
        return False
    rest = _DATE_TOKEN.sub(" ", para)
    leftover = [w for w in re.split(r"\W+", rest) if w]
    return len(leftover) <= 1


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    return [p for p in (" ".join(line.split()) for line in text.split("\n")) if p]


def clean_paragraphs(paragraphs: list[str], headings: tuple[str | None, ...] = ()) -> list[str]:
    """Drop furniture lines, repeated headline/kicker, date stamps, captions and calls to action; cut a
    trailing comment thread or related-links run."""
    heading_keys = {_squash(h) for h in headings if h}
    heading_keys.discard("")
    out: list[str] = []
    n = len(paragraphs)
    for i, para in enumerate(paragraphs):
        if len(para) <= 80 and _COMMENTS_HEADER.match(para) and i >= n * 0.4:
            break
        if len(para) <= 120 and _FURNITURE_LINE.match(para):
            continue
        if i < 4 and _squash(para) in heading_keys:
            continue
        if (i < 4 or i >= n - 3) and _is_dateline(para):
            continue
        if len(para) <= 250 and _CTA.search(para):
            continue
        if len(para) <= 120 and _CAPTION.match(para):
            continue
        out.append(para)
    # a trailing run of 3+ short unpunctuated lines: related-article links, tag lists
    run = 0
    for para in reversed(out):
        if len(para) <= 110 and not _TERMINAL.search(para):
            run += 1
        else:
            break
    if TRAILING_RUN and run >= 3 and run < len(out):
        out = out[: len(out) - run]
    return out


MIN_WORDS = 50
FAST_MIN_CHARS = 1000
# The recall pass is tried when the precision pass kept less than this share of the words the page holds
# in paragraphs, and used when it gives back at least RECALL_GAIN times as many words without going far
# beyond the page's paragraphs (which would be navigation and teasers). Live blogs and long pages with many
# sub-headings are what the precision pass cuts to their intro.
RECALL_TRIGGER_SHARE = 0.75
RECALL_GAIN = 1.5
RECALL_CAP_SHARE = 1.25
_PARAGRAPH_TEXT = etree.XPath(
    "//p[not(ancestor::nav or ancestor::footer or ancestor::aside or ancestor::header)]//text()"
)


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def paragraph_words(tree: Any) -> int:
    """Words in the page's ``<p>`` elements outside navigation, header, footer and asides."""
    return sum(len(str(t).split()) for t in _PARAGRAPH_TEXT(tree))


def _run_trafilatura(passes: TrafilaturaPasses, warnings: list[str], **options: bool) -> str | None:
    try:
        return passes.extract(**options)
    except Exception as exc:  # trafilatura on hostile trees: never let it escape
        warnings.append(f"body extraction failed: {type(exc).__name__}")
        return None


def extract_body(tree: Any, url: str | None, headings: tuple[str | None, ...] = ()) -> tuple[str, list[str]]:
    """Body text (paragraphs joined by blank lines) and warnings.

    trafilatura with ``favor_precision`` (measured best on the benchmark once the paragraph cleanup runs),
    first in its ``fast`` mode, which skips the comparison with its readability/jusText fallbacks and costs a
    third less. That comparison only matters when the fast pass finds little: below ``FAST_MIN_CHARS`` the
    full pass runs and its text is used (measured on both reference sets: every page the fast pass gets
    wrong comes back short). When the result still has fewer than ``MIN_WORDS`` words, the balanced
    setting gets a last chance and the longer text wins. When it is much shorter than the page's
    paragraphs (a live blog cut to its intro), the recall pass runs and wins if it is much longer.

    ``tree`` is modified (furniture removed, then trafilatura's raw-tree prune): pass a copy to keep it.
    """
    warnings: list[str] = []
    values = _CLASS_OR_ID(tree)
    _prune_furniture(tree, values)
    # every class and id value of the tree (and more: the furniture's) lets the passes skip trafilatura's
    # raw-tree XPaths that cannot match
    on_page = paragraph_words(tree)  # before the passes prune the tree
    passes = TrafilaturaPasses(tree, url, values, consume=True)
    raw = _run_trafilatura(passes, warnings, favor_precision=True, fast=True)
    if raw is None or len(raw) < FAST_MIN_CHARS:
        raw = _run_trafilatura(passes, warnings, favor_precision=True)
    paragraphs = clean_paragraphs(_paragraphs(raw), headings)
    if _words(paragraphs) < MIN_WORDS:
        second = clean_paragraphs(_paragraphs(_run_trafilatura(passes, warnings)), headings)
        if _words(second) > _words(paragraphs):
            paragraphs = second
    if _words(paragraphs) < RECALL_TRIGGER_SHARE * on_page:
        recall = clean_paragraphs(_paragraphs(_run_trafilatura(passes, warnings, favor_recall=True)), headings)
        if RECALL_GAIN * _words(paragraphs) <= _words(recall) <= RECALL_CAP_SHARE * on_page:
            warnings.append(f"precision pass kept {_words(paragraphs)} of {on_page} words: recall pass used")
            paragraphs = recall
    return "\n\n".join(paragraphs), warnings
