"""HTML templates: one small article template (and date style) per outlet, plus shared listing pages.

Every template escapes text with :func:`esc` / :func:`attr`. The furniture (listen widget, fact checker,
ads, share bar, related links, newsletter, reader comments) differs in markup from outlet to outlet, as it
does on the real web, so extractors cannot rely on one set of class names.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from . import furniture as F
from .model import (
    EN_MONTHS,
    EN_MONTHS_AP,
    ES_MONTHS,
    ES_MONTHS_ABBR,
    Article,
    Outlet,
    es_long_date,
    twelve_hour,
)


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


# ---------------------------------------------------------------------------------------------------------
# date styles: outlet id -> (formatter, precision of the visible text)
# ---------------------------------------------------------------------------------------------------------


def _cordillera_date(dt: datetime) -> str:  # viernes 20 de noviembre de 2026 | 14:05 h
    return f"{es_long_date(dt)} | {dt:%H:%M} h"


def _faro_date(d: date) -> str:  # viernes 20 de noviembre de 2026 (day only, never a time)
    return es_long_date(d if not isinstance(d, datetime) else d.date())


def _cuscatleca_date(dt: datetime) -> str:  # 20/11/2026 10:35 (naive, local time)
    return f"{dt:%d/%m/%Y %H:%M}"


def _tiquicia_date(dt: datetime) -> str:  # Publicado el 20 de noviembre de 2026 a las 11:15
    return f"Publicado el {dt.day} de {ES_MONTHS[dt.month - 1]} de {dt.year} a las {dt:%H:%M}"


def _morazanico_date(dt: datetime) -> str:  # Publicado: 19/11/2026 06:00 PM
    return f"Publicado: {dt:%d/%m/%Y} {dt.hour % 12 or 12:02d}:{dt.minute:02d} {'AM' if dt.hour < 12 else 'PM'}"


def _acn_es_date(dt: datetime) -> str:  # 20 nov. 2026 - 11:52 EST
    return f"{dt.day} {ES_MONTHS_ABBR[dt.month - 1]} {dt.year} - {dt:%H:%M} {dt.tzname()}"


def _acn_en_date(dt: datetime) -> str:  # November 20, 2026 at 12:10 PM EST
    return f"{EN_MONTHS[dt.month - 1]} {dt.day}, {dt.year} at {twelve_hour(dt, 'AMPM')} {dt.tzname()}"


def _ledger_date(dt: datetime) -> str:  # Nov. 20, 2026 2:05 p.m. EST
    return f"{EN_MONTHS_AP[dt.month - 1]} {dt.day}, {dt.year} {twelve_hour(dt)} {dt.tzname()}"


DATE_STYLES: dict[str, tuple[Callable, str]] = {
    "diario-cordillera": (_cordillera_date, "minute"),
    "el-faro-del-sur": (_faro_date, "day"),
    "prensa-cuscatleca": (_cuscatleca_date, "minute"),
    "diario-tiquicia": (_tiquicia_date, "minute"),
    "diario-morazanico": (_morazanico_date, "minute"),
    "agencia-continental": (_acn_es_date, "minute"),
    "acn-english": (_acn_en_date, "minute"),
    "harbor-ledger": (_ledger_date, "minute"),
}


def visible_date(outlet: Outlet, when: datetime | date) -> str:
    fmt, _ = DATE_STYLES[outlet.id]
    if isinstance(when, datetime):
        when = when.astimezone(outlet.tz)
    return fmt(when)


# ---------------------------------------------------------------------------------------------------------
# page context
# ---------------------------------------------------------------------------------------------------------


@dataclass
class Page:
    outlet: Outlet
    art: Article
    url: str  # clean canonical URL
    comments: list[tuple[str, str, str]]  # (name, "hace 2 horas", text)
    related: list[tuple[str, str]]  # (headline, url)
    ads: list[str]
    trap_url: str | None
    meta_charset: str | None  # None: no charset declaration in the HTML
    jsonld_extra: dict = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.outlet.language

    @property
    def date_text(self) -> str | None:
        if self.art.date_text:
            return self.art.date_text
        if "text" in self.art.page_dates and self.art.published is not None:
            return visible_date(self.outlet, self.art.published)
        return None

    @property
    def published_iso(self) -> str | None:
        p = self.art.published
        return p.isoformat() if isinstance(p, datetime) else None

    def has(self, source: str) -> bool:
        return source in self.art.page_dates


def charset_meta(page: Page, style: str = "html5") -> str:
    if page.meta_charset is None:
        return ""
    if style == "http-equiv":
        return f'<meta http-equiv="Content-Type" content="text/html; charset={page.meta_charset}">'
    return f'<meta charset="{page.meta_charset}">'


def jsonld_script(page: Page) -> str:
    if not page.has("json-ld"):
        return ""
    art = page.art
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": page.url},
        "headline": art.title,
        "description": art.summary,
        "inLanguage": page.lang,
        "datePublished": page.published_iso,
        "dateModified": (art.modified or art.published).isoformat(),
        "author": [{"@type": "Person", "name": a} for a in art.authors],
        "publisher": {
            "@type": "Organization",
            "name": page.outlet.name,
            "logo": {"@type": "ImageObject", "url": page.outlet.url("/static/logo.png")},
        },
        "articleSection": page.outlet.sections.get(art.section, art.section),
    }
    if not art.authors:
        del data["author"]
    data.update(page.jsonld_extra)
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def og_meta(page: Page, with_times: bool) -> str:
    art = page.art
    lines = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{attr(art.title)}">',
        f'<meta property="og:description" content="{attr(art.summary)}">',
        f'<meta property="og:url" content="{attr(page.url)}">',
        f'<meta property="og:site_name" content="{attr(page.outlet.name)}">',
    ]
    if with_times and page.has("meta"):
        lines.append(f'<meta property="article:published_time" content="{page.published_iso}">')
        if art.modified:
            lines.append(f'<meta property="article:modified_time" content="{art.modified.isoformat()}">')
    return "\n".join(lines)


def dateline_html(page: Page, tag_class: str) -> str:
    text = page.date_text
    if page.has("time-tag"):
        return f'<time class="{tag_class}" datetime="{page.published_iso}">{esc(text or "")}</time>'
    if text:
        return f'<span class="{tag_class}">{esc(text)}</span>'
    return ""


def body_html(page: Page, p_class: str | None = None) -> str:
    cls = f' class="{p_class}"' if p_class else ""
    return "\n".join(f"<p{cls}>{esc(p)}</p>" for p in page.art.body)


def listen_html(page: Page, cls: str) -> str:
    return (
        f'<div class="{cls}" data-player="tts"><button type="button" aria-label="{attr(F.LISTEN[page.lang])}">'
        f'<span class="icon-play"></span> {esc(F.LISTEN[page.lang])}</button>'
        f'<span class="{cls}__duration">4:12</span></div>'
    )


def fact_html(page: Page, cls: str) -> str:
    return (
        f'<aside class="{cls}"><h4>{F.FACT_CHECKER_TITLE}</h4><p>{esc(F.FACT_CHECKER[page.lang])}</p>'
        f'<a href="#verify" class="{cls}__cta">Verify</a></aside>'
    )


def ad_html(page: Page, index: int, cls: str = "ad-slot") -> str:
    text = page.ads[index % len(page.ads)]
    return (
        f'<div class="{cls}" id="{cls}-{index}" data-ad-unit="/2231/{page.outlet.id}/{index}">'
        f'<span class="{cls}__label">{F.AD_LABEL[page.lang]}</span>'
        f'<a href="#ad" rel="sponsored nofollow">{esc(text)}</a></div>'
    )


def share_html(page: Page, cls: str) -> str:
    items = "".join(f'<li><a href="#share" title="{attr(s)}">{esc(s)}</a></li>' for s in F.SHARE[page.lang])
    return f'<ul class="{cls}">{items}</ul>'


def related_html(page: Page, cls: str, heading_tag: str = "h3") -> str:
    items = "".join(f'<li><a href="{attr(u)}">{esc(t)}</a></li>' for t, u in page.related)
    return (
        f'<section class="{cls}"><{heading_tag}>{F.RELATED_TITLE[page.lang]}</{heading_tag}><ul>{items}</ul></section>'
    )


def newsletter_html(page: Page, cls: str) -> str:
    head, text, button = F.NEWSLETTER[page.lang]
    return (
        f'<div class="{cls}"><h3>{esc(head)}</h3><p>{esc(text)}</p><form action="#newsletter">'
        f'<input type="email" name="email" placeholder="correo@ejemplo.com"><button>{esc(button)}</button>'
        f"</form></div>"
    )


def comments_html(page: Page, cls: str, item_tag: str = "li") -> str:
    wrap = "ol" if item_tag == "li" else "div"
    items = "".join(
        f'<{item_tag} class="{cls}__item"><div class="{cls}__meta"><strong>{esc(name)}</strong> '
        f'<span class="{cls}__ago">{esc(ago)}</span></div><p class="{cls}__text">{esc(text)}</p>'
        f'<a href="#reply" class="{cls}__reply">{F.REPLY[page.lang]}</a></{item_tag}>'
        for name, ago, text in page.comments
    )
    title = F.COMMENTS_TITLE[page.lang].format(n=len(page.comments))
    return f'<section class="{cls}" id="comentarios"><h3>{esc(title)}</h3><{wrap}>{items}</{wrap}></section>'


def nav_html(outlet: Outlet, cls: str) -> str:
    home = {"es": "Inicio", "en": "Home"}[outlet.language]
    links = [f'<a href="/">{home}</a>'] + [
        f'<a href="{outlet.section_path(s)}">{esc(label)}</a>' for s, label in outlet.sections.items()
    ]
    return f'<nav class="{cls}">' + " ".join(links) + "</nav>"


def footer_html(outlet: Outlet, cls: str) -> str:
    links = " | ".join(f'<a href="#legal">{esc(x)}</a>' for x in F.PRIVACY[outlet.language])
    return (
        f'<footer class="{cls}"><p>&copy; 2026 {esc(outlet.name)}. {esc(F.FOOTER[outlet.language])}</p>'
        f"<p>{links}</p></footer>"
    )


def trap_html(page: Page, label: str) -> str:
    if not page.trap_url:
        return ""
    return f'<a class="trap" href="{attr(page.trap_url)}">{esc(label)}</a>'


def byline_names(authors: list[str], lang: str) -> str:
    if not authors:
        return ""
    joiner = " y " if lang == "es" else " and "
    return joiner.join([", ".join(authors[:-1]), authors[-1]]) if len(authors) > 1 else authors[0]


def title_tag(page: Page, sep: str = "|") -> str:
    return f"<title>{esc(page.art.title)} {sep} {esc(page.outlet.name)}</title>"


# ---------------------------------------------------------------------------------------------------------
# article templates, one per outlet
# ---------------------------------------------------------------------------------------------------------


def cordillera(page: Page) -> str:
    a, o = page.art, page.outlet
    authors = "".join(f'<a rel="author" href="#autor">{esc(x)}</a> ' for x in a.authors)
    return f"""<!DOCTYPE html>
