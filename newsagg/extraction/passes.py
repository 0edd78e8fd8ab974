"""trafilatura's text extraction, several passes over one page, without redoing what the passes share.

``extract_body`` runs trafilatura up to four times on the same tree (precision fast, precision full, balanced,
recall). Each ``trafilatura.extract`` call copies the tree, then prunes the raw copy with the same XPath lists
(infinite-scroll containers, comment sections and comment lists: ≈ 3 ms a page, EXSLT regular expressions
run per element) before it cleans, converts and extracts. :class:`TrafilaturaPasses` does that copy and that
raw-tree prune once per page and hands the pruned raw tree to each pass; the rest of each pass is trafilatura's
own code (``trafilatura.core`` helpers), called in the order ``trafilatura.core.trafilatura_sequence`` and
``bare_extraction`` call them for our options (no comments, tables, no metadata, text output), so the text is
the same as ``trafilatura.extract``'s (tested on pages against it).

The pruned raw tree is never modified by a pass: trafilatura copies it before cleaning (``_prepare_tree``),
before the external comparison, and inside ``baseline`` and ``html2txt``.

Written against trafilatura 2.3.1's internals: if they are missing or their signatures change, every pass
falls back to ``trafilatura.extract`` (same text, the old cost).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from copy import copy
from typing import Any

import trafilatura

try:  # trafilatura internals; see the module docstring
    from trafilatura import core as _core
    from trafilatura.core import (
        ESCALATION_ACCEPT_RATIO,
        ESCALATION_JUSTEXT_RATIO,
        ESCALATION_MAX_LENGTH,
        ESCALATION_PAGE_SHARE,
        _extract_and_compare,
        _forum_thread_page,
        _recall_retry,
        baseline,
        determine_returnstring,
        html2txt,
        justext_rescue,
        prune_unwanted_nodes,
    )
    from trafilatura.metadata import Document
    from trafilatura.settings import DEFAULT_CONFIG, Extractor
    from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH, REMOVE_COMMENTS_XPATH

    INTERNALS = trafilatura.__version__ == "2.3.1" and hasattr(_core, "trafilatura_sequence")
except ImportError:  # pragma: no cover - another trafilatura
    INTERNALS = False

_LOG = logging.getLogger(__name__)

# The XPaths of trafilatura's raw-tree prune (and of its comment prune after conversion) each select only
# elements whose own ``@id`` or ``@class`` passes one of the ``re:test``/``contains`` tests written in the
# expression (checked by hand for these exact texts; the tests pin them). Evaluating one costs a Python
# ``re.search`` per element (EXSLT regular expressions); when no class or id value of the page passes any of
# its tests, the expression cannot select anything and is skipped. Any other expression is always evaluated.
_RE_TEST = re.compile(r"re:test\(@(?:id|class)(?:\|@(?:id|class))?, '([^']*)'(?:, '([^']*)')?\)")
_CONTAINS = re.compile(r"contains\(@(?:id|class), '([^']*)'\)")
_GUARDED_PATHS = frozenset(
    {
        # RAW_TREE_PRUNE_XPATH
        """
        .//*[self::div or self::section or self::aside][
        re:test(@id, 'mvp-post-add-(?:box|wrap)|infinite-?scroll') or
        re:test(@class, 'mvp-post-add-(?:box|wrap)|infinite-?scroll')][
        not(.//h1) or re:test(@id, 'mvp-post-add-(?:box|wrap)') or re:test(@class, 'mvp-post-add-(?:box|wrap)')]
        """,
        ".//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]",
        # REMOVE_COMMENTS_XPATH
        """
        .//*[self::div or self::list or self::section or self::details][
        re:test(@id, '^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or
        re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')]
        """,
        # REMOVE_COMMENTS_AND_LISTS_XPATH
        """
        .//*[self::div or self::list or self::section or self::details or self::ol or self::ul][
        re:test(@id, '^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or
        re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')][
        not(self::ol or self::ul) or re:test(@id, '^(?:[Cc]omment(?!ary)|comol)') or re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')]
        """,  # noqa: E501 (trafilatura's text, byte for byte)
    }
)


def attribute_guard(path: str) -> re.Pattern[str] | None:
    """One regular expression that finds, in the page's class and id values joined by newlines, a value that
    could make the expression ``path`` select an element; ``None`` when ``path`` is not one we checked."""
    if path not in _GUARDED_PATHS:
        return None
    parts = [f"(?i:{pattern})" if "i" in flags else f"(?:{pattern})" for pattern, flags in _RE_TEST.findall(path)]
    parts += [re.escape(text) for text in _CONTAINS.findall(path)]
    # re:test on a missing attribute tests "": the joined text starts with one empty line for it
    return re.compile("|".join(parts), re.MULTILINE) if parts else None


def joined_values(values: Iterable[Any]) -> str:
    """Class and id values joined for :func:`attribute_guard`'s expressions: a match in one value is a match
    in the joined text (their ``^`` is MULTILINE; none uses ``$``, ``\\b`` or a look-ahead that a newline could
    fail), so a miss here is a miss in every value (and in ``""``). Each distinct value once: templates repeat
    their classes, and the guards scan the whole text (half as long on the benchmark's pages)."""
    return "\n" + "\n".join(dict.fromkeys(values))


_TRAFILATURA_LOGGER = logging.getLogger("trafilatura.core")


class TrafilaturaPasses:
    """trafilatura passes over one parsed page (``tree`` is never modified)."""

    def __init__(
        self, tree: Any, url: str | None, attribute_values: Iterable[Any] | None = None, *, consume: bool = False
    ) -> None:
        """``attribute_values``: every ``@class`` and ``@id`` value of ``tree`` (more is fine, fewer is not);
        given, the XPaths that no value can satisfy are not evaluated. ``consume``: the caller no longer needs
        ``tree``, which is then pruned in place instead of copied first (except on a forum page, where passes
        need two different prunes)."""
        self.tree = tree
        self.url = url
        self.consume = consume
        self._joined = joined_values(attribute_values) if attribute_values is not None else None
        self.calls = 0
        self._forum: bool | None = None
        self._raw: dict[bool, Any] = {}  # comment lists pruned too? -> pruned copy of the raw tree
        self._can_match: dict[int, bool] = {}  # guard -> does it find a value on this page (asked once per page)

    def _needed(self, expressions: Sequence[Any]) -> list[Any]:
        """``expressions`` without those no class or id value of the page can satisfy."""
        if self._joined is None:
            return list(expressions)
        out = []
        for expression in expressions:
            guard = _GUARDS.get(id(expression))
            if guard is not None:
                found = self._can_match.get(id(guard))
                if found is None:
                    found = self._can_match[id(guard)] = guard.search(self._joined) is not None
                if not found:
                    continue
            out.append(expression)
        return out

    def _raw_tree(self, prune_lists: bool) -> Any:
        raw = self._raw.get(prune_lists)
        if raw is None:
            # not a forum page: every pass prunes the same way, the only prune may be done on the tree itself
            mine = self.consume and not self._forum and not self._raw
            raw = self.tree if mine else copy(self.tree)
            raw = prune_unwanted_nodes(raw, self._needed(RAW_TREE_PRUNE_XPATH))
            if prune_lists:
                raw = prune_unwanted_nodes(raw, self._needed(REMOVE_COMMENTS_AND_LISTS_XPATH))
            self._raw[prune_lists] = raw
        return raw

    def extract(self, *, fast: bool = False, favor_precision: bool = False, favor_recall: bool = False) -> str | None:
        """``trafilatura.extract(tree, url=url, include_comments=False, include_tables=True,
        with_metadata=False, fast=…, favor_precision=…, favor_recall=…)``; raises what it would raise."""
        self.calls += 1
        if not INTERNALS:
            return trafilatura.extract(
                self.tree,
                url=self.url,
                include_comments=False,
                include_tables=True,
                with_metadata=False,
                fast=fast,
                favor_precision=favor_precision,
                favor_recall=favor_recall,
            )
        options = Extractor(
            config=DEFAULT_CONFIG,
            output_format="txt",
            fast=fast,
            precision=favor_precision,
            recall=favor_recall,
            comments=False,
            formatting=None,
            links=False,
            images=False,
            tables=True,
            dedup=False,
            lang=None,
            url=self.url,
            with_metadata=False,
            only_with_metadata=False,
            tei_validation=False,
            author_blacklist=None,
            url_blacklist=None,
            date_params=None,
        )
        try:
            text = self._sequence(options)
        except (TypeError, ValueError):
            _TRAFILATURA_LOGGER.warning("discarding data: %s", options.source)
            return None
        if text is None:
            return None
        document = Document()
        document.raw_text = text[1]
        document.body = text[0]
        document.commentsbody = _core.Element("body")
        return determine_returnstring(document, options)

    def _sequence(self, options: Any) -> tuple[Any, str] | None:
        """``trafilatura_sequence`` with comments off, then ``bare_extraction``'s size checks."""
        if self._forum is None:
            self._forum = _forum_thread_page(self.tree)
        is_forum = self._forum
        tree = self._raw_tree(options.focus == "precision" or not is_forum)
        if options.fast:  # the backup copy is for the external comparison, which the fast mode skips
            cleaned_tree = _core.convert_tags(_core.tree_cleaning(copy(tree), options), options, options.url)
            cleaned_tree_backup = None
        else:
            cleaned_tree, cleaned_tree_backup = _core._prepare_tree(tree, options, options.url)
        if options.focus == "precision" and not is_forum:
            # conversion renames tags and sets rend/target/href, never a class or id: the page's values hold
            cleaned_tree = prune_unwanted_nodes(cleaned_tree, self._needed(REMOVE_COMMENTS_XPATH))
        postbody, temp_text = _extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options)

        if len(temp_text) < options.min_extracted_size and options.focus != "precision":
            b_body, b_text, b_len = baseline(tree)
            if b_len > len(temp_text):
                postbody, temp_text = b_body, b_text

        if (
            options.focus == "balanced"
            and 0 < len(temp_text) < ESCALATION_MAX_LENGTH
            and len(temp_text) < ESCALATION_PAGE_SHARE * len(html2txt(tree))
        ):
            r_options = copy(options)
            r_options.focus = "recall"
            r_text = ""
            try:
                r_body, r_text = _recall_retry(tree, r_options, options.url)
            except Exception as err:  # pragma: no cover - as trafilatura
                _LOG.warning("recall retry failed: %s %s", err, options.url)
            j_text = ""
            if not options.fast:
                try:
                    j_body, j_text = justext_rescue(copy(tree), options)
                except Exception as err:  # pragma: no cover - as trafilatura
                    _LOG.warning("justext candidate failed: %s %s", err, options.url)
            len_text, r_len, j_len = len(temp_text), len(r_text), len(j_text)
            if j_len > r_len and j_len > ESCALATION_JUSTEXT_RATIO * len_text:
                postbody, temp_text = j_body, j_text
            elif r_len >= options.min_extracted_size and r_len > ESCALATION_ACCEPT_RATIO * len_text:
                postbody, temp_text = r_body, r_text

        if options.max_tree_size and len(postbody) > options.max_tree_size:
            _core.strip_tags(postbody, "hi")
            if len(postbody) > options.max_tree_size:
                raise ValueError
        if len(temp_text) < options.min_output_size:  # and no comments (off)
            _TRAFILATURA_LOGGER.debug("text and comments not long enough: %s", options.source)
            return None
        return postbody, temp_text


_GUARDS: dict[int, re.Pattern[str]] = {}
if INTERNALS:
    for _expression in (*RAW_TREE_PRUNE_XPATH, *REMOVE_COMMENTS_AND_LISTS_XPATH, *REMOVE_COMMENTS_XPATH):
        _guard = attribute_guard(_expression.path)
        if _guard is not None:
            _GUARDS[id(_expression)] = _guard
