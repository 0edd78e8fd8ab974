"""A read-only or wrong data directory: read commands work on a store they cannot write (opened read-only),
commands that must write fail with one clear line, and a ``--home`` that is a file is a usage error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer
from tests.factories import article
from tests.support.crawl import NEWSAGG, run_cli

pytestmark = pytest.mark.reliability


def _store(home: Path) -> None:
    with SQLiteStore(home / "newsagg.sqlite") as store:
        text = "El congreso regional de Valparaíso votó el presupuesto de la provincia para el próximo año. " * 4
        store.upsert_articles([article(f"r{n}", text=text + str(n)) for n in range(5)])
        clusterer = StoryClusterer(store)
        for item in store.iter_articles():
            clusterer.assign(item)


def _read_only(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``newsagg ARGS --home HOME`` with HOME mounted read-only (a user namespace: root cannot write either)."""
    if not shutil.which("unshare"):
        pytest.skip("unshare is not installed")
    script = f'mount --bind "{home}" "{home}" && mount -o remount,ro,bind "{home}" && exec "$0" "$@"'
    command = ["unshare", "-rm", "sh", "-c", script, *NEWSAGG, *args, "--home", str(home)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if "mount" in result.stderr and "ermission" in result.stderr:
        pytest.skip(f"user namespaces are off: {result.stderr.strip()}")
    return result


@pytest.mark.parametrize(
    "command",
    [("stories", "list", "--format", "json"), ("search", "presupuesto", "--format", "json"), ("index", "status")],
)
def test_read_commands_work_on_a_read_only_store(command: tuple[str, ...], tmp_path: Path) -> None:
    _store(tmp_path)
    result = _read_only(tmp_path, *command)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if command[0] == "search":
        assert json.loads(result.stdout)["total"] == 5


def test_export_from_a_read_only_store_writes_elsewhere(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    home.mkdir()
    out.mkdir()
    _store(home)
    result = _read_only(home, "export", "--format", "csv", "--output", str(out / "stories.csv"))
    assert result.returncode == 0, result.stderr
    assert (out / "stories.csv").read_text(encoding="utf-8").count("\n") == 6  # header + 5 articles


def test_a_crawl_into_a_read_only_home_fails_with_one_line(tmp_path: Path) -> None:
    _store(tmp_path)
    registry = Path(__file__).resolve().parent.parent / "settings" / "sources.yaml"
    result = _read_only(tmp_path, "crawl", "--registry", str(registry), "--outlets", "latercera")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "is not writable" in result.stderr


def test_a_home_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    for command in (("stories", "list"), ("crawl",), ("runs", "list")):
        result = run_cli(*command, home=not_a_folder)
        assert result.returncode == 2, (command, result.stderr)
        assert "is a file, not a directory" in result.stderr and "Traceback" not in result.stderr
