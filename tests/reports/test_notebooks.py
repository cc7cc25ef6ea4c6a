"""Exploration notebooks: paired with their py:percent scripts, committed without outputs,
and each one runs top to bottom on the seed corpus showing real content."""

from __future__ import annotations

import jupytext
import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from analysis import paths
from analysis.reports import jobs, runner
from analysis.topics import kwic as kwic_stage
from analysis.topics.codebook import load_codebook
from analysis.topics.evaluate import evaluate_codebook, read_gold

from testdata import SEED_GOLD

SCRIPTS = sorted(paths.NOTEBOOKS_DIR.glob("*.py"))
REPORT_SCRIPTS = sorted(paths.REPORT_NOTEBOOKS_DIR.glob("*.py"))
EXPLORATION = ["01_corpus", "02_topics", "03_themes", "04_compare"]


def _cells(notebook) -> list[tuple]:
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", []))) for c in notebook.cells]


def test_every_notebook_has_its_script():
    assert {p.stem for p in SCRIPTS} == set(EXPLORATION)
    assert {p.stem for p in REPORT_SCRIPTS} == {"province", "comparison"}
    notebooks = set(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert {p.with_suffix(".py") for p in notebooks} == set(SCRIPTS)
    # Report notebooks ship as text only; their .ipynb is made at render time.
    assert not list(paths.REPORT_NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("script", REPORT_SCRIPTS, ids=lambda p: p.stem)
def test_report_notebook_has_one_parameters_cell(script):
    code = [c for c in jupytext.read(script).cells if c.cell_type == "code"]
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_pair_is_in_sync_and_has_no_outputs(script):
    notebook = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    assert _cells(notebook) == _cells(jupytext.read(script)), (
        f"{script.name} and its .ipynb differ: run `jupytext --sync {script}`")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1


@pytest.fixture(scope="module")
def executed(seed_build, tmp_path_factory):
    """The four exploration notebooks run on the seed build (two at a time), as soup."""
    out = tmp_path_factory.mktemp("notebooks")
    todo = [jobs.ReportJob("exploration", name, name, {"build_dir": str(seed_build)}, out,
                           timeout=240, notebook_path=paths.NOTEBOOKS_DIR / f"{name}.ipynb")
            for name in EXPLORATION]
    results = runner.render_many(todo, n_jobs=2)
    assert [(r.name, r.status, r.error) for r in results] == [(n, "ok", "") for n in EXPLORATION]
    return {name: BeautifulSoup((out / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
            for name in EXPLORATION}


def _text(soup) -> str:
    return " ".join(soup.get_text(" ").split())


def test_corpus_notebook_shows_documents_and_roles(executed, seed_build):
    documents = pd.read_parquet(seed_build / "documents.parquet")
    passages = pd.read_parquet(seed_build / "passages.parquet")
    text = _text(executed["01_corpus"])
    assert f"{len(documents)} documents, {len(passages)} passages" in text
    assert all(doc in text for doc in documents["doc_id"])
    assert "Kon Tum" in text and "manifest" in text  # 003's province comes from the manifest


def test_topics_notebook_shows_kwic_and_real_scores(executed, seed_build):
    passages = pd.read_parquet(seed_build / "passages.parquet")
    documents = pd.read_parquet(seed_build / "documents.parquet")
    codebook = load_codebook(paths.DEFAULT_CODEBOOK)
    text = _text(executed["02_topics"])
    lines = kwic_stage.kwic(passages, "thu_chi", codebook, documents=documents)
    assert len(lines) > 0 and f"{len(lines)} matches of thu_chi" in text
    scores, _ = evaluate_codebook(read_gold(SEED_GOLD), codebook)
    caption = executed["02_topics"].find(string=lambda s: s and s.startswith("Precision, recall and F1"))
    table = caption.find_parent("p").find_next_sibling("table")
    shown = {cells[0]: cells for cells in ([td.get_text() for td in tr.find_all("td")]
                                          for tr in table.select("tbody tr"))}
    for topic in ("gdpt2018", "chuyen_doi_so", "thu_chi", "pho_cap", "micro"):
        f1 = scores.set_index("topic").loc[topic, "f1"]
        assert shown[topic][-1] == f"{f1:.3g}", topic


def test_themes_notebook_shows_every_theme(executed, seed_build):
    themes = pd.read_parquet(seed_build / "themes.parquet")
    text = _text(executed["03_themes"])
    assert all(label in text for label in themes["label"])
    assert executed["03_themes"].find_all("img")


def test_compare_notebook_shows_figures_and_distinctive_terms(executed, seed_build):
    keyness = pd.read_parquet(seed_build / "keyness.parquet")
    top = keyness[keyness["group"] == "Hà Nội"].sort_values("rank")["term"].iloc[0]
    assert top in _text(executed["04_compare"])
    assert len(executed["04_compare"].find_all("img")) >= 5
