"""The report runner on the seed corpus: every report renders, shows real content with its
evidence and provenance, is self-contained and escaped; failures are reported, not fatal."""

from __future__ import annotations

import ast
import hashlib
import html
import json
import re
import subprocess
import sys
import time

import nbformat
import pandas as pd
import pytest
import typer
from bs4 import BeautifulSoup
from typer.testing import CliRunner

import analysis
from analysis import paths
from analysis.cli import app
from analysis.cli import render as cli_render
from analysis.reports import index, jobs, params, runner
from analysis.text.fold import slug
from analysis.topics.codebook import load_codebook

from report_fixtures import HOSTILE, giaoban, tagged_passage


def _provinces(build) -> list[str]:
    documents = pd.read_parquet(build / "documents.parquet")
    return sorted(p for p in documents["province"].dropna().unique() if p)


def _soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --------------------------------------------------------------------------- batch


def test_render_all_writes_every_report_and_the_index(seed_build, rendered):
    out, results = rendered
    provinces = _provinces(seed_build)
    expected = {f"province-{slug(p)}" for p in provinces} | {"comparison"}
    assert {r.name for r in results} == expected
    assert [r.status for r in results] == ["ok"] * len(expected), [r.error for r in results]
    for name in expected:
        for suffix in (".html", ".ipynb", ".json"):
            path = out / f"{name}{suffix}"
            assert path.stat().st_size > 0 and path.stat().st_mode & 0o777 == 0o644, path
    assert not [p for p in out.iterdir() if ".tmp" in p.name]  # atomic writes left nothing behind
    page = _soup(out / "index.html")
    rows = page.select("tbody tr")
    assert len(rows) == len(expected)
    links = {a["href"] for a in page.select("tbody a") if a["href"].endswith(".html")}
    assert links == {f"{name}.html" for name in expected}
    text = page.get_text(" ")
    assert all(p in text for p in provinces) and f"{len(expected)} báo cáo, 0 lỗi" in text  # vi by default


def test_executed_notebook_is_kept_with_its_parameters(seed_build, rendered):
    out, _ = rendered
    notebook = nbformat.read(out / "province-lao-cai.ipynb", as_version=4)
    parameters = notebook.metadata["papermill"]["parameters"]
    assert parameters == {"province": "Lào Cai", "lang": "vi", "build_dir": str(seed_build.resolve())}
    assert not [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]


def test_html_is_self_contained_and_hides_code(rendered):
    out, _ = rendered
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        runner.check_offline(text)  # raises on any src/href/url()/@import to another host
        soup = BeautifulSoup(text, "html.parser")
        assert not soup.select("script[src], link[href]"), page
        assert all(img["src"].startswith("data:image/png;base64,") for img in soup.find_all("img"))
        assert not soup.select(".jp-CodeCell .jp-InputArea, .jp-InputPrompt") and "rh.show_html(" not in text, page
        assert "notebook-only" not in text and "Every frame comes from" not in text  # notes for notebook users
    figures = _soup(out / "comparison.html").find_all("img")
    assert len(figures) >= 3  # heatmap, role splits, dendrogram, timelines


def test_show_code_puts_the_code_back(rendered):
    out, _ = rendered
    notebook = nbformat.read(out / "province-lao-cai.ipynb", as_version=4)
    soup = BeautifulSoup(runner.export_html(notebook, show_code=True), "html.parser")
    assert soup.select(".jp-CodeCell .jp-InputArea") and "rh.show_html(" in soup.get_text()
    runner.check_offline(str(soup))


# --------------------------------------------------------------------------- content


def _views_of(seed_build, province: str = "Lào Cai"):
    from analysis.build import read_build
    from analysis.reports import views

    tables, analysis = read_build(seed_build), views.analysis_parameters(seed_build)
    selected = views.select_documents(tables["documents"])
    topics = analysis["topics"][:4]  # the report's default: the core topics
    return (views.topic_profile(tables, analysis, selected, province, topics),
            views.role_profile(tables, analysis, selected, province, topics),
            views.distinctive_terms(tables, analysis, selected, province, seed_build))


