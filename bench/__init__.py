"""Benchmarks: they print figures and ratios (timed assertions belong here, never in tests/).

Run them from the project root: ``python bench/crawl.py``, ``python bench/index_bench.py``, ``python bench/memory.py``,
``python bench/distributed.py``.
"""
