"""Authors as a clean list of names, from structured data first and the visible byline last.

Order of trust: JSON-LD ``author``/``creator``, author meta tags, ``rel=author``/``itemprop=author`` markup,
links to author pages, then the visible byline (elements whose class names the author, "Autor: Name" label
pairs, "By Name" lines, a bold name alone at the start or end of the article). A source that only names
the outlet itself does not stop the search: a later source naming people wins, and the outlet is returned
only when nobody else is named.
"""

from __future__ import annotations

import re
from typing import Any

from .page import Page
from .sitename import GENERIC_SECTIONS, is_site_part, norm_space, site_keys, squash

# "By", "Analysis by", and guest-author credits ("Gastbeitrag von", "Tribune de", "Column van"...).
_BY_PREFIX = re.compile(
    r"^\s*((?:news |an )?analysis by|commentary by|opinion by|column by|reviewed by|review by|story by|words by|"
    r"interview by|guest (?:post|column|article|essay|commentary|contribution|author|contributor|writer)(?: by)?|"
    r"(?:ein )?gast(?:beitrag|kommentar|kolumne|autor|autorin)(?: von)?|(?:une )?tribune de|un article de|"
    r"(?:une )?chronique de|(?:una )?tribuna de|(?:un )?art[ií]culo de opini[oó]n de|(?:un )?texto de|"
    r"(?:un )?articolo di|(?:un )?intervento di|(?:um )?artigo de|opini[aã]o de|(?:gast)?column van|"
    r"gastbijdrage van|gästkrönika av|gjesteinnlegg av|"
    r"by|von|por|par|di|door|av|af|de|text|texto|autor(in)?|author|written by|reporting by|escrito por|"
    r"redacción|redaccion|fotos?|photos?)\s*[:\-]?\s+",
    re.IGNORECASE,
)
# Between two names: punctuation, "&", or a conjunction between spaces; one-letter conjunctions only in lower
# case, so an initial ("Jane E. Doe", "Anna I. Petrova") is not read as "and".
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|、|/|\s&\s|\s\+\s)\s*|\s+(?:(?i:and|und|et)|y|e|og|och|en|i)\s+")
# Academic and professional credentials after a name ("Jane Doe, PhD", "John Smith MD").
_CREDENTIAL = re.compile(r"(?:,?\s+|^)(?:Ph\.?\s?D|M\.?D|MBA|MPH|DVM|DDS|Esq|FACP|FRCP|MSc|LL\.?M)\.?$")
# Job nouns of newsroom staff, in the languages of our outlets: alone they are no name ("Redakteur"), after up
# to three words they are a job title ("Senior Political Correspondent"), never a person.
_JOB_NOUNS = (
    "reporter|reporterin|correspondent|korrespondent|korrespondentin|corresponsal|correspondante|corrispondente|"
    "editor|editora|redakteur|redakteurin|rédacteur|rédactrice|redactor|redactora|writer|columnist|columnista|"
    "journalist|journaliste|periodista|giornalista|contributor|colaborador|colaboradora|producer|photographer|"
    "analyst|critic"
)
_JOB_TITLE = re.compile(rf"^(?:[\w-]+\s+){{0,3}}(?:{_JOB_NOUNS})s?(?:-at-large)?$", re.IGNORECASE)
_ROLE_CUT = re.compile(r"\s*\|\s*.*$|\s+[-–—]\s+.*$|\s*\(.*?\)\s*")
_NOT_A_NAME = re.compile(r"https?://|www\.|\S@\S|\d{3,}", re.IGNORECASE)
_CJK_ROLE = re.compile(r"\s*(기자|특파원|記者|特派員|记者)$")
_ROLE_WORDS = re.compile(
    rf"^({_JOB_NOUNS}|redacción|staff|staff writer|enviado especial|enviada especial|agencias?|agency|admin|"
    r"administrator|follow|twitter|facebook|instagram|linkedin|e-?mail|mail)$",
    re.IGNORECASE,
)
_SOCIAL_WORDS = re.compile(r"^(twitter|facebook|instagram|linkedin|x|whatsapp|e-?mail|follow)$", re.IGNORECASE)
# A person's name: 2-5 words, each starting with a capital (any script with case), or a single word in a
# script without case (CJK, Thai...).
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")
_CASELESS = re.compile(r"^[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{2,12}$")
_META_AUTHOR_KEYS = (
    "author",
    "article:author",
    "og:article:author",
    "article:byline",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
    "dcterms.creator",
    "twitter:misc:written by",
)
_WRITTEN_BY_LABEL = re.compile(r"^(written by|author|autor|auteur|autore|by)$", re.IGNORECASE)
_ADMIN_ACCOUNT = re.compile(r"/(author|autor)/admin/?$")
_BYLINE_ATTR = re.compile(r"\b(author|autor|autora|byline|firma|verfasser|auteur|autore|writer)", re.IGNORECASE)
_BYLINE_SKIP = re.compile(r"comment|coment|avatar|bio|box|date|time", re.IGNORECASE)
_LABEL = (
    r"autor(?:in)?(?:\s*/\s*autor(?:in)?)?|autores|author|authors|auteur|autore|by|von|por|par|text|texto|"
    r"reporter|written by|escrito por|verfasser|journalist|责编|编辑|作者|记者|撰文"
)
_LABEL_ONLY = re.compile(rf"^\W*({_LABEL})\s*[:：]?\W*$", re.IGNORECASE)
_LABELLED = re.compile(rf"^\W*({_LABEL})\s*[:：]\s*(.{{2,80}}?)\W*$", re.IGNORECASE)
# Interface text around a byline: "View all posts by Jane Doe" names Jane Doe; "Weitere Informationen" or
# "Alle Artikel" name nobody. Multilingual phrases of author boxes and archive links, never site-specific.
_INTERFACE_PREFIX = re.compile(
    r"^(?:(?:view|see|show|read) (?:all|more) (?:posts|articles|stories|entries) (?:by|from)|"
    r"(?:all|more) (?:posts|articles|stories|entries) (?:by|from)|(?:posts|articles|stories) by|more from|"
    r"zeige alle (?:beiträge|artikel) von|alle (?:beiträge|artikel) von|weitere (?:beiträge|artikel) von|"
    r"mehr (?:beiträge |artikel )?von|(?:beiträge|artikel) von|"
    r"ver (?:todas las|todos los) (?:entradas|artículos|posts) de|(?:todas las|todos los) (?:entradas|artículos) de|"
    r"más (?:artículos|entradas) de|voir tous les articles de|tous les articles de|plus d'articles de|"
    r"(?:visualizza )?tutti gli articoli di|altri articoli di|ver todos os (?:posts|artigos) de|"
    r"todos os (?:posts|artigos) de|mais (?:artigos|posts) de)\s+",
    re.IGNORECASE,
)
_INTERFACE_TEXT = re.compile(
    r"^(?:weitere informationen|mehr informationen|alle artikel|alle beiträge|mehr erfahren|mehr lesen|"
    r"more information|more info|read more|learn more|view (?:all )?(?:posts|articles|profile)|"
    r"all (?:posts|articles|stories)|author profile|author page|autorenprofil|autorenseite|profil|profile|"
    r"about(?: the author)?|über (?:den|die) autor(?:in)?|más información|ver más|leer más|voir plus|"
    r"en savoir plus|leggi (?:di più|tutto)|saiba mais|contact|kontakt|contacto|website|homepage|bio|"
    r"biography|biografie|biografía|subscribe|abonnieren|newsletter|anonymous|anonym|unknown|guest|gast)$",
    re.IGNORECASE,
)
# A CMS account or theme credit rather than a person: one token naming an account ("wordpressadmin",
# "webmaster") or written in CamelCase ("ThemeGrill", "WordPress").
_ACCOUNT_WORDS = re.compile(r"admin|wordpress|webmaster|theme|editorial|user\d*$|^root$|^sysop$", re.IGNORECASE)
_CAMEL_CASE = re.compile(r"^[A-Z][a-z]+(?:[A-Z][a-z]+)+$")