def test_lao_cai_report_shows_what_the_views_returned(seed_build, rendered):
    out, _ = rendered
    soup = _soup(out / "province-lao-cai.html")
    topics, roles, terms = _views_of(seed_build)
    links = {}
    for a in soup.select("table a[data-key]"):
        links.setdefault(a["data-key"], []).append(a)
    for view in (topics, roles, terms):
        for _, row in view.table[view.table["anchor"] != ""].iterrows():
            counts = ({str(row["count_target"]), str(row["n_passages"])} if row["key"].startswith("term:")
                      else {str(row["n_topic"])})
            assert {a.get_text() for a in links[row["key"]]} <= counts, row["key"]
            assert {a["href"] for a in links[row["key"]]} == {f"#{row['anchor']}"}
    # thu chi among the shortcomings: its count links to a passage carrying the topic's highlighted words
    row = roles.table.set_index("key").loc["role:thu_chi:shortcoming"]
    passage = soup.find(id=row["anchor"])
    assert passage is not None and passage.find("mark", attrs={"data-topics": re.compile("thu_chi")})
    doc_id, passage_id = tagged_passage(seed_build)  # the first such passage, from the build
    assert row["anchor"] == f"p-{slug(doc_id)}-{passage_id}"
    summary = soup.select_one(".giaoban-findings").get_text(" ")
    assert "Nêu là hạn chế:" in summary and "Thu, chi" in summary


def test_each_passage_appears_once_in_the_evidence_section(rendered):
    out, _ = rendered
    for name in ("province-lao-cai", "province-hoa-binh", "comparison"):
        ids = [a["id"] for a in _soup(out / f"{name}.html").select("article.giaoban-passage")]
        assert ids and len(ids) == len(set(ids)), name


def test_lao_cai_distinctive_terms_avoid_the_stop_list_and_single_passages(seed_build, rendered):
    from analysis.compare.features import load_stopwords

    out, _ = rendered
    _, _, terms = _views_of(seed_build)
    stop = {w.replace("_", " ") for w in load_stopwords()}
    assert len(terms.table) > 0 and (terms.table["n_passages"] >= 2).all()
    page = _soup(out / "province-lao-cai.html")
    shown = {a.find_parent("tr").find("td").get_text() for a in page.select('table a[data-key^="term:"]')}
    assert shown == set(terms.table["label"])
    for term in shown:
        assert term not in stop and not {w.replace("_", " ") for w in term.split(" ")} & stop, term
    assert "một văn bản" in page.select_one(".giaoban-warning").get_text()


def test_no_absolute_path_of_the_machine_in_any_shared_file(seed_build, rendered):
    out, _ = rendered
    roots = {str(seed_build.resolve()), str(seed_build.resolve().parent), str(paths.REPO_ROOT),
             str(paths.PACKAGE_DIR)}
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert not [r for r in roots if r in text], page.name


def test_report_ends_with_provenance(seed_build, rendered):
    out, _ = rendered
    documents = pd.read_parquet(seed_build / "documents.parquet")
    corpus = hashlib.sha256("\n".join(sorted(documents["sha256"])).encode()).hexdigest()
    codebook = load_codebook(paths.DEFAULT_CODEBOOK).hash  # what trained models record too
    assert len(codebook) == 16
    for name in ("province-lao-cai", "comparison"):
        last_table = _soup(out / f"{name}.html").find_all("table")[-1]
        cells = [tr.find_all("td") for tr in last_table.select("tbody tr")]
        provenance = {item.get_text(): value.get_text() for item, value in cells}
        assert provenance["phiên bản bộ công cụ"] == analysis.__version__
        assert provenance["mã băm kho"] == corpus and provenance["mã băm bộ mã"] == codebook
        assert provenance["bộ mã chủ đề"] == "analysis/codebooks/default.yml"
        assert provenance["thời gian chạy"].endswith(" s") and provenance["bắt đầu (UTC)"].startswith("20")
        assert json.loads(provenance["tham số"])["build_dir"] == seed_build.name  # never the machine's path
        commit = subprocess.run(["git", "-C", str(paths.REPO_ROOT), "rev-parse", "HEAD"],
                                capture_output=True, text=True)
        if commit.returncode == 0:  # (the checkout may have moved on since the render)
            assert re.fullmatch(r"[0-9a-f]{40}", provenance["git commit"])


