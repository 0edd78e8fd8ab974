"""``extract_article``: one fetched page -> one :class:`ExtractedArticle`. Pure, no Scrapy, never raises on
bad input (malformed, empty, huge, mislabeled or non-HTML pages come back with ``is_article=False`` and a
warning)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

from newsagg.dates import DatedValue
from newsagg.urls import canonicalize_url

from . import metadata
from .body import extract_body
from .datefind import DateContext, find_dates, resolve_tz
from .decode import cap_text, decode_html, looks_binary
from .kind import ARTICLE, classify_page, link_density
from .language import detect_language, primary_subtag
from .model import ExtractedArticle
from .page import Page, parse_html

_CHARSET_IN_CONTENT_TYPE = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.IGNORECASE)


def _safe_canonical(url: str) -> str:
    try:
        return canonicalize_url(url) if url else ""
    except Exception:  # w3lib/courlan on garbage URLs
        return url


def _lower_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    if not headers:
        return {}
    out = {}
    for key, value in headers.items():
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        out[str(key).lower()] = str(value)
    return out


def extract_article(
    html: bytes | str,
    url: str,
    *,
    encoding: str | None = None,
    headers: Mapping[str, str] | None = None,
    fetched_at: datetime | None = None,
    timezone: str | None = None,
    language_hint: str | None = None,
    feed_published: DatedValue | None = None,
) -> ExtractedArticle:
    """Extract the article of one page (see :class:`ExtractedArticle` for the fields)."""
    url = url or ""
    warnings: list[str] = []
    result = ExtractedArticle(url=url, canonical_url=_safe_canonical(url), warnings=warnings)
    hdrs = _lower_headers(headers)
    if encoding is None and "content-type" in hdrs:
        match = _CHARSET_IN_CONTENT_TYPE.search(hdrs["content-type"])
        encoding = match.group(1) if match else None
    if fetched_at is None:
        fetched_at = datetime.now(UTC)
    elif fetched_at.tzinfo is None or fetched_at.utcoffset() is None:
        warnings.append("fetched_at is naive: assumed UTC")
        fetched_at = fetched_at.replace(tzinfo=UTC)

    if (
        html is None
        or (isinstance(html, (bytes, bytearray)) and not html.strip())
        or (isinstance(html, str) and not html.strip())
    ):
        warnings.append("empty page")
        result.kind_reason = "empty_page"
        return result
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if looks_binary(data):
            warnings.append("not HTML: binary content")
            result.kind_reason = "not_html"
            return result
        text, _codec, decode_warnings = decode_html(data, encoding)
        warnings.extend(decode_warnings)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"html must be bytes or str, not {type(html).__name__}")
    text = cap_text(text, warnings)
    if "<" not in text[:20_000]:
        warnings.append("not HTML: no markup found")
    tree = parse_html(text)
    if tree is None:
        warnings.append("not HTML: nothing to parse")
        result.kind_reason = "not_html"
        return result

    page = Page.build(tree, url)
    result.canonical_url = metadata.canonical_url(page, warnings)
    result.site_name = metadata.site_name(page)
    result.title, headlines = metadata.title_and_spellings(page, result.site_name)
    result.authors = metadata.authors(page, result.site_name)
    result.description = metadata.description(page)
    result.section = metadata.section(page)
    result.keywords = metadata.keywords(page)
    result.image = metadata.image(page)

    declared_lang = page.html_lang() or hdrs.get("content-language") or page.meta_first("og:locale")
    languages = []
    for code in (primary_subtag(language_hint), primary_subtag(declared_lang)):
        if code and code not in languages:
            languages.append(code)
    ctx = DateContext(
        fetched_at=fetched_at,
        tz=None,
        tz_name=None,
        languages=None,
        warnings=warnings,
    )
    ctx.tz = resolve_tz(timezone, warnings)
    ctx.tz_name = timezone if ctx.tz is not None else None
    ctx.languages = _dateparser_languages(languages)
    result.published, result.modified = find_dates(page, ctx=ctx, headers=hdrs, feed_published=feed_published)

    density = link_density(tree)  # before the body extractor prunes the tree
    body, body_warnings = extract_body(tree, url or None, (result.title, metadata.h1(page), result.section, *headlines))
    warnings.extend(body_warnings)
    result.text = body
    result.language = detect_language(body, declared_lang or language_hint, warnings) or primary_subtag(language_hint)
    kind = classify_page(
        body, result.published, json_ld_article=page.article_ld, og_type=page.meta_first("og:type"), density=density
    )
    result.kind, result.kind_reason = kind.kind, kind.reason
    result.is_article = kind.kind == ARTICLE
    if not body:
        warnings.append("no main text found")
    elif not kind.stored:
        warnings.append(f"no main text to store ({kind.reason})")
    return result


_DATEPARSER_LANGS: set[str] | None = None


def _dateparser_languages(codes: list[str]) -> list[str] | None:
    """Codes dateparser knows, plus English (dates on non-English sites are often English)."""
    global _DATEPARSER_LANGS
    if _DATEPARSER_LANGS is None:
        try:
            from dateparser.languages.loader import default_loader

            _DATEPARSER_LANGS = set(default_loader.get_locale_map().keys())
        except Exception:
            _DATEPARSER_LANGS = set()
    out = [c for c in codes if not _DATEPARSER_LANGS or c in _DATEPARSER_LANGS]
    if "en" not in out:
        out.append("en")
    return out
