"""Waiting for a subprocess to reach a state (a bounded wait, never a timing assertion)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(predicate: Callable[[], Any], what: str, limit: float = 120.0, interval: float = 0.1) -> Any:
    """Poll until ``predicate()`` is truthy and return its value; fail naming ``what`` after ``limit`` s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"gave up waiting for {what}")
