"""The fast paths of the per-page work give the same results as the straightforward code they replace:
accent folding, MinHash signatures (stored, so bit for bit) and the parsed tree's element classes."""

from __future__ import annotations

import sys
import unicodedata

import numpy as np
from datasketch import MinHash
from lxml import html as lxml_html

from newsagg.dedupe import SCHEME, minhash_of, signature_bytes, signature_for
from newsagg.extraction.page import parse_html
from newsagg.text import fold, word_shingles


def reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_fold_matches_nfkd_without_combining_marks_on_every_code_point() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(every), 4096):
        chunk = every[start : start + 4096]
        assert fold(chunk) == reference_fold(chunk)


def test_fold_on_words_with_accents_ligatures_and_loose_combining_marks() -> None:
    samples = [
        "Región de Perú, São Paulo, Ñandú",
        "e\u0301cole, ǅemal, ﬁnal ½ ẞtraße",
        "ΟΔΟΣ ΣΑΣ Σ",  # final sigma depends on the word around it
        "İstanbul’da “quotes” — dashes",
        "plain ascii text",
        "",
    ]
    for text in samples:
        assert fold(text) == reference_fold(text)
    assert fold("Región") == fold("region") == "region"


def datasketch_minhash(text: str) -> MinHash:
    """datasketch with its default SHA-1 hash: what stored signatures were made with."""
    signature = MinHash(num_perm=128, seed=1, scheme=SCHEME)
    signature.update_batch([s.encode("utf-8") for s in word_shingles(text)])
    return signature


def test_minhash_is_bit_for_bit_datasketchs_default() -> None:
    texts = [
        " ".join(f"word{i % 97} Perú número {i}" for i in range(300)),
        "Un texto corto con acentos: canción, niño, corazón, pingüino, año, más palabras aquí " * 5,
        "one two three",
    ]
    for text in texts:
        ours = minhash_of(text)
        theirs = datasketch_minhash(text)
        assert np.array_equal(ours.hashvalues, theirs.hashvalues)
        assert signature_bytes(ours) == signature_bytes(theirs)
    assert signature_for(texts[0]) == signature_bytes(datasketch_minhash(texts[0]))


def test_parsed_elements_are_html_elements_and_trees_match_lxml_html() -> None:
    page = (
        "<!DOCTYPE html><html lang='es'><head><title>T</title></head><body><form><input name='q'></form>"
        "<p>Uno <a href='/x'>dos</a> tres</p><!-- c --><script>var a;</script></body></html>"
    )
    tree = parse_html(page)
    assert tree is not None
    assert all(isinstance(el, lxml_html.HtmlElement) for el in tree.iter())
    assert tree.xpath("//p")[0].text_content() == "Uno dos tres"
    reference = lxml_html.document_fromstring(page)
    assert [el.tag for el in tree.iter() if isinstance(el.tag, str)] == [
        el.tag for el in reference.iter() if isinstance(el.tag, str)
    ]
