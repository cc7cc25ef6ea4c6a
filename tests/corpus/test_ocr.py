"""Scanned PDFs: OCR with Tesseract's Vietnamese model, quality figures, the check list, the
cache, and what happens without Tesseract.

The scans are made here (``ocr_fixtures``): every seed printed on page images with noise and a
slight turn, a red seal over the signature, saved as image-only PDFs. Tests that run Tesseract
skip when it is missing, except with ``GIAOBAN_REQUIRE_OCR`` set (CI), where they fail.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pandas as pd
import pytest
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from typer.testing import CliRunner

from analysis import paths
from analysis.cli import app
from analysis.corpus import ocr
from analysis.corpus.ingest import ingest
from analysis.corpus.readers import ReadError, read_document, valid_syllable_share
from analysis.schema import CORE_TOPICS
from analysis.text.normalize import normalize_text
from analysis.topics.codebook import load_codebook
from analysis.topics.tagging import compile_codebook, text_topics

from ocr_fixtures import CLEAN, DEGRADED, mixed_pdf, scan_pages, scanned_pdf, scanned_seed_corpus, write_image_pdf
from testdata import SEED_GOLD

META_FIELDS = ["title", "doc_type", "province", "province_2025", "date", "period", "signer", "chair"]
SEEDS = sorted(p.stem for p in paths.RAW_DIR.glob("*.txt"))
TYPED = "THÔNG BÁO\nKết luận của Giám đốc Sở GD&ĐT tỉnh Lào Cai tại Hội nghị giao ban quý I/2023."
SCANNED = ("Các đơn vị tiếp tục triển khai Chương trình giáo dục phổ thông 2018.\n"
           "Đẩy mạnh chuyển đổi số trong quản lý và dạy học.")


def _flat(text: str) -> str:
    return " ".join(normalize_text(text).split())


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance over the reference length, whitespace folded."""
    reference, hypothesis = _flat(reference), _flat(hypothesis)
    return Levenshtein.distance(reference, hypothesis) / len(reference)


@pytest.fixture(scope="module")
def tesseract() -> str:
    """The engine signature; skip (or fail, under GIAOBAN_REQUIRE_OCR) without Tesseract + vie."""
    signature = ocr.engine_signature(ocr.OcrSettings().tesseract_cmd)
    if not signature:
        missing = pytest.fail if os.environ.get("GIAOBAN_REQUIRE_OCR") else pytest.skip
        missing(f"Tesseract with its Vietnamese model not found: {ocr.INSTALL_HINT}")
    return signature


@pytest.fixture(scope="module")
def text_version(tmp_path_factory):
    return ingest(paths.CORPUS_DIR, tmp_path_factory.mktemp("text-build"), progress=False)


@pytest.fixture(scope="module")
def scanned(tesseract, tmp_path_factory):
    """The five seeds as stamped scans, ingested once with two OCR jobs: (corpus, build, result)."""
    root = tmp_path_factory.mktemp("scanned")
    corpus = scanned_seed_corpus(root / "corpus")
    build = root / "build"
    return corpus, build, ingest(corpus, build, progress=False, jobs=2)


# --- repairs and figures (no Tesseract needed) ---------------------------------------------------
@pytest.mark.parametrize("read, repaired", [
    ("Giao ban học kỳ l, năm học 2022-2023", "Giao ban học kỳ I, năm học 2022-2023"),
    ("lII. NHIỆM VỤ TRỌNG TÂM", "III. NHIỆM VỤ TRỌNG TÂM"),
    ("|. Kết quả đạt được", "I. Kết quả đạt được"),
    ("5, Các đơn vị thực hiện", "5. Các đơn vị thực hiện"),
    ("các lớp 5, 6 và 7", "các lớp 5, 6 và 7"),
    ("GÐ, các Phó GÐ", "GĐ, các Phó GĐ"),
    ("nội dung ˆ mới ~ và _ tiếp", "nội dung mới và tiếp"),
    ("GiAM ĐỐC", "GIAM ĐỐC"),
    ("chuẩn bỊ tốt", "chuẩn bị tốt"),
    ("ThS. Nguyễn Văn A, phần mềm vnEdu", "ThS. Nguyễn Văn A, phần mềm vnEdu"),
    ("nhà trưong và truờng học, thuở xưa", "nhà trương và trường học, thuở xưa"),
    ("đào tạo ngh iệp vụ, th ông tin, thôn g báo", "đào tạo nghiệp vụ, thông tin, thông báo"),
    ("UBND tỉnh, GD ĐT, 5 tr đồng", "UBND tỉnh, GD ĐT, 5 tr đồng"),
])
def test_repairs_fix_what_a_general_rule_can(read, repaired):
    assert ocr.repair_ocr_text(read) == repaired


