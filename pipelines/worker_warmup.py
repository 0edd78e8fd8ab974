"""Imported by the extraction pool's fork server (its preload list): loads, once, what extraction otherwise
loads lazily in every worker, then freezes the garbage collector's view of it.

Measured on the bench pages, a worker's first pages load ≈ 110 MB: the py3langid model (≈ 75 MB), jusText's
stoplists of every language (≈ 27 MB, trafilatura's fallback), tldextract's Public Suffix List (≈ 6 MB) and
dateparser's locale map. Loaded in the fork server instead, they are shared copy-on-write by every worker
forked from it (the extraction workers and the story worker), and counted once in the crawl's PSS.
``gc.freeze()`` moves everything loaded so far out of the collector's generations, so collections in the
workers do not write to those objects' headers and copy their pages back.
"""

from __future__ import annotations

import gc


def warm_up() -> None:
    """Load the lazily loaded models and tables of extraction (each step is best effort: a failure only
    means the worker loads it later itself)."""
    from newsagg.extraction.core import _dateparser_languages
    from newsagg.extraction.language import _identifier
    from newsagg.urls import site_of

    steps = (
        _identifier,
        lambda: _dateparser_languages(["en"]),
        lambda: site_of("https://www.example.co.uk/"),
        _justext_stoplists,
    )
    for step in steps:
        try:
            step()
        except Exception:  # warming is an optimisation, never a reason for a pool not to start
            continue


def _justext_stoplists() -> None:
    from trafilatura import external

    if external.JT_STOPLIST is None:
        external.jt_stoplist_init()


warm_up()
gc.freeze()
