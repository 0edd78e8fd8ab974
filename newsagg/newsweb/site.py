"""Build the whole local news web (every URL's bytes) and its ground truth from the content data.

:func:`build_site` takes the base URL of every outlet (known once the servers are bound) and returns a
:class:`Site`: a route table per outlet plus ``expected`` / ``bad_pages`` / ``disallowed``.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from xml.sax.saxutils import escape as xml_escape

from . import furniture as F
from .model import DATE_SOURCES, Article, Outlet, iso, rfc822
from .outlets import OUTLETS
from .stories import ARTICLES
from .templates import (
    DATE_STYLES,
    Page,
    attr,
    bare_article,
    esc,
    listing_page,
    render_article,
    simple_page,
)

DEFAULT_MODIFIED = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@dataclass
class Resource:
    status: int
    content_type: str | None
    body: bytes
    last_modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.last_modified is not None:  # HTTP dates are whole seconds in GMT
            self.last_modified = self.last_modified.astimezone(UTC).replace(microsecond=0)


@dataclass
class Site:
    outlets: dict[str, Outlet]
    articles: list[Article]
    routes: dict[str, dict[str, Resource]]
    expected: list[dict]
    bad_pages: list[dict]
    disallowed: list[str]


# ---------------------------------------------------------------------------------------------------------
# bad pages: where each is linked from (outlet, kind, path, linked_from, note)
# ---------------------------------------------------------------------------------------------------------

BROKEN = [
    {
        "outlet": "diario-cordillera",
        "kind": "404",
        "path": "/politica/2026/11/19/senado-despacha-reforma-de-pensiones/",
        "title": "Senado despacha la reforma de pensiones a tercer trámite",
        "linked_from": "feed",
        "note": "removed article still listed in the RSS feed; answers 404",
    },
    {
        "outlet": "el-faro-del-sur",
        "kind": "500",
        "path": "/pais/municipio-de-talcahuano-licita-nuevo-terminal/",
        "title": "Municipio de Talcahuano licita nuevo terminal de buses",
        "linked_from": "section:pais",
        "note": "linked from the 'pais' section page; answers 500 Internal Server Error",
    },
    {
        "outlet": "diario-tiquicia",
        "kind": "not-html",
        "path": "/economia/2026/11/19/informe-cosecha-cafe-icafe/",
        "title": "Descargue el informe de cosecha del Instituto del Café",
        "linked_from": "section:economia",
        "note": "article-looking URL served as application/pdf",
    },
    {
        "outlet": "prensa-cuscatleca",
        "kind": "empty",
        "path": "/opinion/la-seguridad-que-queremos-n4519",
        "title": "La seguridad que queremos",
        "linked_from": "section:opinion",
        "note": "200 OK, Content-Type text/html, empty body",
    },
]

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

SENTENCE_SPLIT = re.compile(r"(?<=[.!?»”])\s+(?=[«“¿¡A-ZÁÉÍÓÚÑ])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_SPLIT.split(text) if s.strip()]


def _seed(*parts: str) -> int:
    return zlib.crc32("|".join(parts).encode())


def _aware(when: datetime | date | None, outlet: Outlet) -> datetime:
    if isinstance(when, datetime):
        return when
    if isinstance(when, date):
        return datetime.combine(when, time(12, 0), tzinfo=outlet.tz)
    return DEFAULT_MODIFIED


# ---------------------------------------------------------------------------------------------------------


def _validate(articles: list[Article], outlets: dict[str, Outlet]) -> None:
    keys = set()
    paths = set()
    for a in articles:
        assert a.key not in keys, f"duplicate key {a.key}"
        keys.add(a.key)
        assert (a.outlet, a.path) not in paths, f"duplicate path {a.path}"
        paths.add((a.outlet, a.path))
        o = outlets[a.outlet]
        assert a.section in o.sections, f"{a.key}: unknown section {a.section}"
        assert set(a.page_dates) <= {"json-ld", "meta", "time-tag", "text"}, a.key
        if "time-tag" in a.page_dates:
            assert "text" in a.page_dates, f"{a.key}: a <time> tag always shows the date as text too"
        if isinstance(a.published, datetime):
            local = a.published.astimezone(o.tz)
            assert local.utcoffset() == a.published.utcoffset(), f"{a.key}: offset differs from {o.timezone}"
        if a.day_only:
            assert set(a.page_dates) <= {"text"} and not a.in_feed, f"{a.key}: day-only needs day-only sources"
            assert DATE_STYLES[o.id][1] == "day" and a.sitemap_precision == "day", a.key
        if a.published is None:
            assert not a.page_dates and not a.in_feed and not a.in_sitemap, f"{a.key}: undated but declared"
        words = sum(len(p.split()) for p in a.body)
        assert 250 <= words <= 600, f"{a.key}: {words} words"
    for a in articles:
        for ref in (a.copy_of, a.edited_copy_of):
            assert ref is None or ref in keys, f"{a.key}: unknown original {ref}"


def _declared(a: Article, o: Outlet) -> tuple[list[str], str | None, str | None]:
    """(declared_in, published ISO string, precision) honest to what the outlet serves."""
    if a.published is None:
        return [], None, None
    sources: dict[str, str] = {}
    for src in a.page_dates:
        sources[src] = DATE_STYLES[o.id][1] if src == "text" else "minute"
    if a.in_feed and o.feed_kind != "broken":
        sources["feed"] = "minute"
    if a.in_sitemap and _sitemap_declares_published(a, o):
        sources["sitemap"] = a.sitemap_precision
    declared = [s for s in DATE_SOURCES if s in sources]
    precision = "minute" if "minute" in sources.values() else "day"
    if precision == "minute":
        assert isinstance(a.published, datetime)
        return declared, a.published.isoformat(), "minute"
    day = a.published.date() if isinstance(a.published, datetime) else a.published
    return declared, day.isoformat(), "day"


def _sitemap_declares_published(a: Article, o: Outlet) -> bool:
    if o.sitemap_kind in ("news", "index-news"):
        return True
    return a.modified is None  # plain sitemaps carry <lastmod>, which is the publication time if never modified


# ---------------------------------------------------------------------------------------------------------


def build_site(
    bases: dict[str, str], article_data: list[dict] | None = None, layouts: dict[str, str] | None = None
) -> Site:
    """Render every route. ``article_data`` replaces the bundled articles (tests change the web between
    crawls); ``layouts`` maps an outlet id to ``"bare"`` to serve its articles in a redesigned page that
    carries no metadata at all (no headline markup, date or byline), as after a site relaunch."""
    outlets = {cfg["id"]: Outlet.from_config(cfg, bases[cfg["id"]]) for cfg in OUTLETS}
    articles = [Article.from_dict(d) for d in (ARTICLES if article_data is None else article_data)]
    layouts = layouts or {}
    _validate(articles, outlets)
    url_of = {a.key: outlets[a.outlet].url(a.path) for a in articles}
    routes: dict[str, dict[str, Resource]] = {oid: {} for oid in outlets}
    expected: list[dict] = []

    for a in articles:
        o = outlets[a.outlet]
        page = _page_for(a, o, articles, url_of)
        bare = layouts.get(o.id) == "bare"
        text = bare_article(page) if bare else render_article(page)
        if a.malformed:
            text = _corrupt(text)
        data = text.encode(a.charset)  # strict: content must fit the charset it is served in
        header_charset = "utf-8" if a.mislabeled else a.charset
        # an undated article gets no Last-Modified either: nothing anywhere may date it
        modified = _aware(a.modified or a.published, o) if a.published is not None else None
        routes[o.id][a.path] = Resource(200, f"text/html; charset={header_charset}", data, modified)
        # a bare page carries none of the furniture the checks look for, nor a title, date or byline
        expected.append(_expected_entry(a, o, page, render_article(page) if bare else text, url_of, bare))

    bad_pages: list[dict] = []
    for b in BROKEN:
        o = outlets[b["outlet"]]
        if b["kind"] == "500":
            body = simple_page("Error 500", "Error interno del servidor. Intente más tarde.").encode()
            routes[o.id][b["path"]] = Resource(500, "text/html; charset=utf-8", body)
        elif b["kind"] == "not-html":
            routes[o.id][b["path"]] = Resource(200, "application/pdf", PDF_BYTES, DEFAULT_MODIFIED)
        elif b["kind"] == "empty":
            routes[o.id][b["path"]] = Resource(200, "text/html; charset=utf-8", b"", DEFAULT_MODIFIED)
        bad_pages.append({"url": o.url(b["path"]), "kind": b["kind"], "note": b["note"]})
    for a in articles:
        o = outlets[a.outlet]
        if a.malformed:
            bad_pages.append(
                {"url": url_of[a.key], "kind": "malformed-html", "note": "unclosed tags, truncated after comments"}
            )
        if a.charset != "utf-8" and not a.mislabeled:
            bad_pages.append(
                {"url": url_of[a.key], "kind": "latin-1", "note": "served as ISO-8859-1 (header and meta)"}
            )
        if a.mislabeled:
            bad_pages.append(
                {
                    "url": url_of[a.key],
                    "kind": "mislabeled-charset",
                    "note": f"header says charset=utf-8, bytes are {a.charset}, no meta charset",
                }
            )
        if a.date_text and a.published is None:
            bad_pages.append(
                {"url": url_of[a.key], "kind": "unparseable-date", "note": f"only date on page: {a.date_text!r}"}
            )

    disallowed: list[str] = []
    for o in outlets.values():
        _discovery(o, [a for a in articles if a.outlet == o.id], url_of, routes[o.id], bad_pages)
        for trap in o.trap_paths:
            disallowed.append(o.url(trap))
            routes[o.id][trap.split("?")[0]] = Resource(
                200,
                "text/html; charset=utf-8",
                simple_page("Área restringida", "Contenido exclusivo. Esta página no debe rastrearse.").encode(),
                DEFAULT_MODIFIED,
            )
    return Site(outlets, articles, routes, expected, bad_pages, disallowed)


def _page_for(a: Article, o: Outlet, articles: list[Article], url_of: dict[str, str]) -> Page:
    seed = _seed(a.key)
    pool = F.COMMENTS[o.language]
    names = F.COMMENTERS[o.language]
    count = 8 + seed % 7  # 8..14 comments
    start = seed % len(pool)
    comments = []
    for i in range(count):
        hours = 1 + i * 2 + seed % 3
        ago = f"hace {hours} horas" if o.language == "es" else f"{hours} hours ago"
        comments.append((names[(start + i) % len(names)], ago, pool[(start + i) % len(pool)]))
    siblings = sorted(
        (x for x in articles if x.outlet == o.id and x.key != a.key),
        key=lambda x: _seed(a.key, x.key),
    )
    related = [(x.title, url_of[x.key]) for x in siblings[:3]]
    ads = F.ADS[o.language][seed % 3 :] + F.ADS[o.language][: seed % 3]
    return Page(
        outlet=o,
        art=a,
        url=url_of[a.key],
        comments=comments,
        related=related,
        ads=ads,
        trap_url=o.trap_paths[0] if o.trap_paths else None,
        meta_charset=None if a.mislabeled else a.charset,
    )


def _corrupt(text: str) -> str:
    """Malformed HTML: drop closing tags in the body and cut the page off after the comments."""
    head, sep, _rest = text.partition("<!-- /comentarios -->")
    assert sep, "template must mark the end of the comments for a malformed page"
    head = head.replace("</p>\n<p>", "\n<p>").replace("</div>\n{", "\n{").replace("</article>", "")
    return head + '<div class="widget_newsletter"><h3>Recibe las noti'


def _expected_entry(a: Article, o: Outlet, page: Page, text: str, url_of: dict[str, str], bare: bool = False) -> dict:
    declared, published, precision = _declared(a, o)
    if bare:
        declared, published, precision = [], None, None
    body = " ".join(a.body)
    candidates = [s for p in a.body for s in sentences(p) if 50 <= len(s) <= 300 and not set(s) & set("&<>")]
    assert len(candidates) >= 3, a.key
    n = len(candidates)
    must_contain = [candidates[i] for i in sorted({n // 6, n // 2, (5 * n) // 6})]
    comment_sentences = [sentences(c[2])[0] for c in page.comments]
    must_not = [
        F.LISTEN[o.language],
        F.FACT_CHECKER[o.language],
        comment_sentences[0],
        comment_sentences[-1],
        *[t for t, _ in page.related[:2]],
        page.ads[0],
    ]
    for s in must_contain:
        assert esc(s) in text, f"{a.key}: must_contain not in page: {s}"
    for s in must_not:
        assert esc(s) in text, f"{a.key}: must_not_contain not in page: {s}"
        assert s not in body and s != a.title, f"{a.key}: furniture string is also content: {s}"
    return {
        "url": url_of[a.key],
        "outlet": o.id,
        "story": a.story,
        "language": o.language,
        "title": a.title,
        "authors": list(a.authors),
        "published": published,
        "published_precision": precision,
        "published_declared_in": declared,
        "copy_of": url_of[a.copy_of] if a.copy_of else None,
        "edited_copy_of": url_of[a.edited_copy_of] if a.edited_copy_of else None,
        "must_contain": must_contain,
        "must_not_contain": must_not,
        "encoding": a.charset,
        # extras (not part of the minimal contract):
        "key": a.key,
        "feed_url": o.url(a.path + a.feed_query) if a.feed_query else None,
        "modified": a.modified.isoformat() if a.modified else None,
        "layout": "bare" if bare else "standard",
    }


# ---------------------------------------------------------------------------------------------------------
# discovery: robots.txt, home, sections, feeds, sitemaps
# ---------------------------------------------------------------------------------------------------------


def _newest_first(arts: list[Article], o: Outlet) -> list[Article]:
    return sorted(arts, key=lambda a: _aware(a.published, o) if a.published else datetime.min.replace(tzinfo=UTC),
                  reverse=True)  # fmt: skip


def _discovery(
    o: Outlet, arts: list[Article], url_of: dict[str, str], routes: dict[str, Resource], bad_pages: list[dict]
) -> None:
    lang = o.language
    arts = _newest_first(arts, o)
    newest = max((_aware(a.modified or a.published, o) for a in arts if a.published), default=DEFAULT_MODIFIED)
    html_ct = "text/html; charset=utf-8"
    trap_link = f'<p class="mas"><a href="{attr(o.trap_paths[0])}">{esc(_trap_label(lang))}</a></p>'

    # robots.txt
    lines = [f"# robots.txt for {o.name}", "User-agent: *"]
    lines += [f"Disallow: {p}" for p in o.disallow]
    lines += ["", "User-agent: BadBot", "Disallow: /", ""]
    lines += [f"Sitemap: {o.url(p)}" for p in o.sitemap_paths]
    routes["/robots.txt"] = Resource(200, "text/plain; charset=utf-8", ("\n".join(lines) + "\n").encode())

    # home: everything that is also in a feed or sitemap (section-only articles are not on the home page)
    home_items = [(a.path, a.title, a.summary) for a in arts if a.in_feed or a.in_sitemap]
    home = listing_page(o, o.name, home_items, trap_link)
    routes["/"] = Resource(200, html_ct, home.encode(), newest)

    # sections
    for sid, label in o.sections.items():
        items = [(a.path, a.title, a.summary) for a in arts if a.section == sid]
        for b in BROKEN:
            if b["outlet"] == o.id and b["linked_from"] == f"section:{sid}":
                items.append((b["path"], b["title"], ""))
        page = listing_page(o, label, items, trap_link)
        routes[o.section_path(sid)] = Resource(200, html_ct, page.encode(), newest)

    # feeds
    for fpath in o.feed_paths:
        if o.feed_kind == "broken":
            body = simple_page(
                "Error 503 - Servicio no disponible",
                "El servicio de sindicación no está disponible en este momento. Vuelva a intentarlo más tarde.",
            )
            routes[fpath] = Resource(200, html_ct, body.encode(), DEFAULT_MODIFIED)
            bad_pages.append(
                {
                    "url": o.url(fpath),
                    "kind": "feed-not-xml",
                    "note": "the outlet's only feed answers 200 with an HTML error page; use its sitemap/sections",
                }
            )
            continue
        section = fpath.rsplit("/", 1)[-1].split(".")[0] if len(o.feed_paths) > 1 else None
        items = [a for a in arts if a.in_feed and (section is None or a.section == section)]
        if o.feed_kind == "atom":
            routes[fpath] = Resource(
                200, "application/atom+xml; charset=utf-8", _atom(o, items, url_of, fpath).encode(), newest
            )
        else:
            routes[fpath] = Resource(
                200, "application/rss+xml; charset=utf-8", _rss(o, items, url_of, fpath).encode(), newest
            )

    # sitemaps
    if o.sitemap_kind == "news":
        routes[o.sitemap_paths[0]] = _xml(_news_sitemap(o, [a for a in arts if a.in_sitemap], url_of), newest)
    elif o.sitemap_kind == "plain":
        routes[o.sitemap_paths[0]] = _xml(_plain_sitemap(o, [a for a in arts if a.in_sitemap], url_of), newest)
    elif o.sitemap_kind in ("index", "index-news"):
        if o.sitemap_kind == "index":
            children = {"/sitemap-posts-2026-11.xml": _plain_sitemap(o, [a for a in arts if a.in_sitemap], url_of,
                                                                     with_sections=False)}  # fmt: skip
        else:
            children = {"/sitemaps/news.xml": _news_sitemap(o, [a for a in arts if a.in_sitemap], url_of)}
        children["/sitemaps/sections.xml" if o.sitemap_kind == "index-news" else "/sitemap-categorias.xml"] = (
            _plain_sitemap(o, [], url_of, with_sections=True)
        )
        for path, xml in children.items():
            routes[path] = _xml(xml, newest)
        entries = "\n".join(
            f"  <sitemap><loc>{xml_escape(o.url(p))}</loc><lastmod>{iso(newest)}</lastmod></sitemap>" for p in children
        )
        index = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}\n</sitemapindex>\n"
        )
        routes[o.sitemap_paths[0]] = _xml(index, newest)


def _trap_label(lang: str) -> str:
    return "Más resultados" if lang == "es" else "More results"


def _xml(text: str, modified: datetime) -> Resource:
    return Resource(200, "application/xml; charset=utf-8", text.encode(), modified)


def _rss(o: Outlet, items: list[Article], url_of: dict[str, str], fpath: str) -> str:
    gmt = o.id == "agencia-continental"
    entries = []
    for a in items:
        assert isinstance(a.published, datetime)
        creators = "".join(f"<dc:creator>{xml_escape(x)}</dc:creator>" for x in a.authors)
        entries.append(
            "<item>"
            f"<title>{xml_escape(a.title)}</title>"
            f"<link>{xml_escape(url_of[a.key] + a.feed_query)}</link>"
            f'<guid isPermaLink="false">{xml_escape(o.id)}-{_seed(a.key)}</guid>'
            f"<pubDate>{rfc822(a.published, gmt=gmt)}</pubDate>"
            f"{creators}"
            f"<category>{xml_escape(o.sections[a.section])}</category>"
            f"<description>{xml_escape(a.summary)}</description>"
            "</item>"
        )
    for b in BROKEN:  # the removed article still listed in the feed
        if b["outlet"] == o.id and b["linked_from"] == "feed":
            entries.append(
                f"<item><title>{xml_escape(b['title'])}</title><link>{xml_escape(o.url(b['path']))}</link>"
                f"<pubDate>Thu, 19 Nov 2026 19:40:00 -0300</pubDate><description>{xml_escape(b['note'])}"
                "</description></item>"
            )
    if o.id == "diario-tiquicia":  # a feed item that robots.txt disallows
        entries.append(
            f"<item><title>Edición impresa digital del viernes</title><link>{xml_escape(o.url(o.trap_paths[0]))}"
            "</link><pubDate>Fri, 20 Nov 2026 05:00:00 -0600</pubDate><description>Hojee la edición del día."
            "</description></item>"
        )
    last = items[0].published if items else DEFAULT_MODIFIED
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{xml_escape(o.name)}</title>\n<link>{xml_escape(o.url('/'))}</link>\n"
        f'<atom:link href="{xml_escape(o.url(fpath))}" rel="self" type="application/rss+xml"/>\n'
        f"<description>{xml_escape(o.name)} - {'Últimas noticias' if o.language == 'es' else 'Latest news'}"
        f"</description>\n<language>{o.language}</language>\n"
        f"<lastBuildDate>{rfc822(last, gmt=gmt)}</lastBuildDate>\n" + "\n".join(entries) + "\n</channel>\n</rss>\n"
    )


def _atom(o: Outlet, items: list[Article], url_of: dict[str, str], fpath: str) -> str:
    entries = []
    for a in items:
        assert isinstance(a.published, datetime)
        authors = "".join(f"<author><name>{xml_escape(x)}</name></author>" for x in a.authors)
        entries.append(
            "<entry>"
            f"<title>{xml_escape(a.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{xml_escape(url_of[a.key] + a.feed_query)}"/>'
            f"<id>tag:{o.id},2026:{_seed(a.key)}</id>"
            f"<published>{iso(a.published)}</published>"
            f"<updated>{iso(a.modified or a.published)}</updated>"
            f"{authors}<summary>{xml_escape(a.summary)}</summary>"
            "</entry>"
        )
    updated = max((a.modified or a.published for a in items), default=DEFAULT_MODIFIED)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="es">\n'
        f"<title>{xml_escape(o.name)} - Últimas noticias</title>\n"
        f'<link rel="alternate" href="{xml_escape(o.url("/"))}"/>\n'
        f'<link rel="self" href="{xml_escape(o.url(fpath))}"/>\n'
        f"<id>{xml_escape(o.url('/'))}</id>\n<updated>{iso(updated)}</updated>\n"
        f"<author><name>{xml_escape(o.name)}</name></author>\n" + "\n".join(entries) + "\n</feed>\n"
    )


def _news_sitemap(o: Outlet, items: list[Article], url_of: dict[str, str]) -> str:
    entries = []
    for a in items:
        entries.append(
            f"  <url><loc>{xml_escape(url_of[a.key])}</loc><news:news><news:publication>"
            f"<news:name>{xml_escape(o.name)}</news:name><news:language>{o.language}</news:language>"
            f"</news:publication><news:publication_date>{iso(a.published)}</news:publication_date>"
            f"<news:title>{xml_escape(a.title)}</news:title></news:news></url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(entries) + "\n</urlset>\n"
    )


def _plain_sitemap(o: Outlet, items: list[Article], url_of: dict[str, str], with_sections: bool = True) -> str:
    entries = []
    for a in items:
        when = a.modified or a.published
        if a.sitemap_precision == "day":
            when = when.date() if isinstance(when, datetime) else when
        entries.append(
            f"  <url><loc>{xml_escape(url_of[a.key])}</loc><lastmod>{iso(when)}</lastmod>"
            "<changefreq>never</changefreq></url>"
        )
    if with_sections:
        for sid in o.sections:
            entries.append(f"  <url><loc>{xml_escape(o.url(o.section_path(sid)))}</loc><changefreq>hourly"
                           "</changefreq></url>")  # fmt: skip
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(entries) + "\n</urlset>\n"
    )
