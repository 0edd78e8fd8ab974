"""Canonical URL and the descriptive fields (description, section, keywords, image); re-exports the title,
author and site-name functions, which live in their own modules."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from newsagg.urls import canonicalize_url, site_of

from .authors import authors
from .page import Page
from .sitename import norm_space, site_name
from .title import h1, title, title_and_spellings

_AMP_CACHE_HOSTS = ("cdn.ampproject.org", "amp.cloudflare.com", "bing-amp.com")

__all__ = [
    "authors",
    "canonical_url",
    "description",
    "h1",
    "image",
    "keywords",
    "norm_space",
    "section",
    "site_name",
    "title",
    "title_and_spellings",
]


# ------------------------------------------------------------------------------------------ canonical URL


def canonical_url(page: Page, warnings: list[str]) -> str:
    base = page.url
    fallback = canonicalize_url(base) if base else ""
    candidates = [el.get("href") for el in page.tree.xpath('//link[@rel="canonical"][@href]')[:1]]
    candidates.append(page.meta_first("og:url"))
    for href in candidates:
        if not href or not href.strip():
            continue
        try:
            absolute = urljoin(base, href.strip())
            parts = urlsplit(absolute)
        except ValueError:  # e.g. an unbalanced "[" in the host: not a URL, not a canonical
            warnings.append(f"canonical ignored: not a valid URL ({href.strip()[:200]!r})")
            continue
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        own = urlsplit(base)
        if parts.path in ("", "/") and own.path not in ("", "/"):
            warnings.append(f"canonical ignored: points to the site root ({absolute})")
            continue
        # same registrable domain and port: a sibling subdomain is the same site, another tenant of a shared
        # host (x.blogspot.com) or another port of one machine is not
        same_site = (
            not urlsplit(base).hostname
            or site_of(base) == site_of(absolute)
            or any((urlsplit(base).hostname or "").endswith(h) for h in _AMP_CACHE_HOSTS)
        )
        if not same_site:
            warnings.append(f"cross-site canonical ignored (syndicated copy?): {absolute}")
            continue
        return canonicalize_url(absolute)
    return fallback


# ------------------------------------------------------------------------------------ descriptive fields


def description(page: Page) -> str | None:
    return norm_space(
        page.meta_first("og:description", "description", "twitter:description", "dc.description")
        or page.ld("description")
    )


def section(page: Page) -> str | None:
    value = page.meta_first("article:section", "parsely-section", "section", "sailthru.section") or page.ld(
        "articleSection"
    )
    if isinstance(value, list):
        value = value[0] if value else None
    return norm_space(value)


def keywords(page: Page) -> list[str]:
    raw: list[str] = []
    for key in ("news_keywords", "keywords", "article:tag", "parsely-tags", "sailthru.tags"):
        for value in page.meta_values(key):
            raw.extend(value.split(","))
    ld = page.ld("keywords")
    if isinstance(ld, str):
        raw.extend(ld.split(","))
    elif isinstance(ld, list):
        raw.extend(str(k) for k in ld if isinstance(k, (str, int)))
    out: list[str] = []
    seen: set[str] = set()
    for k in raw:
        k = norm_space(k) or ""
        if k and len(k) <= 80 and k.casefold() not in seen:
            seen.add(k.casefold())
            out.append(k)
    return out[:50]


def image(page: Page) -> str | None:
    value: Any = page.meta_first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")
    if not value:
        value = page.ld("image")
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("url") or value.get("contentUrl")
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return urljoin(page.url, value.strip())
    except ValueError:  # an unparseable URL (found by tests/fuzz): no image rather than no article
        return None
