"""The ``newsagg`` Typer app: every command group registered in one place, in the order ``--help`` lists them."""

from __future__ import annotations

import typer

from newsagg.cli.article import article_app
from newsagg.cli.config import config_app
from newsagg.cli.crawl import crawl
from newsagg.cli.demo import demo
from newsagg.cli.eval import eval_app
from newsagg.cli.export import export
from newsagg.cli.index import index_app
from newsagg.cli.ingest import ingest_app
from newsagg.cli.options import EXIT_CODES_HELP, ExitCode, fail
from newsagg.cli.runs import runs_app
from newsagg.cli.schedule import schedule
from newsagg.cli.search import search
from newsagg.cli.serve import serve
from newsagg.cli.sources import sources_app
from newsagg.cli.stories import stories_app

app = typer.Typer(
    help="newsagg: crawl regional news, group articles into stories, search and export coverage.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

for command in (crawl, search, export, schedule, demo, serve):
    app.command()(command)
app.add_typer(ingest_app, name="ingest")
app.add_typer(article_app, name="article")
app.add_typer(stories_app, name="stories")
app.add_typer(eval_app, name="eval")
app.add_typer(index_app, name="index")
app.add_typer(runs_app, name="runs")
app.add_typer(sources_app, name="sources")
app.add_typer(config_app, name="config")


def main() -> None:
    """The ``newsagg`` command. A store or state file that fails in the middle of a command (a damaged table,
    an engine that went away) ends it with the reason and what to do, exit 1, instead of a traceback."""
    from newsagg.state.db import StateError
    from newsagg.storage.base import StorageError

    try:
        app()
    except (StorageError, StateError) as exc:
        raise SystemExit(int(fail(str(exc), ExitCode.error).exit_code)) from None
