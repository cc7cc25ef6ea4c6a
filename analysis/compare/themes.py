"""Passage themes (NMF on TF-IDF) and document clusters (k-means and Ward) with silhouette scores.

Everything is deterministic: fixed ``random_state``, deterministic NMF initialisation,
clusters renumbered in order of first appearance, stable sorting of every table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

RANDOM_STATE = 0
SILHOUETTE_SAMPLE = 3000  # above this many documents, silhouette is computed on a fixed sample


def _unique_rows(matrix: sparse.csr_matrix) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Distinct rows (corpora repeat passages), the first index of each and the inverse map."""
    matrix = sparse.csr_matrix(matrix)
    keys = [matrix.indices[a:b].tobytes() + matrix.data[a:b].round(12).tobytes()
            for a, b in zip(matrix.indptr[:-1], matrix.indptr[1:])]
    _, first, inverse = np.unique(np.asarray(keys, dtype=object), return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # keep corpus order of first appearance
    remap = np.empty_like(order)
    remap[order] = np.arange(len(order))
    return matrix[first[order]], first[order], remap[np.asarray(inverse).ravel()]


def themes_fit(tfidf: sparse.spmatrix, vocab: Sequence[str], *, k: int = 8, n_top_words: int = 10,
               random_state: int = RANDOM_STATE) -> tuple[pd.DataFrame, np.ndarray]:
    """NMF with ``k`` themes: (theme words table, passage × theme weight matrix)."""
    uniq, _, inverse = _unique_rows(tfidf)
    model = themes_model(uniq, k=k, random_state=random_state)
    return theme_words(model, vocab, n_top_words), model.weights_[inverse]


def themes_model(rows: sparse.spmatrix, *, k: int = 8, random_state: int = RANDOM_STATE) -> NMF:
    """NMF fitted on distinct TF-IDF ``rows`` (deterministic: nndsvda start, fixed seed); the
    rows' own weights are kept as ``weights_``."""
    k = max(1, min(k, rows.shape[0], rows.shape[1]))
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=400)
    model.weights_ = model.fit_transform(rows)
    return model


def theme_words(model: NMF, vocab: Sequence[str], n_top_words: int = 10) -> pd.DataFrame:
    """Top words of each theme of a fitted NMF (weight desc, then word: stable ties)."""
    vocab = np.asarray(vocab, dtype=object)
    rows = []
    for theme, comp in enumerate(model.components_):
        top = np.lexsort((vocab, -comp))[:n_top_words]
        label = " · ".join(vocab[top[:3]])
        rows += [(theme, label, r + 1, vocab[j], float(comp[j])) for r, j in enumerate(top)]
    return pd.DataFrame(rows, columns=["theme", "label", "rank", "word", "weight"])


def passage_themes(passages: pd.DataFrame, weights: np.ndarray, n_typical: int = 5) -> pd.DataFrame:
    """Dominant theme of each passage, its weight and share, and the rank of the most typical ones."""
    total = weights.sum(axis=1)
    dominant = np.where(total > 0, weights.argmax(axis=1), -1)
    top = weights[np.arange(len(weights)), np.maximum(dominant, 0)]
    out = passages[["doc_id", "passage_id"]].reset_index(drop=True).assign(
        theme=dominant, weight=np.where(total > 0, top, 0.0),
        share=np.where(total > 0, top / np.where(total > 0, total, 1), 0.0))
    ranked = out[out["theme"] >= 0].sort_values(["theme", "weight", "doc_id", "passage_id"],
                                                 ascending=[True, False, True, True], kind="mergesort")
    typical = ranked.groupby("theme").cumcount() + 1
    out["typical_rank"] = typical.where(typical <= n_typical).reindex(out.index).astype("Int64")
    return out


