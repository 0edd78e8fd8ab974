"""What every command shares: the options (``--home``, ``--format``, filters, ``--set``), the choice enums,
the exit codes, the one way to fail, and opening the store of ``--home``.

One definition each so a command cannot drift: a second copy of ``--home`` once pointed at a different
default, a second ``fail`` exited with another code.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from newsagg.cli.output import ListFormat, err_console

if TYPE_CHECKING:
    from newsagg.config import Config
    from newsagg.storage import ArticleFilter, ArticleStore


class ExitCode(IntEnum):
    """The exit codes of every command (also in ``newsagg --help`` and the README)."""

    ok = 0
    error = 1  # the command ran, but something failed or was not found: store unreachable, replay stopped …
    usage = 2  # bad arguments or bad input files; nothing was done


EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 the command ran but something failed or was not found (store unreachable, "
    "replay stopped, unknown story or run, a scheduled crawl failed); 2 usage: bad arguments or input files "
    "(nothing was done). A crawl exits 0 when it ran: per-page errors, skips and spooled articles are "
    "counted in its summary and run record; it exits 1 before fetching anything when the search engine can "
    "never accept this newsagg (another product, or a major its client does not speak)."
)


def fail(message: str, code: ExitCode) -> typer.Exit:
    """Print ``message`` (secrets masked, markup escaped) as the one error line; ``raise`` what it returns."""
    from newsagg.secrets import redact

    # soft_wrap: one unbroken line, so a path or a recovery command in it can be copied as it is
    err_console.print(f"[bold red]error:[/] {escape(redact(message))}", soft_wrap=True)
    return typer.Exit(int(code))


# --- choices --------------------------------------------------------------------------------------------
class ReportFormat(StrEnum):
    """A command's report: a table (or lines) for people, JSON for machines."""

    table = "table"
    json = "json"


class ExportFormat(StrEnum):
    """The file formats of ``export`` (the same as :data:`newsagg.export.FORMATS`)."""

    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    html = "html"


class LogFormat(StrEnum):
    """Log lines as text or JSON objects (the same as :data:`newsagg.logs.FORMATS`)."""

    text = "text"
    json = "json"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


# --- options --------------------------------------------------------------------------------------------
HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Data directory (default: $NEWSAGG_HOME or the per-user data dir).", envvar="NEWSAGG_HOME"
    ),
]
FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="table for people; json/csv for machines.")]
ReportFormatOption = Annotated[ReportFormat, typer.Option("--format", help="table or json")]
SettingOption = Annotated[list[str] | None, typer.Option("--set", help="Scrapy/newsagg setting KEY=VALUE.")]

LanguageOption = Annotated[str | None, typer.Option(help="ISO 639-1 code, e.g. es.")]
CountryOption = Annotated[str | None, typer.Option(help="ISO 3166 alpha-2, e.g. CL.")]
OutletOption = Annotated[str | None, typer.Option(help="Outlet id.")]
StoryIdOption = Annotated[str | None, typer.Option(help="Story id.")]
SinceOption = Annotated[str | None, typer.Option()]
UntilOption = Annotated[str | None, typer.Option()]


def parse_settings(items: list[str] | None) -> dict[str, str]:
    """``--set KEY=VALUE`` pairs as a dict (a pair without ``=`` is a usage error)."""
    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise fail(f"--set expects KEY=VALUE, got {item!r}", ExitCode.usage)
        pairs[key.strip()] = value
    return pairs


class PageKind(StrEnum):
    """Which stored pages a listing shows: articles (the default), listings, other pages, or all."""

    article = "article"
    listing = "listing"
    other = "other"
    all = "all"


KindOption = Annotated[
    PageKind,
    typer.Option(
        "--kind",
        help="Page kind: article (default), listing (index/section pages), other (kept for their text), or all.",
    ),
]


def article_filter(
    language: str | None,
    country: str | None,
    outlet: str | None,
    story: str | None,
    since: str | None,
    until: str | None,
    kind: PageKind = PageKind.article,
) -> ArticleFilter:
    """The filter options as the store's filter (an unreadable date is a usage error)."""
    from newsagg.focus import parse_when
    from newsagg.storage import ArticleFilter

    try:
        return ArticleFilter(
            language=language,
            country=country,
            outlet=outlet,
            story_id=story,
            since=parse_when(since),
            until=parse_when(until, end_of_day=True),
            kind=None if kind == PageKind.all else kind.value,
        )
    except ValueError as exc:
        raise fail(str(exc), ExitCode.usage) from exc


# --- the store of --home --------------------------------------------------------------------------------
def use_registry(registry: Path | None, overrides: dict[str, Any]) -> None:
    """Point a run at ``registry`` after checking it loads: a bad registry is a usage error before anything runs."""
    if registry is None:
        return
    from newsagg.registry import Registry, RegistryError

    try:
        Registry.load(registry)
    except RegistryError as exc:
        raise fail(str(exc), ExitCode.usage) from exc
    overrides["NEWSAGG_REGISTRY"] = str(registry)


def use_redis(redis_url: str | None, run_id: str | None, overrides: dict[str, Any]) -> None:
    """Join the distributed run ``run_id`` on ``redis_url`` after checking the pair: a bad URL or run id is a
    usage error before anything runs."""
    if not redis_url:
        return
    from crawler.distributed import distributed_settings

    try:
        distributed_settings(redis_url, run_id)
    except ValueError as exc:
        raise fail(str(exc), ExitCode.usage) from exc
    overrides["NEWSAGG_REDIS_URL"] = redis_url
    overrides["NEWSAGG_REDIS_RUN"] = run_id


def home_settings(home: Path | None, overrides: dict[str, Any] | None = None) -> Config:
    """The effective configuration with ``--home`` (and ``overrides``, e.g. ``--set``) applied: defaults ←
    settings file ← environment ← flags. A bad or unknown ``NEWSAGG_*`` setting is a usage error."""
    from newsagg.config import ConfigError, load_config

    given = dict(overrides or {})
    if home:
        given["NEWSAGG_HOME"] = str(home)
    try:
        config = load_config(given)
    except ConfigError as exc:
        raise fail(str(exc), ExitCode.usage) from exc
    data = config.store.home
    if data.exists() and not data.is_dir():
        raise fail(f"the data directory {data} is a file, not a directory (--home / NEWSAGG_HOME)", ExitCode.usage)
    return config


def require_writable_home(config: Config) -> None:
    """Commands that write (crawl, replay, repair) stop here with one line when the data directory cannot
    take a file, instead of failing half-way with a traceback."""
    import tempfile

    data = config.store.home
    try:
        data.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data, prefix=".newsagg-write-check-"):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise fail(
            f"the data directory {data} is not writable ({reason}): choose another with --home", ExitCode.error
        ) from exc


def open_settings_store(settings: Config, *, read_only: bool = False) -> ArticleStore:
    """The configured store; raises :class:`~newsagg.storage.StorageError` when it cannot be opened."""
    from newsagg.storage import open_store

    return open_store(settings, read_only=read_only)


def open_home_store(home: Path | None) -> ArticleStore:
    """The store of ``--home`` opened for reading only (the read commands use it: they work on a store they may
    not write to), or exit 1 with the reason it cannot be opened."""
    from newsagg.storage import StorageError

    try:
        return open_settings_store(home_settings(home), read_only=True)
    except StorageError as exc:
        raise fail(str(exc), ExitCode.error) from exc
