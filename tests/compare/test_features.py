"""Segmentation, stop words and TF-IDF features on the seed passages."""

import unicodedata

import numpy as np
import pandas as pd
import pytest

from analysis.compare import features as ft

from _analysis_dev import dev_frames

MULTI_SYLLABLE = ["giáo dục phổ thông", "chuyển đổi số", "cơ sở vật chất", "học sinh", "năm học",
                  "xóa mù chữ", "sách giáo khoa"]


def _kept_whole(term: str, words: list[str]) -> bool:
    joined = "_".join(term.split())
    return any(f"_{joined}_" in f"_{w}_" for w in words)


@pytest.fixture(scope="module")
def seeds():
    _, passages, _ = dev_frames()
    return ft.passages_segment(passages)


def test_stopword_file_is_editable_text_with_boilerplate():
    stop = ft.load_stopwords()
    assert {"thực_hiện", "triển_khai", "các", "đơn_vị", "tổ_chức", "năm"} <= stop
    assert "năm_học" not in stop and "học_sinh" not in stop


def test_stopwords_removed_after_segmentation_not_before():
    words = ft.segment_text("Năm học 2022 - 2023, các đơn vị triển khai năm nay")
    assert "năm_học" in words
    assert "năm" not in words and "các" not in words and "đơn_vị" not in words and "triển_khai" not in words


@pytest.mark.parametrize("term", MULTI_SYLLABLE)
def test_multi_syllable_terms_stay_whole_wherever_they_occur_in_the_seeds(seeds, term):
    folded = seeds["text"].map(lambda t: " ".join(ft.normalize_text(t).lower().split()))
    rows = seeds[folded.str.contains(term, regex=False)]
    assert len(rows) > 0, f"{term!r} should occur in the seeds"
    kept = sum(_kept_whole(term, toks.split()) for toks in rows["tokens"])
    assert kept == len(rows), f"{term!r} split in {len(rows) - kept} of {len(rows)} passages"


@pytest.mark.parametrize("variant", [
    "Hoà Bình xoá mù chữ, thu - chi đầu năm học",
    unicodedata.normalize("NFD", "Hòa Bình xóa mù chữ, thu - chi đầu năm học"),
    "Hòa Bình xóa mù\nchữ, thu - chi đầu năm\n\nhọc",
    "HÒA BÌNH XÓA MÙ CHỮ, THU - CHI ĐẦU NĂM HỌC",
])
def test_spelling_variants_and_line_breaks_give_the_same_words(variant):
    assert ft.segment_text(variant) == ft.segment_text("Hòa Bình xóa mù chữ, thu - chi đầu năm học")


def test_segment_texts_segments_each_distinct_text_once_and_keeps_order():
    texts = ["Chuyển đổi số trong trường học", "Học phí năm học mới", "Chuyển đổi số trong trường học"]
    out = ft.segment_texts(texts)
    assert out == [" ".join(ft.segment_text(t)) for t in texts]
    assert out[0] == out[2] and "chuyển_đổi_số" in out[0].split()


def test_count_matrix_keeps_one_syllable_words_and_accents_apart():
    counts, vocab = ft.count_matrix(["thu thư chi chỉ ở", "thu_chi ở ở"])
    assert {"thu", "thư", "chi", "chỉ", "ở", "thu_chi"} == set(vocab)
    col = list(vocab).index("ở")
    assert counts[:, col].toarray().ravel().tolist() == [1, 2]


def test_tfidf_rows_are_unit_length_and_repeated_texts_identical(seeds):
    counts, vocab = ft.count_matrix(seeds["tokens"])
    tfidf = ft.tfidf_matrix(counts)
    norms = np.sqrt(np.asarray(tfidf.multiply(tfidf).sum(axis=1)).ravel())
    nonempty = np.asarray(counts.sum(axis=1)).ravel() > 0
    assert np.allclose(norms[nonempty], 1.0)
    assert counts.shape == (len(seeds), len(vocab))


def test_group_sum_adds_rows_by_key(seeds):
    counts, _ = ft.count_matrix(seeds["tokens"])
    sums, labels = ft.group_sum(counts, seeds["doc_id"])
    assert list(labels) == sorted(seeds["doc_id"].unique())
    first = seeds["doc_id"] == labels[0]
    assert np.array_equal(sums[0].toarray().ravel(), np.asarray(counts[first.to_numpy()].sum(axis=0)).ravel())


def test_passages_segment_does_not_change_its_argument_and_rejects_bad_input():
    _, passages, _ = dev_frames()
    argument = passages.head(5).copy()
    before = argument.copy(deep=True)
    ft.passages_segment(argument)
    pd.testing.assert_frame_equal(argument, before)  # the very frame passed in, every column
    with pytest.raises(ValueError, match="text"):
        ft.passages_segment(passages.drop(columns="text"))
    with pytest.raises(ValueError, match="segmenter"):
        ft.segment_text("học sinh", segmenter="nope")


def test_raw_segments_reuse_the_cache_and_segment_only_new_texts():
    old, new = "Học sinh đi học", "Chuyển đổi số"
    cache = {ft.text_key(old): "cached_marker"}
    raw = ft.raw_segments([old, new, old], cache=cache)
    assert raw == {ft.text_key(old): "cached_marker", ft.text_key(new): ft.raw_words(new)}
    assert ft.segment_texts([old], cache=cache) == ["cached_marker"]
