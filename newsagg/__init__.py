"""newsagg: crawl, normalize, dedupe, index and cluster news coverage of one story across outlets."""

__version__ = "0.1.0"
