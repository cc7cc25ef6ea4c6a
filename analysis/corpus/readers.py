"""Document readers: one file in, one normalised ``RawDocument`` out (or a one-line ``ReadError``).

Supported: ``.txt`` (UTF-8 with/without BOM, UTF-16 with BOM or detected from its NUL pattern,
Windows-1258, TCVN3/ABC and VNI-Windows, detected by how Vietnamese each decoding looks),
``.docx`` (python-docx), ``.pdf`` with a text layer (pdfplumber), ``.html``/``.htm`` (main text
only, via BeautifulSoup + lxml). Files are opened read-only and never modified.

Limits that hold for every format (see README, "What the kit refuses, and why"): the file size,
and for zip-based formats (.docx) the unpacked size and compression ratio, checked from the
zip's directory before parsing and again while unpacking; a time limit per file; HTML of any
nesting depth is walked without recursion, in linear time.
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.text.legacy_encodings import decode_cp1258, decode_tcvn3, decode_vni
from analysis.text.normalize import TONE_MARKS, normalize_text
from analysis.timelimit import TimeLimitExceeded, time_limit

__all__ = ["FILE_TIMEOUT", "MAX_BYTES", "SUPPORTED_SUFFIXES", "RawDocument", "ReadError",
           "read_document", "valid_syllable_share", "vietnamese_score"]

MAX_BYTES = 20_000_000  # --max-file-mb: a file, and the unpacked content of a .docx
FILE_TIMEOUT = 60.0  # --file-timeout: seconds one file may take to read
MAX_COMPRESSION_RATIO = 100  # unpacked:packed of one zip member; Word's XML packs ~5-20:1
RATIO_CHECK_BYTES = 1_000_000  # members smaller than this unpack to little whatever their ratio
MAX_ZIP_MEMBERS = 10_000
MAX_BAD_UTF8_SHARE = 0.001  # a UTF-8 file with fewer bad bytes is read with U+FFFD and flagged
SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".htm")


@dataclass(frozen=True)
class RawDocument:
    """Text of one file, already passed through ``normalize_text``; for a PDF, where its text
    came from and, when OCR read some of it, the quality figures (``analysis.corpus.ocr``)."""

    text: str
    format: str  # "txt", "docx", "pdf" or "html"
    encoding: str  # how a .txt was decoded ("utf-8", "tcvn3", ...); "" for other formats
    checks: tuple[str, ...] = ()  # read, but a person should look (e.g. bytes replaced by U+FFFD)
    text_source: str = "text"  # "text", "ocr" or "mixed"
    ocr_confidence: float = math.nan
    ocr_valid_syllables: float = math.nan
    warnings: tuple[str, ...] = ()  # one line each: pages left out, with what to do


class ReadError(ValueError):
    """A file that cannot be read; ``str()`` is one line: "<name>: <problem>; <what to do>"."""

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = Path(path)
        self.message = " ".join(message.split())
        super().__init__(f"{self.path.name}: {self.message}")


def read_document(path: str | Path, max_bytes: int = MAX_BYTES,
                  timeout: float | None = FILE_TIMEOUT, ocr=None) -> RawDocument:
    """Read one corpus file into normalised text; raise ``ReadError`` on any bad input.

    ``max_bytes`` bounds the file and the unpacked content of a .docx; ``timeout`` (seconds,
    None for none) bounds the whole read (enforced in a process's main thread); ``ocr``: an
    ``analysis.corpus.ocr.OcrSettings`` for PDF pages without a text layer (default: OCR them
    when Tesseract is installed, no cache). OCR is slow and bounded page by page, so for a PDF
    ``timeout`` bounds the reading of its text layer, not the OCR of its scanned pages.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(path, f"unsupported file type '{suffix or '(none)'}'; "
                              "convert it to .txt, .docx, .pdf or .html")
    size = _checked_size(path, max_bytes)
    if size == 0:
        raise ReadError(path, "empty file (0 bytes); remove it or replace it with the real document")
    try:
        with time_limit(None if suffix == ".pdf" else timeout):
            return _read_checked(path, suffix, max_bytes, timeout, ocr)
    except TimeLimitExceeded:
        raise ReadError(path, f"reading took longer than {timeout:g} s (the --file-timeout limit); "
                              "check the file, or raise --file-timeout") from None


def _read_checked(path: Path, suffix: str, max_bytes: int, timeout: float | None, ocr) -> RawDocument:
    data = _read_bytes(path)
    checks: tuple[str, ...] = ()
    pdf = None
    try:
        if suffix == ".txt":
            text, fmt, encoding, checks = _read_txt(path, data)
        elif suffix == ".pdf":
            pdf = _read_pdf(path, data, ocr, timeout)
            text, fmt, encoding = pdf.text, "pdf", ""
        else:
            if suffix == ".docx":
                _check_zip(path, data, max_bytes)
            text, fmt, encoding = _READERS[suffix](path, data)
    except (ReadError, TimeLimitExceeded):
        raise
    except Exception as exc:  # a library failing on one odd file must not stop a whole corpus
        raise ReadError(path, f"could not read this {suffix} file ({type(exc).__name__}); "
                              "open and re-save it, or convert it to .txt") from exc
    text = normalize_text(text)
    if not text.strip():
        raise ReadError(path, f"no text found in this {fmt} file; check that it is the right file")
    if pdf is not None:
        return RawDocument(text, fmt, encoding, checks, pdf.text_source, pdf.ocr_confidence,
                           pdf.ocr_valid_syllables, pdf.warnings)
    return RawDocument(text=text, format=fmt, encoding=encoding, checks=checks)


def _checked_size(path: Path, max_bytes: int) -> int:
    """Size from ``os.stat`` (nothing is read), with clear errors for missing/odd/huge files."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ReadError(path, "file not found; check the path") from None
    except OSError as exc:
        raise ReadError(path, f"cannot read file ({exc.strerror}); check its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(path, "is a folder, not a file; give a file path")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(path, "not a regular file (a pipe, socket or device); remove it from the corpus")
    if info.st_size > max_bytes:
        raise ReadError(path, f"file too large ({_size(info.st_size)} > limit {_size(max_bytes)}); "
                              "split it, or raise the limit with --max-file-mb")
    return info.st_size


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 100_000 else f"{n_bytes:,} bytes"


def _read_bytes(path: Path) -> bytes:
    """Read the whole file (read-only); permission and I/O errors become ``ReadError``."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise ReadError(path, f"cannot read file ({exc.strerror or exc}); check its permissions") from None


# --- .txt ----------------------------------------------------------------------------------------
_BINARY_MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a zip/docx archive", b"\x89PNG": "a PNG image",
                 b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
                 b"\xd0\xcf\x11\xe0": "an old Office (.doc/.xls) file", b"\x7fELF": "a program"}
