"""The tagging commands: tag (build and --jsonl), kwic, evaluate, train."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis.cli import app
from analysis.schema import ROLES, TAG_COLUMNS
from analysis.topics.codebook import load_codebook
from analysis.topics.evaluate import read_gold
from analysis.topics.tagging import passages_tag

from testdata import SEED_GOLD

CODEBOOK = load_codebook()
GOLD_PATH = SEED_GOLD
runner = CliRunner()


APP = app


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """A build folder with passages and documents made from the development gold."""
    folder = tmp_path_factory.mktemp("build")
    gold = read_gold(GOLD_PATH)
    passages = pd.DataFrame({"doc_id": gold["id"].str[:3], "passage_id": gold["id"].str[4:].astype(int),
                             "section": "", "role": gold["role"], "text": gold["text"]})
    documents = pd.DataFrame({"doc_id": sorted(passages["doc_id"].unique())})
    documents["province"] = documents["doc_id"].map({"000": "Hòa Bình", "001": "Lào Cai"})
    passages.to_parquet(folder / "passages.parquet", index=False)
    documents.to_parquet(folder / "documents.parquet", index=False)
    return folder


def test_jsonl_tags_good_lines_and_names_bad_ones():
    lines = ['{"id": "a", "text": "Các khoản thu - chi đầu năm và chuyển đổi số"}',
             '{"id": "b", "text": ',
             "",
             '["not", "an", "object"]',
             '{"id": 7, "text": "THÔNG BÁO"}']
    result = runner.invoke(APP, ["tag", "--jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4  # one per non-blank input line, in order
    first = out[0]
    assert first["id"] == "a" and first["topics"] == ["chuyen_doi_so", "thu_chi"]
    text = json.loads(lines[0])["text"]
    assert all(text[e["start"]:e["end"]] == e["term"] for e in first["evidence"])
    assert {e["topic"] for e in first["evidence"]} == set(first["topics"])
    assert out[1]["line"] == 2 and "invalid JSON" in out[1]["error"]
    assert out[2]["line"] == 4 and "expected an object" in out[2]["error"]
    assert out[3] == {"id": 7, "topics": [], "evidence": []}
    assert "line 2: invalid JSON" in result.stderr and "line 4" in result.stderr


def test_jsonl_all_good_exits_zero():
    result = runner.invoke(APP, ["tag", "--jsonl"], input='{"id": 1, "text": "xoá mù chữ"}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["topics"] == ["pho_cap"]


def test_tag_build_writes_the_three_tables(build):
    result = runner.invoke(APP, ["tag", "--build", str(build), "--no-progress"])
    assert result.exit_code == 0, result.output
    passages = pd.read_parquet(build / "passages.parquet")
    tags = pd.read_parquet(build / "tags.parquet")
    assert list(tags.columns) == TAG_COLUMNS
    pd.testing.assert_frame_equal(tags, passages_tag(passages, CODEBOOK))
    doc_topics = pd.read_parquet(build / "doc_topics.parquet")
    assert len(doc_topics) == passages["doc_id"].nunique() * len(CODEBOOK.ids)
    topic_roles = pd.read_parquet(build / "topic_roles.parquet")
    assert len(topic_roles) == len(CODEBOOK.ids) * len(ROLES)
    assert f"{len(passages)} passages" in result.stdout


def test_tag_errors_are_one_line(tmp_path, build):
    result = runner.invoke(APP, ["tag", "--build", str(tmp_path)])
    assert result.exit_code == 2
    assert "passages.parquet is missing" in result.stderr and "giaoban ingest" in result.stderr
    bad = tmp_path / "bad.yml"
    bad.write_text("topics:\n  - id: x\n    label_vi: X\n    label_en: X\n    include: ['a(']\n",
                   encoding="utf-8")
    result = runner.invoke(APP, ["tag", "--build", str(build), "--codebook", str(bad)])
    assert result.exit_code == 2
    assert "line 5, topic 'x'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_kwic_topic_and_phrase(build):
    result = runner.invoke(APP, ["kwic", "pho_cap", "--build", str(build), "--width", "20"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "phổ cập giáo dục" in result.stdout and "Hòa Bình" in result.stdout
    result = runner.invoke(APP, ["kwic", "học phí", "--build", str(build)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    texts = pd.read_parquet(build / "passages.parquet")["text"]
    expected = sum(text.lower().count("học phí") for text in texts)
    assert expected > 0 and f"{expected} match(es)" in result.stdout
    result = runner.invoke(APP, ["kwic", "học (phí", "--build", str(build)])
    assert result.exit_code == 2 and "invalid regular expression" in result.stderr


def test_kwic_dataframe_columns(build):
    from analysis.topics.kwic import KWIC_COLUMNS, kwic

    passages = pd.read_parquet(build / "passages.parquet")
    documents = pd.read_parquet(build / "documents.parquet")
    lines = kwic(passages, "thu_chi", CODEBOOK, documents, width=15)
    assert list(lines.columns) == KWIC_COLUMNS
    tags = passages_tag(passages, CODEBOOK.subset(["thu_chi"]))
    assert len(lines) == len(tags)
    assert (lines["left"].str.len() <= 15).all() and (lines["right"].str.len() <= 15).all()
    assert set(lines.loc[lines.doc_id == "000", "province"]) == {"Hòa Bình"}


def test_evaluate_command_prints_scores_and_errors(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"id": "x", "text": "Bố trí kinh phí.", "topics": []}\n'
                    '{"id": "y", "text": "Thu học phí.", "topics": ["thu_chi"]}\n', encoding="utf-8")
    result = runner.invoke(APP, ["evaluate", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "FP thu_chi x [evidence: kinh phí]" in result.stdout
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("thu_chi"))
    assert row.split()[1:5] == ["1", "1", "1", "0"]  # support, tp, fp, fn
    missing = runner.invoke(APP, ["evaluate", "--gold", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


@pytest.mark.slow  # a whole pipeline run or real page images
def test_train_then_tag_with_model(tmp_path, build):
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(GOLD_PATH.read_text(encoding="utf-8").splitlines()[:120]) + "\n",
                     encoding="utf-8")
    model = tmp_path / "m.joblib"
    result = runner.invoke(APP, ["train", "--gold", str(small), "--out", str(model), "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert "f1_classifier" in result.stdout and "f1_codebook" in result.stdout
    assert model.is_file()
    from analysis.topics.classifier import combine_tags, load_model, model_tags

    trained = load_model(model)
    text = "Tăng cường kỷ luật tài chính, sử dụng ngân sách trong dự toán được giao."
    result = runner.invoke(APP, ["tag", "--jsonl", "--model", str(model), "--model-only"],
                           input=json.dumps({"id": 1, "text": text}) + "\n")
    assert result.exit_code == 0
    line = json.loads(result.stdout)
    assert line["topics"] == trained.predict([text])[0]
    assert [e["term"] for e in line["evidence"]] == [None] * len(line["topics"])
    result = runner.invoke(APP, ["tag", "--build", str(build), "--model", str(model), "--no-progress"])
    assert result.exit_code == 0, result.output
    passages = pd.read_parquet(build / "passages.parquet")
    expected = combine_tags(passages_tag(passages, CODEBOOK), model_tags(passages, trained))
    pd.testing.assert_frame_equal(pd.read_parquet(build / "tags.parquet"), expected)
