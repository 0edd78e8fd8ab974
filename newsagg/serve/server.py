"""Running the app under uvicorn (the CLI's ``newsagg serve``, the tests and the bench use this)."""

from __future__ import annotations

import gc

from newsagg.secrets import install_log_redaction
from newsagg.serve.app import create_app
from newsagg.serve.config import ServeConfig

#: Allocations (net, of objects the garbage collector tracks) between two young-generation collections; the
#: older generations keep CPython's ratios (a middle collection every 10 young ones, a full one every 10 middle).
YOUNG_COLLECTION_EVERY = 20_000


def tune_garbage_collector() -> None:
    """Fewer and cheaper garbage collections for a long-running server.

    The first view of a large story builds its document (hundreds of articles: tens of thousands of dicts and
    lists) and keeps it in a cache. With CPython's default (a young collection every 700 allocations on 3.11) that
    view triggers dozens of collections, promotes its short-lived objects to the older generations, and every
    few views a full collection walks the whole heap, caches and all: pauses of 50-200 ms that landed in
    whichever request happened to run, the slow tail of the story pages. Collecting every 20,000 allocations
    lets a request's temporary objects die young, and ``gc.freeze()`` moves what exists once the app is built
    (modules, the app, its template environment) out of the collected generations for good.
    """
    gc.freeze()
    _, middle, full = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, full)


def serve(config: ServeConfig, *, log_level: str = "info") -> None:
    """Serve until interrupted (Ctrl-C / SIGTERM)."""
    import uvicorn

    install_log_redaction()
    app = create_app(config)
    tune_garbage_collector()
    uvicorn.run(
        app,
        host=config.host,
        port=config.port,
        log_level=log_level,
        server_header=False,
        proxy_headers=False,
    )
