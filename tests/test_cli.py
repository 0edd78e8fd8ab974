"""The command line's contract: every command answers ``--help``, choices are checked before anything runs,
and the exit codes are the documented ones (0 ok, 1 failed or not found, 2 usage)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from newsagg.cli import app
from newsagg.cli.options import ExitCode, ExportFormat, LogFormat
from newsagg.export import FORMATS as EXPORT_FORMATS
from newsagg.logs import FORMATS as LOG_FORMATS
from newsagg.storage.sqlite import SQLiteStore
from tests.factories import article

runner = CliRunner()


def command_paths() -> Iterator[list[str]]:
    """Every command and group of the app, as the words one types."""
    pending: list[tuple[list[str], object]] = [([], get_command(app))]
    while pending:
        path, command = pending.pop()
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            pending.append(([*path, name], sub))


def test_the_command_tree_is_complete() -> None:
    paths = {" ".join(p) for p in command_paths()}
    assert {"crawl", "search", "export", "schedule", "demo", "stories list", "stories show"} <= paths
    assert {"eval extraction", "eval clustering", "eval dedupe", "index replay", "index status"} <= paths
    assert {"runs list", "runs show", "runs events", "sources health"} <= paths


@pytest.mark.parametrize("path", list(command_paths()), ids=lambda p: " ".join(p) or "newsagg")
def test_every_command_answers_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_help_documents_the_exit_codes() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "300"})
    assert "Exit codes: 0 ok; 1" in result.output and "2 usage" in result.output


def test_choice_enums_match_the_library() -> None:
    assert tuple(ExportFormat) == EXPORT_FORMATS
    assert tuple(LogFormat) == LOG_FORMATS


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "xml", "--output", "x.xml"],
        ["crawl", "--format", "yaml"],
        ["crawl", "--log-format", "xml"],
        ["crawl", "--log-level", "LOUD"],
        ["crawl", "--set", "NO_EQUALS_SIGN"],
        ["crawl", "--set", "NEWSAGG_LOG_FORMAT=xml"],
        ["crawl", "--since", "the day after never"],
        ["crawl", "--redis-url", "http://cache:6379/0"],
        ["ingest", "warc", ".", "--redis-url", "http://cache:6379/0"],
        ["search", "budget", "--since", "the day after never"],
        ["index", "status", "--format", "csv"],
        ["eval", "dedupe", "--data", ".", "--format", "csv"],
        ["schedule", "--log-format", "xml"],
        ["schedule", "--log-level", "LOUD"],
    ],
    ids=lambda a: " ".join(a),
)
def test_bad_arguments_exit_2_before_anything_runs(args: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, [*args, "--home", str(tmp_path)])
    assert result.exit_code == ExitCode.usage, result.output
    assert not (tmp_path / "logs").exists(), "nothing ran"


def test_bad_input_files_exit_2(tmp_path: Path) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text("outlets: [{id: x}]\n", encoding="utf-8")
    assert runner.invoke(app, ["crawl", "--registry", str(registry), "--home", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["eval", "clustering", "--data", str(tmp_path)]).exit_code == 2
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text("jobs: 3\n", encoding="utf-8")
    assert runner.invoke(app, ["schedule", "--check", "--config", str(schedule)]).exit_code == 2


def test_what_is_not_found_exits_1_and_what_is_found_exits_0(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "newsagg.sqlite") as store:
        store.upsert_articles([article("a1", story_id="st-1")])
        store.save_story({"id": "st-1", "label": "Plan", "keywords": [], "article_count": 1})
    home = ["--home", str(tmp_path)]
    missing = runner.invoke(app, ["stories", "show", "st-nope", *home])
    assert missing.exit_code == ExitCode.error and "no story 'st-nope'" in missing.output
    assert runner.invoke(app, ["runs", "show", "latest", *home]).exit_code == ExitCode.error
    assert runner.invoke(app, ["stories", "show", "st-1", *home]).exit_code == ExitCode.ok
    exported = runner.invoke(app, ["export", "-f", "json", "-o", str(tmp_path / "out.json"), *home])
    assert exported.exit_code == ExitCode.ok and (tmp_path / "out.json").is_file()
