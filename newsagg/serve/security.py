"""Access and browser safety: the token check, the login cookie, safe redirects and strict response headers.

A client proves it knows the token with ``Authorization: Bearer <token>`` (scripts, the API) or with the
cookie the login form sets. The cookie holds an HMAC of the token, not the token, so a copied cookie does not
reveal it; it is ``HttpOnly`` and ``SameSite=Strict``. Comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

COOKIE = "newsagg_session"
#: No script, no inline style, no framing, forms only to this server, nothing fetched from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def session_value(token: str) -> str:
    return hmac.new(token.encode("utf-8"), b"newsagg-serve-session", hashlib.sha256).hexdigest()


def bearer(header: str | None) -> str | None:
    scheme, _, value = (header or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def authorized(token: str | None, authorization: str | None, cookie: str | None) -> bool:
    """True when no token is configured, or the request carries it (header) or the session cookie."""
    if not token:
        return True
    sent = bearer(authorization)
    if sent is not None and hmac.compare_digest(sent.encode("utf-8"), token.encode("utf-8")):
        return True
    return cookie is not None and hmac.compare_digest(cookie.encode("utf-8"), session_value(token).encode("utf-8"))


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this server, else ``/``: the login form never redirects elsewhere."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(ch) < 0x20 or ch == "\\" for ch in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


def safe_link(url: str | None) -> str | None:
    """A stored URL usable as a link: http(s) only (a hostile page may store ``javascript:`` or ``data:``)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None
