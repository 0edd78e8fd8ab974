"""``newsagg eval``: quality of extraction, clustering and near-duplicate detection on evaluation data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from newsagg.cli.options import ExitCode, ReportFormat, ReportFormatOption, fail
from newsagg.cli.output import ListFormat, emit

eval_app = typer.Typer(help="Measure quality on evaluation data sets.", no_args_is_help=True)


@eval_app.command("extraction")
def eval_extraction(
    data: Annotated[Path, typer.Option(help="Folder with html/<key>.html.gz and ground-truth.json.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N pages.")] = None,
    output_format: ReportFormatOption = ReportFormat.table,
) -> None:
    """Body F1, title, authors and dates against gold data, next to bare trafilatura."""
    from newsagg.evaluation.extraction import evaluate_extraction, print_result

    if not (data / "ground-truth.json").is_file():
        raise fail(f"{data} has no ground-truth.json", ExitCode.usage)
    result = evaluate_extraction(data, limit=limit)
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    else:
        print_result(result)


@eval_app.command("clustering")
def eval_clustering(
    data: Annotated[Path, typer.Option(help="ECB+-style folder: clusters.tsv and ECB+/<topic>/<doc>.xml.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    baseline: Annotated[bool, typer.Option(help="Also run the TF-IDF average-linkage baseline.")] = True,
    output_format: ReportFormatOption = ReportFormat.table,
) -> None:
    """BCubed precision/recall/F1 of story clustering against gold stories, next to a TF-IDF baseline."""
    from newsagg.evaluation.clustering import evaluate_clustering

    if not (data / "clusters.tsv").is_file():
        raise fail(f"{data} has no clusters.tsv", ExitCode.usage)
    result = evaluate_clustering(data, limit=limit, baseline=baseline)
    if output_format == ReportFormat.json:
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
    output_format: ReportFormatOption = ReportFormat.table,
) -> None:
    """Pair precision/recall of near-duplicate detection on controlled edits of real articles."""
    from newsagg.dedupe import DEFAULT_THRESHOLD
    from newsagg.evaluation.dedupe import evaluate_dedupe

    if not (data / "ground-truth.json").is_file():
        raise fail(f"{data} has no ground-truth.json", ExitCode.usage)
    result = evaluate_dedupe(data, ecbplus, threshold=threshold or DEFAULT_THRESHOLD)
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    rows = [{"measure": k, "value": v} for k, v in result.items() if not isinstance(v, dict)]
    rows += [{"measure": f"recall: {k}", "value": v} for k, v in result["recall_by_edit"].items()]
    rows += [{"measure": f"false positives: {k}", "value": v} for k, v in result["false_positives"].items()]
    emit(rows, ["measure", "value"], ListFormat.table, title="Near-duplicate pairs")


@eval_app.command("crawl")
def eval_crawl(
    data: Annotated[Path, typer.Option(help="Folder with html/<key>.html.gz and ground-truth.json (with urls).")],
    limit: Annotated[int | None, typer.Option(help="Only the first N pages.")] = None,
    baseline: Annotated[bool, typer.Option(help="Also score bare trafilatura on the same pages.")] = True,
    workdir: Annotated[
        Path | None, typer.Option(help="Keep the crawl's home (store, state, logs) here instead of a temp dir.")
    ] = None,
    output_format: ReportFormatOption = ReportFormat.table,
) -> None:
    """End to end: serve the set's pages from a loopback mirror under their own host names, crawl them with
    the real spider and pipelines into a fresh store, and score what was stored (a page lost counts as wrong)."""
    from newsagg.evaluation.crawl import evaluate_crawl
    from newsagg.evaluation.extraction import render_table

    if not (data / "ground-truth.json").is_file():
        raise fail(f"{data} has no ground-truth.json", ExitCode.usage)
    try:
        result = evaluate_crawl(data, limit=limit, baseline=baseline, workdir=workdir)
    except RuntimeError as exc:
        raise fail(str(exc), ExitCode.error) from exc
    if output_format == ReportFormat.json:
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
        return
    from newsagg.cli.output import console

    console.print(render_table(result, "end-to-end quality through a crawl"))
    rejected = result["rejected"]
    reasons = ", ".join(f"{reason}={count}" for reason, count in rejected["reasons"].items()) or "none"
    console.print(
        escape(
            f"stored {result['stored']} of {result['pages']} pages; lost {rejected['pages']} "
            f"({rejected['dated_pages']} dated): {reasons}; URL collisions: {result['url_collisions']}"
        )
    )
