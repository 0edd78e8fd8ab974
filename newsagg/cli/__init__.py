"""The ``newsagg`` command line: demo, crawl, search, stories, export, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsagg.cli.output import ListFormat, console, emit, err_console

app = typer.Typer(
    help="newsagg: crawl regional news, group articles into stories, search and export coverage.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
stories_app = typer.Typer(help="List and inspect story clusters.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure quality on evaluation data sets.", no_args_is_help=True)
app.add_typer(stories_app, name="stories")
app.add_typer(eval_app, name="eval")

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Data directory (default: $NEWSAGG_HOME or the per-user data dir).", envvar="NEWSAGG_HOME"
    ),
]
FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="table for people; json/csv for machines.")]


def _fail(message: str, code: int = 2) -> typer.Exit:
    from newsagg.secrets import redact

    err_console.print(f"[bold red]error:[/] {escape(redact(message))}")
    return typer.Exit(code)


def _store(home: Path | None):  # type: ignore[no-untyped-def]
    from newsagg.crawl import build_settings
    from newsagg.storage import StorageError, open_store

    settings = build_settings({"NEWSAGG_HOME": str(home) if home else None})
    try:
        return open_store(settings.get("NEWSAGG_BACKEND", "sqlite"), home=settings.get("NEWSAGG_HOME"))
    except StorageError as exc:
        raise _fail(str(exc)) from exc


def _filter(language, country, outlet, story, since, until):  # type: ignore[no-untyped-def]
    from crawler.focus import parse_when
    from newsagg.storage import ArticleFilter

    try:
        return ArticleFilter(
            language=language,
            country=country,
            outlet=outlet,
            story_id=story,
            since=parse_when(since),
            until=parse_when(until, end_of_day=True),
        )
    except ValueError as exc:
        raise _fail(str(exc)) from exc


# --- crawl ----------------------------------------------------------------------------------------------
def print_crawl_summary(summary) -> None:  # type: ignore[no-untyped-def]
    figures = summary.as_dict()
    console.print(
        f"[bold]Crawl finished[/] in {figures['seconds']}s: {figures['pages']} pages, {figures['articles']} articles "
        f"({figures['inserted']} new, {figures['updated']} updated, {figures['unchanged']} unchanged), "
        f"{sum(figures['duplicates'].values())} duplicates, {figures['stories_touched']} stories touched"
    )
    for label in ("skipped", "errors", "duplicates"):
        if figures[label]:
            console.print(f"  {label}: " + ", ".join(f"{k}={v}" for k, v in figures[label].items()))
    if figures["spooled"]:
        console.print(f"  [yellow]{figures['spooled']} articles spooled[/] (store unavailable); replayed next run")
    if figures["log_file"]:
        console.print(f"  log: {figures['log_file']}")


@app.command()
def crawl(
    registry: Annotated[Path | None, typer.Option(help="Outlet registry YAML (default settings/sources.yaml).")] = None,
    outlets: Annotated[str | None, typer.Option(help="Comma-separated outlet ids to crawl (default: all).")] = None,
    story: Annotated[str | None, typer.Option(help="Keep only articles about these terms.")] = None,
    seed_url: Annotated[str | None, typer.Option(help="Keep only articles about the story of this article.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest publication date (YYYY-MM-DD, ISO, '2 days ago').")] = (
        None
    ),
    until: Annotated[str | None, typer.Option(help="Latest publication date.")] = None,
    home: HomeOption = None,
    log_level: Annotated[str, typer.Option(help="Log level of the crawl log file.")] = "INFO",
    progress: Annotated[bool | None, typer.Option(help="Live progress (default: on a terminal).")] = None,
    output_format: Annotated[str, typer.Option("--format", help="Summary as 'table' or 'json'.")] = "table",
    setting: Annotated[list[str] | None, typer.Option("--set", help="Scrapy/newsagg setting KEY=VALUE.")] = None,
    redis_url: Annotated[
        str | None,
        typer.Option(
            help="Share the frontier and dupe filter with other crawl "
            "processes through this Redis (redis://host:port/db).",
            envvar="NEWSAGG_REDIS_URL",
        ),
    ] = None,
    run_id: Annotated[str | None, typer.Option(help="Distributed run id: processes of one crawl share it.")] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Fetch everything again (no conditional GET, no skipping "
            "of known articles); the fetch state is still updated.",
        ),
    ] = False,
    log_format: Annotated[
        str | None,
        typer.Option(
            "--log-format", help="Crawl log as 'text' or 'json' (one object per line).", envvar="NEWSAGG_LOG_FORMAT"
        ),
    ] = None,
) -> None:
    """Crawl the registered outlets into the store, cluster stories, print a summary."""
    from newsagg.crawl import run_crawl
    from newsagg.registry import Registry, RegistryError

    overrides: dict[str, object] = {"NEWSAGG_HOME": str(home) if home else None, "LOG_LEVEL": log_level}
    if full:
        overrides["NEWSAGG_INCREMENTAL"] = False
    if log_format:
        overrides["NEWSAGG_LOG_FORMAT"] = log_format
    if registry:
        try:
            Registry.load(registry)
        except RegistryError as exc:
            raise _fail(str(exc)) from exc
        overrides["NEWSAGG_REGISTRY"] = str(registry)
    if progress is not None:
        overrides["NEWSAGG_PROGRESS"] = progress
    if redis_url:
        from crawler.distributed import distributed_settings

        try:
            distributed_settings(redis_url, run_id)
        except ValueError as exc:
            raise _fail(str(exc)) from exc
        overrides["NEWSAGG_REDIS_URL"] = redis_url
        overrides["NEWSAGG_REDIS_RUN"] = run_id
    for item in setting or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise _fail(f"--set expects KEY=VALUE, got {item!r}")
        overrides[key.strip()] = value
    if overrides.get("NEWSAGG_LOG_FORMAT"):
        from newsagg.logs import check_format

        try:
            overrides["NEWSAGG_LOG_FORMAT"] = check_format(str(overrides["NEWSAGG_LOG_FORMAT"]))
        except ValueError as exc:
            raise _fail(str(exc)) from exc
    if since or until:
        from crawler.focus import parse_when

        try:
            parse_when(since)
            parse_when(until)
        except ValueError as exc:
            raise _fail(str(exc)) from exc
    summary = run_crawl(
        {"outlets": outlets, "story": story, "seed_url": seed_url, "since": since, "until": until}, overrides
    )
    if output_format == "json":
        sys.stdout.write(json.dumps(summary.as_dict(), indent=2) + "\n")
    else:
        print_crawl_summary(summary)


# --- search ---------------------------------------------------------------------------------------------
@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must match; 'a OR b' for either).")],
    language: Annotated[str | None, typer.Option(help="ISO 639-1 code, e.g. es.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO 3166 alpha-2, e.g. CL.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet id.")] = None,
    story: Annotated[str | None, typer.Option(help="Story id.")] = None,
    since: Annotated[str | None, typer.Option()] = None,
    until: Annotated[str | None, typer.Option()] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """Full-text search of stored articles (BM25), with highlighted snippets."""
    flt = _filter(language, country, outlet, story, since, until)
    with _store(home) as store:
        page = store.search(query, flt, limit=limit, offset=offset)
    rows = [
        {
            "score": round(hit.score, 3),
            "published_at": hit.article.get("published_at"),
            "outlet": hit.article.get("outlet_name"),
            "country": hit.article.get("country"),
            "language": hit.article.get("language"),
            "title": hit.article.get("title"),
            "story_id": hit.article.get("story_id"),
            "snippet": hit.snippet,
            "url": hit.article.get("url"),
            "id": hit.article.get("id"),
        }
        for hit in page.hits
    ]
    columns = ["score", "published_at", "outlet", "country", "language", "title", "snippet"]
    if fmt != ListFormat.table:
        columns = list(rows[0]) if rows else columns
    emit(
        rows, columns, fmt, title=f"{page.total} articles match {query!r}", payload={"total": page.total, "hits": rows}
    )


# --- stories --------------------------------------------------------------------------------------------
@stories_app.command("list")
def stories_list(
    min_articles: Annotated[int, typer.Option(help="Hide stories smaller than this.")] = 1,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """Stories, largest first."""
    from newsagg.coverage import story_document, story_row

    with _store(home) as store:
        stories = store.list_stories(min_articles=min_articles, limit=limit)
        rows = [story_row(story_document(store, s)) for s in stories]
    emit(
        rows,
        ["id", "articles", "outlets", "countries", "languages", "duplicates", "first_published", "label"],
        fmt,
        title="Stories",
    )


@stories_app.command("show")
def stories_show(
    story_id: Annotated[str, typer.Argument(help="Story id (from 'stories list').")],
    home: HomeOption = None,
    fmt: FormatOption = ListFormat.table,
) -> None:
    """One story: its coverage table (outlet, country, language, time, who copied whom)."""
    from newsagg.coverage import story_document

    with _store(home) as store:
        story = store.get_story(story_id)
        if story is None:
            raise _fail(f"no story {story_id!r}; see 'newsagg stories list'", code=1)
        document = story_document(store, story)
    if fmt == ListFormat.table:
        summary = document["summary"]
        console.print(f"[bold]{escape(story.get('label') or story['id'])}[/]  ({story['id']})")
        console.print(
            f"{summary['articles']} articles · countries {summary['countries']} · "
            f"languages {summary['languages']} · {summary['duplicates']} copies"
        )
    emit(
        document["coverage"],
        [
            "published_at",
            "outlet_name",
            "country",
            "language",
            "title",
            "duplicate_of_outlet",
            "versions",
            "last_change",
        ],
        fmt,
        title="Coverage",
        payload=document,
    )
    if fmt == ListFormat.table and document["revisions"]:  # earlier versions of revised articles
        emit(
            [{**v, "outlet_name": r["outlet_name"]} for r in document["revisions"] for v in r["versions"]],
            ["replaced_at", "outlet_name", "title", "published_at", "changes"],
            fmt,
            title="Revisions (earlier versions)",
        )


# --- export ---------------------------------------------------------------------------------------------
@app.command()
def export(
    output_format: Annotated[str, typer.Option("--format", "-f", help="json | ndjson | csv | html")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    story: Annotated[str | None, typer.Option(help="Only this story.")] = None,
    min_articles: Annotated[int, typer.Option(help="Only stories with at least this many articles.")] = 1,
    home: HomeOption = None,
) -> None:
    """Export story clusters with their articles, duplicate links and coverage table."""
    from newsagg.coverage import iter_story_documents
    from newsagg.export import FORMATS
    from newsagg.export import export as write

    if output_format not in FORMATS:
        raise _fail(f"unknown format {output_format!r}; choose one of {', '.join(FORMATS)}")
    with _store(home) as store:
        try:
            count = write(iter_story_documents(store, story_id=story, min_articles=min_articles), output_format, output)
        except KeyError as exc:
            raise _fail(f"no story {story!r}", code=1) from exc
    unit = "rows" if output_format == "csv" else "stories"
    console.print(f"wrote {count} {unit} to {output}")


# --- eval -----------------------------------------------------------------------------------------------
@eval_app.command("extraction")
def eval_extraction(
    data: Annotated[Path, typer.Option(help="Folder with html/<key>.html.gz and ground-truth.json.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N pages.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Body F1, title, authors and dates against gold data, next to bare trafilatura."""
    from newsagg.evaluation.extraction import evaluate_extraction, print_result

    if not (data / "ground-truth.json").is_file():
        raise _fail(f"{data} has no ground-truth.json")
    result = evaluate_extraction(data, limit=limit)
    if output_format == "json":
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    else:
        print_result(result)


