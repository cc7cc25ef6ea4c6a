"""PDF pages without a text layer, read by Tesseract OCR (Vietnamese model) through pytesseract.

``read_pdf_text`` decides page by page: a page with a text layer is read as text; a page without
one (a scan) is rendered, OCR'd (turned first when it was scanned sideways or upside down) and
its text repaired by general rules (``repair_ocr_text``).
``--ocr auto`` (default) OCRs only pages without text, ``never`` refuses them as before, ``always``
OCRs every page (for PDFs whose text layer is garbage). Each document records where its text
came from (``text``, ``ocr``, ``mixed``) and, for OCR, two quality figures: the mean Tesseract
word confidence and the share of words that are valid Vietnamese syllables.

OCR results are cached per file (content hash + engine settings) in ``<build>/ocr_cache``, so a
re-run on unchanged files does no OCR even when other ingest rules changed. Pages run in
parallel threads (``jobs``), each a Tesseract process limited to one OpenMP thread.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from analysis.corpus.readers import _is_syllable, valid_syllable_share
from analysis.io import write_text_atomic
from analysis.text.normalize import normalize_text

__all__ = ["INSTALL_HINT", "MIN_CONFIDENCE", "MIN_VALID_SYLLABLES", "OCR_MODES", "OcrSettings",
           "PdfText", "engine_signature", "needs_check", "read_pdf_text", "repair_ocr_text"]

OCR_MODES = ("auto", "never", "always")
OCR_LANGUAGE = "vie"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie"
OCR_CACHE_DIR = "ocr_cache"
CACHE_FORMAT = 2  # bump when the cached page format, the rendering or the OCR procedure changes
# Documents whose OCR text falls below either figure go on the ingest's "check" list. Measured on
# scans of the seeds (tests/ocr_fixtures.py): clean 300 dpi pages give a confidence of 0.95-0.96
# and 0.996-1.0 valid syllables (character error rate 0.02-0.2%); a noisy 200 dpi scan 0.92-0.93
# (CER ~2%); a blurred, noisy 150 dpi scan 0.80 and 0.985 (CER ~11%). The syllable share moves
# little (most misreadings are still syllables) and catches only garbage, such as a page in
# another script or upside down.
MIN_CONFIDENCE = 0.90
MIN_VALID_SYLLABLES = 0.95
# A page is a scan when its text layer has fewer letters than this and an image covers most of
# it (a scanned page often carries a digital-signature or page-number text overlay).
MIN_TEXT_LAYER_LETTERS = 40
SCAN_IMAGE_COVER = 0.5
DEFAULT_DPI = 300  # pages without an image (outlined text) and the clamp range for scans
DPI_RANGE = (150, 400)
PAGE_TIMEOUT_SECONDS = 300
# Below this mean word confidence a page may be turned (upright scans of the seeds: 0.80-0.96;
# the same pages upside down or sideways: about 0.45).
TURNED_PAGE_CONFIDENCE = 0.6
TESSERACT_CONFIG = "--oem 1 --psm 3"


@dataclass(frozen=True)
class OcrSettings:
    """How PDF pages are OCR'd: ``mode`` (auto/never/always), ``jobs`` pages in parallel, the
    folder of cached OCR results (None: no cache; ingest uses ``<build>/ocr_cache``) and the
    Tesseract program (``GIAOBAN_TESSERACT``, else ``tesseract`` on the PATH)."""

    mode: str = "auto"
    jobs: int = 1
    cache_dir: Path | None = None
    tesseract_cmd: str = field(default_factory=lambda: os.environ.get("GIAOBAN_TESSERACT", "tesseract"))

    def __post_init__(self) -> None:
        if self.mode not in OCR_MODES:
            raise ValueError(f"--ocr {self.mode!r}: choose one of {', '.join(OCR_MODES)}")
        if self.jobs < 1:
            raise ValueError(f"--jobs {self.jobs}: give 1 or more")

    def cache_token(self) -> str:
        """What decides the OCR result of a PDF: the mode and the engine (version, model, options)."""
        return f"{self.mode}|{engine_signature(self.tesseract_cmd) or 'no-tesseract'}"


@dataclass(frozen=True)
class PdfText:
    """Text of a PDF, where it came from, OCR quality figures (NaN without OCR) and one-line notes
    on pages that could not be read."""

    text: str
    text_source: str  # "text", "ocr" or "mixed"
    ocr_confidence: float = math.nan
    ocr_valid_syllables: float = math.nan
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageOcr:
    """Tesseract's reading of one page: text (lines, blank line between blocks) and confidences."""

    text: str
    conf_sum: float
    words: int


