"""Report runner: papermill executes a report notebook, nbconvert turns it into one
self-contained HTML file; a batch runs in worker processes and ends with the index page.

Each report leaves three files in the output folder, all written atomically:
``<name>.html`` (for readers), ``<name>.ipynb`` (executed, for audit) and
``<name>.json`` (a sidecar with status, timing and the hash of its inputs, which
``--if-changed`` compares to skip unchanged reports).

A batch stopped by SIGTERM or SIGINT (a killed cron job, ``timeout make reports``, Ctrl-C) stops
its workers and their kernels and removes its temporary files before it exits; workers die with
the batch even when it is killed outright (SIGKILL), and temporary files left by a run that could
not clean up are removed by the next run.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import os
import re
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.io import publish_file, remove_temp_files, temp_path_beside, write_text_atomic
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
            pid = getattr(self.provisioner, "pid", None)
            if pid:  # a kernel runs in a session of its own: remembered, to stop it with the batch
                _LIVE_KERNELS.add(pid)

        async def _async_shutdown_kernel(self, *args: Any, **kw: Any) -> None:
            pid = getattr(self.provisioner, "pid", None)
            await super()._async_shutdown_kernel(*args, **kw)
            _LIVE_KERNELS.discard(pid)

    return QuietKernelManager


def execute_notebook(job: ReportJob, output: Path) -> Any:
    """Run the job's notebook with papermill into ``output``; the whole run, not each
    cell, is bounded by ``job.timeout`` (a hung cell is interrupted, the kernel stopped)."""
    import papermill

    deadline = time.monotonic() + job.timeout
    return papermill.execute_notebook(
        load_notebook(job.notebook), str(output), parameters=job.parameters,
        kernel_name=resolve_kernel(), cwd=str(paths.REPORT_NOTEBOOKS_DIR),
        progress_bar=False, log_output=False, request_save_on_cell_execute=True,
        start_timeout=max(1, min(60, int(job.timeout))),
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        kernel_manager_class=_quiet_kernel_manager(),
    )


def export_html(notebook: Any, show_code: bool = False, lang: str = "en") -> str:
    """Self-contained HTML of an executed notebook in language ``lang`` (code hidden unless
    ``show_code``; cells tagged ``notebook-only``, notes for notebook users, left out)."""
    import jinja2
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": ["notebook-only"]}})
    exporter = HTMLExporter(
        config=config, template_name="lab", template_file="giaoban_offline.html.j2",
        extra_loaders=[jinja2.DictLoader({"giaoban_offline.html.j2": _OFFLINE_TEMPLATE})],
        exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True, language_code=lang,
    )
    body, _ = exporter.from_notebook_node(_for_readers(notebook, show_code))
    check_offline(body)
    return body


def _for_readers(notebook: Any, show_code: bool) -> Any:
    """A copy without data-only outputs (the overview the index reads) and, unless
    ``show_code``, without stderr streams: warnings (which quote source lines) are for the
    audit notebook, not for readers."""
    import copy

    from analysis.reports.index import OVERVIEW_MIME

    def for_readers(output: Any) -> bool:
        if OVERVIEW_MIME in output.get("data", {}):
            return False
        return show_code or not (output.get("output_type") == "stream" and output.get("name") == "stderr")

    clean = copy.deepcopy(notebook)
    for cell in clean.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if for_readers(o)]
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
    """Execute, keep the executed notebook (also on failure or timeout, for audit: papermill
    saves it after every cell), write the HTML."""
    import nbformat

    validate_parameters(job.notebook, job.parameters)
    job.out_dir.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_beside(job.output(".ipynb"))
    try:
        execute_notebook(job, tmp)
    except Exception:
        publish_file(tmp, job.output(".ipynb"))
        raise
    except BaseException:  # stopped by a signal: no half-run notebook is published
        tmp.unlink(missing_ok=True)
        raise
    publish_file(tmp, job.output(".ipynb"))
    notebook = nbformat.read(job.output(".ipynb"), as_version=4)
    notebook.metadata["title"] = job.title  # the HTML <title>
    write_text_atomic(job.output(".html"), export_html(notebook, job.show_code, job.lang))


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
    return _record(job, result)


def _record(job: ReportJob, result: ReportResult) -> ReportResult:
    """Write the sidecar; a sidecar that cannot be written is said in the result, never raised
    (recording a failure must not fail the batch)."""
    try:
        return write_sidecar(job, result)
    except OSError as exc:
        note = f"result not recorded: cannot write {job.output('.json')} ({exc.strerror or exc})"
        result.error = f"{result.error}; {note}" if result.error else note
        result.status = "failed"
        return result


def render_many(jobs: list[ReportJob], n_jobs: int = 1,
                if_changed: bool = False, client: Any = None) -> list[ReportResult]:
    """Render ``jobs`` in ``n_jobs`` worker processes (or on a Dask ``client``'s cluster);
    results in the order of ``jobs``.

    SIGTERM or SIGINT stops the batch (:class:`RenderStopped`) after stopping its workers and
    kernels and removing its temporary files.
    """
    from tqdm import tqdm

    out_dirs = sorted({job.out_dir for job in jobs})
    for folder in out_dirs:
        remove_temp_files(folder)  # left by a run that was killed before it could clean up
    skipped = {job.name: r for job in jobs if if_changed and (r := _unchanged(job, inputs_hash(job)))}
    todo = [job for job in jobs if job.name not in skipped]
    with _stopped_by_signals(out_dirs):
        if client is not None and todo:
            done = _render_on_cluster(client, todo)
        elif n_jobs <= 1 or len(todo) <= 1:
            with tqdm(todo, desc="reports", unit="report", disable=len(todo) < 2) as bar:
                done = [render_report(job) for job in bar]
        else:
            # Unchanged reports are settled here, so a schedule with nothing to do starts no worker.
            done = _render_in_workers(todo, min(n_jobs, len(todo)), out_dirs)
    results = {**skipped, **{r.name: r for r in done}}
    return [results[job.name] for job in jobs]


def _render_in_workers(todo: list[ReportJob], n_workers: int, out_dirs: list[Path]) -> list[ReportResult]:
    from tqdm import tqdm

    pool = concurrent.futures.ProcessPoolExecutor(max_workers=n_workers, initializer=_start_worker,
                                                  initargs=(os.getpid(), out_dirs))
    try:
        futures = [pool.submit(render_report, job) for job in todo]
        with tqdm(total=len(futures), desc="reports", unit="report") as bar:  # closed before any message
            done = []
            for job, future in zip(todo, futures):
                done.append(_collect(job, future))
                bar.update()
        return done
    except BaseException:
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(job: ReportJob, future: concurrent.futures.Future) -> ReportResult:
    """A worker's result; a worker that died (or overran its limit) is a failed report."""
    try:
        return future.result(timeout=job.timeout + 120)
    except Exception as exc:  # noqa: BLE001 -- a crashed worker must not stop the batch
        return _record(job, ReportResult(job.name, job.kind, job.title, "failed", job.period,
                                         error=_error_line(exc), rendered_at=now_utc(),
                                         parameters=job.parameters))


# --------------------------------------------------------------------------- stopping

_LIVE_KERNELS: set[int] = set()  # kernels this process started and has not shut down
WORKER_STOP_SECONDS = 3.0  # a worker told to stop gets this long before it is killed


class RenderStopped(BaseException):
    """The batch was stopped by a signal; workers, kernels and temporary files are gone.
    (A BaseException, like KeyboardInterrupt: no ``except Exception`` on the way may swallow it.)"""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"stopped by {signal.Signals(signum).name}; the reports in progress were "
                         "discarded (finished ones are kept)")