@eval_app.command("clustering")
def eval_clustering(
    data: Annotated[Path, typer.Option(help="ECB+-style folder: clusters.tsv and ECB+/<topic>/<doc>.xml.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    baseline: Annotated[bool, typer.Option(help="Also run the TF-IDF average-linkage baseline.")] = True,
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """BCubed precision/recall/F1 of story clustering against gold stories, next to a TF-IDF baseline."""
    from newsagg.evaluation.clustering import evaluate_clustering

    if not (data / "clusters.tsv").is_file():
        raise _fail(f"{data} has no clusters.tsv")
    result = evaluate_clustering(data, limit=limit, baseline=baseline)
    if output_format == "json":
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    rows = [
        {"system": "newsagg", **{k: result[k] for k in ("stories", "bcubed_precision", "bcubed_recall", "bcubed_f1")}}
    ]
    if "baseline" in result:
        rows.append(
            {
                "system": f"baseline (threshold {result['baseline']['threshold']})",
                **{k: result["baseline"][k] for k in ("stories", "bcubed_precision", "bcubed_recall", "bcubed_f1")},
            }
        )
    emit(
        rows,
        ["system", "stories", "bcubed_precision", "bcubed_recall", "bcubed_f1"],
        ListFormat.table,
        title=f"{result['docs']} documents, {result['gold_stories']} gold stories, {result['ms_per_doc']} ms/doc",
    )


@eval_app.command("dedupe")
def eval_dedupe(
    data: Annotated[Path, typer.Option(help="Folder with ground-truth.json of article bodies (extraction benchmark).")],
    ecbplus: Annotated[Path | None, typer.Option(help="ECB+-style folder for same-topic hard negatives.")] = None,
    threshold: Annotated[float | None, typer.Option(help="MinHash Jaccard threshold (default: the crawl's).")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table or json")] = "table",
) -> None:
    """Pair precision/recall of near-duplicate detection on controlled edits of real articles."""
    from newsagg.dedupe import DEFAULT_THRESHOLD
    from newsagg.evaluation.dedupe import evaluate_dedupe

    if not (data / "ground-truth.json").is_file():
        raise _fail(f"{data} has no ground-truth.json")
    result = evaluate_dedupe(data, ecbplus, threshold=threshold or DEFAULT_THRESHOLD)
    if output_format == "json":
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    rows = [{"measure": k, "value": v} for k, v in result.items() if not isinstance(v, dict)]
    rows += [{"measure": f"recall: {k}", "value": v} for k, v in result["recall_by_edit"].items()]
    rows += [{"measure": f"false positives: {k}", "value": v} for k, v in result["false_positives"].items()]
    emit(rows, ["measure", "value"], ListFormat.table, title="Near-duplicate pairs")


from newsagg.cli.demo import demo  # noqa: E402  (registers the command)
from newsagg.cli.index import index_app  # noqa: E402

app.add_typer(index_app, name="index")
from newsagg.cli.runs import runs_app  # noqa: E402  (issue #6: runs, source health, scheduler)
from newsagg.cli.schedule import schedule  # noqa: E402
from newsagg.cli.sources import sources_app  # noqa: E402

app.add_typer(runs_app, name="runs")
app.add_typer(sources_app, name="sources")
app.command()(schedule)

app.command()(demo)

if __name__ == "__main__":
    app()
