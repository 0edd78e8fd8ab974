"""Credentials: read only from the environment or from secret files, and kept out of logs, errors and exports.

``read_secret("NEWSAGG_ES_PASSWORD", env)`` returns the value of ``NEWSAGG_ES_PASSWORD``, or the content of the file
named by ``NEWSAGG_ES_PASSWORD_FILE`` (Docker/Kubernetes secrets; the trailing newline is dropped). Setting
both is an error (which one would win is a guess nobody should have to make). Nothing else — no settings file,
no registry, no command-line flag — is a source of credentials: flags end up in shell history and ``ps``.

Every secret read here is remembered for the process, and :func:`redact` replaces it (and any
``user:password@`` in a URL, ``Authorization`` header values, ``password=``/``api_key=``/``token=`` pairs)
with ``***``. :func:`install_log_redaction` applies it to every log record a handler of the process takes (the
crawl log and the console), error messages shown by the CLI go through it, and :func:`redact_value` cleans whole
documents before an export is written.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MASK = "***"
#: Shorter values are not remembered: masking "abc" everywhere would garble ordinary text.
MIN_SECRET_LENGTH = 4

_known: set[str] = set()
#: ``_known`` longest first (a secret containing another is masked whole), rebuilt by :func:`remember` so that
#: :func:`redact`, which runs for every log record, reads it without a lock or a sort.
_known_longest_first: tuple[str, ...] = ()
_known_lock = threading.Lock()

#: ``//user:password@`` whatever precedes it (any scheme, or a mistyped one: a URL refused as invalid is quoted).
_URL_USERINFO = re.compile(r"(?P<keep>//[^/\s:@]*:)[^@\s/]*@")
_AUTH_HEADER = re.compile(
    r"(?P<keep>\b(?:proxy-)?authorization['\"]?\s*[:=]\s*['\"]?(?:basic|bearer|apikey|token)\s+)"
    r"[A-Za-z0-9+/=._~-]+",
    re.IGNORECASE,
)
_KEY_VALUE = re.compile(
    r"(?P<keep>\b(?:api[_-]?key|password|passwd|pwd|secret|token|access[_-]?key)['\"]?\s*[:=]\s*"
    r"['\"]?)(?!\*\*\*)[^\s'\"&,;)}\]]+",
    re.IGNORECASE,
)
#: Words one of which each heuristic pattern needs (lower-cased): a text without them skips that pattern, which
#: costs ~100 µs per 5 kB of text (the "Scraped from" DEBUG line of every article) against ~10 µs for the check.
_AUTH_HINTS = ("authorization",)
_KEY_VALUE_HINTS = (
    "apikey",
    "api_key",
    "api-key",
    "accesskey",
    "access_key",
    "access-key",
    "passw",
    "pwd",
    "secret",
    "token",
)
#: ``re.IGNORECASE`` matches "ı" and "İ" (lower-cased "i\u0307") to "i" and "ſ" to "s", ``str.lower`` does not:
#: a text holding one runs every pattern, so the shortcut never misses what the patterns would catch.
_CASE_TRAPS = ("\u0131", "\u0307", "\u017f")


class SecretError(ValueError):
    """A credential is configured twice, or its file cannot be read; the message never holds the secret."""


def read_secret(name: str, env: Mapping[str, Any]) -> str | None:
    """``name`` from ``env`` (the environment, as :func:`newsagg.config.load_config` collected it) or from the
    file ``name + "_FILE"`` points at; None if unset."""
    value = _clean(env.get(name))
    file_name = _clean(env.get(name + "_FILE"))
    if value and file_name:
        raise SecretError(f"both {name} and {name}_FILE are set: set only one")
    if file_name:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise SecretError(f"cannot read {name}_FILE ({file_name}): {reason}") from None
        if not value:
            raise SecretError(f"{name}_FILE ({file_name}) is empty")
    if value:
        remember(value)
    return value or None


def _clean(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def remember(value: str | None) -> None:
    """Treat ``value`` as a secret from now on (for credentials that arrive another way, e.g. in a URL)."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        global _known_longest_first
        with _known_lock:
            if value not in _known:
                _known.add(value)
                _known_longest_first = tuple(sorted(_known, key=len, reverse=True))


