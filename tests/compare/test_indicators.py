"""Numeric indicators: Vietnamese number formats, comparators, and every percentage in the seeds."""

import re
from collections import Counter
from pathlib import Path

import pytest

from analysis.compare import indicators as ind
from analysis.paths import RAW_DIR

from _analysis_dev import dev_frames, real_frames


@pytest.fixture(scope="module", params=["gold", "pipeline"])
def seed_indicators(request):
    _, passages, _ = dev_frames() if request.param == "gold" else real_frames()
    return indicators_by_doc(ind.indicators_extract(passages))


def indicators_by_doc(table):
    return {doc: rows for doc, rows in table.groupby("doc_id")}


@pytest.mark.parametrize("token, value", [("6.908", 6908), ("99,37", 99.37), ("6,289", 6.289),
                                          ("1.234.567", 1234567), ("1.234,5", 1234.5), ("85", 85), ("2.5", 2.5)])
def test_parse_number_reads_vietnamese_formats(token, value):
    assert ind.parse_number(token) == pytest.approx(value)


def test_every_percentage_in_the_raw_seed_text_is_extracted_with_its_value(seed_indicators):
    simple = re.compile(r"(\d+(?:,\d+)?)\s*%")
    for path in sorted(Path(RAW_DIR).glob("*.txt")):
        expected = Counter(float(m.replace(",", ".")) for m in simple.findall(path.read_text(encoding="utf-8")))
        rows = seed_indicators.get(path.stem)
        got = Counter() if rows is None else Counter(rows.loc[rows["unit"] == "%", "value"].round(4).tolist())
        assert got == expected, path.name


def test_known_seed_values(seed_indicators):
    hoa_binh = seed_indicators["000_7beced6f574e01d2"]
    pass_rate = hoa_binh[(hoa_binh["unit"] == "%") & (hoa_binh["value"] == 99.37)].iloc[0]
    assert "tốt nghiệp" in pass_rate["subject"] and pass_rate["comparator"] == "="
    score = hoa_binh[hoa_binh["unit"] == "điểm"].iloc[0]
    assert score["value"] == pytest.approx(6.289) and "điểm trung bình" in score["subject"]
    ranks = hoa_binh[hoa_binh["kind"] == "ranking"]
    assert ranks[["value", "of_total"]].to_numpy().tolist() == [[17, 26], [15, 29]]
    assert "Bơi" in ranks["subject"].iloc[0]


def test_targets_carry_comparators_from_the_plan(seed_indicators):
    plan = seed_indicators["004_a590e7237a5272fc"]
    at_least = plan[(plan["value"] == 46) & (plan["unit"] == "%")].iloc[0]
    above = plan[(plan["value"] == 95.5) & (plan["unit"] == "%")].iloc[0]
    assert at_least["comparator"] == "≥" and above["comparator"] == ">"
    schools = plan[(plan["value"] == 61) & (plan["unit"] == "%")].iloc[0]
    assert "trường" in schools["subject"] and "chuẩn quốc gia" in schools["subject"]
    counts = plan[plan["unit"] == "cơ sở giáo dục"]
    assert counts["value"].tolist() == [35]


@pytest.mark.parametrize("text, value, unit, comparator", [
    ("Toàn tỉnh có 6.908 lớp học.", 6908, "lớp học", "="),
    ("Tỷ lệ học sinh bỏ học dưới 1%.", 1, "%", "<"),
    ("Tỷ lệ tốt nghiệp đạt 99,5% trở lên.", 99.5, "%", "≥"),
    ("Kinh phí hỗ trợ 1.234,5 triệu đồng", 1234.5, "triệu đồng", "="),
])
def test_text_indicators_table(text, value, unit, comparator):
    found = ind.text_indicators(text)
    assert len(found) == 1
    assert (found[0]["value"], found[0]["unit"], found[0]["comparator"]) == (pytest.approx(value), unit, comparator)


def test_offsets_point_at_the_evidence_and_years_are_not_counts():
    text = "Năm 2022, tỷ lệ thí sinh đỗ tốt nghiệp THPT đạt 99,37%, xếp thứ 17/26 đoàn."
    found = ind.text_indicators(text)
    assert [f["kind"] for f in found] == ["percent", "ranking"]
    assert [text[f["start"]:f["end"]] for f in found] == ["99,37%", "xếp thứ 17/26 đoàn"]


def test_columns_and_bad_input():
    _, passages, _ = dev_frames()
    table = ind.indicators_extract(passages.head(3))
    assert list(table.columns) == ind.COLUMNS and table.empty
    with pytest.raises(ValueError, match="passages: missing columns"):
        ind.indicators_extract(passages.drop(columns="passage_id"))


def test_the_number_is_kept_as_written_and_evidence_is_cut_between_words():
    text = ("Kỳ thi tốt nghiệp THPT năm 2022 an toàn, nghiêm túc, đúng quy chế, tỷ lệ thí sinh đỗ tốt nghiệp "
            "THPT đạt 99,37%, điểm trung bình đạt 6,289 điểm, tăng 29 bậc so với năm 2021.")
    found = {r["as_written"]: r for r in ind.text_indicators(text)}
    assert found["99,37%"]["value"] == 99.37 and found["6,289 điểm"]["value"] == 6.289
    for row in found.values():
        body = row["evidence"].strip("…")
        assert body in text
        start = text.index(body)
        assert start == 0 or text[start - 1] == " ", row["evidence"]
        end = start + len(body)
        assert end == len(text) or text[end] == " ", row["evidence"]
