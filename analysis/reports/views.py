"""Views: the frames a report shows, read from the build that ``giaoban analyze`` wrote.

A report notebook only calls these functions and displays what they return. Each counting view
returns a :class:`Counted`: the table of counts and, from the same rows, the passages each count
was made from, so a count and its evidence cannot disagree. A view recomputes only where a report
parameter asks for it (a period selection, a subset of provinces), and then calls the same
``compare`` function with the parameters ``analyze`` recorded in the build manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.compare import profiles as compare
from analysis.reports.params import ReportError, ReportParameterError, select_period
from analysis.text.fold import canonical_name, slug, term_regex

EVIDENCE_COLUMNS = ["key", "doc_id", "passage_id"]


@dataclass(frozen=True)
class Counted:
    """Counts and the passages behind them: ``table`` has one row per count with its ``key``
    (and ``anchor``, the first passage); ``evidence`` one row per (key, doc_id, passage_id)."""

    table: pd.DataFrame
    evidence: pd.DataFrame


def anchor(doc_id: str, passage_id: int) -> str:
    """The HTML id of a passage in the evidence section."""
    return f"p-{slug(str(doc_id))}-{int(passage_id)}"


def analysis_parameters(build: str | Path) -> dict[str, Any]:
    """The parameters ``giaoban analyze`` recorded for this build ({} when it did not)."""
    from analysis.build import stage_record

    return dict(stage_record(build, "analyze").get("parameters", {}))


def _order_evidence(evidence: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Evidence rows in reading order (document date, document, passage) with their anchors."""
    dates = documents[["doc_id", "date"]].assign(date=documents["date"].fillna("").astype(str))
    out = evidence.merge(dates, on="doc_id", how="left")
    out = out.sort_values(["key", "date", "doc_id", "passage_id"], kind="mergesort").drop(columns="date")
    out = out.assign(anchor=[anchor(d, p) for d, p in zip(out["doc_id"], out["passage_id"])])
    return out.reset_index(drop=True)


def _counted(table: pd.DataFrame, evidence: pd.DataFrame, documents: pd.DataFrame,
             count: str | None = None, cap: int | None = None) -> Counted:
    """Tie ``table`` to its ``evidence``: anchors of the first passage of each key, and (when
    ``count`` names the column of passage counts) a check that each count is its evidence.
    With ``cap``, only the first ``cap`` passages of each count are kept (``n_more`` says how
    many are left out)."""
    evidence = _order_evidence(evidence.drop_duplicates(EVIDENCE_COLUMNS), documents)
    sizes = evidence.groupby("key").size()
    if cap is not None:
        evidence = evidence.assign(total=evidence["key"].map(sizes))
        evidence = evidence.groupby("key", sort=False).head(cap).reset_index(drop=True)
        table = table.assign(n_more=(table["key"].map(sizes).fillna(0) - cap).clip(lower=0).astype(int))
    first = evidence.drop_duplicates("key").set_index("key")["anchor"]
    table = table.assign(anchor=table["key"].map(first).fillna(""))
    if count is not None:
        found = sizes.reindex(table["key"]).fillna(0).astype(int).to_numpy()
        wrong = table.loc[table[count].to_numpy() != found, "key"].tolist()
        if wrong:
            raise ReportError(f"the build's tables disagree with its tags for {', '.join(wrong[:3])}: "
                              "run `giaoban analyze` again on this build")
    return Counted(table.reset_index(drop=True), evidence)


# --------------------------------------------------------------------------- documents


def select_documents(documents: pd.DataFrame, period_from: str = "", period_to: str = "") -> pd.DataFrame:
    """Documents of the selected periods, province names in their canonical spelling."""
    selected = select_period(documents, period_from, period_to)
    return selected.assign(province=selected["province"].fillna("").map(canonical_name))


def province_documents(selected: pd.DataFrame, province: str, period_from: str = "",
                       period_to: str = "") -> pd.DataFrame:
    """The province's documents (by date), each with ``ocr`` when it was read from a scan."""
    mine = selected[selected["province"] == province]
    if mine.empty:
        raise ReportParameterError(f"no document of {province} in periods "
                                   f"{period_from or '…'} – {period_to or '…'}")
    # "ocr", or "mixed" (some pages scanned): words may be misread either way
    ocr = mine["text_source"].isin(["ocr", "mixed"]) if "text_source" in mine.columns else False
    return mine.assign(ocr=ocr).sort_values(["date", "doc_id"], na_position="last").reset_index(drop=True)


