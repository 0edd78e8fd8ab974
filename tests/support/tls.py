"""Certificates and a local HTTPS server for the TLS tests: real handshakes on loopback, no internet.

Certificates are made in the test with the ``cryptography`` package (a Scrapy dependency); the server is
:mod:`http.server` behind :mod:`ssl`, answering ``GET /`` like an Elasticsearch or OpenSearch node.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOTS = {
    "elasticsearch": {"version": {"number": "9.5.3", "build_flavor": "default"}, "tagline": "You Know, for Search"},
    "opensearch": {"version": {"distribution": "opensearch", "number": "3.8.0"}, "tagline": "The OpenSearch Project"},
}


@dataclass(frozen=True)
class Pem:
    cert: Path
    key: Path


def _write(path: Path, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> Pem:
    cert_path, key_path = path.with_suffix(".crt"), path.with_suffix(".key")
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return Pem(cert_path, key_path)


def make_cert(
    path: Path, name: str, *, issuer: Pem | None = None, hosts: tuple[str, ...] = (), ca: bool = False
) -> Pem:
    """A certificate for ``name`` (SANs ``hosts``), signed by ``issuer``, or self-signed without one."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    if issuer is not None:
        signer = serialization.load_pem_private_key(issuer.key.read_bytes(), None)
        issuer_name = x509.load_pem_x509_certificate(issuer.cert.read_bytes()).subject
    else:
        signer, issuer_name = key, subject
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if hosts:
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
        builder = builder.add_extension(usage, critical=True)
    return _write(path, builder.sign(signer, hashes.SHA256()), key)  # type: ignore[arg-type]


@contextmanager
def https_server(
    server_pem: Pem, *, engine: str = "elasticsearch", client_ca: Pem | None = None, tls12: bool = False
) -> Iterator[str]:
    """An HTTPS node on 127.0.0.1 with ``server_pem``; requires a client certificate signed by ``client_ca``
    when given. Yields its base URL. ``tls12``: at most TLS 1.2, where a refused client certificate ends the
    handshake itself (in TLS 1.3 the client learns it only on its first read, or sees the connection close)."""

    class Root(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(ROOTS[engine]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if engine == "elasticsearch":
                self.send_header("X-Elastic-Product", "Elasticsearch")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(server_pem.cert, server_pem.key)
    if tls12:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(client_ca.cert)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Root)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.handle_error = lambda *args: None  # type: ignore[method-assign]  # failed handshakes are the point
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
