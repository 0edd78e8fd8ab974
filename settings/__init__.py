"""Scrapy settings (``settings.default``) and the outlet registries (``sources.yaml``)."""
