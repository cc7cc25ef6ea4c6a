"""Small helpers the notebooks call: the start of a report (parameters checked, build read,
style and table library on the page), display of the HTML that ``report_html`` makes, headings
and notes in the reader's language, figures with alt text, the provenance table; and for the
exploration notebooks, plain escaped tables and figures.

Corpus text can contain anything (``<script>``, ``<img onerror=...>``): every value that
reaches HTML goes through :func:`html.escape` here, so a report shows it as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import __version__, paths
from analysis.reports.params import ReportParameterError, check_choice, check_choices, resolve_path  # noqa: F401
from analysis.reports.report_html import escape

TABLE_CSS = """<style>
table.giaoban{border-collapse:collapse;margin:.5rem 0;font-size:.9em}
table.giaoban th,table.giaoban td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;
vertical-align:top;text-align:left !important}table.giaoban th{background:#f3f3f3}table.giaoban mark{background:#ffe58f}
.giaoban-note{color:#555;font-size:.9em}
</style>"""


# --------------------------------------------------------------------------- HTML


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
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {"started": now.isoformat(), "clock": time.monotonic()}


@dataclass(frozen=True)
class ReportStart:
    """What every report notebook starts from: its clock, resolved paths, the build tables, the
    parameters ``analyze`` recorded, and the reader's language with the codebook's topic labels."""

    clock: dict[str, Any]
    build: Path
    codebook: Path
    tables: dict[str, pd.DataFrame]
    topics: list[str]  # of the codebook the build's tags were made with
    analysis: dict[str, Any]
    lang: str
    labels: dict[str, str]


def start_report(build_dir: str, codebook: str, lang: str = "vi") -> ReportStart:
    """Start a report: clock, ``build_dir``/``codebook``/``lang`` parameters checked, build tables
    read, the report's style and the offline table library (itables) put on the page.

    Library deprecation warnings are silenced for the rest of the run: they are not for readers.
    """
    from analysis import build as build_folder
    from analysis.reports import i18n, views
    from analysis.topics.codebook import load_codebook

    warnings.simplefilter("ignore", FutureWarning)
    clock = start_clock()
    lang = i18n.check_lang(lang)
    build = resolve_path(build_dir, paths.BUILD_DIR)
    codebook_path = resolve_path(codebook, paths.DEFAULT_CODEBOOK)
    loaded = load_codebook(codebook_path)
    topics = build_folder.tagged_topics(build) or loaded.ids
    tables = build_folder.read_build(build)
    start = ReportStart(clock, build, codebook_path, tables, topics, views.analysis_parameters(build),
                        lang, i18n.topic_labels(loaded, lang))
    _page_setup()
    return start


def _page_setup() -> None:
    """The report's CSS and the DataTables bundle, inlined once (no request to another host)."""
    import itables
    from IPython.display import HTML, display

    from analysis.reports.report_html import REPORT_CSS

    display(HTML(REPORT_CSS))
    itables.init_notebook_mode(all_interactive=False, connected=False)


def show_html(html_text: str) -> None:
    """Display finished HTML (made by ``report_html``) inside the report's styled block."""
    from IPython.display import HTML, display

    display(HTML(f'<div class="giaoban-report">{html_text}</div>'))


def show_heading(start: ReportStart, key: str, level: int = 2, **values: Any) -> None:
    """A heading in the report's language."""
    from analysis.reports import i18n

    show_html(f"<h{level}>{escape(i18n.text(start.lang, key, **values))}</h{level}>")


def show_note(start: ReportStart, key: str, css: str = "giaoban-note", **values: Any) -> None:
    """A note (a sentence in the report's language) under a heading."""
    from analysis.reports import i18n

    show_html(f'<p class="{css}">{escape(i18n.text(start.lang, key, **values))}</p>')


def publish_overview(overview: dict[str, Any]) -> None:
    """Leave the report's overview in its executed notebook, where the index page reads it
    (a data-only output: nothing shows in the HTML)."""
    from IPython.display import display

    from analysis.reports.index import OVERVIEW_MIME

    display({OVERVIEW_MIME: overview}, raw=True)


def show_figure_alt(figure: Any, alt: str, lang: str = "en") -> None:
    """Display a matplotlib figure as an embedded PNG with alt text (tick numbers written the
    ``lang`` way), then free it."""
    import matplotlib.pyplot as plt

    from analysis.reports.report_html import figure_html, localize_ticks

    show_html(figure_html(figure_png(localize_ticks(figure, lang)), alt))
    plt.close(figure)


def default_topics(topics: list[str]) -> list[str]:
    """The topics a report shows unless told: the core topics of the study when the codebook
    has them, else every topic of the codebook."""
    from analysis.schema import CORE_TOPICS

    return [t for t in topics if t in CORE_TOPICS] or list(topics)


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
               codebook: str | Path, lang: str = "en", build: str | Path | None = None) -> pd.DataFrame:
    """What this report was made from and when: a two-column table in ``lang``, with paths
    relative to the project (or only their names), never the machine's absolute paths."""
    from analysis.reports import i18n
    from analysis.reports.report_html import shared_path

    t = lambda key: i18n.text(lang, key)  # noqa: E731
    seconds = time.monotonic() - clock["clock"]
    shown = {k: shared_path(v) if k in ("build_dir", "codebook") and v else v for k, v in parameters.items()}
    corpus = _corpus_name(build) if build is not None else ""
    rows = [
        (t("p_kit"), __version__),
        (t("p_commit"), git_commit() or t("p_not_git")),
        *([(t("p_corpus"), corpus)] if corpus else []),
        (t("p_corpus_hash"), corpus_hash(documents)),
        (t("p_documents"), i18n.format_number(len(documents), lang)),
        (t("p_codebook"), shared_path(codebook)),
        (t("p_codebook_hash"), codebook_hash(codebook)),
        (t("p_parameters"), json.dumps(shown, ensure_ascii=False, sort_keys=True)),
        (t("p_started"), clock["started"]),
        (t("p_ran"), f"{i18n.format_number(seconds, lang, 1)} s"),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])


def _corpus_name(build: str | Path) -> str:
    """The corpus folder ``giaoban ingest`` read, as it may be shown (relative or its name)."""
    from analysis.build import stage_record
    from analysis.reports.report_html import shared_path

    corpus = stage_record(build, "ingest").get("parameters", {}).get("corpus", "")
    return shared_path(corpus) if corpus else ""


def show_provenance(start: ReportStart, parameters: dict[str, Any]) -> None:
    """The provenance table, last in every report."""
    from analysis.reports.report_html import static_table

    frame = provenance(start.clock, parameters, start.tables["documents"], start.codebook, start.lang, start.build)
    show_heading(start, "provenance")
    show_html(static_table(((escape(a), escape(b)) for a, b in frame.itertuples(index=False)),
                           [escape(c) for c in ("", "")]))
