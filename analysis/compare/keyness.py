"""Distinctive terms of each group against the rest: Dunning's log-likelihood (G²) with log ratio,
over compound words and frequent two-word phrases (see ``distinctive_terms``).

For a term with frequency ``a`` in the target (``c`` words) and ``b`` in the reference (``d`` words):
``E1 = c(a+b)/(c+d)``, ``E2 = d(a+b)/(c+d)``, ``G² = 2(a ln(a/E1) + b ln(b/E2))`` (0 ln 0 = 0), and
the effect size is Hardie's log ratio ``log2((a/c)/(b/d))`` with 0.5 in place of a zero count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse


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
    from scipy.stats import chi2

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


# --------------------------------------------------------------------------- distinctive terms

# What makes a term distinctive of a group (recorded by `giaoban analyze` in the build manifest,
# and used again by a report that selects periods): see ``distinctive_terms``.
DISTINCTIVE_DEFAULTS = {
    "min_count": 3,        # uses of the term in the group
    "min_passages": 2,     # passages of the group that use it (one passage is one sentence's style)
    "min_docs": 2,         # documents of the whole corpus that use it (one document is one author)
    "min_g2": 3.84,        # G² of p < 0.05 (one degree of freedom)
    "min_log_ratio": 1.0,  # effect size: at least twice as frequent as in the other groups
    "min_bigram_count": 3,  # a two-word phrase is a term when the corpus uses it this often
    "top_n": 25,
}


def content_runs(raw: str, phrases, stopwords) -> list[list[str]]:
    """Runs of content words of one text's segmenter output: punctuation, numbers and stop words
    end a run, so two words of a run stood side by side in the text."""
    from analysis.compare.features import _HAS_LETTER, merge_phrases, strip_edge_junk

    runs, run = [], []
    for token in raw.split():
        word = strip_edge_junk(token)
        if not _HAS_LETTER.search(word):
            runs.append(run)
            run = []
            continue
        run.append(word)
        if word != token:  # punctuation stuck to the word ("trường," or "(sở")
            runs.append(run)
            run = []
    runs.append(run)
    out = []
    for words in (merge_phrases(r, phrases) for r in runs if r):
        part: list[str] = []
        for word in words:
            if word in stopwords:
                out.append(part)
                part = []
            else:
                part.append(word)
        out.append(part)
    return [r for r in out if r]


def text_terms(raw: str, phrases, stopwords) -> list[str]:
    """Keyness candidates of one text: multi-syllable words ("giáo_dục_mầm_non") and pairs of
    adjacent content words ("thu_chi đầu_năm"); single syllables alone say little in Vietnamese."""
    terms = []
    for run in content_runs(raw, phrases, stopwords):
        terms.extend(w for w in run if "_" in w)
        terms.extend(f"{a} {b}" for a, b in zip(run, run[1:]))
    return terms


def term_counts(term_lists: Sequence[Sequence[str]], min_bigram_count: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Count matrix (rows = texts) of the terms; two-word phrases rarer than ``min_bigram_count``
    in the whole corpus are left out."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=lambda terms: terms, lowercase=False)
    counts = vectorizer.fit_transform(term_lists).tocsr()
    vocab = vectorizer.get_feature_names_out()
    totals = np.asarray(counts.sum(axis=0)).ravel()
    keep = np.flatnonzero(np.array([" " not in t for t in vocab]) | (totals >= min_bigram_count))
    return counts[:, keep].tocsr(), np.asarray(vocab[keep], dtype=object)


KEYNESS_COLUMNS = ["group", "rank", "term", "count_target", "count_reference", "total_target", "total_reference",
                   "n_passages", "n_docs", "group_docs", "g2", "p_value", "log_ratio"]


def distinctive_by_group(counts: sparse.spmatrix, vocab: Sequence[str], groups: Sequence[str],
                         doc_ids: Sequence[str], *, exclude: Sequence[str] | None = None,
                         **params) -> pd.DataFrame:
    """Distinctive terms of each group against all the others (rows of ``counts`` = passages).

    Kept: terms the group uses more often than the rest, at least ``min_count`` times in
    ``min_passages`` of its passages, that occur in ``min_docs`` documents of the corpus, with
    G² >= ``min_g2`` and log ratio >= ``min_log_ratio`` (see ``DISTINCTIVE_DEFAULTS``). ``n_docs``
    counts the corpus documents using the term, ``group_docs`` the group's documents (a group of
    one document cannot tell the province from its author).
    """
    return distinctive_from_stats(distinctive_stats(counts, vocab, groups, doc_ids), exclude=exclude, **params)


@dataclass(frozen=True)
class DistinctiveStats:
    """The counts distinctive terms are decided from, all additive over parts of a corpus that do
    not split a document (so a cluster sums them over partitions): per group and term its uses
    (``count``) and passages (``n_passages``); per term the documents using it; per group its
    documents."""

    terms: pd.DataFrame  # group, term, count, n_passages (rows with count > 0)
    term_docs: pd.Series  # term -> documents using it
    group_docs: pd.Series  # group -> documents

    @staticmethod
    def total(parts: Sequence[DistinctiveStats]) -> DistinctiveStats:
        """The statistics of the union of parts that share no document."""
        terms = pd.concat([p.terms for p in parts], ignore_index=True)
        terms = terms.groupby(["group", "term"], as_index=False, sort=True)[["count", "n_passages"]].sum()
        term_docs = pd.concat([p.term_docs for p in parts]).groupby(level=0).sum()
        group_docs = pd.concat([p.group_docs for p in parts]).groupby(level=0).sum()
        return DistinctiveStats(terms, term_docs, group_docs)

    def without_rare_phrases(self, min_bigram_count: int) -> DistinctiveStats:
        """Two-word phrases the whole corpus uses fewer than ``min_bigram_count`` times left out
        (as ``term_counts`` does in one pass)."""
        totals = self.terms.groupby("term")["count"].sum()
        rare = set(totals.index[(totals < min_bigram_count) & totals.index.str.contains(" ")])
        return DistinctiveStats(self.terms[~self.terms["term"].isin(rare)].reset_index(drop=True),
                                self.term_docs.drop(index=list(rare & set(self.term_docs.index))),
                                self.group_docs)


def distinctive_stats(counts: sparse.spmatrix, vocab: Sequence[str], groups: Sequence[str],
                      doc_ids: Sequence[str]) -> DistinctiveStats:
    """:class:`DistinctiveStats` of a count matrix (rows = passages of ``groups`` and ``doc_ids``)."""
    sums, labels = _group_presence_or_sum(counts, groups, binary=False)
    present, _ = _group_presence_or_sum(counts, groups, binary=True)
    in_docs, _ = _group_presence_or_sum(counts, doc_ids, binary=True)
    vocab = np.asarray(vocab, dtype=object)
    rows, cols = sums.nonzero()
    terms = pd.DataFrame({"group": np.asarray(labels, dtype=object)[rows].astype(str), "term": vocab[cols],
                          "count": np.asarray(sums[rows, cols]).ravel().astype("int64"),
                          "n_passages": np.asarray(present[rows, cols]).ravel().astype("int64")})
    term_docs = pd.Series(np.asarray((in_docs > 0).sum(axis=0)).ravel().astype("int64"), index=vocab)
    docs = pd.DataFrame({"group": np.asarray(groups, dtype=object).astype(str), "doc_id": np.asarray(doc_ids)})
    group_docs = docs.drop_duplicates().groupby("group").size().astype("int64")
    return DistinctiveStats(terms.sort_values(["group", "term"], kind="mergesort", ignore_index=True),
                            term_docs[term_docs > 0], group_docs)


def _group_presence_or_sum(counts: sparse.spmatrix, keys: Sequence,
                           binary: bool) -> tuple[sparse.csr_matrix, np.ndarray]:
    from analysis.compare.features import group_sum  # (not at the top: reports read keyness without sklearn)

    matrix = (counts > 0).astype(np.int64) if binary else counts
    return group_sum(matrix, keys)


def distinctive_from_stats(stats: DistinctiveStats, *, exclude: Sequence[str] | None = None,
                           **params) -> pd.DataFrame:
    """The distinctive-terms table (``KEYNESS_COLUMNS``) from :class:`DistinctiveStats`."""
    p = {**DISTINCTIVE_DEFAULTS, **params}
    labels = sorted(stats.group_docs.index)
    vocab = np.asarray(sorted(set(stats.terms["term"])), dtype=object)
    excluded = set(exclude) if exclude is not None else group_name_terms(set(labels))
    excluded |= {t for t in vocab if set(t.split(" ")) & excluded}
    column = {t: j for j, t in enumerate(vocab)}
    row = {g: i for i, g in enumerate(labels)}
    shape = (len(labels), len(vocab))
    at = (stats.terms["group"].map(row).to_numpy(), stats.terms["term"].map(column).to_numpy())
    sums = sparse.csr_matrix((stats.terms["count"].to_numpy(), at), shape=shape).toarray()
    in_passages = sparse.csr_matrix((stats.terms["n_passages"].to_numpy(), at), shape=shape).toarray()
    n_docs = stats.term_docs.reindex(vocab).fillna(0).astype(int).to_numpy()
    total = sums.sum(axis=0)
    frames = []
    for i, label in enumerate(labels):
        table = keyness(sums[i], total - sums[i], vocab)
        order = table["term"].map(column).to_numpy()
        table = table.assign(n_passages=in_passages[i][order], n_docs=n_docs[order],
                             group_docs=int(stats.group_docs[label]))
        keep = ((table["direction"] == "over") & (table["count_target"] >= p["min_count"])
                & (table["n_passages"] >= p["min_passages"]) & (table["n_docs"] >= p["min_docs"])
                & (table["g2"] >= p["min_g2"]) & (table["log_ratio"] >= p["min_log_ratio"])
                & ~table["term"].isin(excluded))
        table = table[keep].head(p["top_n"])
        frames.append(table.assign(group=label, rank=np.arange(1, len(table) + 1)))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=KEYNESS_COLUMNS)
    return out[KEYNESS_COLUMNS].reset_index(drop=True)


def term_passages(table: pd.DataFrame, counts: sparse.spmatrix, vocab: Sequence[str],
                  passages: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """Every passage of the group that uses each distinctive term (group, term, doc_id,
    passage_id, count): the evidence behind ``n_passages`` and ``count_target``."""
    column = {t: j for j, t in enumerate(vocab)}
    csc = sparse.csc_matrix(counts)
    groups = np.asarray(groups, dtype=object).astype(str)
    rows = []
    for group, term in zip(table["group"], table["term"]):
        col = csc[:, column[term]]
        for r, n in zip(col.indices, col.data):
            if groups[r] == group:
                rows.append((group, term, passages["doc_id"].iat[r], int(passages["passage_id"].iat[r]), int(n)))
    out = pd.DataFrame(rows, columns=["group", "term", "doc_id", "passage_id", "count"])
    return out.sort_values(["group", "term", "doc_id", "passage_id"], kind="mergesort").reset_index(drop=True)


def distinctive_terms(documents: pd.DataFrame, passages: pd.DataFrame, raw: Mapping[str, str], *,
                      by: str = "province", phrases=None, stopwords=None, **params) -> dict[str, pd.DataFrame]:
    """The distinctive terms of each group (``keyness``) and the passages behind them
    (``keyness_passages``), from the non-context passages and their raw segmentation ``raw``
    (``features.raw_segments``; texts missing from it are segmented now)."""
    from analysis.compare.features import load_phrases, load_stopwords, raw_segments, text_key
    from analysis.compare.profiles import passage_groups

    content = passages[passages["role"] != "context"].reset_index(drop=True)
    texts = content["text"].fillna("").astype(str)
    raw = {**raw_segments(texts[[text_key(t) not in raw for t in texts]], cache={}), **raw}
    phrases = load_phrases() if phrases is None else phrases
    stopwords = load_stopwords() if stopwords is None else stopwords
    counts, vocab = term_counts([text_terms(raw[text_key(t)], phrases, stopwords) for t in texts],
                                {**DISTINCTIVE_DEFAULTS, **params}["min_bigram_count"])
    groups = passage_groups(documents, content, by, include_context=True)["group"].to_numpy()
    table = distinctive_by_group(counts, vocab, groups, content["doc_id"].to_numpy(), **params)
    return {"keyness": table, "keyness_passages": term_passages(table, counts, vocab, content, groups)}
