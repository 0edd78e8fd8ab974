"""Each stored article's pointer to its archived response (``newsagg article raw ID`` reads it).

The spider puts the record's place (``item["warc"]``: the file and offset the WARC recorder wrote, or the
ingested archive's) on the item; after the index stage, this stage records it by article id in the crawler
state file (:mod:`newsagg.warc.pointers`). Items without a pointer (no archive) pass untouched.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.config import config_for
from newsagg.warc.pointers import WarcPointer, WarcPointers

_BATCH = 200


class WarcPointerPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.home = config_for(crawler).store.home
        self.pointers: WarcPointers | None = None
        self.pending: list[tuple[str, str, WarcPointer]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcPointerPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        place = adapter.get("warc")
        if place and adapter.get("id"):
            self.pending.append((adapter["id"], adapter["url"], WarcPointer(place["file"], int(place["offset"]))))
            if len(self.pending) >= _BATCH:
                self.flush()
        return item

    def flush(self) -> None:
        if not self.pending:
            return
        if self.pointers is None:
            self.pointers = WarcPointers.open(self.home)
        rows, self.pending = self.pending, []
        self.pointers.record(rows)
        self.crawler.stats.inc_value("newsagg/warc/pointers", len(rows))

    def close_spider(self) -> None:
        self.flush()
        if self.pointers is not None:
            self.pointers.close()
            self.pointers = None
