"""Province comparisons with honest denominators, on the gold-labelled seed passages."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from analysis.compare import profiles as cmp
from analysis.periods import period_start
from analysis.schema import CORE_TOPICS
from analysis.text.fold import count_words
from analysis.topics.codebook import load_codebook

from _analysis_dev import dev_frames, real_frames


@pytest.fixture()
def frames():
    return dev_frames()


def _wilson_from_scipy(k: int, n: int) -> tuple[float, float]:
    """The oracle: scipy's Wilson score interval (not the kit's formula typed again)."""
    interval = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return interval.low, interval.high


def test_every_province_and_topic_has_a_row_with_zeros_not_gaps(frames):
    documents, passages, tags = frames
    profile = cmp.profiles(documents, passages, tags, topics=list(CORE_TOPICS))
    provinces = sorted(documents["province"].unique())
    assert len(profile) == len(provinces) * len(CORE_TOPICS)
    assert set(map(tuple, profile[["group", "topic"]].to_numpy())) == {(g, t) for g in provinces for t in CORE_TOPICS}
    kon_tum = profile[(profile["group"] == "Kon Tum") & (profile["topic"] == "chuyen_doi_so")].iloc[0]
    assert kon_tum["n_topic"] == 0 and kon_tum["share"] == 0 and kon_tum["ci_high"] > 0


def test_counts_shares_and_wilson_interval_match_a_direct_count(frames):
    documents, passages, tags = frames
    profile = cmp.profiles(documents, passages, tags, topics=list(CORE_TOPICS))
    ha_noi = documents.loc[documents["province"] == "Hà Nội", "doc_id"]
    kept = passages[passages["doc_id"].isin(ha_noi) & (passages["role"] != "context")]
    hits = tags.merge(kept, on=["doc_id", "passage_id"])
    k = hits.loc[hits["topic"] == "thu_chi", ["doc_id", "passage_id"]].drop_duplicates().shape[0]
    row = profile[(profile["group"] == "Hà Nội") & (profile["topic"] == "thu_chi")].iloc[0]
    assert (row["n_topic"], row["n_passages"]) == (k, len(kept))
    assert row["share"] == pytest.approx(k / len(kept))
    low, high = _wilson_from_scipy(k, len(kept))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    words = sum(count_words(text) for text in kept["text"])
    assert row["per_1000_words"] == pytest.approx(1000 * k / words)


def test_context_passages_are_left_out_unless_asked_for(frames):
    documents, passages, tags = frames
    context_thu_chi = tags.merge(passages[passages["role"] == "context"], on=["doc_id", "passage_id"])
    context_thu_chi = context_thu_chi[context_thu_chi["topic"] == "thu_chi"]
    assert len(context_thu_chi) > 0, "the seeds have a legal-basis citation about thu_chi"
    province = documents.set_index("doc_id").loc[context_thu_chi["doc_id"].iloc[0], "province"]
    default = cmp.profiles(documents, passages, tags).set_index(["group", "topic"])
    full = cmp.profiles(documents, passages, tags, include_context=True).set_index(["group", "topic"])
    assert full.loc[(province, "thu_chi"), "n_topic"] == default.loc[(province, "thu_chi"), "n_topic"] + len(context_thu_chi)
    n_context = (passages.merge(documents, on="doc_id")
                 .query("province == @province and role == 'context'").shape[0])
    assert full.loc[(province, "thu_chi"), "n_passages"] == default.loc[(province, "thu_chi"), "n_passages"] + n_context


@pytest.mark.parametrize("source", ["gold", "pipeline"])
def test_seed_thu_chi_is_a_shortcoming_in_ha_noi_and_lao_cai_but_a_task_in_hoa_binh_q3(source):
    documents, passages, tags = dev_frames() if source == "gold" else real_frames()
    by_doc = cmp.profiles_by_role(documents, passages, tags, by="doc_id").set_index(["group", "topic", "role"]).sort_index()
    assert by_doc.loc[("002_74f54c165e03a352", "thu_chi", "shortcoming"), "n_topic"] > 0  # Hà Nội
    assert by_doc.loc[("001_0454fa01641e54bf", "thu_chi", "shortcoming"), "n_topic"] > 0  # Lào Cai
    hoa_binh_q3 = by_doc.loc[("000_7beced6f574e01d2", "thu_chi")]
    assert hoa_binh_q3.loc["task", "n_topic"] > 0 and hoa_binh_q3.loc["shortcoming", "n_topic"] == 0
    assert hoa_binh_q3.loc["task", "share_of_topic"] == 1.0


def test_profiles_by_role_has_every_group_topic_and_role(frames):
    documents, passages, tags = frames
    table = cmp.profiles_by_role(documents, passages, tags, topics=list(CORE_TOPICS))
    assert len(table) == documents["province"].nunique() * 4 * 5  # context left out
    assert "context" not in set(table["role"])
    sums = table.groupby(["group", "topic"])["n_topic"].sum()
    profile = cmp.profiles(documents, passages, tags, topics=list(CORE_TOPICS)).set_index(["group", "topic"])
    assert (sums == profile["n_topic"].reindex(sums.index)).all()


def test_small_groups_are_flagged_and_not_ranked(frames):
    documents, passages, tags = frames
    profile = cmp.profiles(documents, passages, tags, min_passages=40)
    small = profile[profile["group"] == "Kon Tum"]  # 32 non-context passages
    assert small["small_n"].all() and small["rank"].isna().all()
    ranked = profile[(profile["topic"] == "gdpt2018") & ~profile["small_n"]].sort_values("rank")
    assert ranked["share"].is_monotonic_decreasing and ranked["rank"].iloc[0] == 1


def test_grouping_by_province_2025_merges_provinces(frames):
    documents, passages, tags = frames
    old = cmp.profiles(documents, passages, tags, topics=list(CORE_TOPICS))
    new = cmp.profiles(documents, passages, tags, topics=list(CORE_TOPICS), by="province_2025")
    assert set(new["group"]) == set(documents["province_2025"])
    merged = documents.groupby("province_2025")["province"].unique()
    for target, sources in merged.items():
        expected = old[old["group"].isin(sources)].groupby("topic")["n_topic"].sum()
        got = new[new["group"] == target].set_index("topic")["n_topic"]
        assert (got.reindex(expected.index) == expected).all()


def test_unknown_province_is_its_own_group_not_dropped(frames):
    documents, passages, tags = frames
    documents.loc[documents["doc_id"].str.startswith("003"), "province"] = None
    profile = cmp.profiles(documents, passages, tags)
    assert cmp.UNKNOWN in set(profile["group"])
    assert profile.groupby("topic")["n_passages"].sum().iloc[0] == (passages["role"] != "context").sum()


def test_timeline_orders_periods_by_start_and_keeps_zero_rows(frames):
    documents, passages, tags = frames
    table = cmp.timeline(documents, passages, tags, topics=list(CORE_TOPICS))
    hoa_binh = table[(table["group"] == "Hòa Bình") & (table["topic"] == "thu_chi")]
    assert hoa_binh["period"].tolist() == ["2022-Q3", "2024"]
    assert len(table) == documents[["province", "period"]].drop_duplicates().shape[0] * 4


@pytest.mark.parametrize("period, start", [("2022-Q3", "2022-07-01"), ("2022-09", "2022-09-01"), ("2024", "2024-01-01"),
                                           ("2022-2023-HK1", "2022-09-01"), ("2022-2023-HK2", "2023-01-01"),
                                           ("2024-2025", "2024-09-01"), ("2021-2025", "2021-01-01")])
def test_period_start(period, start):
    assert period_start(period) == pd.Timestamp(start)


@pytest.mark.parametrize("label", ["garbage", "2022-13", "2022-Q5", "2023-2022", "2022-2024-HK1", "", None])
def test_invalid_periods_have_no_start(label):
    assert period_start(label) is pd.NaT


def test_cooccurrence_counts_passages_with_both_topics(frames):
    _, passages, tags = frames
    table = cmp.cooccurrence(passages, tags, topics=list(CORE_TOPICS))
    assert len(table) == 6
    kept = tags.merge(passages[passages["role"] != "context"], on=["doc_id", "passage_id"])
    sets = kept.groupby(["doc_id", "passage_id"])["topic"].apply(set)
    row = table[(table["topic_a"] == "gdpt2018") & (table["topic_b"] == "pho_cap")].iloc[0]
    assert row["n_both"] == sum({"gdpt2018", "pho_cap"} <= s for s in sets)
    assert row["n_a"] == sum("gdpt2018" in s for s in sets)


def test_similarity_is_symmetric_with_unit_diagonal(frames):
    documents, passages, tags = frames
    sim = cmp.similarity_topics(cmp.profiles(documents, passages, tags))
    wide = sim.pivot(index="group_a", columns="group_b", values="cosine")
    assert np.allclose(wide.to_numpy(), wide.to_numpy().T) and np.allclose(np.diag(wide), 1)


def test_bad_grouping_column_names_the_parameter(frames):
    documents, passages, tags = frames
    with pytest.raises(ValueError, match="documents: missing columns"):
        cmp.profiles(documents, passages, tags, by="region")


def test_pipeline_profiles_cover_every_seed_province_and_codebook_topic():
    documents, passages, tags = real_frames()
    topics = load_codebook().ids
    profile = cmp.profiles(documents, passages, tags, topics=topics)
    assert set(profile["group"]) == {"Hòa Bình", "Lào Cai", "Hà Nội", "Kon Tum"}
    assert len(profile) == 4 * len(topics)
    kept = passages[passages["role"] != "context"].merge(documents[["doc_id", "province"]], on="doc_id")
    assert (profile.groupby("group")["n_passages"].first() == kept.groupby("province").size()).all()


def test_profile_against_others_is_the_mean_of_the_other_groups():
    by_role = pd.DataFrame({
        "group": ["A", "B", "C", "A", "B", "C"],
        "topic": ["thu_chi"] * 3 + ["pho_cap"] * 3,
        "role": ["task"] * 6,
        "share": [0.2, 0.4, 0.7, 0.0, 0.1, np.nan],
    })
    before = by_role.copy(deep=True)
    got = cmp.profile_against_others(by_role, "A").set_index("topic")
    pd.testing.assert_frame_equal(by_role, before)  # the argument is not changed, every column
    assert got.loc["thu_chi", "others"] == pytest.approx((0.4 + 0.7) / 2)
    assert got.loc["pho_cap", "others"] == pytest.approx(0.1)  # a missing share is not a zero
    assert list(got["share"]) == [0.2, 0.0]
    assert set(by_role.columns) <= set(got.reset_index().columns)


def test_n_words_is_one_count_in_every_table():
    """documents.n_words, the per-document topic table and the profiles all count words the same
    way (analysis.text.fold.count_words): fault 4 of issue 8, 5030 vs 4892 words for one plan."""
    from analysis.topics.tagging import tags_by_document

    documents, passages, tags = real_frames()
    by_doc = tags_by_document(tags, passages, list(CORE_TOPICS))  # counted from the passages
    assert by_doc.groupby("doc_id")["n_words"].first().to_dict() == documents.set_index("doc_id")["n_words"].to_dict()
    profile = cmp.profiles(documents, passages, tags, topics=["thu_chi"], include_context=True)
    expected = documents.assign(group=documents["province"].replace("", cmp.UNKNOWN)).groupby("group")["n_words"].sum()
    assert profile.set_index("group")["n_words"].to_dict() == expected.to_dict()