def test_corpus_text_with_html_is_shown_as_text(hostile):
    _, page = hostile
    text = page.read_text(encoding="utf-8")
    assert "window.__pwned" in text  # the planted text is in the report ...
    assert "<script>window.__pwned" not in text and "<img src=x" not in text  # ... escaped
    assert "&lt;script&gt;window.__pwned = 1;&lt;/script&gt;" in text
    soup = BeautifulSoup(text, "html.parser")
    assert not soup.find_all("img", src="x")
    assert not [s for s in soup.find_all("script") if "__pwned" in s.get_text()]  # only the kit's own scripts
    assert HOSTILE in soup.get_text()
    passage = next(a for a in soup.select("article.giaoban-passage") if "__pwned" in a.get_text())
    assert "thu- chi xã hội hóa <script>window.__pwned = 1;</script>" in passage.get_text("")


# --------------------------------------------------------------------------- failures


def _bad_notebook(tmp_path, name: str, source: str):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x: int = 1  # a parameter", metadata={"tags": ["parameters"]}),
                      nbformat.v4.new_code_cell(source)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def test_one_failing_report_does_not_stop_the_batch(seed_build, tmp_path):
    out = tmp_path / "out"
    good = jobs.province_job("Kon Tum", seed_build, out)
    batch = [
        jobs.ReportJob("province", "province-atlantis", "Atlantis",
                       {"province": "Atlantis", "build_dir": str(seed_build)}, out),
        jobs.ReportJob("province", "province-bad-topic", "Lào Cai",
                       {"province": "Lào Cai", "topics": ["thu_chi", "nope"], "build_dir": str(seed_build)}, out),
        jobs.ReportJob("province", "broken", "broken", {}, out,
                       notebook_path=_bad_notebook(tmp_path, "broken", "1 / 0")),
        jobs.ReportJob("province", "typo", "typo", {"provnce": "Lào Cai"}, out),
        good,
    ]
    results = runner.render_many(batch, n_jobs=2)
    status = {r.name: (r.status, r.error) for r in results}
    valid = ", ".join(_provinces(seed_build))
    assert status["province-atlantis"] == (
        "failed", f"ReportParameterError: unknown province 'Atlantis'; valid values: {valid}")
    assert status["province-bad-topic"][1].startswith("ReportParameterError: unknown topic 'nope'; valid values: ")
    assert "thu_chi" in status["province-bad-topic"][1]
    assert status["broken"] == ("failed", "ZeroDivisionError: division by zero")
    assert status["typo"][0] == "failed" and "unknown parameter(s) provnce" in status["typo"][1]
    assert status[good.name] == ("ok", "")
    assert (out / "province-atlantis.ipynb").is_file()  # the failed run is kept for audit
    assert not (out / "province-atlantis.html").exists()
    page = _soup(index.write_index(out, "en"))
    failures = page.select_one(".failures").get_text(" ")  # failures first, each with its one-line error
    assert "5 report(s), 4 failed" in page.get_text(" ") and "unknown province 'Atlantis'" in failures
    with pytest.raises(typer.Exit) as stop:
        cli_render._finish(results, out)
    assert stop.value.exit_code == 1


