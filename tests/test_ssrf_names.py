"""SSRF guard, names: spellings of loopback and names that do not resolve are refused, and the address the
guard approved is the one the download connects to (no second DNS answer)."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler
from twisted.internet import reactor

from crawler.dns import PINNED, PinnedResolver
from crawler.middlewares import PrivateAddressGuardMiddleware

pytestmark = pytest.mark.reliability


def guard(**settings: object) -> PrivateAddressGuardMiddleware:
    return PrivateAddressGuardMiddleware.from_crawler(get_crawler(settings_dict=settings))


@pytest.mark.parametrize(
    "url",
    ["http://LOCALHOST./admin", "http://evil.localhost/", "http://127.0.0.1./secret", "http://localhost.localdomain./"],
)
def test_loopback_spellings_are_refused(url: str) -> None:
    with pytest.raises(IgnoreRequest, match=r"private address|does not resolve"):
        guard().process_request(Request(url))


def test_a_name_that_does_not_resolve_is_refused_not_passed_on() -> None:
    with pytest.raises(IgnoreRequest, match="does not resolve"):
        guard().process_request(Request("http://no-such-host.invalid/news"))


def test_allow_listed_spellings_still_pass() -> None:
    allowing = guard(NEWSAGG_ALLOWED_HOSTS="127.0.0.1:9")
    assert allowing.process_request(Request("http://127.0.0.1:9/feed")) is None


def test_the_download_resolves_to_the_address_the_guard_approved() -> None:
    assert guard().process_request(Request("http://93.184.216.34/news")) is None
    assert PINNED.get("93.184.216.34") == "93.184.216.34"
    # a pinned name never reaches DNS again: even if DNS now answered 127.0.0.1, the pin wins
    PINNED["rebinding.example"] = "93.184.216.34"
    resolver = PinnedResolver(reactor, cache_size=0, timeout=1.0)
    answers: list[str] = []
    resolver.getHostByName("rebinding.example").addCallback(answers.append)
    assert answers == ["93.184.216.34"]
