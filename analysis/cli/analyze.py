"""``giaoban analyze``: build tables -> analysis tables and figures (``analysis.compare.analyze``)."""

from __future__ import annotations

from pathlib import Path

import typer

from analysis import paths
from analysis.cli.common import (
    build_option,
    cluster,
    codebook_option,
    fail,
    partition_option,
    scheduler_option,
    warnings_as_lines,
)


def analyze_command(
    build: Path = build_option(),
    figures: Path = typer.Option(paths.FIGURES_DIR, "--figures", help="Folder for PNG and SVG figures."),
    codebook: Path | None = codebook_option(),
    k: int = typer.Option(8, "--k", min=1, help="Number of passage themes (NMF components)."),
    by: str = typer.Option("province", "--by", help="Group documents by 'province' or 'province_2025'."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bars."),
    scheduler: str | None = scheduler_option(),
    partition_docs: int | None = partition_option(),
) -> None:
    """Themes, clusters, province comparisons, keyness, indicators and figures from a build folder."""
    from analysis.build import BuildError
    from analysis.compare.analyze import analyze_build
    from analysis.topics.codebook import load_codebook

    try:
        book = load_codebook(codebook) if codebook is not None else None
        with warnings_as_lines("analyze"), cluster("analyze", scheduler) as client:
            result = analyze_build(build, figures, codebook=book, by=by, k=k, progress=progress, client=client,
                                   partition_docs=partition_docs)
    except (BuildError, ValueError) as exc:
        raise fail("analyze", exc)
    steps = ", ".join(f"{name} {sec:.1f} s" for name, sec in result.timings.items())
    typer.echo(f"{len(result.tables)} tables -> {build}; {len(result.figures) // 2} figures (PNG+SVG) "
               f"-> {figures}; {sum(result.timings.values()):.1f} s ({steps})")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
