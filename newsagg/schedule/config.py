"""The schedule file: which outlet groups to crawl, when, with which crawl options.

```yaml
timezone: UTC                  # cron expressions are read in this zone
max_parallel: 1                # different jobs running at once (a job never overlaps itself)
keep_logs_days: 30             # crawl logs older than this are deleted after each job (0: keep all)
defaults:                      # merged into every job
  registry: settings/sources.yaml
  settings: {AUTOTHROTTLE_MAX_DELAY: 10}
jobs:
  - name: chile
    countries: [CL]            # or outlets: [id, ...]; or regions / languages / tags (registry `tags:`)
    cron: "*/30 * * * *"       # or every: 15m (s, m, h, d)
  - name: wires
    outlets: [agencia-continental]
    every: 10m
    run_at_start: true
    timeout: 20m               # the crawl closes itself gracefully after this (CLOSESPIDER_TIMEOUT)
```

Everything is checked when the scheduler starts (unknown keys, cron syntax, outlet ids, empty groups), because
an unattended process that dies at 3 a.m. on a typo is worse than one that refuses to start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from newsagg.config import DEFAULT_REGISTRY, ConfigError
from newsagg.config import load_config as load_settings
from newsagg.logs import FORMATS
from newsagg.registry import Registry, RegistryError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_GROUP_KEYS = ("outlets", "countries", "regions", "languages", "tags")
_JOB_KEYS = {
    "name",
    "cron",
    "every",
    "run_at_start",
    "timeout",
    "registry",
    "story",
    "since",
    "until",
    "settings",
    "log_level",
    "log_format",
    *_GROUP_KEYS,
}
_TOP_KEYS = {"timezone", "max_parallel", "keep_logs_days", "misfire_grace", "defaults", "jobs"}


class ScheduleConfigError(ValueError):
    """The schedule file is missing, not YAML, or a job is wrong; the message says where."""


def parse_duration(value: Any, where: str) -> float:
    """``90``, ``"90s"``, ``"15m"``, ``"2h"``, ``"1d"`` → seconds."""
    match = _DURATION.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise ScheduleConfigError(f"{where}: {value!r} is not a duration like 90s, 15m, 2h or 1d")
    unit = match.group(2).lower() if match.group(2) else None
    return float(match.group(1)) * _UNITS[unit]


@dataclass(frozen=True)
class JobSpec:
    name: str
    cron: str | None = None
    every_seconds: float | None = None
    run_at_start: bool = False
    timeout_seconds: float | None = None
    registry: str = str(DEFAULT_REGISTRY)
    outlets: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    story: str | None = None
    since: str | None = None
    until: str | None = None
    settings: dict[str, str] = field(default_factory=dict)
    log_level: str = "INFO"
    log_format: str | None = None  # None: the scheduler's own

    @property
    def when(self) -> str:
        return f"cron {self.cron}" if self.cron else f"every {self.every_seconds:g}s"

    def resolve_outlets(self) -> list[str]:
        """The outlet ids of this job's group in the registry as it is now (it may change between runs)."""
        registry = Registry.load(self.registry)
        if self.outlets:
            return [o.id for o in registry.select(list(self.outlets))]
        chosen = []
        for outlet in registry.outlets:
            tags = {str(t).lower() for t in (outlet.extra.get("tags") or [])}
            if self.countries and outlet.country not in self.countries:
                continue
            if self.regions and (outlet.region or "").lower() not in self.regions:
                continue
            if self.languages and outlet.language not in self.languages:
                continue
            if self.tags and not tags & set(self.tags):
                continue
            chosen.append(outlet.id)
        return chosen


@dataclass(frozen=True)
class ScheduleConfig:
    jobs: tuple[JobSpec, ...]
    timezone: str = "UTC"
    max_parallel: int = 1
    keep_logs_days: float = 30
    misfire_grace_seconds: float = 300
    source: str = "<string>"

    def job(self, name: str) -> JobSpec:
        for job in self.jobs:
            if job.name == name:
                return job
        raise ScheduleConfigError(f"no job {name!r} in {self.source}; jobs: {', '.join(j.name for j in self.jobs)}")


def load_config(path: str | Path) -> ScheduleConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScheduleConfigError(f"cannot read schedule {path}: {exc.strerror}") from exc
    return parse_config(text, source=str(path), base=path.parent)


