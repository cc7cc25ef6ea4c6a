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
TIMEOUT_OPT = typer.Option(300.0, "--timeout", min=1,
                           help="Seconds one report may run before it is stopped and marked failed.")


def _finish(results: list, out: Path) -> None:
    """Print one line per report, rewrite the index, exit 1 if any report failed."""
    from analysis.reports.index import write_index

    for result in results:
        timing = (f"unchanged since {result.rendered_at}" if result.status == "skipped"
                  else f"{result.seconds:.1f} s")
        line = f"{result.status:8} {result.name}  ({timing})"
        typer.echo(line + (f"  {result.error}" if result.error else ""),
                   err=result.status == "failed")
    index = write_index(out)
    typer.echo(f"index: {index}")
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


def _job_or_exit(make_job):
    from analysis.build import BuildError
    from analysis.reports.params import ReportError

    try:
        return make_job()
    except (BuildError, ReportError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@render_app.command("province")
def render_province(
    province: str = typer.Option(..., "--province", help='Province name, e.g. "Lào Cai".'),
    topics: list[str] | None = typer.Option(None, "--topic", help="Topic id (repeatable)."),
    out: Path = OUT_OPT, build: Path = BUILD_OPT, show_code: bool = SHOW_CODE_OPT,
    codebook: Path | None = CODEBOOK_OPT, timeout: float = TIMEOUT_OPT,
) -> None:
    """Render the report on one province."""
    from analysis.reports.jobs import province_job
    from analysis.reports.runner import render_report

    job = _job_or_exit(lambda: province_job(province, build, out, topics=topics,
                                            codebook=codebook, show_code=show_code,
                                            timeout=timeout))
    _finish([render_report(job)], out)


@render_app.command("comparison")
def render_comparison(
    provinces: list[str] | None = typer.Option(None, "--provinces", "--province",
                                                  help="Province to include (repeatable; default all)."),
    out: Path = OUT_OPT, build: Path = BUILD_OPT, show_code: bool = SHOW_CODE_OPT,
    codebook: Path | None = CODEBOOK_OPT, timeout: float = TIMEOUT_OPT,
) -> None:
    """Render the side-by-side report of several provinces."""
    from analysis.reports.jobs import comparison_job
    from analysis.reports.runner import render_report

    job = _job_or_exit(lambda: comparison_job(build, out, provinces=provinces, codebook=codebook,
                                              show_code=show_code, timeout=timeout))
    _finish([render_report(job)], out)


@render_app.command("all")
def render_all_cmd(
    out: Path = OUT_OPT, build: Path = BUILD_OPT, show_code: bool = SHOW_CODE_OPT,
    codebook: Path | None = CODEBOOK_OPT, timeout: float = TIMEOUT_OPT,
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
                                             show_code=show_code, timeout=timeout))
    with cluster("render", scheduler) as client:
        results = render_many(job_list, jobs, if_changed, client)
    _finish(results, out)


def register(app: typer.Typer) -> None:
    """Add ``giaoban render ...`` to the main CLI."""
    app.add_typer(render_app, name="render")

