"""Report runner: papermill executes a report notebook, nbconvert turns it into one
self-contained HTML file, and an index lists every report with its status.

I/O lives here (and in the CLI); the notebooks only call ``analysis`` functions.
Each report leaves three files in the output folder, all written atomically:
``<name>.html`` (for readers), ``<name>.ipynb`` (executed, for audit) and
``<name>.json`` (a sidecar with status, timing and the hash of its inputs, which
``--if-changed`` compares to skip unchanged reports).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import time
import traceback
import unicodedata
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from analysis import __version__, paths
from analysis.io import file_sha256, publish_file, temp_path_beside, write_text_atomic
from analysis.reports.params import ReportError, check_choice, select_period  # noqa: F401
from analysis.text.fold import canonical_name, slug, term_regex

DEFAULT_TIMEOUT = 300.0
KERNEL_NAME = "giaoban"
FALLBACK_KERNEL = "python3"
REPORT_NOTEBOOKS = {"province": "province.py", "comparison": "comparison.py"}
COMPARISON_NAME = "comparison"
INDEX_NAME = "index.html"

# nbconvert's lab template pulls require.js, MathJax and mermaid from CDNs; this template
# keeps the lab look (its CSS is inlined) and drops every external script so a report
# works offline and as an e-mail attachment.
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
# A resource the browser would fetch from another host: src/href/url()/@import.
_EXTERNAL_RESOURCE = re.compile(
    r"""(?:<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\s(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//)""",
    re.IGNORECASE,
)


@dataclasses.dataclass(frozen=True)
class ReportJob:
    """One report to render: which notebook, with which parameters, to which files."""

    kind: str
    name: str
    title: str
    parameters: dict[str, Any]
    out_dir: Path
    show_code: bool = False
    timeout: float = DEFAULT_TIMEOUT
    period: str = ""
    notebook_path: Path | None = None  # another notebook than the kind's (tests, custom reports)

    def __post_init__(self) -> None:
        object.__setattr__(self, "out_dir", Path(self.out_dir))  # accept str as well

    @property
    def notebook(self) -> Path:
        return Path(self.notebook_path or paths.REPORT_NOTEBOOKS_DIR / REPORT_NOTEBOOKS[self.kind])

    def output(self, suffix: str) -> Path:
        return Path(self.out_dir) / f"{self.name}{suffix}"


@dataclasses.dataclass
class ReportResult:
    """What happened to one report (also the content of its json sidecar)."""

    name: str
    kind: str
    title: str
    status: str  # "ok", "failed" or "skipped" (unchanged inputs)
    period: str = ""
    error: str = ""
    seconds: float = 0.0
    rendered_at: str = ""
    input_hash: str = ""
    parameters: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "skipped")


# --------------------------------------------------------------------------- naming


# --------------------------------------------------------------------------- inputs


def load_table(build_dir: str | Path, name: str) -> pd.DataFrame:
    """Read ``<build_dir>/<name>.parquet`` with a clear error when the stage was not run."""
    path = Path(build_dir) / f"{name}.parquet"
    if not path.is_file():
        raise ReportError(f"{path} is missing: run `giaoban ingest`, `giaoban tag` and "
                          f"`giaoban analyze --build {build_dir}` first")
    return pd.read_parquet(path)


def corpus_provinces(build_dir: str | Path) -> list[str]:
    """Provinces of the ingested corpus (non-empty, NFC, sorted)."""
    documents = load_table(build_dir, "documents")
    names = {canonical_name(p) for p in documents["province"].dropna() if canonical_name(p)}
    return sorted(names)


def province_period(build_dir: str | Path, province: str | None = None) -> str:
    """"first – last" period of the documents of ``province`` (or of the whole corpus)."""
    documents = load_table(build_dir, "documents")
    if province is not None:
        documents = documents[documents["province"].fillna("").map(canonical_name) == canonical_name(province)]
    periods = sorted(p for p in documents["period"].dropna().astype(str) if p)
    if not periods:
        return ""
    return periods[0] if periods[0] == periods[-1] else f"{periods[0]} – {periods[-1]}"


