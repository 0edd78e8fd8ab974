"""TLS to the engines: CA bundle, client certificates and Elastic Cloud ids reach both clients, and every TLS
failure says which file, which host and what was expected. Real handshakes with a local HTTPS server and
certificates made here (tests/support/tls.py)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from newsagg.settings_schema import SETTINGS
from newsagg.storage import check_backend
from newsagg.storage.engine_client import EngineClient, EngineError, EngineIncompatible
from newsagg.storage.engine_config import EngineConfig
from tests.support.tls import Pem, https_server, make_cert

ENGINES = ("elasticsearch", "opensearch")
PREFIX = {"elasticsearch": "NEWSAGG_ES_", "opensearch": "NEWSAGG_OPENSEARCH_"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pem]:
    d = tmp_path_factory.mktemp("pki")
    ca = make_cert(d / "ca", "newsagg test CA", ca=True)
    client_ca = make_cert(d / "client-ca", "newsagg client CA", ca=True)
    return {
        "ca": ca,
        "server": make_cert(d / "server", "localhost", issuer=ca, hosts=("localhost", "127.0.0.1")),
        "other": make_cert(d / "other", "search.other.example", issuer=ca, hosts=("search.other.example",)),
        "self": make_cert(d / "self", "localhost", hosts=("localhost", "127.0.0.1")),
        "client": make_cert(d / "client", "newsagg crawler", issuer=client_ca),
        "stranger": make_cert(d / "stranger", "someone else", issuer=client_ca),
        "client_ca": client_ca,
    }


def _config(engine: str, url: str, **tls: object) -> EngineConfig:
    return EngineConfig(engine=engine, urls=(url,), max_retries=0, timeout=5.0, **tls)  # type: ignore[arg-type]


def _handshake(config: EngineConfig) -> dict:
    client = EngineClient(config)
    try:
        return client.handshake()
    finally:
        client.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_ca_file_and_client_certificate_reach_the_client(engine: str, pki: dict[str, Pem]) -> None:
    with https_server(pki["server"], engine=engine, client_ca=pki["client_ca"]) as url:
        config = _config(
            engine,
            url,
            ca_file=str(pki["ca"].cert),
            client_cert=str(pki["client"].cert),
            client_key=str(pki["client"].key),
        )
        assert _handshake(config)["version"]["number"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_self_signed_server_without_ca_file_says_what_to_set(engine: str, pki: dict[str, Pem]) -> None:
    with https_server(pki["self"], engine=engine) as url, pytest.raises(EngineIncompatible) as raised:
        _handshake(_config(engine, url))
    message = str(raised.value)
    assert url in message and "not trusted" in message and "self-signed" in message, message
    assert f"set {PREFIX[engine]}CA_FILE" in message, message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_server_signed_by_another_ca_names_the_ca_file(engine: str, pki: dict[str, Pem]) -> None:
    with (
        https_server(pki["server"], engine=engine) as url,
        pytest.raises(EngineIncompatible, match="not trusted") as raised,
    ):
        _handshake(_config(engine, url, ca_file=str(pki["client_ca"].cert)))
    assert f"{PREFIX[engine]}CA_FILE={pki['client_ca'].cert}" in str(raised.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_hostname_mismatch_says_which_names_the_certificate_has(engine: str, pki: dict[str, Pem]) -> None:
    with https_server(pki["other"], engine=engine) as url, pytest.raises(EngineIncompatible) as raised:
        _handshake(_config(engine, url, ca_file=str(pki["ca"].cert)))
    message = str(raised.value)
    assert url in message and "does not name the host" in message and "search.other.example" in message, message


@pytest.mark.parametrize("engine", ENGINES)
def test_a_server_that_wants_a_client_certificate_says_so(engine: str, pki: dict[str, Pem]) -> None:
    with (
        https_server(pki["server"], engine=engine, client_ca=pki["client_ca"], tls12=True) as url,
        pytest.raises(EngineIncompatible) as raised,
    ):
        _handshake(_config(engine, url, ca_file=str(pki["ca"].cert)))
    message = str(raised.value)
    assert url in message and f"set {PREFIX[engine]}CLIENT_CERT and {PREFIX[engine]}CLIENT_KEY" in message, message
    # TLS 1.3: the refusal comes after the client's side of the handshake, as an alert or a closed connection
    with (
        https_server(pki["server"], engine=engine, client_ca=pki["client_ca"]) as url,
        pytest.raises(EngineError) as raised,
    ):
        _handshake(_config(engine, url, ca_file=str(pki["ca"].cert)))
    assert f"{PREFIX[engine]}CLIENT_CERT" in str(raised.value), str(raised.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_refused_client_certificate_is_named(engine: str, pki: dict[str, Pem]) -> None:
    other_ca = pki["ca"]  # the server trusts client certificates of this CA only
    cert, key = pki["client"].cert, pki["client"].key
    with (
        https_server(pki["server"], engine=engine, client_ca=other_ca, tls12=True) as url,
        pytest.raises(EngineIncompatible) as raised,
    ):
        _handshake(_config(engine, url, ca_file=str(pki["ca"].cert), client_cert=str(cert), client_key=str(key)))
    assert f"{PREFIX[engine]}CLIENT_CERT={cert}" in str(raised.value), str(raised.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_https_to_a_plain_http_port_says_so(engine: str, pki: dict[str, Pem]) -> None:
    import socket

    with socket.socket() as plain:  # accepts, then answers the TLS hello with plain HTTP
        plain.bind(("127.0.0.1", 0))
        plain.listen()
        port = plain.getsockname()[1]

        import threading

        def answer() -> None:
            conn, _ = plain.accept()
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        with pytest.raises(EngineIncompatible, match=r"does not answer in TLS.*use http://"):
            _handshake(_config(engine, f"https://127.0.0.1:{port}", ca_file=str(pki["ca"].cert)))
        thread.join(timeout=10)


@pytest.mark.parametrize("engine", ENGINES)
def test_unusable_files_are_named_before_any_request(engine: str, pki: dict[str, Pem], tmp_path: Path) -> None:
    prefix, url = PREFIX[engine], "https://search.example:9200"
    missing = tmp_path / "missing.pem"
    with pytest.raises(EngineIncompatible, match=f"{prefix}CA_FILE={missing}: no such file.*search.example"):
        EngineClient(_config(engine, url, ca_file=str(missing)))
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    with pytest.raises(EngineIncompatible, match=f"{prefix}CA_FILE={garbage} holds no PEM CA certificate"):
        EngineClient(_config(engine, url, ca_file=str(garbage)))
    cert, key = pki["client"].cert, pki["stranger"].key
    with pytest.raises(EngineIncompatible, match=f"{prefix}CLIENT_CERT={cert} and {prefix}CLIENT_KEY={key} do not"):
        EngineClient(_config(engine, url, client_cert=str(cert), client_key=str(key)))
    with pytest.raises(EngineIncompatible, match=f"{prefix}CLIENT_KEY=.*no such file"):
        EngineClient(_config(engine, url, client_cert=str(cert), client_key=str(missing)))
    with pytest.raises(EngineIncompatible, match=f"{prefix}CLIENT_KEY is set without {prefix}CLIENT_CERT"):
        EngineClient(_config(engine, url, client_key=str(key)))


def test_cloud_id_is_a_masked_setting_that_replaces_the_url() -> None:
    assert SETTINGS["NEWSAGG_ES_CLOUD_ID"].secret
    cloud_id = "prod:" + base64.b64encode(b"europe-west1.gcp.cloud.es.io:443$es1234$kb5678").decode()
    config = EngineConfig.from_env("elasticsearch", {"NEWSAGG_ES_CLOUD_ID": cloud_id})
    assert config.urls == ("https://es1234.europe-west1.gcp.cloud.es.io:443",)
    assert cloud_id not in repr(config)
    client = EngineClient(config)
    try:
        nodes = [node.base_url for node in client._client.transport.node_pool.all()]
        assert nodes == ["https://es1234.europe-west1.gcp.cloud.es.io:443"]
    finally:
        client.close()
    with pytest.raises(ValueError, match="NEWSAGG_ES_CLOUD_ID is not an Elastic Cloud id") as raised:
        EngineConfig.from_env("elasticsearch", {"NEWSAGG_ES_CLOUD_ID": "secret-not-an-id"})
    assert "secret-not-an-id" not in str(raised.value)


def test_a_crawl_stops_before_it_starts_on_an_untrusted_certificate(pki: dict[str, Pem], tmp_path: Path) -> None:
    """The crawl's pre-flight check: a certificate problem is not an outage worth spooling for."""
    with https_server(pki["self"]) as url:
        env = {"NEWSAGG_BACKEND": "elasticsearch", "NEWSAGG_ES_URL": url, "NEWSAGG_ENGINE_MAX_RETRIES": "0"}
        with pytest.raises(EngineIncompatible, match="not trusted"):
            check_backend(env=env)
        with pytest.raises(EngineIncompatible, match=r"NEWSAGG_ES_CLIENT_CERT=.*no such file"):
            check_backend(env={**env, "NEWSAGG_ES_CLIENT_CERT": str(tmp_path / "none.pem")})