def _interface_or_account(name: str) -> bool:
    """Interface text or a CMS account / theme name, never a person's byline."""
    if _INTERFACE_TEXT.match(name) or squash(name) in GENERIC_SECTIONS:
        return True  # interface text, or a section name ("Nachrichten", "Politik") in the author field
    if " " in name.strip():
        return False
    return bool(_ACCOUNT_WORDS.search(name) or (_CAMEL_CASE.match(name) and not name.startswith(("Mc", "Mac"))))


_BY_LINE = re.compile(r"^\s*(by|von|por|par)\s+([^\W\d_].{1,60}?)[\s,.;|]*$", re.IGNORECASE)


def person_like(name: str) -> bool:
    """Looks like a person's name (not an outlet, agency code or phrase)."""
    if _CASELESS.match(name):
        return True
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    return all(_NAME_WORD.match(w) and (w[0].isupper() or w.lower() in _PARTICLES) for w in words)


_PARTICLES = frozenset(
    {"de", "da", "del", "della", "di", "do", "dos", "das", "van", "von", "der", "den", "le", "la", "bin", "ibn", "al"}
)


def _flatten(value: Any, depth: int = 0) -> list[Any]:
    if depth > 3:
        return []
    if isinstance(value, list):
        return [item for v in value for item in _flatten(v, depth + 1)]
    return [value]


