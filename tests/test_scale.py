"""The pipeline on a Dask cluster: same tables as in one process, partitioned build tables, a
worker killed during ingestion, reports from a partitioned build."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis import build, paths
from analysis.compare.analyze import analyze_build
from analysis.corpus.ingest import ingest
from analysis.io import replace_path, write_parquet_part
from analysis.scale.cluster import parse_scheduler
from analysis.scale.partitions import partition_size
from analysis.topics.codebook import load_codebook
from analysis.topics.tag import tag_build

sys.path.insert(0, str(paths.REPO_ROOT / "bench"))
from make_corpus import distinct_share, make_corpus, seed_lines, synthetic_document  # noqa: E402

# Tables compared row by row after sorting on these keys (a partitioned table is in doc_id order
# part by part; document_clusters is sorted by method and k within each part).
SORT_KEYS = {"documents": ["doc_id"], "passages": ["doc_id", "passage_id"],
             "tags": ["doc_id", "passage_id", "topic", "start"], "doc_topics": ["doc_id", "topic"],
             "passage_themes": ["doc_id", "passage_id"], "document_clusters": ["method", "k", "doc_id"],
             "indicators": ["doc_id", "passage_id", "start"], "similarity": ["basis", "group_a", "group_b"]}
# Analysis tables that must be identical; the others within the tolerances stated in
# analysis/scale/analyze.py and bench/README.md.
EXACT = ("themes", "theme_words", "document_clusters", "profiles", "profiles_by_role", "keyness", "timeline",
         "cooccurrence", "indicators")


def _sorted(table: pd.DataFrame, name: str) -> pd.DataFrame:
    keys = SORT_KEYS.get(name)
    return table.sort_values(keys, kind="mergesort").reset_index(drop=True) if keys else table


# --------------------------------------------------------------------------- fast checks


@pytest.mark.parametrize("text, workers, address", [("local:2", 2, None), ("local:1", 1, None),
                                                     ("tcp://10.0.0.5:8786", None, "tcp://10.0.0.5:8786")])
def test_scheduler_option_is_parsed(text, workers, address):
    spec = parse_scheduler(text)
    assert (spec.workers, spec.address) == (workers, address)


@pytest.mark.parametrize("text", ["local", "local:0", "local:x", "10.0.0.5:8786", "dask"])
def test_bad_scheduler_option_is_one_line_naming_the_option(text):
    with pytest.raises(ValueError, match="--scheduler") as error:
        parse_scheduler(text)
    assert "\n" not in str(error.value)


def test_partition_size_gives_several_tasks_per_worker_within_bounds():
    assert partition_size(2000, 2) == 250
    assert partition_size(100, 2) == 50          # never below the minimum
    assert partition_size(100_000, 2) == 1000    # nor above the maximum
    assert partition_size(100, 2, size=7) == 7


def test_a_partitioned_table_reads_like_one_file_in_pandas_pyarrow_and_dask(tmp_path):
    import dask.dataframe as dd
    import pyarrow.parquet as pq

    table = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(10)], "n": np.arange(10),
                          "note": ["x", None, None, None, None, "y", None, "z", None, None]})
    folder = tmp_path / "t.parquet"
    folder.mkdir()
    for index, rows in enumerate((table.iloc[:3], table.iloc[3:5], table.iloc[5:])):
        write_parquet_part(folder / build.part_name(index), rows)  # part 1 has only missing notes
    (folder / ".part-00009.parquet.tmp").write_bytes(b"half a part")  # an unfinished write is skipped
    assert build.read_table(tmp_path, "t").equals(table)
    assert pq.read_table(folder).to_pandas().equals(table)
    from_dask = build.read_dask(tmp_path, "t").compute().reset_index(drop=True)  # dask: Arrow strings
    assert from_dask.astype(str).replace("<NA>", "None").equals(table.astype(str))
    assert dd.read_parquet(str(folder)).npartitions == 3
    assert build.read_table(tmp_path, "t", filters=[("doc_id", ">=", "d04")])["n"].tolist() == list(range(4, 10))


def test_a_table_is_replaced_whatever_its_form(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b"], "n": [1, 2]})
    staged = tmp_path / "staged"
    staged.mkdir()
    write_parquet_part(staged / build.part_name(0), frame)
    build.write_table(tmp_path, "t", frame.assign(n=[5, 6]))
    replace_path(staged, build.table_path(tmp_path, "t"))          # file -> dataset
    assert build.is_partitioned(tmp_path, "t") and build.read_table(tmp_path, "t").equals(frame)
    digest = build.table_hashes(tmp_path, ["t"])["t"]
    build.write_table(tmp_path, "t", frame.assign(n=[7, 8]))         # dataset -> file
    assert not build.is_partitioned(tmp_path, "t")
    assert build.read_table(tmp_path, "t")["n"].tolist() == [7, 8]
    assert build.table_hashes(tmp_path, ["t"])["t"] != digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staged", "t.parquet"] or \
        sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]


def test_benchmark_corpus_is_deterministic_and_its_lines_distinct():
    seeds = seed_lines()
    first, again = synthetic_document(3, seeds), synthetic_document(3, seeds)
    assert first == again
    lines = [line.strip() for i in range(40) for line in synthetic_document(i, seeds).splitlines()[12:-8]
             if len(line.split()) >= 6]
    assert distinct_share(lines) > 0.97  # the old generator repeated seed lines: about 0.05 here
    assert distinct_share(["a", "a", "b", "c"]) == 0.75


# --------------------------------------------------------------------------- on a local cluster


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as dask_client:
        yield dask_client


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """The seeds, 60 generated documents and one copy of a seed (a duplicate)."""
    root = tmp_path_factory.mktemp("scale")
    corpus = root / "corpus"
    make_corpus(60, corpus)
    for path in paths.RAW_DIR.iterdir():
        shutil.copy(path, corpus / "raw" / path.name)
    first = sorted(paths.RAW_DIR.iterdir())[0]
    shutil.copy(first, corpus / "raw" / f"zz_copy{first.suffix}")
    shutil.copy(paths.MANIFEST_PATH, corpus / "manifest.csv")
    return corpus


def _run(corpus: Path, build_dir: Path, client=None) -> None:
    ingest(corpus, build_dir, progress=False, client=client, partition_docs=9)
    tag_build(build_dir, load_codebook(), client=client, partition_docs=9)
    analyze_build(build_dir, build_dir.parent / f"figures-{build_dir.name}", client=client, partition_docs=9)


@pytest.fixture(scope="module")
def both_builds(small_corpus, client) -> tuple[Path, Path]:
    here, there = small_corpus.parent / "in-process", small_corpus.parent / "cluster"
    _run(small_corpus, here)
    _run(small_corpus, there, client)
    return here, there


@pytest.mark.slow
def test_cluster_gives_the_same_pipeline_tables_as_in_process(both_builds):
    here, there = both_builds
    assert build.is_partitioned(there, "passages") and len(build.table_parts(there, "passages")) >= 7
    for name in ("documents", "passages", "tags", "doc_topics", "topic_roles"):
        expected, got = (_sorted(build.read_table(b, name), name) for b in (here, there))
        assert got.equals(expected), name
    assert (here / "ingest_problems.txt").read_text() == (there / "ingest_problems.txt").read_text()
    assert "zz_copy" in (there / "ingest_problems.txt").read_text()


@pytest.mark.slow
def test_cluster_analysis_tables_are_within_the_stated_tolerance(both_builds):
    here, there = both_builds
    for name in EXACT:
        expected, got = (_sorted(build.read_table(b, name), name) for b in (here, there))
        assert got.equals(expected), name
    for name, column in (("similarity", "cosine"), ("cluster_scores", "silhouette")):
        expected, got = (_sorted(build.read_table(b, name), name) for b in (here, there))
        assert got.drop(columns=column).equals(expected.drop(columns=column))
        assert np.allclose(got[column], expected[column], atol=1e-9, equal_nan=True), name
    expected, got = (_sorted(build.read_table(b, "passage_themes"), "passage_themes") for b in (here, there))
    assert got[["doc_id", "passage_id"]].equals(expected[["doc_id", "passage_id"]])
    assert (got["theme"] == expected["theme"]).mean() >= 0.99
    assert np.abs(got["weight"] - expected["weight"]).max() <= 1e-3
    assert got["typical_rank"].notna().sum() == expected["typical_rank"].notna().sum()


@pytest.mark.slow
def test_cluster_rerun_reuses_every_file_and_rewrites_nothing(both_builds, small_corpus, client):
    _, there = both_builds
    digest = build.table_hashes(there, ["documents", "passages"])
    result = ingest(small_corpus, there, progress=False, client=client, partition_docs=9)
    assert result.reused == len(result.documents) and build.table_hashes(there, ["documents", "passages"]) == digest
    assert not (there / build.STAGING_DIR).exists()


def _leftovers(build_dir: Path) -> list[str]:
    """Anything a half-finished write could leave: staging folders, temporary files."""
    return [str(p.relative_to(build_dir)) for p in build_dir.rglob("*")
            if p.name.startswith(".") and p.name != ".ingest_state.json"]


def _kill_a_busy_worker(client, staging: Path) -> int:
    """Wait until a task is running and a part has been written, then SIGKILL the worker process
    running a task; return its pid."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        busy = [worker for worker, keys in client.processing().items() if keys]
        if busy and any(staging.rglob("part-*.parquet")):
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            return pid
        time.sleep(0.05)
    raise AssertionError("no task was seen running")


