"""What kind of page a fetched page is: an ``article``, a ``listing`` (index, section, tag page) or ``other``.

A crawler that drops what it does not recognise as an article loses real articles on every site it was
not tuned on (press releases, blog posts, magazine pieces, news items on public bodies' sites). So the
decision here does not drop anything: every page with a main text, or with a date, is stored with its kind
and the reason for it, stories and default searches use articles, and ``--kind`` shows the rest. Only an
undated page without a main text (nothing, or a fragment under ``MIN_TEXT_CHARS``) is rejected, with that
precise reason.

The rules are generic and ordered from strongest evidence to weakest:

1. the page declares itself an article (an Article/NewsArticle/BlogPosting JSON-LD object, or an
   ``og:type`` of article/news/blog): ``article``;
2. a dated main text of a few hundred words: ``article`` (measured on real open-web pages: most articles'
   pages carry more link text than text, in navigation, so link density cannot overrule a dated text);
3. an undated page whose visible text is mostly link text (a front page, section, tag or search page reads
   as a list of headlines): ``listing``;
4. a long undated main text with paragraphs: ``article``;
5. everything else with a main text (a short text, a page that calls itself a website): ``other``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsagg.dates import DatedValue

ARTICLE = "article"
LISTING = "listing"
OTHER = "other"
KINDS = (ARTICLE, LISTING, OTHER)

#: Below this many characters of main text a page has no main text to store (a caption, a cookie notice).
MIN_TEXT_CHARS = 200
#: A dated text this long is an article: "a dated text of a few hundred words".
DATED_ARTICLE_WORDS = 150
#: An undated text must be longer and have real paragraphs to count as an article.
UNDATED_ARTICLE_CHARS = 1500
UNDATED_MIN_PARAGRAPHS = 3
PARAGRAPH_CHARS = 100
#: Share of the page's visible text that sits inside links, above which a page reads as a list of links.
LISTING_LINK_DENSITY = 0.55
_ARTICLE_OG_TYPES = ("article", "news", "blog", "video.other")
_NOT_CONTENT = ("script", "style", "noscript", "template", "svg")


@dataclass(frozen=True, slots=True)
class PageKind:
    """``kind`` is ``None`` when the page has no main text to store; ``reason`` says why, in a short token."""

    kind: str | None
    reason: str

    @property
    def stored(self) -> bool:
        return self.kind is not None


def link_density(tree: Any) -> float:
    """Share of the ``<body>``'s visible text that is link text (0 for an empty page).

    Computed on the parsed page before the body extractor prunes it: a listing's links are furniture to the
    extractor but are exactly what makes it a listing. One pass over the tree, no per-node ancestor walks.
    """
    if tree is None:
        return 0.0
    bodies = tree.xpath("//body")
    stack: list[tuple[Any, bool]] = [(bodies[0] if bodies else tree, False)]
    total = linked = 0
    while stack:
        node, in_link = stack.pop()
        if not isinstance(node.tag, str) or node.tag in _NOT_CONTENT:
            continue  # comments, processing instructions, scripts: not visible (their tails are the parent's)
        here = in_link or node.tag == "a"
        size = len(node.text.strip()) if node.text else 0
        total += size
        linked += size if here else 0
        for child in node:
            if child.tail:
                size = len(child.tail.strip())
                total += size
                linked += size if here else 0
            stack.append((child, here))
    return linked / total if total else 0.0


def _declares_article(json_ld_article: Any, og_type: str | None) -> bool:
    og = (og_type or "").lower()
    return json_ld_article is not None or any(og.startswith(t) for t in _ARTICLE_OG_TYPES)


def classify_page(
    text: str,
    published: DatedValue | None,
    *,
    json_ld_article: Any = None,
    og_type: str | None = None,
    density: float = 0.0,
) -> PageKind:
    """The kind of a page from its main text, its date and what it declares (see the module doc)."""
    text = text or ""
    if len(text.strip()) < MIN_TEXT_CHARS:
        if published is not None:
            # a dated page whose text the extractor could not find (a video page, a script-built article):
            # what is certain (title, date, outlet) still belongs in the coverage timeline
            return PageKind(OTHER, "dated_without_main_text")
        return PageKind(None, "no_text" if not text.strip() else "too_short")
    if _declares_article(json_ld_article, og_type):
        return PageKind(ARTICLE, "declared_article")
    if published is not None and len(text.split()) >= DATED_ARTICLE_WORDS:
        return PageKind(ARTICLE, "dated_text")
    if density >= LISTING_LINK_DENSITY:
        return PageKind(LISTING, "link_dense")
    paragraphs = [p for p in text.split("\n\n") if len(p) >= PARAGRAPH_CHARS]
    if len(text) >= UNDATED_ARTICLE_CHARS and len(paragraphs) >= UNDATED_MIN_PARAGRAPHS:
        return PageKind(ARTICLE, "long_text")
    if published is not None:
        return PageKind(OTHER, "dated_short_text")
    if (og_type or "").lower() in ("website", "section", "profile"):
        return PageKind(OTHER, "declared_website")
    return PageKind(OTHER, "short_undated_text")