<html lang="es-CL">
<head>
{charset_meta(page)}
<meta name="viewport" content="width=device-width, initial-scale=1">
{title_tag(page)}
<meta name="description" content="{attr(a.summary)}">
{og_meta(page, with_times=True)}
<link rel="canonical" href="{attr(page.url)}">
{jsonld_script(page)}
</head>
<body class="single-post">
<header class="site-header"><a class="logo" href="/">{esc(o.name)}</a>
{nav_html(o, "menu-principal")}
<div class="header-date">Santiago de Chile</div></header>
{ad_html(page, 0, "publicidad")}
<main class="contenedor">
<article class="nota">
<div class="nota__kicker">{esc(o.sections.get(a.section, ""))}</div>
<h1 class="nota__titulo">{esc(a.title)}</h1>
<p class="nota__bajada">{esc(a.summary)}</p>
<div class="nota__meta">Por {authors}&middot; {dateline_html(page, "nota__fecha")}</div>
{listen_html(page, "escuchar")}
{share_html(page, "compartir")}
<div class="nota__cuerpo">
{body_html(page)}
</div>
<div class="nota__tags">Temas: {trap_html(page, "Kast")} <a href="/mundo/">Mundo</a></div>
{fact_html(page, "fact-checker")}
</article>
<aside class="sidebar">{ad_html(page, 1, "publicidad")}{related_html(page, "relacionadas")}</aside>
{newsletter_html(page, "boletin")}
{comments_html(page, "comentarios")}
</main>
{footer_html(o, "pie")}
</body>
</html>
"""


def faro(page: Page) -> str:
    a, o = page.art, page.outlet
    credit = f'<p class="credito">Fuente: {esc(a.source_credit)}</p>' if a.source_credit else ""
    byline = f'<span class="author vcard">{esc(byline_names(a.authors, "es"))}</span>' if a.authors else ""
    return f"""<!DOCTYPE html>
