"""Regional angles (log-odds ratio with an informative Dirichlet prior) on small hand-made stories."""

from __future__ import annotations

import math
from collections import Counter

from newsagg.stories import angles as angles_module
from newsagg.stories.angles import log_odds_z, regional_angles

SHARED = "El presidente electo visitó la cárcel de máxima seguridad y se reunió con el gobierno. "


def article(article_id: str, country: str, text: str, language: str = "es", **extra: object) -> dict:
    return {"id": article_id, "country": country, "language": language, "outlet_name": f"outlet {article_id}"} | {
        "title": "",
        "text": text,
        **extra,
    }


def terms_of(angles: list[dict], country: str, language: str = "es") -> list[str]:
    group = next(g for g in angles if (g["country"], g["language"]) == (country, language))
    return [t["folded"] for t in group["terms"]]


def test_log_odds_matches_the_formula() -> None:
    group, rest = Counter({"cobre": 6, "mina": 2}), Counter({"mina": 5, "puerto": 5})
    prior = {"cobre": 1.0, "mina": 2.0, "puerto": 1.0}
    scores = log_odds_z(group, rest, prior, 4.0)
    n_i, n_j = 8, 10
    delta = math.log((6 + 1) / (n_i + 4 - 6 - 1)) - math.log((0 + 1) / (n_j + 4 - 0 - 1))
    assert math.isclose(scores["cobre"], delta / math.sqrt(1 / 7 + 1 / 1))
    assert scores["cobre"] > 0 > scores["mina"]


def test_each_country_gets_the_words_only_it_used_with_their_sentences() -> None:
    articles = [
        article("cl1", "CL", SHARED + "La comitiva chilena habló de Valparaíso. La comitiva chilena volvió."),
        article("cl2", "CL", SHARED + "En Valparaíso la comitiva chilena fue recibida."),
        article("sv1", "SV", SHARED + "Casa Presidencial difundió fotos. Casa Presidencial habló del régimen."),
        article("sv2", "SV", SHARED + "El régimen de excepción sigue. Casa Presidencial confirmó."),
    ]
    angles = regional_angles(articles)
    chile, salvador = terms_of(angles, "CL"), terms_of(angles, "SV")
    assert "comitiva chilena" in chile[:2] and "valparaiso" in chile
    assert "casa presidencial" in salvador[:2] and "regimen" in salvador
    assert not {"presidente", "carcel", "gobierno"} & (set(chile) | set(salvador))  # shared by both: no angle
    group = next(g for g in angles if g["country"] == "CL")
    top = group["terms"][0]
    assert top["count"] > top["rest_count"] == 0 and top["z"] > 1
    assert all("chilena" in s["text"] for s in top["sentences"]) and top["sentences"][0]["article_id"] in {"cl1", "cl2"}
    assert group["compared_with"] == {"articles": 2, "countries": ["SV"]}


def test_a_copy_counts_with_what_it_changed() -> None:
    wire = article("w", "US", SHARED + "La agencia informó que la megacárcel alberga a miles de reclusos.")
    reprint = article("cr", "CR", wire["text"] + " En Alajuela se construye un penal similar.", duplicate_of="w")
    other = article("cl", "CL", SHARED + "La comitiva chilena habló en Valparaíso.")
    angles = regional_angles([wire, reprint, other])
    assert terms_of(angles, "CR") and set(terms_of(angles, "CR")) <= {"alajuela", "construye", "penal", "similar"}
    assert "megacarcel" in terms_of(angles, "US")  # the wire's own words stay the wire country's angle


def test_a_language_with_one_country_has_nothing_to_compare() -> None:
    angles = regional_angles(
        [
            article("us", "US", "The president-elect toured the prison.", language="en"),
            article("cl", "CL", SHARED + "Valparaíso."),
            article("sv", "SV", SHARED + "Casa Presidencial."),
        ]
    )
    english = next(g for g in angles if g["language"] == "en")
    assert english["terms"] == [] and english["compared_with"]["articles"] == 0
    assert angles[-1] is english  # groups with nothing to compare with come last


