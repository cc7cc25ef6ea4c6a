"""`giaoban evaluate --set`: a labelled set is ingested into a temporary build and scored.

The small set here is written for the test (two documents, their labels and passages), so every
figure can be worked out by hand from the inputs; the seeds and `more` are scored for real.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.corpus.evaluate import expected_metadata, role_scores, score_metadata, segmentation_agreement
from analysis.evaluation import evaluate_set, read_labelled_set, read_name_list, seeds_set, select_documents

from testdata import MORE_DIR

runner = CliRunner()

NOTICE = """UBND TỈNH QUẢNG BÌNH
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 41/TB-SGDĐT
Quảng Bình, ngày 3 tháng 4 năm 2023
THÔNG BÁO
Kết luận của Giám đốc Sở tại hội nghị giao ban quý I/2023
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Tỷ lệ học sinh đi học đúng độ tuổi đạt 99%.
II. NHIỆM VỤ
1. Tiếp tục thực hiện Chương trình giáo dục phổ thông 2018.
Nơi nhận:
- Như trên;
GIÁM ĐỐC
Hồ Văn Nam
"""

LETTER = """UBND TỈNH QUẢNG TRỊ
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 77/SGDĐT-VP
V/v báo cáo số liệu đầu năm học
Quảng Trị, ngày 9 tháng 9 năm 2022
Kính gửi: Các phòng giáo dục và đào tạo.
Đề nghị các đơn vị gửi báo cáo về Sở trước ngày 20/9/2022.
"""

DOCUMENTS = [
    {"file": "a.txt", "province": "Quảng Bình", "province_in_text": "yes", "date": "2023-04-03",
     "period": "2023-Q1", "doc_type": "thong_bao", "signer": "Hồ Văn Nam", "chair": ""},
    # Deliberately labelled wrong in two fields, so the test sees misses it can predict.
    {"file": "b.txt", "province": "Quảng Trị", "province_in_text": "yes", "date": "2022-09-10",
     "period": "", "doc_type": "ke_hoach", "signer": "", "chair": ""},
]

PASSAGES = [
    ("a.txt", "THÔNG BÁO", "context", []),
    ("a.txt", "1. Tỷ lệ học sinh đi học đúng độ tuổi đạt 99%.", "achievement", []),
    ("a.txt", "1. Tiếp tục thực hiện Chương trình giáo dục phổ thông 2018.", "task", ["gdpt2018"]),
    # Not a passage of the kit: labelled as one sentence where the kit has two lines.
    ("a.txt", "Nơi nhận: - Như trên;", "context", []),
    ("b.txt", "Đề nghị các đơn vị gửi báo cáo về Sở trước ngày 20/9/2022.", "task", []),
    # Deliberately labelled wrong: the addressee line is context.
    ("b.txt", "Kính gửi: Các phòng giáo dục và đào tạo.", "task", []),
]


def write_set(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "a.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "docs" / "b.txt").write_text(LETTER, encoding="utf-8")
    with (folder / "documents.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(DOCUMENTS[0]))
        writer.writeheader()
        writer.writerows(DOCUMENTS)
    lines = [json.dumps({"id": f"p{i}", "source": source, "text": text, "role": role, "topics": topics,
                         "ambiguous": False, "role_ambiguous": False}, ensure_ascii=False)
             for i, (source, text, role, topics) in enumerate(PASSAGES, start=1)]
    (folder / "passages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    return write_set(tmp_path_factory.mktemp("labelled"))


@pytest.fixture(scope="module")
def small_result(small_set):
    return evaluate_set(read_labelled_set(small_set))


def test_metadata_accuracy_and_misses_on_a_small_set(small_result):
    table = small_result.metadata.set_index("field")
    assert table.loc["province", "accuracy"] == 1.0
    assert table.loc["date", "right"] == 1 and table.loc["doc_type", "right"] == 1
    misses = {(m.doc_id, m.field): m for m in small_result.misses.itertuples(index=False)}
    assert set(misses) >= {("b", "date"), ("b", "doc_type")}
    assert misses["b", "date"].got == "2022-09-09" and misses["b", "date"].evidence
    assert misses["b", "doc_type"].got == "cong_van"


def test_passages_roles_and_topics_on_a_small_set(small_result):
    segmentation = small_result.segmentation.set_index("match")
    assert segmentation["passages"].sum() == len(PASSAGES)
    assert segmentation.at["exact", "passages"] == 5  # the recipients line is cut in two by the kit
    assert small_result.n_role_scored == len(PASSAGES)
    assert small_result.role_confusion.loc["task"].sum() == 3
    assert small_result.role_errors[["id", "gold_role", "role"]].values.tolist() == [["p6", "task", "context"]]
    topics = small_result.topic_scores.set_index("topic")
    assert topics.at["gdpt2018", "tp"] == 1 and topics.at["gdpt2018", "f1"] == 1.0
    figures = small_result.figures()
    json.dumps(figures, ensure_ascii=False)  # plain values only
    assert figures["metadata"]["province"] == {"right": 2, "total": 2, "accuracy": 1.0}


def test_a_province_not_in_the_text_is_expected_unknown():
    labelled = pd.DataFrame([{"file": "x.txt", "province": "Kon Tum", "province_in_text": "no",
                              "date": "", "period": "", "doc_type": "tin_bai"}])
    assert expected_metadata(labelled).loc["x", "province"] == ""
    documents = pd.DataFrame([{"doc_id": "x", "province": "", "date": "", "period": "", "doc_type": "tin_bai"}])
    scores, misses = score_metadata(documents, labelled)
    assert scores["accuracy"].tolist() == [1.0, 1.0, 1.0, 1.0] and misses.empty


def test_a_document_not_ingested_is_a_miss_on_every_field():
    labelled = pd.DataFrame([{"file": "x.txt", "province": "", "date": "", "period": "", "doc_type": "other"}])
    scores, misses = score_metadata(pd.DataFrame(columns=["doc_id", "province", "date", "period", "doc_type"]),
                                    labelled)
    assert scores["right"].sum() == 0 and set(misses["got"]) == {"(not ingested)"}


def test_role_scores_leave_out_role_ambiguous_passages_and_count_unfound_ones():
    passages = pd.DataFrame({"doc_id": ["x", "x"], "passage_id": [1, 2], "section": "", "role": ["task", "context"],
                             "text": ["Nhiệm vụ một.", "Nơi nhận:"]})
    gold = pd.DataFrame({"source": ["x.txt"] * 3, "text": ["Nhiệm vụ một.", "Không có ở đây.", "Nơi nhận:"],
                         "role": ["task", "task", "task"], "ambiguous": False,
                         "role_ambiguous": [False, False, True]})
    accuracy, confusion, matched = role_scores(passages, gold)
    assert len(matched) == 2 and accuracy == 0.5
    assert confusion.loc["task", "(none)"] == 1
    assert segmentation_agreement(passages, gold).set_index("match").at["exact", "passages"] == 2


def test_select_documents_and_name_lists(small_set, tmp_path):
    listing = tmp_path / "keep.txt"
    listing.write_text("# kept aside\nb.txt\n\n", encoding="utf-8")
    labelled = read_labelled_set(small_set)
    assert read_name_list(listing) == ["b.txt"]
    dev = select_documents(labelled, exclude=read_name_list(listing))
    held = select_documents(labelled, only=read_name_list(listing))
    assert dev.documents["file"].tolist() == ["a.txt"] and set(dev.passages["source"]) == {"a.txt"}
    assert held.documents["file"].tolist() == ["b.txt"] and len(held.passages) == 2
    with pytest.raises(ValueError, match="nope.txt"):
        select_documents(labelled, exclude=["nope.txt"])


def test_cli_prints_figures_and_json(small_set, tmp_path):
    result = runner.invoke(app, ["evaluate", "--set", str(small_set)])
    assert result.exit_code == 0, result.output
    assert "Metadata" in result.stdout and "b doc_type: expected ke_hoach, got cong_van" in result.stdout
    assert "Segmentation: 0.833 of 6 labelled passages" in result.stdout
    assert "p6 task -> context: Kính gửi" in result.stdout
    listing = tmp_path / "out.txt"
    listing.write_text("b.txt\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--set", str(small_set), "--json", "--exclude-list", str(listing)])
    figures = json.loads(result.stdout)
    assert figures["documents"] == 1 and figures["metadata"]["date"]["accuracy"] == 1.0


def test_cli_refuses_a_folder_that_is_not_a_labelled_set(tmp_path):
    result = runner.invoke(app, ["evaluate", "--set", str(tmp_path)])
    assert result.exit_code == 2
    assert "docs not found" in result.stderr and "documents.csv" in result.stderr
    both = runner.invoke(app, ["evaluate", "--set", str(tmp_path), "--seeds"])
    assert both.exit_code == 2 and "one of --gold FILE, --set DIR or --seeds" in both.stderr


@pytest.fixture(scope="module")
def seeds_result():
    return evaluate_set(seeds_set())


def test_seeds_are_read_exactly(seeds_result):
    assert seeds_result.metadata.set_index("field")["accuracy"].eq(1.0).all(), seeds_result.misses
    assert seeds_result.role_accuracy == 1.0
    # 323 of 325 cut identically: the seed labels keep "TL. GIÁM ĐỐC" and the signer's title in one
    # passage, the labels of tests/data/more (and the kit, since issue 9) split them; those two are
    # matched by containment.
    shares = seeds_result.segmentation.set_index("match")["share"]
    assert shares["exact"] == 323 / 325 and shares.get("none", 0) == 0
    assert not seeds_result.problems


# What the kit reaches on the whole `more` set (tests/data/more, held-out third included), measured
# at the end of issue 9. The target is 0.95 for each field; date and period fall short
# because of labels the written rules cannot reach (see README, "Validating the kit"): these floors
# keep what was reached from slipping back.
MORE_FLOORS = {"province": 0.95, "doc_type": 0.95, "date": 20 / 24, "period": 18 / 24}


@pytest.fixture(scope="module")
def more_result():
    return evaluate_set(read_labelled_set(MORE_DIR))


def test_metadata_on_the_labelled_set_more(more_result):
    accuracy = more_result.metadata.set_index("field")["accuracy"]
    for field, floor in MORE_FLOORS.items():
        assert accuracy[field] >= floor - 1e-9, (field, accuracy[field], more_result.misses)
    assert not more_result.problems


def test_a_province_label_under_another_spelling_is_the_same_province():
    labelled = pd.DataFrame([{"file": "a.txt", "province": "Huế", "date": "", "period": "", "doc_type": "tin_bai"},
                             {"file": "b.txt", "province": "TT-Huế", "date": "", "period": "", "doc_type": "tin_bai"},
                             {"file": "c.txt", "province": "Quảng Trị", "date": "", "period": "", "doc_type": "tin_bai"}])
    documents = pd.DataFrame([{"doc_id": doc, "province": "Thừa Thiên Huế", "date": "", "period": "",
                               "doc_type": "tin_bai"} for doc in ("a", "b", "c")])
    scores, misses = score_metadata(documents, labelled)
    assert dict(zip(scores["field"], scores["right"]))["province"] == 2
    assert misses[misses["field"] == "province"]["doc_id"].tolist() == ["c"]