<html lang="es">
<head>
{charset_meta(page, "http-equiv")}
{title_tag(page, "-")}
<meta property="og:title" content="{attr(a.title)}">
<meta property="og:site_name" content="{attr(o.name)}">
<link rel="stylesheet" href="/wp-content/themes/faro/style.css">
</head>
<body class="post-template-default single">
<div id="page" class="site">
<div class="top-bar">Concepción &middot; {trap_html(page, "Editar")}</div>
<header id="masthead"><p class="site-title"><a href="/">{esc(o.name)}</a></p>
{nav_html(o, "main-navigation")}</header>
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main">
<article class="post type-post">
<header class="entry-header"><h1 class="entry-title">{esc(a.title)}</h1>
<div class="entry-meta">{byline} {dateline_html(page, "posted-on")}</div></header>
{share_html(page, "sharedaddy")}
{listen_html(page, "wp-tts")}
{ad_html(page, 0, "adsense")}
<div class="entry-content">
{body_html(page)}
{credit}
</div>
{fact_html(page, "factcheck-box")}
{related_html(page, "jp-relatedposts", "h3")}
</article>
{comments_html(page, "comments-area")}
<!-- /comentarios -->
{newsletter_html(page, "widget_newsletter")}
</main></div>
<aside id="secondary" class="widget-area">{ad_html(page, 1, "adsense")}</aside>
</div>
{footer_html(o, "site-footer")}
</div>
</body>
</html>
"""


def cuscatleca(page: Page) -> str:
    a, o = page.art, page.outlet
    return f"""<!DOCTYPE html>
