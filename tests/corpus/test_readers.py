"""Tests of analysis.readers and analysis.legacy_encodings on fixtures generated here."""

from __future__ import annotations

import hashlib
import os
import random
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from analysis.corpus import readers
from analysis.corpus.readers import RawDocument, ReadError, read_document, vietnamese_score
from analysis.paths import RAW_DIR
from analysis.text.fold import fold_for_matching
from analysis.text.legacy_encodings import (
    VIETNAMESE_LETTERS,
    decode_cp1258,
    decode_tcvn3,
    decode_vni,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
)
from analysis.text.normalize import normalize_text

SEED = RAW_DIR / "000_7beced6f574e01d2.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# --- legacy encodings ----------------------------------------------------------------------------
CODECS = [("tcvn3", encode_tcvn3, decode_tcvn3), ("vni", encode_vni, decode_vni),
          ("cp1258", encode_cp1258, decode_cp1258)]


def test_alphabet_has_all_letters() -> None:
    # 12 vowels x 6 tone forms + đ, both cases, minus the 14 plain ASCII vowels a e i o u y.
    assert len(VIETNAMESE_LETTERS) == (12 * 6 + 1) * 2 - 12
    assert len(set(VIETNAMESE_LETTERS)) == len(VIETNAMESE_LETTERS)


@pytest.mark.parametrize(("name", "encode", "decode"), CODECS)
def test_legacy_codecs_round_trip_every_letter(name, encode, decode) -> None:
    words = [f"x{letter}ng {letter.upper()}{letter.lower()}" for letter in VIETNAMESE_LETTERS]
    failed = [word for word in words if decode(encode(word)) != word]
    assert failed == []
    assert decode(encode("\n".join(words))) == "\n".join(words)


@pytest.mark.parametrize(
    ("encode", "text", "expected"),
    [
        # Reference spellings published by Vietnamese converters (Unikey, vietnamese-conversion).
        (encode_vni, "Xin chào các bạn", b"Xin cha\xf8o ca\xf9c ba\xefn"),
        (encode_vni, "Thông báo", b"Tho\xe2ng ba\xf9o"),
        (encode_vni, "Đường", b"\xd1\xf6\xf4\xf8ng"),
        (encode_tcvn3, "Bảo Thắng", b"B\xb6o Th\xbeng"),
        (encode_tcvn3, "Mường Khương", b"M\xad\xeang Kh\xad\xacng"),
        (encode_tcvn3, "đào tạo", b"\xae\xb5o t\xb9o"),
    ],
)
def test_legacy_encoders_match_published_bytes(encode, text: str, expected: bytes) -> None:
    assert encode(text) == expected


def test_legacy_encoders_refuse_unencodable() -> None:
    with pytest.raises(ValueError, match="U\\+4E2D"):
        encode_tcvn3("中")
    with pytest.raises(ValueError, match="U\\+4E2D"):
        encode_vni("中")


def test_vietnamese_score_separates_right_and_wrong_decodings(seed_text: str) -> None:
    text = normalize_text(seed_text)
    right = vietnamese_score(decode_vni(encode_vni(text)))
    wrong = vietnamese_score(decode_tcvn3(encode_vni(text)))
    assert right > 0.95
    assert wrong < 0.5


# --- .txt in every encoding ----------------------------------------------------------------------
def _encode(text: str, encoding: str) -> bytes:
    if encoding == "cp1258":
        return encode_cp1258(text)
    if encoding == "vni":
        return encode_vni(text)
    if encoding == "tcvn3":
        return encode_tcvn3(text)
    return text.encode(encoding)


