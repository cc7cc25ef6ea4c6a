"""The ``giaoban`` command line: a thin layer over the functions in ``analysis``.

Each command lives in its own module (``analysis/cli/<command>.py``) with a ``register(app)``
function; a command module only parses options, calls a package function and prints.
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
    from analysis.cli import analyze, evaluate, ingest, kwic, render, tag

    for command in (ingest, tag, kwic, evaluate, analyze, render):
        command.register(app)


_register_all()


def main() -> None:
    """Entry point of the ``giaoban`` console script."""
    app()
