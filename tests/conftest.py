"""Test-suite settings shared by every test file."""

import os

from hypothesis import settings

# Session fixtures of the report tests (the seed build, the rendered reports, the hostile page).
pytest_plugins = ["report_fixtures"]

# CI explores the same examples on every run (a failure there is reproducible, never a fluke);
# a developer's run keeps hypothesis's random search to find new cases.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Fixtures that build the seed corpus with the real CLI or render notebooks: a test that uses
# one runs notebooks, a browser or a whole build, and is marked slow (make test-fast skips it).
SLOW_FIXTURES = {"seed_build", "rendered", "hostile", "executed", "analyzed", "browser", "english"}


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        # Tesseract reads page images (seconds a page): every OCR test is slow too.
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("ocr"):
            item.add_marker(pytest.mark.slow)