# --- the engine ----------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def engine_signature(tesseract_cmd: str) -> str:
    """Tesseract version + hash of its Vietnamese model + options; "" when either is missing."""
    executable = shutil.which(tesseract_cmd)
    if executable is None:
        return ""
    try:
        version = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60)
        langs = subprocess.run([executable, "--list-langs"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return ""
    listing = langs.stdout + langs.stderr
    if OCR_LANGUAGE not in listing.split():
        return ""
    folder = re.search(r'"([^"]+)"', listing)
    model = Path(folder.group(1)) / f"{OCR_LANGUAGE}.traineddata" if folder else None
    model_hash = hashlib.sha256(model.read_bytes()).hexdigest()[:12] if model and model.is_file() else "?"
    first_line = (version.stdout or version.stderr).splitlines()[:1]
    return f"{' '.join(first_line)}|{OCR_LANGUAGE}:{model_hash}|{TESSERACT_CONFIG}|{CACHE_FORMAT}"


def _missing_engine(tesseract_cmd: str) -> str:
    """What to install: the program or only its Vietnamese model."""
    if shutil.which(tesseract_cmd) is None:
        return f"Tesseract OCR is not installed ({INSTALL_HINT})"
    return f"Tesseract has no Vietnamese model ({INSTALL_HINT})"


# --- which pages need OCR ------------------------------------------------------------------------
def _image_cover(page) -> float:
    """Share of the page area covered by images (overlaps counted once per image)."""
    area = float(page.width * page.height) or 1.0
    covered = sum(max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
                  * max(0.0, min(im["bottom"], page.height) - max(im["top"], 0)) for im in page.images)
    return min(covered / area, 1.0)


def _needs_ocr(page, text: str) -> bool:
    """No text layer, or a few words over a page-sized image (a scan with an overlay)."""
    letters = sum(ch.isalpha() for ch in text)
    if letters == 0:
        return True
    return letters < MIN_TEXT_LAYER_LETTERS and _image_cover(page) >= SCAN_IMAGE_COVER


def _scan_dpi(page) -> int:
    """Resolution to render at: the scan's own (its largest image), else DEFAULT_DPI."""
    images = [im for im in page.images if im.get("srcsize") and im["x1"] > im["x0"]]
    if not images:
        return DEFAULT_DPI
    largest = max(images, key=lambda im: (im["x1"] - im["x0"]) * (im["bottom"] - im["top"]))
    dpi = largest["srcsize"][0] / ((largest["x1"] - largest["x0"]) / 72)
    return int(min(max(round(dpi), DPI_RANGE[0]), DPI_RANGE[1]))


def _render(page) -> tuple:
    """Page image for Tesseract (red channel: a red seal or stamp fades out, black text stays)."""
    dpi = _scan_dpi(page)
    image = page.to_image(resolution=dpi, antialias=True).original
    return image.convert("RGB").getchannel("R"), dpi


# --- OCR of one page -----------------------------------------------------------------------------
def _page_from_data(data: dict) -> PageOcr:
    """Words of Tesseract's TSV output back into lines (a blank line between blocks)."""
    blocks: dict[int, dict[tuple[int, int], list[str]]] = {}
    conf_sum, words = 0.0, 0
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if data["level"][i] != 5 or not word:
            continue
        lines = blocks.setdefault(data["block_num"][i], {})
        lines.setdefault((data["par_num"][i], data["line_num"][i]), []).append(word)
        conf = float(data["conf"][i])
        if conf >= 0:
            conf_sum, words = conf_sum + conf, words + 1
    text = "\n\n".join("\n".join(" ".join(line) for line in lines.values()) for lines in blocks.values())
    return PageOcr(text=text, conf_sum=conf_sum, words=words)


def _tesseract(image, dpi: int, page_file: Path) -> PageOcr:
    """Tesseract on one page image, handed over as an uncompressed PGM file (pytesseract's own
    PNG encoding costs more than a second per page, in the Python process)."""
    import pytesseract

    image.save(page_file, format="PPM")
    data = pytesseract.image_to_data(str(page_file), lang=OCR_LANGUAGE, timeout=PAGE_TIMEOUT_SECONDS,
                                     config=f"{TESSERACT_CONFIG} --dpi {dpi}", output_type=pytesseract.Output.DICT)
    return _page_from_data(data)


def _turn_needed(page_file: Path) -> int:
    """Degrees (clockwise) that Tesseract's orientation detection would turn the page by; 0
    when it cannot tell (too few letters, no ``osd`` model)."""
    import pytesseract

    try:
        found = pytesseract.image_to_osd(str(page_file), config="--psm 0", timeout=PAGE_TIMEOUT_SECONDS,
                                         output_type=pytesseract.Output.DICT)
    except (RuntimeError, pytesseract.TesseractError):
        return 0
    return int(found.get("rotate", 0)) % 360


def _mean_confidence(page: PageOcr) -> float:
    return page.conf_sum / page.words / 100 if page.words else 0.0


def _ocr_image(image, dpi: int) -> PageOcr:
    """OCR of one page; a page read with a very low confidence may be turned (scanned sideways or
    upside down): orientation detection is asked, and the better of the two readings kept."""
    with tempfile.TemporaryDirectory(prefix="giaoban-ocr-") as folder:
        page_file = Path(folder) / "page.pgm"
        page = _tesseract(image, dpi, page_file)
        if _mean_confidence(page) >= TURNED_PAGE_CONFIDENCE:
            return page
        turn = _turn_needed(page_file)
        if not turn:
            return page
        turned = _tesseract(image.rotate(-turn, expand=True), dpi, page_file)
    return max(page, turned, key=_mean_confidence)


# --- the cache -----------------------------------------------------------------------------------
def _cache_file(settings: OcrSettings, data: bytes) -> Path | None:
    if settings.cache_dir is None:
        return None
    engine = engine_signature(settings.tesseract_cmd)
    key = hashlib.sha256(hashlib.sha256(data).digest() + engine.encode()).hexdigest()[:32]
    return Path(settings.cache_dir) / f"{key}.json"


def _load_cache(path: Path | None) -> dict[int, PageOcr]:
    try:
        pages = json.loads(path.read_text(encoding="utf-8"))["pages"] if path else {}
        return {int(k): PageOcr(**v) for k, v in pages.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _save_cache(path: Path | None, pages: dict[int, PageOcr]) -> None:
    if path is None:
        return
    payload = {str(k): vars(v) for k, v in sorted(pages.items())}
    write_text_atomic(path, json.dumps({"pages": payload}, ensure_ascii=False))


# --- OCR of a PDF's pages, in parallel -----------------------------------------------------------
def _rendered(pdf, indices: list[int]) -> Iterator[tuple[int, object, int]]:
    for index in indices:
        image, dpi = _render(pdf.pages[index])
        yield index, image, dpi


def _ocr_pages(pdf, indices: list[int], settings: OcrSettings, name: str) -> tuple[dict[int, PageOcr], list[str]]:
    """OCR the given pages (rendered one window at a time in this thread: pdfium is not
    thread-safe; Tesseract runs in ``jobs`` threads). Failed pages give a one-line warning."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = shutil.which(settings.tesseract_cmd) or settings.tesseract_cmd
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # our threads are the parallelism
    results: dict[int, PageOcr] = {}
    warnings: list[str] = []
    window = 2 * settings.jobs
    with ThreadPoolExecutor(max_workers=settings.jobs) as pool:
        for start in range(0, len(indices), window):
            batch = list(_rendered(pdf, indices[start:start + window]))
            futures = [(index, pool.submit(_ocr_image, image, dpi)) for index, image, dpi in batch]
            for index, future in futures:
                try:
                    results[index] = future.result()
                except (RuntimeError, OSError, pytesseract.TesseractError) as exc:
                    reason = " ".join(str(exc).split())[:120]
                    warnings.append(f"{name}: page {index + 1} could not be OCR'd ({reason}); check the scan")
    return results, warnings


def _ocr_results(name: str, pdf, data: bytes, wanted: list[int],
                 settings: OcrSettings) -> tuple[dict[int, PageOcr], list[str]]:
    """OCR results of the wanted pages, from the cache where possible; a note when the engine is
    missing (the pages are then left out, the rest of the file is still read)."""
    if not wanted:
        return {}, []
    if not engine_signature(settings.tesseract_cmd):
        pages = ", ".join(str(i + 1) for i in wanted[:10]) + (" ..." if len(wanted) > 10 else "")
        return {}, [f"{name}: page(s) {pages} without a text layer not read: "
                    f"{_missing_engine(settings.tesseract_cmd)}"]
    cache_path = _cache_file(settings, data)
    cached = _load_cache(cache_path)
    missing = [i for i in wanted if i not in cached]
    fresh, warnings = _ocr_pages(pdf, missing, settings, name) if missing else ({}, [])
    if fresh:
        _save_cache(cache_path, {**cached, **fresh})
    results = {**cached, **fresh}
    return {i: results[i] for i in wanted if i in results}, warnings


def _pages_to_ocr(pdf, layers: list[str], mode: str) -> list[int]:
    if mode == "never":
        return []
    if mode == "always":
        return list(range(len(layers)))
    return [i for i, (page, text) in enumerate(zip(pdf.pages, layers)) if _needs_ocr(page, text)]


def read_pdf_text(name: str, pdf, data: bytes, settings: OcrSettings, layers: list[str] | None = None) -> PdfText:
    """Text of an open pdfplumber PDF: text layer or OCR page by page, as ``settings.mode`` says
    (``layers``: each page's text layer, when the caller has read them already).

    Raises ``ReadError`` when no page gives any text (with what to install if OCR was needed).
    """
    from analysis.corpus.readers import ReadError

    if layers is None:
        layers = [page.extract_text() or "" for page in pdf.pages]
    wanted = _pages_to_ocr(pdf, layers, settings.mode)
    ocr, warnings = _ocr_results(name, pdf, data, wanted, settings)
    ocr_texts = {i: repair_ocr_text(page.text) for i, page in ocr.items() if page.text.strip()}
    texts = [ocr_texts.get(i, layer) for i, layer in enumerate(layers)]
    if not any(text.strip() for text in texts):
        raise ReadError(name, _nothing_read(settings, warnings))
    sources = {"ocr" if i in ocr_texts else "text" for i, text in enumerate(texts) if text.strip()}
    text_source = "mixed" if len(sources) > 1 else sources.pop()
    if not ocr_texts:
        return PdfText("\n\n".join(texts), text_source, warnings=tuple(warnings))
    words = sum(ocr[i].words for i in ocr_texts)
    confidence = sum(ocr[i].conf_sum for i in ocr_texts) / words / 100 if words else math.nan
    syllables = valid_syllable_share(normalize_text("\n".join(ocr_texts.values())))
    return PdfText("\n\n".join(texts), text_source, round(confidence, 4), round(syllables, 4), tuple(warnings))


def _nothing_read(settings: OcrSettings, warnings: list[str]) -> str:
    if settings.mode == "never":
        return ("PDF has no text layer (scanned image) and needs OCR; ingest with --ocr auto "
                f"(Tesseract: {INSTALL_HINT})")
    if not engine_signature(settings.tesseract_cmd):
        return f"PDF has no text layer (scanned image) and needs OCR, but {_missing_engine(settings.tesseract_cmd)}"
    if warnings:
        return warnings[0].split(": ", 1)[-1]
    return "no text found, neither in the text layer nor by OCR of its pages; check that it is the right file"


def needs_check(confidence, valid_syllables):
    """Whether OCR quality figures (numbers or Series; NaN: no OCR) call for a human look."""
    return (confidence < MIN_CONFIDENCE) | (valid_syllables < MIN_VALID_SYLLABLES)


# --- repairs of typical OCR errors ---------------------------------------------------------------
# General rules only: each fixes a reading that no Vietnamese text has, never a listed word, and
# leaves correct text unchanged (a test runs them over the seeds).
# Look-alike characters that Tesseract's Vietnamese model emits; Vietnamese uses only the second.
_CONFUSABLES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u00a1": "i"})
# A word of I's and l's with at least one l: no Vietnamese word, a Roman numeral misread (I → l).
_ROMAN_WITH_L = re.compile(r"(?<![^\W_])[Il]*l[Il]*(?![^\W_])")
# A vertical bar opening a line before "." or ")" is the numeral I of a heading ("|. Kết quả").
_BAR_NUMERAL = re.compile(r"(?m)^\|(?=[IVX]*[.)]\s)")
# A list number read with a comma ("5, Các đơn vị"): a line never opens with "5, " + capital.
_COMMA_MARKER = re.compile(r"(?m)^((?:\d{1,2}|[IVX]{1,5})),(?= [^\W\d_])")
# Specks read as a lone circumflex, tilde, backtick, underscore or bar, which no text has alone.
_SPECKS = re.compile(r"(?<!\S)[\u02c6\u02dc`´¨¸~_|¿⁄]+(?:\s+|$)")
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aăâeêioôơuưy")
_HORN = "\u031b"
# ươ with one horn lost (NFD): "ưo" is no Vietnamese vowel, nor is "uơ" before a final consonant
# (only open "thuở", "huơ"): "trưong", "truờng" → "trương", "trường".
_HORNLESS_O = re.compile(f"(?<=u{_HORN})([\u0300-\u0323]*o)(?!{_HORN})", re.IGNORECASE)
_HORNLESS_U = re.compile(f"(?<=u)(?!{_HORN})([\u0300-\u0323]*o{_HORN}[\u0300-\u0323]*(?:ng|nh|c|ch|m|n|p|t|i|u))",
                         re.IGNORECASE)


def _comma_marker(match: re.Match) -> str:
    after = match.string[match.end() + 1:match.end() + 2]
    return f"{match.group(1)}." if after.isupper() else match.group(0)


@functools.lru_cache(maxsize=65536)
def _repair_word(word: str) -> str:
    """Case mixed inside a word ("GiAM", "bỊ") and a lost horn of ươ, each only where it turns
    a non-syllable into a syllable (acronyms such as "ThS" or names such as "vnEdu" stay)."""
    if not (word.islower() or word.isupper() or word.istitle()):
        cased = word.upper() if word[0].isupper() else word.lower()
        word = cased if _is_syllable(cased.lower()) else word
    decomposed = unicodedata.normalize("NFD", word)
    horned = _HORNLESS_U.sub(_HORN + r"\1", _HORNLESS_O.sub(r"\1" + _HORN, decomposed))
    if horned != decomposed:
        fixed = unicodedata.normalize("NFC", horned)
        return fixed if _is_syllable(fixed.lower()) else word
    return word


def _vowelless(word: str) -> bool:
    base = unicodedata.normalize("NFD", word.lower())
    return not any(ch in _VOWELS for ch in base)


def _joins(left: str, right: str) -> bool:
    """Two words split by a spurious space: neither a syllable but their join is ("ngh iệp" is
    not: "iệp" is), or a vowel-less bit ("th", "ng") that makes a syllable with its neighbour."""
    if not (_WORD.fullmatch(left) and _WORD.fullmatch(right)) or (left + right).isupper():
        return False
    if not _is_syllable((left + right).lower()):
        return False
    left_alone, right_alone = _is_syllable(left.lower()), _is_syllable(right.lower())
    if not left_alone and not right_alone:
        return True
    return (not left_alone and len(left) <= 3 and _vowelless(left) and right.islower()) or \
        (not right_alone and len(right) <= 2 and _vowelless(right) and right.islower())


def _rejoin_fragments(line: str) -> str:
    out: list[str] = []
    for word in line.split(" "):
        if out and _joins(out[-1], word):
            out[-1] += word
        else:
            out.append(word)
    return " ".join(out)


def repair_ocr_text(text: str) -> str:
    """Repair OCR errors that a general rule can: look-alike letters (Icelandic Ð for Đ), Roman
    numerals read with l or | ("lII." → "III."), list numbers read with a comma, lone specks,
    case mixed inside a word, a lost horn of ươ, and syllables split by a spurious space. The
    result then goes through ``normalize_text`` like any other text."""
    text = unicodedata.normalize("NFC", text).translate(_CONFUSABLES)
    text = _ROMAN_WITH_L.sub(lambda m: m.group(0).replace("l", "I"), text)
    text = _BAR_NUMERAL.sub("I", text)
    text = _COMMA_MARKER.sub(_comma_marker, text)
    text = "\n".join(_SPECKS.sub("", line).rstrip() for line in text.split("\n"))
    text = _WORD.sub(lambda m: _repair_word(m.group(0)), text)
    return "\n".join(_rejoin_fragments(line) for line in text.split("\n"))