@pytest.mark.parametrize("seed", sorted(RAW_DIR.glob("*.txt")), ids=lambda p: p.name[:3])
@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-16-le", "cp1258", "tcvn3", "vni"]
)
def test_txt_encodings_read_back_to_same_text(tmp_path: Path, seed: Path, encoding: str) -> None:
    text = seed.read_text(encoding="utf-8")
    if encoding == "tcvn3":  # TCVN3 has no curly quotes or ellipsis (normalize_text folds quotes)
        text = normalize_text(text).replace("\u2026", "...")
    path = _write(tmp_path / f"seed_{encoding}.txt", _encode(text, encoding))
    before = _fingerprint(path)
    doc = read_document(path)
    assert doc == RawDocument(text=normalize_text(text), format="txt", encoding=encoding)
    assert _fingerprint(path) == before  # source never modified


def test_txt_nfd_and_tone_variants_read_as_canonical(tmp_path: Path, seed_text: str) -> None:
    variant = unicodedata.normalize("NFD", seed_text.replace("Hòa", "Hoà"))
    doc = read_document(_write(tmp_path / "nfd.txt", variant.encode("utf-8")))
    assert doc.text == normalize_text(seed_text)
    assert "Hòa Bình" in doc.text and "Hoà" not in doc.text


# --- .docx ---------------------------------------------------------------------------------------
def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("THÔNG BÁO", level=1)
    document.add_paragraph("Kết luận của Giám đốc Sở GD&ĐT tỉnh Hoà Bình.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Chỉ tiêu", "Kết quả"), ("Tỷ lệ tốt nghiệp", "99,5%")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("Các đơn vị khẩn trương triển khai thực hiện.")
    path = tmp_path / "notice.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.format == "docx" and doc.encoding == ""
    assert doc.text.split("\n") == [
        "THÔNG BÁO", "Kết luận của Giám đốc Sở GD&ĐT tỉnh Hòa Bình.", "Chỉ tiêu", "Kết quả",
        "Tỷ lệ tốt nghiệp", "99,5%", "Các đơn vị khẩn trương triển khai thực hiện.",
    ]


# --- .pdf ----------------------------------------------------------------------------------------
def _dejavu() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


def test_pdf_text_layer_reads_back(tmp_path: Path, seed_text: str) -> None:
    from fpdf import FPDF

    lines = [line for line in normalize_text(seed_text).split("\n") if line][:12]
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=_dejavu())
    pdf.set_font("DejaVu", size=10)
    for page_lines in (lines[:6], lines[6:]):
        pdf.add_page()
        for line in page_lines:
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "notice.pdf"
    pdf.output(str(path))
    doc = read_document(path)
    assert doc.format == "pdf"
    assert "\n\n" in doc.text  # pages are separated by a blank line
    assert fold_for_matching(doc.text) == fold_for_matching(" ".join(lines))


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    from fpdf import FPDF

    from analysis.corpus.ocr import OcrSettings

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(ReadError, match="needs OCR.*--ocr auto") as info:
        read_document(path, ocr=OcrSettings(mode="never"))
    assert str(info.value).startswith("scan.pdf: ")