def test_repairs_leave_correct_text_unchanged():
    texts = [p.read_text(encoding="utf-8") for p in paths.RAW_DIR.glob("*.txt")]
    with open(SEED_GOLD, encoding="utf-8") as handle:
        texts += [json.loads(line)["text"] for line in handle]
    changed = [t[:80] for t in map(normalize_text, texts) if normalize_text(ocr.repair_ocr_text(t)) != t]
    assert not changed


def test_valid_syllable_share():
    assert valid_syllable_share("Các đơn vị, trường học thực hiện nghiêm túc.") == 1.0
    assert valid_syllable_share("UBND tỉnh và GD&ĐT") == 1.0  # acronyms are left out
    assert valid_syllable_share("Các đơn vl trưòng hoc") == pytest.approx(3 / 5)  # vl, trưòng
    assert math.isnan(valid_syllable_share("12/2023 - 5"))


def test_bad_ocr_options_are_clear_errors(tmp_path):
    runner = CliRunner()
    for option, value in (("--ocr", "sometimes"), ("--jobs", "0")):
        result = runner.invoke(app, ["ingest", "--corpus", str(paths.CORPUS_DIR), "--build",
                                     str(tmp_path / "b"), option, value])
        assert result.exit_code == 2 and option in result.output, result.output


@pytest.mark.slow  # a whole pipeline run or real page images
def test_without_tesseract_scans_are_reported_and_the_rest_is_ingested(tmp_path, monkeypatch):
    monkeypatch.setenv("GIAOBAN_TESSERACT", str(tmp_path / "no-tesseract"))
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    (raw / "typed.txt").write_text(TYPED, encoding="utf-8")
    scanned_pdf(SCANNED, raw / "scan.pdf")
    mixed_pdf(TYPED.replace("Lào Cai", "Hà Giang"), SCANNED, raw / "mixed.pdf")
    build = tmp_path / "build"
    result = CliRunner().invoke(app, ["ingest", "--corpus", str(raw.parent), "--build", str(build)])
    assert result.exit_code == 1
    documents = pd.read_parquet(build / "documents.parquet").set_index("doc_id")
    assert sorted(documents.index) == ["mixed", "typed"]
    assert documents.loc["mixed", "text_source"] == "text"  # the typed page only
    problems = (build / "ingest_problems.txt").read_text(encoding="utf-8").splitlines()
    assert len(problems) == 2 and all(ocr.INSTALL_HINT in line for line in problems)
    assert any(line.startswith("error: scan.pdf: ") and "needs OCR" in line for line in problems)
    assert any(line.startswith("error: mixed.pdf: page(s) 2 ") for line in problems)
    again = ingest(raw.parent, build, progress=False)  # reused, and still reported
    assert again.reused == 2 and len(again.problems) == 2 and again.failed


# --- OCR -----------------------------------------------------------------------------------------

@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_seeds_read_with_a_low_character_error_rate(scanned):
    corpus, build, _ = scanned
    settings = ocr.OcrSettings(cache_dir=build / ocr.OCR_CACHE_DIR)  # the ingest's: nothing OCR'd again
    rates = {seed: cer((paths.RAW_DIR / f"{seed}.txt").read_text(encoding="utf-8"),
                       read_document(corpus / "raw" / f"{seed}.pdf", ocr=settings).text) for seed in SEEDS}
    assert max(rates.values()) <= 0.02, rates


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_seeds_have_the_metadata_of_the_text_version(scanned, text_version):
    _, _, result = scanned
    got = result.documents.set_index("doc_id")[META_FIELDS]
    expected = text_version.documents.set_index("doc_id")[META_FIELDS]
    pd.testing.assert_frame_equal(got, expected)


