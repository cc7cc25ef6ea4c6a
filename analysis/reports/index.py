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


_INDEX_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.35rem .6rem;
text-align:left;vertical-align:top}th{background:#f0f0f0}.ok{color:#1a7f37}.skipped{color:#1a7f37}
.failed{color:#b42318;font-weight:bold}.error{font-family:monospace;font-size:.85em;color:#b42318}
.stale{color:#8a6d00;font-weight:bold}
"""


def collect_results(out_dir: str | Path, current: Collection[str] | None = None) -> list[ReportResult]:
    """Every report recorded in ``out_dir`` (from its sidecars): comparison first. With
    ``current`` (the names of the reports the build has now), any other is marked stale."""
    results = [r for p in sorted(Path(out_dir).glob("*.json")) if (r := read_sidecar(p))]
    if current is not None:
        results = [r if r.name in current else dataclasses.replace(r, status="stale", error=STALE_REASON)
                   for r in results]
    return sorted(results, key=lambda r: (r.status == "stale", r.kind != "comparison", r.title, r.name))


def _index_row(result: ReportResult, out_dir: Path) -> str:
    esc = html.escape
    has_html = result.ok and (out_dir / f"{result.name}.html").is_file()
    link = (f'<a href="{esc(result.name)}.html">{esc(result.title)}</a>' if has_html
            else esc(result.title))
    audit = (f'<a href="{esc(result.name)}.ipynb">notebook</a>'
             if (out_dir / f"{result.name}.ipynb").is_file() else "")
    status = "ok" if result.status == "skipped" else result.status
    cells = [link, esc(result.kind), esc(result.period or "–"), esc(result.rendered_at),
             f'<span class="{esc(result.status)}">{esc(status)}</span>',
             f"{result.seconds:.1f} s", f'<span class="error">{esc(result.error)}</span>', audit]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def index_html(results: list[ReportResult], out_dir: Path) -> str:
    """The index page: one row per report with period range, date rendered and status."""
    failed = sum(r.status == "failed" for r in results)
    stale = sum(r.status == "stale" for r in results)
    head = ["Province / report", "Kind", "Period", "Rendered (UTC)", "Status", "Time", "Error", "Audit"]
    rows = "\n".join(_index_row(r, out_dir) for r in results)
    summary = f"{len(results) - stale} reports, {failed} failed" + (f", {stale} stale" if stale else "")
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        f"<title>giaoban reports</title><style>{_INDEX_CSS}</style></head><body>"
        f"<h1>giaoban reports</h1><p>{html.escape(summary)} · kit {html.escape(__version__)}"
        f" · index written {html.escape(now_utc())}</p>"
        "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>"
        f"<tbody>\n{rows}\n</tbody></table></body></html>\n"
    )


def write_index(out_dir: str | Path, current: Collection[str] | None = None) -> Path:
    """(Re)write ``<out_dir>/index.html`` from the sidecars in ``out_dir`` (reports not in
    ``current``, when given, listed as stale)."""
    out_dir = Path(out_dir)
    return write_text_atomic(out_dir / INDEX_NAME, index_html(collect_results(out_dir, current), out_dir))