def periods_label(documents: pd.DataFrame) -> str:
    """"first – last" period of ``documents`` ("" when none is known)."""
    periods = sorted(p for p in documents["period"].dropna().astype(str) if p)
    if not periods:
        return ""
    return periods[0] if periods[0] == periods[-1] else f"{periods[0]} – {periods[-1]}"


# --------------------------------------------------------------------------- topic counts


def _passages_of(tables: dict, documents: pd.DataFrame) -> pd.DataFrame:
    """The passages of ``documents`` only (a recomputation must not count the others as unknown)."""
    return tables["passages"][tables["passages"]["doc_id"].isin(documents["doc_id"])]


def _from_build(tables: dict, analysis: dict, names: str | tuple[str, ...], by: str, recompute: bool) -> bool:
    """True when the build's tables ``names`` answer the question as they are (a table that is
    missing or was left out as corrupt is computed again instead)."""
    names = (names,) if isinstance(names, str) else names
    return not recompute and all(name in tables for name in names) and analysis.get("by", "province") == by


def _read_or_compute(tables: dict, analysis: dict, name: str, compute, documents: pd.DataFrame, by: str,
                     topics: list[str], recompute: bool, groups: list[str] | None = None) -> pd.DataFrame:
    """The build's table ``name`` (rows of ``groups``), or, when a parameter asks for it, the same
    table computed by ``compute`` over ``documents`` with the topics ``analyze`` recorded."""
    if _from_build(tables, analysis, name, by, recompute):
        table = tables[name]
        return table if groups is None else table[table["group"].isin(groups)]
    return compute(documents, _passages_of(tables, documents), tables["tags"], by=by,
                   topics=analysis.get("topics") or topics)


def topic_evidence(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame,
                   topics: list[str], by: str = "province") -> pd.DataFrame:
    """Every (group, topic, role, doc_id, passage_id) a profile counts: passages of ``documents``
    outside role ``context`` carrying a tag of one of ``topics``."""
    kept = compare.passage_groups(documents, passages[passages["doc_id"].isin(documents["doc_id"])], by)
    hits = compare.passage_topics(tags[tags["topic"].isin(topics)])
    return hits.merge(kept[["doc_id", "passage_id", "role", "group"]], on=["doc_id", "passage_id"])


def topic_profile(tables: dict, analysis: dict, selected: pd.DataFrame, province: str,
                  topics: list[str], recompute: bool = False) -> Counted:
    """The province's share of passages on each topic (all parts of the notices together), the
    other provinces' average share, and the passages behind each count."""
    profiles = _read_or_compute(tables, analysis, "profiles", compare.profiles, selected, "province", topics,
                                recompute)
    others = (profiles[profiles["group"] != province].groupby("topic")["share"].mean()
              .rename("others"))
    table = profiles[(profiles["group"] == province) & profiles["topic"].isin(topics)]
    table = table.merge(others, on="topic", how="left").assign(key=lambda t: "topic:" + t["topic"])
    table = table.assign(others=table["others"].fillna(0.0))
    evidence = topic_evidence(selected[selected["province"] == province], tables["passages"],
                              tables["tags"], topics)
    return _counted(table, evidence.assign(key="topic:" + evidence["topic"]), selected, "n_topic")


def role_profile(tables: dict, analysis: dict, selected: pd.DataFrame, province: str,
                 topics: list[str], recompute: bool = False) -> Counted:
    """The province's topics by role (share of the role's passages, interval, the other provinces'
    mean share) with the passages behind each count; kept: the parts the province's notices have,
    for the topics that occur in them here or elsewhere."""
    by_role = _read_or_compute(tables, analysis, "profiles_by_role", compare.profiles_by_role, selected,
                               "province", topics, recompute)
    table = compare.profile_against_others(by_role, province)
    table = table[table["topic"].isin(topics) & (table["n_passages"] > 0)
                  & ((table["n_topic"] > 0) | (table["others"] > 0))]
    table = table.assign(key="role:" + table["topic"] + ":" + table["role"])
    evidence = topic_evidence(selected[selected["province"] == province], tables["passages"],
                              tables["tags"], topics)
    evidence = evidence.assign(key="role:" + evidence["topic"] + ":" + evidence["role"])
    return _counted(table, evidence[evidence["key"].isin(table["key"])], selected, "n_topic")


# --------------------------------------------------------------------------- findings


FINDING_COLUMNS = ["kind", "topic", "role", "n_topic", "n_passages", "share", "ci_low", "ci_high",
                   "others", "key", "anchor"]


