"""Settings for crawling the local news web (or any web on loopback): the one definition the demo and the
test suite share.

The polite defaults of ``settings/default.py`` start AutoThrottle at a delay meant for someone else's server
and flush the index every few seconds; on our own loopback server that only makes a crawl of a few dozen
pages take minutes. These values keep AutoThrottle on (its behaviour is part of what a crawl does) but let it
start fast. The index is flushed by batch size and at the end, not on a timer: a crawl of a few dozen pages
then writes (and clusters) its articles as one batch, so its stories do not depend on how a loaded machine
happened to time the downloads (incremental clustering sees articles in arrival order across batches). Tests
that need batches mid-crawl set ``NEWSAGG_INDEX_BATCH_SIZE``.
"""

from __future__ import annotations

from collections.abc import Mapping

CRAWL_SETTINGS: Mapping[str, float] = {
    "AUTOTHROTTLE_START_DELAY": 0.05,
    "AUTOTHROTTLE_MAX_DELAY": 1.0,
    "NEWSAGG_INDEX_FLUSH_SECONDS": 600.0,
}
