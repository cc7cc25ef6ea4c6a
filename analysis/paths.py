"""The one place that builds every path.

What ships with the package (codebooks, data lists, the report notebooks) is found beside this
file. The project folder (``corpus/``, ``build/``, ``figures/``, ``reports/``) is the checkout the
package runs from (an editable install, ``make setup``); a package installed from a wheel uses
``$GIAOBAN_HOME`` when set, else the folder it is started in, as git does.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPORT_NOTEBOOKS_DIR = PACKAGE_DIR / "reports" / "notebooks"  # py:percent, shipped as package data
CODEBOOKS_DIR = PACKAGE_DIR / "codebooks"
DEFAULT_CODEBOOK = CODEBOOKS_DIR / "default.yml"
DATA_DIR = PACKAGE_DIR / "data"


def _project_root() -> Path:
    """The checkout the package runs from, else ``$GIAOBAN_HOME``, else the working folder."""
    if os.environ.get("GIAOBAN_HOME"):
        return Path(os.environ["GIAOBAN_HOME"]).expanduser().resolve()
    checkout = PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "corpus").is_dir():
        return checkout
    return Path.cwd()


REPO_ROOT = _project_root()
CORPUS_DIR = REPO_ROOT / "corpus"
RAW_DIR = CORPUS_DIR / "raw"
MANIFEST_PATH = CORPUS_DIR / "manifest.csv"
BUILD_DIR = REPO_ROOT / "build"
FIGURES_DIR = REPO_ROOT / "figures"
REPORTS_DIR = REPO_ROOT / "reports"
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
