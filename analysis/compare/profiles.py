"""Comparison across provinces with honest denominators.

Every table has a row for every group and topic (zeros, never missing rows); shares carry
a Wilson 95% interval; groups with few passages are flagged ``small_n`` and left unranked.
Passages with role ``context`` (legal basis, recipients, signatures) are left out by default.
Group by the pre-2025 ``province`` or by ``province_2025``; an unknown province is its own
group, ``UNKNOWN``, so its passages stay in the denominators.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.periods import period_start
from analysis.text.fold import count_words

GROUPINGS = ("province", "province_2025")
UNKNOWN = "(unknown)"
MIN_PASSAGES = 30  # below this many passages a group's shares are flagged small_n
Z_95 = 1.959963984540054


def tag_topics(tags: pd.DataFrame) -> list[str]:
    """Topic ids found in ``tags``, sorted (the default when a caller names no topics)."""
    return sorted(set(tags["topic"].astype(str)))


def wilson_interval(k, n, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes in n trials (NaN where n == 0)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def passage_groups(documents: pd.DataFrame, passages: pd.DataFrame, by: str = "province",
                   include_context: bool = False, with_words: bool = False) -> pd.DataFrame:
    """Passages (doc_id, passage_id, role, period, n_words, group) kept for profiles.

    ``by`` is usually one of ``GROUPINGS`` but any documents column works (e.g. ``doc_id``).
    """
    missing = {"doc_id", by, "period"} - set(documents.columns)
    if missing:
        raise ValueError(f"documents: missing columns {sorted(missing)}; pass the table from `giaoban ingest`")
    docs = documents[["doc_id", "period"]].assign(group=documents[by].astype(object))
    docs = docs.assign(group=docs["group"].where(docs["group"].notna() & (docs["group"] != ""), UNKNOWN))
    out = passages[["doc_id", "passage_id", "role"]].merge(docs, on="doc_id", how="left", validate="many_to_one")
    out["group"] = out["group"].fillna(UNKNOWN)
    if with_words:  # words of the passage text (syllables), only where a table needs them
        codes, uniq = pd.factorize(passages["text"].fillna("").astype(str))  # corpora repeat passages
        out["n_words"] = np.array([count_words(t) for t in uniq], dtype=int)[codes] if len(uniq) else 0
    if not include_context:
        out = out[out["role"] != "context"]
    return out.reset_index(drop=True)


def passage_topics(tags: pd.DataFrame) -> pd.DataFrame:
    """One row per (doc_id, passage_id, topic) with the number of matched terms."""
    return (tags.groupby(["doc_id", "passage_id", "topic"], sort=True).size()
            .rename("n_mentions").reset_index())


def _add_shares(frame: pd.DataFrame, k: str, n: str, min_passages: int) -> pd.DataFrame:
    low, high = wilson_interval(frame[k], frame[n])
    with np.errstate(invalid="ignore", divide="ignore"):
        share = frame[k] / frame[n].where(frame[n] > 0)
    return frame.assign(share=share, ci_low=low, ci_high=high, small_n=frame[n] < min_passages)


def _grid(groups: Sequence, topics: Sequence[str], extra: dict[str, Sequence] | None = None) -> pd.DataFrame:
    axes = {"group": sorted(set(groups)), "topic": list(topics), **(extra or {})}
    return pd.MultiIndex.from_product(list(axes.values()), names=list(axes)).to_frame(index=False)


def _rank(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Rank by share within ``keys`` (1 = highest), among groups that are not small-n."""
    ranked = frame["share"].where(~frame["small_n"])
    return ranked.groupby([frame[k] for k in keys]).rank(ascending=False, method="min").astype("Int64")


def profiles(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, *,
             by: str = "province", topics: Sequence[str] | None = None,
             include_context: bool = False, min_passages: int = MIN_PASSAGES) -> pd.DataFrame:
    """Group × topic: passages, share with Wilson CI, mentions per 1,000 words, small-n, rank."""
    topics = list(topics) if topics is not None else tag_topics(tags)
    return profiles_from_counts(*profile_counts(documents, passages, tags, by, include_context), topics,
                                min_passages)


