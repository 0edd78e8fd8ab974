"""URL canonicalization shared by the spider, the pipelines and the stores.

The stable article id is a hash of the canonical URL, so two spellings of one article URL must map to one
string, and two articles must never map to the same one. Canonicalization is therefore conservative: it
lower-cases scheme and host, drops the default port and the fragment, removes the query parameters known
to be tracking (:data:`TRACKING_PARAMETERS`) and sorts the rest. It keeps every other parameter
(``?newsid=6486285``, ``?tx_ttnews[tt_news]=12``, ``?f=4&t=167`` identify the page) and never rewrites the
path: ``/amp`` and ``/.`` are part of what the server answers to, and the AMP and canonical spellings of one
article are joined by the page's ``<link rel="canonical">``, not by guessing.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Query parameters that only say how a reader arrived (campaign, click and mail tracking): removing them
# never changes the page. Shell-style patterns, matched case-insensitively against the decoded name.
TRACKING_PARAMETERS: tuple[str, ...] = (
    "utm_*",
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "mc_*",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "vero_conv",
    "rb_clickid",
    "wickedid",
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name: str, patterns: tuple[str, ...] = TRACKING_PARAMETERS) -> bool:
    key = unquote_plus(name).strip().lower()
    return any(fnmatch.fnmatchcase(key, pattern) for pattern in patterns)


def _netloc(scheme: str, url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the spelling, lower-cased
        return parts.netloc.lower()
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    return netloc


#: URLs whose canonical spelling is remembered (a few MB at most): a crawl canonicalizes each article URL several
#: times (the listing that names it, the sitemap budget, the response and its request, normalization).
CANONICAL_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def canonicalize_url(url: str, tracking: tuple[str, ...] = TRACKING_PARAMETERS) -> str:
    """The canonical spelling of an article URL: scheme/host lower case, no default port, no fragment, no
    tracking parameter, the other parameters sorted; the path exactly as given (percent-encoded).

    Memoized: the result depends on the arguments only (no settings, no clock, no I/O) and is a string, which no
    caller can change; ``tracking`` must be hashable, hence a tuple. A URL that raises is not remembered."""
    safe = safe_url_string(url.strip())
    parts = urlsplit(safe)
    scheme = parts.scheme.lower()
    query = sorted(
        pair for pair in parts.query.split("&") if pair and not is_tracking_parameter(pair.partition("=")[0], tracking)
    )
    return urlunsplit((scheme, _netloc(scheme, safe), parts.path or "/", "&".join(query), ""))


def article_id(canonical_url: str) -> str:
    """Stable id of an article: 16 hex chars of SHA-256 over its canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, lower case; the key the registry uses to map a page to its outlet."""
    return urlsplit(url).netloc.lower()


_PUBLIC_SUFFIXES = None


def site_of(url: str) -> tuple[str, int | None]:
    """The site a URL belongs to: its registrable domain (``news.example.co.uk`` → ``example.co.uk``, by the
    Public Suffix List snapshot tldextract ships: no download) and its explicit port. ``a.blogspot.com`` and
    ``b.blogspot.com`` are different sites; ``www.example.com`` and ``news.example.com`` the same one;
    ``127.0.0.1:8001`` and ``127.0.0.1:8002`` two."""
    global _PUBLIC_SUFFIXES
    if _PUBLIC_SUFFIXES is None:
        import tldextract

        _PUBLIC_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    extracted = _PUBLIC_SUFFIXES(host)
    domain = extracted.top_domain_under_public_suffix if extracted.suffix and extracted.domain else host
    try:
        port = parts.port
    except ValueError:
        port = None
    return domain, port
