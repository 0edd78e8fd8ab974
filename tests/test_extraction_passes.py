"""TrafilaturaPasses: the same text as trafilatura.extract, for every pass extract_body runs, without touching
the page's tree; the XPath guards skip only what cannot match."""

from __future__ import annotations

import pytest
import trafilatura
from lxml import etree

from newsagg.extraction import passes as P
from newsagg.extraction.body import _CLASS_OR_ID
from newsagg.extraction.page import parse_html

_PARA = "<p>{} is a sentence of the article, long enough to count as text for the extractor, with words.</p>"


def _article(extra: str = "", paragraphs: int = 12, head: str = "") -> str:
    body = "".join(_PARA.format(f"Paragraph {i}") for i in range(paragraphs))
    return (
        f"<html><head><title>T</title>{head}</head><body><nav><a href='/'>Home</a><a href='/x'>World</a></nav>"
        f"<h1>The headline</h1><article><div class='article-body'>{body}</div>{extra}</article>"
        "<footer><p>Copyright</p></footer></body></html>"
    )


PAGES = {
    "plain": _article(),
    "short": _article(paragraphs=1),
    "comments": _article(
        "<div id='comments'><p>A reader comment that should never be article text, says the reader.</p></div>"
        "<ul class='comment-list'><li>first comment in a list of comments on this article page</li></ul>"
    ),
    "disqus": _article("<section id='disqus_thread'><p>Disqus thread text, not article text at all.</p></section>"),
    "infinite": _article(
        "<div class='infinite-scroll'><p>Next article appended below the real one, with its own text.</p></div>"
    ),
    "elementor": _article("<div class='elementor-share-buttons'><p>Share on X</p></div>"),
    "forum": _article(
        "<div class='comment-body'><p>A forum post that is the content of this thread page.</p></div>",
        head='<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "x"}</script>',
    ),
    "nothing": "<html><body><div></div></body></html>",
    "list": "<html><body><ul>"
    + "".join(f"<li><a href='/{i}'>Link {i}</a></li>" for i in range(30))
    + "</ul></body></html>",
}
PASSES = [
    {"favor_precision": True, "fast": True},
    {"favor_precision": True},
    {},
    {"favor_recall": True},
    {"fast": True},
]


def _reference(tree: object, **options: bool) -> str | None:
    return trafilatura.extract(
        tree, url="https://example.org/a", include_comments=False, include_tables=True, with_metadata=False, **options
    )


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("guarded", [False, True])
def test_same_text_as_trafilatura_extract_and_tree_untouched(name: str, guarded: bool) -> None:
    tree = parse_html(PAGES[name])
    before = etree.tostring(tree)
    passes = P.TrafilaturaPasses(tree, "https://example.org/a", _CLASS_OR_ID(tree) if guarded else None)
    for options in PASSES:
        assert passes.extract(**options) == _reference(tree, **options), (name, options)
    assert etree.tostring(tree) == before
    assert passes.calls == len(PASSES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_consumed_tree_gives_the_same_text(name: str) -> None:
    tree = parse_html(PAGES[name])
    expected = [_reference(tree, **options) for options in PASSES]
    passes = P.TrafilaturaPasses(tree, "https://example.org/a", _CLASS_OR_ID(tree), consume=True)
    assert [passes.extract(**options) for options in PASSES] == expected


def test_internals_in_use() -> None:
    # written against trafilatura 2.3.1: another version falls back to trafilatura.extract (slower, same text)
    assert (trafilatura.__version__ == "2.3.1") == P.INTERNALS


@pytest.mark.skipif(not P.INTERNALS, reason="trafilatura internals not in use")
def test_every_raw_tree_xpath_is_guarded() -> None:
    # a changed expression text in trafilatura is evaluated every time (correct, slower): this says so
    for expression in (*P.RAW_TREE_PRUNE_XPATH, *P.REMOVE_COMMENTS_AND_LISTS_XPATH, *P.REMOVE_COMMENTS_XPATH):
        assert id(expression) in P._GUARDS, expression.path


@pytest.mark.skipif(not P.INTERNALS, reason="trafilatura internals not in use")
@pytest.mark.parametrize(
    ("markup", "selects"),
    [
        ("<div id='comments'>x</div>", True),
        ("<div class='commentary'>x</div>", False),
        ("<div class='post-comments x'>x</div>", True),
        ("<ul id='comol'><li>x</li></ul>", True),
        ("<section class='infinite-scroll'>x</section>", True),
        ("<div class='a elementor-share-buttons'>x</div>", True),
        ("<div class='share'>x</div>", False),
        ("<div>x</div>", False),
    ],
)
def test_guard_never_skips_an_expression_that_selects(markup: str, selects: bool) -> None:
    tree = parse_html(f"<html><body><p>text</p>{markup}</body></html>")
    joined = P.joined_values(_CLASS_OR_ID(tree))
    any_selected = False
    for expression in (*P.RAW_TREE_PRUNE_XPATH, *P.REMOVE_COMMENTS_AND_LISTS_XPATH, *P.REMOVE_COMMENTS_XPATH):
        selected = bool(expression(tree))
        any_selected |= selected
        if selected:
            assert P._GUARDS[id(expression)].search(joined), (markup, expression.path)
    assert any_selected == selects


def test_joined_values_keep_line_starts() -> None:
    joined = P.joined_values(["a b", "comment-x"])
    assert joined.startswith("\n")
    guard = P.attribute_guard(P.REMOVE_COMMENTS_XPATH[0].path) if P.INTERNALS else None
    if guard is not None:
        assert guard.search(joined)
        assert not guard.search(P.joined_values(["x-comment", "commentary"]))


def test_joined_values_hold_each_value_once_and_keep_an_empty_first_line() -> None:
    # templates repeat their classes hundreds of times; the guards scan the joined text once per page
    assert P.joined_values(["nav", "comment-list", "nav", "comment-list", "x"]) == "\nnav\ncomment-list\nx"