def _alive(pid: int, wait: float = 30) -> bool:
    """Whether process ``pid`` still exists after ``wait`` seconds (its nanny reaps it)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.2)
    return True


@pytest.mark.slow
def test_a_worker_killed_during_ingestion_loses_nothing_and_leaves_nothing_partial(tmp_path, client):
    corpus = tmp_path / "corpus"
    make_corpus(240, corpus)
    build_dir = tmp_path / "build"
    outcome: dict = {}
    run = threading.Thread(target=lambda: outcome.update(
        result=ingest(corpus, build_dir, progress=False, client=client, partition_docs=6)))
    run.start()
    killed = _kill_a_busy_worker(client, build_dir / build.STAGING_DIR / "ingest")
    run.join(timeout=600)
    assert "result" in outcome, "the run did not complete after a worker was killed"
    assert not _alive(killed)
    documents = build.read_table(build_dir, "documents")
    passages = build.read_table(build_dir, "passages")
    assert sorted(documents["doc_id"]) == sorted(p.stem for p in (corpus / "raw").iterdir())
    assert documents["doc_id"].is_unique
    assert passages.groupby("doc_id").size().reindex(documents["doc_id"]).tolist() == documents["n_passages"].tolist()
    assert not passages.duplicated(["doc_id", "passage_id"]).any()
    assert _leftovers(build_dir) == []
    client.wait_for_workers(2, timeout=60)  # the nanny restarted it for the next tests


@pytest.mark.slow
def test_reports_and_kwic_read_a_partitioned_build(both_builds, client, tmp_path):
    from typer.testing import CliRunner

    from analysis.cli import app
    from analysis.reports.jobs import comparison_job, province_job
    from analysis.reports.runner import render_many

    _, there = both_builds
    jobs = [province_job("Lào Cai", there, tmp_path, timeout=240), comparison_job(there, tmp_path, timeout=240)]
    results = render_many(jobs, client=client)
    assert [r.status for r in results] == ["ok", "ok"], [r.error for r in results]
    page = (tmp_path / f"{jobs[0].name}.html").read_text(encoding="utf-8")
    assert "Lào Cai" in page
    again = render_many(jobs, client=client, if_changed=True)
    assert [r.status for r in again] == ["skipped", "skipped"]
    output = CliRunner().invoke(app, ["kwic", "thu_chi", "--build", str(there), "--limit", "3"]).output
    assert "match(es)" in output and not output.startswith("thu_chi: 0 match")
