"""Rendering against careless and hostile conditions, one row per case: a killed batch, a
province that left the corpus, an --out that cannot be written, a bad --topic, temporary files
of a killed run, a report that times out, corrupt build files. Each checks the exact one-line
message, the exit status and what is (and is not) left in --out."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from analysis.cli import app
from analysis.reports import jobs, runner
from analysis.reports.index import STALE_REASON

from report_fixtures import giaoban

KILL_WAIT = 5.0  # seconds after the signal by which no process of the run may be alive


def _provinces(build: Path) -> list[str]:
    documents = pd.read_parquet(build / "documents.parquet")
    return sorted(p for p in documents["province"].dropna().unique() if p)


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*") if ".tmp" in p.name)


# --------------------------------------------------------------------------- processes


def _process_table() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, start time, state) of every process, from /proc."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(stat.parent.name)] = (int(fields[1]), fields[19], fields[0])
    return table


def _descendants(root: int) -> dict[int, str]:
    """pid -> start time of every process below ``root`` (workers and their kernels)."""
    table = _process_table()
    found, todo = {}, [root]
    while todo:
        parent = todo.pop()
        for pid, (ppid, started, _) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                todo.append(pid)
    return found


def _alive(processes: dict[int, str]) -> list[int]:
    """Those of ``processes`` still running (same pid and start time, not a zombie)."""
    table = _process_table()
    return [pid for pid, started in processes.items()
            if pid in table and table[pid][1] == started and table[pid][2] != "Z"]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _start_batch(build: Path, out: Path, log: Path) -> tuple[subprocess.Popen, dict[int, str]]:
    """`giaoban render all --jobs 2`, waited for until two kernels run and a report is being
    written; (the process, every process of the run then). Output goes to files: a pipe
    nobody reads could stall the batch."""
    with open(log.with_suffix(".out"), "w") as stdout, open(log.with_suffix(".err"), "w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "analysis", "render", "all", "--jobs", "2",
                                    "--build", str(build), "--out", str(out), "--timeout", "240"],
                                   stdout=stdout, stderr=stderr, text=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        family = _descendants(process.pid)
        kernels = [pid for pid in family if "ipykernel" in _cmdline(pid)]
        if len(kernels) >= 2 and _temp_files(out):
            return process, {process.pid: _process_table()[process.pid][1], **family}
        assert process.poll() is None, log.with_suffix(".err").read_text()
        time.sleep(0.2)
    process.kill()
    raise AssertionError("the batch did not start two kernels in 180 s")


@pytest.mark.parametrize(("signum", "status", "line"), [
    (signal.SIGTERM, 128 + signal.SIGTERM,
     "giaoban render: stopped by SIGTERM; the reports in progress were discarded (finished ones are kept)"),
    (signal.SIGINT, 128 + signal.SIGINT,
     "giaoban render: stopped by SIGINT; the reports in progress were discarded (finished ones are kept)"),
    (signal.SIGKILL, -signal.SIGKILL, None),
], ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_a_stopped_batch_leaves_no_process_and_no_partial_file(seed_build, tmp_path, signum, status, line):
    out = tmp_path / "out"
    process, family = _start_batch(seed_build, out, tmp_path / "log")
    os.kill(process.pid, signum)
    stopped = time.monotonic()
    process.wait(timeout=60)
    stderr = (tmp_path / "log.err").read_text()
    while _alive(family) and time.monotonic() - stopped < KILL_WAIT:
        time.sleep(0.1)
    assert _alive(family) == [], [_cmdline(pid) for pid in _alive(family)]
    assert process.returncode == status
    if line is not None:
        assert stderr.splitlines()[-1] == line
    assert _temp_files(out) == []
    for notebook in out.glob("*.ipynb"):  # what is there is whole: a finished report
        nbformat.read(notebook, as_version=4)
        assert json.loads(notebook.with_suffix(".json").read_text(encoding="utf-8"))["status"] == "ok"


# --------------------------------------------------------------------------- the index


def test_a_province_that_left_the_corpus_is_listed_stale(seed_build, rendered, tmp_path):
    source, results = rendered
    out = tmp_path / "out"
    shutil.copytree(source, out)
    gone = json.loads((out / "province-kon-tum.json").read_text(encoding="utf-8"))
    gone.update(name="province-son-la", title="Sơn La", parameters={"province": "Sơn La"})
    (out / "province-son-la.json").write_text(json.dumps(gone), encoding="utf-8")
    shutil.copy(out / "province-kon-tum.html", out / "province-son-la.html")
    result = CliRunner().invoke(app, ["render", "all", "--build", str(seed_build), "--out", str(out),
                                      "--if-changed", "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    status = page.find_all("th").index(page.find("th", string="Status"))
    rows = {tr.find_all("td")[0].get_text(): [td.get_text() for td in tr.find_all("td")]
            for tr in page.find("tbody").find_all("tr")}
    assert rows["Sơn La"][status] == STALE_REASON
    assert page.find("a", href="province-son-la.html") is None  # no link to a stale report
    assert len(rows) == len(results) + 1
    assert {cells[status] for title, cells in rows.items() if title != "Sơn La"} <= {"ok", "unchanged"}
    assert f"{len(results)} report(s), 0 failed, 1 stale" in page.get_text(" ")


def test_temporary_files_of_a_killed_run_are_removed_by_the_next(seed_build, rendered, tmp_path):
    source, _ = rendered
    out = tmp_path / "out"
    shutil.copytree(source, out)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    left = out / f".province-kon-tum.{dead}.k1ll3d_x.tmp.ipynb"
    left.write_bytes(b"")
    running = out / f".province-lao-cai.{os.getpid()}.st1ll_on.tmp.ipynb"  # this process: alive
    running.write_bytes(b"{")
    giaoban("render", "all", "--build", str(seed_build), "--out", str(out), "--if-changed")
    assert not left.exists() and running.exists()


# --------------------------------------------------------------------------- refused up front


def test_an_out_folder_that_cannot_be_written_is_one_line(seed_build, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    out = blocker / "reports"
    result = CliRunner().invoke(app, ["render", "all", "--build", str(seed_build), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"error: cannot write to --out {out} (Not a directory); choose a folder you can write to"]


def test_a_sidecar_that_cannot_be_written_does_not_stop_the_batch(seed_build, tmp_path, monkeypatch):
    def refuse(job, result):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner, "write_sidecar", refuse)
    job = jobs.ReportJob("province", "typo", "typo", {"provnce": "Lào Cai"}, tmp_path)
    results = runner.render_many([job, job], n_jobs=1)
    assert [r.status for r in results] == ["failed", "failed"]
    assert results[0].error.endswith(f"; result not recorded: cannot write {tmp_path / 'typo.json'} "
                                     "(Permission denied)")


def test_an_unknown_topic_is_refused_before_a_good_report_is_touched(seed_build, rendered):
    out, _ = rendered
    sidecar = out / "province-kon-tum.json"
    before = sidecar.read_bytes()
    result = CliRunner().invoke(app, ["render", "province", "--province", "Kon Tum", "--topic", "nope",
                                      "--build", str(seed_build), "--out", str(out)])
    assert result.exit_code == 2
    topics = json.loads((seed_build / "manifest.json").read_text(encoding="utf-8"))["tag"]["parameters"]["topics"]
    assert result.output.splitlines() == [f"error: unknown topic 'nope'; valid values: {', '.join(sorted(topics))}"]
    assert sidecar.read_bytes() == before


@pytest.mark.slow
def test_a_timed_out_report_keeps_its_audit_notebook(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell("x: int = 1  # a parameter", metadata={"tags": ["parameters"]}),
                      nbformat.v4.new_code_cell("print('before the hang')"),
                      nbformat.v4.new_code_cell("import time\ntime.sleep(600)")]
    nbformat.write(notebook, tmp_path / "hung.ipynb")
    job = jobs.ReportJob("province", "hung", "hung", {}, tmp_path / "out", timeout=6,
                         notebook_path=tmp_path / "hung.ipynb")
    result = runner.render_report(job)
    assert result.status == "failed" and result.error.startswith("CellTimeoutError: A cell timed out")
    audit = nbformat.read(job.output(".ipynb"), as_version=4)
    assert audit.cells[1].outputs[0]["text"] == "before the hang\n"
    assert _temp_files(job.out_dir) == []


# --------------------------------------------------------------------------- corrupt build files


def _corrupt(path: Path) -> None:
    path.write_bytes(b"PAR1 this is not a parquet file PAR1")


def _build_copy(seed_build: Path, tmp_path: Path) -> Path:
    build = tmp_path / "build"
    shutil.copytree(seed_build, build)
    return build


def test_a_corrupt_segmentation_cache_is_rebuilt_with_a_warning(seed_build, tmp_path):
    build = _build_copy(seed_build, tmp_path)
    cache = next(build.glob("segments_*.parquet"))
    _corrupt(cache)
    result = CliRunner().invoke(app, ["analyze", "--build", str(build), "--figures", str(tmp_path / "fig"),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    assert f"giaoban analyze: warning: {cache} is corrupt (ArrowInvalid); segmenting again" in result.output.splitlines()
    pd.read_parquet(cache)  # rewritten whole
    pd.testing.assert_frame_equal(pd.read_parquet(build / "themes.parquet"),
                                  pd.read_parquet(seed_build / "themes.parquet"))


def test_a_corrupt_optional_table_fails_only_what_needs_it(seed_build, tmp_path):
    build = _build_copy(seed_build, tmp_path)
    _corrupt(build / "keyness.parquet")
    out = tmp_path / "out"
    giaoban("render", "province", "--province", "Kon Tum", "--build", str(build), "--out", str(out))
    audit = nbformat.read(out / "province-kon-tum.ipynb", as_version=4)
    warnings = [o["text"] for c in audit.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert any(f"{build / 'keyness.parquet'} is corrupt (ArrowInvalid); run `giaoban analyze --build {build}` "
               "again to rewrite it" in text for text in warnings)


def test_a_corrupt_required_table_is_one_line_with_what_to_run(seed_build, tmp_path):
    build = _build_copy(seed_build, tmp_path)
    _corrupt(build / "documents.parquet")
    result = CliRunner().invoke(app, ["render", "all", "--build", str(build), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"error: {build / 'documents.parquet'} is corrupt (ArrowInvalid); run `giaoban ingest --build {build}` "
        "again to rewrite it"]
