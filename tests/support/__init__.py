"""Test support: what the test suite (and the bench scripts) share, outside the installed package.

- :mod:`tests.support.crawl`: the crawl harness (``run_cli``, ``crawl``, ``crawl_command``, ``FAULT_SETTINGS``);
- :mod:`tests.support.hostile`: the hostile outlets (attack pages, a gzip bomb) on the news web's server;
- :mod:`tests.support.engine_proxy`: a loopback proxy that makes a real engine misbehave on cue;
- :mod:`tests.support.engines`: find or start a real OpenSearch / Elasticsearch node (``engine_url``);
- :mod:`tests.support.fixtures`: the webs as pytest fixtures (``news_web``, ``hostile_web``).
"""