_LEGACY_DECODERS: tuple[tuple[str, Callable[[bytes], str]], ...] = (
    ("cp1258", decode_cp1258), ("tcvn3", decode_tcvn3), ("vni", decode_vni),
)
_SAMPLE_BYTES = 200_000  # enough text to judge an encoding; keeps detection fast on big files
_MIN_VIETNAMESE_SCORE = 0.5


def _read_txt(path: Path, data: bytes) -> tuple[str, str, str, tuple[str, ...]]:
    """(text, "txt", encoding, checks): checks name bytes replaced in a slightly damaged UTF-8 file."""
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ReadError(path, f"binary file ({kind}), not text; give it the right extension")
    if data.startswith(b"\xef\xbb\xbf"):
        text, checks = _decode_utf8(path, data, bom=3)
        return text, "txt", "utf-8-sig", checks
    for bom in (b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            return _strict_decode(path, data, "utf-16"), "txt", "utf-16", ()
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict_decode(path, data, utf16), "txt", utf16, ()
    if b"\x00" in data:
        raise ReadError(path, "binary file (contains NUL bytes), not text; "
                              "export the document as .txt, .docx or .pdf")
    text, checks = _decode_utf8(path, data, bom=0)
    encoding = "utf-8"
    if text is None:
        text, encoding = _best_legacy_decoding(path, data)
    if _control_share(text[:4096]) > 0.1:
        raise ReadError(path, "binary file (mostly control codes), not text; "
                              "export the document as .txt, .docx or .pdf")
    return text, "txt", encoding, checks


def _decode_utf8(path: Path, data: bytes, bom: int) -> tuple[str | None, tuple[str, ...]]:
    """UTF-8 text and its checks; a few bad bytes (under ``MAX_BAD_UTF8_SHARE`` of a file that is
    otherwise plainly UTF-8) become U+FFFD and one check naming their byte offsets. (None, ())
    when the bytes are not UTF-8 (a legacy encoding, or too damaged); with a BOM, that is an error."""
    view = memoryview(data)
    pieces, bad, pos = [], [], bom
    budget = max(1, int(len(data) * MAX_BAD_UTF8_SHARE))
    while True:
        try:
            pieces.append(str(view[pos:], "utf-8"))
            break
        except UnicodeDecodeError as exc:
            if len(bad) >= budget:
                break
            pieces.append(str(view[pos:pos + exc.start], "utf-8"))
            pieces.append("\ufffd")
            bad.extend(range(pos + exc.start, pos + exc.end))
            pos += exc.end
    text = "".join(pieces)
    share = len(bad) / len(data)
    if not bad:
        return text, ()
    plainly_utf8 = sum(1 for c in text if ord(c) > 127 and c != "\ufffd") >= 10 * len(bad)
    if share < MAX_BAD_UTF8_SHARE and plainly_utf8:
        shown = ", ".join(str(offset) for offset in bad[:10]) + (", ..." if len(bad) > 10 else "")
        return text, (f"{path.name}: {len(bad)} byte(s) that are not UTF-8 (at byte {shown}) read as "
                      "'\ufffd'; check the text there against the original",)
    if bom:
        raise ReadError(path, f"undecodable bytes for UTF-8 at byte {bad[0]} ({len(bad)}+ bad bytes, "
                              f"more than {MAX_BAD_UTF8_SHARE:.1%} of the file); re-save the file as UTF-8")
    return None, ()


# Unicode category Cc (C0 and C1 controls) except tab, newline, carriage return, form feed.
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_share(text: str) -> float:
    """Share of control characters other than tab/newline/CR/form feed."""
    if not text:
        return 0.0
    return len(_CONTROL_CHARS.findall(text)) / len(text)


def _strict_decode(path: Path, data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"undecodable bytes for {codec} at byte {exc.start}; "
                              "re-save the file as UTF-8") from None


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' / 'utf-16-be' when NULs sit on every other byte (mostly-Latin UTF-16), else ''."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return ""
    even_nul = sample[0::2].count(0) / pairs
    odd_nul = sample[1::2].count(0) / pairs
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return ""


def _best_legacy_decoding(path: Path, data: bytes) -> tuple[str, str]:
    """Decode with whichever legacy Vietnamese encoding gives the most Vietnamese-looking text."""
    sample = data[:_SAMPLE_BYTES]
    scored = []
    for rank, (name, decoder) in enumerate(_LEGACY_DECODERS):
        try:
            scored.append((vietnamese_score(decoder(sample)), -rank, name, decoder))
        except UnicodeDecodeError:
            continue  # cp1258 leaves a few bytes undefined
    if not scored or max(scored)[0] < _MIN_VIETNAMESE_SCORE:
        try:
            data.decode("utf-8")
            where = ""
        except UnicodeDecodeError as exc:
            where = f" (first non-UTF-8 byte at byte {exc.start})"
        raise ReadError(path, f"undecodable bytes{where}: not UTF-8/UTF-16 and no Vietnamese encoding "
                              "(Windows-1258, TCVN3, VNI) gives readable text; re-save it as UTF-8")
    _, _, name, decoder = max(scored)
    try:
        return decoder(data), name
    except UnicodeDecodeError as exc:
        raise ReadError(path, f"undecodable bytes for {name} at byte {exc.start}; "
                              "re-save the file as UTF-8") from None


# --- how Vietnamese is a text? ---------------------------------------------------------------------
_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_NUCLEI = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay",
           "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "ua", "uâ",
           "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "yêu", "oai", "oay",
           "oeo", "uây", "uôi", "uya", "uyê", "ươi", "ươu", "uyu")
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")


