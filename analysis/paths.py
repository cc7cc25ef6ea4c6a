"""The one place that builds every path; nothing depends on the working directory."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
CORPUS_DIR = REPO_ROOT / "corpus"
RAW_DIR = CORPUS_DIR / "raw"
MANIFEST_PATH = CORPUS_DIR / "manifest.csv"
BUILD_DIR = REPO_ROOT / "build"
FIGURES_DIR = REPO_ROOT / "figures"
REPORTS_DIR = REPO_ROOT / "reports"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
REPORT_NOTEBOOKS_DIR = PACKAGE_DIR / "reports" / "notebooks"  # py:percent, shipped as package data
CODEBOOKS_DIR = PACKAGE_DIR / "codebooks"
DEFAULT_CODEBOOK = CODEBOOKS_DIR / "default.yml"
DATA_DIR = PACKAGE_DIR / "data"
TESTS_DATA_DIR = REPO_ROOT / "tests" / "data"