def themes_typical(themes: pd.DataFrame, assignments: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """One row per theme: label, top words, number of passages and its most typical passages' text."""
    sizes = assignments[assignments["theme"] >= 0].groupby("theme").size().rename("n_passages")
    typical = assignments.dropna(subset=["typical_rank"]).merge(passages[["doc_id", "passage_id", "text"]],
                                                               on=["doc_id", "passage_id"])
    return themes_summary(themes, sizes, typical)


def themes_summary(themes: pd.DataFrame, sizes: pd.Series, typical: pd.DataFrame) -> pd.DataFrame:
    """:func:`themes_typical` from passages per theme and the typical passages (theme,
    typical_rank, text)."""
    words = themes.groupby(["theme", "label"])["word"].apply(", ".join).rename("top_words").reset_index()
    typical = typical.sort_values(["theme", "typical_rank"]).groupby("theme")["text"].apply(
        lambda s: " ‖ ".join(t[:160] for t in s)).rename("typical_passages")
    out = words.merge(sizes.rename("n_passages"), on="theme", how="left").merge(typical, on="theme", how="left")
    return out.fillna({"n_passages": 0}).astype({"n_passages": int}).sort_values("theme").reset_index(drop=True)


def document_space(doc_tfidf: sparse.spmatrix, n_components: int = 100,
                   random_state: int = RANDOM_STATE) -> np.ndarray:
    """L2-normalised LSA coordinates of documents (dense, small) for clustering."""
    n_docs, n_terms = doc_tfidf.shape
    dims = min(n_components, n_docs - 1, n_terms - 1)
    if dims < 2:
        return normalize(sparse.csr_matrix(doc_tfidf).toarray())
    svd = TruncatedSVD(n_components=dims, algorithm="randomized", random_state=random_state)
    return normalize(svd.fit_transform(doc_tfidf))


def _relabel(labels: np.ndarray) -> np.ndarray:
    """Number clusters in order of first appearance, so equal partitions get equal labels."""
    _, first = np.unique(labels, return_index=True)
    order = {lab: i for i, lab in enumerate(labels[np.sort(first)])}
    return np.array([order[x] for x in labels])


def _silhouette(space: np.ndarray, labels: np.ndarray, random_state: int) -> float:
    if len(set(labels)) < 2 or len(set(labels)) >= len(labels):
        return float("nan")
    sample = SILHOUETTE_SAMPLE if len(labels) > SILHOUETTE_SAMPLE else None
    return float(silhouette_score(space, labels, sample_size=sample, random_state=random_state))


def documents_cluster(doc_ids: Sequence[str], space: np.ndarray, *, k_values: Sequence[int] | None = None,
                      random_state: int = RANDOM_STATE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """k-means and Ward clusterings over ``k_values``: (scores per method and k, all labels)."""
    n = len(doc_ids)
    k_values = [k for k in (k_values or range(2, 11)) if 2 <= k < n]
    tree = linkage(space, method="ward") if n >= 3 else None
    scores, labels = [], []
    for k in k_values:
        km = KMeans(n_clusters=k, n_init=4, random_state=random_state).fit_predict(space)
        ward = fcluster(tree, t=k, criterion="maxclust") - 1
        for method, lab in (("kmeans", km), ("ward", ward)):
            lab = _relabel(np.asarray(lab))
            scores.append((method, k, _silhouette(space, lab, random_state)))
            labels.append(pd.DataFrame({"doc_id": list(doc_ids), "method": method, "k": k, "cluster": lab}))
    score_table = pd.DataFrame(scores, columns=["method", "k", "silhouette"])
    label_table = pd.concat(labels, ignore_index=True) if labels else pd.DataFrame(
        columns=["doc_id", "method", "k", "cluster"])
    return _recommend(score_table), label_table


def _recommend(scores: pd.DataFrame) -> pd.DataFrame:
    """Mark the recommended k of each method: highest silhouette, smaller k on ties."""
    best = (scores.dropna(subset=["silhouette"]).sort_values(["method", "silhouette", "k"],
                                                             ascending=[True, False, True])
            .groupby("method").head(1))
    chosen = set(zip(best["method"], best["k"]))
    out = scores.assign(recommended=[(m, k) in chosen for m, k in zip(scores["method"], scores["k"])])
    return out.sort_values(["method", "k"]).reset_index(drop=True)


def recommended_clusters(scores: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Document clusters at each method's recommended k (doc_id, method, k, cluster)."""
    chosen = scores.loc[scores["recommended"], ["method", "k"]]
    out = labels.merge(chosen, on=["method", "k"])
    return out.sort_values(["method", "doc_id"], kind="mergesort").reset_index(drop=True)
