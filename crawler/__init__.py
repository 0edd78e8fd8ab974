"""The Scrapy project: spiders that discover and fetch articles, plus the crawl-wide components."""
