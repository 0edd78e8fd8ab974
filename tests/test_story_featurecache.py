"""The clusterer's compact feature cache hands back exactly the features it was given.

Exactness matters because clustering sums over these vectors: a weight off in its last bit, or terms in
another order, would change scores and so, at a tie, stories. Checked bit for bit (``==`` on floats) and in
key order, for the common case (weights ``1 + log(count)``, counts packed a byte each), large counts, and
weights of another form (kept as doubles).
"""

from __future__ import annotations

import math

import numpy as np

from newsagg.stories.featurecache import FeatureCache
from newsagg.stories.similarity import ArticleFeatures
from tests.factories import T0, article


def _same(a: ArticleFeatures, b: ArticleFeatures) -> None:
    assert list(a.terms.items()) == list(b.terms.items())
    assert list(a.names.items()) == list(b.names.items())
    assert list(a.vector.items()) == list(b.vector.items())
    assert (a.article_id, a.language, a.when_utc, a.norm) == (b.article_id, b.language, b.when_utc, b.norm)


def test_features_come_back_bit_for_bit_in_the_same_order() -> None:
    texts = {
        "short": "Kast visita el CECOT con Bukele.",
        "repeated": "Bukele y Kast en San Salvador; el CECOT. " * 40 + "Temporal en Valparaíso el 12 de mayo.",
        "huge": "sequía " * 300 + "Embalse La Paloma al 18 %, dice la DGA; Kast y Bukele. " * 3,  # a count > 255
    }
    cache = FeatureCache(10, 10_000)
    originals = {}
    for key, text in texts.items():
        originals[key] = ArticleFeatures.of(article(key, text=text, published_utc=T0))
        cache.put(key, originals[key])
    assert max(originals["huge"].terms.values()) > 1.0 + math.log(255)
    for key, original in originals.items():
        copy = cache.get(key)
        assert copy is not None and copy is not original
        _same(copy, original)
        assert copy.vector is copy.terms  # a flat-IDF vector, as ``ArticleFeatures.of`` makes it


def test_weights_of_another_form_are_kept_as_they_are() -> None:
    odd = ArticleFeatures("x", "es", None, terms={"kast": 0.37, "cecot": 1e-300}, names={"bukele": 2.5})
    odd.vector = odd.terms
    cache = FeatureCache(10, 100)
    cache.put("x", odd)
    copy = cache.get("x")
    assert copy is not None
    _same(copy, odd)


def test_bounds_evict_the_least_recently_used_but_never_the_entry_just_stored() -> None:
    features = {
        k: ArticleFeatures.of(article(k, text=f"Nota {k} sobre Kast y el CECOT en San Salvador.")) for k in "abcd"
    }
    size = len(features["a"].terms) + len(features["a"].names)
    cache = FeatureCache(3, 10_000)
    for key in "abc":
        cache.put(key, features[key])
    assert cache.get("a") is not None  # now the most recently used
    cache.put("d", features["d"])
    assert cache.get("b") is None and len(cache) == 3
    tiny = FeatureCache(10, size - 1)  # one article alone is over the bound: it stays, alone
    tiny.put("a", features["a"])
    tiny.put("b", features["b"])
    assert len(tiny) == 1 and tiny.get("b") is not None and tiny.terms == size


def test_an_embedding_set_later_is_kept() -> None:
    cache = FeatureCache(10, 10_000)
    cache.put("a", ArticleFeatures.of(article("a")))
    cache.set_embedding("a", np.ones(3))
    copy = cache.get("a")
    assert copy is not None and copy.embedding is not None and copy.embedding.tolist() == [1.0, 1.0, 1.0]
