"""The fast path of pyvi's segmentation gives pyvi's own output, string for string."""

from __future__ import annotations

import json

import pytest
from pyvi.ViTokenizer import ViTokenizer

from analysis.compare.features import raw_words
from analysis.compare.pyvi_fast import tokenize
from analysis.text.normalize import normalize_text

from testdata import MORE_DIR, SEED_GOLD


def _labelled_texts() -> list[str]:
    texts = []
    for path in (SEED_GOLD, MORE_DIR / "passages.jsonl"):
        with open(path, encoding="utf-8") as lines:
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def test_every_labelled_passage_is_segmented_as_pyvi_does() -> None:
    texts = _labelled_texts()
    assert len(texts) > 700
    # As the analysis feeds it (normalised, lower-cased) and as written (capitals, headings).
    for text in texts + [normalize_text(t).lower() for t in texts]:
        assert tokenize(text) == ViTokenizer.tokenize(text), text


@pytest.mark.parametrize("text", [
    "", "   ", "...", "==> ->", "Tp. Hồ Chí Minh và ThS. Nguyễn Văn A",
    "Liên hệ so@gddt.gov.vn hoặc https://sgddt.gov.vn/tin-tuc, đạt 99,37% (1.234 em).",
    "KẾ HOẠCH TRIỂN KHAI CHƯƠNG TRÌNH GDPT 2018", "ΣΟΦΙΑ học tiếng Hy Lạp", "năm học 2023-2024\nHọc kỳ I",
])
def test_edge_cases_are_segmented_as_pyvi_does(text: str) -> None:
    assert tokenize(text) == ViTokenizer.tokenize(text)


def test_the_analysis_segments_with_the_fast_path() -> None:
    text = "Sở Giáo dục và Đào tạo triển khai chương trình giáo dục phổ thông"
    assert raw_words(text) == " ".join(ViTokenizer.tokenize(normalize_text(text).lower()).split())