def parse_config(text: str, *, source: str = "<string>", base: Path | None = None) -> ScheduleConfig:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScheduleConfigError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ScheduleConfigError(f"{source}: expected a mapping with a 'jobs:' list")
    _no_unknown(data, _TOP_KEYS, source)
    timezone = str(data.get("timezone") or "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleConfigError(f"{source}: unknown timezone {timezone!r}") from exc
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ScheduleConfigError(f"{source}: 'defaults' must be a mapping")
    _no_unknown(defaults, _JOB_KEYS - {"name", "cron", "every"}, f"{source}: defaults")
    entries = data.get("jobs")
    if not isinstance(entries, list) or not entries:
        raise ScheduleConfigError(f"{source}: 'jobs' must be a non-empty list")
    jobs = [_job(_with_defaults(defaults, entry), i, source, base, timezone) for i, entry in enumerate(entries)]
    names = [j.name for j in jobs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ScheduleConfigError(f"{source}: duplicate job names: {', '.join(twice)}")
    max_parallel = data.get("max_parallel", 1)
    if not isinstance(max_parallel, int) or max_parallel < 1:
        raise ScheduleConfigError(f"{source}: max_parallel must be a positive integer")
    keep = data.get("keep_logs_days", 30)
    if not isinstance(keep, int | float) or keep < 0:
        raise ScheduleConfigError(f"{source}: keep_logs_days must be a number of days (0: keep all)")
    grace = parse_duration(data.get("misfire_grace", "5m"), f"{source}: misfire_grace")
    return ScheduleConfig(tuple(jobs), timezone, max_parallel, float(keep), grace, source)


def _with_defaults(defaults: dict[str, Any], entry: Any) -> Any:
    """The job's keys over the defaults; ``settings`` merged key by key (a job adding one setting keeps the
    defaults' politeness settings)."""
    if not isinstance(entry, dict):
        return entry
    merged = {**defaults, **entry}
    if isinstance(defaults.get("settings"), dict) and isinstance(entry.get("settings"), dict):
        merged["settings"] = {**defaults["settings"], **entry["settings"]}
    return merged


def _no_unknown(data: dict[str, Any], known: set[str], where: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise ScheduleConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise ScheduleConfigError(f"{where}: expected a list of names")
    return tuple(str(v) for v in value)


def _job(entry: Any, index: int, source: str, base: Path | None, timezone: str) -> JobSpec:
    where = f"{source}: jobs[{index}]"
    if not isinstance(entry, dict):
        raise ScheduleConfigError(f"{where}: expected a mapping with name, cron or every, and an outlet group")
    name = str(entry.get("name") or "")
    if not _NAME.match(name):
        raise ScheduleConfigError(f"{where}: 'name' must be 1-64 letters, digits, '.', '_' or '-' (got {name!r})")
    where = f"{source}: job {name!r}"
    _no_unknown(entry, _JOB_KEYS, where)
    cron, every = entry.get("cron"), entry.get("every")
    if bool(cron) == bool(every):
        raise ScheduleConfigError(f"{where}: give exactly one of 'cron' (\"*/30 * * * *\") or 'every' (15m)")
    if cron:
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(str(cron), timezone=timezone)
        except ValueError as exc:
            raise ScheduleConfigError(f"{where}: bad cron expression {cron!r}: {exc}") from exc
    log_format = entry.get("log_format")
    if log_format is not None and log_format not in FORMATS:
        raise ScheduleConfigError(f"{where}: log_format must be one of {', '.join(FORMATS)}")
    settings = entry.get("settings") or {}
    if not isinstance(settings, dict):
        raise ScheduleConfigError(f"{where}: 'settings' must be a mapping of KEY: value")
    try:  # NEWSAGG_* settings checked now (name, type, not a credential), not when the job first runs
        load_settings({str(k): v for k, v in settings.items() if str(k).startswith("NEWSAGG_")}, environ={})
    except ConfigError as exc:
        raise ScheduleConfigError(f"{where}: {exc}") from exc
    registry = Path(str(entry.get("registry") or DEFAULT_REGISTRY)).expanduser()
    if not registry.is_absolute() and base is not None and not registry.exists():
        registry = base / registry  # relative to the schedule file when not found from the working directory
    group = {k: _strings(entry.get(k), f"{where}: {k}") for k in _GROUP_KEYS}
    if group["outlets"] and any(group[k] for k in _GROUP_KEYS[1:]):
        raise ScheduleConfigError(f"{where}: give either 'outlets' or filters (countries, regions, languages, tags)")
    job = JobSpec(
        name=name,
        cron=str(cron) if cron else None,
        every_seconds=parse_duration(every, f"{where}: every") if every else None,
        run_at_start=bool(entry.get("run_at_start", False)),
        timeout_seconds=parse_duration(entry["timeout"], f"{where}: timeout") if entry.get("timeout") else None,
        registry=str(registry.resolve()),
        outlets=group["outlets"],
        countries=tuple(c.upper() for c in group["countries"]),
        regions=tuple(r.lower() for r in group["regions"]),
        languages=tuple(lang.lower() for lang in group["languages"]),
        tags=tuple(t.lower() for t in group["tags"]),
        story=entry.get("story"),
        since=str(entry["since"]) if entry.get("since") else None,
        until=str(entry["until"]) if entry.get("until") else None,
        settings={str(k): str(v) for k, v in settings.items()},
        log_level=str(entry.get("log_level") or "INFO").upper(),
        log_format=log_format,
    )
    try:
        if not job.resolve_outlets():
            raise ScheduleConfigError(f"{where}: the outlet group matches no outlet of {job.registry}")
    except RegistryError as exc:
        raise ScheduleConfigError(f"{where}: {exc}") from exc
    return job
