"""Incremental story assignment: each new article joins the best matching story or starts one.

The backend proposes candidates (full-text match on the article's key terms within a time window); the
decision is plain Python, so every backend yields the same stories: the article is compared with each
candidate story's profile (centroid of its members, see ``profile.py``), joins the best one above the
threshold or founds a new story. When an article matches two stories strongly and those stories' profiles
agree, they have converged and are merged (the absorbed id stays as an alias). Story ids derive from the
founding article's id, so they are stable as the story grows.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from newsagg.storage.base import Article, ArticleFilter, ArticleStore
from newsagg.stories.profile import StoryProfile
from newsagg.stories.similarity import ArticleFeatures, Idf, idf_from_stats


@dataclass(frozen=True, slots=True)
class StorySettings:
    threshold: float = 0.25
    #: Across languages only names can match, and name-only scores run lower than text+name scores.
    cross_lingual_threshold: float = 0.18
    merge_threshold: float = 0.6
    text_weight: float = 0.8
    window_hours: float = 96.0
    candidate_limit: int = 60
    profile_cache: int = 20_000

    @classmethod
    def from_settings(cls, settings) -> StorySettings:  # type: ignore[no-untyped-def]
        defaults = cls()
        return cls(
            threshold=settings.getfloat("NEWSAGG_STORY_THRESHOLD", defaults.threshold),
            merge_threshold=settings.getfloat("NEWSAGG_STORY_MERGE_THRESHOLD", defaults.merge_threshold),
            cross_lingual_threshold=settings.getfloat(
                "NEWSAGG_STORY_CROSS_LINGUAL_THRESHOLD", defaults.cross_lingual_threshold
            ),
            window_hours=settings.getfloat("NEWSAGG_STORY_WINDOW_HOURS", defaults.window_hours),
        )


DF_CACHE = 200_000
DF_GROWTH = 1.1


def story_id_for(article_id: str) -> str:
    return f"st-{article_id[:12]}"


class StoryClusterer:
    """Assigns stories to articles already written to ``store``."""

    def __init__(self, store: ArticleStore, settings: StorySettings | None = None) -> None:
        self.store = store
        self.settings = settings or StorySettings()
        # Bounded cache of story profiles; a miss rebuilds the profile from the story's stored members.
        self._profiles: OrderedDict[str, StoryProfile] = OrderedDict()
        # Document frequencies drift slowly: cache them (bounded) and start over when the store has grown by
        # DF_GROWTH, so an assignment asks the store only for the terms it has not seen lately.
        self._df: OrderedDict[str, int] = OrderedDict()
        self._df_total = 0

    # --- profiles --------------------------------------------------------------------------------------
    def _profile(self, story_id: str) -> StoryProfile:
        profile = self._profiles.get(story_id)
        if profile is None:
            profile = StoryProfile(story_id)
            for member in self.store.iter_articles(ArticleFilter(story_id=story_id)):
                profile.add(ArticleFeatures.of(member))
            self._profiles[story_id] = profile
        self._profiles.move_to_end(story_id)
        while len(self._profiles) > self.settings.profile_cache:
            self._profiles.popitem(last=False)
        return profile

    def _idf(self, features: ArticleFeatures, profiles: list[StoryProfile]) -> Idf:
        terms = set(features.terms) | set(features.names)
        for profile in profiles:
            terms.update(profile.names)
            for bucket in profile.terms.values():
                terms.update(bucket)
        wanted = [t for t in terms if not t.startswith("#")]
        missing = sorted(t for t in wanted if t not in self._df)
        total, frequencies = self.store.term_stats(missing)
        if total > DF_GROWTH * self._df_total + 10:
            # The store grew enough for cached frequencies to mislead: start over.
            self._df.clear()
            self._df_total = total
            missing = sorted(wanted)
            total, frequencies = self.store.term_stats(missing)
        for term in missing:
            self._df[term] = frequencies.get(term, 0)
        while len(self._df) > DF_CACHE:
            self._df.popitem(last=False)
        base = idf_from_stats(total, {t: self._df.get(t, 0) for t in wanted})
        # Numbers are not FTS terms in the store; give them a fixed, fairly high weight (they are specific).
        number_weight = base("#")

        def idf(term: str) -> float:
            return number_weight if term.startswith("#") else base(term)

        return idf

    # --- assignment ------------------------------------------------------------------------------------
    def assign(self, article: Article) -> str:
        """Give ``article`` a story id (persisted) and refresh that story's summary."""
        features = ArticleFeatures.of(article)
        previous = article.get("story_id")
        story_id = self._decide(article, features)
        if previous != story_id:
            self.store.assign_story(article["id"], story_id)
            article["story_id"] = story_id
            self._count_in(story_id, article)
        return story_id

    def cluster_backlog(self) -> int:
        """Assign stories to stored articles that have none (clustering failed mid-crawl, e.g. the store
        went down between the write and the assignment). Originals before copies, earliest first."""
        backlog = list(self.store.iter_articles(ArticleFilter(unclustered=True)))
        backlog.sort(key=lambda a: (a.get("duplicate_of") is not None, a.get("published_utc") or float("inf"), a["id"]))
        for article in backlog:
            self.assign(article)
        return len(backlog)

    def _existing(self, article: Article) -> str | None:
        """A re-crawled article keeps its story; a copy joins its original's story."""
        current = article.get("story_id")
        if current:
            story = self.store.get_story(current)
            if story:
                return story["id"]
        original_id = article.get("duplicate_of")
        if original_id:
            original = self.store.get_article(original_id)
            if original and original.get("story_id"):
                story = self.store.get_story(original["story_id"])
                return story["id"] if story else original["story_id"]
        return None

    def _decide(self, article: Article, features: ArticleFeatures) -> str:
        existing = self._existing(article)
        if existing:
            if existing in self._profiles and article.get("story_id") != existing:
                self._profiles[existing].add(features)
            return existing
        window = self.settings.window_hours * 3600.0
        when = features.when_utc
        candidates = self.store.candidates(
            features.query_terms(),
            since_utc=when - window if when is not None else None,
            until_utc=when + window if when is not None else None,
            exclude_id=article["id"],
            limit=self.settings.candidate_limit,
        )
        # Resolve each distinct story once (merged ids follow their alias), keeping candidate rank order.
        resolved: dict[str, str] = {}
        for candidate in candidates:
            raw = candidate["story_id"]
            if raw not in resolved:
                story = self.store.get_story(raw)
                resolved[raw] = story["id"] if story else raw
        profiles = [self._profile(s) for s in dict.fromkeys(resolved.values())]
        if not profiles:
            return self._found(article, features)
        idf = self._idf(features, profiles)
        scored = sorted(
            ((p.score(features, idf, self.settings.text_weight), p.story_id) for p in profiles),
            key=lambda pair: (-pair[0], pair[1]),
        )
        best_score, best_id = scored[0]
        same_language = (features.language or "?") in self._profile(best_id).terms
        threshold = self.settings.threshold if same_language else self.settings.cross_lingual_threshold
        if best_score < threshold:
            return self._found(article, features)
        winner = self._profile(best_id)
        winner.add(features)
        for score, other_id in scored[1:]:
            if score < self.settings.threshold:
                break
            other = self._profile(other_id)
            if winner.similarity_to(other, idf, self.settings.text_weight) >= self.settings.merge_threshold:
                self._merge(winner, other)
        return best_id

    def _found(self, article: Article, features: ArticleFeatures) -> str:
        story_id = story_id_for(article["id"])
        profile = StoryProfile(story_id)
        profile.add(features)
        self._profiles[story_id] = profile
        if self.store.get_story(story_id) is None:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            self.store.save_story({"id": story_id, "label": article.get("title") or article.get("url"),
                                   "keywords": [], "article_count": 0, "created_at": now, "updated_at": now})
        return story_id

    def _merge(self, keep: StoryProfile, absorbed: StoryProfile) -> None:
        """Fold ``absorbed`` into ``keep``: its articles move, its id becomes an alias."""
        for member in list(self.store.iter_articles(ArticleFilter(story_id=absorbed.story_id))):
            self.store.assign_story(member["id"], keep.story_id)
        keep.merge(absorbed)
        self._profiles.pop(absorbed.story_id, None)
        old = self.store.get_story(absorbed.story_id) or {"id": absorbed.story_id}
        self.store.save_story({**old, "id": absorbed.story_id, "merged_into": keep.story_id, "article_count": 0})
        self.refresh_story(keep.story_id)

    def _count_in(self, story_id: str, article: Article) -> None:
        """Update the story's summary with one new member, without reading all members again."""
        story = self.store.get_story(story_id)
        if story is None or story["id"] != story_id:
            self.refresh_story(story_id)
            return
        when = article.get("published_utc")
        first, last = story.get("first_published_utc"), story.get("last_published_utc")
        earlier = when is not None and (first is None or when < first)
        if earlier and not article.get("duplicate_of"):
            story["label"] = article.get("title") or article.get("url")
        profile = self._profiles.get(story_id)
        if profile:
            story["keywords"] = [n for n, _ in profile.names.most_common(12) if not n.startswith("#")][:8]
        story.update(
            article_count=int(story.get("article_count") or 0) + 1,
            first_published_utc=when if earlier else first,
            last_published_utc=when if when is not None and (last is None or when > last) else last,
            updated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self.store.save_story(story)

    def refresh_story(self, story_id: str) -> None:
        """Recompute a story's summary from all its members (new stories, merges)."""
        members = list(self.store.iter_articles(ArticleFilter(story_id=story_id)))
        if not members:
            return
        originals = [m for m in members if not m.get("duplicate_of")] or members
        label_source = originals[0]
        profile = self._profiles.get(story_id)
        keywords = [n for n, _ in (profile.names if profile else Counter()).most_common(12) if not n.startswith("#")]
        times = [m["published_utc"] for m in members if m.get("published_utc") is not None]
        existing = self.store.get_story(story_id)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.store.save_story(
            {
                "id": story_id,
                "label": label_source.get("title") or label_source.get("url"),
                "keywords": keywords[:8],
                "created_at": (existing or {}).get("created_at") or now,
                "updated_at": now,
                "first_published_utc": min(times) if times else None,
                "last_published_utc": max(times) if times else None,
                "article_count": len(members),
                "merged_into": None,
            }
        )
