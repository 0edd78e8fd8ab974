"""Log dropped items by URL and reason only: the default formatter dumps the whole item (page text, headers)
into the log for every skipped page. Building the formatter also turns on credential redaction for every log
record of the process (:mod:`newsagg.secrets`), so no secret reaches the crawl log or the console."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import DROPPEDMSG, LogFormatter

from newsagg.secrets import install_log_redaction


class ConciseLogFormatter(LogFormatter):
    @classmethod
    def from_crawler(cls, crawler: Any) -> ConciseLogFormatter:
        install_log_redaction()
        return cls()

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> dict[str, Any]:
        return {
            "level": logging.INFO,
            "msg": DROPPEDMSG,
            "args": {"exception": exception, "item": item.get("url", "?") if hasattr(item, "get") else "?"},
        }