def test_unknown_province_on_the_command_line_is_one_clear_line(seed_build, tmp_path):
    result = CliRunner().invoke(app, ["render", "province", "--province", "Atlantis",
                                      "--build", str(seed_build), "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"error: unknown province 'Atlantis'; valid values: {', '.join(_provinces(seed_build))}"]


@pytest.mark.parametrize("command", [["province", "--province", "Lào Cai"], ["comparison"], ["all"]])
def test_an_unknown_language_is_one_line_before_anything_is_read(command, tmp_path):
    result = CliRunner().invoke(app, ["render", *command, "--lang", "fr", "--build", str(tmp_path / "nowhere"),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.strip() == "error: unknown lang 'fr'; valid values: vi, en"


def test_unknown_parameter_is_refused_before_running():
    notebook = paths.REPORT_NOTEBOOKS_DIR / "province.py"
    with pytest.raises(params.ReportError, match=r"unknown parameter\(s\) provnce; valid parameters: "
                                                   r"build_dir, codebook, lang, period_from, period_to, province, topics"):
        jobs.validate_parameters(notebook, {"provnce": "Lào Cai"})


@pytest.mark.slow
def test_hung_and_dead_kernels_are_failed_reports(tmp_path):
    hung = jobs.ReportJob("province", "hung", "hung", {}, tmp_path, timeout=4,
                             notebook_path=_bad_notebook(tmp_path, "hung", "import time\ntime.sleep(600)"))
    dead = jobs.ReportJob("province", "dead", "dead", {}, tmp_path,
                             notebook_path=_bad_notebook(tmp_path, "dead", "import os\nos._exit(1)"))
    started = time.monotonic()
    results = {r.name: r for r in runner.render_many([hung, dead], n_jobs=2)}
    assert time.monotonic() - started < 120
    assert results["hung"].status == "failed" and "timed out" in results["hung"].error.lower()
    assert results["dead"].status == "failed" and "DeadKernelError" in results["dead"].error


def test_if_changed_skips_unchanged_reports(seed_build, rendered):
    out, results = rendered
    before = {r.name: (out / f"{r.name}.html").stat().st_mtime_ns for r in results}
    output = giaoban("render", "all", "--build", str(seed_build), "--out", str(out), "--if-changed")
    assert sum(f"skipped  {r.name}" in output for r in results) == len(results), output
    assert before == {r.name: (out / f"{r.name}.html").stat().st_mtime_ns for r in results}
    job = jobs.province_job("Kon Tum", seed_build, out, topics=["thu_chi", "pho_cap"])
    assert jobs.inputs_hash(job) != index.read_sidecar(job.output(".json")).input_hash


@pytest.mark.slow
def test_kernel_falls_back_to_the_current_interpreter(monkeypatch, tmp_path):
    monkeypatch.setattr(runner, "KERNEL_NAME", "giaoban-no-such-kernel")
    assert runner.resolve_kernel() == "python3"
    notebook = _bad_notebook(tmp_path, "which", "import sys\nprint(sys.executable)")
    job = jobs.ReportJob("province", "which", "which", {}, tmp_path, notebook_path=notebook)
    assert runner.render_report(job).status == "ok"
    executed = nbformat.read(job.output(".ipynb"), as_version=4)
    assert executed.cells[-1].outputs[0].text.strip() == sys.executable


def test_index_escapes_titles_and_errors(tmp_path):
    result = jobs.ReportResult("x", "province", "<b>x</b>", "failed", error="<script>alert(1)</script>")
    (tmp_path / "x.json").write_text(json.dumps(result.__dict__), encoding="utf-8")
    page = index.write_index(tmp_path).read_text(encoding="utf-8")
    assert "<script>" not in page and html.escape("<script>alert(1)</script>") in page


# --------------------------------------------------------------------------- notebooks


@pytest.mark.parametrize("name", ["province", "comparison"])
def test_parameters_cell_holds_documented_literals(name):
    notebook = jobs.load_notebook(paths.REPORT_NOTEBOOKS_DIR / f"{name}.py")
    cells = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    lines = [line for line in cells[0].source.splitlines() if line.strip()]
    names = []
    for line in lines:
        statement = ast.parse(line).body[0]
        assert isinstance(statement, ast.AnnAssign) and "  # " in line, line
        ast.literal_eval(statement.value)  # literals only; derived values go in the next cell
        names.append(statement.target.id)
    declared = jobs.notebook_parameters(paths.REPORT_NOTEBOOKS_DIR / f"{name}.py")
    assert sorted(names) == sorted(declared) and all(p["help"] for p in declared.values())


def test_comparison_of_chosen_provinces_accepts_spelling_variants(seed_build, tmp_path):
    import unicodedata

    giaoban("render", "comparison", "--provinces", "Hoà Bình",
            "--provinces", unicodedata.normalize("NFD", "Lào Cai"),
            "--build", str(seed_build), "--out", str(tmp_path))
    page = _soup(tmp_path / "comparison.html")
    assert "2 tỉnh (Hòa Bình, Lào Cai)" in " ".join(page.get_text(" ").split())
    assert page.find("title").get_text() == "So sánh các tỉnh: Hòa Bình, Lào Cai"



def test_missing_build_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["render", "all", "--build", str(tmp_path / "nowhere"),
                                      "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.strip() == (f"error: {tmp_path / 'nowhere' / 'documents.parquet'} is missing: run "
                                     f"`giaoban ingest --build {tmp_path / 'nowhere'}` first")
