"""The dashboard in a real browser (Debian's chromium driven by Playwright) on the sample store: every page
opens without a script error or a Content-Security-Policy violation and within a second; a reader clicks story
→ claim → evidence → entity, searches from the keyboard, and sees the map and the charts drawn. Screenshots go
to ``test-artifacts/`` (git-ignored), with the load time of each page."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from watchfloor.config import Settings
from watchfloor.model import Document, DocumentAnalysis
from watchfloor.pipeline import store_analysed
from watchfloor.serve import ServeOptions, create_app
from watchfloor.store import open_store

from .conftest import running

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def server(sample_analyses: list[tuple[Document, DocumentAnalysis]],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`watchfloor serve` as the CLI runs it (uvicorn), in a thread, on a free loopback port."""
    location = str(tmp_path_factory.mktemp("browser") / "samples.db")
    with open_store(location, "create") as store:
        store_analysed(iter(sample_analyses), store, Settings(db=location))
    with running(create_app(ServeOptions(db=location))) as url:
        import httpx

        httpx.get(f"{url}/", timeout=30)  # a first request compiles templates and fills pools
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("WATCHFLOOR_REQUIRE_BROWSER"):
            raise FileNotFoundError(f"{CHROMIUM} missing (Debian package: chromium)")
        pytest.skip("browser tests skipped: /usr/bin/chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        warm = launched.new_page()  # a fresh browser's first navigation also pays for starting its renderer
        warm.goto("about:blank")
        warm.close()
        yield launched
        launched.close()


class Visit:
    """One browser tab that records script errors, CSP violations and how long each page took."""

    def __init__(self, browser: Any, base: str) -> None:
        self.page = browser.new_page(viewport={"width": 1366, "height": 900})
        self.base = base
        self.problems: list[str] = []
        self.timings: dict[str, float] = {}
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("console", self._console)
        ARTIFACTS.mkdir(exist_ok=True)

    def _console(self, message: Any) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.problems.append(f"console: {message.text}")

    def timed(self, name: str) -> None:
        """The page just opened: its load time (navigation start to the load event) and a screenshot."""
        self.page.wait_for_load_state("load")
        took = self.page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                  " return n.loadEventEnd - n.startTime; }")
        self.timings[name] = round(float(took), 1)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def open(self, name: str, path: str) -> None:
        self.page.goto(self.base + path)
        self.timed(name)


def _inked(page: Any, selector: str) -> int:
    """How many pixels of the first canvas under ``selector`` are drawn on (not transparent)."""
    return int(page.evaluate("""(selector) => {
        const canvas = document.querySelector(selector + ' canvas');
        if (!canvas) { return 0; }
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { inked += 1; } }
        return inked; }""", selector))


def test_a_reader_follows_story_claim_evidence_entity(browser: Any, server: str) -> None:
    visit = Visit(browser, server)
    page = visit.page
    visit.open("01-feed", "/")
    assert page.locator("#stories tbody tr").count() >= 3
    page.locator("#stories tbody a").first.click()
    visit.timed("02-story")
    assert page.locator("h2#timeline-h").is_visible()
    page.locator("section[aria-labelledby=claims-h] tbody a").first.click()
    visit.timed("03-claim")
    assert page.locator("ol.evidence li").count() >= 1
    assert page.locator("#history-h").is_visible()
    page.locator("ol.evidence blockquote a").first.click()
    visit.timed("04-document")
    assert page.locator("article.doc-text mark").count() >= 1
    target = page.evaluate("() => location.hash")
    assert target.startswith("#s") and page.locator(target).count() == 1  # the evidence span is highlighted
    page.locator("article.doc-text mark a").first.click()
    visit.timed("05-claim-from-document")
    entity = page.locator("dd.chain a, dl.facts a[href^='/entities/']").first
    entity.click()
    visit.timed("06-entity")
    assert page.url.startswith(server + "/entities/")
    page.wait_for_function("() => document.querySelector('#graph canvas') !== null")
    time.sleep(0.3)
    assert _inked(page, "#mentions-chart") > 500  # the mentions chart is drawn
    assert page.evaluate("() => window.watchfloorGraph.nodes().length") >= 2
    visit.page.screenshot(path=str(ARTIFACTS / "06-entity.png"), full_page=True)
    assert not visit.problems, visit.problems
    _record(visit.timings)


def test_search_from_the_keyboard(browser: Any, server: str) -> None:
    visit = Visit(browser, server)
    visit.open("07-home", "/")
    visit.page.keyboard.press("/")
    assert visit.page.evaluate("() => document.activeElement.id") == "q"
    visit.page.keyboard.type("troops")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    visit.timed("08-search")
    assert visit.page.locator("ul.hits li").count() >= 5
    visit.page.keyboard.press("j")
    visit.page.keyboard.press("j")
    focused = visit.page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused and focused.startswith("/")
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")
    assert visit.page.url == server + focused
    assert not visit.problems, visit.problems
    _record(visit.timings)


def test_the_map_and_the_tracker_chart_are_drawn(browser: Any, server: str) -> None:
    visit = Visit(browser, server)
    visit.open("09-map", "/map")
    visit.page.wait_for_selector("#map[data-drawn='1']")
    assert visit.page.locator("#map path.land").count() > 150  # the world outline, offline
    assert visit.page.locator("#map circle").count() >= 5  # located events
    visit.page.screenshot(path=str(ARTIFACTS / "09-map.png"))
    visit.open("10-tracker", "/tracker")
    assert _inked(visit.page, "#track-chart") > 200
    # every distinct figure of a source and day is a point of its source's series (uPlot keeps one value per
    # series at each x: a second figure of the same day was lost before)
    drawn = visit.page.evaluate("""() => { const u = document.getElementById("track-chart").uplot;
        return u.series.slice(1).flatMap((s, i) => u.data[i + 1].filter(v => v !== null).map(v => [s.label, v])); }""")
    given = json.loads(visit.page.locator("#track-data").text_content() or "[]")
    figures = {(p["according_to"], p["day"], p["value"]) for p in given if p["day"]}
    assert sorted(map(tuple, drawn)) == sorted((source, value) for source, _, value in figures)
    assert len(figures) > len({(source, day) for source, day, _ in figures})  # the sample has such a day
    assert visit.page.locator("table.rows tbody tr").count() >= 3
    visit.open("11-changes", "/changes")
    assert visit.page.locator("table.rows tbody tr").count() >= 10
    visit.open("12-changes-again", "/changes")  # the visit was remembered: nothing new since
    assert "Nothing changed" in visit.page.locator("table.rows").inner_text()
    visit.open("13-feed-changed", "/?sort=changed")
    assert not visit.problems, visit.problems
    _record(visit.timings)
    slow = {name: ms for name, ms in _timings().items() if ms > 1000}
    assert not slow, slow


def _timings() -> dict[str, float]:
    path = ARTIFACTS / "page-timings.json"
    return dict(json.loads(path.read_text())) if path.exists() else {}


def _record(timings: dict[str, float]) -> None:
    (ARTIFACTS / "page-timings.json").write_text(json.dumps({**_timings(), **timings}, indent=1, sort_keys=True))
