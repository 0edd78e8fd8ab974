"""Extraction quality against reference data, side by side with bare trafilatura.

``evaluate_extraction(data_dir)`` reads ``html/<key>.html.gz`` and ``ground-truth.json`` (key -> any of
``url``, ``articleBody``, ``title``, ``authors``, ``published``) and scores each measure over the records
that carry its field:

- body: precision / recall / F1 over 4-word shingles (the article-extraction-benchmark metric). ``f1``,
  ``precision`` and ``recall`` aggregate as the benchmark does (per-page TP/FP/FN normalised to sum 1,
  then pooled); ``f1_page_mean`` is the plain mean of per-page F1.
- title: exact match after whitespace normalisation (soft hyphens / zero-width spaces count as nothing).
- authors: every gold author is among the extracted names (case-insensitive).
- published: ``date_day`` same calendar day (in the gold's offset); ``date_minute`` same instant to the
  minute, i.e. the right UTC offset (only for golds with a time: the reference stores date-only values as
  00:00:00, so midnight counts as "no time"; a naive gold time is read in the outlet timezone).
- ``ms_per_page``: CPU time of one call (``time.process_time``: the machine is shared, and wall time would
  count the time other processes held the CPU), after one untimed warm-up page (model loading excluded).
  Ours and the baseline run alternately on each page, so both see the same cache state.
- ``url_collisions``: groups of distinct gold URLs that get one article id (must be empty).
- ``htmldate``: htmldate alone (extensive search, original date) on the pages with a gold date: its
  ``date_day`` is the reference a date finder has to match.

When the ground truth carries a ``country`` the outlet timezone passed to ``extract_article`` is the
country's main timezone (as the outlet registry would give it); ``crawl_date`` is the fetch time.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .metrics import mean, shingle_prf, shingles

COUNTRY_TZ = {
    "ar": "America/Argentina/Buenos_Aires", "at": "Europe/Vienna", "au": "Australia/Sydney",
    "be": "Europe/Brussels", "br": "America/Sao_Paulo", "ca": "America/Toronto", "ch": "Europe/Zurich",
    "cl": "America/Santiago", "cn": "Asia/Shanghai", "co": "America/Bogota", "cz": "Europe/Prague",
    "de": "Europe/Berlin", "dk": "Europe/Copenhagen", "es": "Europe/Madrid", "fi": "Europe/Helsinki",
    "fr": "Europe/Paris", "gl": "America/Nuuk", "gr": "Europe/Athens", "hk": "Asia/Hong_Kong",
    "id": "Asia/Jakarta", "ie": "Europe/Dublin", "il": "Asia/Jerusalem", "in": "Asia/Kolkata",
    "ind": "Asia/Kolkata", "is": "Atlantic/Reykjavik", "isl": "Atlantic/Reykjavik", "it": "Europe/Rome",
    "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "lb": "Asia/Beirut", "li": "Europe/Vaduz",
    "ls": "Africa/Maseru", "lt": "Europe/Vilnius", "lu": "Europe/Luxembourg", "mx": "America/Mexico_City",
    "my": "Asia/Kuala_Lumpur", "na": "Africa/Windhoek", "nl": "Europe/Amsterdam", "no": "Europe/Oslo",
    "nz": "Pacific/Auckland", "pe": "America/Lima", "pl": "Europe/Warsaw", "pt": "Europe/Lisbon",
    "py": "America/Asuncion", "ru": "Europe/Moscow", "se": "Europe/Stockholm", "sv": "America/El_Salvador",
    "tr": "Europe/Istanbul", "tw": "Asia/Taipei", "tz": "Africa/Dar_es_Salaam", "ua": "Europe/Kyiv",
    "uk": "Europe/London", "gb": "Europe/London", "us": "America/New_York", "ve": "America/Caracas",
    "vn": "Asia/Ho_Chi_Minh", "za": "Africa/Johannesburg",
}  # fmt: skip

_clock = time.process_time
MEASURES = ("f1", "precision", "recall", "title_exact", "authors_found", "date_day", "date_minute")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


# --------------------------------------------------------------------------------------------- scoring


def normalize_title(text: str | None) -> str:
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text or ""))
    return " ".join(text.split())


def authors_found(gold: list[str], predicted: list[str]) -> bool:
    have = {" ".join(a.split()).casefold() for a in predicted}
    return all(" ".join(g.split()).casefold() in have for g in gold)


def _parse_gold_date(raw: str) -> tuple[datetime, bool] | None:
    """(value, has_time)."""
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    # fundus stores a date without time as midnight: 00:00:00 (with or without offset) is a date only
    has_time = (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0)
    return value, has_time


def date_scores(
    gold_raw: str, value: datetime | None, precision: str, outlet_tz: str | None = None
) -> tuple[bool, bool | None]:
    """(same day, same minute) — the second is ``None`` when the gold has no time.

    A naive gold time is read in the outlet timezone when known, else compared as wall-clock time.
    """
    parsed = _parse_gold_date(gold_raw)
    if parsed is None:
        return False, None
    gold, has_time = parsed
    if gold.tzinfo is None and has_time and outlet_tz:
        gold = gold.replace(tzinfo=ZoneInfo(outlet_tz))
    if value is None:
        return False, (False if has_time else None)
    if precision == "day":
        days = {gold.date()}
        if gold.tzinfo is not None and value.tzinfo is not None:
            days.add(gold.astimezone(value.tzinfo).date())
        return value.date() in days, (False if has_time else None)
    if gold.tzinfo is not None:
        ours = value.astimezone(gold.tzinfo) if value.tzinfo else value.replace(tzinfo=UTC).astimezone(gold.tzinfo)
        same_day = ours.date() == gold.date()
        minute = ours.replace(second=0, microsecond=0) == gold.replace(second=0, microsecond=0)
    else:
        ours = value.replace(tzinfo=None)
        same_day = ours.date() == gold.date()
        minute = ours.replace(second=0, microsecond=0) == gold.replace(second=0, microsecond=0)
    return same_day, (minute if has_time else None)


def _baseline_date(raw: str | None) -> tuple[datetime | None, str]:
    if not raw:
        return None, "day"
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None, "day"
    precision = "minute" if "T" in raw or " " in raw else "day"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value, precision


# --------------------------------------------------------------------------------------------- running


def _run_ours(html: bytes, record: dict[str, Any]) -> tuple[dict[str, Any], float]:
    from newsagg.extraction import extract_article

    fetched_at = None
    if record.get("crawl_date"):
        try:
            fetched_at = datetime.fromisoformat(record["crawl_date"])
            if fetched_at.tzinfo is None:
                fetched_at = fetched_at.replace(tzinfo=UTC)
        except ValueError:
            fetched_at = None
    timezone = COUNTRY_TZ.get(str(record.get("country", "")).lower())
    start = _clock()
    art = extract_article(html, record.get("url") or "", fetched_at=fetched_at, timezone=timezone)
    elapsed = _clock() - start
    out = {
        "text": art.text,
        "title": art.title,
        "authors": art.authors,
        "published": art.published.value if art.published else None,
        "precision": art.published.precision if art.published else "day",
    }
    return out, elapsed


def run_baseline(html: bytes, record: dict[str, Any], need_metadata: bool) -> tuple[dict[str, Any], float]:
    import trafilatura

    url = record.get("url")
    start = _clock()
    if need_metadata:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            date_extraction_params={
                "extensive_search": True,
                "original_date": True,
                "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            },
        )
        elapsed = _clock() - start
        if doc is None:
            return {"text": "", "title": None, "authors": [], "published": None, "precision": "day"}, elapsed
        value, precision = _baseline_date(doc.date)
        # htmldate prints T00:00:00 for a date without time
        if value is not None and doc.date and doc.date.endswith("T00:00:00+0000"):
            precision = "day"
        return {
            "text": doc.text or "",
            "title": doc.title,
            "authors": [a.strip() for a in (doc.author or "").split(";") if a.strip()],
            "published": value,
            "precision": precision,
        }, elapsed
    text = trafilatura.extract(html, url=url)
    return {"text": text or "", "title": None, "authors": [], "published": None, "precision": "day"}, (_clock() - start)


def _run_htmldate(html: bytes, record: dict[str, Any]) -> tuple[dict[str, Any], float]:
    """htmldate alone (extensive search, original date): the date reference the issue compares against."""
    from htmldate import find_date

    start = _clock()
    try:
        found = find_date(html, url=record.get("url"), extensive_search=True, original_date=True)
    except Exception:
        found = None
    elapsed = _clock() - start
    value = datetime.fromisoformat(found).replace(tzinfo=UTC) if found else None
    return {"text": "", "title": None, "authors": [], "published": value, "precision": "day"}, elapsed


class Scores:
    def __init__(self) -> None:
        self.tp_fp_fn: list[tuple[float, float, float]] = []
        self.page_f1: list[float] = []
        self.title: list[float] = []
        self.authors: list[float] = []
        self.day: list[float] = []
        self.minute: list[float] = []
        self.seconds: list[float] = []

    def add(self, record: dict[str, Any], out: dict[str, Any], elapsed: float) -> dict[str, float]:
        self.seconds.append(elapsed)
        row: dict[str, float] = {}
        if record.get("articleBody") is not None:
            gold_sh, pred_sh = shingles(record["articleBody"]), shingles(out["text"])
            tp = sum((gold_sh & pred_sh).values())
            fp, fn = sum(pred_sh.values()) - tp, sum(gold_sh.values()) - tp
            total = tp + fp + fn
            self.tp_fp_fn.append((tp / total, fp / total, fn / total) if total else (1.0, 0.0, 0.0))
            prf = shingle_prf(record["articleBody"], out["text"])
            self.page_f1.append(prf.f1)
            row.update(f1=prf.f1, precision=prf.precision, recall=prf.recall)
        if record.get("title"):
            ok = normalize_title(record["title"]) == normalize_title(out["title"])
            self.title.append(float(ok))
            row["title_exact"] = float(ok)
        if record.get("authors"):
            ok = authors_found(record["authors"], out["authors"])
            self.authors.append(float(ok))
            row["authors_found"] = float(ok)
        if record.get("published"):
            outlet_tz = COUNTRY_TZ.get(str(record.get("country", "")).lower())
            day, minute = date_scores(record["published"], out["published"], out["precision"], outlet_tz)
            self.day.append(float(day))
            row["date_day"] = float(day)
            if minute is not None:
                self.minute.append(float(minute))
                row["date_minute"] = float(minute)
        return row

    def summary(self, pages: int) -> dict[str, Any]:
        precision = recall = f1 = None
        if self.tp_fp_fn:
            tp, fp, fn = (sum(col) for col in zip(*self.tp_fp_fn, strict=True))
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "pages": pages,
            "f1": f1,
            "precision": precision,
            "recall": recall,
            "f1_page_mean": mean(self.page_f1),
            "title_exact": mean(self.title),
            "authors_found": mean(self.authors),
            "date_day": mean(self.day),
            "date_minute": mean(self.minute),
            "ms_per_page": 1000 * mean(self.seconds) if self.seconds else None,
        }


def url_collisions(urls: list[str]) -> list[list[str]]:
    """Groups of distinct page URLs that canonicalize to one article id (each would overwrite the others)."""
    from newsagg.urls import article_id, canonicalize_url

    by_id: dict[str, set[str]] = {}
    for url in urls:
        if url:
            by_id.setdefault(article_id(canonicalize_url(url)), set()).add(url)
    return [sorted(group) for group in by_id.values() if len(group) > 1]


def _warm_up(data_dir: Path, keys: list[str], truth: dict[str, dict[str, Any]], baseline: bool) -> None:
    """One untimed page through both extractors: ms/page measures the steady state of a long-running
    crawler, not model loading (py3langid, dateparser locales) on the first call."""
    for key in keys[:1]:
        path = data_dir / "html" / f"{key}.html.gz"
        if path.exists():
            html = gzip.decompress(path.read_bytes())
            _run_ours(html, truth[key])
            if baseline:
                run_baseline(html, truth[key], True)
                run_baseline(html, truth[key], False)


def evaluate_extraction(data_dir: Path, limit: int | None = None, baseline: bool = True) -> dict[str, Any]:
    """Score :func:`newsagg.extraction.extract_article` (and bare trafilatura) on a reference folder."""
    data_dir = Path(data_dir)
    truth: dict[str, dict[str, Any]] = json.loads((data_dir / "ground-truth.json").read_text("utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    ours, base, dates_only = Scores(), Scores(), Scores()
    rows = []
    pages = 0
    _warm_up(data_dir, keys, truth, baseline)
    for key in keys:
        path = data_dir / "html" / f"{key}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes())
        record = truth[key]
        pages += 1
        out, elapsed = _run_ours(html, record)
        row = ours.add(record, out, elapsed)
        if baseline:
            need_metadata = any(record.get(k) for k in ("title", "authors", "published"))
            b_out, b_elapsed = run_baseline(html, record, need_metadata)
            b_row = base.add(record, b_out, b_elapsed)
            if "f1" in b_row:
                row["baseline_f1"] = b_row["f1"]
            if record.get("published"):
                h_out, h_elapsed = _run_htmldate(html, record)
                dates_only.add({"published": record["published"], "country": record.get("country")}, h_out, h_elapsed)
        rows.append({"key": key, **{k: round(v, 4) for k, v in row.items()}})
    result = ours.summary(pages)
    result["baseline"] = base.summary(pages) if baseline else None
    if baseline and dates_only.day:
        summary = dates_only.summary(pages)
        result["htmldate"] = {"date_day": summary["date_day"], "ms_per_page": summary["ms_per_page"]}
    with_f1 = [r for r in rows if "f1" in r]
    result["worst"] = sorted(with_f1, key=lambda r: r["f1"])[:10]
    result["url_collisions"] = url_collisions([truth[k].get("url") or "" for k in keys])
    # pages where a metadata measure failed, to study by category
    result["misses"] = {
        measure: [r["key"] for r in rows if r.get(measure) == 0.0]
        for measure in ("title_exact", "authors_found", "date_day", "date_minute")
    }
    return result


# ------------------------------------------------------------------------------------------------ table


def _fmt(value: Any, key: str) -> str:
    if value is None:
        return "—"
    if key == "ms_per_page":
        return f"{value:.1f}"
    if key == "pages":
        return str(value)
    return f"{value:.3f}"


def render_table(result: dict[str, Any], what: str = "extraction quality") -> Any:
    """A ``rich.table.Table``: one row per measure, ours vs bare trafilatura."""
    from rich.table import Table

    table = Table(title=f"{what} ({result.get('pages')} pages)")
    table.add_column("measure")
    table.add_column("newsagg", justify="right")
    table.add_column("trafilatura", justify="right")
    base = result.get("baseline") or {}
    for key in ("f1", "precision", "recall", "f1_page_mean", *MEASURES[3:], "ms_per_page"):
        table.add_row(key, _fmt(result.get(key), key), _fmt(base.get(key), key))
    if result.get("htmldate"):
        table.add_row("date_day (htmldate alone)", "", _fmt(result["htmldate"]["date_day"], "date_day"))
    if base.get("ms_per_page") and result.get("ms_per_page"):
        table.add_row("speed ratio", f"{result['ms_per_page'] / base['ms_per_page']:.2f}x", "1.00x")
    return table


def print_result(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(render_table(result))
    if result.get("worst"):
        worst = Table(title="worst pages by body F1")
        for col in ("key", "f1", "precision", "recall", "baseline_f1"):
            worst.add_column(col)
        for row in result["worst"]:
            worst.add_row(*(str(row.get(c, "—")) for c in ("key", "f1", "precision", "recall", "baseline_f1")))
        console.print(worst)
    for group in result.get("url_collisions") or []:
        console.print("URL collision (one article id): " + ", ".join(group))
    for measure, keys in (result.get("misses") or {}).items():
        if keys:
            console.print(f"{measure} misses ({len(keys)}): " + ", ".join(keys))
