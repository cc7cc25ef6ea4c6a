"""What every command shares: the codebook option and the one-line error exit."""

from __future__ import annotations

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
