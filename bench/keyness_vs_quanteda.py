"""Distinctive terms of a province: giaoban's rules against quanteda's textstat_keyness defaults.

    python bench/keyness_vs_quanteda.py [--build build] [--province "Lào Cai"] [--top 10]

quanteda (``textstat_keyness(dfm_group(dfm(tokens(x)), province), target)``) by default: tokens are
ICU words (for Vietnamese, single syllables) with punctuation kept, lower-cased by ``dfm``; no
stop words and no minimum frequency; measure ``chi2`` with Yates's correction where an expected
cell is below 5; features sorted by the signed statistic. Here that is reproduced in Python (the
2 × 2 chi² written out, checked against scipy's ``chi2_contingency`` for the cells where Yates
applies), and printed beside the terms the report shows (``build/keyness.parquet``).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency

TOKEN = re.compile(r"\w+|[^\w\s]")


def quanteda_chi2(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """Signed chi² of each feature's 2 × 2 table (target count a, reference count b), with Yates's
    correction only where an expected count is below 5 and |ad - bc| >= N/2 (quanteda's default)."""
    c, d = total_a - a, total_b - b
    n = a + b + c + d
    expected = np.stack([(a + b) * (a + c), (a + b) * (b + d), (a + c) * (c + d), (c + d) * (b + d)]) / n
    delta = np.where((np.abs(a * d - b * c) >= n / 2) & (expected < 5).any(axis=0), 0.5, 0.0)
    stat = n * (np.abs(a * d - b * c) - n * delta) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    return np.where(a > (a + b) * (a + c) / n, stat, -stat)


def quanteda_default(passages: pd.DataFrame, target: pd.Series) -> pd.DataFrame:
    tokens = passages["text"].fillna("").str.lower().map(TOKEN.findall)
    counts = pd.DataFrame({"in_target": target.to_numpy(), "tokens": tokens}).explode("tokens").dropna()
    table = counts.groupby(["tokens", "in_target"]).size().unstack(fill_value=0)
    a, b = table.get(True, 0).to_numpy(float), table.get(False, 0).to_numpy(float)
    out = pd.DataFrame({"feature": table.index, "n_target": a.astype(int), "n_reference": b.astype(int),
                        "chi2": quanteda_chi2(a, b, a.sum(), b.sum())})
    return out.sort_values(["chi2", "feature"], ascending=[False, True]).reset_index(drop=True)


def check_against_scipy(result: pd.DataFrame, total_a: int, total_b: int) -> None:
    """Our chi² equals scipy's (with Yates) where quanteda applies the correction, else without."""
    for _, row in result.head(20).iterrows():
        a, b = row["n_target"], row["n_reference"]
        cells = [[a, b], [total_a - a, total_b - b]]
        with_yates = chi2_contingency(cells, correction=True)[0]
        without = chi2_contingency(cells, correction=False)[0]
        assert np.isclose(abs(row["chi2"]), with_yates) or np.isclose(abs(row["chi2"]), without), row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument("--province", default="Lào Cai")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    documents = pd.read_parquet(args.build / "documents.parquet")
    passages = pd.read_parquet(args.build / "passages.parquet")
    passages = passages[passages["role"] != "context"].merge(documents[["doc_id", "province"]], on="doc_id")
    result = quanteda_default(passages, passages["province"] == args.province)
    check_against_scipy(result, result["n_target"].sum(), result["n_reference"].sum())
    ours = pd.read_parquet(args.build / "keyness.parquet").query("group == @args.province").sort_values("rank")
    print(f"{args.province}: quanteda defaults (chi², syllables, no stop list) | giaoban (G², compounds and phrases)")
    print("| rank | quanteda feature | chi² | n | giaoban term | G² | log ratio | passages | documents |")
    print("|---:|---|---:|---:|---|---:|---:|---:|---:|")
    for i in range(args.top):
        q = result.iloc[i] if i < len(result) else None
        g = ours.iloc[i] if i < len(ours) else None
        left = f"{q['feature']} | {q['chi2']:.1f} | {q['n_target']}" if q is not None else " | | "
        right = (f"{g['term'].replace('_', ' ')} | {g['g2']:.1f} | {g['log_ratio']:.1f} | {g['n_passages']} | "
                 f"{g['n_docs']}" if g is not None else " | | | | ")
        print(f"| {i + 1} | {left} | {right} |")


if __name__ == "__main__":
    main()