def province_findings(topics: Counted, roles: Counted, n_top: int = 3) -> pd.DataFrame:
    """What the summary says, as rows of the two profile tables (so its numbers are theirs):
    ``weight`` the most mentioned topics (with ``role``, the part most of their passages are in),
    ``difference`` the topic × role furthest from the other provinces' average, ``achievement``,
    ``shortcoming`` and ``task`` the topics named in those parts."""
    rows = []
    by_topic = roles.table.sort_values("n_topic", ascending=False, kind="mergesort")
    top = topics.table[topics.table["n_topic"] > 0]
    for _, row in top.sort_values(["n_topic", "share"], ascending=False, kind="mergesort").head(n_top).iterrows():
        main_role = by_topic.loc[by_topic["topic"] == row["topic"], "role"].iloc[0]
        rows.append({**row[FINDING_COLUMNS[3:]].to_dict(), "kind": "weight", "topic": row["topic"],
                     "role": main_role})
    named = roles.table[roles.table["n_topic"] > 0]
    present = roles.table[roles.table["n_passages"] > 0]
    if not present.empty:
        gap = (present["share"] - present["others"]).abs()
        diff = present.loc[gap.idxmax()]
        rows.append({**diff[FINDING_COLUMNS[1:]].to_dict(), "kind": "difference"})
    for role in ("achievement", "shortcoming", "task"):
        for _, row in named[named["role"] == role].sort_values("n_topic", ascending=False, kind="mergesort").iterrows():
            rows.append({**row[FINDING_COLUMNS[1:]].to_dict(), "kind": role})
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


# --------------------------------------------------------------------------- distinctive terms


def segment_cache(build: str | Path) -> dict[str, str]:
    """The raw segmentation ``giaoban analyze`` kept in the build ({} when there is none)."""
    from analysis.compare.features import cache_name

    path = Path(build) / cache_name()
    if not path.is_file():
        return {}
    cache = pd.read_parquet(path, columns=["key", "words"])
    return dict(zip(cache["key"], cache["words"]))


def distinctive_terms(tables: dict, analysis: dict, selected: pd.DataFrame, province: str,
                      build: str | Path, recompute: bool = False) -> Counted:
    """The province's distinctive terms (``keyness``) with the passages that use each one
    (``keyness_passages``), recomputed with the recorded parameters for a period selection."""
    from analysis.compare.keyness import distinctive_terms as compute

    if _from_build(tables, analysis, ("keyness", "keyness_passages"), "province", recompute):
        keyness, used = tables["keyness"], tables["keyness_passages"]
    else:
        found = compute(selected, tables["passages"], segment_cache(build), by="province",
                        **analysis.get("keyness", {}))
        keyness, used = found["keyness"], found["keyness_passages"]
    table = keyness[keyness["group"] == province].sort_values("rank")
    table = table.assign(key="term:" + table["term"], label=table["term"].str.replace("_", " "))
    evidence = used[used["group"] == province]
    return _counted(table, evidence.assign(key="term:" + evidence["term"]), selected, "n_passages")


# --------------------------------------------------------------------------- indicators


def indicators(tables: dict, documents: pd.DataFrame) -> Counted:
    """Indicators of ``documents`` (from the build, or extracted now when ``analyze`` has not
    written them), each its own count of one passage."""
    from analysis.compare.indicators import indicators_extract

    passages = tables["passages"]
    table = tables.get("indicators")
    if table is None or "as_written" not in table.columns:
        table = indicators_extract(passages[passages["doc_id"].isin(documents["doc_id"])])
    table = table[table["doc_id"].isin(documents["doc_id"])].reset_index(drop=True)
    table = table.assign(key=[f"indicator:{i}" for i in range(len(table))])
    return _counted(table, table[["key", "doc_id", "passage_id"]], documents)


# --------------------------------------------------------------------------- evidence section


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for term in terms for m in term_regex(term).finditer(text)]


