"""TLS problems of the engine connection, said plainly: which file, which host, what was expected.

The clients report a failed handshake as a connection error several wrappers deep ("ConnectionError(...
SSLError(... CERTIFICATE_VERIFY_FAILED ...))"); a misconfigured certificate is not an outage, retrying and
spooling cannot fix it. :func:`file_problem` checks the configured CA bundle and client certificate before
the first request; :func:`explain` turns a failed handshake into a sentence with the fix.
"""

from __future__ import annotations

import os
import socket
import ssl
import urllib.parse
from collections.abc import Iterator

from newsagg.storage.engine_config import EngineConfig, setting_prefix

#: OpenSSL verify codes (X509_V_ERR_*)
_UNTRUSTED = {18: "self-signed", 19: "self-signed chain", 20: "unknown issuer", 21: "unknown issuer"}
_EXPIRED, _NOT_YET = 10, 9
_NAME_MISMATCH = {62, 64}


def file_problem(config: EngineConfig) -> str | None:
    """What is wrong with the configured CA bundle or client certificate/key, or None."""
    prefix = setting_prefix(config.engine)
    where = ", ".join(config.urls)
    for name, path in (("CA_FILE", config.ca_file), ("CLIENT_CERT", config.client_cert)):
        if path and (reason := _unreadable(path)):
            return f"{prefix}{name}={path}: {reason} (needed to connect to {where})"
    if config.client_key and not config.client_cert:
        return f"{prefix}CLIENT_KEY is set without {prefix}CLIENT_CERT: set both (the certificate of that key)"
    if config.client_key and (reason := _unreadable(config.client_key)):
        return f"{prefix}CLIENT_KEY={config.client_key}: {reason} (needed to connect to {where})"
    if config.ca_file:
        try:
            ssl.create_default_context(cafile=config.ca_file)
        except (ssl.SSLError, ValueError) as exc:
            return (
                f"{prefix}CA_FILE={config.ca_file} holds no PEM CA certificate ({_reason(exc)}): expected the "
                f"certificate(s) of the authority that signed the certificate of {where}"
            )
    if config.client_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        try:
            context.load_cert_chain(config.client_cert, config.client_key)
        except (ssl.SSLError, ValueError) as exc:
            key = config.client_key or config.client_cert
            if "KEY_VALUES_MISMATCH" in str(exc) or "key values mismatch" in str(exc):
                return (
                    f"{prefix}CLIENT_CERT={config.client_cert} and {prefix}CLIENT_KEY={key} do not belong together: "
                    "expected the private key of that certificate"
                )
            return (
                f"{prefix}CLIENT_CERT={config.client_cert} / key {key}: not a PEM certificate and its "
                f"unencrypted private key ({_reason(exc)})"
            )
    return None


def _unreadable(path: str) -> str | None:
    if not os.path.exists(path):
        return "no such file"
    if os.path.isdir(path):
        return "a directory, not a file"
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"


def explain(config: EngineConfig, exc: BaseException) -> tuple[str, bool] | None:
    """(message, permanent) for a connection error caused by TLS, else None. ``permanent``: the configuration
    must change (an untrusted or wrong certificate), as opposed to a handshake cut short on the way."""
    prefix = setting_prefix(config.engine)
    where = ", ".join(config.urls)
    trusted = f"{prefix}CA_FILE={config.ca_file}" if config.ca_file else "the system's CA certificates"
    for error in _chain(exc):
        # urllib3 checks host names itself and raises its own CertificateError (a ValueError)
        hostname_error = type(error).__name__ == "CertificateError" and not isinstance(error, ssl.SSLError)
        if isinstance(error, ssl.SSLCertVerificationError) or hostname_error:
            code = 62 if hostname_error else error.verify_code  # type: ignore[attr-defined]
            detail = getattr(error, "verify_message", None) or _reason(error)
            if code in _UNTRUSTED:
                return (
                    f"TLS: the certificate of {where} is not trusted ({detail}): expected one signed by a CA in "
                    f"{trusted}; set {prefix}CA_FILE to the CA that signed it (the cluster's http_ca.crt), "
                    f"or {prefix}VERIFY_CERTS=false for a throw-away test node",
                    True,
                )
            if code in _NAME_MISMATCH:
                names = _certificate_names(where)
                valid = f" (it is valid for {', '.join(names)})" if names else ""
                return (
                    f"TLS: the certificate of {where} does not name the host connected to{valid}: use a URL "
                    f"with one of the certificate's names, or a certificate for this host ({detail})",
                    True,
                )
            if code in (_EXPIRED, _NOT_YET):
                return f"TLS: the certificate of {where} is {detail}: the server needs a valid certificate", True
            return f"TLS: the certificate of {where} failed verification against {trusted} ({detail})", True
        if isinstance(error, ssl.SSLError):
            reason = _reason(error)
            upper = reason.upper()
            if "CERTIFICATE_REQUIRED" in upper or ("HANDSHAKE_FAILURE" in upper and not config.client_cert):
                wanted = (
                    f"it refused the client certificate {prefix}CLIENT_CERT={config.client_cert}"
                    if config.client_cert
                    else f"it expects a client certificate: set {prefix}CLIENT_CERT and {prefix}CLIENT_KEY"
                )
                return f"TLS: {where} ended the handshake ({reason}): {wanted}", True
            if "BAD_CERTIFICATE" in upper or "UNKNOWN_CA" in upper or "CERTIFICATE_UNKNOWN" in upper:
                return (
                    f"TLS: {where} refused the client certificate {prefix}CLIENT_CERT={config.client_cert} "
                    f"({reason}): expected one signed by a CA the cluster trusts",
                    True,
                )
            if "WRONG_VERSION_NUMBER" in upper or "RECORD_LAYER_FAILURE" in upper:
                return f"TLS: {where} does not answer in TLS ({reason}): is it plain HTTP? then use http://", True
            if isinstance(error, ssl.SSLEOFError) or "EOF" in upper:
                hint = (
                    f"; if it requires a client certificate, set {prefix}CLIENT_CERT and {prefix}CLIENT_KEY"
                    if not config.client_cert
                    else f"; does it accept the client certificate {prefix}CLIENT_CERT={config.client_cert}?"
                )
                return f"TLS: {where} closed the connection during the handshake ({reason}){hint}", False
            return f"TLS handshake with {where} failed ({reason})", False
    return None


def _chain(exc: BaseException, depth: int = 0) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps: causes, contexts, exceptions among its arguments, ``reason``."""
    if depth > 8:
        return
    yield exc
    seen: list[object] = [exc.__cause__, exc.__context__, getattr(exc, "reason", None)]
    seen += list(getattr(exc, "errors", None) or ())
    seen += [arg for arg in exc.args if isinstance(arg, BaseException)]
    for inner in seen:
        if isinstance(inner, BaseException) and inner is not exc:
            yield from _chain(inner, depth + 1)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    text = str(exc)
    return f"{reason}: {text}" if isinstance(reason, str) and reason not in text else text


def _certificate_names(where: str) -> list[str]:
    """The DNS names and IP addresses of the certificate the (first) server presents, read without
    verification, to say what the certificate is valid for."""
    parts = urllib.parse.urlsplit(where.split(",")[0].strip())
    if not parts.hostname:
        return []
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((parts.hostname, parts.port or 443), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname=parts.hostname) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except (OSError, ssl.SSLError):
        return []
    if not der:
        return []
    try:
        from cryptography import x509

        cert = x509.load_der_x509_certificate(der)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(n) for n in san.get_values_for_type(x509.DNSName)]
        return names + [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    except Exception:  # no SAN, or an unparsable certificate: the message then goes without the names
        return []
