"""Hostile and careless corpora, one row per case: each plants one thing in a copy of the seed
corpus, runs `giaoban ingest` and checks the exact one-line message, the exit status, that every
other document is still in the tables, that no source file changed, and the time taken.

The fixtures are made here: the zip bomb with `zipfile`, the nested page generated, links with
`os.symlink`, the NFD name with `unicodedata`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from analysis import paths
from analysis.cli import app
from analysis.corpus.readers import MAX_COMPRESSION_RATIO

SEEDS = sorted(p.stem for p in paths.RAW_DIR.glob("*.txt"))
KON_TUM = "003_3cd3fae0bc1a3537"  # its province comes from the manifest only
MB = 1_000_000


@dataclass(frozen=True)
class Case:
    """One hostile input: ``plant(corpus)`` adds it; ``lines`` must appear (exactly) among the
    output lines; ``docs`` the document ids expected in the tables (default: the seeds)."""

    name: str
    plant: Callable[[Path], None]
    lines: tuple[str, ...]
    status: int
    seconds: float = 30.0
    docs: tuple[str, ...] = tuple(SEEDS)
    args: tuple[str, ...] = ()
    corpus_arg: str = "corpus"
    check: Callable[[Path], None] | None = None  # more checks on the build folder
    max_rss_mb: float | None = None  # run in a subprocess and bound its peak memory


# --------------------------------------------------------------------------- fixtures


def _seed_text(stem: str = "001_0454fa01641e54bf") -> str:
    return (paths.RAW_DIR / f"{stem}.txt").read_text(encoding="utf-8")


def _zip_bomb(path: Path, unpacked: int) -> None:
    """A .docx whose document.xml unpacks to ``unpacked`` bytes of repeated XML (written in
    blocks, so the test itself never holds it)."""
    block = b"<w:p><w:r><w:t>Gi\xc3\xa1o d\xe1\xbb\xa5c</w:t></w:r></w:p>" * 20_000
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            written = 0
            while written < unpacked:
                member.write(block[:unpacked - written])
                written += len(block)


def _ratio(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("word/document.xml")
    return f"{member.file_size / member.compress_size:,.0f}"


def _deep_page(depth: int) -> bytes:
    body = "<div>" * depth + "<p>Sở Giáo dục và Đào tạo tổ chức hội nghị trực tuyến.</p>" + "</div>" * depth
    return f"<html><body>{body}</body></html>".encode()


def _damaged_utf8(n_bad: int) -> bytes:
    data = bytearray(_seed_text().encode("utf-8"))
    for offset in _bad_offsets(n_bad):
        data[offset] = 0xFF
    return bytes(data)


def _bad_offsets(n_bad: int) -> list[int]:
    """Offsets spread over the seed, each an ASCII byte between ASCII bytes: 0xFF there is
    exactly one byte that is not UTF-8."""
    data = _seed_text().encode("utf-8")
    offsets = []
    for i in range(n_bad):
        at = 100 + i * (len(data) - 200) // n_bad
        while not (data[at - 1] < 0x80 and data[at] < 0x80 and data[at + 1] < 0x80):
            at += 1
        offsets.append(at)
    return offsets


def _bomb(name: str, unpacked: int) -> Callable[[Path], None]:
    return lambda corpus: _zip_bomb(corpus / "raw" / name, unpacked)


def _append_bytes(data: bytes) -> Callable[[Path], None]:
    def plant(corpus: Path) -> None:
        with (corpus / "manifest.csv").open("ab") as handle:
            handle.write(data + b"\n")
    return plant


def _write(relative: str, data: bytes | str) -> Callable[[Path], None]:
    def plant(corpus: Path) -> None:
        target = corpus / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return plant


def _link(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def plant(corpus: Path) -> None:
        os.symlink(target(corpus), corpus / "raw" / name)
    return plant


def _outside_file(corpus: Path) -> Path:
    secret = corpus.parent / "outside" / "secret.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text(_seed_text("000_7beced6f574e01d2").replace("Hòa Bình", "Sơn La"), encoding="utf-8")
    return secret


def _outside_folder(corpus: Path) -> Path:
    return _outside_file(corpus).parent


def _nfd_name(corpus: Path) -> None:
    """The Kon Tum notice under a name with diacritics written in NFD (as macOS does); the
    manifest row names it in NFC."""
    nfc = "003_thông báo Kon Tum.txt"
    (corpus / "raw" / f"{KON_TUM}.txt").rename(corpus / "raw" / unicodedata.normalize("NFD", nfc))
    manifest = corpus / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(f"{KON_TUM}.txt", nfc), encoding="utf-8")


def _append_row(row: str) -> Callable[[Path], None]:
    def plant(corpus: Path) -> None:
        with (corpus / "manifest.csv").open("a", encoding="utf-8") as handle:
            handle.write(row + "\n")
    return plant


def _fifo(corpus: Path) -> None:
    os.mkfifo(corpus / "raw" / "pipe.txt")


def _copy_seed(name: str, stem: str) -> Callable[[Path], None]:
    def plant(corpus: Path) -> None:
        shutil.copy(corpus / "raw" / f"{stem}.txt", corpus / "raw" / name)
    return plant


def _no_manifest(corpus: Path) -> None:
    (corpus / "manifest.csv").unlink()


def _province_of(doc_id: str, province: str) -> Callable[[Path], None]:
    def check(build: Path) -> None:
        documents = pd.read_parquet(build / "documents.parquet").set_index("doc_id")
        assert documents.loc[doc_id, "province"] == province
    return check


def _passage_contains(doc_id: str, text: str) -> Callable[[Path], None]:
    def check(build: Path) -> None:
        passages = pd.read_parquet(build / "passages.parquet")
        assert passages.loc[passages["doc_id"] == doc_id, "text"].str.contains(text, regex=False).any()
    return check


def _nothing_written(build: Path) -> None:
    assert not (build / "documents.parquet").exists()


def _offsets_line(name: str, n_bad: int) -> str:
    shown = ", ".join(str(o) for o in _bad_offsets(n_bad))
    return (f"check: {name}: {n_bad} byte(s) that are not UTF-8 (at byte {shown}) read as '\ufffd'; "
            "check the text there against the original")


# --------------------------------------------------------------------------- the table

RAW = "{corpus}/raw"
CASES = [
    Case("zip bomb (declared size)", _bomb("bomb.docx", 100 * MB), (
        "error: bomb.docx: unpacks to 100.0 MB (> limit 20.0 MB); split the document, "
        "or raise the limit with --max-file-mb",), 1, seconds=5, max_rss_mb=500),
    Case("zip bomb (compression ratio)", _bomb("dense.docx", 15 * MB), (
        "error: dense.docx: part word/document.xml packs {ratio}:1 (limit 100:1), as a zip bomb does; "
        "open and re-save it in Word, or give the text as .txt",), 1, seconds=5),
    Case("link to a file outside the corpus", _link("secret.txt", _outside_file), (
        "skipped: secret.txt: link to a file outside the corpus ({outside}/secret.txt), not followed; "
        "copy the document into the corpus if it belongs there",), 1),
    Case("link to a folder outside the corpus", _link("more", _outside_folder), (
        "skipped: more: link to a folder outside the corpus ({outside}), not followed; "
        "copy the document into the corpus if it belongs there",), 1),
    Case("dangling link", _link("gone.txt", lambda corpus: corpus / "nowhere.txt"), (
        "skipped: gone.txt: broken link (to {corpus}/nowhere.txt, which does not exist); "
        "remove it, or copy the document into the corpus",), 1),
    Case("link inside the corpus is a second copy", _link("again.txt", lambda c: c / "raw" / f"{SEEDS[0]}.txt"), (
        f"duplicate: again.txt: same document as raw/{SEEDS[0]}.txt, which is kept (first by name); "
        "remove one of the two copies",), 1),
    Case("hidden folder", _write("raw/.backup/old.txt", _seed_text().replace("Lào Cai", "Lai Châu")), (
        f"note: skipped 1 hidden file(s) or folder(s) in {RAW} (names starting with '.')",), 0),
    Case("folder named like a document", _write("raw/notice.docx/word/readme.md", "x"), (
        "skipped: notice.docx: a folder named like a document, not a document; its files are read one "
        "by one: rename the folder, or put the document itself in its place",), 1),
    Case("named pipe", _fifo, (
        "skipped: pipe.txt: not a regular file (a pipe, socket or device); remove it from the corpus",), 1,
        seconds=10),
    Case("page nested 50,000 deep", _write("raw/deep.html", _deep_page(50_000)), (), 0, seconds=5,
         docs=(*SEEDS, "deep"), check=_passage_contains("deep", "tổ chức hội nghị trực tuyến")),
    Case("file over the time limit", _write("raw/deep.html", _deep_page(50_000)), (
        "error: deep.html: reading took longer than 0.2 s (the --file-timeout limit); check the file, "
        "or raise --file-timeout",), 1, seconds=5, args=("--file-timeout", "0.2")),
    Case("file over the size limit", _write("raw/big.txt", _seed_text() * 5), (
        "error: big.txt: file too large ({big} > limit 50,000 bytes); split it, or raise the limit "
        "with --max-file-mb",), 1, args=("--max-file-mb", "0.05")),
    Case("UTF-8 with four bad bytes", _write("raw/damaged.txt", _damaged_utf8(4)),
         (_offsets_line("damaged.txt", 4),), 0, docs=(*SEEDS, "damaged")),
    Case("UTF-8 with too many bad bytes", _write("raw/damaged.txt", _damaged_utf8(200)), (
        "error: damaged.txt: undecodable bytes (first non-UTF-8 byte at byte {first_bad}): not UTF-8/UTF-16 and "
        "no Vietnamese encoding (Windows-1258, TCVN3, VNI) gives readable text; re-save it as UTF-8",), 1),
    Case("NFD file name, NFC manifest row", _nfd_name, (), 0,
         docs=tuple(sorted({*SEEDS} - {KON_TUM} | {"003_thông báo Kon Tum"})),
         check=_province_of("003_thông báo Kon Tum", "Kon Tum")),
    Case("manifest row with a typo", _append_row("003_3cd3fae0bc1a3573.txt,Kon Tum,,,,,,"), (
        "error: manifest.csv:3: row for '003_3cd3fae0bc1a3573.txt' matches no document in {corpus}/raw; "
        "did you mean '003_3cd3fae0bc1a3537.txt'? correct the file name or remove the row",), 1),
    Case("--corpus names the raw folder", lambda corpus: None, (), 0, corpus_arg="corpus/raw",
         check=_province_of(KON_TUM, "Kon Tum")),
    Case("no manifest beside the raw folder", _no_manifest, (
        "note: no manifest found ({corpus}/raw/manifest.csv or {corpus}/manifest.csv): every field comes "
        "from the texts",), 0, corpus_arg="corpus/raw"),
    Case("a copy sorting first, without the manifest row", _copy_seed("000a_copy.txt", KON_TUM), (
        f"duplicate: 000a_copy.txt: same document as raw/{KON_TUM}.txt, which is kept (it has the "
        "manifest row); remove one of the two copies",), 1, check=_province_of(KON_TUM, "Kon Tum")),
    Case("manifest period 2022-13", _append_row("x.txt,,,2022-13,,,,"), (
        "error: {corpus}/manifest.csv:3: period '2022-13' is not a period; use YYYY, YYYY-Qn, YYYY-MM, "
        "YYYY-YYYY (school year or phase) or YYYY-YYYY-HKn",), 2, docs=(), check=_nothing_written),
    Case("manifest not UTF-8", _append_bytes("thông báo.txt,Kon Tum,,,,,,".encode("cp1258")), (
        "error: {corpus}/manifest.csv:3: not UTF-8 (byte {manifest_byte}); save the manifest as UTF-8 "
        "(CSV UTF-8 in Excel or LibreOffice)",), 2, docs=(), check=_nothing_written),
]


# --------------------------------------------------------------------------- running a row


def _corpus(tmp_path: Path, case: Case) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(paths.RAW_DIR, corpus / "raw")
    shutil.copy(paths.MANIFEST_PATH, corpus / "manifest.csv")
    case.plant(corpus)
    return corpus


def _snapshot(root: Path) -> dict[str, bytes | str]:
    """Every entry under ``root`` but the build folder: a file's bytes, a link's target (links
    are not followed; a pipe is not opened)."""
    out: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if Path(folder, d) != root / "build"]
        for name in dirs + files:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            if path.is_symlink():
                out[key] = "-> " + os.readlink(path)
            elif path.is_file():
                out[key] = path.read_bytes()
    return out


def _run_in_process(args: list[str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.output.splitlines()


def _run_isolated(args: list[str]) -> tuple[int, list[str], float]:
    """The command in a fresh process: (exit status, output lines, peak memory in MB)."""
    process = subprocess.Popen([sys.executable, "-m", "analysis", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, output.splitlines(), usage.ru_maxrss / 1024  # KiB on Linux


# Rows that build a real bomb, a memory-bounded subprocess or a 50,000-deep page are slow.
@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.slow) if c.max_rss_mb or c.seconds < 30 else c
                                  for c in CASES], ids=[case.name for case in CASES])
def test_hostile_corpus(tmp_path: Path, case: Case) -> None:
    corpus = _corpus(tmp_path, case)
    before = _snapshot(tmp_path)
    build = tmp_path / "build"
    args = ["ingest", "--corpus", str(tmp_path / case.corpus_arg), "--build", str(build), *case.args]
    started = time.monotonic()
    if case.max_rss_mb is not None:
        status, lines, peak_mb = _run_isolated(args)
        assert peak_mb < case.max_rss_mb, f"peak memory {peak_mb:.0f} MB"
    else:
        status, lines = _run_in_process(args)
    elapsed = _ingest_seconds(lines, time.monotonic() - started)
    values = {"corpus": corpus, "outside": (tmp_path / "outside").resolve(), "ratio": _ratio_if(corpus),
              "big": f"{len(_seed_text().encode()) * 5:,} bytes", "manifest_byte": _bad_manifest_byte(corpus),
              "first_bad": _bad_offsets(200)[0]}
    for expected in case.lines:
        assert expected.format(**values) in lines, "\n".join(lines)
    assert status == case.status, "\n".join(lines)
    assert elapsed < case.seconds, f"{elapsed:.1f} s"
    if case.docs:
        assert sorted(pd.read_parquet(build / "documents.parquet")["doc_id"]) == sorted(case.docs)
    if case.check:
        case.check(build)
    assert _snapshot(tmp_path) == before  # no source file changed


def _ingest_seconds(lines: list[str], wall: float) -> float:
    """The time ingest itself reports ("... in 0.96 s -> build"), without the start of a fresh
    interpreter; the wall time when it stopped before reporting."""
    for line in lines:
        found = re.search(r" in (\d+\.\d+) s -> ", line)
        if found:
            return float(found.group(1))
    return wall


def _ratio_if(corpus: Path) -> str:
    dense = corpus / "raw" / "dense.docx"
    return _ratio(dense) if dense.is_file() else ""


def _bad_manifest_byte(corpus: Path) -> int | str:
    data = (corpus / "manifest.csv").read_bytes() if (corpus / "manifest.csv").is_file() else b""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return ""


def test_the_ratio_case_is_under_the_size_limit_and_over_the_ratio(tmp_path: Path) -> None:
    """The dense .docx must be refused by its ratio, not by its size."""
    _zip_bomb(tmp_path / "dense.docx", 15 * MB)
    assert float(_ratio(tmp_path / "dense.docx").replace(",", "")) > MAX_COMPRESSION_RATIO
    with zipfile.ZipFile(tmp_path / "dense.docx") as archive:
        assert sum(i.file_size for i in archive.infolist()) < 20 * MB