def evidence_passages(tables: dict, documents: pd.DataFrame, views: list[Counted]) -> pd.DataFrame:
    """Each passage behind any count, once, in reading order: its document, date, role, text, every
    topic it carries, the spans to highlight (topic terms, distinctive terms, indicator numbers)
    and the counts it belongs to (``counts``: list of (key, position, total, next anchor))."""
    evidence = pd.concat([v.evidence for v in views], ignore_index=True)
    if evidence.empty:
        return pd.DataFrame(columns=["anchor", "doc_id", "passage_id", "title", "date", "role", "text",
                                     "topics", "marks", "counts", "ocr"])
    evidence = _order_evidence(evidence.drop(columns="anchor"), documents)
    chains = _chains(evidence)
    keys = evidence.drop_duplicates(["doc_id", "passage_id"])[["doc_id", "passage_id", "anchor"]]
    passages = keys.merge(tables["passages"][["doc_id", "passage_id", "role", "text"]], on=["doc_id", "passage_id"])
    docs = documents.reindex(columns=["doc_id", "title", "date"]).assign(ocr=documents.get("ocr", False))
    passages = passages.merge(docs, on="doc_id", how="left")
    tags = tables["tags"].merge(keys[["doc_id", "passage_id"]], on=["doc_id", "passage_id"])
    marks = _marks(tags, views, passages)
    topics = tags.groupby(["doc_id", "passage_id"])["topic"].agg(lambda s: list(dict.fromkeys(s)))
    index = list(zip(passages["doc_id"], passages["passage_id"]))
    passages = passages.assign(topics=[topics.get(i, []) for i in index], marks=[marks.get(i, []) for i in index],
                               counts=[chains.get(a, []) for a in passages["anchor"]])
    order = documents[["doc_id", "date"]].assign(date=documents["date"].fillna("").astype(str))
    passages = passages.merge(order.rename(columns={"date": "_d"}), on="doc_id")
    return passages.sort_values(["_d", "doc_id", "passage_id"]).drop(columns="_d").reset_index(drop=True)


def _chains(evidence: pd.DataFrame) -> dict[str, list[tuple[str, int, int, str]]]:
    """anchor -> [(key, position 1.., count, anchor of the next passage of that key or "")]."""
    chains: dict[str, list] = {}
    for key, rows in evidence.groupby("key", sort=False):
        anchors = rows["anchor"].tolist()
        total = rows["total"].iloc[0] if "total" in rows.columns else None
        total = len(anchors) if total is None or pd.isna(total) else int(total)  # more than shown when capped
        for i, a in enumerate(anchors):
            chains.setdefault(a, []).append((key, i + 1, total, anchors[i + 1] if i + 1 < len(anchors) else ""))
    return chains


def _marks(tags: pd.DataFrame, views: list[Counted], passages: pd.DataFrame) -> dict:
    """(doc_id, passage_id) -> sorted (start, end, kind) spans to highlight: ``topic:<id>`` for a
    tag's match, ``term`` for a distinctive term, ``number`` for an indicator."""
    marks: dict[tuple, set] = {}
    for d, p, s, e, topic in zip(tags["doc_id"], tags["passage_id"], tags["start"], tags["end"], tags["topic"]):
        marks.setdefault((d, p), set()).add((int(s), int(e), f"topic:{topic}"))
    texts = dict(zip(zip(passages["doc_id"], passages["passage_id"]), passages["text"].fillna("")))
    for view in views:
        table = view.table
        if "term" in table.columns:
            terms = view.evidence[EVIDENCE_COLUMNS].merge(table[["key", "term"]], on="key")
            for d, p, term in zip(terms["doc_id"], terms["passage_id"], terms["term"]):
                marks.setdefault((d, p), set()).update((s, e, "term") for s, e in _spans(texts.get((d, p), ""), [term]))
        if "as_written" in table.columns:
            for d, p, s, e in zip(table["doc_id"], table["passage_id"], table["start"], table["end"]):
                marks.setdefault((d, p), set()).add((int(s), int(e), "number"))
    return {k: sorted(v) for k, v in marks.items()}


def report_overview(documents: pd.DataFrame, topics: Counted, labels: dict[str, str], n_top: int = 3) -> dict:
    """What the index page says of a report: its documents, periods and top topics (label, share)."""
    table = topics.table
    if "group" in table.columns and table["group"].nunique() > 1:  # a comparison: pool the groups
        table = table.groupby("topic", sort=False)[["n_topic", "n_passages"]].sum().reset_index()
        table = table.assign(share=table["n_topic"] / table["n_passages"].where(table["n_passages"] > 0))
    top = table[table["n_topic"] > 0].sort_values(["share", "n_topic"], ascending=False, kind="mergesort").head(n_top)
    return {"n_docs": int(len(documents)), "periods": periods_label(documents),
            "top_topics": [[labels.get(t, t), round(float(s), 4)] for t, s in zip(top["topic"], top["share"])]}


# --------------------------------------------------------------------------- comparison


