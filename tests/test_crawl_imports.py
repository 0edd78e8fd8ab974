"""What the crawl process imports: Scrapy components that are switched off are left out of the crawl's component
lists (``crawler.process.unload_switched_off``), so their modules (the remote control's aiohttp, the cookies
middleware's tldextract and requests) are not imported. Each check runs in a fresh interpreter, since the test
process may have imported them already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Builds the crawl's extension and downloader-middleware lists as Scrapy does and imports every component in them,
#: then prints the components and which of the watched modules got imported.
SCRIPT = """
import json, sys
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.extension import ExtensionManager
from scrapy.utils.misc import load_object
from crawler.process import build_settings

settings = build_settings(json.loads(sys.argv[1]))
components = ExtensionManager._get_mwlist_from_settings(settings)
components += DownloaderMiddlewareManager._get_mwlist_from_settings(settings)
for path in components:
    load_object(path)
watched = ["aiohttp", "scrapy.extensions.remote_control", "scrapy.downloadermiddlewares.cookies", "requests"]
print(json.dumps({"components": components, "imported": [m for m in watched if m in sys.modules]}))
"""
REMOTE_CONTROL = "scrapy.extensions.remote_control.RemoteControl"
COOKIES = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"


def crawl_components(overrides: dict[str, object]) -> dict[str, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env = {k: v for k, v in env.items() if not k.startswith("NEWSAGG_")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(overrides)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_switched_off_components_are_never_imported() -> None:
    result = crawl_components({})
    assert REMOTE_CONTROL not in result["components"]
    assert COOKIES not in result["components"]
    assert result["imported"] == []
    # the rest of Scrapy's defaults is still there
    assert "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware" in result["components"]
    assert "scrapy.extensions.corestats.CoreStats" in result["components"]


@pytest.mark.parametrize(
    ("switch", "component"), [("REMOTE_CONTROL_ENABLED", REMOTE_CONTROL), ("COOKIES_ENABLED", COOKIES)]
)
def test_a_component_switched_on_stays(switch: str, component: str) -> None:
    assert component in crawl_components({switch: True})["components"]
