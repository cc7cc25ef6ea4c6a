"""Scanned-PDF fixtures: a seed's text printed on page images and saved as an image-only PDF.

Used by the OCR tests (session fixtures) and ``bench/bench_ocr.py``. Each page is drawn with
Pillow in DejaVu Sans at a given resolution, then turned slightly and given scanner noise (a
fixed random seed per page, so every run makes the same bytes). ``STAMPED`` adds a red seal
over the signature, ``DEGRADED`` is a worse scan of the same text (lower resolution, blur,
heavier noise, a larger turn).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# DejaVu Sans at 11 pt: the lines of the hard-wrapped seeds fit the printed width as they are.
FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",)
A4_INCHES = (8.27, 11.69)
MARGINS_INCHES = (1.0, 0.8, 0.8, 0.8)  # left, top, right, bottom
FONT_POINTS = 11
LINE_SPACING = 1.45
PARAGRAPH_GAP = 0.5  # extra line heights for a blank line in the source


@dataclass(frozen=True)
class ScanStyle:
    """How a page is 'scanned'."""

    dpi: int = 300
    max_turn_degrees: float = 0.6
    noise_sigma: float = 4.0
    speckles: float = 0.0003  # share of pixels flipped to dark dots
    blur: float = 0.0
    stamp: bool = False
    jpeg_quality: int = 60


CLEAN = ScanStyle()
STAMPED = ScanStyle(stamp=True)
# A worse scan of the same page: 150 dpi, blurred, noisy, turned more, heavily compressed.
DEGRADED = ScanStyle(dpi=150, max_turn_degrees=1.5, noise_sigma=34.0, speckles=0.004, blur=1.25,
                     stamp=True, jpeg_quality=40)


def _font(size_px: int) -> ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size_px)
    import matplotlib  # ships DejaVu Sans

    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf"), size_px)


def _wrap(line: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap of one source line to the printable width."""
    words, rows, current = line.split(), [], ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > width:
            rows.append(current)
            current = word
        else:
            current = candidate
    return rows + ([current] if current else [])


def layout_pages(text: str, dpi: int) -> list[list[tuple[float, str]]]:
    """Source lines wrapped to an A4 page: per page, (y offset in px, printed line)."""
    font = _font(round(FONT_POINTS * dpi / 72))
    left, top, right, bottom = (m * dpi for m in MARGINS_INCHES)
    width, height = A4_INCHES[0] * dpi - left - right, A4_INCHES[1] * dpi - bottom
    step = FONT_POINTS * dpi / 72 * LINE_SPACING
    pages: list[list[tuple[float, str]]] = [[]]
    y = top
    for source_line in text.split("\n"):
        rows = _wrap(source_line, font, width)
        if not rows:
            y += step * PARAGRAPH_GAP
            continue
        for row in rows:
            if y + step > height:
                pages.append([])
                y = top
            pages[-1].append((y, row))
            y += step
    return [page for page in pages if page]


def _page_image(rows: list[tuple[float, str]], style: ScanStyle, rng: np.random.Generator,
                stamp: bool) -> Image.Image:
    """One printed page, turned, blurred and noisy; grey unless it carries the (red) stamp."""
    dpi = style.dpi
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    page = Image.new("RGB" if stamp else "L", size, "white")
    draw = ImageDraw.Draw(page)
    font = _font(round(FONT_POINTS * dpi / 72))
    left = MARGINS_INCHES[0] * dpi
    for y, row in rows:
        draw.text((left, y), row, fill="#141414", font=font)
    if stamp:
        _draw_stamp(page, rows, rng)
    turn = float(rng.uniform(-style.max_turn_degrees, style.max_turn_degrees))
    page = page.rotate(turn, resample=Image.Resampling.BICUBIC, fillcolor="white")
    if style.blur:
        page = page.filter(ImageFilter.GaussianBlur(style.blur))
    pixels = np.asarray(page, dtype=np.float32)
    noise = rng.standard_normal(pixels.shape[:2], dtype=np.float32) * style.noise_sigma
    pixels = pixels + (noise[..., None] if pixels.ndim == 3 else noise)
    pixels[rng.random(pixels.shape[:2], dtype=np.float32) < style.speckles] = 40.0
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), page.mode)


