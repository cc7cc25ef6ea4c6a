"""Distinctive terms of each group against the rest: Dunning's log-likelihood (G²) with log ratio.

For a term with frequency ``a`` in the target (``c`` words) and ``b`` in the reference (``d`` words):
``E1 = c(a+b)/(c+d)``, ``E2 = d(a+b)/(c+d)``, ``G² = 2(a ln(a/E1) + b ln(b/E2))`` (0 ln 0 = 0), and
the effect size is Hardie's log ratio ``log2((a/c)/(b/d))`` with 0.5 in place of a zero count.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import chi2

from analysis.compare.features import group_sum
from analysis.text.fold import one_line, term_regex
from analysis.text.normalize import normalize_text


def log_likelihood(a, b, c, d) -> np.ndarray:
    """Dunning's G² for counts a (target) and b (reference) in corpora of c and d words."""
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def log_ratio(a, b, c, d, smoothing: float = 0.5) -> np.ndarray:
    """Hardie's log ratio (binary log of the ratio of relative frequencies); zero counts -> ``smoothing``."""
    a, b = (np.where(np.asarray(x, dtype=float) > 0, x, smoothing) for x in (a, b))
    return np.log2((a / np.asarray(c, dtype=float)) / (b / np.asarray(d, dtype=float)))


def keyness(target: Sequence[float], reference: Sequence[float], vocab: Sequence[str]) -> pd.DataFrame:
    """Keyness of every term of ``vocab`` (aligned count vectors), sorted by G² then term."""
    a, b = np.asarray(target, dtype=float), np.asarray(reference, dtype=float)
    c, d = a.sum(), b.sum()
    out = pd.DataFrame({"term": np.asarray(vocab, dtype=object), "count_target": a.astype(int),
                        "count_reference": b.astype(int), "total_target": int(c), "total_reference": int(d)})
    out["g2"] = log_likelihood(a, b, c, d)
    out["p_value"] = chi2.sf(out["g2"], 1)
    out["log_ratio"] = log_ratio(a, b, c, d)
    out["direction"] = np.where(a / max(c, 1) >= b / max(d, 1), "over", "under")
    return out.sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def group_name_terms(groups: Sequence[str]) -> set[str]:
    """Group names as vocabulary terms, whole and by syllable ("Hòa Bình" -> "hòa_bình", "hòa", "bình")."""
    names = {str(g).casefold() for g in groups if str(g).strip()}
    return {"_".join(name.split()) for name in names} | {syllable for name in names for syllable in name.split()}


def keyness_by_group(counts: sparse.spmatrix, vocab: Sequence[str], groups: Sequence[str], *,
                     min_count: int = 5, top_n: int = 25, min_g2: float = 3.84,
                     exclude: Sequence[str] | None = None) -> pd.DataFrame:
    """Top over-used terms of each group against all other groups (rows of ``counts`` = passages).

    Kept: terms used at least ``min_count`` times by the group, more often than by the rest, with
    G² >= ``min_g2`` (3.84 = p < 0.05 for one degree of freedom). Terms in ``exclude`` are left
    out; by default the groups' own names (a province is always "distinctive" for its name).
    """
    sums, labels = group_sum(counts, groups)
    return keyness_from_sums(sums, labels, vocab, min_count=min_count, top_n=top_n, min_g2=min_g2,
                             exclude=exclude)


def keyness_from_sums(sums: sparse.spmatrix, labels: Sequence[str], vocab: Sequence[str], *, min_count: int = 5,
                      top_n: int = 25, min_g2: float = 3.84, exclude: Sequence[str] | None = None) -> pd.DataFrame:
    """:func:`keyness_by_group` from term counts already summed by group (rows = ``labels``);
    one group's row is made dense at a time."""
    excluded = set(exclude) if exclude is not None else group_name_terms(set(labels))
    sums = sparse.csr_matrix(sums)
    total = np.asarray(sums.sum(axis=0)).ravel()
    frames = []
    for i, label in enumerate(labels):
        row = sums[i].toarray().ravel()
        table = keyness(row, total - row, vocab)
        keep = ((table["direction"] == "over") & (table["count_target"] >= min_count)
                & (table["g2"] >= min_g2) & ~table["term"].isin(excluded))
        table = table[keep].head(top_n)
        frames.append(table.assign(group=label, rank=np.arange(1, len(table) + 1)))
    cols = ["group", "rank", "term", "count_target", "count_reference", "total_target",
            "total_reference", "g2", "p_value", "log_ratio"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def kwic(text: str, term: str, window: int = 50) -> str:
    """Key word in context: the first occurrence of ``term`` (underscores = spaces) in ``text``."""
    text = one_line(normalize_text(str(text)))  # PDF line breaks never show
    match = term_regex(term).search(text)
    if not match:
        return text[: 2 * window]
    left = text[max(0, match.start() - window): match.start()]
    right = text[match.end(): match.end() + window]
    return f"{'…' if match.start() > window else ''}{left}[{match.group(0)}]{right}" \
           f"{'…' if match.end() + window < len(text) else ''}"


def keyness_evidence(table: pd.DataFrame, counts: sparse.spmatrix, vocab: Sequence[str],
                     passages: pd.DataFrame, groups: Sequence[str], window: int = 50) -> pd.DataFrame:
    """Add doc_id, passage_id and a kwic line from the group's first passage that uses each term."""
    column = {t: j for j, t in enumerate(vocab)}
    csc = sparse.csc_matrix(counts)
    groups = np.asarray(groups, dtype=object).astype(str)
    rows = []
    for group, term in zip(table["group"], table["term"]):
        hits = csc[:, column[term]].nonzero()[0]
        first = next((r for r in hits if groups[r] == group), None)
        if first is None:
            rows.append((None, None, ""))
            continue
        row = passages.iloc[first]
        rows.append((row["doc_id"], row["passage_id"], kwic(row["text"], term, window)))
    evidence = pd.DataFrame(rows, columns=["doc_id", "passage_id", "kwic"], index=table.index)
    return pd.concat([table, evidence], axis=1)
