"""Settings for crawling the local news web (or any web on loopback): the one definition the demo and the
test suite share.

The polite defaults of ``settings/default.py`` start AutoThrottle at a delay meant for someone else's server
and flush the index every few seconds; on our own loopback server that only makes a crawl of a few dozen
pages take minutes. These values keep AutoThrottle on (its behaviour is part of what a crawl does) but let it
start fast, and flush the index often enough that a short crawl's results are written promptly.
"""

from __future__ import annotations

from collections.abc import Mapping

CRAWL_SETTINGS: Mapping[str, float] = {
    "AUTOTHROTTLE_START_DELAY": 0.05,
    "AUTOTHROTTLE_MAX_DELAY": 1.0,
    "NEWSAGG_INDEX_FLUSH_SECONDS": 1.0,
}
