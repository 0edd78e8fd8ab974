"""The scheduler end to end, over real pieces: ``newsagg schedule`` in a subprocess running real ``newsagg crawl``
children against the local news web, which changes between runs (new article, edited headline, item removed
from the feeds, an outlet going dark, an outlet's layout changing), then SIGTERM. We assert what was fetched
(conditional GETs), what was versioned, what the runs recorded and what source health flagged; and that the
job lock keeps a second process out.

The crawl clock is fixed with NEWSAGG_NOW (T, T+2h, T+7h): the incremental crawler re-fetches young articles on
a 1h/6h/24h/72h schedule, so each run re-checks every known article with a conditional GET, without sleeping.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsagg.newsweb import NewsWeb
from newsagg.state.runs import RunLog
from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from newsagg.urls import article_id, canonicalize_url
from tests.polling import wait_for
from tests.support.crawl import CRAWL_SETTINGS, NEWSAGG

pytestmark = pytest.mark.slow

T0 = "2026-11-21T12:00:00+00:00"
T1 = "2026-11-21T14:00:00+00:00"  # +2h: every article is due for its 1h re-check
T2 = "2026-11-21T19:00:00+00:00"  # +7h: due again (6h)
DARK = "diario-tiquicia"
RELAID = "agencia-continental"  # four articles: enough to judge completeness
EDITED = "cordillera-kast-cecot"
EDITED_TITLE = "Kast promete replicar en Chile el modelo carcelario de Bukele tras visitar el CECOT"
UNLISTED_OUTLET = "prensa-cuscatleca"
NEW_KEY = "harbor-ledger-new-port-strike"
JOB = "all-outlets"
STRIKE_BODY = [
    "Dockworkers walked off the job at every Harbor City terminal on Saturday, protesting a plan to automate the "
    "container cranes that the union says would cut four hundred jobs within two years of its approval.",
    "The port authority said talks would resume on Monday and that ships already berthed would be unloaded by "
    "supervisors, while incoming vessels were told to wait offshore until the dispute is settled.",
    "Shipping agents warned that a strike lasting more than a week would delay holiday cargo across the region, "
    "and several large retailers began rerouting containers to smaller ports further down the coast.",
    "Union leaders said the automation plan had been drawn up without consulting the workers who would be "
    "replaced, and asked the city council to hold a public hearing before any contract is signed.",
    "The terminal operator replied that automated cranes would make the port safer and faster, and promised "
    "retraining for every worker whose position changes, though it gave no figures on how many would stay.",
    "Economists at the regional chamber of commerce estimated that each day of stoppage costs local businesses "
    "several million dollars, most of it in delayed deliveries, idle trucks and overtime once work resumes.",
    "At the main gate, strikers set up tents and a kitchen on Saturday afternoon, and families brought food and "
    "folding chairs while police officers kept the access road open for emergency vehicles and fuel tankers.",
    "The mayor urged both sides to return to the table quickly, saying the port was the largest employer in the "
    "city and that a long dispute would hurt the restaurants, shops and suppliers that depend on its workers.",
]
#: The schedule's crawl settings (a JSON mapping is a YAML flow mapping).
SETTINGS = {**CRAWL_SETTINGS, "NEWSAGG_EXTRACT_WORKERS": 1, "RETRY_TIMES": 0}
SCHEDULE = """
defaults:
  registry: {registry}
  log_format: json
  settings: {settings}
jobs:
  - name: {job}
    countries: [{countries}]
    every: 1h
    run_at_start: true
