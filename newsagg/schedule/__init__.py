"""Scheduled crawls: a schedule file of jobs (outlet groups × cron/interval), run by ``newsagg schedule``."""

from newsagg.schedule.config import JobSpec, ScheduleConfig, ScheduleConfigError, load_config, parse_config
from newsagg.schedule.lock import JobLock
from newsagg.schedule.runner import JobOutcome, JobRunner, Scheduler

__all__ = [
    "JobLock",
    "JobOutcome",
    "JobRunner",
    "JobSpec",
    "ScheduleConfig",
    "ScheduleConfigError",
    "Scheduler",
    "load_config",
    "parse_config",
]
