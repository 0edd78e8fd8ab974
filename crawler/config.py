"""The typed configuration of a running crawl, for every Scrapy component: ``config_for(crawler)``.

Components read :class:`newsagg.config.Config` (typed, defaults declared once in
:mod:`newsagg.settings_schema`) instead of ``settings.getint(NAME, fallback)``. The crawler's Scrapy settings
carry the ``NEWSAGG_*`` values: those set above the declared default (``newsagg crawl --set``, ``scrapy crawl
-s``, a spider's or a test's settings) are applied as overrides over defaults ← settings file ← environment, by
the same builder ``newsagg config show`` uses, so plain ``scrapy crawl news`` sees the environment too.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings

from newsagg.config import Config, load_config
from newsagg.settings_schema import SETTINGS

_ATTRIBUTE = "_newsagg_config"
#: ``BOT_NAME`` of ``settings/default.py``: tells the project settings module is loaded.
PROJECT_BOT_NAME = "newsagg"


def config_for(crawler: Crawler) -> Config:
    """The crawl's configuration, built once per crawler and cached on it."""
    config = getattr(crawler, _ATTRIBUTE, None)
    if config is None:
        config = config_from_settings(crawler.settings)
        setattr(crawler, _ATTRIBUTE, config)
    return config


def config_from_settings(settings: BaseSettings) -> Config:
    return load_config(explicit_values(settings))


def explicit_values(settings: BaseSettings) -> dict[str, Any]:
    """The ``NEWSAGG_*`` values ``settings`` sets on purpose. With the project settings module loaded
    (``settings/default.py``: ``BOT_NAME`` is ``newsagg``), its declared defaults sit at project priority and must
    not hide the environment: only values above project priority or differing from the default count. Without it
    (a test's or a script's own settings), every ``NEWSAGG_*`` value present counts."""
    project_module = settings.get("BOT_NAME") == PROJECT_BOT_NAME
    project = SETTINGS_PRIORITIES["project"]
    explicit: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        if setting.env_only or setting.secret:
            continue
        priority = settings.getpriority(name)
        if priority is None:
            continue
        value = settings[name]
        if not project_module or priority > project or value != setting.default:
            explicit[name] = value
    return explicit
