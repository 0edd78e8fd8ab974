"""The local webs as pytest fixtures (registered by ``tests/conftest.py``): one server per module, stopped
after its last test. A test that needs a web nobody else has touched starts its own ``with NewsWeb() as web``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsagg.newsweb import NewsWeb
from tests.support.hostile import HostileWeb


@pytest.fixture(scope="module")
def news_web() -> Iterator[NewsWeb]:
    """The bundled news web, shared by the tests of one module (they must not change it)."""
    with NewsWeb() as web:
        yield web


@pytest.fixture(scope="module")
def hostile_web() -> Iterator[HostileWeb]:
    """The two misbehaving outlets of :mod:`tests.support.hostile`, shared by the tests of one module."""
    with HostileWeb() as web:
        yield web
