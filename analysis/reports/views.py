"""Views: the frames a report shows, read from the build (the notebooks only call these and
display the result)."""

from __future__ import annotations

import pandas as pd

from analysis.text.fold import canonical_name, term_regex


def tag_evidence(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """Every tag with its passage text, role and document metadata (one row per match)."""
    docs = documents[["doc_id", "province", "period", "title"]]
    text = passages[["doc_id", "passage_id", "role", "text"]]
    out = tags.merge(text, on=["doc_id", "passage_id"]).merge(docs, on="doc_id")
    return out.sort_values(["doc_id", "passage_id", "start"], kind="stable").reset_index(drop=True)


def find_evidence(passages: pd.DataFrame, term: str) -> pd.DataFrame:
    """Passages containing ``term`` with the span (start, end) of its first match."""
    pattern = term_regex(term)
    texts = passages["text"].fillna("").map(canonical_name)
    matches = texts.map(pattern.search)
    found = passages.assign(text=texts, start=matches.map(lambda m: m.start() if m else -1),
                            end=matches.map(lambda m: m.end() if m else -1))
    return found[found["start"] >= 0].reset_index(drop=True)


def province_keyness(tables: dict[str, pd.DataFrame], province: str) -> pd.DataFrame:
    """The province's rows of ``keyness.parquet`` (written by ``giaoban analyze``)."""
    table = tables.get("keyness")
    if table is None or table.empty:
        return pd.DataFrame(columns=["term", "g2", "log_ratio"])
    column = "group" if "group" in table.columns else "province"
    rows = table[table[column].astype(str).map(canonical_name) == canonical_name(province)]
    keep = [c for c in ("rank", "term", "count_target", "count_reference", "g2", "log_ratio")
            if c in rows.columns]
    return rows[keep].reset_index(drop=True)


def province_indicators(tables: dict[str, pd.DataFrame], documents: pd.DataFrame) -> pd.DataFrame:
    """Indicators of ``documents`` (from ``indicators.parquet``, or extracted now when the
    analysis stage has not written it), each with its passage ``text`` and match span."""
    from analysis.compare.indicators import indicators_extract

    passages = tables["passages"]
    table = tables.get("indicators")
    if table is None:
        table = indicators_extract(passages[passages["doc_id"].isin(documents["doc_id"])])
    rows = table[table["doc_id"].isin(documents["doc_id"])]
    text = passages[["doc_id", "passage_id", "text"]]
    rows = rows.merge(text, on=["doc_id", "passage_id"], how="left", validate="many_to_one")
    return rows.sort_values(["doc_id", "passage_id", "start"], kind="stable").reset_index(drop=True)
