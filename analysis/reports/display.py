"""Small helpers the report notebooks call: parameter checks, HTML tables that escape
corpus text, evidence (kwic) display, figures, and the provenance cell.

Corpus text can contain anything (``<script>``, ``<img onerror=...>``): every value that
reaches HTML goes through :func:`html.escape` here, so a report shows it as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import subprocess
import time
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from analysis import __version__, paths

TABLE_CSS = """<style>
table.giaoban{border-collapse:collapse;margin:.5rem 0;font-size:.9em}
table.giaoban th,table.giaoban td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;
vertical-align:top;text-align:left !important}table.giaoban th{background:#f3f3f3}table.giaoban mark{background:#ffe58f}
.giaoban-note{color:#555;font-size:.9em}
</style>"""


class ReportParameterError(ValueError):
    """A report parameter has a value the corpus does not know."""


def nfc(text: Any) -> str:
    """NFC with canonical tone marks, stripped: "Hoà Bình" and "Hòa Bình" (NFC or NFD)
    are the same name."""
    from analysis.text.normalize import canonical_tone_marks

    return canonical_tone_marks(unicodedata.normalize("NFC", str(text))).strip()


def check_choice(name: str, value: str, valid: Iterable[str]) -> str:
    """``value`` in NFC if it is one of ``valid``, else one line listing the valid values."""
    valid = sorted({nfc(v) for v in valid})
    if nfc(value) not in valid:
        raise ReportParameterError(
            f"unknown {name} {value!r}; valid values: {', '.join(valid)}")
    return nfc(value)


def check_choices(name: str, values: Iterable[str], valid: Iterable[str]) -> list[str]:
    """Every element of ``values`` checked with :func:`check_choice` (order kept)."""
    valid = list(valid)
    return [check_choice(name, value, valid) for value in values]


def resolve_path(value: str, default: Path) -> Path:
    """A parameter path: empty means the kit's default; relative means from the repo root
    (so the result never depends on the kernel's working directory)."""
    if not value:
        return Path(default)
    path = Path(value).expanduser()
    return path if path.is_absolute() else paths.REPO_ROOT / path


# --------------------------------------------------------------------------- HTML


def escape(value: Any) -> str:
    """HTML-escaped text of any cell value (None/NaN -> empty)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def table_html(frame: pd.DataFrame, max_rows: int | None = None, floatfmt: str = "{:.3g}") -> str:
    """An HTML table of ``frame`` with every cell escaped."""
    frame = frame if max_rows is None else frame.head(max_rows)
    head = "".join(f"<th>{escape(c)}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = [floatfmt.format(v) if isinstance(v, float) and not pd.isna(v) else escape(v)
                 for v in values]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f'<table class="giaoban"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def show_table(frame: pd.DataFrame, caption: str = "", max_rows: int | None = None) -> None:
    """Display ``frame`` as an escaped HTML table, with an optional caption."""
    from IPython.display import HTML, display

    note = f'<p class="giaoban-note">{escape(caption)}</p>' if caption else ""
    empty = '<p class="giaoban-note">(no rows)</p>' if frame.empty else ""
    display(HTML(TABLE_CSS + note + (empty or table_html(frame, max_rows))))


def highlight(text: str, start: int, end: int) -> str:
    """Escaped ``text`` with the span ``start:end`` wrapped in <mark>."""
    text = str(text)
    return (escape(text[:start]) + "<mark>" + escape(text[start:end]) + "</mark>"
            + escape(text[end:]))


def show_evidence(frame: pd.DataFrame, caption: str = "", max_rows: int = 50) -> None:
    """Display evidence passages: every column escaped, the matched words marked.

    ``frame`` needs ``text``, ``start`` and ``end`` (span of the match in ``text``);
    other columns (document, role, topic ...) are shown before the passage.
    """
    from IPython.display import HTML, display

    meta = [c for c in frame.columns if c not in ("text", "start", "end")]
    head = "".join(f"<th>{escape(c)}</th>" for c in [*meta, "passage"])
    rows = []
    for _, row in frame.head(max_rows).iterrows():
        cells = [escape(row[c]) for c in meta]
        cells.append(highlight(row["text"], int(row["start"]), int(row["end"])))
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    more = (f'<p class="giaoban-note">… {len(frame) - max_rows} more</p>'
            if len(frame) > max_rows else "")
    note = f'<p class="giaoban-note">{escape(caption)}</p>' if caption else ""
    display(HTML(f'{TABLE_CSS}{note}<table class="giaoban"><thead><tr>{head}</tr></thead>'
                 f"<tbody>{''.join(rows)}</tbody></table>{more}"))


def figure_png(figure: Any, dpi: int = 110) -> bytes:
    """PNG bytes of a matplotlib figure, whatever the active backend."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def show_figure(figure: Any) -> None:
    """Display a matplotlib figure once as an embedded PNG, then free it.

    The PNG is made here rather than by the inline backend, because ``analysis.figures``
    selects Agg (for servers), which turns the inline display off.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    display(Image(data=figure_png(figure), format="png"))
    plt.close(figure)


# --------------------------------------------------------------------------- provenance


def start_clock() -> dict[str, Any]:
    """Call in the first cell; pass the result to :func:`provenance`."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    return {"started": now.isoformat(), "clock": time.monotonic()}


@dataclass(frozen=True)
class ReportStart:
    """What every report notebook starts from: its clock, resolved paths and the build tables."""

    clock: dict[str, Any]
    build: Path
    codebook: Path
    tables: dict[str, pd.DataFrame]


def start_report(build_dir: str, codebook: str) -> ReportStart:
    """Start a report: clock, ``build_dir``/``codebook`` parameters resolved, build tables read.

    Library deprecation warnings are silenced for the rest of the run: they are not for readers.
    """
    from analysis.reports.runner import load_build

    warnings.simplefilter("ignore", FutureWarning)
    clock = start_clock()
    build = resolve_path(build_dir, paths.BUILD_DIR)
    return ReportStart(clock, build, resolve_path(codebook, paths.DEFAULT_CODEBOOK), load_build(build))


def git_commit() -> str:
    """Commit of the kit's checkout, or "" when not a git checkout / git missing."""
    try:
        out = subprocess.run(["git", "-C", str(paths.REPO_ROOT), "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def corpus_hash(documents: pd.DataFrame) -> str:
    """Hash of the corpus content: the sorted sha256 of its documents."""
    digest = hashlib.sha256("\n".join(sorted(documents["sha256"].astype(str))).encode())
    return digest.hexdigest()


def codebook_hash(path: str | Path) -> str:
    """The codebook's content hash (the one trained models record), or "missing"."""
    from analysis.topics.codebook import load_codebook

    return load_codebook(path).hash if Path(path).is_file() else "missing"


def provenance(clock: dict[str, Any], parameters: dict[str, Any], documents: pd.DataFrame,
               codebook: str | Path) -> pd.DataFrame:
    """What this report was made from and when: a two-column table."""
    seconds = time.monotonic() - clock["clock"]
    rows = [
        ("kit version", __version__),
        ("git commit", git_commit() or "(not a git checkout)"),
        ("corpus hash", corpus_hash(documents)),
        ("documents", str(len(documents))),
        ("codebook", str(codebook)),
        ("codebook hash", codebook_hash(codebook)),
        ("parameters", json.dumps(parameters, ensure_ascii=False, sort_keys=True)),
        ("started (UTC)", clock["started"]),
        ("ran for", f"{seconds:.1f} s"),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def ocr_marks(documents: pd.DataFrame) -> list[str]:
    """A visible mark per document read (partly) by OCR, with its mean word confidence; "" for
    documents read from text (and for tables made before the kit read scans)."""
    sources = documents.get("text_source", pd.Series("", index=documents.index)).fillna("")
    confidence = documents.get("ocr_confidence", pd.Series(float("nan"), index=documents.index))
    return [f"OCR{' (some pages)' if source == 'mixed' else ''}, confidence {conf:.2f}"
            if source in ("ocr", "mixed") else "" for source, conf in zip(sources, confidence)]