def _core_topics(texts: list[str], matcher) -> list[frozenset[str]]:
    return [frozenset(t for t in text_topics(text, matcher) if t in CORE_TOPICS) for text in texts]


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_seeds_core_topics_agree_with_the_text_version(scanned, text_version):
    """Each passage of the text version against its closest OCR passage of the same document."""
    _, _, result = scanned
    matcher = compile_codebook(load_codebook())
    agree = total = 0
    for doc_id, reference in text_version.passages.groupby("doc_id"):
        read = result.passages.loc[result.passages["doc_id"] == doc_id, "text"].tolist()
        read_topics = _core_topics(read, matcher)
        for text, topics in zip(reference["text"], _core_topics(reference["text"].tolist(), matcher)):
            match = process.extractOne(text, read, scorer=fuzz.ratio, score_cutoff=50)
            agree += topics == (read_topics[match[2]] if match else frozenset())
            total += 1
    assert total == len(text_version.passages) and agree / total >= 0.95, (agree, total)


@pytest.mark.ocr
@pytest.mark.slow
def test_scanned_seeds_record_their_source_and_quality(scanned):
    _, _, result = scanned
    documents = result.documents
    assert (documents["text_source"] == "ocr").all()
    assert documents["ocr_confidence"].between(ocr.MIN_CONFIDENCE, 1).all()
    assert documents["ocr_valid_syllables"].between(ocr.MIN_VALID_SYLLABLES, 1).all()
    assert not result.problems


@pytest.mark.ocr
@pytest.mark.slow
def test_rerun_does_no_ocr_even_when_other_ingest_rules_change(scanned, monkeypatch):
    corpus, build, first = scanned

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran although every page is cached")

    monkeypatch.setattr(ocr, "_ocr_pages", no_ocr)
    again = ingest(corpus, build, progress=False)
    assert again.reused == len(SEEDS)
    from analysis.corpus import ingest as ingest_module

    real = ingest_module.build.stage_source_hash
    monkeypatch.setattr(ingest_module.build, "stage_source_hash",
                        lambda stage: "rules-changed" if stage == "ingest" else real(stage))
    redone = ingest(corpus, build, progress=False)  # every document made again, OCR from the cache
    assert redone.reused == 0
    pd.testing.assert_frame_equal(redone.passages, first.passages)


@pytest.mark.ocr
@pytest.mark.slow
def test_a_degraded_scan_scores_lower_and_goes_on_the_check_list(scanned, tmp_path):
    corpus, build, clean = scanned
    seed = SEEDS[0]
    raw = tmp_path / "corpus" / "raw"
    scanned_pdf((paths.RAW_DIR / f"{seed}.txt").read_text(encoding="utf-8"), raw / f"{seed}.pdf", DEGRADED)
    result = ingest(raw.parent, tmp_path / "build", progress=False, jobs=2)
    poor = result.documents.set_index("doc_id").loc[seed]
    good = clean.documents.set_index("doc_id").loc[seed]
    assert poor["ocr_confidence"] < good["ocr_confidence"]
    assert poor["ocr_valid_syllables"] <= good["ocr_valid_syllables"]
    checks = [p for p in result.problems if p.kind == "check"]
    assert [Path(p.path).name for p in checks] == [f"{seed}.pdf"] and not result.failed
    printed = CliRunner().invoke(app, ["ingest", "--corpus", str(raw.parent), "--build", str(tmp_path / "build")])
    assert printed.exit_code == 0, printed.output
    assert printed.output.strip().splitlines()[-1].startswith(f"check: {seed}.pdf: OCR text may be poor")