<html lang="es-SV">
<head>
{charset_meta(page)}
{title_tag(page)}
<meta name="author" content="{attr(", ".join(a.authors))}">
{og_meta(page, with_times=False)}
</head>
<body>
<div class="barra-superior">San Salvador, El Salvador | {trap_html(page, "Ingresar")}</div>
<header class="cabecera"><div class="marca"><a href="/">{esc(o.name)}</a></div>{nav_html(o, "secciones")}</header>
<div class="banner-superior">{ad_html(page, 0, "banner")}</div>
<div class="fila">
<div class="columna-principal">
<h1>{esc(a.title)}</h1>
<div class="datos-nota"><span class="autor">{esc(byline_names(a.authors, "es"))}</span>
{dateline_html(page, "fecha-publicacion")}</div>
{listen_html(page, "audio-nota")}
<div id="cuerpo-nota" class="cuerpo">
{body_html(page, "parrafo")}
</div>
{share_html(page, "redes")}
{fact_html(page, "verificador")}
<div class="lee-tambien">{related_html(page, "lista-relacionadas", "h4")}</div>
{comments_html(page, "caja-comentarios", "div")}
</div>
<div class="columna-lateral">{newsletter_html(page, "suscripcion")}{ad_html(page, 1, "banner")}</div>
</div>
{footer_html(o, "pie-pagina")}
</body>
</html>
"""


def tiquicia(page: Page) -> str:
    a, o = page.art, page.outlet
    credit = f'<p class="article-credit"><em>{esc(a.source_credit)}</em></p>' if a.source_credit else ""
    byline = (
        f'<div class="article-author">Por {esc(byline_names(a.authors, "es"))}</div>'
        if a.authors
        else '<div class="article-author">Redacción</div>'
    )
    return f"""<!DOCTYPE html>
<html lang="es-CR">
<head>
{charset_meta(page)}
{title_tag(page)}
{og_meta(page, with_times=True)}
<link rel="canonical" href="{attr(page.url)}">
{jsonld_script(page)}
</head>
<body class="article-page">
<header class="masthead"><h2 class="brand"><a href="/">{esc(o.name)}</a></h2>{nav_html(o, "nav")}</header>
<div class="container">
<div class="article-wrapper">
<div class="breadcrumb"><a href="/">Inicio</a> &rsaquo;
<a href="{o.section_path(a.section)}">{esc(o.sections[a.section])}</a></div>
<h1 class="article-title">{esc(a.title)}</h1>
<h2 class="article-summary">{esc(a.summary)}</h2>
{byline}
<div class="article-date">{dateline_html(page, "date")}</div>
{listen_html(page, "listen")}
{ad_html(page, 0, "ad")}
<div class="article-body">
{body_html(page)}
{credit}
</div>
{fact_html(page, "fact-checker")}
{share_html(page, "share-tools")}
{trap_html(page, "Vea la edición impresa digital")}
{related_html(page, "related")}
{ad_html(page, 1, "ad")}
{comments_html(page, "comments")}
{newsletter_html(page, "newsletter")}
</div>
</div>
{footer_html(o, "footer")}
</body>
</html>
"""


def morazanico(page: Page) -> str:
    a, o = page.art, page.outlet
    credit = f'<div class="fuente">Fuente: {esc(a.source_credit)}</div>' if a.source_credit else ""
    byline = f'<div class="firma">{esc(byline_names(a.authors, "es"))}</div>' if a.authors else ""
    return f"""<!DOCTYPE html>
