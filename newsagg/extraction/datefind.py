"""Publication / modification dates: candidates from every place a page states them, then one choice.

Each candidate is a :class:`~newsagg.dates.DatedValue` whose ``confidence`` says how much its place is
trusted (structured data with an offset > structured data localized to the outlet timezone > visible text >
URL > HTTP header). A date without a time keeps day precision; a naive time is localized to the outlet
timezone, or kept as UTC with a lower confidence and a warning.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from newsagg.dates import DatedValue, DateSource, Precision
from newsagg.urls import canonicalize_url

from .page import Page, type_names
from .title import headline_element

MIN_DATE = datetime(1990, 1, 1, tzinfo=UTC)

PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "article.published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "originalpublicationdate",
    "article_date_original",
    "og:pubdate",
    "published_time",
    "publication_date",
    "release_date",
    "displaydate",
    "bt:pubdate",
    "ga_date",
    "timestamp",
    "citation_publication_date",
)
MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "article.updated",
    "last-modified",
    "lastmod",
    "dc.date.modified",
    "dcterms.modified",
    "parsely-updated",
    "modified_time",
)
LD_PUBLISHED = ("datePublished", "dateCreated", "uploadDate")
LD_MODIFIED = ("dateModified",)

_ISO_LIKE = re.compile(r"^\d{4}-?\d{2}-?\d{2}([T ]|$)")
_SINGLE_DIGIT_TIME_FIELD = re.compile(r"(?<=[T:])(\d)(?=[:Z+-]|$)")
_HAS_TIME = re.compile(r"\d{1,2}\s*(:|h\b|h\d|\.\d{2}\s*(uhr|h\b))|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
_HAS_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")
_EXPLICIT_TZ = re.compile(
    r"(\b(UTC|GMT|Z|[ECMP][SD]T|CES?T|BST|IST|JST|KST|AEST|AEDT|WIB|EET|EEST|WET|WEST|MSK|ART|BRT|CLT|CLST|COT|"
    r"PET|VET)\b|[+-]\d{2}:?\d{2}\b(?!\d))"
)
_URL_DATE = (
    re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])"),
    re.compile(r"[/_-]((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"),
)
_DATEISH_ATTR = re.compile(
    r"date|time|fecha|datum|data|dato|tarih|zeit|hora|byline|publish|posted|dateline|timestamp|info|meta|"
    r"technicalline|publicado|published",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(
    r"(\b\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})\b|\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b)"
    r"([\s,|·–-]*(?:um|a las|às|at|alle|kl\.?|,)?\s*\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:uhr|h|hrs|horas)\b)?(?:\s*(?:[A-Z]{2,5}\b|[+-]\d{2}:?\d{2}))?)?",
    re.IGNORECASE,
)
_LAST_DATE_PART = re.compile(
    r".*(\d{1,2}[:.h]\d{2}(\s*[ap]\.?m\.?)?(\s*[A-Z]{2,5}\b)?([+-]\d{1,2}(:?\d{2})?\b)?|\b\d{4}\b)", re.IGNORECASE
)
#: Words that label a publication time, and words that label an update time.
_PUBLISHED_WORDS = (
    "published", "posted", "first published", "publicado", "publicada", "veröffentlicht", "erstellt", "publié",
    "pubblicato", "gepubliceerd", "opublikowano", "publikováno",
)  # fmt: skip
_UPDATED_WORDS = (
    "updated", "last updated", "actualizado", "atualizado", "atualizada", "aktualisiert", "zuletzt aktualisiert",
    "stand", "mis à jour", "aggiornato", "bijgewerkt",
)  # fmt: skip
_PREFIX = re.compile(
    r"^\s*(("
    + "|".join(sorted(_PUBLISHED_WORDS + _UPDATED_WORDS, key=len, reverse=True))
    + r"|on|el|am|le|em|il|op|de|the)\b[\s:,.-]*)+",
    re.IGNORECASE,
)
#: A publication label inside a byline ("Tom Davies Associated Press Published 11:34 PM EST Nov 19 2019").
_PUBLISHED_INSIDE = re.compile(r"(?<=\s)(?:" + "|".join(_PUBLISHED_WORDS) + r")\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(ago|hace|vor|il y a|há|fa\b|geleden|temu|minut|hour|hora|stunde|heure|día|dia|tag|jour|day|"
    r"just now|yesterday|ayer|gestern|hier|ontem|today|hoy|heute)",
    re.IGNORECASE,
)
_RELATIVE_DAYS = re.compile(r"\b(day|día|dia|tag|jour|yesterday|ayer|gestern|hier|ontem|giorn)", re.IGNORECASE)
# a text date needs a year ("2024", "03.12.24", "12/3/24"): a bare number with a unit is a duration, a
# price or a score ("65.06 sek.", "60 min.", "Zubereitung 15 Min"), never a date
_HAS_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)|\b\d{1,2}[./-]\d{1,2}[./-]\d{2}\b")
# words that place a relative time in the past ("vor 5 Stunden", "hace 2 días", "3 hours ago"); without
# one, "5 Stunden" is a duration
_AGO = re.compile(
    r"\b(ago|hace|vor|il y a|há|fa|geleden|temu|prije|pre|acum|назад|тому|önce|sedan|siden|sitten|"
    r"yesterday|ayer|gestern|hier|ontem|ieri|gisteren|wczoraj|just now|today|hoy|heute|aujourd'hui|oggi)\b",
    re.IGNORECASE,
)
# an element or text that says it holds the publication time (a relative date is only read from one)
_PUBLICATION_LABEL = re.compile(
    r"publi|posted|pubdate|erschienen|veröffentlicht|gepost|erstellt|opublikowano|julkaistu|publicerad",
    re.IGNORECASE,
)

_PRECISION_RANK = {"day": 0, "minute": 1, "second": 2}


@dataclass
class DateContext:
    fetched_at: datetime
    tz: tzinfo | None
    tz_name: str | None
    languages: list[str] | None
    warnings: list[str]


def resolve_tz(name: str | None, warnings: list[str]) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        warnings.append(f"unknown timezone {name!r}: ignored")
        return None


def _precision_of(raw: str) -> Precision:
    if not _HAS_TIME.search(raw):
        return "day"
    return "second" if _HAS_SECONDS.search(raw) else "minute"


def _finish(
    value: datetime,
    raw: str,
    source: DateSource,
    confidence: float,
    ctx: DateContext,
    precision: Precision | None = None,
) -> DatedValue:
    """Make ``value`` tz-aware (localizing naive times) and wrap it."""
    precision = precision or _precision_of(raw)
    if precision != "day" and value.hour == 0 and value.minute == 0 and value.second == 0:
        # "2024-04-24T00:00:00": a date serialised as midnight, not a midnight publication
        precision = "day"
    if value.tzinfo is None or value.utcoffset() is None:
        if ctx.tz is not None:
            value = value.replace(tzinfo=ctx.tz)
            if precision != "day":
                confidence -= 0.05
        else:
            value = value.replace(tzinfo=UTC)
            if precision != "day":
                confidence -= 0.3
                ctx.warnings.append(f"naive date {raw!r} from {source}: no outlet timezone, assumed UTC")
    if precision == "day":
        value = value.replace(hour=0, minute=0, second=0, microsecond=0)
    elif precision == "minute":
        value = value.replace(second=0, microsecond=0)
    return DatedValue(value=value, source=source, precision=precision, confidence=round(confidence, 3), raw=raw)


def parse_structured(raw: Any, source: DateSource, confidence: float, ctx: DateContext) -> DatedValue | None:
    """ISO 8601 / RFC 2822 / other machine dates from JSON-LD, meta tags and ``<time datetime>``."""
    if isinstance(raw, (int, float)) and 631152000 <= raw < 10**13:  # epoch seconds or ms
        seconds = raw / 1000 if raw > 10**11 else raw
        return _finish(datetime.fromtimestamp(seconds, UTC), str(raw), source, confidence, ctx, "second")
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > 80:
        return None
    if text.isdigit() and len(text) in (10, 13):
        return parse_structured(int(text), source, confidence, ctx)
    value = None
    if _ISO_LIKE.match(text):
        iso = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
        iso = re.sub(r"(\.\d{6})\d+", r"\1", iso)  # nanoseconds
        iso = re.sub(r"\s+(?=[+-]\d{2}:?\d{2}$)", "", iso)
        iso = re.sub(r"\s*(UTC|GMT)$", "+00:00", iso)
        iso = _SINGLE_DIGIT_TIME_FIELD.sub(r"0\1", iso)  # "T9:05:0Z": CMS templates that drop a zero
        try:
            value = datetime.fromisoformat(iso)
        except ValueError:
            value = None
    if value is None:
        try:
            value = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            value = None
    if value is None:
        return parse_text(text, source, confidence - 0.1, ctx)
    return _finish(value, text, source, confidence, ctx)


def _clean_text_date(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\b([ap])\.\s?m\.", r"\1m", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(\d{1,2})\s?h\s?(\d{2})\b", r"\1:\2", text)
    text = re.sub(r"\b(\d{1,2})\.(\d{2})\s*(uhr|h)\b", r"\1:\2", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d:\d\d)\s*(uhr|hrs?\.?|horas?|h\.?)(?=\W|$)", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"[|·•–—,;/]\s*(?=\D)|\s[-|]\s", " ", text)
    text = _PREFIX.sub("", text)
    return re.sub(r"\s+", " ", text).strip(" :.-")


_MONTHS_EN = {
    m: i + 1
    for i, names in enumerate(
        ("jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
         "sep sept september", "oct october", "nov november", "dec december")
    )
    for m in names.split()
}  # fmt: skip
_WEEKDAY_EN = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.? )?"
_CLOCK = r"(?:,? (?:at )?(\d{1,2})[:.](\d{2})(?::(\d{2}))?(?: ?([ap]m))?)?"
_FAST_YMD = re.compile(r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})" + _CLOCK.replace("(?:,? (?:at )?", "(?:[ T-]+") + "$")
_FAST_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})" + _CLOCK.replace("(?:,? (?:at )?", "(?:[ -]+") + "$")
_FAST_MDY_EN = re.compile(
    "^" + _WEEKDAY_EN + r"([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})" + _CLOCK + "$", re.IGNORECASE
)
_FAST_DMY_EN = re.compile("^" + _WEEKDAY_EN + r"(\d{1,2}) ([a-z]{3,9})\.? (\d{4})" + _CLOCK + "$", re.IGNORECASE)


def _fast_parse(text: str) -> datetime | None:
    """The common unambiguous forms ("2024-04-28 10:30", "28.04.2023", "November 19, 2019 at 6:46 pm",
    "20 November 2019 11:42") without dateparser, which costs about 10 ms a call; ``None`` for anything
    else (dateparser decides). The result is naive: the caller localizes it."""
    parts: tuple[str | None, ...] | None = None
    match = _FAST_YMD.match(text)
    if match:
        parts = match.groups()
    elif match := _FAST_DMY.match(text):
        day, month, year, *clock = match.groups()
        parts = (year, month, day, *clock)
    elif match := _FAST_MDY_EN.match(text):
        month_name, day, year, *clock = match.groups()
        month = _MONTHS_EN.get(month_name.lower())
        parts = (year, str(month), day, *clock) if month else None
    elif match := _FAST_DMY_EN.match(text):
        day, month_name, year, *clock = match.groups()
        month = _MONTHS_EN.get(month_name.lower())
        parts = (year, str(month), day, *clock) if month else None
    if parts is None:
        return None
    year, month, day, hour, minute, second, ampm = parts
    if year is None or month is None or day is None:
        return None
    h = int(hour) if hour else 0
    if ampm:
        if not 1 <= h <= 12:
            return None
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    try:
        return datetime(int(year), int(month), int(day), h, int(minute or 0), int(second or 0))
    except ValueError:
        return None


def parse_text(
    raw: str, source: DateSource, confidence: float, ctx: DateContext, labelled: bool = False
) -> DatedValue | None:
    """A human date ("viernes 27 de noviembre de 2026 | 14:05") via dateparser.

    Text without a year is not a date, with one exception: a relative date ("vor 5 Stunden", "hace 2
    días") when ``labelled`` (its element or text says it is the publication time), resolved against the
    fetch time and with a low confidence. Durations, prices and scores never become a date.
    """
    numeric = _NUMERIC_DATE.search(raw)
    if numeric:
        raw_date = numeric.group(0)
    else:
        tail = _LAST_DATE_PART.match(raw)  # drop what follows the last time/year ("| Von Max Muster")
        raw_date = tail.group(0) if tail else raw
    text = _clean_text_date(raw_date)
    if not text or len(text) > 100:
        return None
    relative = bool(_RELATIVE.search(text)) and not _HAS_YEAR.search(text)
    if relative and not (labelled and _AGO.search(text)):
        return None
    if not relative and not _HAS_YEAR.search(text):
        return None
    fast = _fast_parse(text)
    if fast is not None:
        if ctx.tz is not None:
            fast = fast.replace(tzinfo=ctx.tz)
        return _finish(fast, raw.strip(), source, confidence, ctx, _precision_of(text))
    base = ctx.fetched_at.astimezone(ctx.tz) if ctx.tz else ctx.fetched_at.astimezone(UTC)
    settings = {
        "TIMEZONE": ctx.tz_name or "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    if re.search(r"\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b", text):
        settings["DATE_ORDER"] = "YMD"
    elif re.search(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b", text) or (
        re.search(r"\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b", text) and ctx.languages and ctx.languages[0] != "en"
    ):
        settings["DATE_ORDER"] = "DMY"  # dotted dates are day-first everywhere; slashes outside English too
    if relative:
        settings.pop("REQUIRE_PARTS")
    explicit = bool(_EXPLICIT_TZ.search(text))
    if explicit and not relative:
        # "11:11 PM EST Nov 19, 2019": keep the offset the page prints (with TIMEZONE set, dateparser converts
        # to it, and the UTC day is not the day the reader sees)
        settings.pop("TIMEZONE")
    value = _dateparser_parse(text, ctx.languages, settings)
    if value is None and labelled:
        after_label = _after_publication_label(text)
        if after_label:
            text = after_label
            value = _dateparser_parse(text, ctx.languages, settings)
    if value is None and labelled and ctx.languages:
        # the page says this is its date, but not in the language it declares (an English "Posted on"
        # theme on a German blog): let dateparser detect the language
        value = _dateparser_parse(text, None, settings)
    if value is None:
        return None
    offset = value.utcoffset()
    if explicit and offset is not None:
        value = value.astimezone(timezone(offset))  # dateparser's tz objects: a plain fixed offset
    if relative:
        precision: Precision = "day" if _RELATIVE_DAYS.search(text) else "minute"
        if value.tzinfo is None:
            value = value.replace(tzinfo=ctx.tz or UTC)
        return _finish(value, raw.strip(), source, min(confidence - 0.15, 0.3), ctx, precision)
    precision = _precision_of(text)
    if not explicit and ctx.tz is None:
        value = value.replace(tzinfo=None)  # dateparser assumed UTC: let _finish warn about it
    elif explicit:
        confidence += 0.05
    return _finish(value, raw.strip(), source, confidence, ctx, precision)


def _after_publication_label(text: str) -> str | None:
    """The date words after a publication label inside a byline, or None: "Tom Davies Associated Press
    Published 11:34 PM EST Nov 19 2019" -> "11:34 PM EST Nov 19 2019". dateparser reads the whole line in no
    language (the names are no locale's words), so without the cut the line went on to language detection,
    which tries every one of dateparser's ≈ 200 locales, three times (≈ 100 ms), and still failed."""
    match = _PUBLISHED_INSIDE.search(text)
    if match is None:
        return None
    rest = _clean_text_date(text[match.start() :])
    return rest if rest and _HAS_YEAR.search(rest) else None


def _dateparser_parse(text: str, languages: list[str] | None, settings: dict[str, Any]) -> datetime | None:
    """dateparser on ``text``, then without its first word or two (a leftover label or weekday)."""
    import dateparser  # heavy import: only when a text date is needed

    words = text.split(" ")
    for start in range(min(3, len(words))):
        candidate = " ".join(words[start:])
        try:
            value: datetime | None = dateparser.parse(candidate, languages=languages, settings=settings)
        except Exception:  # dateparser raises assorted errors on odd input
            value = None
        if value is not None:
            return value
    return None


#: A page whose only JSON-LD is a ``VideoObject`` is often an article with an embedded or related video: the
#: video's upload time is then not the article's. It still dates a page nothing else dates, but meta tags
#: and ``<time>`` elements (≈ 0.88–0.9) outrank it.
VIDEO_LD_CONFIDENCE = 0.8


def _ld_dates(page: Page, keys: tuple[str, ...], ctx: DateContext) -> list[DatedValue]:
    out = []
    only_video = page.article_ld is not None and type_names(page.article_ld) == ["videoobject"]
    confidence = VIDEO_LD_CONFIDENCE if only_video else 0.95
    for key in keys:
        raw = page.ld(key)
        if isinstance(raw, list) and raw:
            raw = raw[0]
        parsed = parse_structured(raw, "json-ld", confidence, ctx)
        if parsed:
            out.append(parsed)
    return out


def _meta_dates(page: Page, keys: tuple[str, ...], ctx: DateContext) -> list[DatedValue]:
    out = []
    for rank, key in enumerate(keys):
        for raw in page.meta_values(key)[:1]:
            parsed = parse_structured(raw, "meta", 0.9 - min(rank, 20) * 0.002, ctx)
            if parsed:
                out.append(parsed)
    return out


_TIME_XPATH = etree.XPath(
    '//*[@itemprop="datePublished" or @itemprop="dateModified"][@datetime or @content] | //time[@datetime]'
)


def _time_elements(page: Page) -> list[Any]:
    """``itemprop`` date elements and ``<time datetime>`` elements, in one pass over the tree."""
    return list(_TIME_XPATH(page.tree))


# microdata whose value is the element's text (no ``datetime``/``content``): the day the page prints for the
# reader, e.g. ``<p itemprop="datePublished">06 Dicembre 2020</p>``
_PRINTED_MICRODATA = etree.XPath('//*[@itemprop="datePublished"][not(@datetime) and not(@content)]')


def microdata_printed_day(page: Page, ctx: DateContext) -> DatedValue | None:
    """The publication date a ``datePublished`` microdata element prints as its text (the microdata value
    of an element without ``datetime`` or ``content`` is its text), or None."""
    for el in _PRINTED_MICRODATA(page.tree)[:2]:
        text = " ".join(el.text_content().split())
        if 6 <= len(text) <= 120:
            parsed = parse_text(text, "text", LABELLED_CONFIDENCE, ctx, labelled=True)
            if parsed is not None:
                return parsed
    return None


def _time_tag_dates(elements: list[Any], ctx: DateContext, modified: bool = False) -> list[DatedValue]:
    out = []
    prop = "dateModified" if modified else "datePublished"
    for el in [e for e in elements if e.get("itemprop") == prop][:2]:
        parsed = parse_structured(el.get("datetime") or el.get("content"), "time-tag", 0.88, ctx)
        if parsed:
            out.append(parsed)
    if modified:
        return out
    for i, el in enumerate([e for e in elements if e.tag == "time" and e.get("datetime") is not None][:3]):
        marked = el.get("pubdate") is not None or "publi" in (el.get("class") or "").lower()
        parsed = parse_structured(el.get("datetime"), "time-tag", (0.8 if marked else 0.7) - 0.05 * i, ctx)
        if parsed:
            out.append(parsed)
    return out


# teasers of other articles: inside an aside, navigation, a footer, or a list item that links away; a date
# inside a link is a teaser too unless the link leads to the page itself (a permalink: blogs print the post's
# date as a link to the post)
_TEASER = "ancestor::aside or ancestor::nav or ancestor::footer or ancestor::li[.//a]"
_LINK_TARGETS = etree.XPath("ancestor::a/@href")
# a date after an explicit "Datum:" / "Published:" label is the page's own statement
LABELLED_CONFIDENCE = 0.75
_DATE_LABEL = re.compile(
    r"^\W*(datum|date|fecha|data|published|publicado|publié|veröffentlicht|erschienen|publicerad|julkaistu)\W*$",
    re.IGNORECASE,
)
# data attributes carrying the publication time ("data-deploy-dt", "data-publish-date", "data-pubdate")
_DATA_ATTR_XPATH = (
    "//@*[starts-with(name(), 'data-') and (contains(name(), 'publish') or contains(name(), 'deploy')"
    " or contains(name(), 'pubdate') or contains(name(), 'pub-date'))]"
)


def _same_page(href: str, page_url: str) -> bool:
    """Whether a link leads to the page itself: the same canonical URL (fragment, tracking parameters and
    parameter order aside), whatever the scheme, a ``www.`` prefix or a trailing slash."""
    if not page_url:
        return False

    def bare(url: str) -> str:
        try:
            parts = urlsplit(canonicalize_url(url))
        except Exception:  # w3lib on a link too broken to canonicalize: it leads nowhere we know
            return url
        return f"{parts.netloc.removeprefix('www.')}{parts.path.rstrip('/')}?{parts.query}"

    return bare(urljoin(page_url, href.strip())) == bare(page_url)


def _link_verdict(el: Any, page_url: str) -> bool | None:
    """``None`` outside links, True inside a link to the page itself (a permalink), False inside any other."""
    targets = _LINK_TARGETS(el)
    if not targets:
        return None
    return all(_same_page(str(href), page_url) for href in targets)


# a publication sentence ("Dieser Beitrag wurde am Samstag, 3. Dezember 2011 um 10:15 Uhr veröffentlicht und
# unter ... abgelegt"): too long to parse whole; its date is the few words before the year, and the time after
_WORDS_TO_YEAR = re.compile(
    r"(?:\S+\s+){0,3}?\S*(?<!\d)(?:19|20)\d{2}(?!\d)(?:[\s,]+(?:um|at|a las|às|à|alle|kl\.?)?\s*\d{1,2}[:.h]\d{2}"
    r"(?:\s*[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_SENTENCE_MAX = 400


def _publication_sentence_date(text: str) -> str | None:
    """The date words of a long text that says it is the publication statement, or None."""
    if len(text) > _SENTENCE_MAX or not _PUBLICATION_LABEL.search(text):
        return None
    match = _WORDS_TO_YEAR.search(text)
    return match.group(0) if match else None


def _text_dates(page: Page, ctx: DateContext) -> list[DatedValue]:
    """The first visible date of the page: a ``<time>`` without ``datetime``, an element whose class/id
    names a date, or a "Datum" / "Published" label followed by the date. Teasers of other articles
    (inside links, asides, navigation, footers) are skipped."""
    out: list[DatedValue] = []
    seen: set[str] = set()
    xpath = (
        "//time[not(@datetime)] | //*[self::span or self::div or self::p or self::small or self::li"
        " or self::header or self::dd][@class or @id]"
        " | //*[self::strong or self::b or self::dt or self::th][string-length(normalize-space()) < 20]"
    )
    tried = 0
    for el in page.tree.xpath(xpath):
        if el.tag in ("strong", "b", "dt", "th"):
            if not _DATE_LABEL.match(el.text_content() or ""):
                continue
            nxt = el.getnext()
            following = nxt.text_content() if nxt is not None else ""
            text = " ".join((el.tail or "").split()) or " ".join(following.split())
            labelled = True
            confidence = LABELLED_CONFIDENCE
        else:
            attrs = f"{el.get('class', '')} {el.get('id', '')}"
            if el.tag != "time" and not _DATEISH_ATTR.search(attrs):
                continue
            text = " ".join(el.text_content().split())
            labelled = bool(_PUBLICATION_LABEL.search(attrs) or _PUBLICATION_LABEL.search(text[:40]))
            confidence = 0.6
        if len(text) > 120 and text not in seen:
            seen.add(text)
            sentence = _publication_sentence_date(text)
            if sentence is None:
                continue
            text, labelled = sentence, True
        if not 6 <= len(text) <= 120 or text in seen or not re.search(r"\d", text):
            continue
        seen.add(text)
        if el.xpath(_TEASER):
            continue
        in_link = _link_verdict(el, page.url)
        if in_link is False:
            continue
        if in_link:
            labelled, confidence = True, max(confidence, LABELLED_CONFIDENCE)
        tried += 1
        parsed = parse_text(text, "text", confidence, ctx, labelled=labelled)
        if parsed:
            out.append(parsed)
            break
        if tried >= 4:
            break
    return out


# The line beside the headline: article templates put the date (and source, section, author) right above
# or below the <h1>, often without any class naming it; it is the page's own statement, read with a label's
# trust, just above htmldate's day (which also reads teaser lists and the site header's "today").
HEADLINE_DATE_CONFIDENCE = 0.74
_HEADLINE_LINE_MAX = 90
_UPDATE_LABEL = re.compile(r"\b(updated?|aktualisiert|actualizado|atualizado|mis à jour|modifi)", re.IGNORECASE)


def _headline_neighbours(headline: Any) -> list[Any]:
    """The elements just before and after the headline; for a headline alone in its box (``<div><h1>``),
    the box's neighbours."""
    near = [headline.getprevious(), headline.getnext()]
    parent = headline.getparent()
    if parent is not None and len(parent) == 1 and parent.tag not in ("body", "html"):
        near += [parent.getprevious(), parent.getnext()]
    return [el for el in near if el is not None and isinstance(el.tag, str)]


def _headline_lines(headline: Any) -> Iterator[Any]:
    """Each neighbour of the headline, then its first few children (a meta list: "13 Oct 2020 18:29",
    "1479 views")."""
    for el in _headline_neighbours(headline):
        yield el
        yield from (child for child in el[:4] if isinstance(child.tag, str))


def _headline_dates(page: Page, ctx: DateContext) -> list[DatedValue]:
    """The date of a short line right beside the headline's ``<h1>`` ("02.02.2022 10:16 Uhr - 1.
    Bundesliga", "13 Oct 2020 18:29"), even inside a link (to a date archive). Update stamps are not the
    publication date."""
    headline = headline_element(page)
    if headline is None:
        return []
    for el in _headline_lines(headline):
        text = " ".join(el.text_content().split())
        if not 6 <= len(text) <= _HEADLINE_LINE_MAX or _UPDATE_LABEL.search(text):
            continue
        parsed = parse_text(text, "text", HEADLINE_DATE_CONFIDENCE, ctx)
        if parsed is None:
            continue
        if parsed.precision != "day" and ctx.tz is None and not _EXPLICIT_TZ.search(text):
            # a printed time without offset and no outlet timezone: the day is certain, the instant is not;
            # an agreeing candidate with an offset lends its time (see choose)
            day = parsed.value.replace(hour=0, minute=0, second=0, microsecond=0)
            parsed = replace(parsed, value=day, precision="day")
        return [replace(parsed, confidence=HEADLINE_DATE_CONFIDENCE)]
    return []


def _data_attr_dates(page: Page, ctx: DateContext) -> list[DatedValue]:
    """Publication time in a ``data-*`` attribute of the article markup (first one that parses)."""
    for value in page.tree.xpath(_DATA_ATTR_XPATH)[:4]:
        parsed = parse_structured(str(value), "text", 0.6, ctx)
        if parsed:
            return [parsed]
    return []


# htmldate's extensive search reads the whole page (link titles, free text, image names...) and is right on
# pages that state their date nowhere we look; it only gives a day, and it is trusted above a visible text
# date or an unmarked <time>, below structured data.
HTMLDATE_CONFIDENCE = 0.72


def htmldate_day(page: Page, ctx: DateContext) -> DatedValue | None:
    """The publication day htmldate finds (extensive search, original date), with its own provenance."""
    try:
        from htmldate import find_date

        found = find_date(
            page.tree,
            url=page.url or None,
            extensive_search=True,
            original_date=True,
            max_date=(ctx.fetched_at + timedelta(days=1)).strftime("%Y-%m-%d"),
        )
    except Exception:  # htmldate on hostile markup: no candidate rather than no article
        return None
    if not found:
        return None
    try:
        day = date.fromisoformat(found)
    except ValueError:
        return None
    value = datetime(day.year, day.month, day.day, tzinfo=ctx.tz or UTC)
    if day.day == 1 and not _page_states_first_of_month(page, day):
        # htmldate turns a bare year ("© 2016") into 1 January and a month ("2026-02-30", "/2026/02/") into
        # its first day: without the page stating that day, it is not a publication day
        ctx.warnings.append(f"htmldate day {found} ignored: only a year or month is stated")
        return None
    return DatedValue(value=value, source="htmldate", precision="day", confidence=HTMLDATE_CONFIDENCE, raw=found)


def corroborate(candidates: list[DatedValue], found: DatedValue) -> list[DatedValue]:
    """Add htmldate's day to the candidates. When some of ours name the same day, they keep their more
    precise provenance and are trusted at least as much as htmldate instead."""
    day = found.value.date()
    agreeing = [c for c in candidates if _local_day(c) == day]
    if not agreeing:
        return [*candidates, found]
    return [
        replace(c, confidence=max(c.confidence, found.confidence)) if _local_day(c) == day else c for c in candidates
    ]


def _page_states_first_of_month(page: Page, day: date) -> bool:
    """Whether the page writes out the first of that month (numeric forms, or the day next to a word and the
    year: "1 February 2026", "February 1st, 2026", "1. Februar 2026", "1 de febrero de 2026")."""
    y, m = day.year, day.month
    numeric = (
        f"{y}-{m:02d}-01", f"{y}/{m:02d}/01", f"{y}{m:02d}01", f"01.{m:02d}.{y}", f"1.{m}.{y}", f"01.{m}.{y}",
        f"01/{m:02d}/{y}", f"{m:02d}/01/{y}", f"{m}/1/{y}", f"1/{m}/{y}", f"01-{m:02d}-{y}",
    )  # fmt: skip
    markup = etree.tostring(page.tree, encoding="unicode")
    if any(form in markup for form in numeric):
        return True
    spelled = re.compile(
        rf"(?<!\d)0?1(?:st|er|º|\.)?\s(?:[^\W\d]+\.?\s){{1,3}}{y}(?!\d)|[^\W\d]+\.?\s0?1(?:st)?,?\s{y}(?!\d)"
    )
    return bool(spelled.search(page.tree.text_content() or ""))


def _is_utc_stamp(value: DatedValue) -> bool:
    return value.precision != "day" and value.value.utcoffset() == timedelta(0)


def local_spelling(instant: DatedValue, candidates: list[DatedValue]) -> DatedValue:
    """A UTC timestamp, written with the outlet's offset when another candidate states the same instant
    with one (``<time datetime="2023-11-08T22:35:29-08:00">`` next to JSON-LD ``2023-11-09T06:35:29Z``):
    same instant, and the local day is the one the page prints."""
    for other in candidates:
        offset = other.value.utcoffset()
        if other.precision == "day" or not offset:
            continue
        if abs((other.value - instant.value).total_seconds()) < 60:
            return replace(instant, value=instant.value.astimezone(other.value.tzinfo))
    return instant


def printed_day(instant: DatedValue, printed: DatedValue) -> DatedValue | None:
    """A UTC timestamp whose UTC day differs from the day the page prints: the outlet's day.

    Servers serialise times in UTC ("2023-11-09T03:28:35Z") while the page shows the outlet's local day
    (8 November in New York). Without the outlet timezone the printed day is what a reader sees as the
    publication day; it wins when some real-world offset (UTC-10 to UTC+14) maps the instant onto it. The
    instant stays in ``raw`` for provenance."""
    day = printed.value.date()
    utc = instant.value.astimezone(UTC)
    if day == utc.date():
        return None
    earliest = (utc - timedelta(hours=10)).date()
    latest = (utc + timedelta(hours=14)).date()
    if not earliest <= day <= latest:
        return None
    value = datetime(day.year, day.month, day.day, tzinfo=UTC)
    raw = f"{printed.raw} (printed day; instant {instant.raw} from {instant.source})"
    return DatedValue(value=value, source=printed.source, precision="day", confidence=instant.confidence, raw=raw)


def _url_date(url: str, ctx: DateContext) -> DatedValue | None:
    path = urlsplit(url).path
    for confidence, pattern in zip((0.5, 0.5, 0.35), _URL_DATE, strict=True):
        match = pattern.search(path)
        if match:
            try:
                day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue
            value = datetime(day.year, day.month, day.day, tzinfo=ctx.tz or UTC)
            return DatedValue(value=value, source="url", precision="day", confidence=confidence, raw=path)
    return None


def _http_date(headers: dict[str, str], ctx: DateContext) -> DatedValue | None:
    raw = headers.get("last-modified")
    if not raw:
        return None
    try:
        value = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return DatedValue(value=value, source="http-header", precision="second", confidence=0.15, raw=raw)


def _latest(ctx: DateContext) -> datetime:
    """The latest plausible publication time: a day after the fetch (time zones, clock skew)."""
    return ctx.fetched_at + timedelta(days=1)


def _plausible(value: DatedValue, ctx: DateContext, what: str) -> bool:
    limit = _latest(ctx)
    if value.value > limit:
        ctx.warnings.append(
            f"{what} date rejected: in the future ({value.isoformat()} from {value.source}, "
            f"fetched {ctx.fetched_at.isoformat()})"
        )
        return False
    if value.value < MIN_DATE:
        ctx.warnings.append(f"{what} date rejected: before 1990 ({value.isoformat()} from {value.source})")
        return False
    return True


def _local_day(value: DatedValue) -> date:
    return value.value.date()


def choose(candidates: list[DatedValue], ctx: DateContext, what: str) -> DatedValue | None:
    """Best candidate: confidence first, then precision; a day-only winner takes the time of an agreeing one."""
    valid = [c for c in candidates if _plausible(c, ctx, what)]
    if not valid:
        return None
    best = max(valid, key=lambda c: (c.confidence, _PRECISION_RANK[c.precision]))
    if best.precision == "day":
        timed = [c for c in valid if c.precision != "day" and _local_day(c) == _local_day(best)]
        if timed:
            upgrade = max(timed, key=lambda c: (c.confidence, _PRECISION_RANK[c.precision]))
            return replace(upgrade, confidence=max(upgrade.confidence, best.confidence))
    return best


def find_dates(
    page: Page,
    *,
    ctx: DateContext,
    headers: dict[str, str],
    feed_published: DatedValue | None,
) -> tuple[DatedValue | None, DatedValue | None]:
    """``(published, modified)`` of a page."""
    published = _ld_dates(page, LD_PUBLISHED, ctx) + _meta_dates(page, PUBLISHED_META, ctx)
    time_elements = _time_elements(page)
    published += _time_tag_dates(time_elements, ctx)
    if feed_published is not None:
        published.append(feed_published)
    url_date = _url_date(page.url, ctx)
    if url_date:
        published.append(url_date)
    strong = [c for c in published if c.confidence >= 0.75 and c.precision != "day"]
    if not strong:
        published += _headline_dates(page, ctx) + _text_dates(page, ctx)
        if not published:
            published += _data_attr_dates(page, ctx)
    strong = [c for c in published if c.confidence >= 0.85 and MIN_DATE <= c.value <= _latest(ctx)]
    utc_only = ctx.tz is None and bool(strong) and all(_is_utc_stamp(c) for c in strong)
    found_by_htmldate = htmldate_day(page, ctx) if not strong or utc_only else None
    if found_by_htmldate is not None:
        published = corroborate(published, found_by_htmldate)
    if not published:
        header = _http_date(headers, ctx)
        if header:
            published.append(header)
    chosen = choose(published, ctx, "published")
    if chosen is not None and _is_utc_stamp(chosen):
        chosen = local_spelling(chosen, published)
    if chosen is not None and utc_only and _is_utc_stamp(chosen):
        for printed in (microdata_printed_day(page, ctx), found_by_htmldate):
            if printed is not None:
                chosen = printed_day(chosen, printed) or chosen
                break

    modified_candidates = _ld_dates(page, LD_MODIFIED, ctx) + _meta_dates(page, MODIFIED_META, ctx)
    modified_candidates += _time_tag_dates(time_elements, ctx, modified=True)
    header = _http_date(headers, ctx)
    if header:
        modified_candidates.append(header)
    modified = choose(modified_candidates, ctx, "modified")
    if chosen and modified and modified.value < chosen.value and modified.precision != "day":
        modified = None
    return chosen, modified