"""


def newsagg(*args: str, home: Path, now: str | None = None, columns: str = "120") -> subprocess.Popen[str]:
    env = {**os.environ, "NEWSAGG_HOME": str(home), "COLUMNS": columns}
    if now:
        env["NEWSAGG_NOW"] = now
    return subprocess.Popen([*NEWSAGG, *args], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def store_articles(home: Path) -> list[dict]:
    store = SQLiteStore(home / "newsagg.sqlite")
    try:
        return list(store.iter_articles(ArticleFilter()))
    finally:
        store.close()


def runs(home: Path) -> list[dict]:
    with RunLog.open(home) as log:
        return log.list(limit=50)


def events(home: Path) -> list[dict]:
    with RunLog.open(home) as log:
        return list(reversed(log.events(limit=200)))


def article_requests(web: NewsWeb, log: list[tuple[str, str, int, str]]) -> Counter[tuple[str, int]]:
    """(article key, status) of every request for an article page in ``log``."""
    paths = {(d["outlet"], d["path"]): d["key"] for d in web.article_data()}
    return Counter((paths[(outlet, path)], status) for _, path, status, outlet in log if (outlet, path) in paths)


@dataclass
class Scenario:
    web: NewsWeb
    home: Path
    logs: list[list[tuple[str, str, int, str]]]  # news web request log per run
    once_results: list[subprocess.CompletedProcess[str]]
    serve_exit: int
    serve_stderr: str
    health: dict
    health_table: str


def run_once(home: Path, config: Path, now: str) -> subprocess.CompletedProcess[str]:
    proc = newsagg("schedule", "--config", str(config), "--once", home=home, now=now)
    out, err = proc.communicate(timeout=300)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    home = tmp_path_factory.mktemp("sched-home")
    with NewsWeb() as web:
        registry = home / "registry.yaml"
        registry.write_text(web.registry_yaml(), encoding="utf-8")
        countries = ", ".join(sorted({o["country"] for o in web.outlets}))
        config = home / "schedule.yaml"
        schedule = SCHEDULE.format(registry=registry, job=JOB, countries=countries, settings=json.dumps(SETTINGS))
        config.write_text(schedule, encoding="utf-8")
        logs: list[list[tuple[str, str, int, str]]] = []
        results = []

        # run 1: the web as bundled
        results.append(run_once(home, config, T0))
        logs.append(list(web.request_log))
        web.clear_log()

        # run 2: a new article, an edited headline, an article dropped from the feeds and sitemaps
        template = next(d for d in web.article_data() if d["outlet"] == "harbor-ledger")
        web.publish(
            {
                **template,
                "key": NEW_KEY,
                "path": template["path"].rstrip("/") + "-port-strike",
                "title": "Port workers strike over automation plan at Harbor City terminals",
                "published": "2026-11-21T13:30:00-05:00",
                "modified": None,
                "copy_of": None,
                "edited_copy_of": None,
                "body": STRIKE_BODY,
            }
        )
        web.edit(EDITED, title=EDITED_TITLE, modified="2026-11-21T08:30:00-03:00")
        unlisted = next(d for d in web.article_data() if d["outlet"] == UNLISTED_OUTLET)
        web.unlist(unlisted["key"])
        results.append(run_once(home, config, T1))
        logs.append(list(web.request_log))
        web.clear_log()

        # run 3, by the long-running scheduler: one outlet dark, one relaunched without metadata; then SIGTERM
        web.go_dark(DARK)
        web.change_layout(RELAID, "bare")
        before = len(runs(home))
        serve = newsagg("schedule", "--config", str(config), home=home, now=T2)
        try:
            wait_for(
                lambda: serve.poll() is not None or (len(runs(home)) > before and runs(home)[0]["status"] != "running"),
                "the run",
            )
            serve.send_signal(signal.SIGTERM)
            _, serve_err = serve.communicate(timeout=120)
        finally:
            if serve.poll() is None:
                serve.kill()
                serve.communicate()
        logs.append(list(web.request_log))

        health_proc = newsagg("sources", "health", "--format", "json", home=home)
        health_out, health_err = health_proc.communicate(timeout=60)
        assert health_proc.returncode == 0, health_err
        table_proc = newsagg("sources", "health", home=home, columns="220")
        table_out, _ = table_proc.communicate(timeout=60)
        yield Scenario(web, home, logs, results, serve.returncode, serve_err, json.loads(health_out), table_out)


def test_every_run_is_recorded_as_finished_with_its_job(scenario: Scenario) -> None:
    for result in scenario.once_results:
        assert result.returncode == 0, result.stderr[-3000:]
    recorded = list(reversed(runs(scenario.home)))
    assert [r["status"] for r in recorded] == ["finished", "finished", "finished"]
    assert {r["job"] for r in recorded} == {JOB}
    assert all(r["ended_utc"] and r["counts"]["pages"] > 0 for r in recorded)
    assert recorded[0]["counts"]["inserted"] == len(scenario.web.expected()) - 1  # the new one came later
    assert "NEWSAGG_NOW" in recorded[2]["settings"]


def test_sigterm_stops_the_scheduler_cleanly(scenario: Scenario) -> None:
    assert scenario.serve_exit == 0, scenario.serve_stderr[-3000:]
    kinds = [e["event"] for e in events(scenario.home)]
    assert kinds.count("scheduler_started") == 1 and kinds[-1] == "scheduler_stopped"
    assert kinds.count("job_started") == kinds.count("job_finished") == 3
    assert "SIGTERM received" in scenario.serve_stderr and "scheduler stopped" in scenario.serve_stderr


def test_second_run_fetches_only_what_changed(scenario: Scenario) -> None:
    """Every known article is re-checked with a conditional GET; only pages whose bytes changed come back whole:
    the new and the edited article, and the pages of their two outlets (their "latest news" boxes changed)."""
    requested = article_requests(scenario.web, scenario.logs[1])
    outlet_of = {d["key"]: d["outlet"] for d in scenario.web.article_data()}
    changed_outlets = {outlet_of[NEW_KEY], outlet_of[EDITED]}
    fetched = {key for (key, status) in requested if status == 200}
    assert {NEW_KEY, EDITED} <= fetched
    assert {outlet_of[k] for k in fetched} == changed_outlets
    rechecked = {key for (key, status) in requested if status == 304}
    assert rechecked == {k for k, o in outlet_of.items() if o not in changed_outlets}
    assert sum(requested.values()) == len(outlet_of)  # one request per article, nothing fetched twice


def test_edited_article_keeps_its_previous_version(scenario: Scenario) -> None:
    store = SQLiteStore(scenario.home / "newsagg.sqlite")
    try:
        url = scenario.web.url(*next((d["outlet"], d["path"]) for d in scenario.web.article_data(EDITED)))
        article = store.get_article(article_id(canonicalize_url(url)))
    finally:
        store.close()
    assert article["title"] == EDITED_TITLE
    assert len(article["versions"]) == 1
    assert article["versions"][0]["title"].startswith("Kast visita el CECOT en El Salvador")
    assert "headline changed" in article["versions"][0]["changes"]
    # pages re-fetched in run 2 only because a sidebar changed keep no version: their article did not change
    others = [a for a in store_articles(scenario.home) if a["outlet_id"] == "harbor-ledger"]
    assert others and not [a["url"] for a in others if a.get("versions")]


def test_run_records_per_outlet_figures(scenario: Scenario) -> None:
    with RunLog.open(scenario.home) as log:
        first, second, third = (log.get(r["id"]) for r in reversed(log.list()))
    expected = Counter(d["outlet"] for d in scenario.web.article_data() if d["key"] != NEW_KEY)
    assert {o: f["articles"] for o, f in first["outlets"].items()} == dict(expected)
    assert second["outlets"]["harbor-ledger"]["articles"] == expected["harbor-ledger"] + 1  # + the new one
    assert second["outlets"]["el-faro-del-sur"]["unchanged"] == expected["el-faro-del-sur"]  # all 304
    assert second["outlets"]["el-faro-del-sur"]["articles"] == 0
    dark = third["outlets"][DARK]
    assert dark["pages"] == 0 and dark["http_errors"] == {"503": sum(dark["http_errors"].values())}
    relaid = third["outlets"][RELAID]
    assert relaid["articles"] == expected[RELAID] and relaid["with_author"] == 0
    # the news web's robots.txt traps, counted per outlet and in the crawl's own summary alike
    blocked = sum(f["robots_blocked"] for f in first["outlets"].values())
    assert blocked == first["counts"]["skipped"]["robots_disallowed"] > 0
    assert all(status == 503 for _, _, status, outlet in scenario.logs[2] if outlet == DARK)


def test_health_flags_the_dark_outlet_and_the_layout_change_only(scenario: Scenario) -> None:
    flagged = {(w["outlet"], w["kind"]) for w in scenario.health["warnings"]}
    assert (DARK, "dark") in flagged
    assert {kind for outlet, kind in flagged if outlet == RELAID} == {"completeness_drop"}
    assert {outlet for outlet, _ in flagged} == {DARK, RELAID}, scenario.health["warnings"]
    fields = {w["message"].split()[0] for w in scenario.health["warnings"] if w["outlet"] == RELAID}
    assert "author" in fields
    by_outlet = {o["outlet"]: o for o in scenario.health["outlets"]}
    assert by_outlet[UNLISTED_OUTLET]["status"] == "ok"
    assert by_outlet[DARK]["status"] == "warning" and by_outlet[DARK]["history_runs"] == 2
    assert "dark" in scenario.health_table and "completeness_drop" in scenario.health_table


def test_crawl_logs_are_json_lines_with_the_run_id(scenario: Scenario) -> None:
    run = runs(scenario.home)[-1]
    lines = Path(run["log_file"]).read_text(encoding="utf-8").splitlines()
    assert len(lines) > 20
    for line in lines:
        entry = json.loads(line)
        assert entry["run_id"] == run["id"] and entry["job"] == JOB
        assert {"time", "level", "logger", "message"} <= set(entry)


def test_a_job_locked_by_another_process_is_skipped(scenario: Scenario, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from newsagg.schedule import JobLock; "
            f"lock = JobLock.for_job(Path(sys.argv[1]), {JOB!r}); assert lock.acquire(run_id='manual'); "
            "print('locked', flush=True); sys.stdin.read()",
            str(scenario.home),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = len(runs(scenario.home))
        scenario.web.clear_log()
        result = run_once(scenario.home, scenario.home / "schedule.yaml", T2)
        assert result.returncode == 0, result.stderr
        assert len(runs(scenario.home)) == before and not scenario.web.request_log  # no crawl at all
        skipped = [e for e in events(scenario.home) if e["event"] == "skipped_locked"]
        assert skipped and skipped[-1]["detail"]["holder"]["pid"] == holder.pid
        assert f"locked by pid {holder.pid}" in result.stderr
    finally:
        holder.communicate(input="", timeout=30)
    from newsagg.schedule import JobLock

    lock = JobLock.for_job(scenario.home, JOB)
    assert lock.acquire(), "the lock outlived the process that held it"
    lock.release()