def inputs_hash(job: ReportJob) -> str:
    """Hash of everything a report depends on: build artefacts (which carry the corpus
    hashes), codebook, notebook, the helpers it calls, kit version, parameters."""
    build = Path(job.parameters.get("build_dir") or paths.BUILD_DIR)
    codebook = Path(job.parameters.get("codebook") or paths.DEFAULT_CODEBOOK)
    files = sorted(build.glob("*.parquet")) + [codebook, job.notebook,
                                               paths.PACKAGE_DIR / "report_helpers.py"]
    digest = hashlib.sha256(__version__.encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(file_sha256(path).encode() if path.is_file() else b"-")
    settings = {"parameters": job.parameters, "show_code": job.show_code}
    digest.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- parameters


def load_notebook(notebook: str | Path) -> Any:
    """A report notebook as a notebook node: ``.py`` (py:percent, as shipped) via jupytext,
    ``.ipynb`` as it is. The kit keeps only the text form; the ``.ipynb`` is made here."""
    import jupytext
    import nbformat

    path = Path(notebook)
    if not path.is_file():
        raise ReportError(f"{path}: report notebook not found")
    return jupytext.read(path) if path.suffix == ".py" else nbformat.read(path, as_version=4)


def notebook_parameters(notebook: str | Path) -> dict[str, dict]:
    """Parameters declared in the notebook's ``parameters`` cell (papermill's view)."""
    import nbformat
    import papermill

    with tempfile.TemporaryDirectory(prefix="giaoban-nb-") as folder:
        path = Path(folder) / (Path(notebook).stem + ".ipynb")
        nbformat.write(load_notebook(notebook), path)
        return papermill.inspect_notebook(str(path))


def validate_parameters(notebook: str | Path, parameters: dict[str, Any]) -> None:
    """Refuse names the notebook does not declare (papermill would only warn)."""
    declared = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ReportError(f"{Path(notebook).name}: unknown parameter(s) {', '.join(unknown)}; "
                          f"valid parameters: {', '.join(sorted(declared))}")


# --------------------------------------------------------------------------- jobs


def province_job(province: str, build_dir: str | Path, out_dir: str | Path, *,
                 topics: list[str] | None = None, codebook: str | Path | None = None,
                 show_code: bool = False, timeout: float = DEFAULT_TIMEOUT) -> ReportJob:
    """Job for the report on one province (checked against the corpus first)."""
    build_dir = Path(build_dir).resolve()
    name = check_choice("province", province, corpus_provinces(build_dir))
    parameters: dict[str, Any] = {"province": name, "build_dir": str(build_dir)}
    if topics:
        parameters["topics"] = list(topics)
    if codebook:
        parameters["codebook"] = str(Path(codebook).resolve())
    return ReportJob("province", f"province-{slug(name)}", name, parameters,
                     Path(out_dir).resolve(), show_code, timeout,
                     province_period(build_dir, name))


def comparison_job(build_dir: str | Path, out_dir: str | Path, *,
                   provinces: list[str] | None = None, codebook: str | Path | None = None,
                   show_code: bool = False, timeout: float = DEFAULT_TIMEOUT) -> ReportJob:
    """Job for the side-by-side report of several provinces (default: all)."""
    build_dir = Path(build_dir).resolve()
    valid = corpus_provinces(build_dir)
    parameters: dict[str, Any] = {"build_dir": str(build_dir)}
    if provinces:
        parameters["provinces"] = [check_choice("province", p, valid) for p in provinces]
    if codebook:
        parameters["codebook"] = str(Path(codebook).resolve())
    title = "Comparison: " + ", ".join(parameters.get("provinces", valid))
    return ReportJob("comparison", COMPARISON_NAME, title, parameters,
                     Path(out_dir).resolve(), show_code, timeout, province_period(build_dir))


def all_jobs(build_dir: str | Path, out_dir: str | Path, **options: Any) -> list[ReportJob]:
    """One job per province of the corpus, plus the comparison report."""
    jobs = [province_job(p, build_dir, out_dir, **options) for p in corpus_provinces(build_dir)]
    return jobs + [comparison_job(build_dir, out_dir, **options)]


# --------------------------------------------------------------------------- execution


def resolve_kernel() -> str:
    """The kit's kernel when registered and runnable, else ``python3`` (which
    jupyter_client maps to the interpreter running the kit), never a missing kernel."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return FALLBACK_KERNEL
    executable = spec.argv[0] if spec.argv else ""
    runnable = executable in ("python", "python3") or os.access(executable, os.X_OK)
    return KERNEL_NAME if runnable else FALLBACK_KERNEL


def _quiet_kernel_manager() -> type:
    """A kernel manager whose kernel does not write to our stderr (its start-up and shutdown
    chatter would fill every scheduled run's mail; errors still reach the notebook) and whose
    fallback kernel is always the interpreter running the kit."""
    import subprocess

    from jupyter_client import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw.setdefault("stderr", subprocess.DEVNULL)
            if self.kernel_name == FALLBACK_KERNEL:
                # Without the kit's kernel, run ipykernel on this very interpreter, even if
                # a user-level "python3" kernelspec points at another Python.
                kernel_cmd = [sys.executable, *kernel_cmd[1:]]
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def execute_notebook(job: ReportJob, output: Path) -> Any:
    """Run the job's notebook with papermill into ``output``; the whole run, not each
    cell, is bounded by ``job.timeout`` (a hung cell is interrupted, the kernel stopped)."""
    import papermill

    deadline = time.monotonic() + job.timeout
    return papermill.execute_notebook(
        load_notebook(job.notebook), str(output), parameters=job.parameters,
        kernel_name=resolve_kernel(), cwd=str(paths.REPORT_NOTEBOOKS_DIR),
        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        start_timeout=max(1, min(60, int(job.timeout))),
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        kernel_manager_class=_quiet_kernel_manager(),
    )


def export_html(notebook: Any, show_code: bool = False) -> str:
    """Self-contained HTML of an executed notebook (code hidden unless ``show_code``)."""
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab", template_file="giaoban_offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"giaoban_offline.html.j2": _OFFLINE_TEMPLATE})],
        exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True,
    )
    body, _ = exporter.from_notebook_node(notebook if show_code else _without_stderr(notebook))
    check_offline(body)
    return body


def _without_stderr(notebook: Any) -> Any:
    """A copy without stderr streams: warnings (which quote source lines) are for the
    audit notebook, not for readers."""
    import copy

    clean = copy.deepcopy(notebook)
    for cell in clean.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return clean


def check_offline(page: str) -> None:
    """Refuse an HTML page that would load anything from another host."""
    match = _EXTERNAL_RESOURCE.search(page)
    if match:
        raise ReportError(f"HTML would load an external resource ({match.group(0)[:80]!r})")


def _error_line(exc: BaseException) -> str:
    """One line for the index: the notebook's own error when there is one."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        text = f"{ename}: {evalue}" if evalue else ename
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # ANSI colours from tracebacks
    return " ".join(text.split())[:500]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def _run_job(job: ReportJob) -> None:
    """Execute, keep the executed notebook (also on failure, for audit), write the HTML."""
    import nbformat

    validate_parameters(job.notebook, job.parameters)
    job.out_dir.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_beside(job.output(".ipynb"))
    try:
        execute_notebook(job, tmp)
    finally:
        publish_file(tmp, job.output(".ipynb"))
    notebook = nbformat.read(job.output(".ipynb"), as_version=4)
    notebook.metadata["title"] = job.title  # the HTML <title>
    write_text_atomic(job.output(".html"), export_html(notebook, job.show_code))


def read_sidecar(path: Path) -> ReportResult | None:
    """The result stored beside a report, or None when absent or unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return ReportResult(**data)
    except (OSError, ValueError, TypeError):
        return None


def _unchanged(job: ReportJob, digest: str) -> ReportResult | None:
    previous = read_sidecar(job.output(".json"))
    if (previous and previous.status == "ok" and previous.input_hash == digest
            and job.output(".html").is_file()):
        return dataclasses.replace(previous, status="skipped")
    return None


def render_report(job: ReportJob, if_changed: bool = False) -> ReportResult:
    """Render one report; any failure (error in a cell, timeout, dead kernel, bad
    parameter) becomes a failed result with a one-line error, never an exception."""
    digest = inputs_hash(job)
    if if_changed and (skipped := _unchanged(job, digest)):
        return skipped
    started, clock = _now(), time.monotonic()
    result = ReportResult(job.name, job.kind, job.title, "ok", job.period,
                          rendered_at=started, input_hash=digest, parameters=job.parameters)
    try:
        _run_job(job)
    except Exception as exc:  # noqa: BLE001 -- every failure is reported, none stops a batch
        result.status, result.error, result.input_hash = "failed", _error_line(exc), ""
        if not isinstance(exc, ReportError) and not getattr(exc, "ename", None):
            traceback.print_exc()
    result.seconds = round(time.monotonic() - clock, 2)
    return _record(job, result)


def _record(job: ReportJob, result: ReportResult) -> ReportResult:
    """Write the result as the report's sidecar (what the index and --if-changed read)."""
    job.out_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(job.output(".json"), json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=1))
    return result


def render_many(jobs: list[ReportJob], n_jobs: int = 1,
                if_changed: bool = False) -> list[ReportResult]:
    """Render ``jobs`` in ``n_jobs`` worker processes; results in the order of ``jobs``."""
    from tqdm import tqdm

    skipped = {job.name: r for job in jobs if if_changed and (r := _unchanged(job, inputs_hash(job)))}
    todo = [job for job in jobs if job.name not in skipped]
    if n_jobs <= 1 or len(todo) <= 1:
        done = [render_report(job) for job in tqdm(todo, desc="reports", unit="report",
                                                   disable=len(todo) < 2)]
    else:
        # Unchanged reports are settled here, so a schedule with nothing to do starts no worker.
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(n_jobs, len(todo))) as pool:
            futures = [pool.submit(render_report, job) for job in todo]
            done = [_collect(job, f) for job, f in zip(todo, tqdm(futures, desc="reports", unit="report"))]
    results = {**skipped, **{r.name: r for r in done}}
    return [results[job.name] for job in jobs]