def _ld_names(value: Any) -> list[str]:
    """Names of JSON-LD ``author`` values: strings, Person/Organization objects, nested lists. Accounts that
    are the CMS administrator (``/author/admin/``) are not a byline."""
    names: list[str] = []
    for item in _flatten(value):
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            ref = str(item.get("@id") or item.get("url") or "")
            if _ADMIN_ACCOUNT.search(ref):
                continue
            name = item.get("name")
            if isinstance(name, list):
                name = " ".join(str(n) for n in name)
            if not name and (item.get("givenName") or item.get("familyName")):
                name = f"{item.get('givenName', '')} {item.get('familyName', '')}"
            if isinstance(name, str):
                names.append(name)
    return names


def clean_authors(raw_names: list[str], keys: list[str], visible: bool = False) -> list[str]:
    """Split multi-author strings, strip "By"/roles/emails, drop non-names, dedupe (case-insensitive).

    A credit naming only the outlet and an agency ("Le Figaro et AFP") is kept whole; a string listing the
    outlet with its address ("hessenschau.de, Frankfurt, Germany") keeps only the outlet.
    """
    out: list[str] = []
    seen: set[str] = set()
    for raw in [seg.strip() for value in raw_names for seg in (norm_space(value) or "").split(";")]:
        if _NOT_A_NAME.search(raw) and not re.search(r"\s", raw.split("@")[0]):
            continue
        raw = _BY_PREFIX.sub("", _INTERFACE_PREFIX.sub("", raw))
        parts = []
        credits = []  # job titles naming the outlet ("Guardian staff reporter"): its credit when nobody is named
        for part in _AUTHOR_SPLIT.split(raw):
            name = _CJK_ROLE.sub("", _BY_PREFIX.sub("", _ROLE_CUT.sub("", part)).strip(" ,:;-–—|"))
            name = _CREDENTIAL.sub("", name).strip(" .,:;-–—|")
            if not name or len(name) < 2 or len(name) > 60 or len(name.split()) > 6:
                continue
            if _NOT_A_NAME.search(name) or _ROLE_WORDS.match(name) or _interface_or_account(name):
                continue
            if _JOB_TITLE.match(name):
                if any(squash(w) in keys for w in re.split(r"[\s-]+", name)):
                    credits.append(name)
                continue
            if visible and ((name == name.lower() and name != name.upper()) or re.search(r"\d", name)):
                continue
            parts.append(name)
        parts = parts or credits
        if (
            len(parts) > 1
            and any(is_site_part(p, keys) for p in parts)
            and not any(person_like(p) and not is_site_part(p, keys) for p in parts)
        ):
            whole = _ROLE_CUT.sub("", raw).strip(" .,:;-–—|")
            parts = [whole] if "," not in raw and len(whole) <= 60 else [p for p in parts if is_site_part(p, keys)]
        for name in parts:
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                out.append(name)
    return out


def _meta_names(page: Page) -> list[str]:
    names: list[str] = []
    for key in _META_AUTHOR_KEYS:
        names.extend(page.meta_values(key))
    for i in range(1, 5):  # twitter:label1 "Written by" / twitter:data1 "Jane Doe"
        label = page.meta_first(f"twitter:label{i}")
        if label and _WRITTEN_BY_LABEL.match(label.strip()):
            names.extend(page.meta_values(f"twitter:data{i}")[:1])
    return names


