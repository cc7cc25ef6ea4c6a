"""Evaluation: counts on a small gold file the test knows, errors listed with evidence, bad gold
lines named, and the quality goal on the development gold (F1 >= 0.95 per core topic)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.schema import CORE_TOPICS
from analysis.topics.codebook import load_codebook
from analysis.topics.evaluate import evaluate_codebook, read_gold

from testdata import SEED_GOLD

CODEBOOK = load_codebook()

SMALL = [
    {"id": "tp1", "text": "Quy định mức học phí năm học mới.", "topics": ["thu_chi"]},
    {"id": "tp2", "text": "Thanh tra các khoản thu, chi đầu năm.", "topics": ["thu_chi"]},
    {"id": "fn1", "text": "Thực hiện lộ trình tự chủ của đơn vị.", "topics": ["thu_chi"]},
    {"id": "fp1", "text": "Bố trí kinh phí tổ chức hội thi.", "topics": []},
    {"id": "amb", "text": "Huy động kinh phí xã hội hóa.", "topics": [], "ambiguous": True},
    {"id": "pc1", "text": "Duy trì kết quả phổ cập giáo dục, xóa mù chữ.", "topics": ["pho_cap"]},
    {"id": "none", "text": "THÔNG BÁO", "topics": []},
]


@pytest.fixture()
def small_gold(tmp_path):
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in SMALL) + "\n",
                    encoding="utf-8")
    return read_gold(path)


def test_counts_on_a_small_gold_file(small_gold):
    scores, errors = evaluate_codebook(small_gold, CODEBOOK)
    table = scores.set_index("topic")
    assert list(table.index) == [*CORE_TOPICS, "micro"]
    thu_chi = table.loc["thu_chi"]
    assert (thu_chi.tp, thu_chi.fp, thu_chi.fn, thu_chi.support) == (2, 1, 1, 3)
    assert thu_chi.precision == pytest.approx(2 / 3)
    assert thu_chi.recall == pytest.approx(2 / 3)
    assert table.loc["pho_cap", "f1"] == 1.0
    assert (table.loc["micro", "tp"], table.loc["micro", "fp"], table.loc["micro", "fn"]) == (3, 1, 1)
    assert table.loc["micro", "f1"] == pytest.approx(0.75)
    # the ambiguous passage would be a false positive: it is left out
    assert set(errors["id"]) == {"fn1", "fp1"}
    fp = errors.set_index("id").loc["fp1"]
    assert (fp.kind, fp.topic, fp.evidence) == ("FP", "thu_chi", "kinh phí")
    assert errors.set_index("id").loc["fn1", "kind"] == "FN"


def test_a_labelled_topic_missing_from_the_codebook_is_scored(small_gold):
    gold = small_gold.copy()
    gold.loc[gold["id"] == "none", "topics"] = pd.Series([["hoc_bong"]], index=gold.index[gold["id"] == "none"])
    scores, errors = evaluate_codebook(gold, CODEBOOK)
    row = scores.set_index("topic").loc["hoc_bong"]
    assert (row.tp, row.fp, row.fn, row.recall) == (0, 0, 1, 0.0)
    assert ("none", "FN") in set(zip(errors["id"], errors["kind"]))


def test_bad_gold_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "a", "topics": []}\n{"id": 2, "text": \n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl, line 2: invalid JSON"):
        read_gold(path)
    path.write_text('{"id": 1, "topics": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1: expected an object"):
        read_gold(path)


def test_dev_gold_f1_per_core_topic_is_at_least_095():
    gold = read_gold(SEED_GOLD)
    assert gold["ambiguous"].sum() > 0
    scores, _ = evaluate_codebook(gold, CODEBOOK)
    table = scores.set_index("topic")
    for topic in CORE_TOPICS:
        assert table.loc[topic, "support"] >= 10
        assert table.loc[topic, "f1"] >= 0.95, table.loc[topic].to_dict()
