"""Log dropped items by URL and reason only: the default formatter dumps the whole item (page text, headers)
into the log for every skipped page."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import DROPPEDMSG, LogFormatter


class ConciseLogFormatter(LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None) -> dict[str, Any]:
        return {
            "level": logging.INFO,
            "msg": DROPPEDMSG,
            "args": {"exception": exception, "item": item.get("url", "?") if hasattr(item, "get") else "?"},
        }