def test_a_story_past_the_text_budget_is_read_by_its_leads() -> None:
    tail = " Relleno sin interés alguno para la historia." * 20
    articles = [
        article("cl1", "CL", "La comitiva chilena llegó." + tail + " Valparaíso Valparaíso Valparaíso al final."),
        article("cl2", "CL", "La comitiva chilena volvió." + tail + " Valparaíso Valparaíso otra vez al final."),
        article("sv1", "SV", "Casa Presidencial recibió." + tail),
        article("sv2", "SV", "Casa Presidencial confirmó." + tail),
    ]
    whole = terms_of(regional_angles(articles), "CL")
    assert "comitiva chilena" in whole and "valparaiso" in whole
    leads = regional_angles(articles, budget=1200)  # 300 characters of each article (the shortest lead)
    assert "comitiva chilena" in terms_of(leads, "CL") and "valparaiso" not in terms_of(leads, "CL")
    sentences = [s["text"] for t in leads[0]["terms"] for s in t["sentences"]]
    assert sentences and not any("al final" in s for s in sentences)


# Texts that exercise how a text is read: sentence ends after ".", "!", "?", "…" and at line breaks (also
# inside abbreviations such as "U.S."), apostrophes, underscores, digits, stopwords between names, a word that
# folds to two words (the ligature U+FDFB) and accents in several scripts.
TRICKY = [
    "U.S. officials met Nayib Bukele. Nayib Bukele spoke!Then left… Centros Penales\n\nCentros Penales again",
    "L’Équipe et l'équipe d’Alajuela: plan_b est plan_b, 2026 n'était pas 2025. Ce n’est qu’un début? Oui.",
    "«Mesa técnica» — mesa técnica; MESA TÉCNICA!\nMesa\ttécnica…mesa técnica",
    "Ｆｕｌｌ ｗｉｄｔｈ words ﷻ ﷻ abcﷻ and Ελληνικά κείμενα, Ελληνικά κείμενα. Дом и дом.",
    "",
    "...!!! ??? \n\n\n …",
]


def reference_terms(text: str) -> Counter[str]:
    """Terms counted the plain way: each sentence's words, every content word and every pair of adjacent
    content words (never across a sentence end or a stopword)."""
    counts: Counter[str] = Counter()
    for sentence in angles_module._SENTENCE_END.split(text):
        previous = None
        for surface in angles_module._WORD.findall(sentence):
            folded = angles_module._content_word(surface)
            if folded is None:
                previous = None
                continue
            counts[folded] += 1
            if previous is not None:
                counts[f"{previous} {folded}"] += 1
            previous = folded
    return counts


def test_one_pass_reads_the_words_sentence_ends_and_terms_of_a_sentence_split() -> None:
    for text in TRICKY:
        read = angles_module._read({"id": "x"}, text)
        sentences = angles_module._SENTENCE_END.split(text)
        assert [w for w in read.surfaces if w] == [w for s in sentences for w in angles_module._WORD.findall(s)]
        assert read.surfaces.count("") == len(sentences) - 1
        assert read.terms == reference_terms(text)


def test_each_terms_sentence_is_the_first_that_holds_it() -> None:
    for text in TRICKY:
        read = angles_module._read({"id": "x"}, text)
        sentences = angles_module._SENTENCE_END.split(text)
        for term in read.terms:
            expected = next(s.strip() for s in sentences if reference_terms(s)[term])
            assert read.sentence_with(term) == expected, term
        assert read.sentence_with("absent") is None


def test_a_term_is_spelled_as_most_often_read_ties_to_the_first() -> None:
    articles = [
        article("cl1", "CL", "Mesa Técnica en Valparaíso. La MESA TÉCNICA sigue. Centros penales."),
        article("cl2", "CL", "La mesa técnica y la Mesa Técnica de VALPARAÍSO. Centros Penales."),
        article("sv1", "SV", SHARED),
    ]
    chile = next(g for g in regional_angles(articles) if g["country"] == "CL")
    spelled = {t["folded"]: t["term"] for t in chile["terms"]}
    assert spelled["mesa tecnica"] == "Mesa Técnica"  # 2 of 4
    assert spelled["valparaiso"] == "Valparaíso"  # 1 each: the first read
    assert spelled["centros penales"] == "Centros penales"
