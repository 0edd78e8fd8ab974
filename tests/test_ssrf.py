"""SSRF guard: feed links and redirects to private addresses are refused unless allow-listed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawler.middlewares import PrivateAddressGuardMiddleware
from newsagg.newsweb import LoopbackServer, RequestHandler, stop_all
from newsagg.registry import Registry
from tests.support.crawl import crawl_args, run_cli

pytestmark = pytest.mark.reliability


def guard(**settings: object) -> PrivateAddressGuardMiddleware:
    return PrivateAddressGuardMiddleware.from_crawler(get_crawler(settings_dict=settings))


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/admin",
        "http://192.168.1.1/",
        "http://127.0.0.1:9/secret",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost:9/",
    ],
)
def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(IgnoreRequest, match="private address"):
        guard().process_request(Request(url))


def test_public_and_allow_listed_addresses_pass() -> None:
    assert guard().process_request(Request("http://93.184.216.34/news")) is None
    allowing = guard(NEWSAGG_ALLOWED_HOSTS="127.0.0.1:9, 10.0.0.0/8")
    assert allowing.process_request(Request("http://127.0.0.1:9/feed")) is None
    assert allowing.process_request(Request("http://10.20.30.40/feed")) is None
    with pytest.raises(IgnoreRequest):
        allowing.process_request(Request("http://127.0.0.1:10/feed"))


def test_registry_hosts_are_allowed() -> None:
    middleware = guard()
    spider = type("Spider", (), {})()
    spider.registry = Registry.from_yaml(
        "outlets: [{id: local, name: Local, country: CL, language: es, home: 'http://127.0.0.1:8123/'}]"
    )
    middleware.spider_opened(spider)
    assert middleware.process_request(Request("http://127.0.0.1:8123/rss.xml")) is None
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("http://127.0.0.1:8124/rss.xml"))


class _Site:
    """A loopback site of fixed answers (status, headers, body) that records every path asked for."""

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]]) -> None:
        self.routes = routes
        self.seen: list[str] = []
        self.server = LoopbackServer(self._respond, methods=("GET",)).start()
        self.base = self.server.base

    def _respond(self, handler: RequestHandler) -> int:
        self.seen.append(handler.path)
        status, headers, body = self.routes.get(handler.path, (404, {}, b"not found"))
        return handler.send(status, body, None, headers)


@pytest.fixture
def sites() -> Iterator[tuple[_Site, _Site]]:
    trap = _Site({"/secret": (200, {"Content-Type": "text/html"}, b"<p>internal</p>")})
    outlet = _Site({})
    paragraph = "".join(
        f"<p>{sentence}</p>"
        for sentence in (
            "La municipalidad aprobó anoche el presupuesto de obras para el próximo año tras un largo debate.",
            "El plan destina la mayor parte de los fondos a pavimentar calles del sector norte y a reparar escuelas.",
            "La oposición criticó que no se incluyeran recursos para el alumbrado público de los barrios periféricos.",
            "El alcalde defendió el proyecto y dijo que las obras comenzarán en marzo, apenas termine la temporada.",
            "Los vecinos podrán seguir el avance de cada obra en un sitio web que la municipalidad publicará en enero.",
            "La concejala de finanzas explicó que el presupuesto crece un cuatro por ciento respecto del año pasado.",
            "Gran parte del aumento proviene de un fondo regional para infraestructura aprobado en septiembre.",
            "Las juntas de vecinos pidieron que se prioricen las veredas cercanas a los consultorios y los colegios.",
            "El concejo votará en dos semanas las bases de licitación de los primeros contratos de pavimentación.",
            "Mientras tanto, la municipalidad abrirá un registro de empresas locales interesadas en participar.",
        )
    )
    outlet.routes.update(
        {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"),
            "/rss.xml": (
                200,
                {"Content-Type": "application/rss+xml"},
                (
                    "<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                    f"<item><title>ok</title><link>{outlet.base}/noticias/presupuesto.html</link></item>"
                    f"<item><title>trap</title><link>{trap.base}/secret</link></item>"
                    f"<item><title>redirect</title><link>{outlet.base}/noticias/redir.html</link></item>"
                    "</channel></rss>"
                ).encode(),
            ),
            "/noticias/presupuesto.html": (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                (
                    '<html><head><title>Presupuesto</title><meta property="og:type" content="article"></head>'
                    "<body><article><h1>Presupuesto aprobado</h1>"
                    f"{paragraph}</article></body></html>"
                ).encode(),
            ),
            "/noticias/redir.html": (302, {"Location": f"{trap.base}/secret-redirected"}, b""),
        }
    )
    yield outlet, trap
    stop_all(site.server for site in (outlet, trap))


def test_crawl_never_touches_private_hosts_outside_the_registry(sites: tuple[_Site, _Site], tmp_path: Path) -> None:
    outlet, trap = sites
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "outlets:\n"
        f"  - {{id: local, name: Local, country: CL, language: es, home: '{outlet.base}/', "
        f"feeds: ['{outlet.base}/rss.xml']}}\n",
        encoding="utf-8",
    )
    result = run_cli(*crawl_args(registry, tmp_path / "h"), timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert trap.seen == [], "the crawler reached a private host that is not in the registry"
    assert summary["skipped"].get("private_address", 0) >= 2
    assert summary["inserted"] == 1, summary
