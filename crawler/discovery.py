"""Parsing discovery documents (RSS/Atom feeds, sitemaps incl. Google News sitemaps) into entries.

Feeds go through feedparser, which copes with the broken XML the web serves. Sitemaps are parsed with a
hardened lxml parser: no entity expansion, no network, no DTD loading, so a hostile sitemap cannot make us
fetch or expand anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser
from lxml import etree

from newsagg.dates import DatedValue


class DiscoveryError(ValueError):
    """A feed or sitemap that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class DiscoveredLink:
    url: str
    published: DatedValue | None = None
    title: str | None = None


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


def parse_feed(body: bytes) -> list[DiscoveredLink]:
    """Entries of an RSS or Atom feed; raises DiscoveryError when the document is not a feed."""
    parsed = feedparser.parse(body)
    if not parsed.entries:
        reason = parsed.get("bozo_exception") or "no entries"
        raise DiscoveryError(f"not a readable feed: {reason}")
    links: list[DiscoveredLink] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        raw_date = entry.get("published") or entry.get("updated")
        links.append(DiscoveredLink(link, parse_timestamp(raw_date, "feed"), entry.get("title")))
    return links


_SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True,
    remove_comments=True,
)


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes) -> tuple[str, list[DiscoveredLink]]:
    """``("index", child sitemaps)`` or ``("urlset", article links)``; news:publication_date preferred."""
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
        news_date = parse_timestamp(fields.get("publication_date"), "sitemap")
        published = news_date or (parse_timestamp(fields.get("lastmod"), "sitemap") if kind == "urlset" else None)
        if published and not news_date:
            # lastmod is a modification time: weaker evidence of publication.
            published = DatedValue(published.value, "sitemap", published.precision, 0.4, published.raw)
        links.append(DiscoveredLink(loc, published, fields.get("title")))
    return ("index" if kind == "sitemapindex" else "urlset"), links
