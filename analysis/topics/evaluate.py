"""Evaluate topic predictions against a gold file in the format of ``tests/data/topics_dev.jsonl``.

Gold lines: ``{"id", "text", "topics": [...], "ambiguous": bool, ...}``, optionally with
``source`` (the document's file name) and ``role_ambiguous``. Passages marked ambiguous are left
out of topic scoring. Scores per topic (precision, recall, F1) and micro average.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.schema import CORE_TOPICS
from analysis.topics.codebook import Codebook
from analysis.topics.tagging import compile_codebook, texts_matches

GOLD_COLUMNS = ["id", "source", "text", "topics", "ambiguous", "role", "role_ambiguous", "note"]
SCORE_COLUMNS = ["topic", "support", "tp", "fp", "fn", "precision", "recall", "f1"]
ERROR_COLUMNS = ["id", "topic", "kind", "evidence", "text"]


def read_gold(path: str | Path) -> pd.DataFrame:
    """Read a gold jsonl file; a bad line raises ``ValueError`` naming the file and line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"gold file {path}: cannot read it ({exc.strerror})") from None
    return gold_frame(lines, str(path))


def gold_frame(lines: list[str], source: str = "<gold>") -> pd.DataFrame:
    """Gold rows from jsonl ``lines`` (blank lines skipped)."""
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"gold file {source}, line {number}: invalid JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) \
                or not isinstance(item.get("topics", []), list):
            raise ValueError(f"gold file {source}, line {number}: expected an object with "
                             "'text' (string) and 'topics' (list)")
        ambiguous = bool(item.get("ambiguous", False))
        rows.append({"id": str(item.get("id", number)), "source": str(item.get("source", "")),
                     "text": item["text"], "topics": sorted(set(item.get("topics", []))),
                     "ambiguous": ambiguous, "role": item.get("role"),
                     # A set without role_ambiguous (the seeds) leaves ambiguous passages out of both.
                     "role_ambiguous": bool(item.get("role_ambiguous", ambiguous)),
                     "note": item.get("note", "")})
    if not rows:
        raise ValueError(f"gold file {source}: no passages")
    return pd.DataFrame(rows, columns=GOLD_COLUMNS)


def evaluation_topics(gold: pd.DataFrame, codebook: Codebook) -> list[str]:
    """Topics scored: the codebook's core topics and every topic labelled in the gold.

    A labelled topic the codebook lacks is scored too (the codebook finds none of it), and the
    classifier learns it.
    """
    labelled = {t for topics in gold["topics"] for t in topics}
    ours = [t for t in codebook.ids if t in labelled or t in CORE_TOPICS]
    return ours + sorted(labelled - set(codebook.ids))


def gold_predict(gold: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Codebook predictions for each gold passage: id, topics (sorted), evidence {topic: [terms]}."""
    matcher = compile_codebook(codebook)
    rows = []
    for gold_id, matches in zip(gold["id"], texts_matches(gold["text"].tolist(), matcher)):
        evidence: dict[str, list[str]] = {}
        for topic, term, _, _ in matches:
            evidence.setdefault(topic, []).append(term)
        rows.append({"id": gold_id, "topics": sorted(evidence), "evidence": evidence})
    return pd.DataFrame(rows, columns=["id", "topics", "evidence"])


def score_topics(gold: pd.DataFrame, predicted: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """Per-topic P/R/F1 (and a ``micro`` row) over the non-ambiguous gold passages."""
    merged = _scored(gold, predicted)
    rows = []
    for topic in topics:
        truth = merged["topics_gold"].map(lambda ts, t=topic: t in ts)
        guess = merged["topics_pred"].map(lambda ts, t=topic: t in ts)
        rows.append(_score_row(topic, int((truth & guess).sum()), int((~truth & guess).sum()),
                               int((truth & ~guess).sum())))
    table = pd.DataFrame(rows, columns=SCORE_COLUMNS)
    micro = _score_row("micro", int(table["tp"].sum()), int(table["fp"].sum()), int(table["fn"].sum()))
    return pd.concat([table, pd.DataFrame([micro], columns=SCORE_COLUMNS)], ignore_index=True)


def _scored(gold: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    kept = gold.loc[~gold["ambiguous"], ["id", "text", "topics"]]
    return kept.merge(predicted, on="id", how="left", suffixes=("_gold", "_pred")).assign(
        topics_pred=lambda f: f["topics_pred"].map(lambda v: v if isinstance(v, list) else []))


def _score_row(topic: str, tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if tp + fp + fn == 0:  # nothing to find and nothing found: perfect, not undefined
        precision = recall = f1 = 1.0
    return {"topic": topic, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}


def score_errors(gold: pd.DataFrame, predicted: pd.DataFrame, topics: list[str]) -> pd.DataFrame:
    """False positives (with their evidence) and false negatives, one row per passage and topic."""
    merged = _scored(gold, predicted)
    rows = []
    for item in merged.itertuples(index=False):
        evidence = item.evidence if isinstance(item.evidence, dict) else {}
        for topic in topics:
            truth, guess = topic in item.topics_gold, topic in item.topics_pred
            if truth != guess:
                rows.append({"id": item.id, "topic": topic, "kind": "FP" if guess else "FN",
                             "evidence": "; ".join(evidence.get(topic, [])), "text": item.text})
    return pd.DataFrame(rows, columns=ERROR_COLUMNS)


def evaluate_codebook(gold: pd.DataFrame, codebook: Codebook) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scores, errors) of ``codebook`` on ``gold``."""
    predicted = gold_predict(gold, codebook)
    topics = evaluation_topics(gold, codebook)
    return score_topics(gold, predicted, topics), score_errors(gold, predicted, topics)