def _alternation(options: tuple[str, ...]) -> str:
    return "|".join(sorted(options, key=len, reverse=True))


_SYLLABLE = re.compile(f"(?:{_alternation(_ONSETS)})(?:{_alternation(_NUCLEI)})(?:{_alternation(_CODAS)})")
_WORD = re.compile(r"[^\W\d_]+")
_TONE_SET = frozenset(TONE_MARKS)


@functools.lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    """True when lower-case NFC ``word`` spells one Vietnamese syllable with at most one tone."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(c in _TONE_SET for c in decomposed)
    plain = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_SET))
    return tones <= 1 and _SYLLABLE.fullmatch(plain) is not None


_ALLOWED_SYMBOLS = frozenset("“”‘’–—…•·°§«»€£©®™×÷±")


def vietnamese_score(text: str) -> float:
    """How Vietnamese ``text`` looks, 0..1: valid syllables among non-ASCII words and symbols.

    ASCII words read the same under every 8-bit encoding, so only non-ASCII words tell the
    candidate decodings apart; stray symbols (``¸``, ``µ``, control codes) count against.
    """
    text = unicodedata.normalize("NFC", text).lower()
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    good = sum(map(_is_syllable, words))
    junk = sum(1 for c in text if ord(c) > 127 and c not in _ALLOWED_SYMBOLS
               and unicodedata.category(c)[0] not in "LMZ")
    junk += sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n\r")
    total = len(words) + junk
    return 1.0 if total == 0 else good / total


def valid_syllable_share(text: str) -> float:
    """Share of words that are valid Vietnamese syllables (NaN without words): how cleanly OCR
    read a text. Single letters (list markers) and capitalised non-syllables (acronyms such as
    UBND, GDĐT) are left out."""
    words = [w for w in _WORD.findall(unicodedata.normalize("NFC", text)) if len(w) > 1]
    valid = [_is_syllable(w.lower()) for w in words]
    counted = [ok for w, ok in zip(words, valid) if ok or not w.isupper()]
    return sum(counted) / len(counted) if counted else math.nan


# --- .docx ---------------------------------------------------------------------------------------
def _check_zip(path: Path, data: bytes, max_bytes: int) -> None:
    """Refuse a zip that would unpack to more than ``max_bytes`` or packs suspiciously well
    (a zip bomb): first from the sizes its directory declares, then by unpacking it in blocks
    and counting, since the declared sizes can lie. Nothing is kept; python-docx unpacks again."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(path, f"not a valid .docx file ({type(exc).__name__}); "
                              "open and re-save it in Word or LibreOffice") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ReadError(path, f"zip with {len(members):,} parts (limit {MAX_ZIP_MEMBERS:,}); "
                                  "not a Word document: open and re-save it in Word")
        _check_declared_sizes(path, members, max_bytes)
        unpacked = 0
        for member in members:
            with archive.open(member) as handle:
                while block := handle.read(1 << 20):
                    unpacked += len(block)
                    if unpacked > max_bytes:
                        raise ReadError(path, _unpacked_too_large(f"more than {_size(max_bytes)}", max_bytes))