def profile_counts(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, by: str = "province",
                   include_context: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sums behind :func:`profiles` (per group; per group and topic). They add up across
    batches of whole documents."""
    kept = passage_groups(documents, passages, by, include_context, with_words=True)
    totals = kept.groupby("group").agg(n_docs=("doc_id", "nunique"), n_passages=("passage_id", "size"),
                                       n_words=("n_words", "sum"))
    hits = passage_topics(tags).merge(kept[["doc_id", "passage_id", "group"]], on=["doc_id", "passage_id"])
    counts = hits.groupby(["group", "topic"]).agg(n_topic=("passage_id", "size"),
                                                  n_mentions=("n_mentions", "sum"))
    return totals, counts


def profiles_from_counts(totals: pd.DataFrame, counts: pd.DataFrame, topics: Sequence[str],
                         min_passages: int = MIN_PASSAGES) -> pd.DataFrame:
    """The profiles table from :func:`profile_counts` (summed)."""
    topics = list(topics)
    out = _grid(totals.index, topics).merge(totals, on="group", how="left")
    out = out.merge(counts.reset_index(), on=["group", "topic"], how="left")
    out[["n_topic", "n_mentions"]] = out[["n_topic", "n_mentions"]].fillna(0).astype(int)
    out = _add_shares(out, "n_topic", "n_passages", min_passages)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["per_1000_words"] = 1000 * out["n_mentions"] / out["n_words"].where(out["n_words"] > 0)
    out["rank"] = _rank(out, ["topic"])
    return out.sort_values(["group", "topic"], key=_topic_order(topics)).reset_index(drop=True)


def _topic_order(topics: Sequence[str]):
    order = {t: i for i, t in enumerate(topics)}
    return lambda s: s.map(order) if s.name == "topic" else s


def profiles_by_role(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, *,
                     by: str = "province", topics: Sequence[str] | None = None,
                     include_context: bool = False, min_passages: int = MIN_PASSAGES) -> pd.DataFrame:
    """Group × topic × role: topic passages in that role, share of the role's passages and of the topic's."""
    topics = list(topics) if topics is not None else tag_topics(tags)
    return profiles_by_role_from_counts(*by_role_counts(documents, passages, tags, by, include_context),
                                        topics, include_context, min_passages)


def by_role_counts(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, by: str = "province",
                   include_context: bool = False) -> tuple[pd.Series, pd.Series]:
    """The sums behind :func:`profiles_by_role`: passages per (group, role), topic passages per
    (group, topic, role)."""
    kept = passage_groups(documents, passages, by, include_context)
    hits = passage_topics(tags).merge(kept[["doc_id", "passage_id", "group", "role"]],
                                      on=["doc_id", "passage_id"])
    return kept.groupby(["group", "role"]).size(), hits.groupby(["group", "topic", "role"]).size()


def profiles_by_role_from_counts(role_n: pd.Series, counts: pd.Series, topics: Sequence[str],
                                 include_context: bool = False, min_passages: int = MIN_PASSAGES) -> pd.DataFrame:
    """The profiles-by-role table from :func:`by_role_counts` (summed)."""
    from analysis.schema import ROLES

    topics = list(topics)
    roles = [r for r in ROLES if include_context or r != "context"]
    groups = role_n.index.get_level_values("group") if len(role_n) else []
    out = _grid(groups, topics, {"role": roles}).merge(role_n.rename("n_passages").reset_index(),
                                                       on=["group", "role"], how="left")
    out = out.merge(counts.rename("n_topic").reset_index(), on=["group", "topic", "role"], how="left")
    out[["n_passages", "n_topic"]] = out[["n_passages", "n_topic"]].fillna(0).astype(int)
    out = _add_shares(out, "n_topic", "n_passages", min_passages)
    topic_total = out.groupby(["group", "topic"])["n_topic"].transform("sum")
    out["share_of_topic"] = out["n_topic"] / topic_total.where(topic_total > 0)
    role_order = {r: i for i, r in enumerate(roles)}
    key = _topic_order(topics)
    out = out.sort_values(["group", "topic", "role"],
                          key=lambda s: s.map(role_order) if s.name == "role" else key(s))
    return out.reset_index(drop=True)


def profile_against_others(by_role: pd.DataFrame, group: str) -> pd.DataFrame:
    """One group's rows of ``profiles_by_role`` with ``others``: the mean share of the other groups.

    A topic × role the group never mentions keeps its row with share 0, so the comparison is
    always against the same grid.
    """
    here = by_role[by_role["group"] == group]
    others = (by_role[by_role["group"] != group].groupby(["topic", "role"], sort=False)["share"]
              .mean().rename("others").reset_index())
    out = here.merge(others, on=["topic", "role"], how="left")
    return out.assign(share=out["share"].fillna(0.0), others=out["others"].fillna(0.0))


def timeline(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, *,
             by: str = "province", topics: Sequence[str] | None = None,
             include_context: bool = False, min_passages: int = MIN_PASSAGES) -> pd.DataFrame:
    """Group × period × topic shares (periods each group has), ordered by period start."""
    topics = list(topics) if topics is not None else tag_topics(tags)
    return timeline_from_counts(*timeline_counts(documents, passages, tags, by, include_context), topics,
                                min_passages)


def timeline_counts(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame, by: str = "province",
                    include_context: bool = False) -> tuple[pd.Series, pd.Series]:
    """The sums behind :func:`timeline`: passages per (group, period), topic passages per
    (group, period, topic)."""
    kept = passage_groups(documents, passages, by, include_context)
    kept = kept.assign(period=kept["period"].fillna(UNKNOWN).astype(str))
    hits = passage_topics(tags).merge(kept[["doc_id", "passage_id", "group", "period"]],
                                      on=["doc_id", "passage_id"])
    return kept.groupby(["group", "period"]).size(), hits.groupby(["group", "period", "topic"]).size()


def timeline_from_counts(totals: pd.Series, counts: pd.Series, topics: Sequence[str],
                         min_passages: int = MIN_PASSAGES) -> pd.DataFrame:
    """The timeline table from :func:`timeline_counts` (summed)."""
    topics = list(topics)
    out = totals.rename("n_passages").reset_index().merge(pd.DataFrame({"topic": topics}), how="cross")
    out = out.merge(counts.rename("n_topic").reset_index(), on=["group", "period", "topic"], how="left")
    out["n_topic"] = out["n_topic"].fillna(0).astype(int)
    out = _add_shares(out, "n_topic", "n_passages", min_passages)
    out.insert(2, "period_start", out["period"].map(period_start))
    order = {t: i for i, t in enumerate(topics)}
    out = out.assign(_t=out["topic"].map(order))
    out = out.sort_values(["group", "period_start", "period", "_t"], na_position="last")
    return out.drop(columns="_t").reset_index(drop=True)


def cooccurrence(passages: pd.DataFrame, tags: pd.DataFrame, *, topics: Sequence[str] | None = None,
                 include_context: bool = False) -> pd.DataFrame:
    """Every pair of topics: passages with each, with both, Jaccard and lift (within passages)."""
    topics = list(topics) if topics is not None else tag_topics(tags)
    return cooccurrence_from_counts(*cooccurrence_counts(passages, tags, topics, include_context), topics)


def cooccurrence_counts(passages: pd.DataFrame, tags: pd.DataFrame, topics: Sequence[str],
                        include_context: bool = False) -> tuple[np.ndarray, int]:
    """The sums behind :func:`cooccurrence`: topic × topic passages with both, passages kept."""
    kept = passages if include_context else passages[passages["role"] != "context"]
    topics = list(topics)
    hits = passage_topics(tags).merge(kept[["doc_id", "passage_id"]], on=["doc_id", "passage_id"])
    hits = hits[hits["topic"].isin(topics)]
    keys = pd.MultiIndex.from_frame(hits[["doc_id", "passage_id"]].astype(str))
    rows, ids = np.unique(keys.to_flat_index().astype(str), return_inverse=True)
    cols = hits["topic"].map({t: i for i, t in enumerate(topics)}).to_numpy()
    onehot = sparse.csr_matrix((np.ones(len(hits)), (np.asarray(ids).ravel(), cols)),
                               shape=(len(rows), len(topics)))
    return (onehot.T @ onehot).toarray(), len(kept)


def cooccurrence_from_counts(both: np.ndarray, n_total: int, topics: Sequence[str]) -> pd.DataFrame:
    """The co-occurrence table from :func:`cooccurrence_counts` (summed)."""
    topics = list(topics)
    pairs = [(i, j) for i in range(len(topics)) for j in range(i + 1, len(topics))]
    out = pd.DataFrame({"topic_a": [topics[i] for i, _ in pairs], "topic_b": [topics[j] for _, j in pairs],
                        "n_a": [both[i, i] for i, _ in pairs], "n_b": [both[j, j] for _, j in pairs],
                        "n_both": [both[i, j] for i, j in pairs]})
    out[["n_a", "n_b", "n_both"]] = out[["n_a", "n_b", "n_both"]].astype(int)
    union = out["n_a"] + out["n_b"] - out["n_both"]
    out["jaccard"] = out["n_both"] / union.where(union > 0)
    out["lift"] = out["n_both"] * n_total / (out["n_a"] * out["n_b"]).where(out["n_a"] * out["n_b"] > 0)
    return out.assign(n_passages=n_total)


def _cosine_long(matrix, labels: Sequence[str], basis: str) -> pd.DataFrame:
    from sklearn.metrics.pairwise import cosine_similarity  # here: reports read profiles without sklearn

    sims = cosine_similarity(matrix)
    a, b = np.meshgrid(np.arange(len(labels)), np.arange(len(labels)), indexing="ij")
    return pd.DataFrame({"basis": basis, "group_a": np.asarray(labels)[a.ravel()],
                         "group_b": np.asarray(labels)[b.ravel()], "cosine": sims.ravel()})


def similarity_topics(profile: pd.DataFrame) -> pd.DataFrame:
    """Cosine similarity of groups on their topic-share vectors (long table, basis='topics')."""
    wide = profile.pivot(index="group", columns="topic", values="share").fillna(0).sort_index()
    return _cosine_long(wide.to_numpy(), list(wide.index), "topics")


def similarity_tfidf(matrix: sparse.spmatrix, groups: Sequence[str]) -> pd.DataFrame:
    """Cosine similarity of groups on the centroids of their passages' TF-IDF rows (basis='tfidf')."""
    return similarity_tfidf_from_sums(*tfidf_group_sums(matrix, groups))


def tfidf_group_sums(matrix: sparse.spmatrix,
                     groups: Sequence[str]) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The sums behind :func:`similarity_tfidf`: TF-IDF rows summed by group, the sorted groups,
    and their numbers of rows."""
    from analysis.compare.features import group_sum

    sums, labels = group_sum(matrix, groups)
    sizes = np.bincount(np.unique(np.asarray(groups, dtype=str), return_inverse=True)[1].ravel(),
                        minlength=len(labels))
    return sums, labels, sizes


def similarity_tfidf_from_sums(sums: sparse.spmatrix, labels: Sequence[str], sizes: np.ndarray) -> pd.DataFrame:
    """The TF-IDF similarity table from :func:`tfidf_group_sums` (summed)."""
    centroids = sparse.diags(1.0 / np.asarray(sizes, dtype=float)) @ sums
    return _cosine_long(centroids, list(labels), "tfidf")