# --- .html ---------------------------------------------------------------------------------------
HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sở GD&amp;ĐT</title>
<style>body {color: red}</style><script>var secret = "không được xuất hiện";</script></head>
<body><header><div class="logo">Cổng thông tin điện tử</div></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li>Tin tức</li></ul></nav>
<div class="breadcrumb">Trang chủ &gt; Tin tức</div>
<article><header class="article-header"><h1>Hội nghị giao ban quý III</h1></header>
<div class="share-buttons">Chia sẻ Facebook</div>
<p>Sở Giáo dục và Đào tạo tổ chức <b>Hội nghị</b> giao ban.<br>Đồng chí Giám đốc chủ trì.</p>
<p>Năm học 2022–2023 tiếp tục thực hiện Chương trình GDPT 2018.</p>
<script>document.write("quảng cáo")</script><footer>Từ khóa: giao ban</footer></article>
<aside>Tin liên quan: Lễ khai giảng</aside>
<footer>Bản quyền thuộc Sở GD&amp;ĐT. Lượt xem: 120</footer></body></html>"""


def test_html_main_text_only(tmp_path: Path) -> None:
    doc = read_document(_write(tmp_path / "news.html", HTML_PAGE.encode("utf-8")))
    assert doc.format == "html"
    assert [line for line in doc.text.split("\n") if line] == [
        "Hội nghị giao ban quý III",
        "Sở Giáo dục và Đào tạo tổ chức Hội nghị giao ban.",
        "Đồng chí Giám đốc chủ trì.",
        "Năm học 2022-2023 tiếp tục thực hiện Chương trình GDPT 2018.",
    ]
    for debris in ("secret", "quảng cáo", "Trang chủ", "Cổng thông tin", "Tin liên quan", "Bản quyền",
                   "Chia sẻ", "Từ khóa", "color"):
        assert debris not in doc.text


def test_html_without_article_uses_body(tmp_path: Path) -> None:
    page = ("<html><head><title>Trang</title></head><body><header>Cổng Sở GD&amp;ĐT</header>"
            "<div id='main-menu'>Giới thiệu</div><div class='content'><p>Kế hoạch số 12</p>"
            "<p>Thực hiện tốt</p></div><div role='contentinfo'>Địa chỉ</div></body></html>")
    doc = read_document(_write(tmp_path / "plain.htm", page.encode("utf-8")))
    assert [line for line in doc.text.split("\n") if line] == ["Kế hoạch số 12", "Thực hiện tốt"]


# --- bad input -----------------------------------------------------------------------------------
def _random_high_bytes(n: int) -> bytes:
    rng = random.Random(7)
    return bytes(rng.choice(range(0x80, 0x100)) if i % 5 else 0x20 for i in range(n))


BAD_FILES = [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 8, "binary file (contains NUL bytes)"),
    ("controls.txt", bytes(range(1, 32)) * 20 + b"abc", "binary file (mostly control codes)"),
    ("disguised.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF)"),
    ("garbage.txt", _random_high_bytes(3000), "undecodable bytes"),
    ("broken.docx", b"this is not a zip archive", "not a valid .docx"),
    ("broken.pdf", b"%PDF-1.4 but nothing else", "not a readable PDF"),
    ("old.doc", b"\xd0\xcf\x11\xe0 word 97", "unsupported file type '.doc'"),
    ("blank.txt", b"  \r\n\t\n", "no text found"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_input_raises_one_line_read_error(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = _write(tmp_path / name, data)
    before = _fingerprint(path)
    with pytest.raises(ReadError) as info:
        read_document(path)
    text = str(info.value)
    assert text.startswith(f"{name}: ") and message in text
    assert "\n" not in text and "; " in text  # one line: problem; what to do
    assert isinstance(info.value, ValueError)
    assert _fingerprint(path) == before


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"^missing\.txt: file not found; check the path$"):
        read_document(tmp_path / "missing.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ReadError, match=r"^folder\.txt: is a folder"):
        read_document(tmp_path / "folder.txt")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, where chmod 000 does not stop reading: make open() fail instead.
    path = _write(tmp_path / "locked.txt", "Thông báo".encode())

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(readers, "open", denied, raising=False)
    with pytest.raises(ReadError, match=r"^locked\.txt: cannot read file \(Permission denied\)"):
        read_document(path)


def test_oversize_file_refused(tmp_path: Path, seed_text: str) -> None:
    path = _write(tmp_path / "big.txt", seed_text.encode("utf-8"))
    size = path.stat().st_size
    with pytest.raises(ReadError, match=rf"^big\.txt: file too large \({size:,} bytes > limit 1,000 bytes\)"):
        read_document(path, max_bytes=1000)
    assert read_document(path, max_bytes=path.stat().st_size).text == normalize_text(seed_text)


def test_sparse_50mb_file_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50_000_000)  # sparse: 50 MB of NULs, nothing on disk

    def must_not_read(p):
        raise AssertionError(f"{p} was read")

    monkeypatch.setattr(readers, "_read_bytes", must_not_read)
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match=r"^huge\.txt: file too large \(50\.0 MB > limit 20\.0 MB\)"):
            read_document(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    assert os.stat(path).st_size == 50_000_000
