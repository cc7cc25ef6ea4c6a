"""What every command shares: the codebook option and the one-line error exit."""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from analysis import paths

CODEBOOK_HELP = "Codebook YAML file (default: the packaged analysis/codebooks/default.yml)."
BUILD_HELP = "Build folder (tables of the pipeline)."


def fail(command: str, exc: Exception, status: int = 2) -> typer.Exit:
    """Print ``giaoban <command>: error: <message>`` on stderr; the Exit to raise."""
    typer.echo(f"giaoban {command}: error: {exc}", err=True)
    return typer.Exit(status)


def codebook_option() -> typer.models.OptionInfo:
    return typer.Option(None, "--codebook", help=CODEBOOK_HELP)


def build_option() -> typer.models.OptionInfo:
    return typer.Option(paths.BUILD_DIR, "--build", help=BUILD_HELP)


def load_codebook_or_default(path: Path | None):
    """The codebook at ``path`` (the packaged default when None)."""
    from analysis.topics.codebook import load_codebook

    return load_codebook(path)


@contextlib.contextmanager
def warnings_as_lines(command: str):
    """The kit's own warnings (a corrupt cache discarded, ...) as one line each on stderr,
    ``giaoban <command>: warning: <message>``; other libraries' warnings shown as usual."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        try:
            yield
        finally:
            for item in caught:
                if Path(item.filename).resolve().is_relative_to(paths.PACKAGE_DIR):
                    typer.echo(f"giaoban {command}: warning: {item.message}", err=True)
                else:
                    warnings.showwarning(item.message, item.category, item.filename, item.lineno)
def scheduler_option() -> typer.models.OptionInfo:
    from analysis.scale.cluster import SCHEDULER_HELP

    return typer.Option(None, "--scheduler", help=SCHEDULER_HELP)


def partition_option() -> typer.models.OptionInfo:
    return typer.Option(None, "--partition-docs", min=1,
                        help="With --scheduler: documents per task and per table part (default: about "
                             "4 tasks per worker, 50 to 1,000 documents).")


@contextlib.contextmanager
def cluster(command: str, scheduler: str | None) -> Iterator[Any]:
    """A Dask client for ``--scheduler`` (None: run in this process); the cluster and its
    dashboard are named on stderr; a bad value is a one-line error."""
    if not scheduler:
        yield None
        return
    from analysis.scale.cluster import connect, parse_scheduler

    try:
        parse_scheduler(scheduler)
    except ValueError as exc:
        raise fail(command, exc) from None
    with connect(scheduler, on_start=lambda line: typer.echo(f"giaoban {command}: {line}", err=True)) as client:
        yield client
