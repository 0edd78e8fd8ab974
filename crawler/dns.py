"""DNS answers pinned to what the SSRF guard checked.

The guard (:mod:`crawler.middlewares`) resolves a host and refuses private addresses; if the download then
resolved the name again, a hostile DNS server could answer "public" to the check and "127.0.0.1" to the
connection (DNS rebinding). So the guard pins each host it checked to the address it approved, and this
resolver — installed as Scrapy's ``DNS_RESOLVER`` — answers pinned names from the pin, never from DNS.
Hosts the user chose (the registry, ``NEWSAGG_ALLOWED_HOSTS``) are not pinned: they resolve as usual.

The pins are process-wide, like Scrapy's own DNS cache: the resolver is built once per process, before
any crawler exists, so there is no crawler object to hang them on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.datatypes import LocalCache
from twisted.internet import defer

#: host -> the address the guard approved for it
PINNED: LocalCache[str, str] = LocalCache(10_000)


def pin(host: str, address: str) -> None:
    PINNED[host] = address


class PinnedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver, except that a host the guard pinned resolves to its pinned address."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred[Any]:
        pinned = PINNED.get(name.rstrip(".").lower())
        if pinned is not None:
            return defer.succeed(pinned)
        return super().getHostByName(name, timeout)