def select_groups(documents: pd.DataFrame, by: str, provinces: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Documents of the compared groups (all when ``provinces`` is empty) and the groups' names."""
    documents = documents.assign(**{by: documents[by].fillna("").map(canonical_name)})
    valid = sorted(set(documents[by]) - {""})
    chosen = provinces or valid
    return documents[documents[by].isin(chosen)].reset_index(drop=True), chosen


def group_profiles(tables: dict, analysis: dict, documents: pd.DataFrame, groups: list[str], by: str,
                   topics: list[str], subset: bool, cap: int = 5) -> Counted:
    """Each group's share of passages on each topic (the build's ``profiles`` unless a subset of
    provinces or another grouping asks for a recomputation), with up to ``cap`` passages per count."""
    profiles = _read_or_compute(tables, analysis, "profiles", compare.profiles, documents, by, topics, subset,
                                groups)
    table = profiles[profiles["topic"].isin(topics)]
    table = table.assign(key="group:" + table["group"] + ":" + table["topic"])
    evidence = topic_evidence(documents, tables["passages"], tables["tags"], topics, by)
    evidence = evidence.assign(key="group:" + evidence["group"] + ":" + evidence["topic"])
    return _counted(table, evidence, documents, "n_topic", cap)


def group_roles(tables: dict, analysis: dict, documents: pd.DataFrame, groups: list[str], by: str,
                topics: list[str], subset: bool, cap: int = 5) -> Counted:
    """Each group's passages on each topic in each part of the notices, with up to ``cap``
    passages per count (rows where the group has the topic)."""
    by_role = _read_or_compute(tables, analysis, "profiles_by_role", compare.profiles_by_role, documents, by,
                               topics, subset, groups)
    table = by_role[by_role["topic"].isin(topics) & (by_role["n_topic"] > 0)]
    table = table.assign(key="grouprole:" + table["group"] + ":" + table["topic"] + ":" + table["role"])
    evidence = topic_evidence(documents, tables["passages"], tables["tags"], topics, by)
    evidence = evidence.assign(key="grouprole:" + evidence["group"] + ":" + evidence["topic"] + ":" + evidence["role"])
    return _counted(table, evidence, documents, "n_topic", cap)


def group_similarity(tables: dict, profiles: Counted, groups: list[str], subset: bool) -> pd.DataFrame:
    """Cosine similarity of the groups' topic-share vectors, as a group × group matrix."""
    similarity = tables.get("similarity")
    if subset or similarity is None:
        similarity = compare.similarity_topics(profiles.table)
    similarity = similarity[(similarity["basis"] == "topics") & similarity["group_a"].isin(groups)
                            & similarity["group_b"].isin(groups)]
    return similarity.pivot(index="group_a", columns="group_b", values="cosine")


def group_timeline(tables: dict, analysis: dict, documents: pd.DataFrame, groups: list[str], by: str,
                   topics: list[str], subset: bool, cap: int = 5) -> Counted:
    """Each group's topic shares by period (from the build unless recomputed for a subset), with
    up to ``cap`` passages per count."""
    timeline = _read_or_compute(tables, analysis, "timeline", compare.timeline, documents, by, topics, subset,
                                groups)
    table = timeline[timeline["topic"].isin(topics)]
    table = table.assign(key="period:" + table["group"] + ":" + table["period"] + ":" + table["topic"])
    evidence = topic_evidence(documents, tables["passages"], tables["tags"], topics, by)
    periods = documents[["doc_id", "period"]].assign(period=documents["period"].fillna(compare.UNKNOWN).astype(str))
    evidence = evidence.merge(periods, on="doc_id")
    evidence = evidence.assign(key="period:" + evidence["group"] + ":" + evidence["period"] + ":" + evidence["topic"])
    return _counted(table, evidence, documents, "n_topic", cap)


def comparison_findings(profiles: Counted) -> pd.DataFrame:
    """What the comparison's summary says, as rows of the profile table: ``top`` each group's most
    mentioned topic; ``low`` and ``high`` the ends of the topic whose share differs most between
    the groups that are not small-n."""
    table = profiles.table[profiles.table["n_topic"] > 0]
    top = table.sort_values(["share", "n_topic"], ascending=False, kind="mergesort").drop_duplicates("group")
    rows = [top.sort_values("group").assign(kind="top")]
    ranked = profiles.table[~profiles.table["small_n"]]
    if ranked["group"].nunique() > 1:
        spread = ranked.groupby("topic")["share"].agg(lambda s: s.max() - s.min())
        rows_topic = ranked[ranked["topic"] == spread.idxmax()].sort_values("share", kind="mergesort")
        rows += [rows_topic.head(1).assign(kind="low"), rows_topic.tail(1).assign(kind="high")]
    return pd.concat(rows, ignore_index=True)