def _check_declared_sizes(path: Path, members: list, max_bytes: int) -> None:
    declared = sum(member.file_size for member in members)
    if declared > max_bytes:
        raise ReadError(path, _unpacked_too_large(_size(declared), max_bytes))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECK_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ReadError(path, f"part {member.filename} packs {ratio:,.0f}:1 (limit "
                                  f"{MAX_COMPRESSION_RATIO}:1), as a zip bomb does; "
                                  "open and re-save it in Word, or give the text as .txt")


def _unpacked_too_large(size: str, max_bytes: int) -> str:
    return (f"unpacks to {size} (> limit {_size(max_bytes)}); split the document, "
            "or raise the limit with --max-file-mb")


def _read_docx(path: Path, data: bytes) -> tuple[str, str, str]:
    """Paragraphs and table cells of the document body, in document order."""
    import io

    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError on broken files
        raise ReadError(path, f"not a valid .docx file ({type(exc).__name__}); "
                              "open and re-save it in Word or LibreOffice") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    return "\n".join(lines), "docx", ""


def _table_lines(table) -> list[str]:
    """One line per distinct cell (merged cells repeat in python-docx, so skip repeats)."""
    lines: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            lines.append(cell.text)
    return lines


# --- .pdf ----------------------------------------------------------------------------------------
def _read_pdf(path: Path, data: bytes, ocr=None, timeout: float | None = None):
    """Text layer of every page (within ``timeout``), pages joined by a blank line; pages without
    one by OCR (``analysis.corpus.ocr``, as its settings say, each page bounded there)."""
    import io

    import pdfplumber

    from analysis.corpus.ocr import OcrSettings, read_pdf_text

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            with time_limit(timeout):
                layers = [page.extract_text() or "" for page in pdf.pages]
            return read_pdf_text(path.name, pdf, data, ocr or OcrSettings(), layers)
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged or encrypted files
        raise ReadError(path, f"not a readable PDF ({type(exc).__name__}); "
                              "re-export it as PDF or give the .docx") from None


# --- .html ---------------------------------------------------------------------------------------
_HTML_NEVER_TEXT = ("script", "style", "noscript", "template", "iframe", "svg", "button", "select",
                    "object", "embed", "head")
