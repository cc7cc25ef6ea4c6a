"""Dev fixture for the analysis tests: the gold passages of the five seeds as pipeline tables.

doc_id = the seed's file stem, passage_id = order within the file, role = gold role,
tags = gold topics (one tag per passage and topic). Built from tests/data only.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def _frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = [json.loads(line) for line in (DATA / "topics_dev.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    passages = pd.DataFrame({"doc_id": [Path(r["source"]).stem for r in rows],
                             "section": "", "role": [r["role"] for r in rows],
                             "text": [r["text"] for r in rows]})
    passages.insert(1, "passage_id", passages.groupby("doc_id").cumcount())
    tags = pd.DataFrame([(Path(r["source"]).stem, int(pid), t, t, -1, -1)
                         for r, pid in zip(rows, passages["passage_id"]) for t in r["topics"]],
                        columns=["doc_id", "passage_id", "topic", "term", "start", "end"])
    docs = pd.read_csv(DATA / "documents_dev.csv", dtype=str, keep_default_na=False)
    docs = docs.assign(doc_id=docs["file"].map(lambda f: Path(f).stem))
    words = passages.groupby("doc_id")["text"].apply(lambda s: int(s.str.split().str.len().sum()))
    docs = docs.assign(n_words=docs["doc_id"].map(words))
    docs = docs[["doc_id", "province", "province_2025", "period", "date", "doc_type", "n_words"]]
    return docs, passages, tags


def dev_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(documents, passages, tags) copies, so a test cannot change another's input."""
    return tuple(f.copy() for f in _frames())


@lru_cache(maxsize=1)
def _real_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    import tempfile

    from typer.testing import CliRunner

    from analysis.cli import app
    from analysis.paths import CORPUS_DIR

    build = Path(tempfile.mkdtemp(prefix="giaoban_analysis_"))
    for args in (["ingest", "--corpus", str(CORPUS_DIR), "--build", str(build)], ["tag", "--build", str(build)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    return tuple(pd.read_parquet(build / f"{name}.parquet") for name in ("documents", "passages", "tags"))


def real_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(documents, passages, tags) from the real pipeline (`giaoban ingest` + `giaoban tag`) on the seeds."""
    return tuple(f.copy() for f in _real_frames())