<html lang="es-HN">
<head>
{charset_meta(page)}
{title_tag(page)}
<meta name="description" content="{attr(a.summary)}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{attr(a.title)}">
{jsonld_script(page)}
</head>
<body>
<div id="wrapper">
<header><div class="logo"><a href="/">{esc(o.name)}</a></div><div class="ciudad">Tegucigalpa, Honduras</div>
{nav_html(o, "menu")}</header>
{ad_html(page, 0, "anuncio")}
<section class="contenido">
<div class="nota-detalle">
<h1 class="titular">{esc(a.title)}</h1>
{byline}
<div class="fecha">{dateline_html(page, "publicado")}</div>
{listen_html(page, "lector-voz")}
<div class="texto">
{body_html(page)}
</div>
{credit}
<div class="premium">Lea el análisis completo:
{trap_html(page, "Análisis: la seguridad regional tras la visita de Kast")}</div>
{fact_html(page, "caja-fact")}
{share_html(page, "compartir-redes")}
</div>
<div class="mas-noticias">{related_html(page, "relacionadas", "h2")}</div>
{ad_html(page, 1, "anuncio")}
{comments_html(page, "comentarios")}
{newsletter_html(page, "boletin")}
</section>
{footer_html(o, "pie")}
</div>
</body>
</html>
"""


def acn_es(page: Page) -> str:
    a, o = page.art, page.outlet
    return f"""<!DOCTYPE html>
<html lang="es">
<head>
{charset_meta(page)}
{title_tag(page)}
{og_meta(page, with_times=True)}
<link rel="canonical" href="{attr(page.url)}">
{jsonld_script(page)}
</head>
<body class="acn acn-es">
<header class="acn-header"><a class="acn-logo" href="/">ACN</a> <span>{esc(o.name)} - Servicio en español</span>
{nav_html(o, "acn-nav")} {trap_html(page, "Área de clientes")}</header>
<div class="acn-layout">
<article class="story">
<h1 class="story-headline">{esc(a.title)}</h1>
<div class="story-byline">Por <span class="byline-name">{esc(byline_names(a.authors, "es"))}</span></div>
<div class="story-timestamp">{dateline_html(page, "ts")}</div>
{listen_html(page, "story-audio")}
<div class="story-body">
{body_html(page, "story-p")}
</div>
<p class="story-footer">(Editado por la mesa de América Latina de ACN)</p>
{fact_html(page, "story-factcheck")}
{share_html(page, "story-share")}
</article>
<aside class="rail">{ad_html(page, 0, "acn-ad")}{related_html(page, "rail-related")}
{newsletter_html(page, "rail-newsletter")}</aside>
</div>
{ad_html(page, 1, "acn-ad")}
{comments_html(page, "story-comments")}
{footer_html(o, "acn-footer")}
</body>
</html>
"""


def acn_en(page: Page) -> str:
    a, o = page.art, page.outlet
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{charset_meta(page)}
{title_tag(page)}
{og_meta(page, with_times=False)}
<link rel="canonical" href="{attr(page.url)}">
{jsonld_script(page)}
</head>
<body class="acn acn-en">
<header class="acn-header"><a class="acn-logo" href="/">ACN</a> <span>{esc(o.name)}</span>
{nav_html(o, "acn-nav")} {trap_html(page, "Client login")}</header>
<div class="acn-layout">
<article class="story">
<h1 class="story-headline">{esc(a.title)}</h1>
<div class="story-byline">By <span class="byline-name">{esc(byline_names(a.authors, "en"))}</span></div>
<div class="story-timestamp">{dateline_html(page, "ts")}</div>
{listen_html(page, "story-audio")}
{share_html(page, "story-share")}
<div class="story-body">
{body_html(page, "story-p")}
</div>
<p class="story-footer">(Reporting by ACN correspondents; editing by the Americas desk)</p>
{fact_html(page, "story-factcheck")}
</article>
<aside class="rail">{related_html(page, "rail-related")}{ad_html(page, 0, "acn-ad")}</aside>
</div>
{newsletter_html(page, "newsletter")}
{ad_html(page, 1, "acn-ad")}
{comments_html(page, "story-comments")}
{footer_html(o, "acn-footer")}
</body>
</html>
"""


