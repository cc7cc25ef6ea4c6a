"""Tests of analysis.textnorm: tables of text_in -> text_out, and hypothesis properties."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.text.fold import fold_for_matching
from analysis.text.normalize import (
    canonical_tone_marks,
    fold_dashes,
    fold_quotes,
    fold_spaces,
    nfc,
    normalize_text,
    strip_diacritics,
    strip_invisible,
)

# (new-style / variant spelling, canonical old-style spelling)
TONE_VARIANTS = [
    ("hoà", "hòa"), ("xoá", "xóa"), ("thuỷ", "thủy"), ("hoè", "hòe"), ("khoẻ", "khỏe"),
    ("toà", "tòa"), ("Hoà Bình", "Hòa Bình"), ("HOÀ BÌNH", "HÒA BÌNH"), ("Uỷ ban", "Ủy ban"),
    ("luỹ kế", "lũy kế"), ("hoá học", "hóa học"), ("KHOẺ", "KHỎE"), ("tuỳ", "tùy"),
    ("ngoà", "ngòa"), ("loà", "lòa"), ("hoạ", "họa"), ("Thuỵ", "Thụy"), ("oà", "òa"),
]
# Inputs canonical_tone_marks must leave exactly as they are.
UNCHANGED = [
    "quý", "quả", "giá", "hoàn", "thuyết", "toán", "Chương trình GDPT 2018", "người", "giường",
    "gìn", "quyển", "Quỳnh", "huỳnh", "khoái", "ngoáy", "khuỷu", "thuở", "mùa", "cửa", "hoặc",
    "tuần", "được", "hòa", "thủy", "khỏe", "GD&ĐT", "Email: sogd@hoabinh.edu.vn", "quỹ", "giữ",
    "Hoàng", "khoảng", "loại", "ngoài", "yêu", "chuyển", "", "2018", "iPhone", "résumé",
]


@pytest.mark.parametrize(("text_in", "text_out"), TONE_VARIANTS)
def test_canonical_tone_marks_moves_tone(text_in: str, text_out: str) -> None:
    assert canonical_tone_marks(text_in) == text_out
    assert canonical_tone_marks(unicodedata.normalize("NFD", text_in)) == text_out


@pytest.mark.parametrize("text_in", UNCHANGED)
def test_canonical_tone_marks_leaves_alone(text_in: str) -> None:
    assert canonical_tone_marks(text_in) == text_in
    assert canonical_tone_marks(unicodedata.normalize("NFD", text_in)) == text_in


@pytest.mark.parametrize(
    ("func", "text_in", "text_out"),
    [
        (strip_invisible, "\ufeffTh\u200bông\u00ad báo\u200d", "Thông báo"),
        (strip_invisible, "Thông báo", "Thông báo"),
        (fold_dashes, "2021\u20132022 \u2014 a\u2212b c\u2011d", "2021-2022 - a-b c-d"),
        (fold_dashes, "GDNN-GDTX", "GDNN-GDTX"),
        (fold_quotes, "\u201cDạy tốt\u201d, \u2018học tốt\u2019", "\"Dạy tốt\", 'học tốt'"),
        (fold_spaces, "  Sở \t\u00a0 Giáo  dục \n\u00a0đào tạo  ", "Sở Giáo dục\nđào tạo"),
        (fold_spaces, "Sở Giáo dục\n\nđào tạo", "Sở Giáo dục\n\nđào tạo"),
        (nfc, unicodedata.normalize("NFD", "Hội nghị"), "Hội nghị"),
    ],
)
def test_chain_steps(func, text_in: str, text_out: str) -> None:
    assert func(text_in) == text_out


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("\ufeff THÔNG BÁO \r\n\r\nKết luận  của Sở\u00a0GD&ĐT\r\n", "THÔNG BÁO\n\nKết luận của Sở GD&ĐT"),
        ("Hoà Bình \u2013 “xoá” mù chữ\n", 'Hòa Bình - "xóa" mù chữ'),
        (unicodedata.normalize("NFD", "Thuỷ lợi\nhoàn thành"), "Thủy lợi\nhoàn thành"),
        ("Chương trình GDPT 2018", "Chương trình GDPT 2018"),
    ],
)
def test_normalize_text(text_in: str, text_out: str) -> None:
    assert normalize_text(text_in) == text_out


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [
        ("HOÀ  Bình\n\nThuỷ  lợi ", "hòa bình thủy lợi"),
        ("Sở GD&ĐT\ttỉnh Kon Tum", "sở gd&đt tỉnh kon tum"),
    ],
)
def test_fold_for_matching(text_in: str, text_out: str) -> None:
    assert fold_for_matching(text_in) == text_out


@pytest.mark.parametrize(
    ("text_in", "text_out"),
    [("Đồng Hòa", "Dong Hoa"), ("đào tạo", "dao tao"), ("Thủy lợi", "Thuy loi"), ("GDPT", "GDPT")],
)
def test_strip_diacritics(text_in: str, text_out: str) -> None:
    assert strip_diacritics(text_in) == text_out


# --- properties ----------------------------------------------------------------------------------
_VIET_ALPHABET = (
    "abcdeghiklmnopqrstuvxyđăâêôơư" "ABCDEGHIKLMNOPQRSTUVXYĐĂÂÊÔƠƯ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    " \t\n\u00a0\u200b\ufeff\u2013.,;:\"“”0123456789"
)
viet_text = st.text(alphabet=_VIET_ALPHABET, max_size=200)
any_text = st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, viet_text))
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, viet_text))
def test_nfc_and_nfd_input_give_same_output(text: str) -> None:
    nfc_out = normalize_text(unicodedata.normalize("NFC", text))
    assert normalize_text(unicodedata.normalize("NFD", text)) == nfc_out
    assert unicodedata.normalize("NFC", nfc_out) == nfc_out


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, viet_text))
@example("ÀAß")  # casefolding after normalising once made "àass" a new syllable
def test_fold_for_matching_is_idempotent(text: str) -> None:
    once = fold_for_matching(text)
    assert fold_for_matching(once) == once
    assert "\n" not in once


_NEUTRAL_WORDS = ["Sở", "Giáo", "dục", "quý", "giá", "hoàn", "thuyết", "2018", "GD&ĐT", "người"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(TONE_VARIANTS + [(w, w) for w in _NEUTRAL_WORDS]),
            st.booleans(),
            st.sampled_from([" ", "\n", ", ", " \u00a0", "\n\n"]),
        ),
        max_size=40,
    )
)
def test_tone_variants_give_same_text(words) -> None:
    # Each word randomly in its variant or canonical spelling (and NFD for some), same separators.
    mixed = "".join((variant if pick else unicodedata.normalize("NFD", canon)) + sep
                    for (variant, canon), pick, sep in words)
    canonical = "".join(canon + sep for (_, canon), _, sep in words)
    assert normalize_text(mixed) == normalize_text(canonical)
    assert fold_for_matching(mixed) == fold_for_matching(canonical)


def test_fold_normalized_collapses_every_unicode_whitespace_like_a_regex_would():
    """fold_normalized collapses whitespace with str.split for speed; it must agree with "\\s+"."""
    import re
    import sys

    from analysis.text.fold import fold_normalized

    spaces = [chr(code) for code in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(code))]
    assert len(spaces) > 20
    for space in spaces:
        assert fold_normalized(f"{space}Sở{space}{space}GD–ĐT{space}") == "sở gd-đt", hex(ord(space))
