"""Story focus: keep only the articles of one story (terms or a seed article) within a time window."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsagg.text import fold, tokens


def parse_when(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """``--since/--until``: ISO dates or datetimes, or relative forms like '3 days ago'; tz-aware (UTC default)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
        if len(value) <= 10 and end_of_day:
            parsed = parsed.replace(hour=23, minute=59, second=59)
    except ValueError:
        # Imported here: the crawl process imports this module (the spider's focus) and dateparser costs it
        # ≈ 12 MB for relative dates that only ``--since``/``--until`` ever parse.
        import dateparser

        parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC"})
        if parsed is None:
            raise ValueError(f"cannot read date {value!r}: use YYYY-MM-DD, an ISO datetime, or '3 days ago'") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(slots=True)
class StoryFocus:
    """What to keep. Terms: an article is in focus when it mentions at least 60% of them (accent- and
    case-insensitive), so "Kast CECOT Bukele" keeps articles that name two of the three."""

    terms: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def from_args(cls, story: str | None, since: str | None, until: str | None) -> StoryFocus:
        terms = [t for t in tokens(story or "") if len(t) > 1]
        return cls(terms=terms, since=parse_when(since), until=parse_when(until, end_of_day=True))

    @property
    def active(self) -> bool:
        return bool(self.terms or self.since or self.until)

    def in_window(self, when: datetime | None) -> bool:
        """Undated articles stay in: a missing date is no evidence of being out of the window."""
        if when is None:
            return True
        if self.since and when < self.since:
            return False
        return not (self.until and when > self.until)

    def matches_text(self, title: str | None, text: str | None) -> bool:
        if not self.terms:
            return True
        words = set(tokens(f"{title or ''} {text or ''}"))
        needed = max(1, math.ceil(0.6 * len(self.terms)))
        return sum(1 for term in self.terms if fold(term) in words) >= needed
