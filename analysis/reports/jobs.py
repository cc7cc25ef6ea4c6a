"""Report jobs: which notebook to run with which parameters, checked before anything runs,
and the hash of everything a report depends on (for ``--if-changed``)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.build import read_table, source_hash, table_digest, tagged_topics
from analysis.reports.i18n import DEFAULT_LANG, check_lang, text
from analysis.reports.params import ReportError, check_choice, check_choices
from analysis.text.fold import canonical_name, slug

DEFAULT_TIMEOUT = 300.0
REPORT_NOTEBOOKS = {"province": "province.py", "comparison": "comparison.py"}
COMPARISON_NAME = "comparison"


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

    @property
    def lang(self) -> str:
        """The report's language (notebooks without a ``lang`` parameter are in English)."""
        return str(self.parameters.get("lang", "en"))


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


def corpus_provinces(build_dir: str | Path) -> list[str]:
    """Provinces of the ingested corpus (non-empty, NFC, sorted)."""
    documents = read_table(build_dir, "documents")
    names = {canonical_name(p) for p in documents["province"].dropna() if canonical_name(p)}
    return sorted(names)


def province_period(build_dir: str | Path, province: str | None = None) -> str:
    """"first – last" period of the documents of ``province`` (or of the whole corpus)."""
    documents = read_table(build_dir, "documents")
    if province is not None:
        documents = documents[documents["province"].fillna("").map(canonical_name) == canonical_name(province)]
    periods = sorted(p for p in documents["period"].dropna().astype(str) if p)
    if not periods:
        return ""
    return periods[0] if periods[0] == periods[-1] else f"{periods[0]} – {periods[-1]}"


def inputs_hash(job: ReportJob) -> str:
    """Hash of everything a report depends on: the build's tables (which carry the corpus
    hashes), the codebook, the notebook, the source of every package module the notebook and
    the runner import (so a fix in a comparison module re-renders), kit version, parameters."""
    build = Path(job.parameters.get("build_dir") or paths.BUILD_DIR)
    codebook = Path(job.parameters.get("codebook") or paths.DEFAULT_CODEBOOK)
    files = sorted(build.glob("*.parquet")) + [codebook, job.notebook]
    digest = hashlib.sha256(source_hash(str(job.notebook), "analysis.reports.runner").encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(table_digest(path).encode() if path.exists() else b"-")
    settings = {"parameters": job.parameters, "show_code": job.show_code}
    digest.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


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


def province_job(province: str, build_dir: str | Path, out_dir: str | Path, *,
                 topics: list[str] | None = None, codebook: str | Path | None = None,
                 show_code: bool = False, timeout: float = DEFAULT_TIMEOUT, lang: str = DEFAULT_LANG) -> ReportJob:
    """Job for the report on one province in ``lang`` (checked against the corpus first)."""
    lang = check_lang(lang)  # before reading anything: a typo costs nothing
    build_dir = Path(build_dir).resolve()
    name = check_choice("province", province, corpus_provinces(build_dir))
    parameters: dict[str, Any] = {"province": name, "lang": lang, "build_dir": str(build_dir)}
    if topics:  # checked here, before a kernel starts or a good report's sidecar is touched
        parameters["topics"] = check_choices("topic", topics, report_topics(build_dir, codebook))
    if codebook:
        parameters["codebook"] = str(Path(codebook).resolve())
    return ReportJob("province", f"province-{slug(name)}", name, parameters,
                     Path(out_dir).resolve(), show_code, timeout,
                     province_period(build_dir, name))


def comparison_job(build_dir: str | Path, out_dir: str | Path, *,
                   provinces: list[str] | None = None, codebook: str | Path | None = None,
                   show_code: bool = False, timeout: float = DEFAULT_TIMEOUT, lang: str = DEFAULT_LANG) -> ReportJob:
    """Job for the side-by-side report of several provinces (default: all) in ``lang``."""
    lang = check_lang(lang)
    build_dir = Path(build_dir).resolve()
    valid = corpus_provinces(build_dir)
    parameters: dict[str, Any] = {"lang": lang, "build_dir": str(build_dir)}
    if provinces:
        parameters["provinces"] = [check_choice("province", p, valid) for p in provinces]
    if codebook:
        parameters["codebook"] = str(Path(codebook).resolve())
    title = text(lang, "comparison_title") + ": " + ", ".join(parameters.get("provinces", valid))
    return ReportJob("comparison", COMPARISON_NAME, title, parameters,
                     Path(out_dir).resolve(), show_code, timeout, province_period(build_dir))


def report_topics(build_dir: str | Path, codebook: str | Path | None = None) -> list[str]:
    """Topics a report may show: those the build was tagged with, else the codebook's (as the
    report notebooks decide)."""
    from analysis.topics.codebook import load_codebook

    return tagged_topics(build_dir) or load_codebook(codebook).ids


def current_report_names(build_dir: str | Path) -> set[str]:
    """Names of the reports the build has now: one per province of the corpus, the comparison."""
    return {f"province-{slug(p)}" for p in corpus_provinces(build_dir)} | {COMPARISON_NAME}


def all_jobs(build_dir: str | Path, out_dir: str | Path, **options: Any) -> list[ReportJob]:
    """One job per province of the corpus, plus the comparison report."""
    check_lang(options.get("lang", DEFAULT_LANG))
    jobs = [province_job(p, build_dir, out_dir, **options) for p in corpus_provinces(build_dir)]
    return jobs + [comparison_job(build_dir, out_dir, **options)]
