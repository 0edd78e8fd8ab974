"""The crawler's own operational state, kept apart from the article store.

Runs, per-outlet health, fetch state (ETag / Last-Modified / re-fetch schedule) and resume checkpoints
belong to the crawler host, not to the searchable corpus: they stay in ``NEWSAGG_HOME/state.sqlite`` even
when articles go to Elasticsearch, and losing them costs a full re-crawl, never an article.
"""

from newsagg.state.db import open_state_db, state_path

__all__ = ["open_state_db", "state_path"]
