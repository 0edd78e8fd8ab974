"""Downloader middleware that keeps the crawler off private networks (SSRF guard).

A crawler follows URLs that strangers wrote: a feed entry or a redirect can point at 127.0.0.1, the cloud
metadata service (169.254.169.254) or the office LAN. Requests whose host is, or resolves to, a private,
loopback, link-local, reserved or multicast address are refused, unless the host is allow-listed: hosts
named in the outlet registry (the user chose them — this is how the demo and the tests crawl their loopback
news web) and ``NEWSAGG_ALLOWED_HOSTS`` (comma-separated ``host``, ``host:port`` or CIDR networks).
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler.config import config_for
from crawler.dns import pin

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
PRIVATE_MESSAGE = "private address"
UNRESOLVABLE_MESSAGE = "does not resolve"
#: Names that are loopback by definition (RFC 6761), whatever a resolver says about them.
_LOOPBACK_NAMES = ("localhost", ".localhost")


def is_private(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    )


@lru_cache(maxsize=4096)
def resolve(host: str) -> tuple[Address, ...]:
    """Addresses of ``host`` (an IP literal resolves to itself); empty when it does not resolve."""
    try:
        return (ipaddress.ip_address(host.strip("[]")),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


class AllowList:
    def __init__(self, entries: list[str]) -> None:
        self.hosts: set[str] = set()
        self.networks: list[Network] = []
        for entry in (e.strip().lower() for e in entries):
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(entry)

    def allows(self, netloc: str, host: str, addresses: tuple[Address, ...]) -> bool:
        if netloc in self.hosts or host in self.hosts:
            return True
        return bool(addresses) and all(any(a in n for n in self.networks) for a in addresses)


class PrivateAddressGuardMiddleware:
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.allow = AllowList(config_for(crawler).crawl.allowed_hosts)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def spider_opened(self, spider) -> None:  # type: ignore[no-untyped-def]
        registry = getattr(spider, "registry", None)
        for outlet in getattr(registry, "outlets", ()):
            self.allow.hosts.update(outlet.hosts)

    def process_request(self, request):  # type: ignore[no-untyped-def]
        """Let a request through only to a host that is allow-listed or resolves to public addresses only;
        pin the approved address so the download connects where the check looked (:mod:`crawler.dns`)."""
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        netloc = parts.netloc.lower()
        if not host or netloc in self.allow.hosts or host in self.allow.hosts:
            return None
        # "LOCALHOST." and "127.0.0.1." name the same hosts as without the dot
        bare = host.rstrip(".")
        if bare != host and (bare in self.allow.hosts or netloc.replace(host, bare, 1) in self.allow.hosts):
            return None
        if bare == "localhost" or bare.endswith(_LOOPBACK_NAMES[1]):
            addresses: tuple[Address, ...] = (ipaddress.ip_address("127.0.0.1"),)
        else:
            addresses = resolve(bare)
        if not addresses:
            raise IgnoreRequest(f"refused {request.url}: {host} {UNRESOLVABLE_MESSAGE}")
        private = [a for a in addresses if is_private(a)]
        if private and not self.allow.allows(netloc, bare, addresses):
            raise IgnoreRequest(
                f"refused {request.url}: {host} is a {PRIVATE_MESSAGE} ({private[0]}); "
                "allow-list it in the registry or NEWSAGG_ALLOWED_HOSTS"
            )
        # Scrapy's resolver speaks IPv4: pin an IPv4 address when the host has one
        pin(bare, str(next((a for a in addresses if a.version == 4), addresses[0])))
        return None
