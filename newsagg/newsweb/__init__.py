"""A bundled fictional regional news web, served over real HTTP on loopback, for tests and the demo.

Usage::

    from newsagg.newsweb import NewsWeb
    with NewsWeb() as web:   # one ThreadingHTTPServer per outlet, ephemeral ports on 127.0.0.1
        web.outlets          # registry dicts: id, name, country, region, language, timezone, home, feeds,
                             #   sitemaps, sections (absolute URLs)
        web.registry_yaml()  # the same as a YAML document {"outlets": [...]}
        web.expected()       # ground truth per article page
        web.bad_pages()      # [{"url", "kind", "note"}] for every deliberately broken URL
        web.disallowed()     # URLs linked from pages/feeds but disallowed by robots.txt
        web.request_log      # [(method, path_with_query, status, outlet_id)] per request served

``python -m newsagg.newsweb [--base-port N]`` serves it in the foreground and prints the registry YAML.

Content lives in ``stories/`` (one dict per article) and ``outlets.py``; ``templates.py`` renders each
outlet's article pages in its own markup and date style; ``site.py`` derives feeds, sitemaps, section pages,
robots.txt and the ground truth; ``server.py`` serves it on :class:`LoopbackServer`, the one HTTP server
implementation the test suite's hostile outlets and the bench reuse (give it a responder for other routes).
``CRAWL_SETTINGS`` are the crawl settings for a web on loopback (the demo and the tests use them).

What a crawler meets here (the traps are deliberate):

- ``diario-morazanico``'s only feed answers 200 with an HTML error page (kind ``feed-not-xml``); its articles
  are found through its Google News sitemap and section pages. Its wire reprint of the seed story declares no
  date anywhere on the page: the date comes only from ``news:publication_date`` in that sitemap.
- ``el-faro-del-sur`` shows day-only dates ("viernes 20 de noviembre de 2026"); the full time of its seed
  story is only in its RSS ``pubDate`` (and sitemap ``lastmod``). Its copper-strike page is day precision
  everywhere (sitemap ``lastmod`` 2026-11-19) and is truncated, malformed HTML. Its sitemap is an index.
- ``prensa-cuscatleca`` has the Atom feed; its "fecha: pronto" article has no date at all (no feed or
  sitemap entry, no date in the URL, no Last-Modified) and is reachable only from its "nacionales" section;
  its Bukele-meeting article is latin-1 bytes under a ``charset=utf-8`` header with no meta charset.
  Its visible dates are naive "20/11/2026 10:35" in America/El_Salvador.
- ``diario-tiquicia``'s coffee article is served as ISO-8859-1 (header and meta agree); its feed lists a
  robots-disallowed ``/impresa/`` URL; one of its section links is a PDF.
- ``harbor-ledger``'s feed links its seed article with ``?utm_source=rss&utm_medium=feed``; the page's
  ``<link rel=canonical>`` (and ``expected()["url"]``) is the clean URL. It shows both "Published" and
  "Updated" times; its plain sitemap ``lastmod`` is the *modified* time for modified articles.
- ``diario-cordillera``'s feed lists a removed article that answers 404.
- Reader comments sit in ``<section id="comentarios">`` on every article page, with class names that vary
  per outlet (several in Spanish, e.g. "caja-comentarios"): generic extractors keep some of them.
- ``acn-english`` has a sitemap index whose child is a Google News sitemap.

``expected()`` entries carry the contract keys (url, outlet, story, language, title, authors, published,
published_precision, published_declared_in, copy_of, edited_copy_of, must_contain, must_not_contain,
encoding) plus extras: ``key`` (content id), ``feed_url`` (the tracking-parameter URL if any), ``modified``.
"""

from .crawling import CRAWL_SETTINGS
from .server import LoopbackServer, NewsWeb, RequestHandler, Responder, stop_all

__all__ = ["CRAWL_SETTINGS", "LoopbackServer", "NewsWeb", "RequestHandler", "Responder", "stop_all"]
