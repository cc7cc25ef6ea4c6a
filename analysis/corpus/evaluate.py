"""The kit's tables against labelled ones: which labelled passage the kit cut the same way and
with which role (the gold format of ``tests/data/topics_dev.jsonl``), and which document
metadata it read right (the format of ``tests/data/more/documents.csv``)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.corpus.provinces import standard_province
from analysis.text.fold import fold_for_matching, name_key


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
        rows.append({"doc_id": doc_id, "id": getattr(row, "id", ""), "text": row.text,
                     "gold_role": row.role, "role": role, "match": kind})
    return pd.DataFrame(rows, columns=["doc_id", "id", "text", "gold_role", "role", "match"])


def role_agreement(passages: pd.DataFrame, gold: pd.DataFrame) -> float:
    """Share of non-ambiguous gold passages whose matched passage has the gold role."""
    matched = match_gold(passages, gold)
    if matched.empty:
        raise ValueError("role_agreement: the gold table has no non-ambiguous passages")
    return float((matched["role"] == matched["gold_role"]).mean())


# --------------------------------------------------------------------------- documents

# Fields scored against a labelled documents table; the traced ones are the kit's targets, signer
# and chair are shown as extra information.
METADATA_FIELDS = ("province", "date", "period", "doc_type", "signer", "chair")
MISS_COLUMNS = ["doc_id", "field", "expected", "got", "evidence"]
MATCH_KINDS = ("exact", "contained", "overlap", "none")


def expected_metadata(labelled: pd.DataFrame) -> pd.DataFrame:
    """The labelled documents as the kit should read them from the text alone, by ``doc_id``.

    A province the text does not give (``province_in_text`` = ``no``) must come out unknown: the
    kit is right to leave it empty until a manifest row supplies it.
    """
    table = labelled.fillna("").astype(str).copy()
    table["doc_id"] = [Path(name).stem for name in table["file"]]
    if "province_in_text" in table:
        hidden = table["province_in_text"].str.strip().str.casefold() == "no"
        table.loc[hidden, "province"] = ""
    fields = [field for field in METADATA_FIELDS if field in table]
    return table.set_index("doc_id")[fields]


def _same(field: str, expected: str, got: str) -> bool:
    if field == "province":  # one province under any of its spellings ("Huế", "Thừa Thiên Huế")
        return (standard_province(expected) or name_key(expected)) == (standard_province(got) or name_key(got))
    if field in ("signer", "chair"):
        return name_key(expected) == name_key(got)
    return expected.strip() == got.strip()


def score_metadata(documents: pd.DataFrame, labelled: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(accuracy per field, misses) of the kit's ``documents`` against ``labelled`` documents.

    Every labelled document counts; one the kit did not ingest is a miss on every field. An
    empty label is a value too: the kit is right only when it leaves the field empty as well.
    """
    expected = expected_metadata(labelled)
    got = documents.fillna("").astype(str).set_index("doc_id")
    rows, misses = [], []
    for field in expected.columns:
        right = 0
        for doc_id, wanted in expected[field].items():
            value = got.at[doc_id, field] if doc_id in got.index else ""
            if doc_id in got.index and _same(field, wanted, value):
                right += 1
                continue
            evidence = got.at[doc_id, f"{field}_evidence"] if f"{field}_evidence" in got and doc_id in got.index else ""
            misses.append({"doc_id": doc_id, "field": field, "expected": wanted,
                           "got": value if doc_id in got.index else "(not ingested)", "evidence": evidence})
        total = len(expected)
        rows.append({"field": field, "right": right, "total": total, "accuracy": right / total if total else 0.0})
    return pd.DataFrame(rows, columns=["field", "right", "total", "accuracy"]), \
        pd.DataFrame(misses, columns=MISS_COLUMNS)


# --------------------------------------------------------------------------- passages


def segmentation_agreement(passages: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """How the kit cut the labelled passages: count and share of each match kind.

    ``exact`` = cut identically; ``contained`` and ``overlap`` = found inside a longer or shorter
    passage of the kit; ``none`` = not found. Every labelled passage counts (ambiguity is about
    labels, not cuts).
    """
    matched = match_gold(passages, gold.assign(ambiguous=False))
    counts = matched["match"].value_counts()
    total = len(matched)
    return pd.DataFrame([{"match": kind, "passages": int(counts.get(kind, 0)),
                          "share": counts.get(kind, 0) / total if total else 0.0} for kind in MATCH_KINDS])


def role_scores(passages: pd.DataFrame, gold: pd.DataFrame) -> tuple[float, pd.DataFrame, pd.DataFrame]:
    """(accuracy, confusion table, matched rows) of the kit's roles on the labelled passages.

    Passages marked ``role_ambiguous`` are left out (``ambiguous`` when the set has no
    ``role_ambiguous`` column); a labelled passage the kit did not find counts as wrong and
    appears as ``(none)`` in the confusion table (rows = labelled role, columns = kit's role).
    """
    column = "role_ambiguous" if "role_ambiguous" in gold else "ambiguous"
    flags = gold[column] if column in gold else pd.Series(False, index=gold.index)
    matched = match_gold(passages, gold.assign(ambiguous=flags.fillna(False).astype(bool)))
    if matched.empty:
        raise ValueError("role scores: the labelled set has no passages to score")
    accuracy = float((matched["role"] == matched["gold_role"]).mean())
    kit_role = matched["role"].fillna("(none)").rename("kit")
    confusion = pd.crosstab(matched["gold_role"].rename("labelled"), kit_role)
    return accuracy, confusion, matched
