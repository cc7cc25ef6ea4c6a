"""The package outside the checkout: a wheel installed in a fresh virtual environment ingests,
tags, analyses and renders a report from its own package data (notebooks, codebook, lists)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from analysis import paths

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory):
    """A new venv whose only giaoban is the wheel; third-party packages come from the test env."""
    root = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(root / "dist"),
                    str(paths.REPO_ROOT)], check=True, capture_output=True)
    wheel = next((root / "dist").glob("giaoban-*.whl"))
    venv.EnvBuilder(with_pip=False).create(root / "env")
    python = root / "env" / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # A plain path entry, not a site dir: the test env's editable hook for the checkout is not run.
    with open(f"{site}/zz_test_deps.pth", "w", encoding="utf-8") as handle:
        handle.write(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, str(wheel)],
                   check=True, capture_output=True)
    return python, site


def _run(python, project, *args):
    # nbconvert's templates are data files of the test env's prefix (a pip-installed env has its own).
    env = {**os.environ, "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter")}
    env.pop("GIAOBAN_HOME", None)
    done = subprocess.run([str(python), "-m", "analysis", *args], cwd=project, capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_renders_a_report_from_its_own_package_data(fresh_python, tmp_path):
    python, site = fresh_python
    where = subprocess.run([str(python), "-c", "import analysis.paths as p; print(p.PACKAGE_DIR); print(p.REPO_ROOT)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout.split()
    assert where == [f"{site}/analysis", str(tmp_path)]  # the wheel's package, the user's folder
    shutil.copytree(paths.CORPUS_DIR, tmp_path / "corpus")
    _run(python, tmp_path, "ingest")
    _run(python, tmp_path, "tag")
    _run(python, tmp_path, "analyze", "--no-progress")
    _run(python, tmp_path, "render", "province", "--province", "Lào Cai")
    page = (tmp_path / "reports" / "province-lao-cai.html").read_text(encoding="utf-8")
    assert "Lào Cai" in page and "<img" in page
    assert not (tmp_path / "build" / "province.ipynb").exists()
