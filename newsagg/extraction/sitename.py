"""The outlet's own name, in every spelling a page uses for it, so titles and bylines can drop it.

A page names its outlet in ``og:site_name``, the JSON-LD publisher, the host name ("de.euronews.com" ->
"euronews") and in title suffixes ("| Daily Mail Online", "- n-tv.de", "：朝日新聞デジタル"). Matching is
done on squashed text (lower case, letters and digits only) and never lets a short key match inside a word:
"br" (br.de) must not make "Missbrauch" a site name.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any
from urllib.parse import urlsplit

from .page import Page

_WS = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SQUASH = re.compile(r"[\W_]+")
# second-level labels under which a registered name sits ("bbc.co.uk", "abc.net.au")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "or", "ne", "go", "edu", "gob", "nic"})
# government second levels of country domains ("www.interieur.gouv.fr", "www.bag.admin.ch", "www.bmi.bund.de"):
# only under a two-letter country code, where the label is the government's and the one before it the office's
_GOVERNMENT_LEVEL = frozenset({"gouv", "govt", "gv", "admin", "bund", "gc", "mil", "gub"})
_HOST_PREFIXES = ("www.", "www1.", "www2.", "amp.", "m.", "mobile.", "edition.")
_GENERIC_SUFFIXES = (
    "online", "news", "digital", "web", "com", "de", "net", "newspaper", "official", "nachrichten", "noticias", "haber",
)  # fmt: skip

# Section names common enough to recognise without the page naming them (only removed next to the outlet:
# "Headline - National | Globalnews.ca", "Headline | Europa | DW"), and never an author.
GENERIC_SECTIONS = frozenset(
    """news nachrichten noticias actualites notizie nieuws nyheter uutiset wiadomosci home startseite inicio live
    opinion meinung sport sports politics politik world welt national local lokales business wirtschaft economia
    entertainment lifestyle tech technology science health culture kultur panorama europa europe international
    inland ausland""".split()
)


def norm_space(text: Any) -> str | None:
    """Unescaped entities, no soft hyphens / zero-width characters, single spaces; ``None`` when empty."""
    if not isinstance(text, str):
        return None
    text = html_lib.unescape(text)
    if "&" in text:  # double-escaped ("&amp;quot;") in some CMS output
        text = html_lib.unescape(text)
    text = _WS.sub(" ", _INVISIBLE.sub("", text)).strip()
    return text or None


def squash(text: str) -> str:
    return _SQUASH.sub("", text.lower())


def host_key(url: str) -> str:
    host = urlsplit(url).hostname or ""
    for prefix in _HOST_PREFIXES:
        host = host.removeprefix(prefix)
    return host


def registered_name(host: str) -> str:
    """``"de.euronews.com"`` -> ``"euronews"``, ``"www.bbc.co.uk"`` -> ``"bbc"``."""
    labels = [label for label in host.split(".") if label]
    if len(labels) >= 3 and (labels[-2] in _SECOND_LEVEL or (labels[-2] in _GOVERNMENT_LEVEL and len(labels[-1]) == 2)):
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


def site_name(page: Page) -> str | None:
    name = norm_space(page.meta_first("og:site_name", "application-name", "al:android:app_name"))
    if name and not name.lower().startswith(("http://", "https://")):
        return name
    publisher = page.ld("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    if isinstance(publisher, dict) and norm_space(publisher.get("name")):
        return norm_space(publisher.get("name"))
    for obj in page.jsonld:
        types = obj.get("@type")
        if isinstance(types, str) and types.lower() == "website" and norm_space(obj.get("name")):
            return norm_space(obj.get("name"))
    return name


# The separator between an outlet's name and its tagline ("Kyiv Post — Ukraine's Global Voice").
_TAGLINE_SEPARATOR = re.compile(r"\s+[|\-–—·•‹›]\s+|\s*[|｜]\s*|(?<=\w):\s+")
_MINOR_WORDS = frozenset({"the", "of", "and", "for", "der", "die", "das", "la", "le", "el", "de", "di", "del"})


def _raw_site_names(page: Page, site: str | None) -> list[str]:
    raw: list[str] = []
    if site:
        raw.append(site)
        raw.append(site.removeprefix("https://").removeprefix("http://").removeprefix("www."))
    for key in ("og:site_name", "application-name", "twitter:site", "al:android:app_name", "al:ios:app_name"):
        raw.extend(page.meta_values(key)[:1])
    publisher = page.ld("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
        raw.append(publisher["name"])
    # a headline in a site-name field (application-name = the article's title on some CMSs) names no outlet
    title_el = page.tree.find(".//title")
    headlines = [
        squash(h) for h in (page.meta_first("og:title"), title_el.text_content() if title_el is not None else None) if h
    ]
    out = []
    for value in (norm_space(r) for r in raw):
        if value and not ((len(squash(value)) > 20 or len(value.split()) >= 3) and squash(value) in headlines):
            out.append(value)
    return out


def full_site_names(page: Page, site: str | None) -> set[str]:
    """Squashed site names that carry a tagline ("Outlet – The Voice of the Valley"): a title suffix or
    prefix spelling the whole of one is the outlet, though its tagline segment names nothing by itself."""
    return {
        squash(value)
        for value in _raw_site_names(page, site)
        if _TAGLINE_SEPARATOR.search(value) and len(value) <= 120 and squash(value)
    }


def initials(name: str) -> str:
    """``"The New York Times"`` -> ``"nyt"``: first letters of the capitalised words (``""`` for one word)."""
    words = [w for w in _WORD.findall(name) if w.lower() not in _MINOR_WORDS]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


def site_keys(page: Page, site: str | None) -> list[str]:
    """Squashed spellings of the outlet's name (site name, publisher, host, registered domain name): a name
    with a tagline also by its name segment alone, a name of several words also by its initials."""
    raw = _raw_site_names(page, site)
    for value in list(raw):
        segments = _TAGLINE_SEPARATOR.split(value)
        if len(segments) > 1 and 0 < len(segments[0].split()) <= 4:
            raw.append(segments[0])
    for value in list(raw):
        if len(value.split()) <= 6 and initials(value):
            raw.append(initials(value))
    host = host_key(page.url)
    if host:
        raw.append(host)
        raw.append(registered_name(host))
    keys: list[str] = []
    for value in raw:
        if len(value.split()) > 6:  # a headline in a site-name field
            continue
        key = squash(value.lstrip("@"))
        if key.startswith("the") and len(key) > 6:
            keys.append(key[3:])
        keys.append(key)
    out: list[str] = []
    for key in keys:
        if 2 <= len(key) <= 40 and key not in out:
            out.append(key)
    return out


def is_host_initials(part: str, host_name: str) -> bool:
    """``part`` is the outlet's name written as initials of its host name: "NYT" for nytimes.com, "SVT"
    for svt.se's longer siblings. Capitals only (2-5 letters), starting with the host name's first letter,
    each letter found in order in the host name."""
    text = part.strip()
    if not (2 <= len(text) <= 5 and text.isalpha() and text.isupper()) or not host_name:
        return False
    letters, name = text.lower(), host_name.lower()
    if letters[0] != name[0] or len(name) < len(letters) + 2:
        return False
    pos = 0
    for letter in letters:
        pos = name.find(letter, pos)
        if pos < 0:
            return False
        pos += 1
    return True


_WORD = re.compile(r"\w+")


def is_site_part(part: str, keys: list[str]) -> bool:
    """``part`` of a title / byline names the outlet: a run of its words spells a key and what is left is a
    generic word or a short one ("Mirror Online", "Globalnews.ca", "Daily Mail Online" for "Mail Online").
    Whole words only: the key "bild" does not make "Bildung" a site name."""
    words = _WORD.findall(part.lower().replace("_", " "))
    if not words:
        return True
    squashed = "".join(words)
    for key in keys:
        if squashed == key or (len(squashed) >= 4 and squashed in key and len(squashed) * 2 >= len(key)):
            return True
        if len(key) < 3:
            continue
        for i in range(len(words)):
            joined = ""
            for j in range(i, len(words)):
                joined += words[j]
                if len(joined) >= len(key):
                    break
            if joined != key:
                continue
            rest = words[:i] + words[j + 1 :]
            rest_len = sum(len(w) for w in rest)
            if all(w in _GENERIC_SUFFIXES or len(w) <= 3 for w in rest) or (
                len(rest) == 1 and rest_len * 2 <= len(key)
            ):
                return True
    return False
