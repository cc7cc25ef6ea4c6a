"""Passages against labelled ones: which labelled passage the kit cut the same way, and with
which role (the gold format of ``tests/data/topics_dev.jsonl``)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.text.fold import fold_for_matching


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def _best_match(gold_text: str, candidates: list[tuple[str, str]]) -> tuple[str, str | None]:
    """Match kind ("exact", "contained", "overlap", "none") and the role of the best candidate."""
    for text, role in candidates:
        if text == gold_text:
            return "exact", role
    for text, role in candidates:
        if gold_text in text or text in gold_text and len(text) >= 0.5 * len(gold_text):
            return "contained", role
    gold_tokens = _tokens(gold_text)
    scored = [(len(gold_tokens & _tokens(text)) / max(1, len(gold_tokens | _tokens(text))), role)
              for text, role in candidates]
    best = max(scored, default=(0.0, None))
    return ("overlap", best[1]) if best[0] >= 0.5 else ("none", None)


def match_gold(passages: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """One row per non-ambiguous gold passage: gold role, matched role and match kind.

    ``gold`` has columns source (file name), text, role and optionally ambiguous; passages are
    matched within the document whose ``doc_id`` is the file's stem.
    """
    gold = gold[~gold.get("ambiguous", pd.Series(False, index=gold.index)).astype(bool)]
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for row in passages.itertuples(index=False):
        by_doc.setdefault(str(row.doc_id), []).append((fold_for_matching(row.text), row.role))
    rows = []
    for row in gold.itertuples(index=False):
        doc_id = Path(str(row.source)).stem
        kind, role = _best_match(fold_for_matching(row.text), by_doc.get(doc_id, []))
        rows.append({"doc_id": doc_id, "text": row.text, "gold_role": row.role,
                     "role": role, "match": kind})
    return pd.DataFrame(rows, columns=["doc_id", "text", "gold_role", "role", "match"])


def role_agreement(passages: pd.DataFrame, gold: pd.DataFrame) -> float:
    """Share of non-ambiguous gold passages whose matched passage has the gold role."""
    matched = match_gold(passages, gold)
    if matched.empty:
        raise ValueError("role_agreement: the gold table has no non-ambiguous passages")
    return float((matched["role"] == matched["gold_role"]).mean())
