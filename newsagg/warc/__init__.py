"""WARC in and out: every fetched response archived by a crawl, and archives read back into the store.

- :mod:`newsagg.warc.writer`: rotating, size-bounded ``.warc.gz`` files (warcio), one ``warcinfo`` record at the
  start of each file, request/response pairs, ``revisit`` records for 304s.
- :mod:`newsagg.warc.reader`: the HTTP responses of a WARC file or stream, damaged parts skipped with a reason.
- :mod:`newsagg.warc.pointers`: which archived record each stored article came from, and which archives an
  ingest has finished (in the crawler state file, whatever the store backend).

See docs/warc.md.
"""

from newsagg.warc.pointers import WarcPointer

__all__ = ["WarcPointer"]
