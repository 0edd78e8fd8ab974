"""``newsagg serve`` in a real browser: Debian's chromium, driven by Selenium through chromium-driver.

A reader's path: search for the seed story, open it from the results, read its countries, timeline and
regional angles from the page; no console error anywhere (a CSP violation would be one), and no stored
field, however hostile, runs as script.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from newsagg.serve import ServeConfig
from newsagg.storage.base import ArticleFilter
from newsagg.storage.sqlite import SQLiteStore
from newsagg.text import fold
from tests.serve_support import HOSTILE_ARTICLE, HOSTILE_STORY, SEED_QUERY, Crawled, RunningServer, crawled_home

pytestmark = pytest.mark.slow
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

if not (shutil.which(CHROMIUM) and shutil.which(DRIVER)):
    pytest.skip(
        "chromium and chromium-driver are needed (apt-get install chromium chromium-driver)", allow_module_level=True
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return crawled_home(tmp_path_factory)


@pytest.fixture(scope="module")
def server(crawled: Crawled) -> Iterator[RunningServer]:
    with RunningServer(ServeConfig(home=crawled.home)) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: webdriver.Chrome) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def no_script_ran(driver: webdriver.Chrome) -> None:
    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        pass
    else:
        raise AssertionError(f"an alert opened: {alert.text}")
    assert driver.execute_script("return window.__xss === undefined") is True
    assert driver.find_elements(By.TAG_NAME, "script") == []


def test_search_open_story_read_countries_timeline_angles(
    browser: webdriver.Chrome, server: RunningServer, crawled: Crawled
) -> None:
    browser.get(server.url + "/")
    box = browser.find_element(By.NAME, "q")
    box.send_keys(SEED_QUERY)
    box.submit()
    assert "q=Kast+CECOT+Bukele" in browser.current_url  # the URL holds the query
    hits = browser.find_elements(By.CSS_SELECTOR, "li.hit")
    assert hits and browser.find_elements(By.CSS_SELECTOR, "li.hit mark")
    story_links = [
        a for a in browser.find_elements(By.LINK_TEXT, "story") if crawled.seed_story in a.get_attribute("href")
    ]
    story_links[0].click()
    assert browser.current_url.endswith(f"/stories/{crawled.seed_story}")

    assert browser.find_element(By.ID, "n-countries").text == "5"
    assert browser.find_element(By.ID, "n-languages").text == "2"
    assert browser.find_element(By.ID, "n-copies").text == "3"
    countries = {e.get_attribute("data-country") for e in browser.find_elements(By.CSS_SELECTOR, "#countries .country")}
    assert countries == {"CL", "CR", "HN", "SV", "US"}

    strip = browser.find_elements(By.CSS_SELECTOR, "#country-strip li.strip-country")
    assert {s.get_attribute("data-country") for s in strip} == countries
    per_country = {c.get_attribute("data-country"): c.text for c in browser.find_elements(By.CSS_SELECTOR, ".country")}
    for item in strip:
        code = item.get_attribute("data-country")
        assert per_country[code] == f"{code} ({item.get_attribute('data-articles')})"
        assert item.find_element(By.CSS_SELECTOR, ".code").text == code
    assert "Chile" in browser.find_element(By.CSS_SELECTOR, '#country-strip [data-country="CL"]').text
    covered = browser.find_elements(By.CSS_SELECTOR, "#country-map path.land.covered")
    assert {p.get_attribute("data-country") for p in covered} == countries
    assert all(p.is_displayed() for p in covered)
    # neighbours that did not cover the story are drawn too, in grey (Guatemala lies between SV and MX)
    assert browser.find_elements(By.CSS_SELECTOR, '#country-map path.land:not(.covered)[data-country="GT"]')
    el_salvador = browser.find_element(By.CSS_SELECTOR, '#country-map path.covered[data-country="SV"] title')
    assert el_salvador.get_attribute("textContent").startswith("El Salvador (SV): ")

    rows = browser.find_elements(By.CSS_SELECTOR, "#timeline g.row")
    assert {r.get_attribute("data-country") for r in rows} == countries
    dots = browser.find_elements(By.CSS_SELECTOR, "#timeline circle.dot")
    assert len(dots) == int(browser.find_element(By.ID, "n-articles").text)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline circle.dot.copy")) == 3
    assert all(dot.is_displayed() for dot in dots)

    with SQLiteStore(crawled.home / "newsagg.sqlite") as store:
        articles = list(store.iter_articles(ArticleFilter(story_id=crawled.seed_story)))
    with_terms = set()
    for section in browser.find_elements(By.CSS_SELECTOR, "#angles section.angle"):
        country, language = section.get_attribute("data-country"), section.get_attribute("data-language")
        terms = [t.get_attribute("data-term") for t in section.find_elements(By.CSS_SELECTOR, "li.term")]
        own = " ".join(
            fold(f"{a['title']} {a['text']}") for a in articles if (a["country"], a["language"]) == (country, language)
        )
        for term in terms:
            assert fold(term) in own, (country, term)
        if terms:
            with_terms.add(country)
    assert with_terms == countries
    assert console_errors(browser) == []
    no_script_ran(browser)


def test_pages_have_no_console_errors(browser: webdriver.Chrome, server: RunningServer, crawled: Crawled) -> None:
    browser.get_log("browser")  # drop what earlier tests left
    for path in ("/", "/search?q=Bukele&sort=date", "/stories?language=es", "/sources", "/stories/nope"):
        browser.get(server.url + path)
        assert browser.find_element(By.TAG_NAME, "h1").text, path
    assert [m for m in console_errors(browser) if "404" not in m] == []  # /stories/nope is a 404 on purpose


def test_hostile_fields_never_run(browser: webdriver.Chrome, server: RunningServer) -> None:
    browser.get_log("browser")
    for path in (f"/stories/{HOSTILE_STORY}", f"/articles/{HOSTILE_ARTICLE}", "/stories", "/search?q=harbour"):
        browser.get(server.url + path)
        no_script_ran(browser)
    browser.get(server.url + f"/articles/{HOSTILE_ARTICLE}")
    title = browser.find_element(By.ID, "article-title")
    assert "<script>window.__xss=1</script>" in title.text  # shown as text, not run
    assert browser.find_elements(By.ID, "original-link") == []  # a javascript: URL is not made a link
    assert console_errors(browser) == []