def _text_pdf(text: str, path: Path) -> Path:
    from fpdf import FPDF

    from ocr_fixtures import _dejavu

    pdf = FPDF()
    pdf.add_font("DejaVu", fname=_dejavu())
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in text.split("\n"):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


@pytest.mark.ocr
def test_a_pdf_with_a_text_layer_is_not_ocrd_unless_asked(tesseract, tmp_path, monkeypatch):
    path = _text_pdf(f"{TYPED}\n{SCANNED}", tmp_path / "typed.pdf")
    always = read_document(path, ocr=ocr.OcrSettings(mode="always"))
    assert always.text_source == "ocr" and cer(f"{TYPED}\n{SCANNED}", always.text) <= 0.02

    def no_ocr(*args, **kwargs):
        raise AssertionError("a page with a text layer was OCR'd")

    monkeypatch.setattr(ocr, "_ocr_pages", no_ocr)
    auto = read_document(path)
    assert auto.text_source == "text" and auto.text == normalize_text(f"{TYPED}\n{SCANNED}")
    assert math.isnan(auto.ocr_confidence) and math.isnan(auto.ocr_valid_syllables)


@pytest.mark.ocr
def test_a_pdf_with_some_scanned_pages_is_mixed(tesseract, tmp_path):
    overlay = "Ký bởi: Sở Giáo dục và Đào tạo"  # a signature line over a scan is still a scan
    path = mixed_pdf(TYPED, SCANNED, tmp_path / "mixed.pdf", overlay=overlay)
    one = read_document(path, ocr=ocr.OcrSettings(jobs=1))
    two = read_document(path, ocr=ocr.OcrSettings(jobs=2))
    assert one == two
    assert one.text_source == "mixed" and one.ocr_confidence >= ocr.MIN_CONFIDENCE
    typed, scanned_page = one.text.split("\n\n", 1)
    assert typed == normalize_text(TYPED)
    assert cer(f"{SCANNED}\n{overlay}", scanned_page) <= 0.02
    never = read_document(path, ocr=ocr.OcrSettings(mode="never"))
    assert never.text_source == "text" and "Chương trình" not in never.text


@pytest.mark.ocr
@pytest.mark.slow
def test_a_page_scanned_upside_down_or_sideways_is_turned(tesseract, tmp_path):
    page = scan_pages((paths.RAW_DIR / f"{SEEDS[0]}.txt").read_text(encoding="utf-8"), CLEAN, seed=7)[0]
    upright = read_document(write_image_pdf([page], tmp_path / "upright.pdf", CLEAN.dpi))
    assert upright.ocr_confidence >= ocr.MIN_CONFIDENCE
    for degrees in (180, 90):  # exact turns: turned back, the very same pixels
        turned = read_document(write_image_pdf([page.rotate(degrees, expand=True)], tmp_path / f"{degrees}.pdf",
                                               CLEAN.dpi), ocr=ocr.OcrSettings(jobs=2))
        assert turned.text == upright.text, degrees
        assert turned.ocr_confidence == pytest.approx(upright.ocr_confidence, abs=0.005)


@pytest.mark.slow  # a whole pipeline run or real page images
def test_an_unreadable_scan_without_ocr_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("GIAOBAN_TESSERACT", "no-such-tesseract")
    path = scanned_pdf(SCANNED, tmp_path / "scan.pdf")
    with pytest.raises(ReadError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith("scan.pdf: ") and "\n" not in message
    assert "not installed" in message and ocr.INSTALL_HINT in message


def test_reports_mark_documents_read_by_ocr():
    from analysis.reports.views import province_documents

    documents = pd.DataFrame({"doc_id": ["a", "b", "c"], "province": "Lào Cai", "date": ["2024-01-0" + d for d in "123"],
                              "text_source": ["text", "ocr", "mixed"], "ocr_confidence": [math.nan, 0.951, 0.874]})
    assert province_documents(documents, "Lào Cai")["ocr"].tolist() == [False, True, True]
    older = province_documents(documents.drop(columns=["text_source", "ocr_confidence"]), "Lào Cai")
    assert not older["ocr"].any()  # tables made before the kit read scans
