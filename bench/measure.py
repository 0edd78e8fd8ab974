"""Run one command as a child and measure it: wall seconds, CPU seconds of its whole process tree, and the
peak memory of that tree (sum of each process's proportional set size, PSS, and of its resident set size,
RSS, sampled from /proc every 0.2 s).

The CPU figure comes from ``getrusage(RUSAGE_CHILDREN)``, which counts every descendant that was waited
for, and per-process CPU sampled from /proc catches workers reaped by an unwaited fork server. Memory is
summed over the tree because a process pool's memory is the sum of its workers, which ``ru_maxrss`` (one
process's maximum) would miss. PSS is the figure to compare: pages shared after a fork count once; the RSS
sum counts them once per process (an upper bound, what a naive ``ps`` sum shows). Linux only.

``cpu_by_name`` splits the sampled CPU by process name (``/proc/PID/comm``, as ``ps`` shows it), so a bench can
tell which process of the tree spent it: a worker that names itself (``crawler.procname.name_process``) is counted
apart from the anonymous ``python`` workers around it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Measured:
    returncode: int
    wall_seconds: float
    cpu_seconds: float
    peak_pss_mb: float
    peak_rss_mb: float
    cpu_main_seconds: float  # the child itself (the crawl process: reactor, pipelines), without its workers
    peak_main_mb: float  # the child itself, without its workers
    stdout: str
    stderr: str
    #: Sampled CPU seconds of every process but the child itself, summed by process name (``/proc/PID/comm``).
    cpu_by_name: dict[str, float] = field(default_factory=dict)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    task_dir = Path(f"/proc/{pid}/task")
    try:
        for task in task_dir.iterdir():
            text = (task / "children").read_text()
            found.extend(int(c) for c in text.split())
    except OSError:
        pass
    return found


def _memory_bytes(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process. Proportional set size splits shared pages (a fork server's preloaded
    modules) among their sharers; without ``smaps_rollup`` both fall back to the RSS of ``statm``."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
            elif line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
        if pss or rss:
            return pss, rss
    except (OSError, IndexError, ValueError):
        pass
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        rss = 0
    return rss, rss


def _pss_bytes(pid: int) -> int:
    return _memory_bytes(pid)[0]


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


def process_name(pid: int) -> str:
    """The OS name of a process (``/proc/PID/comm``); "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        stack.extend(_children(current))
    return found


def tree_rss(pid: int) -> int:
    return sum(_pss_bytes(p) for p in tree(pid))


def run_measured(
    cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 3600
) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = peak_rss = peak_main = 0
    cpu_by_pid: dict[int, float] = {}
    name_by_pid: dict[int, str] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_rss, peak_main
        while not done.is_set():
            pids = tree(process.pid)
            sizes = {p: _memory_bytes(p) for p in pids}
            peak = max(peak, sum(pss for pss, _ in sizes.values()))
            peak_rss = max(peak_rss, sum(rss for _, rss in sizes.values()))
            peak_main = max(peak_main, sizes.get(process.pid, (0, 0))[0])
            for p in pids:
                cpu_by_pid[p] = max(cpu_by_pid.get(p, 0.0), cpu_seconds(p))
                # the latest name: a forked worker starts with its parent's and may rename itself
                name_by_pid[p] = process_name(p) or name_by_pid.get(p, "")
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # Processes reaped by a grandchild that was itself never waited for (a pool's fork server) are missing
    # from getrusage; the sampled per-process figures catch them (minus their last 0.2 s).
    cpu = max(waited, sum(cpu_by_pid.values()))
    cpu_by_name: dict[str, float] = {}
    for p, seconds in cpu_by_pid.items():
        if p != process.pid:
            name = name_by_pid.get(p, "")
            cpu_by_name[name] = cpu_by_name.get(name, 0.0) + seconds
    return Measured(
        process.returncode,
        wall,
        cpu,
        peak / 2**20,
        peak_rss / 2**20,
        cpu_by_pid.get(process.pid, 0.0),
        peak_main / 2**20,
        stdout,
        stderr,
        cpu_by_name,
    )
