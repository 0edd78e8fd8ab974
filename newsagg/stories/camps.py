"""The profiles one split pass builds (``StoryClusterer._maybe_split``), each built once.

A split pass compares a story's members with profiles of groups of them ("camps"): the whole story (for
the IDF term set), the founder alone (the 2-means seed), the camps of every 2-means iteration and start,
then the candidate partitions' camps again (their IDF, the leave-one-out margins). The same camps come back
many times, and each member is added to many of them: on the 5,000-page bench web, with stories of up to
200 near-copies, building them was a third of the pass. So a camp's profile is built once per pass and kept
by its members (indices into the pass's member list, in that order), and each member's unit vectors are
computed once. Exact: a profile is built from the same members in the same order with the same vectors
(``units_of`` is what ``StoryProfile.add`` computes itself), so every sum and every score is the same.

Lives for one pass: its memory (the unit vectors, ≈ 15 KB a member on the bench web; the camps) is freed
with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsagg.stories.profile import StoryProfile, Units, units_of
from newsagg.stories.similarity import ArticleFeatures


class Camps:
    """Camp profiles and unit vectors of one split pass over ``features`` (the story's members)."""

    def __init__(self, features: list[ArticleFeatures]) -> None:
        self.features = features
        self._units: list[Units | None] = [None] * len(features)
        self._profiles: dict[tuple[int, ...], StoryProfile] = {}

    def units(self, i: int) -> Units:
        """Member ``i``'s unit vectors, computed on first use."""
        units = self._units[i]
        if units is None:
            units = self._units[i] = units_of(self.features[i])
        return units

    def build(self, story_id: str, members: Sequence[int]) -> StoryProfile:
        """A new profile of ``members`` (added in that order), not kept: for the profiles a split leaves."""
        profile = StoryProfile(story_id)
        for i in members:
            profile.add(self.features[i], self.units(i))
        return profile

    def profile(self, members: Sequence[int]) -> StoryProfile:
        """The profile of ``members``, built on first use and then shared: callers only read it. It stays
        referenced (so alive) as long as this object, which norm memos keyed by ``id()`` rely on."""
        key = tuple(members)
        profile = self._profiles.get(key)
        if profile is None:
            profile = self._profiles[key] = self.build("camp", key)
        return profile
