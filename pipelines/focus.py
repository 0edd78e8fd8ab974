"""Story focus: drop (with a reason in the stats) articles outside the requested story or time window."""

from __future__ import annotations

from datetime import datetime

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem


class FocusPipeline:
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def process_item(self, item):  # type: ignore[no-untyped-def]
        focus = getattr(self.crawler.spider, "focus", None)
        if focus is None or not focus.active:
            return item
        adapter = ItemAdapter(item)
        published = adapter.get("published_at")
        when = datetime.fromisoformat(published) if published and "T" in published else None
        if not focus.in_window(when):
            self.crawler.stats.inc_value("newsagg/skipped/outside_window")
            raise DropItem(f"outside the time window: {adapter['url']} ({published})")
        if not focus.matches_text(adapter.get("title"), adapter.get("text")):
            self.crawler.stats.inc_value("newsagg/skipped/outside_story")
            raise DropItem(f"not about the focused story: {adapter['url']}")
        return item
