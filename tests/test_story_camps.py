"""A split pass builds each camp profile once (``camps.Camps``) and must score exactly as profiles built
member by member would: the same sums in the same order, so the same camps, margins and stories."""

from __future__ import annotations

from pathlib import Path

from newsagg.storage.sqlite import SQLiteStore
from newsagg.stories import StoryClusterer
from newsagg.stories.camps import Camps
from newsagg.stories.profile import StoryProfile, units_of
from newsagg.stories.similarity import ArticleFeatures
from tests.factories import T0, article
from tests.test_stories import COFFEE, KAST_ES, KAST_ES_2, VOLCANO


def _features() -> list[ArticleFeatures]:
    texts = [KAST_ES, KAST_ES_2, COFFEE, KAST_ES + " Bukele habló.", VOLCANO, COFFEE + " Tarrazú espera lluvias."]
    return [ArticleFeatures.of(article(f"a{i}", text=t, published_utc=T0 + i)) for i, t in enumerate(texts)]


def _by_adding(features: list[ArticleFeatures], members: list[int]) -> StoryProfile:
    profile = StoryProfile("x")
    for i in members:
        profile.add(features[i])
    return profile


def _same(a: StoryProfile, b: StoryProfile) -> None:
    assert a.size == b.size
    assert {k: list(v.items()) for k, v in a.terms.items()} == {k: list(v.items()) for k, v in b.terms.items()}
    assert list(a.names.items()) == list(b.names.items())


def test_a_camp_is_built_once_and_equals_one_built_member_by_member() -> None:
    features = _features()
    camps = Camps(features)
    first = camps.profile([0, 1, 3])
    assert camps.profile((0, 1, 3)) is first  # kept by its members
    _same(first, _by_adding(features, [0, 1, 3]))
    assert camps.units(2) is camps.units(2)
    assert camps.units(2) == units_of(features[2])
    fresh = camps.build("st-a0", [2, 5])
    assert fresh.story_id == "st-a0" and fresh is not camps.build("st-a0", [2, 5])
    _same(fresh, _by_adding(features, [2, 5]))
    # leave-one-out with the shared unit vectors is the same profile as without them
    _same(first.without(features[1], camps.units(1)), first.without(features[1]))


def test_shared_camps_give_the_same_partitions_and_margins(tmp_path: Path) -> None:
    clusterer = StoryClusterer(SQLiteStore(tmp_path / "s.sqlite"))
    features = _features()
    shared = Camps(features)
    partitions = clusterer._two_camps(features, shared)
    assert partitions == clusterer._two_camps(features)  # each call with its own camps
    assert partitions
    for camps in partitions:
        idf = clusterer._idf(features[0], [shared.profile(c) for c in camps])
        alone = clusterer._idf(features[0], [_by_adding(features, c) for c in camps])
        assert clusterer._separation(features, camps, idf, shared) == clusterer._separation(features, camps, alone)
