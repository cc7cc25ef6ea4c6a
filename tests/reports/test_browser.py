"""Reports opened in headless Chromium with networking off: figures visible, nothing
requested from another host, no script errors, corpus markup inert.

Debian's ``chromium`` is used (never a downloaded browser). Without it the tests skip,
unless ``GIAOBAN_REQUIRE_BROWSER`` is set (CI), where a missing browser fails them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
LOCAL_SCHEMES = {"file", "data", "about", "blob"}  # blob: the inlined table library, loaded as a module


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

    def __init__(self, browser, url: str, shot: Path, scripts: bool = True):
        self.context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900},
                                           java_script_enabled=scripts)
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


@contextlib.contextmanager
def visiting(browser, page: Path, shot: Path, scripts: bool = True):
    """A :class:`Visit` of a local file, closed afterwards."""
    visit = Visit(browser, page.as_uri(), shot, scripts)
    try:
        yield visit
    finally:
        visit.close()


def test_index_and_every_report_load_offline_with_visible_figures(browser, rendered, tmp_path_factory):
    out, results = rendered
    shots = tmp_path_factory.mktemp("screenshots")
    for name in ["index", *(r.name for r in results)]:
        with visiting(browser, out / f"{name}.html", shots / f"{name}.png") as visit:
            assert visit.foreign() == [] and visit.errors == [], name
            widths = visit.images()
            if name != "index":
                assert widths and all(w > 0 for w in widths), (name, widths)
            assert (shots / f"{name}.png").stat().st_size > 10_000


def test_index_links_open_the_reports(browser, rendered, tmp_path):
    out, _ = rendered
    visit = Visit(browser, (out / "index.html").as_uri(), tmp_path / "index.png")
    try:
        visit.page.click('a[href="province-lao-cai.html"]')
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith("/province-lao-cai.html")
        assert "Báo cáo tỉnh Lào Cai" in visit.page.locator("h1").all_inner_texts()
        assert visit.foreign() == [] and visit.errors == []
    finally:
        visit.close()


def test_corpus_markup_shows_as_text_and_runs_nothing(browser, hostile, tmp_path):
    _, page = hostile
    visit = Visit(browser, page.as_uri(), tmp_path / "hostile.png")
    try:
        visit.page.wait_for_selector("table.dataTable")  # the table library ran over the corpus text
        assert visit.page.evaluate("typeof window.__pwned") == "undefined"
        body = visit.page.inner_text("body")
        assert '<script>window.__pwned = 1;</script>' in body
        assert '<img src=x onerror="window.__pwned = 2">' in body
        assert visit.foreign() == [] and visit.errors == []
    finally:
        visit.close()


def _screenshots() -> Path:
    """Where the screenshots go: $GIAOBAN_SCREENSHOTS (to look at them) or a temporary folder."""
    import tempfile

    folder = Path(os.environ.get("GIAOBAN_SCREENSHOTS") or tempfile.mkdtemp(prefix="giaoban-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_screenshots_of_index_and_province_report_in_each_language(browser, rendered, english):
    out, _ = rendered
    report_en, index_en = english
    shots = _screenshots()
    pages = {"index-vi": (out / "index.html", "Báo cáo giaoban"),
             "lao-cai-vi": (out / "province-lao-cai.html", "Tóm tắt"),
             "index-en": (index_en, "giaoban reports"), "lao-cai-en": (report_en, "Summary")}
    for name, (page, heading) in pages.items():
        with visiting(browser, page, shots / f"{name}.png") as visit:
            assert visit.foreign() == [] and visit.errors == [], name
            assert heading in visit.page.inner_text("body"), name
            assert (shots / f"{name}.png").stat().st_size > 20_000, name
            assert visit.page.evaluate("document.documentElement.lang") == name[-2:], name


def test_clicking_a_count_scrolls_to_a_passage_with_a_highlighted_term_of_its_topic(browser, rendered, tmp_path):
    out, _ = rendered
    visit = Visit(browser, (out / "province-lao-cai.html").as_uri(), tmp_path / "lao-cai.png")
    try:
        count = visit.page.locator('table a[data-key="role:thu_chi:shortcoming"]').first
        count.scroll_into_view_if_needed()
        before = visit.page.evaluate("window.scrollY")
        count.click()
        visit.page.wait_for_function("location.hash.length > 1")
        target = visit.page.locator(":target")
        assert target.get_attribute("class") == "giaoban-passage"
        assert visit.page.evaluate("window.scrollY") > before
        box = target.bounding_box()
        assert box is not None and 0 <= box["y"] < 900  # in view
        assert target.locator('mark[data-topics~="thu_chi"]').count() >= 1
        assert visit.errors == []
    finally:
        visit.close()


def _column(page, table, index: int) -> list[str]:
    return table.locator(f"tbody tr td:nth-child({index})").all_inner_texts()


def test_sorting_a_table_by_a_column_reorders_its_rows(browser, rendered, tmp_path):
    out, _ = rendered
    visit = Visit(browser, (out / "province-lao-cai.html").as_uri(), tmp_path / "lao-cai.png")
    try:
        visit.page.wait_for_selector("div.dt-container thead th .dt-column-order", state="attached")  # DataTables ready
        table = visit.page.locator("table.dataTable", has=visit.page.locator('a[data-key^="role:"]')).first
        before = _column(visit.page, table, 1)
        header = table.locator("thead th").nth(2)  # passages with the topic
        for direction in ("ascending", "descending"):  # DataTables marks the order it applied
            header.click()
            visit.page.wait_for_function("([th, d]) => th.getAttribute('aria-sort') === d",
                                         arg=[header.element_handle(), direction])
        counts = [int(x) for x in _column(visit.page, table, 3)]
        assert counts == sorted(counts, reverse=True) and max(counts) > min(counts)
        assert _column(visit.page, table, 1) != before
        assert visit.errors == [] and visit.foreign() == []
    finally:
        visit.close()


def test_with_scripts_off_every_row_and_link_is_still_there(browser, rendered, seed_build, tmp_path):
    out, _ = rendered
    page = out / "province-lao-cai.html"
    visit = Visit(browser, page.as_uri(), tmp_path / "noscript.png", scripts=False)
    try:
        keys = visit.page.evaluate(
            "Array.from(document.querySelectorAll('a[data-key]')).filter(a => a.offsetParent !== null)"
            ".map(a => a.dataset.key)")
        assert any(k.startswith("role:") for k in keys) and any(k.startswith("term:") for k in keys)
        visit.page.locator('a[data-key="role:thu_chi:shortcoming"]').first.click()
        assert visit.page.locator(":target mark").count() >= 1
    finally:
        visit.close()
