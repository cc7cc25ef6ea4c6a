"""Sidecars and the index page: each report's result is kept beside it as ``<name>.json``,
and ``index.html`` lists every report with its status. Given the reports the current build
has, a report found in the folder that is not one of them (a province that left the corpus) is
listed as stale, with the reason, never as ok."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
from collections.abc import Collection
from pathlib import Path

from analysis import __version__
from analysis.io import write_text_atomic
from analysis.reports.jobs import ReportJob, ReportResult

INDEX_NAME = "index.html"
STALE_REASON = "stale — not in the corpus any more"


def now_utc() -> str:
    """The time now (UTC, seconds), as the sidecars and the index write it."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def read_sidecar(path: Path) -> ReportResult | None:
    """The result stored beside a report, or None when absent or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return ReportResult(**data)
    except (OSError, ValueError, TypeError):
        return None


def write_sidecar(job: ReportJob, result: ReportResult) -> ReportResult:
    """Write the result as the report's sidecar (what the index and --if-changed read)."""
    job.out_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(job.output(".json"), json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=1))
    return result


OVERVIEW_MIME = "application/vnd.giaoban.overview+json"

_INDEX_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2rem;color:#222;max-width:80rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.35rem .6rem;
text-align:left;vertical-align:top}th{background:#f0f0f0}a{color:#0059a0}
.status-ok,.status-skipped{color:#1a7f37}.status-failed{color:#b42318;font-weight:bold}
.status-stale{color:#8a5a00;font-weight:bold}
.error{font-family:monospace;font-size:.85em;color:#b42318}
.failures{border-left:5px solid #D55E00;background:#fff4ec;padding:.4rem 1rem;margin:1rem 0}
.bar{display:inline-block;height:.7em;background:#0072B2;vertical-align:middle;margin-right:.3rem}
.topic{white-space:nowrap;font-size:.9em}
"""


def collect_results(out_dir: str | Path, current: Collection[str] | None = None) -> list[ReportResult]:
    """Every report recorded in ``out_dir`` (from its sidecars): comparison first. With
    ``current`` (the names of the reports the build has now), any other is marked stale."""
    results = [r for p in sorted(Path(out_dir).glob("*.json")) if (r := read_sidecar(p))]
    if current is not None:
        results = [r if r.name in current else dataclasses.replace(r, status="stale", error=STALE_REASON)
                   for r in results]
    return sorted(results, key=lambda r: (r.status == "stale", r.kind != "comparison", r.title, r.name))


def read_overview(notebook: Path) -> dict:
    """What a report published about itself (documents, periods, top topics) in its executed
    notebook ({} when it published nothing or the notebook is unreadable)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return {}
    for cell in cells:
        for output in cell.get("outputs", []):
            if OVERVIEW_MIME in output.get("data", {}):
                return dict(output["data"][OVERVIEW_MIME])
    return {}


@dataclasses.dataclass(frozen=True)
class IndexRow:
    """One line of the landing page: a report's result, whether its page exists, and its overview."""

    result: ReportResult
    has_html: bool
    has_notebook: bool
    overview: dict


def index_rows(results: list[ReportResult], out_dir: Path) -> list[IndexRow]:
    """Rows of the landing page, from a list of results (each with its status)."""
    return [IndexRow(r, r.ok and (out_dir / f"{r.name}.html").is_file(), (out_dir / f"{r.name}.ipynb").is_file(),
                     read_overview(out_dir / f"{r.name}.ipynb") if r.ok else {}) for r in results]


def _topic_bars(topics: list, lang: str, top_share: float) -> str:
    """Top topics as small inline bars (the page's highest share is 100 px), each with its percentage."""
    from analysis.reports.i18n import format_percent

    esc = html.escape
    bars = []
    for label, share in topics:
        width = max(2, round(100 * float(share) / top_share))
        bars.append(f'<span class="topic"><span class="bar" style="width:{width}px"></span>'
                    f'{esc(str(label))} {esc(format_percent(float(share), lang))}</span>')
    return "<br>".join(bars)


def _index_row(row: IndexRow, lang: str, top_share: float) -> str:
    from analysis.reports.i18n import TEXT, format_number

    esc, result, words = html.escape, row.result, TEXT[lang]
    link = (f'<a href="{esc(result.name)}.html">{esc(result.title)}</a>' if row.has_html else esc(result.title))
    audit = f'<a href="{esc(result.name)}.ipynb">{esc(words["i_notebook"])}</a>' if row.has_notebook else ""
    status = words["stale_reason"] if result.status == "stale" else words.get(f"status_{result.status}",
                                                                               result.status)
    n_docs = row.overview.get("n_docs")
    cells = [link, esc(words.get(f"kind_{result.kind}", result.kind)),
             format_number(n_docs, lang) if n_docs is not None else "–",
             esc(row.overview.get("periods") or result.period or "–"),
             _topic_bars(row.overview.get("top_topics", []), lang, top_share),
             f'<span class="status-{esc(result.status)}">{esc(status)}</span>',
             esc(result.rendered_at), f"{format_number(result.seconds, lang, 1)} s", audit]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _failures(rows: list[IndexRow], lang: str) -> str:
    from analysis.reports.i18n import TEXT

    failed = [r.result for r in rows if r.result.status == "failed"]
    if not failed:
        return ""
    items = "".join(f'<li><b>{html.escape(r.title)}</b>: <span class="error">{html.escape(r.error)}</span></li>'
                    for r in failed)
    return f'<div class="failures"><h2>{html.escape(TEXT[lang]["i_failed"])}</h2><ul>{items}</ul></div>'


def index_html(results: list[ReportResult], out_dir: Path, lang: str = "vi") -> str:
    """The landing page: failures first with their one-line error, then one row per report with its
    documents, periods, top topics (small bars), status, time rendered."""
    from analysis.reports.i18n import TEXT, text

    rows = index_rows(results, out_dir)
    words = TEXT[lang]
    failed = sum(r.status == "failed" for r in results)
    stale = sum(r.status == "stale" for r in results)
    head = [words[k] for k in ("h_report", "h_type", "h_docs", "h_period", "h_top_topics", "h_status",
                               "h_rendered", "h_time", "h_audit")]
    summary = text(lang, "i_summary", n=len(results) - stale, failed=failed)
    if stale:
        summary += text(lang, "i_stale", stale=stale)
    written = text(lang, "i_written", time=now_utc(), version=__version__)
    shares = [float(s) for r in rows for _, s in r.overview.get("top_topics", [])]
    body = "\n".join(_index_row(r, lang, max(shares, default=0) or 1.0) for r in rows)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(words['index_title'])}</title><style>{_INDEX_CSS}</style></head><body>"
        f"<h1>{html.escape(words['index_title'])}</h1><p>{html.escape(summary)} · {html.escape(written)}</p>"
        + _failures(rows, lang)
        + "<table><thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr></thead>"
        f"<tbody>\n{body}\n</tbody></table></body></html>\n"
    )


def write_index(out_dir: str | Path, lang: str = "vi", current: Collection[str] | None = None) -> Path:
    """(Re)write ``<out_dir>/index.html`` in ``lang`` from the sidecars in ``out_dir``; with
    ``current`` (the reports the build has now) any other is listed as stale."""
    out_dir = Path(out_dir)
    return write_text_atomic(out_dir / INDEX_NAME, index_html(collect_results(out_dir, current), out_dir, lang))
