"""What the extraction pool's workers run (:func:`extract_with_signature`), in a module that imports neither
Scrapy nor Twisted.

A worker imports the module of the function it is sent, and the pool's fork server preloads it: were the function
in :mod:`pipelines.extract` (a Scrapy pipeline), Scrapy, Twisted and itemadapter (≈ 36 MB) would be loaded into
the fork server, and from it into every worker, for nothing.
"""

from __future__ import annotations

from typing import Any

from newsagg.dedupe import signature_for
from newsagg.extraction import ExtractedArticle
from newsagg.extraction.budget import cpu_budget
from newsagg.malloc import release_after

Extracted = tuple[ExtractedArticle, bytes | None]


def extract_with_signature(body: bytes, url: str, kwargs: dict[str, Any], cpu_seconds: float = 0.0) -> Extracted:
    """Extraction plus the text's MinHash signature (for dedupe): all the per-page CPU work, in one call,
    within the page's CPU budget (:mod:`newsagg.extraction.budget`). After a big page the heap's free pages go
    back to the system (:func:`newsagg.malloc.release_after`), so a worker does not keep its largest page's
    memory for the rest of the crawl.

    extraction's modules are imported here, not at the top: the crawl process, which imports this module,
    normally only receives the workers' results (they are preloaded in the workers' fork server)."""
    from newsagg.extraction.core import extract_article

    try:
        with cpu_budget(cpu_seconds):
            extracted = extract_article(body, url, **kwargs)
            signature = signature_for(extracted.text) if extracted.is_article else None
    finally:
        release_after(len(body))
    return extracted, signature
