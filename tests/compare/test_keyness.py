"""Log-likelihood keyness on a tiny corpus, checked against scipy's G statistic."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import power_divergence

from analysis.compare import keyness as ky
from analysis.compare.features import count_matrix, passages_segment

from _analysis_dev import dev_frames

# Two tiny "provinces": A (3 passages) and B (2 passages).
TINY = pd.DataFrame({
    "doc_id": ["a1", "a1", "a2", "b1", "b1"],
    "passage_id": [0, 1, 0, 0, 1],
    "text": ["học phí học phí", "học phí trường", "trường trường", "trường máy tính", "trường trường"],
    "tokens": ["học_phí học_phí", "học_phí trường", "trường trường", "trường máy_tính", "trường trường"],
})
GROUPS = ["A", "A", "A", "B", "B"]


def _g2_from_scipy(a: int, b: int, c: int, d: int) -> float:
    """The oracle: scipy's G statistic of the term's counts against the counts expected when the
    term is as frequent in both corpora (Rayson and Garside's two-cell log-likelihood)."""
    expected = [c * (a + b) / (c + d), d * (a + b) / (c + d)]
    return float(power_divergence([a, b], f_exp=expected, lambda_="log-likelihood").statistic)


def test_keyness_matches_dunning_formula_on_tiny_corpus():
    counts, vocab = count_matrix(TINY["tokens"])
    table = ky.distinctive_by_group(counts, vocab, GROUPS, TINY["doc_id"], min_count=1, top_n=10, min_g2=0,
                                    min_passages=1, min_docs=1, min_log_ratio=-np.inf)
    # A has 6 words: học_phí 3, trường 3; B has 4 words: trường 3, máy_tính 1.
    row = table[(table["group"] == "A") & (table["term"] == "học_phí")].iloc[0]
    assert (row["count_target"], row["count_reference"], row["total_target"], row["total_reference"]) == (3, 0, 6, 4)
    assert row["g2"] == pytest.approx(_g2_from_scipy(3, 0, 6, 4))
    assert row["g2"] == pytest.approx(2 * 3 * math.log(3 / (6 * 3 / 10)))
    assert row["log_ratio"] == pytest.approx(math.log2((3 / 6) / (0.5 / 4)))
    b_row = table[(table["group"] == "B") & (table["term"] == "trường")].iloc[0]
    assert b_row["g2"] == pytest.approx(_g2_from_scipy(3, 3, 4, 6))
    assert b_row["log_ratio"] == pytest.approx(math.log2((3 / 4) / (3 / 6)))
    # "trường" is relatively rarer in A (3/6) than in B (3/4): not listed as distinctive of A.
    assert not ((table["group"] == "A") & (table["term"] == "trường")).any()
    assert table[table["group"] == "A"]["rank"].tolist() == list(range(1, (table["group"] == "A").sum() + 1))


def test_log_likelihood_is_zero_when_relative_frequencies_are_equal_and_symmetric():
    assert ky.log_likelihood(2, 4, 100, 200) == pytest.approx(0.0)
    assert ky.log_likelihood(10, 2, 100, 100) == pytest.approx(ky.log_likelihood(2, 10, 100, 100))


def test_p_value_is_chi_square_one_df():
    table = ky.keyness(np.array([10, 0]), np.array([1, 10]), ["x", "y"])
    g2 = table.loc[table["term"] == "x", "g2"].iloc[0]
    p = table.loc[table["term"] == "x", "p_value"].iloc[0]
    assert p == pytest.approx(math.erfc(math.sqrt(g2 / 2)))  # chi2(1) survival function


def test_seed_provinces_own_names_are_left_out_unless_asked_for():
    documents, passages, _ = dev_frames()
    seg = passages_segment(passages)
    groups = seg.merge(documents[["doc_id", "province"]], on="doc_id", how="left")["province"].to_numpy()
    counts, vocab = count_matrix(seg["tokens"])
    doc_ids = seg["doc_id"].to_numpy()
    with_names = ky.distinctive_by_group(counts, vocab, groups, doc_ids, min_count=3, exclude=(), min_passages=1, min_docs=1, min_log_ratio=-np.inf)
    assert "hà_nội" in with_names[with_names["group"] == "Hà Nội"].head(5)["term"].tolist()
    table = ky.distinctive_by_group(counts, vocab, groups, doc_ids, min_count=3, min_passages=1, min_docs=1, min_log_ratio=-np.inf)
    names = {"hà_nội", "hà", "nội", "hòa_bình", "hòa", "bình", "lào_cai", "lào", "cai"}
    assert not names & set(table["term"])
    kept = with_names[~with_names["term"].isin(ky.group_name_terms(set(groups)))]
    for group, terms in kept.groupby("group")["term"]:  # the same ranking otherwise (top 25 fills up)
        assert table[table["group"] == group]["term"].tolist()[:len(terms)] == terms.tolist()
    assert (table["g2"] >= 3.84).all() and (table["log_ratio"] > 0).all()


# --------------------------------------------------------------------------- distinctive terms


def test_terms_are_compounds_and_adjacent_pairs_split_at_punctuation_and_stop_words():
    raw = "tăng_cường thu chi học_phí , công_tác dạy thêm và học_phí"
    terms = ky.text_terms(raw, phrases=(), stopwords=frozenset({"công_tác", "và", "tăng_cường"}))
    assert terms == ["học_phí", "thu chi", "chi học_phí", "dạy thêm", "học_phí"]


def test_distinctive_terms_need_passages_documents_and_effect_size():
    # A uses "học_phí" in 3 passages of 2 documents; "máy_tính" once in one passage; B never.
    counts = pd.DataFrame({"học_phí": [1, 1, 1, 0, 0, 0], "máy_tính": [3, 0, 0, 0, 0, 1],
                           "trường": [2, 2, 2, 3, 3, 3]})
    groups, docs = ["A", "A", "A", "B", "B", "B"], ["a1", "a1", "a2", "b1", "b1", "b2"]
    table = ky.distinctive_by_group(sparse.csr_matrix(counts.to_numpy()), list(counts.columns), groups, docs,
                                    min_count=1, min_g2=0, exclude=())
    a = table[table["group"] == "A"].set_index("term")
    assert list(a.index) == ["học_phí"]  # máy_tính: one passage of A; trường: not twice as frequent
    assert (a.loc["học_phí", "n_passages"], a.loc["học_phí", "n_docs"], a.loc["học_phí", "group_docs"]) == (3, 2, 2)
    loose = ky.distinctive_by_group(sparse.csr_matrix(counts.to_numpy()), list(counts.columns), groups, docs,
                                    min_count=1, min_g2=0, min_passages=1, min_docs=1, exclude=())
    assert "máy_tính" in set(loose.loc[loose["group"] == "A", "term"])


def test_term_passages_are_the_evidence_of_each_count():
    documents, passages, _ = dev_frames()
    found = ky.distinctive_terms(documents, passages, {})
    table, used = found["keyness"], found["keyness_passages"]
    assert len(table) > 0
    per_term = used.groupby(["group", "term"]).agg(n=("passage_id", "size"), uses=("count", "sum"))
    for _, row in table.iterrows():
        assert tuple(per_term.loc[(row["group"], row["term"])]) == (row["n_passages"], row["count_target"])
