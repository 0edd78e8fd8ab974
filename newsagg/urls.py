"""URL canonicalization shared by the spider, the pipelines and the stores.

The stable article id is a hash of the canonical URL, so two spellings of one article URL (tracking
parameters, fragment, host case, default port, AMP path) must map to one string. courlan knows the tracking
parameters of the news web; w3lib sorts the query so parameter order cannot split an article in two.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

import courlan
from w3lib.url import canonicalize_url as w3lib_canonicalize

_AMP_PATH = re.compile(r"(/amp/?$|/amp(?=/)|\.amp(?=\.html?$)|\?amp=?1?$)")


def canonicalize_url(url: str) -> str:
    """Return the canonical spelling of an article URL (scheme/host lower case, no fragment, no tracking)."""
    url = url.strip()
    try:
        cleaned = courlan.normalize_url(url, strict=True)
    except (ValueError, TypeError):
        cleaned = url
    canonical = w3lib_canonicalize(cleaned, keep_fragments=False)
    parts = urlsplit(canonical)
    path = _AMP_PATH.sub("", parts.path) or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def article_id(canonical_url: str) -> str:
    """Stable id of an article: 16 hex chars of SHA-256 over its canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, lower case; the key the registry uses to map a page to its outlet."""
    return urlsplit(url).netloc.lower()
