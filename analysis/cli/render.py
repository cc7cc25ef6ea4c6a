"""``giaoban render``: province and comparison reports, and the whole batch with its index."""

from __future__ import annotations

from pathlib import Path

import typer

from analysis import paths

render_app = typer.Typer(help="Render HTML reports from the report notebooks (papermill + nbconvert).",
                         no_args_is_help=True)

BUILD_OPT = typer.Option(paths.BUILD_DIR, "--build", help="Build folder with the analysed corpus.")
OUT_OPT = typer.Option(paths.REPORTS_DIR, "--out", help="Folder the reports and index.html go to.")
SHOW_CODE_OPT = typer.Option(False, "--show-code", help="Include the notebook code in the HTML.")
CODEBOOK_OPT = typer.Option(None, "--codebook", help="Codebook YAML (default: the kit's own).")
LANG_OPT = typer.Option("vi", "--lang", help="Language of the reports and the index: vi (default) or en.")
TIMEOUT_OPT = typer.Option(300.0, "--timeout", min=1,
                           help="Seconds one report may run before it is stopped and marked failed.")


def _finish(results: list, out: Path, build: Path | None = None, lang: str = "vi") -> None:
    """Print one line per report, rewrite the index in ``lang`` (reports the build no longer has
    listed as stale), exit 1 if any report failed or the index could not be written."""
    from analysis.reports.index import write_index
    from analysis.reports.jobs import current_report_names

    for result in results:
        timing = (f"unchanged since {result.rendered_at}" if result.status == "skipped"
                  else f"{result.seconds:.1f} s")
        line = f"{result.status:8} {result.name}  ({timing})"
        typer.echo(line + (f"  {result.error}" if result.error else ""),
                   err=result.status == "failed")
    try:
        index = write_index(out, lang, current_report_names(build) if build is not None else None)
    except OSError as exc:
        typer.echo(f"error: cannot write the index in --out {out} ({exc.strerror or exc})", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"index: {index}")
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


def _writable_out(out: Path) -> None:
    """Refuse, in one line, an --out folder that cannot be written (before any report runs)."""
    import tempfile

    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".giaoban-write-test."):
            pass
    except OSError as exc:
        typer.echo(f"error: cannot write to --out {out} ({exc.strerror or exc}); "
                   "choose a folder you can write to", err=True)
        raise typer.Exit(2) from None


def _render(make_results, out: Path, build: Path, lang: str) -> None:
    """Run the reports (one line and exit 128+N when stopped by signal N) and finish."""
    from analysis.reports.runner import RenderStopped

    _writable_out(out)
    try:
        results = make_results()
    except RenderStopped as stop:
        typer.echo(f"giaoban render: {stop}", err=True)
        raise typer.Exit(128 + stop.signum) from None
    _finish(results, out, build, lang)


def _job_or_exit(make_job):
    from analysis.build import BuildError
    from analysis.reports.params import ReportError

    try:
        return make_job()
    except (BuildError, ReportError, ValueError) as exc:  # ValueError: a codebook that cannot be read
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@render_app.command("province")
def render_province(
    province: str = typer.Option(..., "--province", help='Province name, e.g. "Lào Cai".'),
    topics: list[str] | None = typer.Option(None, "--topic", help="Topic id (repeatable)."),
    out: Path = OUT_OPT, build: Path = BUILD_OPT, show_code: bool = SHOW_CODE_OPT,
    codebook: Path | None = CODEBOOK_OPT, timeout: float = TIMEOUT_OPT, lang: str = LANG_OPT,
) -> None:
    """Render the report on one province."""
    from analysis.reports.jobs import province_job
    from analysis.reports.runner import render_many

    job = _job_or_exit(lambda: province_job(province, build, out, topics=topics,
                                            codebook=codebook, show_code=show_code,
                                            timeout=timeout, lang=lang))
    _render(lambda: render_many([job]), out, build, lang)


@render_app.command("comparison")
def render_comparison(
    provinces: list[str] | None = typer.Option(None, "--provinces", "--province",
                                                  help="Province to include (repeatable; default all)."),
    out: Path = OUT_OPT, build: Path = BUILD_OPT, show_code: bool = SHOW_CODE_OPT,
    codebook: Path | None = CODEBOOK_OPT, timeout: float = TIMEOUT_OPT, lang: str = LANG_OPT,
) -> None:
    """Render the side-by-side report of several provinces."""
    from analysis.reports.jobs import comparison_job
    from analysis.reports.runner import render_many

    job = _job_or_exit(lambda: comparison_job(build, out, provinces=provinces, codebook=codebook,
                                              show_code=show_code, timeout=timeout, lang=lang))
    _render(lambda: render_many([job]), out, build, lang)


@render_app.command("all")
def render_all_cmd(
    out: Path = OUT_OPT, build: Path = BUILD_OPT, show_code: bool = SHOW_CODE_OPT,
    codebook: Path | None = CODEBOOK_OPT, timeout: float = TIMEOUT_OPT, lang: str = LANG_OPT,
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Reports rendered in parallel."),
    if_changed: bool = typer.Option(False, "--if-changed",
                                    help="Skip reports whose inputs did not change."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Render on Dask: 'local:N' or "
                                         "'tcp://HOST:PORT' (instead of --jobs worker processes)."),
) -> None:
    """Render one report per province, the comparison report and reports/index.html."""
    from analysis.cli.common import cluster
    from analysis.reports.jobs import all_jobs
    from analysis.reports.runner import render_many

    job_list = _job_or_exit(lambda: all_jobs(build, out, codebook=codebook,
                                             show_code=show_code, timeout=timeout, lang=lang))
    with cluster("render", scheduler) as client:
        _render(lambda: render_many(job_list, jobs, if_changed, client), out, build, lang)


def register(app: typer.Typer) -> None:
    """Add ``giaoban render ...`` to the main CLI."""
    app.add_typer(render_app, name="render")