def redact(text: str, *, heuristics: bool = True) -> str:
    """``text`` with every known secret and credential-looking fragment replaced by ``***``.

    ``heuristics=False`` keeps ``password: …`` style text (an article may quote one) and masks only the
    secrets this process read and ``user:password@`` in URLs: what exports use.
    """
    if not text:
        return text
    for value in _known_longest_first:
        if value in text:
            text = text.replace(value, MASK)
    if "@" in text and "//" in text:
        text = _URL_USERINFO.sub(rf"\g<keep>{MASK}@", text)
    if not heuristics:
        return text
    lowered = text.lower()
    trapped = not lowered.isascii() and any(trap in lowered for trap in _CASE_TRAPS)
    if trapped or any(hint in lowered for hint in _AUTH_HINTS):
        text = _AUTH_HEADER.sub(rf"\g<keep>{MASK}", text)
    if trapped or any(hint in lowered for hint in _KEY_VALUE_HINTS):
        text = _KEY_VALUE.sub(rf"\g<keep>{MASK}", text)
    return text


def redact_value(value: Any) -> Any:
    """Known secrets and URL credentials masked in every string inside ``value`` (dicts, lists, tuples), for
    exports; other values as they are."""
    if isinstance(value, str):
        return redact(value, heuristics=False)
    if isinstance(value, Mapping):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    return value


def redact_record(record: logging.LogRecord) -> None:
    """Rewrite a log record's message (arguments merged in) and traceback with :func:`redact`, in place."""
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is the caller's bug; leave the record to report it
        return
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)


class RedactingFilter(logging.Filter):
    """:func:`redact_record` as a handler or logger filter, for loggers set up outside a crawl."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def could_be_emitted(record: logging.LogRecord, logger: logging.Logger | None = None) -> bool:
    """Whether some handler will take ``record`` when ``logger`` (by default the registered logger of the record's
    name) handles it: :meth:`logging.Logger.callHandlers`'s own test, a handler whose level the record reaches
    on the logger or an ancestor it propagates to, or :data:`logging.lastResort` when that walk meets no handler.

    Scrapy leaves every logger at NOTSET and filters by level in its root handler, so under ``LOG_LEVEL=INFO``
    the DEBUG records (a "Crawled (200)" and a "Scraped from" per page, the latter formatting the whole item)
    are built and dropped unseen: a record no handler takes need not be redacted. A record of a name with no
    registered logger might be handled anywhere: True. Logger filters and ``disabled`` are not looked at (they
    only ever drop records), so the answer errs towards True."""
    if logger is None:
        if record.name == logging.root.name:
            logger = logging.root
        else:
            registered = logging.Logger.manager.loggerDict.get(record.name)
            if not isinstance(registered, logging.Logger):
                return True
            logger = registered
    level = record.levelno
    found = False
    current: logging.Logger | None = logger
    while current is not None:
        for handler in current.handlers:
            found = True
            if level >= handler.level:
                return True
        current = current.parent if current.propagate else None
    if found:
        return False
    last_resort = logging.lastResort
    return last_resort is not None and level >= last_resort.level


#: The code of :meth:`logging.Logger.makeRecord`, the caller of the record factory when a logger logs.
_MAKE_RECORD = logging.Logger.makeRecord.__code__


def _creating_logger() -> logging.Logger | None:
    """The logger whose ``makeRecord`` is calling the record factory (two frames up: factory, then here), or
    None when the record is made elsewhere (``logging.makeLogRecord``, a wrapping factory). That logger is the
    one whose handlers the record goes to next, even when it is not the one registered under its name."""
    try:
        frame = sys._getframe(2)
    except ValueError:  # called with no Python caller
        return None
    if frame.f_code is not _MAKE_RECORD:
        return None
    logger = frame.f_locals.get("self")
    return logger if isinstance(logger, logging.Logger) else None


def install_log_redaction() -> None:
    """Redact every log record of this process that a handler will take, when it is created (a ``LogRecord``
    factory), once.

    A factory rather than a handler filter: Scrapy replaces its root handler after the crawler's components
    are built, and records from every library (Scrapy, Twisted, the engine clients, ours) pass through it.
    Scrapy leaves the root logger at NOTSET and filters by level in its handler, so DEBUG records are built
    even under ``LOG_LEVEL=INFO``; redacting them took ~17% of the crawl process's samples in a profile of the
    bench crawl (most of it formatting the "Scraped from" record's whole item, for nothing). The factory runs inside
    :meth:`logging.Logger.makeRecord`, and the logger then hands the record straight to its handlers, so
    :func:`could_be_emitted`, asked about that very logger, says exactly whether a handler will see it: only
    those records are redacted. :func:`redact` also skips the patterns a text cannot match, to keep the
    emitted ones cheap (~30 µs for an article's "Scraped from" line instead of ~400 µs).
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "newsagg_redacting", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if could_be_emitted(record, _creating_logger()):
            redact_record(record)
        return record

    factory.newsagg_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
