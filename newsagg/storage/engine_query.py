"""Query DSL of the engine backends, shared by Elasticsearch and OpenSearch (pure functions, no I/O).

Semantics follow the SQLite reference store: user text is split into words (no query syntax reaches the
engine, so hostile input cannot raise); words are ANDed, an explicit ``OR`` between words splits the query
into alternatives like FTS5 (``a b OR c`` = ``(a AND b) OR c``). A word matches the accent-folded ``title`` /
``text`` of any article, or the stemmed subfield (``text.es``, ``text.pt``, ...) of articles in that language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from newsagg.storage.base import ArticleFilter
from newsagg.storage.engine_schema import LANGUAGE_SUBFIELDS

_WORD = re.compile(r"\w+", re.UNICODE)
TITLE_BOOST = 3
CANDIDATE_TITLE_BOOST = 2

#: 'oldest published first, undated last', then first discovered (undated first, as SQLite sorts NULLs), id.
ARTICLE_ORDER: list[dict[str, Any]] = [
    {"published_utc": {"order": "asc", "missing": "_last"}},
    {"discovered_utc": {"order": "asc", "missing": "_first"}},
    {"id": {"order": "asc"}},
]


def filter_clauses(flt: ArticleFilter | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(filter, must_not) clauses for an :class:`ArticleFilter`."""
    filters: list[dict[str, Any]] = []
    must_not: list[dict[str, Any]] = []
    if flt is None:
        return filters, must_not
    for field, value in (
        ("language", flt.language),
        ("country", flt.country),
        ("outlet_id", flt.outlet),
        ("story_id", flt.story_id),
    ):
        if value is not None:
            filters.append({"term": {field: value.upper() if field == "country" else value}})
    window: dict[str, float | None] = {}
    if flt.since is not None:
        window["gte"] = flt.since_utc()
    if flt.until is not None:
        window["lte"] = flt.until_utc()
    if window:
        filters.append({"range": {"when_utc": window}})
    if not flt.include_duplicates:
        must_not.append({"exists": {"field": "duplicate_of"}})
    if flt.unclustered:
        must_not.append({"exists": {"field": "story_id"}})
    if flt.kind is not None:
        # a document indexed before page kinds has no kind, and was an article
        kinds: list[dict[str, Any]] = [{"term": {"kind": flt.kind}}]
        if flt.kind == "article":
            kinds.append({"bool": {"must_not": {"exists": {"field": "kind"}}}})
        filters.append({"bool": {"should": kinds, "minimum_should_match": 1}})
    return filters, must_not


def filtered(query: dict[str, Any] | None, flt: ArticleFilter | None) -> dict[str, Any]:
    filters, must_not = filter_clauses(flt)
    if query is None and not filters and not must_not:
        return {"match_all": {}}
    body: dict[str, Any] = {}
    if query is not None:
        body["must"] = [query]
    if filters:
        body["filter"] = filters
    if must_not:
        body["must_not"] = must_not
    return {"bool": body}


def word_groups(text: str) -> list[list[str]]:
    """'a b OR c' -> [['a', 'b'], ['c']]; empty when there is no word at all."""
    groups: list[list[str]] = [[]]
    for word in _WORD.findall(text or ""):
        if word == "OR":
            if groups[-1]:
                groups.append([])
            continue
        groups[-1].append(word)
    return [g for g in groups if g]


def _word_clause(word: str) -> dict[str, Any]:
    should: list[dict[str, Any]] = [
        {"multi_match": {"query": word, "fields": [f"title^{TITLE_BOOST}", "text"], "operator": "and"}}
    ]
    for code in LANGUAGE_SUBFIELDS:
        should.append(
            {
                "bool": {
                    "filter": [{"term": {"language": code}}],
                    "must": [
                        {
                            "multi_match": {
                                "query": word,
                                "fields": [f"title.{code}^{TITLE_BOOST}", f"text.{code}"],
                                "operator": "and",
                            }
                        }
                    ],
                }
            }
        )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def text_query(text: str) -> dict[str, Any] | None:
    """The full-text part of a search, or None when ``text`` has no word."""
    groups = word_groups(text)
    if not groups:
        return None
    alternatives = [{"bool": {"must": [_word_clause(w) for w in group]}} for group in groups]
    if len(alternatives) == 1:
        return alternatives[0]
    return {"bool": {"should": alternatives, "minimum_should_match": 1}}


SNIPPET_FIELDS = ("text", *(f"text.{code}" for code in LANGUAGE_SUBFIELDS))


def highlight(fragment_size: int = 160) -> dict[str, Any]:
    fields: dict[str, Any] = {
        name: {"fragment_size": fragment_size, "number_of_fragments": 1} for name in SNIPPET_FIELDS
    }
    fields["text"]["no_match_size"] = fragment_size
    return {"pre_tags": ["«"], "post_tags": ["»"], "encoder": "default", "fields": fields}


def pick_snippet(hit: dict[str, Any]) -> str:
    """The first highlighted fragment (folded field, then stemmed ones), else the text's opening."""
    found = hit.get("highlight") or {}
    plain = ""
    for name in SNIPPET_FIELDS:
        fragments: list[str] = found.get(name) or []
        if fragments and "«" in fragments[0]:
            return fragments[0]
        if fragments and not plain:
            plain = fragments[0]
    return plain


def candidates_query(
    terms: Sequence[str], *, since_utc: float | None, until_utc: float | None, exclude_id: str | None
) -> dict[str, Any] | None:
    words = list(dict.fromkeys(w for term in terms for w in _WORD.findall(term)))
    if not words:
        return None
    filters: list[dict[str, Any]] = [{"exists": {"field": "story_id"}}]
    for bound, op in ((since_utc, "gte"), (until_utc, "lte")):
        if bound is not None:  # undated articles stay candidates, as in SQLite
            filters.append(
                {
                    "bool": {
                        "should": [
                            {"range": {"when_utc": {op: bound}}},
                            {"bool": {"must_not": [{"exists": {"field": "when_utc"}}]}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
    body: dict[str, Any] = {
        "must": [
            {
                "multi_match": {
                    "query": " ".join(words),
                    "fields": [f"title^{CANDIDATE_TITLE_BOOST}", "text"],
                    "type": "most_fields",
                    "operator": "or",
                }
            }
        ],
        "filter": filters,
    }
    if exclude_id is not None:
        body["must_not"] = [{"term": {"id": exclude_id}}]
    return {"bool": body}


def term_filters(terms: Sequence[str]) -> dict[str, Any]:
    """A ``filters`` aggregation: one bucket per term, counting articles whose title or text contain it."""
    return {
        "filters": {
            "filters": {
                str(i): {"multi_match": {"query": term, "fields": ["title", "text"], "type": "phrase"}}
                for i, term in enumerate(terms)
            }
        }
    }
