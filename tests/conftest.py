"""Test-suite settings shared by every test file."""

import os

from hypothesis import settings

# CI explores the same examples on every run (a failure there is reproducible, never a fluke);
# a developer's run keeps hypothesis's random search to find new cases.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
