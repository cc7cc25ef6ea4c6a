"""Ingest on a Dask cluster.

Files, in ``doc_id`` order, are cut into batches; each batch is one task that ingests its files
with the same per-file function as the in-process run (``ingest_file``: hash, cache, read, split)
and writes its part of ``documents`` and ``passages`` atomically into the staging folder. Copies
are then settled on the client in corpus order, exactly as in one process (the first file in
path order wins); the rare part holding a dropped copy is rewritten without it. The tables are
published only when every task is done, so a run that dies leaves the previous tables intact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import build
from analysis.corpus import ingest as stage
from analysis.io import write_parquet_part, write_text_atomic
from analysis.scale.cluster import map_tasks, n_workers
from analysis.scale.partitions import chunks, partition_size
from analysis.schema import DOCUMENT_COLUMNS, PASSAGE_COLUMNS

TABLES = ("documents", "passages")
# The documents columns the result carries (the whole table stays in the build: at a million
# documents its evidence columns alone would fill the client's memory).
SUMMARY_COLUMNS = ["doc_id", "path", "province", "province_2025", "date", "period", "doc_type", "n_passages",
                   "n_words", "check", "text_source", "ocr_confidence", "ocr_valid_syllables"]


@dataclass(frozen=True)
class FileJob:
    """One file of a batch, with what its task needs to know from the client."""

    path: str
    rel_path: str
    doc_id: str
    manifest_row: dict | None
    previous: dict | None


def previous_entries(build_dir: Path) -> dict[str, dict]:
    """The last run's per-file cache entries, when its tables are there to reuse rows from."""
    if not all(build.table_parts(build_dir, name) for name in TABLES):
        return {}
    try:
        state = json.loads((build_dir / stage.INGEST_STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # no earlier run, or a damaged state: ingest everything
        return {}
    return state.get("docs", {}) if isinstance(state, dict) else {}


def _old_rows(build_dir: str, name: str, doc_ids: list[str], columns: list[str]) -> pd.DataFrame:
    if not doc_ids:
        return pd.DataFrame(columns=columns)
    return build.read_table(build_dir, name, filters=[("doc_id", "in", doc_ids)])


def ingest_part(item: tuple[int, list[FileJob]], build_dir: str, staging: str, code_hash: str,
                settings: stage.ReadSettings) -> list[stage.FileOutcome]:
    """Task: ingest a batch of files, write its documents and passages parts, return the
    outcomes without their rows. Idempotent: a re-run writes the same parts. (The per-file time
    limit needs a process's main thread: in a Dask worker's task threads it is not applied.)"""
    index, jobs = item
    outcomes = [stage.ingest_file(Path(job.path), job.rel_path, job.doc_id, job.manifest_row, code_hash,
                                  job.previous, settings=settings) for job in jobs]
    made = [o for o in outcomes if o.row is not None]
    reused = [o.doc_id for o in outcomes if o.reused]
    documents, passages = stage._assemble(
        [o.row for o in made], [o.passages for o in made], reused,
        _old_rows(build_dir, "documents", reused, DOCUMENT_COLUMNS),
        _old_rows(build_dir, "passages", reused, PASSAGE_COLUMNS))
    for name, table in zip(TABLES, (documents, passages)):
        write_parquet_part(build.staged_part(Path(staging), name, index), table)
    return [o.summary() for o in outcomes]


def _drop_copies(staging: Path, parts: dict[int, set[str]]) -> None:
    """Rewrite the staged parts that hold a copy settled as a duplicate, without it."""
    for index, doc_ids in parts.items():
        for name in TABLES:
            path = build.staged_part(staging, name, index)
            table = pd.read_parquet(path)
            write_parquet_part(path, table[~table["doc_id"].isin(doc_ids)].reset_index(drop=True))


def ingest_on_cluster(client: Any, corpus_dir: Path, build_dir: Path, files: list[Path], ids: dict[Path, str],
                      manifest: dict, *, settings: stage.ReadSettings, progress: bool,
                      partition_docs: int | None) -> stage.IngestResult:
    """The ingest stage with one task per batch of files (see the module docstring)."""
    code_hash, old_entries = build.stage_source_hash("ingest"), previous_entries(build_dir)
    ordered = sorted(files, key=ids.__getitem__)
    jobs = [FileJob(str(f), str(f.relative_to(corpus_dir)), ids[f], stage.manifest_row(manifest, f),
                    old_entries.get(str(f.relative_to(corpus_dir)))) for f in ordered]
    batches = chunks(jobs, partition_size(len(jobs), n_workers(client), partition_docs))
    staging = build.staging_dir(build_dir, "ingest")
    results = map_tasks(client, ingest_part, list(enumerate(batches)), str(build_dir), str(staging), code_hash,
                        settings, desc="ingest", progress=progress)
    part_of = {o.doc_id: index for index, outcomes in enumerate(results) for o in outcomes}
    position = {str(f.relative_to(corpus_dir)): i for i, f in enumerate(files)}
    outcomes = sorted((o for part in results for o in part), key=lambda o: position[o.rel_path])
    batch = stage._Batch(code_hash, manifest, old_entries, settings)
    written = {o.doc_id for o in outcomes if o.reused or (o.text_hash and not o.problem)}
    kept = {o.doc_id for o in outcomes if batch.add(o)}
    dropped: dict[int, set[str]] = {}
    for doc_id in written - kept:
        dropped.setdefault(part_of[doc_id], set()).add(doc_id)
    _drop_copies(staging, dropped)
    unchanged = (len(batch.reused_ids) == len(kept) and set(batch.entries) == set(old_entries)
                 and build.table_parts(build_dir, "documents"))
    if unchanged:  # nothing to publish: downstream hashes stay as they are
        build.discard_staged(staging)
    else:
        build.commit_staged(build_dir, staging, TABLES)
        write_text_atomic(build_dir / stage.INGEST_STATE_FILE,
                          json.dumps({"code": code_hash, "docs": batch.entries}, ensure_ascii=False, indent=1))
    documents = build.read_table(build_dir, "documents", columns=SUMMARY_COLUMNS)
    return stage.IngestResult(documents, None, batch.problems, reused=len(batch.reused_ids))