def ledger(page: Page) -> str:
    a, o = page.art, page.outlet
    updated = ""
    if a.modified:
        updated = f' <span class="updated">Updated {esc(visible_date(o, a.modified))}</span>'
    published = dateline_html(page, "published")
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
{charset_meta(page)}
{title_tag(page)}
<meta name="description" content="{attr(a.summary)}">
{og_meta(page, with_times=True)}
<meta name="byl" content="By {attr(byline_names(a.authors, "en"))}">
<link rel="canonical" href="{attr(page.url)}">
</head>
<body class="story-page">
<a class="skip" href="#story">Skip to content</a>
<header class="ledger-masthead"><div class="ledger-logo"><a href="/">{esc(o.name)}</a></div>
{nav_html(o, "ledger-nav")}<form action="/search" class="search"><input name="q"></form></header>
{ad_html(page, 0, "ad-leaderboard")}
<main id="story">
<header class="story-header">
<p class="section-label">{esc(o.sections.get(a.section, ""))}</p>
<h1 data-testid="headline">{esc(a.title)}</h1>
<p class="dek">{esc(a.summary)}</p>
<p class="byline">By <span class="author">{esc(byline_names(a.authors, "en"))}</span></p>
<p class="timestamp">{"Published " + published if published else ""}{updated}</p>
</header>
{listen_html(page, "audio-player")}
{share_html(page, "share-bar")}
<section class="story-body" name="articleBody">
{body_html(page)}
</section>
{fact_html(page, "fact-checker")}
<p class="more">More coverage: {trap_html(page, "Search: Bukele prison")}</p>
{related_html(page, "related-links", "h2")}
{newsletter_html(page, "newsletter-signup")}
{ad_html(page, 1, "ad-box")}
{comments_html(page, "comments")}
</main>
{footer_html(o, "ledger-footer")}
</body>
</html>
"""


ARTICLE_TEMPLATES: dict[str, Callable[[Page], str]] = {
    "diario-cordillera": cordillera,
    "el-faro-del-sur": faro,
    "prensa-cuscatleca": cuscatleca,
    "diario-tiquicia": tiquicia,
    "diario-morazanico": morazanico,
    "agencia-continental": acn_es,
    "acn-english": acn_en,
    "harbor-ledger": ledger,
}


def render_article(page: Page) -> str:
    return ARTICLE_TEMPLATES[page.outlet.id](page)


# ---------------------------------------------------------------------------------------------------------
# listing pages (home, sections), simple pages
# ---------------------------------------------------------------------------------------------------------


def listing_page(outlet: Outlet, heading: str, items: list[tuple[str, str, str]], extra: str = "") -> str:
    """items: (url, headline, summary)."""
    lis = "\n".join(
        f'<li class="teaser"><h2><a href="{attr(u)}">{esc(t)}</a></h2><p>{esc(s)}</p></li>' for u, t, s in items
    )
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}">
<head><meta charset="utf-8"><title>{esc(heading)} | {esc(outlet.name)}</title></head>
<body>
<header><a href="/">{esc(outlet.name)}</a>{nav_html(outlet, "nav")}</header>
<main><h1>{esc(heading)}</h1>
<ul class="teasers">
{lis}
</ul>
{extra}
</main>
{footer_html(outlet, "footer")}
</body>
</html>
"""


def bare_article(page: Page) -> str:
    """An outlet's article after a careless relaunch: body paragraphs only, no title markup, date or byline."""
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in page.art.body)
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>'
        f'<div class="c">\n{paragraphs}\n</div></body></html>\n'
    )


def simple_page(title: str, text: str, lang: str = "es") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title></head>'
        f"<body><h1>{esc(title)}</h1><p>{esc(text)}</p></body></html>\n"
    )
