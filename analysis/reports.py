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
import tempfile
import time
import traceback
import unicodedata
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from analysis import __version__, paths
from analysis.io import write_text_atomic

DEFAULT_TIMEOUT = 300.0
KERNEL_NAME = "giaoban"
FALLBACK_KERNEL = "python3"
REPORT_NOTEBOOKS = {"province": "province.ipynb", "comparison": "comparison.ipynb"}
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


class ReportError(Exception):
    """A report cannot be rendered; the message is one line saying what to do."""


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

    @property
    def notebook(self) -> Path:
        return paths.REPORT_NOTEBOOKS_DIR / REPORT_NOTEBOOKS[self.kind]

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


def slugify(text: str) -> str:
    """ASCII file-name slug of a Vietnamese name: "Lào Cai" -> "lao-cai"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"


def nfc(text: str) -> str:
    """NFC form, so "Hoà Bình" typed on any keyboard matches the corpus."""
    return unicodedata.normalize("NFC", str(text)).strip()


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
    names = {nfc(p) for p in documents["province"].dropna() if nfc(p)}
    return sorted(names)


def province_period(build_dir: str | Path, province: str | None = None) -> str:
    """"first – last" period of the documents of ``province`` (or of the whole corpus)."""
    documents = load_table(build_dir, "documents")
    if province is not None:
        documents = documents[documents["province"].fillna("").map(nfc) == nfc(province)]
    periods = sorted(p for p in documents["period"].dropna().astype(str) if p)
    if not periods:
        return ""
    return periods[0] if periods[0] == periods[-1] else f"{periods[0]} – {periods[-1]}"


def check_province(province: str, valid: Iterable[str]) -> str:
    """Return ``province`` in NFC or raise a one-line error listing the valid names."""
    valid = sorted(valid)
    name = nfc(province)
    if name not in valid:
        raise ReportError(f"unknown province {province!r}; valid values: {', '.join(valid)}")
    return name


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
        digest.update(_file_digest(path).encode() if path.is_file() else b"-")
    settings = {"parameters": job.parameters, "show_code": job.show_code}
    digest.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- parameters


def notebook_parameters(notebook: str | Path) -> dict[str, dict]:
    """Parameters declared in the notebook's ``parameters`` cell (papermill's view)."""
    import papermill

    return papermill.inspect_notebook(str(notebook))


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
    name = check_province(province, corpus_provinces(build_dir))
    parameters: dict[str, Any] = {"province": name, "build_dir": str(build_dir)}
    if topics:
        parameters["topics"] = list(topics)
    if codebook:
        parameters["codebook"] = str(Path(codebook).resolve())
    return ReportJob("province", f"province-{slugify(name)}", name, parameters,
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
        parameters["provinces"] = [check_province(p, valid) for p in provinces]
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


def execute_notebook(job: ReportJob, output: Path) -> Any:
    """Run the job's notebook with papermill into ``output``; the whole run, not each
    cell, is bounded by ``job.timeout`` (a hung cell is interrupted, the kernel stopped)."""
    import papermill

    deadline = time.monotonic() + job.timeout
    return papermill.execute_notebook(
        str(job.notebook), str(output), parameters=job.parameters,
        kernel_name=resolve_kernel(), cwd=str(paths.REPORT_NOTEBOOKS_DIR),
        progress_bar=False, log_output=False, request_save_on_cell_execute=False,
        start_timeout=max(1, min(60, int(job.timeout))),
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
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
    body, _ = exporter.from_notebook_node(notebook)
    check_offline(body)
    return body


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