def _collect(job: ReportJob, future: concurrent.futures.Future) -> ReportResult:
    """A worker's result; a worker that died (or overran its limit) is a failed report."""
    try:
        return future.result(timeout=job.timeout + 120)
    except Exception as exc:  # noqa: BLE001 -- a crashed worker must not stop the batch
        return _record(job, ReportResult(job.name, job.kind, job.title, "failed", job.period,
                                         error=_error_line(exc), rendered_at=_now(),
                                         parameters=job.parameters))


# --------------------------------------------------------------------------- index

_INDEX_CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.35rem .6rem;
text-align:left;vertical-align:top}th{background:#f0f0f0}.ok{color:#1a7f37}.skipped{color:#1a7f37}
.failed{color:#b42318;font-weight:bold}.error{font-family:monospace;font-size:.85em;color:#b42318}
"""


def collect_results(out_dir: str | Path) -> list[ReportResult]:
    """Every report recorded in ``out_dir`` (from its sidecars): comparison first."""
    results = [r for p in sorted(Path(out_dir).glob("*.json")) if (r := read_sidecar(p))]
    return sorted(results, key=lambda r: (r.kind != "comparison", r.title, r.name))


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
    head = ["Province / report", "Kind", "Period", "Rendered (UTC)", "Status", "Time", "Error", "Audit"]
    rows = "\n".join(_index_row(r, out_dir) for r in results)
    summary = f"{len(results)} reports, {failed} failed"
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        f"<title>giaoban reports</title><style>{_INDEX_CSS}</style></head><body>"
        f"<h1>giaoban reports</h1><p>{html.escape(summary)} · kit {html.escape(__version__)}"
        f" · index written {html.escape(_now())}</p>"
        "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>"
        f"<tbody>\n{rows}\n</tbody></table></body></html>\n"
    )


def write_index(out_dir: str | Path) -> Path:
    """(Re)write ``<out_dir>/index.html`` from the sidecars in ``out_dir``."""
    out_dir = Path(out_dir)
    return write_text_atomic(out_dir / INDEX_NAME, index_html(collect_results(out_dir), out_dir))


def render_all(build_dir: str | Path = paths.BUILD_DIR, out_dir: str | Path = paths.REPORTS_DIR,
               *, n_jobs: int = 1, if_changed: bool = False,
               **options: Any) -> list[ReportResult]:
    """Every province report plus the comparison, then the index."""
    results = render_many(all_jobs(build_dir, out_dir, **options), n_jobs, if_changed)
    write_index(out_dir)
    return results


# --------------------------------------------------------------------------- notebook data
# Thin readers and joins the report notebooks use; the analysis itself lives in
# analysis.compare / analysis.tagging / analysis.figures.

BUILD_TABLES = ("documents", "passages", "tags")


def load_build(build_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every ``*.parquet`` of a build folder by name; documents/passages/tags are required."""
    build_dir = Path(build_dir)
    for name in BUILD_TABLES:
        load_table(build_dir, name)  # clear error naming the missing stage
    return {p.stem: pd.read_parquet(p) for p in sorted(build_dir.glob("*.parquet"))}


def tag_evidence(documents: pd.DataFrame, passages: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """Every tag with its passage text, role and document metadata (one row per match)."""
    docs = documents[["doc_id", "province", "period", "title"]]
    text = passages[["doc_id", "passage_id", "role", "text"]]
    out = tags.merge(text, on=["doc_id", "passage_id"]).merge(docs, on="doc_id")
    return out.sort_values(["doc_id", "passage_id", "start"], kind="stable").reset_index(drop=True)


def find_evidence(passages: pd.DataFrame, term: str) -> pd.DataFrame:
    """Passages containing ``term`` with the span (start, end) of its first match."""
    pattern = term_regex(term)
    texts = passages["text"].fillna("").map(canonical_name)
    matches = texts.map(pattern.search)
    found = passages.assign(text=texts, start=matches.map(lambda m: m.start() if m else -1),
                            end=matches.map(lambda m: m.end() if m else -1))
    return found[found["start"] >= 0].reset_index(drop=True)


def province_keyness(tables: dict[str, pd.DataFrame], province: str) -> pd.DataFrame:
    """The province's rows of ``keyness.parquet`` (written by ``giaoban analyze``)."""
    table = tables.get("keyness")
    if table is None or table.empty:
        return pd.DataFrame(columns=["term", "g2", "log_ratio"])
    column = "group" if "group" in table.columns else "province"
    rows = table[table[column].astype(str).map(canonical_name) == canonical_name(province)]
    keep = [c for c in ("rank", "term", "count_target", "count_reference", "g2", "log_ratio")
            if c in rows.columns]
    return rows[keep].reset_index(drop=True)


def province_indicators(tables: dict[str, pd.DataFrame], documents: pd.DataFrame) -> pd.DataFrame:
    """Indicators of ``documents`` (from ``indicators.parquet``, or extracted now when the
    analysis stage has not written it), each with its passage ``text`` and match span."""
    from analysis.compare.indicators import indicators_extract

    passages = tables["passages"]
    table = tables.get("indicators")
    if table is None:
        table = indicators_extract(passages[passages["doc_id"].isin(documents["doc_id"])])
    rows = table[table["doc_id"].isin(documents["doc_id"])]
    text = passages[["doc_id", "passage_id", "text"]]
    rows = rows.merge(text, on=["doc_id", "passage_id"], how="left", validate="many_to_one")
    return rows.sort_values(["doc_id", "passage_id", "start"], kind="stable").reset_index(drop=True)
