"""Duplicate detection against a real SQLite store: exact copies, near copies, re-crawls, crawl order."""

from __future__ import annotations

from pathlib import Path

from newsagg.dedupe import DuplicateDetector
from newsagg.storage.sqlite import SQLiteStore
from newsagg.text import content_hash
from tests.factories import T0, article

WIRE = (
    "El presidente electo de Chile, José Antonio Kast, recorrió este viernes el Centro de Confinamiento del "
    "Terrorismo en El Salvador, la megacárcel que el gobierno de Nayib Bukele presenta como modelo contra las "
    "pandillas. Kast llegó en helicóptero acompañado por su futuro ministro de Seguridad y fue recibido por el "
    "gabinete de seguridad salvadoreño. Durante la visita, el mandatario electo dijo que busca estudiar el "
    "sistema penitenciario y no necesariamente replicarlo de la misma forma en Chile. La cárcel puede albergar "
    "hasta cuarenta mil reclusos y ha sido cuestionada por organizaciones de derechos humanos."
)
EDITED = (
    WIRE.replace("este viernes", "el viernes").replace(" y fue recibido por el gabinete de seguridad salvadoreño", "")
    + " Más tarde se reunió con Bukele."
)
OTHER = (
    "La cosecha de café en Costa Rica avanza con buenos rendimientos en la zona de Los Santos, según el "
    "Instituto del Café, que prevé un aumento de la producción y mejores precios para los productores de la "
    "región durante la temporada que termina en febrero, pese a la falta de mano de obra en varias fincas."
)


def check(detector: DuplicateDetector, store: SQLiteStore, article_id: str, text: str, **fields: object):
    verdict, _ = detector.check(article_id, text, content_hash(text))
    store.upsert_articles(
        [
            article(
                article_id,
                text=text,
                dup_group=verdict.dup_group,
                duplicate_kind=verdict.kind,
                similarity=verdict.similarity,
                **fields,
            )
        ]
    )
    store.resolve_duplicate_groups([verdict.dup_group])
    return verdict


def test_exact_near_and_unrelated(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    detector = DuplicateDetector(store)
    assert check(detector, store, "wire", WIRE).kind is None
    exact = check(detector, store, "copy", WIRE.replace(".", " ."))  # punctuation noise only
    assert (exact.kind, exact.dup_group) == ("exact", "wire")
    near = check(detector, store, "edited", EDITED)
    assert near.kind in ("near", "near-verbatim") and near.dup_group == "wire"
    assert 0.5 <= near.similarity < 1.0
    assert check(detector, store, "coffee", OTHER).kind is None
    assert store.get_article("copy")["duplicate_of"] == "wire"
    assert store.get_article("edited")["duplicate_of"] == "wire"
    assert store.get_article("coffee")["duplicate_of"] is None


def test_recrawl_of_same_url_is_not_a_duplicate(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    detector = DuplicateDetector(store)
    check(detector, store, "wire", WIRE)
    again = check(detector, store, "wire", WIRE)
    assert again.kind is None and again.dup_group == "wire"


def test_earliest_published_is_the_original_whatever_the_crawl_order(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    detector = DuplicateDetector(store)
    check(detector, store, "copy", WIRE, published_utc=T0 + 7200)
    check(detector, store, "wire", WIRE, published_utc=T0)
    assert store.get_article("wire")["duplicate_of"] is None
    assert store.get_article("wire")["duplicate_kind"] is None
    assert store.get_article("copy")["duplicate_of"] == "wire"
    assert store.get_article("copy")["duplicate_kind"] == "exact"


def test_signatures_survive_a_restart(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    detector = DuplicateDetector(store)
    verdict, signature = detector.check("wire", WIRE, content_hash(WIRE))
    store.upsert_articles([article("wire", text=WIRE, dup_group=verdict.dup_group)])
    from newsagg.dedupe import signature_bytes

    store.save_signatures([("wire", signature_bytes(signature))])
    store.close()
    reopened = SQLiteStore(tmp_path / "s.sqlite")
    fresh = DuplicateDetector(reopened)
    verdict, _ = fresh.check("edited", EDITED, content_hash(EDITED))
    assert verdict.dup_group == "wire" and verdict.kind in ("near", "near-verbatim")
