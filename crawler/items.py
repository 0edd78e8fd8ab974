"""The one article model that flows through every pipeline stage (ItemAdapter-friendly Scrapy Item)."""

from __future__ import annotations

import scrapy

from newsagg.storage.base import ARTICLE_FIELDS


class ArticleItem(scrapy.Item):
    """A fetched page on its way to becoming a stored article.

    The spider fills the *raw* fields; extract adds the content fields; normalize fills the stored fields
    (``ARTICLE_FIELDS``); dedupe adds the duplicate fields and the MinHash signature; index writes it.
    """

    # raw, from the spider
    body = scrapy.Field()
    response_encoding = scrapy.Field()
    headers = scrapy.Field()
    status = scrapy.Field()
    fetched_at = scrapy.Field()
    feed_published = scrapy.Field()  # DatedValue from a feed or sitemap entry
    feed_title = scrapy.Field()
    fetch = scrapy.Field()  # fetch record (URL as requested, validators...): fetch state once stored
    warc = scrapy.Field()  # {"file", "offset"} of the archived response (WARC archive or ingested file)
    # extracted, not stored as such
    extraction = scrapy.Field()
    minhash = scrapy.Field()

    locals().update({name: scrapy.Field() for name in ARTICLE_FIELDS})