# Boxes of other articles (related, recommended, most read...): their bylines are not this page's.
_RELATED_BOX = (
    "ancestor::aside or ancestor::nav or ancestor::footer or ancestor::*[@class and ("
    "contains(@class, 'related') or contains(@class, 'recommend') or contains(@class, 'teaser')"
    " or contains(@class, 'more-') or contains(@class, 'most-') or contains(@class, 'popular')"
    " or contains(@class, 'trending') or contains(@class, 'read-next') or contains(@class, 'also-'))]"
)


def _in_related_box(el: Any) -> bool:
    return bool(el.xpath(_RELATED_BOX))


def _markup_names(page: Page) -> list[str]:
    out: list[str] = []
    for el in page.tree.xpath('//*[@rel="author" or @itemprop="author"]')[:12]:
        if _ADMIN_ACCOUNT.search(el.get("href") or "") or _in_related_box(el):
            continue
        if len(out) >= 6:
            break
        name_el = el.xpath('.//*[@itemprop="name"]')
        out.append(name_el[0].get("content") or name_el[0].text_content() if name_el else el.text_content())
    return out


def _author_links(page: Page) -> list[str]:
    """Names linked to an author page (``/author/jane-doe``), a common byline markup."""
    xpath = (
        '//a[contains(@href, "/author/") or contains(@href, "/authors/") or contains(@href, "/autor/")'
        ' or contains(@href, "/autoren/") or contains(@href, "/autores/") or contains(@href, "/auteur/")'
        ' or contains(@href, "/journalist/") or contains(@href, "/journalists/")]'
    )
    links = [el for el in page.tree.xpath(xpath)[:12] if not _ADMIN_ACCOUNT.search(el.get("href", ""))]
    return [el.text_content() for el in links if not _in_related_box(el)][:6]


def _visible_byline(page: Page) -> list[str]:
    """Author names from a visible byline element (class/id naming the author), short texts only."""
    out: list[str] = []
    xpath = "//*[self::span or self::div or self::p or self::a or self::address or self::li][@class or @id]"
    for el in page.tree.xpath(xpath):
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if not _BYLINE_ATTR.search(attrs) or _BYLINE_SKIP.search(attrs):
            continue
        text = norm_space(el.text_content())
        if text and 3 <= len(text) <= 100:
            out.append(text)
        if len(out) >= 3:
            break
    return out


def _in_teaser(el: Any) -> bool:
    """Inside a link, aside, nav or footer: a teaser of another article, not this one's byline."""
    return bool(el.xpath("ancestor::a or ancestor::aside or ancestor::nav or ancestor::footer"))


def _labelled_byline(page: Page) -> list[str]:
    """ "Autor: Jane Doe", "<strong>Autorin/Autor</strong> Jane Doe", "(责编：牛镛、岳弘彬)", "By Jane Doe"."""
    body = page.tree.find("body")
    if body is None:
        return []
    out: list[str] = []
    for el in body.iter("strong", "b", "dt", "span", "em", "small", "p", "div", "li", "th", "td"):
        own = " ".join((el.text or "").split())
        if not own or len(own) > 90:
            continue
        if _LABEL_ONLY.match(own) and len(el) == 0:
            follow = norm_space(el.tail)
            if not follow:
                nxt = el.getnext()
                follow = norm_space(nxt.text_content()) if nxt is not None else None
            if follow and len(follow) <= 80 and not _in_teaser(el):
                out.append(follow)
        else:
            match = _LABELLED.match(own) if len(el) == 0 else None
            by_line = None if match else _BY_LINE.match(own)
            if by_line and by_line.group(1).lower() == "von" and not _names_people(by_line.group(2)):
                by_line = None  # "Von München bis Aachen": a German kicker, not a byline
            match = match or by_line
            if match and not _in_teaser(el):
                out.append(match.group(2))
        if len(out) >= 3:
            break
    return out


def _names_people(text: str) -> bool:
    """A "Von ..." line starts with a person's name ("Von Anna Schmidt, Berlin"), not a place or a phrase."""
    names = [n for n in _AUTHOR_SPLIT.split(text.strip(" .,;|")) if n]
    return bool(names) and (person_like(names[0]) or (names[0].isupper() and 2 <= len(names[0].split()) <= 4))


