"""Custom Scrapy signals."""

#: Sent by the index pipeline after a batch was written: ``articles=list[dict]`` (the stored dicts).
articles_indexed = object()

#: Sent when fetched pages are finished for good: their articles durably stored (batch committed, or spooled
#: to disk for replay) or they yielded no article. ``pages=list[dict]`` (fetch records, see
#: ``newsagg/state/fetch.py``). The fetch state records a page only on this signal, so a crash never marks
#: an unwritten article as fetched.
pages_done = object()

#: Sent by the index pipeline once a batch is durable (written, or spooled for replay), for its articles that
#: came from an archived record: ``archived=list[tuple[str, str, dict]]`` (article id, URL, ``{"file",
#: "offset"}``). Pointers to archived responses are recorded, and an ingest's checkpoints advance, on it.
archived_durable = object()

#: Sent by a component that waits for this process's articles to be durable (a distributed ingest with no file
#: left to read, waiting for the run to finish): the index pipeline writes its partial batch now.
flush_requested = object()
