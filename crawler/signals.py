"""Custom Scrapy signals."""

#: Sent by the index pipeline after a batch was written: ``articles=list[dict]`` (the stored dicts).
articles_indexed = object()
