"""What the extraction pool's workers run (:func:`extract_with_signature`), in a module that imports neither
Scrapy nor Twisted.

A worker imports the module of the function it is sent, and the pool's fork server preloads it: were the function
in :mod:`pipelines.extract` (a Scrapy pipeline), Scrapy, Twisted and itemadapter (≈ 36 MB) would be loaded into
the fork server, and from it into every worker, for nothing.
"""

from __future__ import annotations

from typing import Any

from newsagg.dedupe import signature_of_tokens
from newsagg.extraction import ExtractedArticle
from newsagg.extraction.budget import cpu_budget
from newsagg.malloc import release_after
from newsagg.text import content_hash_of_tokens, tokens

#: The page extracted, its text's MinHash signature (None if not an article or too short) and content hash.
Extracted = tuple[ExtractedArticle, bytes | None, str]


def extract_with_signature(body: bytes, url: str, kwargs: dict[str, Any], cpu_seconds: float = 0.0) -> Extracted:
    """Extraction plus the text's MinHash signature and content hash (for dedupe, from one tokenization of the
    text): all the per-page CPU work, in one call, within the page's CPU budget
    (:mod:`newsagg.extraction.budget`). After a big page the heap's free pages go back to the system
    (:func:`newsagg.malloc.release_after`), so a worker does not keep its largest page's memory for the rest of
    the crawl.

    extraction's modules are imported here, not at the top: the crawl process, which imports this module,
    normally only receives the workers' results (they are preloaded in the workers' fork server)."""
    from newsagg.extraction.core import extract_article

    try:
        with cpu_budget(cpu_seconds):
            extracted = extract_article(body, url, **kwargs)
            words = tokens(extracted.text)
            signature = signature_of_tokens(extracted.text, words) if extracted.is_article else None
            text_hash = content_hash_of_tokens(words)
    finally:
        release_after(len(body))
    return extracted, signature, text_hash
