"""Report runner: papermill executes a report notebook, nbconvert turns it into one
self-contained HTML file; a batch runs in worker processes and ends with the index page.

Each report leaves three files in the output folder, all written atomically:
``<name>.html`` (for readers), ``<name>.ipynb`` (executed, for audit) and
``<name>.json`` (a sidecar with status, timing and the hash of its inputs, which
``--if-changed`` compares to skip unchanged reports).
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.io import publish_file, temp_path_beside, write_text_atomic
from analysis.reports.index import now_utc, read_sidecar, write_index, write_sidecar
from analysis.reports.jobs import ReportJob, ReportResult, all_jobs, inputs_hash, load_notebook, validate_parameters
from analysis.reports.params import ReportError

KERNEL_NAME = "giaoban"
FALLBACK_KERNEL = "python3"

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
    started, clock = now_utc(), time.monotonic()
    result = ReportResult(job.name, job.kind, job.title, "ok", job.period,
                          rendered_at=started, input_hash=digest, parameters=job.parameters)
    try:
        _run_job(job)
    except Exception as exc:  # noqa: BLE001 -- every failure is reported, none stops a batch
        result.status, result.error, result.input_hash = "failed", _error_line(exc), ""
        if not isinstance(exc, ReportError) and not getattr(exc, "ename", None):
            traceback.print_exc()
    result.seconds = round(time.monotonic() - clock, 2)
    return write_sidecar(job, result)


def render_many(jobs: list[ReportJob], n_jobs: int = 1,
                if_changed: bool = False, client: Any = None) -> list[ReportResult]:
    """Render ``jobs`` in ``n_jobs`` worker processes (or on a Dask ``client``'s cluster);
    results in the order of ``jobs``."""
    from tqdm import tqdm

    skipped = {job.name: r for job in jobs if if_changed and (r := _unchanged(job, inputs_hash(job)))}
    todo = [job for job in jobs if job.name not in skipped]
    if client is not None and todo:
        done = _render_on_cluster(client, todo)
    elif n_jobs <= 1 or len(todo) <= 1:
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
        return write_sidecar(job, ReportResult(job.name, job.kind, job.title, "failed", job.period,
                                         error=_error_line(exc), rendered_at=now_utc(),
                                         parameters=job.parameters))


def _render_on_cluster(client: Any, todo: list[ReportJob]) -> list[ReportResult]:
    """Each report a task on the cluster (the same ``render_report``: its own timeout, atomic
    files, a failure is a failed result); a task that dies with its worker, or is not done when
    the batch's time is up, is a failed report."""
    import math
    import uuid

    from distributed import as_completed
    from tqdm import tqdm

    from analysis.scale.cluster import n_workers

    run = uuid.uuid4().hex[:8]
    futures = [client.submit(render_report, job, pure=False, key=f"report-{run}-{i}") for i, job in enumerate(todo)]
    rounds = math.ceil(len(todo) / n_workers(client))
    deadline = rounds * max(job.timeout for job in todo) + 120
    with tqdm(total=len(todo), desc="reports", unit="report") as bar:
        try:
            for _ in as_completed(futures, timeout=deadline):
                bar.update()
        except TimeoutError:
            pass
    return [_collect_task(job, future, deadline) for job, future in zip(todo, futures)]


def _collect_task(job: ReportJob, future: Any, deadline: float) -> ReportResult:
    if future.done():
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 -- a lost worker must not stop the batch
            return _failed(job, exc)
    future.cancel()
    return _failed(job, TimeoutError(f"not finished after {deadline:.0f} s on the cluster"))


def _failed(job: ReportJob, exc: BaseException) -> ReportResult:
    return write_sidecar(job, ReportResult(job.name, job.kind, job.title, "failed", job.period,
                                           error=_error_line(exc), rendered_at=now_utc(),
                                           parameters=job.parameters))


def render_all(build_dir: str | Path = paths.BUILD_DIR, out_dir: str | Path = paths.REPORTS_DIR,
               *, n_jobs: int = 1, if_changed: bool = False, client: Any = None,
               **options: Any) -> list[ReportResult]:
    """Every province report plus the comparison, then the index."""
    results = render_many(all_jobs(build_dir, out_dir, **options), n_jobs, if_changed, client)
    write_index(out_dir)
    return results
