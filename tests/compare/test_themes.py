"""Passage themes and document clusters: labelled, deterministic, silhouette-based choice of k."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import silhouette_score

from analysis.compare import themes as th
from analysis.compare.analyze import OUTPUTS, analyze
from analysis.compare.features import count_matrix, group_sum, passages_segment, tfidf_matrix
from analysis.schema import CORE_TOPICS

from _analysis_dev import dev_frames


@pytest.fixture(scope="module")
def seg():
    _, passages, _ = dev_frames()
    return passages_segment(passages[passages["role"] != "context"]).reset_index(drop=True)


def test_themes_are_labelled_by_top_words_and_typical_passages(seg):
    counts, vocab = count_matrix(seg["tokens"])
    words, weights = th.themes_fit(tfidf_matrix(counts), vocab, k=5)
    assert sorted(words["theme"].unique()) == list(range(5)) and weights.shape == (len(seg), 5)
    first = words[words["theme"] == 0].sort_values("rank")
    assert first["weight"].is_monotonic_decreasing
    assert first["label"].iloc[0] == " · ".join(first["word"].head(3))
    assigned = th.passage_themes(seg, weights)
    assert (assigned["theme"] == np.where(weights.sum(axis=1) > 0, weights.argmax(axis=1), -1)).all()
    summary = th.themes_typical(words, assigned, seg)
    assert summary["n_passages"].sum() == (assigned["theme"] >= 0).sum()
    top = assigned[(assigned["theme"] == 0) & (assigned["typical_rank"] == 1)].iloc[0]
    assert top["weight"] == assigned.loc[assigned["theme"] == 0, "weight"].max()
    text = seg.set_index(["doc_id", "passage_id"]).loc[(top["doc_id"], top["passage_id"]), "text"]
    assert summary.loc[0, "typical_passages"].startswith(text[:160])


def test_a_theme_gathers_the_curriculum_passages(seg):
    counts, vocab = count_matrix(seg["tokens"])
    words, _ = th.themes_fit(tfidf_matrix(counts), vocab, k=6)
    tops = words.groupby("theme")["word"].apply(set)
    assert any("chương_trình_giáo_dục_phổ_thông" in s or "sách_giáo_khoa" in s for s in tops)


def test_document_clusters_report_silhouette_and_recommend_the_best_k(seg):
    counts, _ = count_matrix(seg["tokens"])
    doc_counts, doc_ids = group_sum(counts, seg["doc_id"])
    space = th.document_space(tfidf_matrix(doc_counts))
    scores, labels = th.documents_cluster(list(doc_ids), space)
    assert sorted(set(scores["k"])) == [2, 3, 4] and set(scores["method"]) == {"kmeans", "ward"}
    for (method, k), rows in labels.groupby(["method", "k"]):
        expected = silhouette_score(space, rows["cluster"].to_numpy())
        got = scores[(scores["method"] == method) & (scores["k"] == k)]["silhouette"].iloc[0]
        assert got == pytest.approx(expected)
    for _, rows in scores.groupby("method"):
        assert rows.loc[rows["recommended"], "silhouette"].iloc[0] == rows["silhouette"].max()
    best = th.recommended_clusters(scores, labels)
    assert len(best) == 2 * len(doc_ids)


@pytest.mark.slow  # a whole pipeline run or real page images
def test_two_runs_give_equal_tables():
    documents, passages, tags = dev_frames()
    first = analyze(documents, passages, tags, topics=list(CORE_TOPICS), k=5)
    second = analyze(*dev_frames(), topics=list(CORE_TOPICS), k=5)
    assert list(first) == list(OUTPUTS)
    for name in OUTPUTS:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def test_duplicate_passages_get_the_same_theme(seg):
    doubled = pd.concat([seg, seg.assign(doc_id=seg["doc_id"] + "_copy")], ignore_index=True)
    counts, vocab = count_matrix(doubled["tokens"])
    _, weights = th.themes_fit(tfidf_matrix(counts), vocab, k=4)
    assert np.array_equal(weights[: len(seg)], weights[len(seg):])
