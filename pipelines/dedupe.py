"""Same URL → update (same id); same text → exact duplicate; MinHash near-duplicate → linked copy.

Nothing is dropped here: every copy is stored with ``dup_group``/``duplicate_kind``/``similarity``; the
store then points ``duplicate_of`` at the earliest-published member of the group.
"""

from __future__ import annotations

from itemadapter import ItemAdapter

from crawler.config import config_for
from crawler.distributed import shared_dupe_state
from crawler.store import store_for
from newsagg.dedupe import DuplicateDetector, signature_bytes


class DedupePipeline:
    def __init__(self, crawler) -> None:  # type: ignore[no-untyped-def]
        self.crawler = crawler
        self.detector: DuplicateDetector | None = None

    @classmethod
    def from_crawler(cls, crawler):  # type: ignore[no-untyped-def]
        return cls(crawler)

    def open_spider(self) -> None:
        config = config_for(self.crawler)
        threshold = config.dedupe.threshold
        self.detector = DuplicateDetector(
            store_for(self.crawler),
            threshold=threshold,
            window=config.dedupe.window,
            shared=shared_dupe_state(config, threshold),
        )

    def process_item(self, item):  # type: ignore[no-untyped-def]
        assert self.detector is not None
        adapter = ItemAdapter(item)
        # adapter["minhash"]: the signature an extraction worker computed with the text, if any.
        verdict, signature = self.detector.check(
            adapter["id"], adapter["text"], adapter["content_hash"], signature=adapter.get("minhash")
        )
        adapter["dup_group"] = verdict.dup_group
        adapter["duplicate_kind"] = verdict.kind
        adapter["similarity"] = verdict.similarity
        adapter["minhash"] = signature_bytes(signature) if signature is not None else None
        if verdict.kind:
            self.crawler.stats.inc_value(f"newsagg/duplicates/{verdict.kind}")
        return item
