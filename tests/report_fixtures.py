"""Shared set-up of the report tests: the seed corpus built once per session with the real
CLI (ingest, tag, analyze) and every report rendered once from it.

Imported by test_reports.py, test_notebooks.py and test_browser.py; results are memoised
at module level so the build and the batch run once per session even across files.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import paths
from analysis.cli import app
from analysis.reports import jobs, runner

_CACHE: dict[str, object] = {}

# Markup planted in corpus text: a report must show it as text and run none of it.
HOSTILE = ('<script>window.__pwned = 1;</script> <img src=x onerror="window.__pwned = 2">'
           ' <b>bold?</b>')


def _session_dir() -> Path:
    if "root" not in _CACHE:
        _CACHE["root"] = Path(tempfile.mkdtemp(prefix="giaoban-reports-test-"))
        if not os.environ.get("GIAOBAN_KEEP_TEST_OUTPUT"):  # set it to look at the reports
            atexit.register(shutil.rmtree, _CACHE["root"], ignore_errors=True)
    return _CACHE["root"]  # type: ignore[return-value]


def giaoban(*args: str) -> str:
    """Run a ``giaoban`` command in-process; fail the test with its output if it fails."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, f"giaoban {' '.join(args)} -> {result.exit_code}\n{result.output}"
    return result.output


def build_seed() -> Path:
    """build/ of the five seed documents (ingest -> tag -> analyze), once per session."""
    if "build" not in _CACHE:
        root = _session_dir()
        build = root / "build"
        giaoban("ingest", "--corpus", str(paths.CORPUS_DIR), "--build", str(build))
        giaoban("tag", "--build", str(build))
        giaoban("analyze", "--build", str(build), "--figures", str(root / "figures"), "--no-progress")
        _CACHE["build"] = build
    return _CACHE["build"]  # type: ignore[return-value]


def render_seed() -> tuple[Path, list[jobs.ReportResult]]:
    """Every report of the seed corpus rendered with two workers, once per session."""
    if "rendered" not in _CACHE:
        out = _session_dir() / "reports"
        results = runner.render_all(build_seed(), out, n_jobs=2, timeout=240)
        _CACHE["rendered"] = (out, results)
    return _CACHE["rendered"]  # type: ignore[return-value]


def render_seed_english() -> tuple[Path, Path]:
    """The Lào Cai report and an index in English, beside the Vietnamese batch, once per session."""
    if "english" not in _CACHE:
        from analysis.reports.index import write_index

        out = _session_dir() / "reports-en"
        result = runner.render_report(jobs.province_job("Lào Cai", build_seed(), out, timeout=240, lang="en"))
        assert result.status == "ok", result.error
        _CACHE["english"] = (out / "province-lao-cai.html", write_index(out, "en"))
    return _CACHE["english"]  # type: ignore[return-value]


def tagged_passage(build: Path, province: str = "Lào Cai", topic: str = "thu_chi",
                   role: str = "shortcoming") -> tuple[str, int]:
    """(doc_id, passage_id) of a passage of ``province`` tagged ``topic`` in ``role``."""
    documents = pd.read_parquet(build / "documents.parquet")
    passages = pd.read_parquet(build / "passages.parquet")
    tags = pd.read_parquet(build / "tags.parquet")
    docs = documents.loc[documents["province"] == province, "doc_id"]
    tagged = tags[(tags["topic"] == topic) & tags["doc_id"].isin(docs)]
    hits = passages.merge(tagged[["doc_id", "passage_id"]]).query("role == @role")
    row = hits.sort_values(["doc_id", "passage_id"]).iloc[0]
    return row["doc_id"], int(row["passage_id"])


def render_hostile() -> tuple[Path, Path]:
    """A copy of the seed corpus whose Lào Cai notice carries HTML inside its thu_chi
    shortcoming sentence, run through the real pipeline, and its rendered Lào Cai report."""
    if "hostile" not in _CACHE:
        root = _session_dir() / "hostile"
        raw = root / "corpus" / "raw"
        shutil.copytree(paths.RAW_DIR, raw)
        shutil.copy(paths.MANIFEST_PATH, root / "corpus" / "manifest.csv")
        notice = raw / "001_0454fa01641e54bf.txt"
        anchor = "thu- chi xã hội hóa"
        text = notice.read_text(encoding="utf-8")
        assert anchor in text, "the Lào Cai seed changed; pick another anchor"
        notice.write_text(text.replace(anchor, f"{anchor} {HOSTILE}", 1), encoding="utf-8")
        build = root / "build"
        giaoban("ingest", "--corpus", str(root / "corpus"), "--build", str(build))
        giaoban("tag", "--build", str(build))
        giaoban("analyze", "--build", str(build), "--figures", str(root / "figures"), "--no-progress")
        job = jobs.province_job("Lào Cai", build, root / "reports", timeout=240)
        result = runner.render_report(job)
        assert result.status == "ok", result.error
        _CACHE["hostile"] = (build, job.output(".html"))
    return _CACHE["hostile"]  # type: ignore[return-value]


@pytest.fixture(scope="session")
def seed_build() -> Path:
    return build_seed()


@pytest.fixture(scope="session")
def rendered() -> tuple[Path, list[jobs.ReportResult]]:
    return render_seed()


@pytest.fixture(scope="session")
def english() -> tuple[Path, Path]:
    return render_seed_english()


@pytest.fixture(scope="session")
def hostile() -> tuple[Path, Path]:
    return render_hostile()


def sidecar(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
