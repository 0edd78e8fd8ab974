"""Spiders of the newsagg Scrapy project."""
