"""Reports opened in headless Chromium with networking off: figures visible, nothing
requested from another host, no script errors, corpus markup inert.

Debian's ``chromium`` is used (never a downloaded browser). Without it the tests skip,
unless ``GIAOBAN_REQUIRE_BROWSER`` is set (CI), where a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
LOCAL_SCHEMES = {"file", "data", "about"}


def _chromium() -> str:
    path = os.environ.get("GIAOBAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if Path(path).is_file():
        return path
    message = f"no chromium at {path}: apt-get install chromium (or set GIAOBAN_CHROMIUM)"
    if os.environ.get("GIAOBAN_REQUIRE_BROWSER"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page load with every request, page error and console error recorded."""

    def __init__(self, browser, url: str, shot: Path):
        self.context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", lambda msg: self.errors.append(f"console: {msg.text}")
                     if msg.type == "error" else None)
        self.page.goto(url, wait_until="load")
        self.page.screenshot(path=str(shot), full_page=True)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        # Networking is off anyway; aborting makes a stray request fail fast and visibly.
        route.continue_() if urlparse(url).scheme in LOCAL_SCHEMES else route.abort()

    def foreign(self) -> list[str]:
        return [u for u in self.requests if urlparse(u).scheme not in LOCAL_SCHEMES]

    def images(self) -> list[int]:
        return self.page.evaluate("Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0)")

    def close(self) -> None:
        self.context.close()


def test_index_and_every_report_load_offline_with_visible_figures(browser, rendered, tmp_path_factory):
    out, results = rendered
    shots = tmp_path_factory.mktemp("screenshots")
    for name in ["index", *(r.name for r in results)]:
        visit = Visit(browser, (out / f"{name}.html").as_uri(), shots / f"{name}.png")
        try:
            assert visit.foreign() == [], name
            assert visit.errors == [], name
            widths = visit.images()
            if name != "index":
                assert widths and all(w > 0 for w in widths), (name, widths)
            assert (shots / f"{name}.png").stat().st_size > 10_000
        finally:
            visit.close()


def test_index_links_open_the_reports(browser, rendered, tmp_path):
    out, _ = rendered
    visit = Visit(browser, (out / "index.html").as_uri(), tmp_path / "index.png")
    try:
        visit.page.click('a[href="province-lao-cai.html"]')
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith("/province-lao-cai.html")
        assert any(h.startswith("Lào Cai: ") for h in visit.page.locator("h1").all_inner_texts())
        assert visit.foreign() == [] and visit.errors == []
    finally:
        visit.close()


def test_corpus_markup_shows_as_text_and_runs_nothing(browser, hostile, tmp_path):
    _, page = hostile
    visit = Visit(browser, page.as_uri(), tmp_path / "hostile.png")
    try:
        assert visit.page.evaluate("typeof window.__pwned") == "undefined"
        body = visit.page.inner_text("body")
        assert '<script>window.__pwned = 1;</script>' in body
        assert '<img src=x onerror="window.__pwned = 2">' in body
        assert visit.foreign() == [] and visit.errors == []
    finally:
        visit.close()
