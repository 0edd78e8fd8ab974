"""The check Scrapy makes for every response (``WARN_ON_GENERATOR_RETURN_VALUE``), made once for every callback of
newsagg's spiders: a generator callback that ``return``s a value loses it silently. The settings turn Scrapy's
per-response check off (it re-reads and re-parses the callback's source for nearly every page), so it lives here."""

from __future__ import annotations

import inspect

import pytest
from scrapy import Spider
from scrapy.utils.misc import is_generator_with_return_value

from crawler.process import build_settings
from crawler.spiders.news import NewsSpider
from crawler.spiders.warc import WarcSpider


@pytest.mark.parametrize("spider", [NewsSpider, WarcSpider])
def test_no_generator_callback_returns_a_value(spider: type[Spider]) -> None:
    generators = [f for _, f in inspect.getmembers(spider, inspect.isfunction) if inspect.isgeneratorfunction(f)]
    assert generators, "no generator callbacks found: the check below would prove nothing"
    for function in generators:
        assert not is_generator_with_return_value(function), function.__qualname__


def test_the_per_response_check_is_off() -> None:
    assert build_settings().getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False
