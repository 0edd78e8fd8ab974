"""Incremental story assignment: each new article joins the best matching story or starts one.

The backend proposes candidates (full-text match on the article's key terms within a time window); the
decision is plain Python, so every backend yields the same stories. Story ids are derived from the founding
article's id, so they are stable as the story grows and across re-runs in the same order.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from newsagg.storage.base import Article, ArticleFilter, ArticleStore
from newsagg.stories.similarity import ArticleFeatures, idf_from_stats, similarity


@dataclass(frozen=True, slots=True)
class StorySettings:
    threshold: float = 0.22
    window_hours: float = 96.0
    candidate_limit: int = 60
    members_compared: int = 5

    @classmethod
    def from_settings(cls, settings) -> StorySettings:  # type: ignore[no-untyped-def]
        return cls(
            threshold=settings.getfloat("NEWSAGG_STORY_THRESHOLD", cls.threshold),
            window_hours=settings.getfloat("NEWSAGG_STORY_WINDOW_HOURS", cls.window_hours),
        )


def story_id_for(article_id: str) -> str:
    return f"st-{article_id[:12]}"


class StoryClusterer:
    """Assigns stories to articles already written to ``store``."""

    def __init__(self, store: ArticleStore, settings: StorySettings | None = None) -> None:
        self.store = store
        self.settings = settings or StorySettings()

    def assign(self, article: Article) -> str:
        """Give ``article`` a story id (persisted) and refresh that story's summary."""
        story_id = self._decide(article)
        self.store.assign_story(article["id"], story_id)
        article["story_id"] = story_id
        self.refresh_story(story_id)
        return story_id

    def _decide(self, article: Article) -> str:
        if article.get("story_id") and self.store.get_story(article["story_id"]):
            return self.store.get_story(article["story_id"])["id"]  # type: ignore[index]
        original_id = article.get("duplicate_of")
        if original_id:
            original = self.store.get_article(original_id)
            if original and original.get("story_id"):
                return original["story_id"]
        features = ArticleFeatures.of(article)
        window = self.settings.window_hours * 3600.0
        when = features.when_utc
        candidates = self.store.candidates(
            features.query_terms(),
            since_utc=when - window if when is not None else None,
            until_utc=when + window if when is not None else None,
            exclude_id=article["id"],
            limit=self.settings.candidate_limit,
        )
        others = [ArticleFeatures.of(c) for c in candidates]
        total, frequencies = self.store.term_stats(
            sorted(set(features.terms).union(*(o.terms for o in others)))
        )
        idf = idf_from_stats(total, frequencies)
        features.weigh(idf)
        by_story: dict[str, list[float]] = defaultdict(list)
        for candidate, other in zip(candidates, others, strict=True):
            other.weigh(idf)
            by_story[candidate["story_id"]].append(similarity(features, other))
        best_story, best_score = None, 0.0
        for story_id, scores in sorted(by_story.items()):
            top = sorted(scores, reverse=True)[: self.settings.members_compared]
            score = 0.5 * top[0] + 0.5 * (sum(top) / len(top))
            if score > best_score:
                best_story, best_score = story_id, score
        if best_story is not None and best_score >= self.settings.threshold:
            resolved = self.store.get_story(best_story)
            return resolved["id"] if resolved else best_story
        return story_id_for(article["id"])

    def refresh_story(self, story_id: str) -> None:
        members = list(self.store.iter_articles(ArticleFilter(story_id=story_id)))
        if not members:
            return
        originals = [m for m in members if not m.get("duplicate_of")] or members
        label_source = originals[0]
        names: Counter[str] = Counter()
        for member in originals[:30]:
            names.update({n: 1 for n in ArticleFeatures.of(member).names if not n.startswith("#")})
        times = [m["published_utc"] for m in members if m.get("published_utc") is not None]
        existing = self.store.get_story(story_id)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.store.save_story(
            {
                "id": story_id,
                "label": label_source.get("title") or label_source.get("url"),
                "keywords": [n for n, _ in names.most_common(8)],
                "created_at": (existing or {}).get("created_at") or now,
                "updated_at": now,
                "first_published_utc": min(times) if times else None,
                "last_published_utc": max(times) if times else None,
                "article_count": len(members),
                "merged_into": None,
            }
        )
