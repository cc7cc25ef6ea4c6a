"""Tagging: evidence spans point into the original text, spelling variants never change a
result, the fast matcher equals the pattern-by-pattern baseline, and the summary tables."""

from __future__ import annotations

import json
import re
import unicodedata

import pandas as pd
import pytest

from analysis.schema import ROLES, TAG_COLUMNS
from analysis.text.fold import fold_for_matching, fold_with_offsets
from analysis.text.normalize import normalize_text
from analysis.topics.codebook import load_codebook
from analysis.topics.tagging import (
    DOC_TOPIC_COLUMNS,
    compile_codebook,
    passages_tag,
    tags_by_document,
    tags_by_role,
    text_matches,
    text_matches_naive,
    texts_matches,
)

from testdata import SEED_GOLD

CODEBOOK = load_codebook()
MATCHER = compile_codebook(CODEBOOK)
GOLD = [json.loads(line) for line in
        (SEED_GOLD).read_text(encoding="utf-8").splitlines()]
TEXTS = [item["text"] for item in GOLD]

# Tone marks moved to the other vowel, both ways ("hòa" <-> "hoà", "thủy" <-> "thuỷ").
_OLD = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé",
        "ỏe": "oẻ", "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}
_SWAP = {**_OLD, **{new: old for old, new in _OLD.items()}}
_SWAP_RE = re.compile(f"(?:{'|'.join(_SWAP)})(?!\\w)")  # only at the end of a syllable


def swap_tones(text: str) -> str:
    return _SWAP_RE.sub(lambda m: _SWAP[m.group(0)], text)


def topic_sets(texts: list[str]) -> list[list[str]]:
    return [sorted({m[0] for m in found}) for found in texts_matches(texts, MATCHER)]


def test_gold_texts_contain_tone_variants_so_the_swap_test_bites():
    assert sum(swap_tones(t) != t for t in TEXTS) > 20


@pytest.mark.parametrize("variant", [
    lambda t: unicodedata.normalize("NFD", t),
    str.upper,
    swap_tones,
    lambda t: t.replace(" ", "\n"),
    lambda t: t.replace(" ", " \n\n"),           # page-break blank lines inside phrases
    lambda t: t.replace(" ", "  "),
    normalize_text,                                # the kit's own normalisation (old-style tones)
    fold_for_matching,
])
def test_spelling_variants_never_change_topics(variant):
    assert topic_sets([variant(t) for t in TEXTS]) == topic_sets(TEXTS)


@pytest.mark.parametrize("variant", [lambda t: t, lambda t: unicodedata.normalize("NFD", t),
                                     swap_tones, lambda t: t.replace(" ", "\n")])
def test_terms_are_the_original_text_at_their_span(variant):
    texts = [variant(t) for t in TEXTS]
    found = texts_matches(texts, MATCHER)
    assert sum(len(f) for f in found) > 100
    for text, matches in zip(texts, found):
        for _, term, start, end in matches:
            assert text[start:end] == term
            assert 0 <= start < end <= len(text)


def test_nfd_terms_are_the_nfd_spelling_of_the_nfc_terms():
    nfd = unicodedata.normalize("NFD", "Kiểm tra xóa mù chữ và chuyển đổi số")
    matches = text_matches(nfd, MATCHER)
    assert sorted(unicodedata.normalize("NFC", m[1]) for m in matches) == ["chuyển đổi số", "xóa mù chữ"]
    assert all(unicodedata.is_normalized("NFD", m[1]) for m in matches)


def test_fold_offsets_map_back_to_original_positions():
    text = unicodedata.normalize("NFD", "Hòa Bình")
    folded, offsets = fold_with_offsets(text)
    assert folded == "hòa bình"
    assert len(offsets) == len(folded) + 1
    assert text[offsets[4]:offsets[8]] == unicodedata.normalize("NFD", "Bình")


def test_fast_matcher_equals_pattern_by_pattern_baseline_on_gold_and_variants():
    variants = TEXTS + [unicodedata.normalize("NFD", t) for t in TEXTS] + [t.upper() for t in TEXTS]
    fast = texts_matches(variants, MATCHER)
    assert fast == [text_matches_naive(t, MATCHER) for t in variants]
    assert sum(len(f) for f in fast) > 300


def test_fast_path_handles_unanchored_accentless_and_wide_patterns():
    from analysis.topics.codebook import Codebook, Pattern, Topic

    book = Codebook((
        Topic("money", "Tiền", "Money", include=(Pattern(r"\d+([.,]\d+)? (triệu|tỷ) đồng"),)),
        Topic("wide", "Rộng", "Wide", include=(Pattern(r"kinh phí.{0,20}đồng"),
                                               Pattern("hoc phi", accentless=True)),
              exclude=(Pattern("mien hoc phi", accentless=True),)),
    ))
    matcher = compile_codebook(book)
    assert matcher.plain_finder.unanchored  # the \d pattern has no literal start
    texts = ["Cấp 1,5 tỷ đồng; kinh phí 300 triệu đồng.", "Học phí; miễn học phí; hoc phi",
             "kinh phí", "đồng kinh phí"] + TEXTS[:60]
    assert texts_matches(texts, matcher) == [text_matches_naive(t, matcher) for t in texts]
    found = texts_matches(texts[:2], matcher)
    assert [m[1] for m in found[0]] == ["1,5 tỷ đồng", "300 triệu đồng", "kinh phí 300 triệu đồng"]
    assert [m[1] for m in found[1]] == ["Học phí", "hoc phi"]


