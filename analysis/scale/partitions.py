"""Which documents each task covers, and reading their rows from any build table.

A partition is a range of ``doc_id`` values (tables are sorted by ``doc_id``), so a document's
rows are never split. Tables written on a cluster are folders of parts with one part per
partition; a table written in one process is one file. Either way a task reads its range with a
pyarrow filter, which skips the parts and row groups outside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import build

MIN_PARTITION_DOCS = 50      # below this a task is shorter than the scheduler's overhead is worth
MAX_PARTITION_DOCS = 1000    # about 12 MB of text: a task of a few seconds, memory well bounded
PARTS_PER_WORKER = 4         # enough tasks that a slow one does not leave a worker idle


@dataclass(frozen=True)
class Partition:
    """Documents ``first`` .. ``last`` (by ``doc_id``, both included); ``index`` names the part."""

    index: int
    first: str
    last: str

    @property
    def name(self) -> str:
        return build.part_name(self.index)


def partition_size(n_docs: int, workers: int, size: int | None = None) -> int:
    """Documents per partition: ``size`` if given, else about ``PARTS_PER_WORKER`` tasks per
    worker, within ``MIN_PARTITION_DOCS`` .. ``MAX_PARTITION_DOCS``."""
    if size is not None:
        if size < 1:
            raise ValueError(f"--partition-docs {size}: give a positive number of documents")
        return size
    wanted = -(-n_docs // max(1, workers * PARTS_PER_WORKER))
    return max(MIN_PARTITION_DOCS, min(MAX_PARTITION_DOCS, wanted))


def chunks(items: list, size: int) -> list[list]:
    """``items`` cut into consecutive lists of ``size`` (the last may be shorter)."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def build_partitions(build_dir: str | Path, workers: int, size: int | None = None) -> list[Partition]:
    """Partitions of a build's documents: its parts when the passages table is partitioned,
    else ranges of ``size`` documents (from the documents table)."""
    parts = build.table_parts(build_dir, "passages") if build.is_partitioned(build_dir, "passages") else []
    if parts:
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        bounds = []
        for path in parts:
            ids = pq.read_table(path, columns=["doc_id"]).column("doc_id")
            if len(ids):
                limits = pc.min_max(ids)
                bounds.append((limits["min"].as_py(), limits["max"].as_py()))
        return [Partition(i, first, last) for i, (first, last) in enumerate(bounds)]
    ids = sorted(build.read_table(build_dir, "documents", columns=["doc_id"])["doc_id"].astype(str))
    groups = chunks(ids, partition_size(len(ids), workers, size))
    return [Partition(i, group[0], group[-1]) for i, group in enumerate(groups)]


def read_rows(build_dir: str | Path, name: str, part: Partition, columns: list[str] | None = None) -> pd.DataFrame:
    """Rows of table ``name`` for the documents of ``part``, whatever the table's form: pyarrow
    skips the parts and row groups whose ``doc_id`` statistics lie outside the range."""
    bounds = [("doc_id", ">=", part.first), ("doc_id", "<=", part.last)]
    return build.read_table(build_dir, name, columns=columns, filters=bounds).reset_index(drop=True)
