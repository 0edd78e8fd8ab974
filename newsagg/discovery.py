"""Parsing discovery documents (RSS/Atom feeds, sitemaps incl. Google News sitemaps) into entries.

Feeds go through feedparser, which copes with the broken XML the web serves. Sitemaps are parsed with a
hardened lxml parser: no entity expansion, no network, no DTD loading, so a hostile sitemap cannot make us
fetch or expand anything.

Both refuse, before parsing, any document that declares entities in its DTD (:func:`refuse_entities`): news
feeds and sitemaps never need them, and they are how XML bombs ("billion laughs") and external entities
(``<!ENTITY x SYSTEM "file:///etc/passwd">``) are built. The parsers would cope (expat caps amplification,
lxml does not resolve), but a clear refusal is easier to audit than a partly expanded document.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pyexpat import ExpatError, ParserCreate
from urllib.parse import urljoin

import feedparser
from lxml import etree

from newsagg.dates import DatedValue


class DiscoveryError(ValueError):
    """A feed or sitemap that cannot be read; the message says why, ``reason`` names it for the stats."""

    reason = "unreadable"


class RefusedDocumentError(DiscoveryError):
    """A feed or sitemap that declares DTD entities (XML bomb, external entity): refused unread."""

    reason = "xml_entities"


class TooLargeError(DiscoveryError):
    """A compressed feed or sitemap that inflates beyond the size cap (a gzip bomb, or simply too big)."""

    reason = "too_large"


class _RootReached(Exception):
    pass


_ENTITY_IN_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*\[[^\]]*<!ENTITY", re.IGNORECASE)
_PROLOG_BYTES = 1024 * 1024


def refuse_entities(body: bytes) -> None:
    """Raise :class:`RefusedDocumentError` when the document's prolog declares an entity.

    Expat reads the prolog only (it stops at the root element, never loads external DTDs). When expat cannot
    read it (an encoding expat lacks, garbage), a byte scan of the prolog decides: an attacker cannot dodge
    the check by declaring an exotic charset.
    """

    def refuse(*_: object) -> None:
        raise RefusedDocumentError("refused: the document declares DTD entities (XML bomb or external entity)")

    def reached(*_: object) -> None:
        raise _RootReached

    parser = ParserCreate()
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = reached
    try:
        parser.Parse(body[:_PROLOG_BYTES], False)
    except _RootReached:
        return
    except (ExpatError, LookupError, ValueError):  # unreadable prolog: the byte scan below decides
        pass
    head = body[:_PROLOG_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    if _ENTITY_IN_DOCTYPE.search(head.replace(b"\0", b"")):
        refuse()


@dataclass(frozen=True, slots=True)
class DiscoveredLink:
    url: str
    published: DatedValue | None = None
    title: str | None = None
    #: UTC timestamp of the entry's last change (feed <updated>, sitemap <lastmod>): incremental crawls
    #: re-fetch a known page when it moves.
    lastmod: float | None = None


def parse_timestamp(raw: str | None, source: str) -> DatedValue | None:
    """RFC 822 (RSS) or RFC 3339 / W3C datetime (Atom, sitemaps), keeping the original offset."""
    if not raw:
        return None
    raw = raw.strip()
    value: datetime | None = None
    precision = "minute"
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if len(raw) <= 10:
                precision = "day"
        except ValueError:
            return None
    if value.tzinfo is None:
        # A date without an offset: RSS says GMT; for a bare day we keep day precision in UTC.
        value = value.replace(tzinfo=UTC)
        if precision != "day":
            return DatedValue(value, source, "minute", 0.5, raw)  # type: ignore[arg-type]
    return DatedValue(value, source, precision, 0.8, raw)  # type: ignore[arg-type]


def _join(base_url: str, link: str) -> str:
    """``link`` made absolute against ``base_url``; an unparseable link is left as it is (the spider counts
    it as invalid instead of losing it silently)."""
    try:
        return urljoin(base_url, link)
    except ValueError:
        return link


GZIP_MAGIC = b"\x1f\x8b"
DEFAULT_MAX_SIZE = 10 * 1024 * 1024


def gunzip_capped(body: bytes, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    """``body`` decompressed when it is gzip (``sitemap.xml.gz`` served as ``application/x-gzip``, which no
    HTTP layer inflates), else unchanged. Inflation stops at ``max_size`` bytes with :class:`TooLargeError`:
    64 KiB of gzip can hold 64 MiB of zeros."""
    if not body.startswith(GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    chunk = body
    try:
        while chunk:
            out += inflater.decompress(chunk, max_size + 1 - len(out))
            if len(out) > max_size:
                raise TooLargeError(f"refused: inflates beyond {max_size} bytes (gzip bomb?)")
            chunk = inflater.unconsumed_tail
    except zlib.error as exc:
        raise DiscoveryError(f"not a readable gzip document: {exc}") from exc
    return bytes(out)


def parse_feed(body: bytes, base_url: str | None = None, max_size: int = DEFAULT_MAX_SIZE) -> list[DiscoveredLink]:
    """Entries of an RSS or Atom feed; raises DiscoveryError when the document is not a feed.

    Relative links (``<link>/news/a.html</link>``, Atom ``href="/news/b.html"``, ``xml:base``) are resolved
    against the feed's own URL, as a browser would; whether the result may be fetched is the crawler's
    business (its host checks and SSRF guard see the absolute URL)."""
    body = gunzip_capped(body, max_size)
    refuse_entities(body)
    # feedparser applies xml:base itself; the feed URL is joined afterwards (given to feedparser as the
    # base, it silently drops a link it cannot resolve, which then goes uncounted)
    parsed = feedparser.parse(body)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        raise DiscoveryError(f"not a readable feed: {reason}")
    links: list[DiscoveredLink] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        if base_url:
            link = _join(base_url, link.strip())
        raw_date = entry.get("published") or entry.get("updated")
        # dict.get: feedparser's own get() falls back to pubDate, and a publication is not a change
        updated = parse_timestamp(dict.get(entry, "updated"), "feed")
        links.append(
            DiscoveredLink(
                link,
                parse_timestamp(raw_date, "feed"),
                entry.get("title"),
                updated.value.timestamp() if updated else None,
            )
        )
    return links


_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    recover=True,
    remove_comments=True,
)


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(
    body: bytes, base_url: str | None = None, max_size: int = DEFAULT_MAX_SIZE
) -> tuple[str, list[DiscoveredLink]]:
    """``("index", child sitemaps)`` or ``("urlset", article links)``; news:publication_date preferred.

    Gzipped sitemaps and indexes are inflated within ``max_size``; a relative ``<loc>`` (invalid per the
    protocol, but served) is resolved against ``base_url``."""
    body = gunzip_capped(body, max_size)
    refuse_entities(body)
    try:
        root = etree.fromstring(body, parser=_SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise DiscoveryError(f"not a readable sitemap: {exc}") from exc
    if root is None:
        raise DiscoveryError("not a readable sitemap: empty document")
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        raise DiscoveryError(f"not a sitemap: root element <{kind or '?'}>")
    links: list[DiscoveredLink] = []
    for entry in root:
        fields: dict[str, str] = {}
        for child in entry.iter():
            name = _local(child.tag)
            if child is not entry and child.text and child.text.strip():
                fields.setdefault(name, child.text.strip())
        loc = fields.get("loc")
        if not loc:
            continue
        if base_url:
            loc = _join(base_url, loc)
        news_date = parse_timestamp(fields.get("publication_date"), "sitemap")
        published = news_date or (parse_timestamp(fields.get("lastmod"), "sitemap") if kind == "urlset" else None)
        if published and not news_date:
            # lastmod is a modification time: weaker evidence of publication.
            published = DatedValue(published.value, "sitemap", published.precision, 0.4, published.raw)
        lastmod = parse_timestamp(fields.get("lastmod"), "sitemap")
        links.append(
            DiscoveredLink(loc, published, fields.get("title"), lastmod.value.timestamp() if lastmod else None)
        )
    return ("index" if kind == "sitemapindex" else "urlset"), links