def test_fast_path_finds_patterns_with_a_literal_separator():
    """A "/" or "-" written in a pattern is one character of a separator run in the text the
    anchors are read from; the fast path found none of these matches before."""
    from analysis.topics.codebook import Codebook, Pattern, Topic

    book = Codebook((Topic("fee", "Phí", "Fee", include=(Pattern("đồng/(học sinh|tháng)"), Pattern("thu-chi"))),))
    matcher = compile_codebook(book)
    texts = ["Nước uống: 12.000 đồng/học sinh/tháng;", "Bán trú 140.000 đồng/tháng.", "Công khai thu-chi.",
             "đồng / học sinh", "thu - chi"]
    found = texts_matches(texts, matcher)
    assert found == [text_matches_naive(t, matcher) for t in texts]
    assert [[m[1] for m in hits] for hits in found] == [["đồng/học sinh"], ["đồng/tháng"], ["thu-chi"], [], []]


def test_leftmost_longest_evidence_and_overlaps():
    # "khoản thu" starts first; "thu- chi" overlaps it and is not reported twice.
    assert text_matches("các khoản thu- chi xã hội hóa", MATCHER) == [
        ("thu_chi", "khoản thu", 4, 13)]
    # the longest of the patterns that start at the same place
    assert text_matches("Chương trình GDPT- 2018", MATCHER) == [
        ("gdpt2018", "Chương trình GDPT- 2018", 0, 23)]


def small_corpus() -> pd.DataFrame:
    rows = [("a", 1, "task", "Quy định mức học phí và các khoản thu, chi đầu năm."),
            ("a", 2, "context", "THÔNG BÁO"),
            ("b", 1, "achievement", "Đẩy mạnh chuyển đổi số; đạt chuẩn phổ cập giáo dục."),
            ("b", 2, "task", "Bố trí kinh phí cho lớp xóa mù chữ."),
            ("b", 3, "task", "Thu hút nguồn lực.")]
    return pd.DataFrame(rows, columns=["doc_id", "passage_id", "role", "text"]).assign(section="")


def test_passages_tag_table_contract_and_purity():
    passages = small_corpus()
    before = passages.copy()
    tags = passages_tag(passages, CODEBOOK)
    pd.testing.assert_frame_equal(passages, before)
    assert list(tags.columns) == TAG_COLUMNS
    assert tags["passage_id"].dtype == passages["passage_id"].dtype
    by_passage = tags.groupby(["doc_id", "passage_id"])["topic"].agg(lambda s: sorted(set(s)))
    assert by_passage.to_dict() == {("a", 1): ["thu_chi"], ("b", 1): ["chuyen_doi_so", "pho_cap"],
                                    ("b", 2): ["pho_cap", "thu_chi"]}
    assert passages_tag(passages, CODEBOOK, naive=True).equals(tags)


def test_tags_by_document_has_every_document_and_topic():
    passages = small_corpus()
    tags = passages_tag(passages, CODEBOOK)
    table = tags_by_document(tags, passages, CODEBOOK.ids)
    assert list(table.columns) == DOC_TOPIC_COLUMNS
    assert len(table) == 2 * len(CODEBOOK.ids)
    row = table.set_index(["doc_id", "topic"]).loc[("a", "thu_chi")]
    words_a = sum(len(t.split()) for t in passages.loc[passages.doc_id == "a", "text"])
    matches_a = int(((tags.doc_id == "a") & (tags.topic == "thu_chi")).sum())
    assert matches_a == 2  # "mức học phí" and "khoản thu" in one passage
    assert (row.n_passages, row.n_matches, row.passages_total) == (1, matches_a, 2)
    assert row.share_passages == 0.5
    assert row.per_1000_words == pytest.approx(1000 * matches_a / words_a)
    assert table.set_index(["doc_id", "topic"]).loc[("a", "pho_cap"), "n_passages"] == 0
    documents = pd.DataFrame({"doc_id": ["a", "b", "c"], "n_words": [1000, 500, 10]})
    with_docs = tags_by_document(tags, passages, CODEBOOK.ids, documents).set_index(["doc_id", "topic"])
    assert with_docs.loc[("a", "thu_chi"), "per_1000_words"] == pytest.approx(matches_a)
    assert with_docs.loc[("c", "thu_chi"), "passages_total"] == 0


def test_tags_by_role_counts_passages_per_role():
    passages = small_corpus()
    tags = passages_tag(passages, CODEBOOK)
    table = tags_by_role(tags, passages, CODEBOOK.ids).set_index(["topic", "role"])
    assert len(table) == len(CODEBOOK.ids) * len(ROLES)
    assert table.loc[("thu_chi", "task"), "n_passages"] == 2
    assert table.loc[("thu_chi", "task"), "share_of_topic"] == 1.0
    assert table.loc[("thu_chi", "task"), "share_of_role"] == pytest.approx(2 / 3)
    assert table.loc[("pho_cap", "achievement"), "share_of_topic"] == 0.5
    assert table.loc[("stem", "context"), "n_passages"] == 0


def test_a_comma_after_a_digital_term_does_not_hide_it():
    # "số" is excluded before "học" ("số học", arithmetic), but only right after it: a comma and
    # the next item ("chữ ký số, học bạ số") must not cost the first term its evidence.
    passages = pd.DataFrame({"doc_id": ["d"], "passage_id": [1], "section": [""], "role": ["task"],
                             "text": ["Sử dụng chữ ký số, học bạ số trong quản lý; dạy số học."]})
    tags = passages_tag(passages, load_codebook())
    assert tags["term"].tolist() == ["chữ ký số", "học bạ số"]
    assert passages.loc[0, "text"][tags["start"][0]:tags["end"][0]] == "chữ ký số"