@contextlib.contextmanager
def _stopped_by_signals(out_dirs: list[Path]):
    """SIGTERM/SIGINT raise :class:`RenderStopped` in the batch (main thread only); whatever
    ends the batch early, this process's kernels and temporary files go with it."""
    def stop(signum, frame):  # noqa: ARG001
        raise RenderStopped(signum)

    main = sys.platform != "win32" and _in_main_thread()
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)} if main else {}
    try:
        yield
    except BaseException:
        _stop_own_kernels()
        for folder in out_dirs:
            remove_temp_files(folder, pid=os.getpid())
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _start_worker(parent: int, out_dirs: list[Path]) -> None:
    """In each worker: die with the batch (Linux: the kernel sends SIGTERM when the parent
    dies, even by SIGKILL); on SIGTERM stop its kernel, remove its temporary files and exit;
    leave Ctrl-C to the batch, which stops the workers itself."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when the batch closes their pipe
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda signum, frame: _exit_worker(out_dirs, 128 + signum))
    if os.getppid() != parent:  # the batch died before the line above took effect
        _exit_worker(out_dirs, 128 + signal.SIGTERM)


def _exit_worker(out_dirs: list[Path], status: int) -> None:
    _stop_own_kernels()
    for folder in out_dirs:
        remove_temp_files(folder, pid=os.getpid())
    os._exit(status)


def _stop_own_kernels() -> None:
    """Kill the kernels this process started (each leads a process group of its own)."""
    for pid in list(_LIVE_KERNELS):
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)
        _LIVE_KERNELS.discard(pid)


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """SIGTERM to every worker (each stops its kernel and removes its temporary files), then
    SIGKILL to any still alive after ``WORKER_STOP_SECONDS``."""
    workers = list((getattr(pool, "_processes", None) or {}).values())  # no public API for this
    for worker in workers:
        with contextlib.suppress(OSError, ValueError):
            worker.terminate()
    deadline = time.monotonic() + WORKER_STOP_SECONDS
    for worker in workers:
        with contextlib.suppress(OSError, ValueError, AssertionError):
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.is_alive():
                worker.kill()
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
    jobs = all_jobs(build_dir, out_dir, **options)
    results = render_many(jobs, n_jobs, if_changed, client)
    write_index(out_dir, options.get("lang", "vi"), current={job.name for job in jobs})
    return results
