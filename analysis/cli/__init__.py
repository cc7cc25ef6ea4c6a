"""The ``giaoban`` command line: a thin layer over the functions in ``analysis``.

Each stage's commands live in their own module (``cli_*.py``) with a
``register(app)`` function, so stages can grow without touching each other.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="giaoban",
    help="Ingest, tag, analyse and report on Vietnamese provincial education notices.",
    no_args_is_help=True,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        from analysis import __version__

        typer.echo(f"giaoban {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print the kit's version and exit."),
) -> None:
    """Ingest, tag, analyse and report on Vietnamese provincial education notices."""


def _register_all() -> None:
    from analysis.compare import analyze as cli_analyze
    from analysis.cli import ingest as cli_corpus
    from analysis.cli import render as cli_render
    from analysis.cli import tag as cli_tag

    for stage in (cli_corpus, cli_tag, cli_analyze, cli_render):
        stage.register(app)


_register_all()


def main() -> None:
    """Entry point of the ``giaoban`` console script."""
    app()