_HTML_FURNITURE = ("nav", "aside", "form", "menu", "header", "footer")
_HTML_FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "complementary", "menu", "search")
_HTML_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "section",
                "article", "main", "blockquote", "pre", "dd", "dt", "ul", "ol", "table", "figure",
                "figcaption", "caption", "header")
_DEBRIS_HINT = re.compile(r"(^|[-_ ])(nav|navbar|menu|breadcrumbs?|sidebar|footer|share|social|"
                          r"comments?|related|banner|cookie|advert|ads)($|[-_ ])", re.IGNORECASE)
_BLANK_RUNS = re.compile(r"\n\s*\n(\s*\n)+")


def _read_html(path: Path, data: bytes) -> tuple[str, str, str]:
    """Main text of a web page: navigation, scripts and page furniture dropped, blocks as lines.

    One walk over the tree finds the main element and the headings, a second one collects the
    text: both without recursion and in linear time, so a page nested 50,000 levels deep reads
    in seconds (inserting line breaks into the tree cost time quadratic in the depth).
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    root, holding_h1 = _main_element(soup)
    return _BLANK_RUNS.sub("\n\n", _block_text(root, holding_h1)), "html", ""


def _main_element(soup):
    """(main element, ids of elements holding an <h1>): the longest <article> (of the outermost
    ones: an article holds the text of those inside it), else <main>/[role=main], else <body>
    (or the whole page)."""
    from bs4 import Tag

    articles, mains, headings, stack = [], [], [], [(soup, False)]
    while stack:
        node, in_article = stack.pop()
        if node.name == "h1":
            headings.append(node)
        elif node.name == "main" or node.attrs.get("role") == "main":
            mains.append(node)
        elif node.name == "article" and not in_article:
            articles.append(node)
        inside = in_article or node.name == "article"
        stack.extend((child, inside) for child in reversed(node.contents) if isinstance(child, Tag))
    holding = _holding(headings)
    if articles:
        return max(articles, key=lambda tag: len(_block_text(tag, holding))), holding
    main = next((m for m in mains if m.name == "main"), mains[0] if mains else None)
    return main or soup.body or soup, holding


def _holding(headings: list) -> set[int]:
    """ids of the elements that contain one of ``headings`` (each ancestor visited once: linear)."""
    holding: set[int] = set()
    for heading in headings:
        for parent in heading.parents:
            if id(parent) in holding:
                break
            holding.add(id(parent))
    return holding


def _block_text(root, holding_h1: set[int]) -> str:
    """Text of ``root`` without never-text and furniture elements, a line break around blocks
    and for <br>; an explicit stack instead of recursion."""
    from bs4 import CData, NavigableString, Tag

    parts: list[str] = []
    stack: list = [(root, False)]
    while stack:
        node, in_article = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):  # a block's closing "\n"
            parts.append(node)
            continue
        if isinstance(node, NavigableString):
            if type(node) is NavigableString or type(node) is CData:  # what get_text() keeps
                parts.append(str(node))
            continue
        if not isinstance(node, Tag) or node is not root and (
                node.name in _HTML_NEVER_TEXT or _is_page_furniture(node, in_article, holding_h1)):
            continue
        if node.name == "br":
            parts.append("\n")
            continue
        if node.name in _HTML_BLOCKS:
            parts.append("\n")
            stack.append(("\n", in_article))
        inside = in_article or node.name == "article"
        stack.extend((child, inside) for child in reversed(node.contents))
    return "".join(parts)


def _is_page_furniture(tag, in_article: bool, holding_h1: set[int]) -> bool:
    """Menus, site header/footer, sidebars, share bars ...: by tag, ARIA role or class/id name.

    An article's own <header> (its title) is kept, and so is anything holding the <h1>.
    """
    if tag.name in _HTML_FURNITURE:
        return not (tag.name == "header" and in_article)
    attrs = tag.attrs
    if not attrs:
        return False
    if attrs.get("role") in _HTML_FURNITURE_ROLES:
        return True
    names = " ".join([*(attrs.get("class") or []), attrs.get("id") or ""])
    return bool(names.strip()) and _DEBRIS_HINT.search(names) is not None and id(tag) not in holding_h1


_READERS: dict[str, Callable[[Path, bytes], tuple[str, str, str]]] = {
    ".docx": _read_docx, ".html": _read_html, ".htm": _read_html,
}
