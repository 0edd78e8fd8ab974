"""Typed views of the outlet and article dicts, plus date formatting in each outlet's house style.

Article dict keys (see ``stories/*.py``):

``key`` unique id; ``outlet`` outlet id; ``story`` story key; ``path`` URL path on the outlet's server;
``section`` section id; ``title`` headline (bare, as in ``<h1>``); ``authors``; ``published`` ISO 8601 with
offset (or ``YYYY-MM-DD`` for day-only, or None); ``modified`` (optional ISO); ``page_dates`` where the page
itself declares the date: any of "json-ld", "meta", "time-tag", "text"; ``in_feed``/``in_sitemap``;
``summary``; ``body`` list of paragraphs. Optional: ``copy_of``/``edited_copy_of`` (article key of the wire
original), ``source_credit``, ``charset`` (default utf-8), ``mislabeled`` (header says utf-8 while the bytes
use ``charset``), ``malformed`` (truncated, unclosed tags), ``date_text`` (a visible non-date such as "fecha:
pronto"), ``feed_query`` (tracking parameters added to the feed link), ``sitemap_precision`` ("day").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

DATE_SOURCES = ("json-ld", "meta", "time-tag", "text", "feed", "sitemap")

ES_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
ES_MONTHS = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip
ES_MONTHS_ABBR = ["ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."]
EN_MONTHS_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@dataclass
class Outlet:
    id: str
    name: str
    country: str
    region: str
    language: str
    timezone: str
    city: str
    base: str  # "http://127.0.0.1:PORT" (no trailing slash)
    feed_paths: list[str]
    feed_kind: str  # rss | atom | broken
    sitemap_paths: list[str]
    sitemap_kind: str  # news | plain | index
    sections: dict[str, str]
    disallow: list[str]
    trap_paths: list[str]

    @classmethod
    def from_config(cls, cfg: dict, base: str) -> Outlet:
        return cls(
            id=cfg["id"],
            name=cfg["name"],
            country=cfg["country"],
            region=cfg["region"],
            language=cfg["language"],
            timezone=cfg["timezone"],
            city=cfg["city"],
            base=base.rstrip("/"),
            feed_paths=list(cfg["feeds"]),
            feed_kind=cfg["feed_kind"],
            sitemap_paths=list(cfg["sitemaps"]),
            sitemap_kind=cfg["sitemap_kind"],
            sections=dict(cfg["sections"]),
            disallow=list(cfg["disallow"]),
            trap_paths=list(cfg["trap_paths"]),
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def url(self, path: str) -> str:
        return self.base + path

    def section_path(self, section: str) -> str:
        return f"/{section}/"

    def registry_entry(self) -> dict:
        """The outlet as the registry (settings/sources.*) describes it."""
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "region": self.region,
            "language": self.language,
            "timezone": self.timezone,
            "home": self.url("/"),
            "feeds": [self.url(p) for p in self.feed_paths],
            "sitemaps": [self.url(p) for p in self.sitemap_paths],
            "sections": [self.url(self.section_path(s)) for s in self.sections],
        }


@dataclass
class Article:
    key: str
    outlet: str
    story: str
    path: str
    section: str
    title: str
    authors: list[str]
    published: datetime | date | None
    modified: datetime | None
    page_dates: list[str]
    in_feed: bool
    in_sitemap: bool
    summary: str
    body: list[str]
    copy_of: str | None = None
    edited_copy_of: str | None = None
    source_credit: str | None = None
    charset: str = "utf-8"
    mislabeled: bool = False
    malformed: bool = False
    date_text: str | None = None
    feed_query: str = ""
    sitemap_precision: str = "minute"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> Article:
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"article {d.get('key')}: unknown keys {sorted(unknown)}")
        data = dict(d)
        data["published"] = parse_when(d.get("published"))
        data["modified"] = parse_when(d.get("modified"))
        return cls(**data)

    @property
    def day_only(self) -> bool:
        return isinstance(self.published, date) and not isinstance(self.published, datetime)


def parse_when(value: str | None) -> datetime | date | None:
    if value is None:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        raise ValueError(f"naive datetime in content: {value}")
    return dt


def iso(value: datetime | date) -> str:
    return value.isoformat()


def rfc822(dt: datetime, gmt: bool = False) -> str:
    if gmt:
        from datetime import UTC

        return dt.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    return dt.strftime("%a, %d %b %Y %H:%M:%S %z")


def twelve_hour(dt: datetime, style: str = "ap") -> str:
    hour = dt.hour % 12 or 12
    if style == "ap":  # 2:05 p.m.
        return f"{hour}:{dt.minute:02d} {'a.m.' if dt.hour < 12 else 'p.m.'}"
    return f"{hour}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"  # 2:05 PM


def es_long_date(d: date) -> str:
    """viernes 20 de noviembre de 2026"""
    return f"{ES_DAYS[d.weekday()]} {d.day} de {ES_MONTHS[d.month - 1]} de {d.year}"
