"""The tag stage: passages -> tags, per-document topic counts and topic x role counts.

``tag`` is the stage itself (tables in, tables out); ``tag_build`` is its edge on a build folder
(reads passages and documents, writes the three tables, records the codebook in the build
manifest so ``analyze`` and the reports use the topics the tags were made with);
``tag_jsonl`` tags JSON lines from a stream (for pipes and other tools).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import pandas as pd

from analysis import build
from analysis.topics.codebook import Codebook
from analysis.topics.tagging import compile_codebook, passages_tag, tags_by_document, tags_by_role, text_matches

OUTPUTS = ("tags", "doc_topics", "topic_roles")


@dataclass(frozen=True)
class TagResult:
    """The tables of the tag stage, the topic ids they cover (codebook order), and passages per
    topic. After a run on a cluster ``tables`` holds only ``topic_roles`` (the large tables are
    partitioned in the build: read them with ``build.read_table``)."""

    tables: dict[str, pd.DataFrame]
    topics: list[str]
    topic_passages: dict[str, int] = field(default_factory=dict)
    n_passages: int = 0
    n_tags: int = 0


def passage_tags(passages: pd.DataFrame, codebook: Codebook, *, model=None, model_only: bool = False,
                 progress: bool = False) -> pd.DataFrame:
    """Tags of ``passages`` by the codebook and/or a trained ``model`` (see ``giaoban train``)."""
    from analysis.topics.classifier import combine_tags, model_tags

    if model_only and model is None:
        raise ValueError("--model-only needs --model MODEL")
    tags = None if model_only else passages_tag(passages, codebook, progress=progress)
    if model is not None:
        predicted = model_tags(passages, model)
        tags = predicted if model_only else combine_tags(tags, predicted)
    return tags


def tag_topics(codebook: Codebook, model=None) -> list[str]:
    """The codebook's topics, then the model's own (codebook order first)."""
    return codebook.ids + [t for t in (model.topics if model is not None else []) if t not in codebook.ids]


def topic_counts(tags: pd.DataFrame, topics: list[str]) -> dict[str, int]:
    """Number of passages carrying each topic (adds up across batches of documents)."""
    counts = tags.drop_duplicates(["doc_id", "passage_id", "topic"]).groupby("topic").size()
    return {topic: int(counts.get(topic, 0)) for topic in topics}


def tag(passages: pd.DataFrame, codebook: Codebook, *, documents: pd.DataFrame | None = None,
        model=None, model_only: bool = False, progress: bool = False) -> TagResult:
    """Tag every passage with the codebook (and/or a trained ``model``, see ``giaoban train``)."""
    tags = passage_tags(passages, codebook, model=model, model_only=model_only, progress=progress)
    topics = tag_topics(codebook, model)
    tables = {"tags": tags, "doc_topics": tags_by_document(tags, passages, topics, documents),
              "topic_roles": tags_by_role(tags, passages, topics)}
    return TagResult(tables, topics, topic_counts(tags, topics), len(passages), len(tags))


def tag_build(build_dir: str | Path, codebook: Codebook, *, model=None, model_only: bool = False,
              progress: bool = False, client=None, partition_docs: int | None = None) -> TagResult:
    """Run :func:`tag` on a build folder's passages and write its tables and manifest record
    (with a Dask ``client``: one task per partition of documents, ``analysis.scale.tag``)."""
    if model_only and model is None:
        raise ValueError("--model-only needs --model MODEL")
    if client is not None and len(build.read_table(build_dir, "documents", columns=["doc_id"])):
        from analysis.scale.tag import tag_on_cluster

        result = tag_on_cluster(client, build_dir, codebook, model=model, model_only=model_only,
                                progress=progress, partition_docs=partition_docs)
    else:
        passages = build.read_table(build_dir, "passages")
        documents = build.read_table(build_dir, "documents")
        result = tag(passages, codebook, documents=documents, model=model, model_only=model_only,
                     progress=progress)
        build.write_tables(build_dir, result.tables)
    parameters = {"model": model is not None, "model_only": model_only, "topics": result.topics}
    build.record_stage(build_dir, "tag", inputs=("documents", "passages"), outputs=OUTPUTS,
                       parameters=parameters, codebook=codebook)
    return result


def passages_per_topic(result: TagResult) -> dict[str, int]:
    """Number of passages carrying each topic (for the command's summary line)."""
    return dict(result.topic_passages)


# --------------------------------------------------------------------------- JSON lines


def jsonl_line(item_id, matches: list, model_topics: list[str] | None = None) -> str:
    """The output line for one input: id, sorted topics, evidence."""
    evidence = [{"topic": t, "term": term, "start": s, "end": e} for t, term, s, e in matches]
    topics = {m[0] for m in matches} | set(model_topics or [])
    evidence += [{"topic": t, "term": None, "start": None, "end": None}
                 for t in sorted(set(model_topics or []) - {m[0] for m in matches})]
    return json.dumps({"id": item_id, "topics": sorted(topics), "evidence": evidence}, ensure_ascii=False)


def _parse_line(line: str) -> tuple[dict | None, str | None]:
    """The JSON object of one input line, or the reason it is not one."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"invalid JSON ({exc.msg} at column {exc.colno})"
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return item, None
    return None, 'expected an object {"id": ..., "text": "..."}'


def tag_jsonl(source: TextIO, sink: TextIO, codebook: Codebook, model=None, model_only: bool = False,
              on_error=None) -> int:
    """Tag JSON lines ``{"id", "text"}`` from ``source`` to ``sink``; return the number of bad lines.

    A bad line gives ``{"line": N, "error": ...}`` on ``sink`` (and ``on_error(message)``), so
    outputs stay one per input line; blank lines are skipped.
    """
    matcher = compile_codebook(codebook)
    bad = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        item, problem = _parse_line(line)
        if problem is not None:
            bad += 1
            message = f"line {number}: {problem}; skipped"
            sink.write(json.dumps({"line": number, "error": message}, ensure_ascii=False) + "\n")
            if on_error is not None:
                on_error(message)
            continue
        matches = [] if model_only else text_matches(item["text"], matcher)
        model_topics = model.predict([item["text"]])[0] if model is not None else None
        sink.write(jsonl_line(item.get("id"), matches, model_topics) + "\n")
        sink.flush()
    return bad
