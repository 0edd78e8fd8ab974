"""Bytes -> text, robust to missing, wrong and unknown charset labels.

Order of trust: a byte-order mark, then the HTTP header charset, then the ``<meta>`` charset, then UTF-8.
A label is only believed when the bytes decode cleanly under it; a page that is UTF-8 but for a few stray
bytes stays UTF-8 (U+FFFD for those bytes), cp1252/latin-1 is used only when the bytes are not UTF-8;
mislabeled pages (latin-1 bytes served as
UTF-8, UTF-8 bytes labelled ISO-8859-1) are detected and reported as a warning. Never raises.
"""

from __future__ import annotations

import codecs
import re

MAX_CHARS = 5_000_000

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE | re.DOTALL)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: these labels mean windows-1252 in browsers, and real pages rely on it.
_WHATWG_ALIASES = {"latin1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-15": "iso8859-15"}
_NON_ASCII_UTF8 = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def normalize_charset(label: str | None) -> str | None:
    """Python codec name of a charset label (``None`` for unknown labels)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except (LookupError, ValueError):
        return None
    return _WHATWG_ALIASES.get(name, name)


def sniff_meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:8192])
    return match.group(1).decode("ascii", "ignore") if match else None


def looks_binary(data: bytes) -> bool:
    """True for bytes that are clearly not a text document (images, PDFs, archives...)."""
    head = data[:2048]
    if not head:
        return False
    if head.startswith((b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")):
        return True
    if any(head.startswith(bom) for bom, _ in _BOMS[1:]):
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls / len(head) > 0.05


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional dependency
        return None
    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is None:
        return None
    # Browsers fall back to windows-1252 for legacy pages (WHATWG); when the detector finds it plausible too,
    # trust it over a near-tie such as cp1250, which turns "mañana" into "mańana".
    plausible = {normalize_charset(m.encoding) for m in matches}
    return "cp1252" if "cp1252" in plausible else normalize_charset(best.encoding)


def mostly_utf8(data: bytes) -> bool:
    """True for bytes that are UTF-8 apart from a few stray invalid bytes.

    A page assembled from UTF-8 parts with one mis-encoded snippet (an ad, a cut multi-byte character)
    carries hundreds of valid multi-byte sequences and a handful of invalid bytes; a cp1252/latin-1 page
    carries almost no valid sequences (its "ä" is a lone byte). Decoding such a page as cp1252 would break
    every non-ASCII character to save four."""
    valid = len(_NON_ASCII_UTF8.findall(data))
    if valid < 3:
        return False
    invalid = data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")
    return invalid <= max(4, valid // 20)


def decode_html(data: bytes | str, header_charset: str | None = None) -> tuple[str, str | None, list[str]]:
    """Decode a page. Returns ``(text, codec used or None for str input, warnings)``."""
    warnings: list[str] = []
    if isinstance(data, str):
        return data, None, warnings
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec, warnings

    header = normalize_charset(header_charset)
    if header_charset and header is None:
        warnings.append(f"unknown charset in header: {header_charset!r}")
    meta_label = sniff_meta_charset(data)
    meta = normalize_charset(meta_label)
    if meta_label and meta is None:
        warnings.append(f"unknown charset in meta: {meta_label!r}")
    # a page cannot really be UTF-16 when its bytes carried an ASCII <meta charset=utf-16>
    if meta and meta.startswith("utf-16"):
        meta = "utf-8"
    declared = header or meta
    label = "header" if header else "meta"

    if declared is None or declared == "utf-8":
        text = _strict(data, "utf-8")
        if text is not None:
            return text, "utf-8", warnings
        if mostly_utf8(data):
            warnings.append("invalid utf-8 bytes replaced (the rest of the page is utf-8)")
            return data.decode("utf-8", errors="replace"), "utf-8", warnings
        alternatives = [c for c in (meta, _detect(data), "cp1252") if c and c != "utf-8"]
        codec = alternatives[0]
        text = data.decode(codec, errors="replace")
        if declared:
            warnings.append(f"encoding mislabeled: {label} utf-8, decoded as {codec}")
        else:
            warnings.append(f"no charset declared and not utf-8: decoded as {codec}")
        return text, codec, warnings

    # a single-byte label on bytes that are valid, non-ASCII UTF-8: the label is wrong
    single_byte = declared in ("iso8859-15", "iso8859-2") or declared.startswith("cp125")
    if single_byte and _NON_ASCII_UTF8.search(data) and _strict(data, "utf-8") is not None:
        warnings.append(f"encoding mislabeled: {label} {declared}, decoded as utf-8")
        return data.decode("utf-8"), "utf-8", warnings
    if single_byte and mostly_utf8(data):
        warnings.append(f"encoding mislabeled: {label} {declared}, decoded as utf-8 (invalid bytes replaced)")
        return data.decode("utf-8", errors="replace"), "utf-8", warnings
    text = _strict(data, declared)
    if text is not None:
        return text, declared, warnings
    if header and meta and meta != header:
        text = _strict(data, meta)
        if text is not None:
            warnings.append(f"encoding mislabeled: header {header}, decoded as {meta} (meta)")
            return text, meta, warnings
    text = _strict(data, "utf-8")
    if text is not None:
        warnings.append(f"encoding mislabeled: {label} {declared}, decoded as utf-8")
        return text, "utf-8", warnings
    warnings.append(f"undecodable bytes under {declared}: replaced")
    return data.decode(declared, errors="replace"), declared, warnings


def cap_text(text: str, warnings: list[str], limit: int | None = None) -> str:
    """Cut ``text`` to ``limit`` characters (default ``MAX_CHARS``), with a warning."""
    limit = MAX_CHARS if limit is None else limit
    if len(text) > limit:
        warnings.append(f"input truncated: {len(text)} characters, kept the first {limit}")
        return text[:limit]
    return text
