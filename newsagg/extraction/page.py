"""One parsed page: the lxml tree plus the structured data everything else reads (meta tags, JSON-LD)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from lxml import html as lxml_html

ARTICLE_TYPES = (
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "report",
    "scholarlyarticle",
    "techarticle",
    "medicalwebpage",
    "videoobject",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


_META_SEP = re.compile(r"[._:]+")


def meta_key(key: str) -> str:
    """``article:published_time`` / ``article.published.time`` / ``Article_Published_Time`` -> one key."""
    return _META_SEP.sub(":", key.strip().lower())


def _loads(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw[4:]
    if raw.endswith("-->"):
        raw = raw[:-3]
    raw = raw.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip().rstrip(";")
    try:
        return json.loads(raw, strict=False)
    except RecursionError:
        return None  # nested deeper than Python's stack (a hostile "[[[[…"): no JSON-LD, the page still counts
    except ValueError:
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", raw)), strict=False)
    except (ValueError, RecursionError):
        return None


def _walk(obj: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in a JSON-LD document that carries an @type (flattening @graph and lists)."""
    if depth > 6:
        return
    if isinstance(obj, list):
        for item in obj:
            yield from _walk(item, depth + 1)
    elif isinstance(obj, dict):
        if "@type" in obj:
            yield obj
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in obj:
                yield from _walk(obj[key], depth + 1)


def type_names(obj: dict[str, Any]) -> list[str]:
    types = obj.get("@type")
    if isinstance(types, str):
        types = [types]
    if not isinstance(types, list):
        return []
    return [t.rsplit("/", 1)[-1].lower() for t in types if isinstance(t, str)]


@dataclass
class Page:
    tree: Any  # lxml HtmlElement
    url: str
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    article_ld: dict[str, Any] | None = None  # the JSON-LD object describing the article, if any

    @classmethod
    def build(cls, tree: Any, url: str) -> Page:
        page = cls(tree=tree, url=url)
        for el in tree.iter("meta"):
            key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
            content = el.get("content")
            if key and content is not None and content.strip():
                page.meta.setdefault(meta_key(key), []).append(content.strip())
        for script in tree.xpath('//script[contains(translate(@type,"LDJSON","ldjson"),"ld+json")]'):
            data = _loads(script.text or "")
            if data is not None:
                page.jsonld.extend(_walk(data))
        page.article_ld = page._pick_article_ld()
        return page

    def _pick_article_ld(self) -> dict[str, Any] | None:
        best, best_score = None, 0
        for obj in self.jsonld:
            names = type_names(obj)
            score = 0
            for rank, name in enumerate(ARTICLE_TYPES):
                if name in names:
                    score = max(score, 100 - rank)
            if not score and any(n.endswith("article") for n in names):
                score = 50
            if not score and "webpage" in names and ("datePublished" in obj or "headline" in obj):
                score = 10
            if score and ("headline" in obj or "datePublished" in obj or "articleBody" in obj):
                score += 20
            if score > best_score:
                best, best_score = obj, score
        return best

    def meta_values(self, key: str) -> list[str]:
        return self.meta.get(meta_key(key), [])

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            values = self.meta.get(meta_key(key))
            if values:
                return values[0]
        return None

    def ld(self, key: str) -> Any:
        return self.article_ld.get(key) if self.article_ld else None

    def html_lang(self) -> str | None:
        lang = self.tree.get("lang") or self.tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        return lang.strip() if lang and lang.strip() else None


def _html_parser() -> etree.HTMLParser:
    """trafilatura's parser options, with lxml.html's element classes chosen in C.

    ``lxml.html.HTMLParser`` picks each element's Python class with a Python ``lookup`` method, called
    every time an element is touched from Python (≈ 3,500 calls per page across metadata, dates, link density
    and trafilatura; ≈ 7 % of the extraction CPU). ``ElementDefaultClassLookup`` gives every element the same
    :class:`~lxml.html.HtmlElement` class (what trafilatura and the metadata code use) without that call;
    only the form-specific subclasses (``FormElement``, ``InputElement``…), which nothing here uses, are lost.
    """
    parser = etree.HTMLParser(
        collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    return parser


_PARSER = _html_parser()


def _parse(text: str) -> Any | None:
    """trafilatura's ``load_html`` for a decoded page, with :data:`_PARSER` (same repairs, same checks)."""
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    try:
        tree = lxml_html.fromstring(text, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = None
    if tree is None or len(tree) < 1:  # as trafilatura: a second try from UTF-8 bytes
        try:
            tree = lxml_html.fromstring(text.encode("utf8", "surrogatepass"), parser=_PARSER)
        except Exception:
            tree = None
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree


def parse_html(text: str) -> Any | None:
    """lxml tree of a page, or ``None`` when there is nothing to parse."""
    if not text or not text.strip():
        return None
    try:
        tree = _parse(text)
    except Exception:  # lxml raises many types on hostile input
        tree = None
    if tree is None:
        try:
            tree = lxml_html.document_fromstring(text, parser=_PARSER)
        except Exception:
            return None
    return tree
