"""Tag on a Dask cluster: one task per partition of documents reads its passages, tags them with
the same function as the in-process run, writes its parts of ``tags`` and ``doc_topics`` and
returns the sums behind ``topic_roles``, which the client adds up and finishes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from analysis import build
from analysis.io import write_parquet_part
from analysis.scale.cluster import map_tasks, n_workers, share
from analysis.scale.partitions import Partition, build_partitions, read_rows
from analysis.topics.tag import TagResult, passage_tags, tag_topics, topic_counts
from analysis.topics.tagging import role_counts, tags_by_document, topic_roles_from_counts

PARTITIONED = ("tags", "doc_topics")


def tag_part(part: Partition, build_dir: str, staging: str, codebook, model, model_only: bool,
             topics: list[str]) -> dict[str, Any]:
    """Task: tag one partition's passages; write its tags and doc_topics parts; return its sums."""
    passages = read_rows(build_dir, "passages", part)
    documents = read_rows(build_dir, "documents", part)
    tags = passage_tags(passages, codebook, model=model, model_only=model_only)
    tables = {"tags": tags, "doc_topics": tags_by_document(tags, passages, topics, documents)}
    for name, table in tables.items():
        write_parquet_part(build.staged_part(Path(staging), name, part.index), table)
    counts, role_sizes = role_counts(tags, passages)
    return {"counts": counts, "role_sizes": role_sizes, "topics": topic_counts(tags, topics),
            "passages": len(passages), "tags": len(tags)}


def tag_on_cluster(client: Any, build_dir: str | Path, codebook, *, model=None, model_only: bool = False,
                   progress: bool = False, partition_docs: int | None = None) -> TagResult:
    """The tag stage with one task per partition (see the module docstring)."""
    build_dir = Path(build_dir)
    parts = build_partitions(build_dir, n_workers(client), partition_docs)
    topics = tag_topics(codebook, model)
    staging = build.staging_dir(build_dir, "tag")
    sums = map_tasks(client, tag_part, parts, str(build_dir), str(staging), share(client, codebook),
                     share(client, model), model_only, topics, desc="tag", progress=progress)
    counts = _add([s["counts"] for s in sums])
    role_sizes = _add([s["role_sizes"] for s in sums])
    topic_roles = topic_roles_from_counts(counts, role_sizes, topics)
    build.commit_staged(build_dir, staging, PARTITIONED)
    build.write_table(build_dir, "topic_roles", topic_roles)
    per_topic = {t: sum(s["topics"][t] for s in sums) for t in topics}
    return TagResult({"topic_roles": topic_roles}, topics, per_topic,
                     sum(s["passages"] for s in sums), sum(s["tags"] for s in sums))


def _add(series: list[pd.Series]) -> pd.Series:
    """Sum count Series with the same index names (missing keys count 0)."""
    frames = [s for s in series if len(s)]
    if not frames:
        return series[0] if series else pd.Series(dtype="int64")
    total = pd.concat(frames)
    return total.groupby(level=list(range(total.index.nlevels))).sum()
