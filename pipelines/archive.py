"""Each stored article's pointer to its archived response (``newsagg article raw ID`` reads it).

The spider puts the record's place (``item["warc"]``: the file and offset the WARC recorder wrote, or the
ingested archive's) on the item; the index pipeline hands it on with the article once the article's batch is
durable (``archived_durable``), and this component records it by article id in the crawler state file
(:mod:`newsagg.warc.pointers`) right then — one transaction per batch. Recording at that moment, not when
the item passes by, means a pointer never names an article that was not stored, and a killed ingest's
checkpoint (saved after the batch) never runs ahead of the pointers.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler import signals as newsagg_signals
from crawler.config import config_for
from newsagg.warc.pointers import WarcPointer, WarcPointers


class WarcPointerPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.home = config_for(crawler).store.home
        self.pointers: WarcPointers | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcPointerPipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.record, signal=newsagg_signals.archived_durable)
        # after every pipeline's close_spider: the index pipeline's last flush comes after this one closes
        crawler.signals.connect(pipeline.close, signal=signals.engine_stopped)
        return pipeline

    def process_item(self, item: Any) -> Any:
        return item

    def record(self, archived: list[tuple[str, str, dict[str, Any]]]) -> None:
        rows = [
            (article_id, url, WarcPointer(place["file"], int(place["offset"]))) for article_id, url, place in archived
        ]
        if not rows:
            return
        if self.pointers is None:
            self.pointers = WarcPointers.open(self.home)
        self.pointers.record(rows)
        self.crawler.stats.inc_value("newsagg/warc/pointers", len(rows))

    def close(self) -> None:
        if self.pointers is not None:
            self.pointers.close()
            self.pointers = None
