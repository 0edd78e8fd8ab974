"""A damaged crawler state file (``state.sqlite``): every command that needs it says what is broken and how to
recover, and exits 1; none ends in a traceback, and a crawl never starts on it (nor reports "0 pages")."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.state.runs import RunLog
from tests.support.crawl import crawl

pytestmark = pytest.mark.reliability


def _truncated_state(home: Path) -> Path:
    """A real state file with a few hundred run records, cut to a third of its size (a full disk, a crash
    during a copy)."""
    with RunLog.open(home) as log:
        for n in range(300):
            log.start(f"run-{n:04d}", command=["newsagg", "crawl", "x" * 200], outlets=["a", "b"], settings={})
    path = home / "state.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    assert len(data) > 16 * 4096
    path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize("command", [("runs", "list"), ("sources", "health"), ("runs", "show", "latest")])
def test_read_commands_explain_a_damaged_state_file(command: tuple[str, ...], tmp_path: Path) -> None:
    from tests.support.crawl import run_cli

    path = _truncated_state(tmp_path)
    result = run_cli(*command, home=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "is unusable" in result.stderr and "move it aside" in result.stderr
    assert str(path.name) in result.stderr


def test_a_crawl_does_not_start_on_a_damaged_state_file(news_web: NewsWeb, tmp_path: Path) -> None:
    _truncated_state(tmp_path)
    summary, result = crawl(news_web.registry_yaml(), tmp_path, check=False)
    assert result.returncode == 1 and summary == {}
    assert "Traceback" not in result.stderr and "move it aside" in result.stderr
    assert not (tmp_path / "newsagg.sqlite").exists()  # nothing was fetched or stored
