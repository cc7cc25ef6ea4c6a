"""End-to-end ingestion on the seeds and on bad input."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import paths
from analysis.cli import app
from analysis.corpus import ingest as ingest_module
from analysis.corpus.ingest import corpus_files, ingest
from analysis.schema import DOCUMENT_COLUMNS, PASSAGE_COLUMNS

from testdata import SEED_DOCUMENTS

GOLD_FIELDS = ["province", "province_2025", "date", "period", "doc_type", "signer", "chair"]


@pytest.fixture(scope="module")
def seed_result(tmp_path_factory):
    return ingest(paths.CORPUS_DIR, tmp_path_factory.mktemp("build"), progress=False)


def _copy_seeds(target: Path) -> Path:
    raw = target / "raw"
    shutil.copytree(paths.RAW_DIR, raw)
    shutil.copy(paths.MANIFEST_PATH, target / "manifest.csv")
    return raw


def test_seed_metadata_equals_gold(seed_result):
    gold = pd.read_csv(SEED_DOCUMENTS, dtype=str, keep_default_na=False)
    gold["doc_id"] = gold["file"].str.replace(".txt", "", regex=False)
    got = seed_result.documents.set_index("doc_id")[GOLD_FIELDS]
    expected = gold.set_index("doc_id")[GOLD_FIELDS]
    pd.testing.assert_frame_equal(got.sort_index(), expected.sort_index(), check_dtype=False)
    assert not seed_result.problems


def test_seed_tables_have_the_contracted_columns(seed_result):
    assert list(seed_result.documents.columns) == DOCUMENT_COLUMNS
    assert list(seed_result.passages.columns) == PASSAGE_COLUMNS
    counts = seed_result.passages.groupby("doc_id").size()
    assert (seed_result.documents.set_index("doc_id")["n_passages"] == counts).all()
    assert seed_result.documents["sha256"].str.len().eq(64).all()


def test_province_from_manifest_is_traced_to_the_manifest(seed_result):
    row = seed_result.documents.set_index("doc_id").loc["003_3cd3fae0bc1a3537"]
    assert row["province"] == "Kon Tum"
    assert row["province_source"] == "manifest"
    assert "Phạm Thị Trung" in row["province_evidence"] or "director" in row["province_evidence"].lower()
    other = seed_result.documents.set_index("doc_id").drop("003_3cd3fae0bc1a3537")
    assert (other["province_source"] == "text").all()
    assert other["province_evidence"].str.len().gt(0).all()


def test_rerun_reuses_everything_and_gives_equal_tables(tmp_path):
    corpus = tmp_path / "corpus"
    _copy_seeds(corpus)
    build = tmp_path / "build"
    first = ingest(corpus, build, progress=False)
    mtime = (build / "documents.parquet").stat().st_mtime_ns
    second = ingest(corpus, build, progress=False)
    assert first.reused == 0 and second.reused == len(first.documents) == 5
    pd.testing.assert_frame_equal(first.documents, second.documents)
    pd.testing.assert_frame_equal(first.passages, second.passages)
    assert (build / "documents.parquet").stat().st_mtime_ns == mtime  # nothing rewritten


def test_changed_file_is_reingested_and_others_reused(tmp_path):
    corpus = tmp_path / "corpus"
    raw = _copy_seeds(corpus)
    build = tmp_path / "build"
    ingest(corpus, build, progress=False)
    target = raw / "001_0454fa01641e54bf.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\nMột câu thêm vào cuối văn bản.\n", encoding="utf-8")
    again = ingest(corpus, build, progress=False)
    assert again.reused == 4
    texts = again.passages.loc[again.passages["doc_id"] == "001_0454fa01641e54bf", "text"]
    assert texts.str.contains("Một câu thêm vào cuối văn bản").any()


def test_changed_ingest_code_reingests_every_file(tmp_path, monkeypatch):
    """The cache key carries the hash of the ingest stage's source (tests/test_build.py checks that
    editing passages.py or metadata.py changes that hash)."""
    corpus = tmp_path / "corpus"
    _copy_seeds(corpus)
    build = tmp_path / "build"
    ingest(corpus, build, progress=False)
    assert ingest(corpus, build, progress=False).reused == len(list((corpus / "raw").glob("*.txt")))
    real = ingest_module.build.stage_source_hash
    monkeypatch.setattr(ingest_module.build, "stage_source_hash",
                        lambda stage: "edited" if stage == "ingest" else real(stage))
    assert ingest(corpus, build, progress=False).reused == 0


def _bad_corpus(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    corpus = tmp_path / "corpus"
    raw = _copy_seeds(corpus)
    seed = (raw / "000_7beced6f574e01d2.txt").read_bytes()
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d\xfe\xc3\x28" * 64)
    (raw / "copy of 000.txt").write_bytes(seed)
    with open(raw / "huge.txt", "wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50 * 1024 * 1024)
    unreadable = raw / "locked.txt"
    unreadable.write_bytes(seed[:2000])
    unreadable.chmod(0)
    before = {p.name: p.read_bytes() for p in raw.iterdir() if p.name not in {"locked.txt", "huge.txt"}}
    return corpus, before


def test_bad_inputs_are_reported_one_line_each_and_the_rest_is_ingested(tmp_path):
    corpus, before = _bad_corpus(tmp_path)
    result = ingest(corpus, tmp_path / "build", progress=False)
    messages = {Path(p.path).name: p.message for p in result.problems}
    expected_ids = {p.stem for p in paths.RAW_DIR.glob("*.txt")}
    expected_bad = {"empty.txt", "binary.txt", "undecodable.txt", "copy of 000.txt", "huge.txt"}
    if os.geteuid() == 0:  # root reads files whatever their mode
        expected_ids.add("locked")
    else:
        expected_bad.add("locked.txt")
    assert set(result.documents["doc_id"]) == expected_ids
    assert expected_bad <= set(messages)
    for name, message in messages.items():
        assert "\n" not in message and name in message, message
    assert "000_7beced6f574e01d2.txt" in messages["copy of 000.txt"]
    raw = corpus / "raw"
    assert {p.name: p.read_bytes() for p in raw.iterdir() if p.name in before} == before


def test_cli_ingest_prints_summary_and_exits_1_on_bad_files(tmp_path):
    corpus, _ = _bad_corpus(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", "--corpus", str(corpus), "--build", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "Lào Cai" in result.output and "thong_bao" in result.output
    assert "empty.txt" in result.output
    problems = (tmp_path / "b" / "ingest_problems.txt").read_text(encoding="utf-8").splitlines()
    assert any("empty.txt" in line for line in problems) and all(line.startswith(("error:", "duplicate:"))
                                                                   for line in problems)
    good = runner.invoke(app, ["ingest", "--corpus", str(paths.CORPUS_DIR), "--build", str(tmp_path / "g")])
    assert good.exit_code == 0, good.output
    assert (tmp_path / "g" / "passages.parquet").exists()
    assert not (tmp_path / "g" / "ingest_problems.txt").exists()
    # Once the bad files are gone, the same build folder forgets its old problems.
    fixed = runner.invoke(app, ["ingest", "--corpus", str(paths.CORPUS_DIR), "--build", str(tmp_path / "b")])
    assert fixed.exit_code == 0 and not (tmp_path / "b" / "ingest_problems.txt").exists()


def test_missing_corpus_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["ingest", "--corpus", str(tmp_path / "nope"), "--build", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "nope" in result.output and "--corpus" in result.output


def test_corpus_files_skip_manifest_and_hidden_files(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "manifest.csv").write_text("file\n")
    (tmp_path / ".hidden").write_text("x")
    assert [p.name for p in corpus_files(tmp_path)] == ["a.txt"]


def _as_docx(text: str, path: Path) -> None:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(path)


def _as_html(text: str, path: Path) -> None:
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
    path.write_text(f"<html><head><script>var tracker = 1;</script></head><body>"
                    f"<nav><a href='/'>Trang chủ</a> | <a href='/tin'>Tin tức</a></nav>"
                    f"<article>{body}</article><footer>Bản quyền Sở GD&amp;ĐT</footer></body></html>",
                    encoding="utf-8")


def test_every_format_gives_the_same_passages_and_metadata_as_the_txt(tmp_path):
    from analysis.text.legacy_encodings import encode_vni

    seed = paths.RAW_DIR / "001_0454fa01641e54bf.txt"
    text = seed.read_text(encoding="utf-8")
    writers = {  # (TCVN3 cannot hold this seed's "…"; tests/test_readers.py covers it on normalised text.)
        "as_docx.docx": lambda path: _as_docx(text, path),
        "as_html.html": lambda path: _as_html(text, path),
        "as_vni.txt": lambda path: path.write_bytes(encode_vni(text)),
        "as_utf16.txt": lambda path: path.write_bytes(text.encode("utf-16")),
    }
    reference = ingest(paths.CORPUS_DIR, tmp_path / "ref", progress=False)
    expected = reference.passages[reference.passages["doc_id"] == seed.stem]
    fields = ["province", "date", "period", "doc_type", "signer"]
    expected_meta = reference.documents.set_index("doc_id").loc[seed.stem, fields]
    together = tmp_path / "together" / "raw"
    together.mkdir(parents=True)
    for name, write in writers.items():
        raw = tmp_path / name / "raw"
        raw.mkdir(parents=True)
        write(raw / name)
        write(together / name)
        result = ingest(raw.parent, tmp_path / name / "build", progress=False)
        assert not result.problems, result.problems
        assert list(result.passages["text"]) == list(expected["text"]), name
        assert list(result.passages["role"]) == list(expected["role"]), name
        assert result.documents.set_index("doc_id").loc[Path(name).stem, fields].equals(expected_meta), name
    # The same notice in four formats is one document: kept once, the others reported.
    result = ingest(together.parent, tmp_path / "together" / "build", progress=False)
    assert list(result.documents["doc_id"]) == ["as_docx"]
    assert sorted(Path(p.path).name for p in result.problems if p.kind == "duplicate") == sorted(
        set(writers) - {"as_docx.docx"})


def test_summary_of_a_large_corpus_is_one_row_per_province_and_type(seed_result, tmp_path):
    from analysis.cli.ingest import SUMMARY_MAX_ROWS, summary_text

    copies = SUMMARY_MAX_ROWS // len(seed_result.documents) + 1
    documents = pd.concat([seed_result.documents.assign(doc_id=seed_result.documents["doc_id"] + f"_{i}")
                           for i in range(copies)], ignore_index=True)
    text = summary_text(documents, tmp_path)
    lines = text.splitlines()
    assert lines[0].startswith(f"{len(documents)} documents") and str(tmp_path) in lines[0]
    hoa_binh = [line.split() for line in lines if line.strip().startswith("Hòa Bình thong_bao")]
    expected_passages = copies * int(seed_result.documents.query("doc_id == '000_7beced6f574e01d2'")["n_passages"].iloc[0])
    assert hoa_binh == [["Hòa", "Bình", "thong_bao", str(copies), str(expected_passages)]]
    assert len(lines) == 2 + documents.groupby(["province", "doc_type"]).ngroups
