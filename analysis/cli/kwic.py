"""``giaoban kwic``: keyword in context over the build's passages (``analysis.topics.kwic``)."""

from __future__ import annotations

from pathlib import Path

import typer

from analysis.cli.common import build_option, codebook_option, fail, load_codebook_or_default


def kwic_command(
    query: str = typer.Argument(..., help="A topic id of the codebook, or a phrase (read like a codebook pattern)."),
    build: Path = build_option(),
    width: int = typer.Option(40, "--width", min=0, help="Characters of context on each side."),
    codebook: Path | None = codebook_option(),
    limit: int = typer.Option(200, "--limit", min=1, help="Show at most this many lines."),
) -> None:
    """Keyword in context: document, province, role, left context, match, right context."""
    from rich.console import Console
    from rich.table import Table

    from analysis.build import BuildError, read_table
    from analysis.topics.kwic import kwic

    try:
        passages, documents = read_table(build, "passages"), read_table(build, "documents")
        lines = kwic(passages, query, load_codebook_or_default(codebook), documents, width)
    except (BuildError, ValueError) as exc:
        raise fail("kwic", exc)
    table = Table(title=f"{query}: {len(lines)} match(es)", show_lines=False)
    for column, justify in (("doc_id", "left"), ("province", "left"), ("role", "left"),
                            ("left", "right"), ("match", "center"), ("right", "left")):
        table.add_column(column, justify=justify, overflow="fold" if column == "match" else "ellipsis")
    for row in lines.head(limit).itertuples(index=False):
        table.add_row(str(row.doc_id), str(row.province or ""), str(row.role or ""), row.left,
                      f"[bold]{row.match}[/bold]", row.right)
    Console().print(table)
    if len(lines) > limit:
        typer.echo(f"... {len(lines) - limit} more (use --limit)")


def register(app: typer.Typer) -> None:
    app.command("kwic")(kwic_command)
