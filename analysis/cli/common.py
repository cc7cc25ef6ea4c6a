"""What every command shares: the codebook option and the one-line error exit."""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path

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
