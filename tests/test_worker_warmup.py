"""The extraction pool's warm-up (pipelines/worker_warmup.py) and the malloc settings it pins
(newsagg/malloc.py), in real processes: a worker of the real pool finds the jusText stoplist built once, in the
fork server, and allocates big blocks with mmap (returned at free) rather than from a heap that keeps them."""

from __future__ import annotations

import ctypes
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from newsagg.malloc import TRIM_AFTER_BYTES, release_after

ROOT = Path(__file__).resolve().parent.parent


class MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
    ] + [("keepcost", ctypes.c_size_t)]


def mmapped_after_a_big_free() -> int:
    """Bytes held in mmapped blocks while a 1 MiB buffer is alive that was allocated after an 8 MiB one was freed.
    glibc's default raises its mmap threshold to 8 MiB at that free, so the 1 MiB comes from the heap (0 here);
    with the thresholds pinned it is mmapped."""
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = MallInfo2
    big = bytearray(8 << 20)
    del big
    small = bytearray(1 << 20)
    held = int(libc.mallinfo2().hblkhd)
    del small
    return held


def probe() -> dict[str, Any]:
    """Run in a worker of the real extraction pool: what the fork server's warm-up left it."""
    import gc

    from justext.core import define_stoplist
    from lxml import html
    from trafilatura import external

    from pipelines import worker_warmup

    stoplist = external.JT_STOPLIST
    before = define_stoplist.cache_info()
    external.try_justext(
        html.fromstring("<html><body><p>" + "the news of the day " * 40 + "</p></body></html>"), None, None
    )
    after = define_stoplist.cache_info()
    import dateparser
    from dateparser.languages.dictionary import Dictionary
    from dateparser.languages.loader import default_loader

    locales_before = len(default_loader._loaded_locales)
    regexes_before = sum(len(v) for v in Dictionary._split_regex_cache.values())
    dateparser.parse("zzqv 2026", languages=None, settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return {
        "locales": [locales_before, len(default_loader._loaded_locales)],
        "regexes": [regexes_before, sum(len(v) for v in Dictionary._split_regex_cache.values())],
        "warmed": worker_warmup.WARMED,
        "frozen": gc.get_freeze_count(),
        "stoplist_kept": external.JT_STOPLIST is stoplist and stoplist is not None,
        "stoplist_words": type(getattr(stoplist, "words", None)).__name__,
        "cache_before": [before.hits, before.misses],
        "cache_after": [after.hits, after.misses],
        "mmapped": mmapped_after_a_big_free(),
    }


POOL_SCRIPT = """
import json
from pipelines.extract import make_pool
from tests.test_worker_warmup import probe

pool = make_pool(1)
print(json.dumps(pool.submit(probe).result()))
pool.shutdown()
"""

MALLOC_SCRIPT = """
import sys
from newsagg.malloc import pin_malloc_thresholds
from tests.test_worker_warmup import mmapped_after_a_big_free

pinned = pin_malloc_thresholds() if sys.argv[1] == "pin" else None
print(pinned, mmapped_after_a_big_free())
"""


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    return done.stdout


def test_a_pool_worker_finds_the_stoplist_built_once_and_the_malloc_thresholds_pinned() -> None:
    seen = json.loads(run(POOL_SCRIPT).splitlines()[-1])
    assert seen["warmed"] == {
        "malloc_thresholds": True,
        "language_model": True,
        "dateparser_languages": True,
        "public_suffix_list": True,
        "justext_stoplist": True,
        "dateparser_locales": True,
    }
    assert seen["frozen"] > 0
    # every locale dateparser's language detection reads, loaded with its regexes in the fork server
    assert seen["locales"][0] >= 200 and seen["locales"][0] == seen["locales"][1]
    assert seen["regexes"][0] >= 200 and seen["regexes"][0] == seen["regexes"][1]
    assert seen["stoplist_kept"]
    assert seen["stoplist_words"] == "frozenset"  # trafilatura's tuple of the words is not kept
    # built in the fork server (one miss there), found by the worker: no new miss, one more hit
    assert seen["cache_before"] == [0, 1]
    assert seen["cache_after"] == [1, 1]
    assert seen["mmapped"] >= 1 << 20


def test_pinned_thresholds_keep_big_blocks_in_mmap_unlike_glibcs_default() -> None:
    pinned, held = run(MALLOC_SCRIPT, "pin").split()
    default, held_by_default = run(MALLOC_SCRIPT, "default").split()
    assert pinned == "True" and int(held) >= 1 << 20
    assert default == "None" and int(held_by_default) < 1 << 20


def test_only_big_pages_are_trimmed_after() -> None:
    assert release_after(TRIM_AFTER_BYTES - 1) is False
    release_after(TRIM_AFTER_BYTES)  # returns whether anything was free; must not fail


IMPORTS_SCRIPT = """
import json, pickle, sys

modules = sys.argv[1].split(",")
for name in modules:
    __import__(name)
if "pipelines.extract" in modules:  # the crawl process receives the workers' results
    from newsagg.extraction import ExtractedArticle

    pickle.loads(pickle.dumps(ExtractedArticle(url="https://example.org/a", canonical_url="https://example.org/a")))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def loaded_by(*modules: str) -> set[str]:
    return set(json.loads(run(IMPORTS_SCRIPT, ",".join(modules)).splitlines()[-1]))


def test_the_fork_server_preloads_no_crawl_framework_and_no_datasketch() -> None:
    """What the workers are forked with: Scrapy, Twisted and itemadapter are the crawl process's (≈ 36 MB),
    datasketch and scipy (≈ 55 MB) are only needed by a distributed crawl's shared LSH."""
    from pipelines.extract import _PRELOAD

    preloaded = [name for name in _PRELOAD if name != "pipelines.worker_warmup"]  # it warms at import
    loaded = loaded_by(*preloaded)
    assert {"trafilatura", "dateparser", "py3langid"} <= loaded
    assert not loaded & {"scrapy", "twisted", "itemadapter", "datasketch", "scipy"}


def test_the_crawl_process_does_not_load_extraction_for_the_workers_results() -> None:
    loaded = loaded_by("pipelines.extract", "pipelines.dedupe", "crawler.story_worker", "crawler.spiders.news")
    assert "scrapy" in loaded
    # dateparser (≈ 12 MB): the spider's story focus parses relative dates only for --since/--until
    assert not loaded & {"trafilatura", "justext", "htmldate", "datasketch", "scipy", "dateparser"}


STOPLIST_SCRIPT = """
from justext.core import define_stoplist
from trafilatura import external

expected = frozenset(w.lower() for w in external.jt_stoplist_init())
from pipelines import worker_warmup

stoplist = external.JT_STOPLIST
assert isinstance(stoplist, worker_warmup.Stoplist), type(stoplist)
assert define_stoplist(stoplist) is stoplist.words
print(len(expected), define_stoplist(stoplist) == expected, frozenset(stoplist) == expected)
"""


def test_the_shared_stoplist_holds_the_words_of_every_justext_stoplist() -> None:
    """jusText sees the same lower-cased words through the warm-up's :class:`~pipelines.worker_warmup.Stoplist` as
    through trafilatura's tuple."""
    count, cached_equal, iterated_equal = run(STOPLIST_SCRIPT).split()
    assert int(count) > 100_000
    assert cached_equal == iterated_equal == "True"