def _bold_name_paragraphs(page: Page) -> list[str]:
    """A paragraph that is only a bold name, among the first three or the last paragraph of a run of
    paragraphs (the signature line of many outlets: ``<p><strong>Jane Doe</strong></p>``)."""
    out: list[str] = []
    for el in page.tree.xpath("//p[strong or b][count(*) = 1]"):
        text = norm_space(el.text_content())
        child = el[0]
        if not text or len(text) > 60 or norm_space(child.text_content()) != text:
            continue
        names = [n.strip() for n in re.split(r"\s*/\s*|\s+(?:and|&)\s+", text)]
        if not all(person_like(n) or (n.isupper() and 2 <= len(n.split()) <= 4) for n in names):
            continue
        parent = el.getparent()
        if parent is None:
            continue
        siblings = [p for p in parent.iterchildren("p") if (p.text_content() or "").strip()]
        if el in siblings[:3] or (len(siblings) >= 3 and el is siblings[-1]):
            out.append(text)
        if len(out) >= 2:
            break
    return out


_DOMAIN_IN_PARENS = re.compile(r"^(.*?)\s*\((?:https?://)?(?:www\.)?([\w-]+)\.[\w.]{2,}[^)]*\)\s*$")


def _outlet_aliases(page: Page, raw_names: list[str], keys: list[str]) -> list[str]:
    """Names that stand for the outlet, learnt from the page: a credit with the outlet's own domain in
    brackets ("Deutsche Welle (www.dw.com)"), and the display name of the CMS administrator account (a link
    to ``/author/admin/``), so they count as the outlet and not as a person."""
    admin_links = page.tree.xpath('//a[contains(@href, "/admin")]')[:5]
    extra = [squash(el.text_content()) for el in admin_links if _ADMIN_ACCOUNT.search(el.get("href", ""))]
    for raw in raw_names:
        match = _DOMAIN_IN_PARENS.match(norm_space(raw) or "")
        if match and match.group(1) and squash(match.group(2)) in keys:
            extra.append(squash(match.group(1)))
    return keys + [k for k in extra if k and k not in keys]


def authors(page: Page, site: str | None = None) -> list[str]:
    """Authors of the page (see the module docstring for the order)."""
    ld_raw: list[str] = []
    if page.article_ld is not None:
        ld_raw = _ld_names(page.article_ld.get("author")) + _ld_names(page.article_ld.get("creator"))
    meta_raw = _meta_names(page)
    keys = _outlet_aliases(page, ld_raw + meta_raw, site_keys(page, site))
    markup: list[str] | None = None
    found: list[str] = []
    # sources are read lazily: most pages name their authors in JSON-LD or meta tags
    for source in ("ld", "meta", "markup", "links"):
        if source == "ld":
            names = clean_authors(ld_raw, keys)
        elif source == "meta":
            names = clean_authors(meta_raw, keys)
        elif source == "markup":
            names = markup = clean_authors(_markup_names(page), keys)
        else:
            names = clean_authors(_author_links(page), keys)
        if not names:
            continue
        if not all(is_site_part(name, keys) for name in names):
            if source in ("ld", "meta"):
                if markup is None:
                    markup = clean_authors(_markup_names(page), keys)
                return _with_confirmed(names, markup, keys)
            return names
        found = found or names  # only the outlet: keep looking for people
    for visible in (_visible_byline(page), _labelled_byline(page), _bold_name_paragraphs(page)):
        people = [
            n for n in clean_authors(visible, keys, visible=True) if not is_site_part(n, keys) and _plausible(n, found)
        ]
        if people:
            return people
    return found


def _plausible(name: str, found: list[str]) -> bool:
    """A visible-byline name may replace an outlet-only credit only when it looks like a person."""
    if _SOCIAL_WORDS.match(name) or all(_SOCIAL_WORDS.match(w) for w in name.split()):
        return False
    return person_like(name) or (name.isupper() and len(name.split()) >= 2) or not found


def _with_confirmed(names: list[str], markup: list[str], keys: list[str]) -> list[str]:
    """Add the people the byline markup (``rel=author``/``itemprop=author``) names alongside at least one of
    ``names`` (a JSON-LD ``author`` that lists only the first of two bylined authors)."""
    out = list(names)
    have = {n.casefold() for n in out}
    if markup and any(n.casefold() in have for n in markup):
        for n in markup:
            if n.casefold() not in have and person_like(n) and not is_site_part(n, keys):
                have.add(n.casefold())
                out.append(n)
    return out