def _draw_stamp(page: Image.Image, rows: list[tuple[float, str]], rng: np.random.Generator) -> None:
    """A red seal (two rings and a blot) over the start of the last two printed lines, where a
    department's seal overlaps the signer's title and name. Ink multiplies: print stays black."""
    seal = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(seal)
    width = page.size[0]
    radius = width * 0.1
    cx = MARGINS_INCHES[0] * width / A4_INCHES[0] + radius * float(rng.uniform(0.5, 0.9))
    cy = (rows[-1][0] + rows[max(len(rows) - 2, 0)][0]) / 2
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=(215, 45, 55),
                 width=max(4, round(radius * 0.06)))
    inner = radius * 0.72
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=(225, 70, 80),
                 width=max(2, round(radius * 0.02)))
    blot = radius * 0.35
    draw.ellipse((cx - blot, cy - blot * 0.8, cx + blot, cy + blot * 0.8), fill=(235, 120, 130))
    page.paste(ImageChops.multiply(page, seal))


def scan_pages(text: str, style: ScanStyle = CLEAN, seed: int = 0) -> list[Image.Image]:
    """Page images of ``text`` printed and 'scanned' in ``style`` (deterministic for a seed)."""
    pages = layout_pages(text, style.dpi)
    images = []
    for number, rows in enumerate(pages):
        rng = np.random.default_rng([seed, number])
        images.append(_page_image(rows, style, rng, stamp=style.stamp and number == len(pages) - 1))
    return images


def write_image_pdf(images: list[Image.Image], path: Path, dpi: int, quality: int = 85) -> Path:
    """Save page images as a PDF with no text layer (one JPEG image per page)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    images[0].save(path, "PDF", resolution=dpi, save_all=True, append_images=images[1:], quality=quality)
    return path


def scanned_pdf(text: str, path: Path, style: ScanStyle = CLEAN, name: str = "") -> Path:
    """Write ``text`` as a scanned, image-only PDF at ``path``."""
    seed = zlib.crc32((name or path.name).encode())
    return write_image_pdf(scan_pages(text, style, seed), path, style.dpi, style.jpeg_quality)


def scanned_seed_corpus(target: Path, style: ScanStyle = STAMPED) -> Path:
    """``target/raw/<seed>.pdf`` for every seed, scanned in ``style``, and the seeds' manifest
    with its rows pointing at the PDFs. Returns ``target``."""
    from analysis import paths

    for seed in sorted(paths.RAW_DIR.glob("*.txt")):
        scanned_pdf(seed.read_text(encoding="utf-8"), target / "raw" / f"{seed.stem}.pdf", style)
    manifest = paths.MANIFEST_PATH.read_text(encoding="utf-8")
    (target / "manifest.csv").write_text(manifest.replace(".txt,", ".pdf,"), encoding="utf-8")
    return target


def _dejavu() -> str:
    return next(p for p in FONT_PATHS if Path(p).is_file())


def mixed_pdf(typed_text: str, scanned_text: str, path: Path, overlay: str = "") -> Path:
    """A PDF whose first page has a text layer (``typed_text``) and whose other pages are scans
    of ``scanned_text``, each with a small visible text ``overlay`` (a signature stamp's line)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=_dejavu())
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for line in typed_text.split("\n"):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_auto_page_break(False)  # the overlay sits in the bottom margin
    for image in scan_pages(scanned_text, CLEAN, seed=zlib.crc32(path.name.encode())):
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=pdf.w, h=pdf.h)
        if overlay:
            pdf.set_xy(10, pdf.h - 12)
            pdf.cell(0, 5, overlay)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
