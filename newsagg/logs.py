"""Structured logs: one JSON object per line (``NEWSAGG_LOG_FORMAT=json`` or ``--log-format json``).

Unattended crawls are read by log shippers (journald, Docker, Loki, Elasticsearch), not people: a JSON line
with ``time`` (UTC ISO 8601), ``level``, ``logger``, ``message`` and the ``run_id`` of the crawl (or the
``job`` of the scheduler) can be filtered per run without parsing free text. Exceptions are kept whole in
``exception``.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
#: LogRecord attributes that are not "extra" context.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line; ``context`` (e.g. ``{"run_id": ...}``) is added to every line."""

    def __init__(self, context: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.context = {k: v for k, v in (context or {}).items() if v is not None}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **self.context,
        }
        for key, value in record.__dict__.items():  # extra={...} fields of the call
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def check_format(value: str | None) -> str:
    chosen = (value or "text").strip().lower()
    if chosen not in FORMATS:
        raise ValueError(f"unknown log format {value!r}; choose one of {', '.join(FORMATS)}")
    return chosen


def install_json_handler(settings: Any, context: dict[str, Any]) -> logging.Handler:
    """The crawl's root log handler in JSON, honouring Scrapy's LOG_FILE / LOG_FILE_APPEND / LOG_ENCODING /
    LOG_LEVEL / LOG_ENABLED (used instead of Scrapy's root handler, which always formats as text)."""
    if not settings.getbool("LOG_ENABLED", True):
        handler: logging.Handler = logging.NullHandler()
    elif settings.get("LOG_FILE"):
        mode = "a" if settings.getbool("LOG_FILE_APPEND", True) else "w"
        handler = logging.FileHandler(settings["LOG_FILE"], mode=mode, encoding=settings.get("LOG_ENCODING") or "utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(context))
    handler.setLevel(settings.get("LOG_LEVEL") or "DEBUG")
    logging.root.setLevel(logging.NOTSET)
    logging.root.addHandler(handler)
    return handler


def stderr_logging(log_format: str, level: str = "INFO", context: dict[str, Any] | None = None) -> None:
    """Logging of a process that is not a Scrapy crawl (the scheduler): one stderr handler, text or JSON."""
    handler = logging.StreamHandler(sys.stderr)
    if check_format(log_format) == "json":
        handler.setFormatter(JsonFormatter(context))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
