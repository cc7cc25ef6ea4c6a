"""``giaoban ingest``: corpus files -> build/documents.parquet and build/passages.parquet."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from analysis import paths
from analysis.build import table_path
from analysis.cli.common import cluster, partition_option, scheduler_option
from analysis.corpus.readers import FILE_TIMEOUT, MAX_BYTES

SUMMARY_COLUMNS = ["doc_id", "province", "date", "period", "doc_type", "n_passages"]
SUMMARY_MAX_ROWS = 50


def summary_text(documents, build_dir: Path) -> str:
    """One row per document; on a large corpus, one row per province and type instead."""
    if len(documents) <= SUMMARY_MAX_ROWS:
        return documents[SUMMARY_COLUMNS].to_string(index=False)
    counts = (documents.assign(province=documents["province"].replace("", "(unknown)"))
              .groupby(["province", "doc_type"]).agg(documents=("doc_id", "size"), passages=("n_passages", "sum"))
              .reset_index())
    return (f"{len(documents)} documents: one row per province and type "
            f"(per document: {table_path(build_dir, 'documents')})\n" + counts.to_string(index=False))


def ingest_command(
    corpus: Path = typer.Option(paths.CORPUS_DIR, "--corpus",
                                help="Corpus folder (documents in <corpus>/raw or the folder itself)."),
    build: Path = typer.Option(paths.BUILD_DIR, "--build", help="Build folder for the tables."),
    manifest: Path = typer.Option(None, "--manifest", help="Manifest CSV (default <corpus>/manifest.csv)."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on for 100+ files)."),
    max_file_mb: float = typer.Option(MAX_BYTES / 1e6, "--max-file-mb", min=0.001,
                                      help="Largest file (and unpacked .docx) read, in MB."),
    file_timeout: float = typer.Option(FILE_TIMEOUT, "--file-timeout", min=0.1,
                                       help="Seconds one file may take to read before it is skipped."),
    ocr: str = typer.Option("auto", "--ocr", help="OCR of PDF pages: auto (pages without a text layer), "
                                                  "never, always (every page, for a garbage text layer)."),
    jobs: int = typer.Option(1, "--jobs", min=1, help="PDF pages OCR'd in parallel."),
    scheduler: str | None = scheduler_option(),
    partition_docs: int | None = partition_option(),
) -> None:
    """Ingest a corpus into documents and passages tables; exit 1 if any file failed."""
    from analysis.build import BuildError
    from analysis.corpus.checks import format_check_list
    from analysis.corpus.ingest import ingest, problem_lines

    started = time.perf_counter()
    try:
        with cluster("ingest", scheduler) as client:
            result = ingest(corpus, build, manifest_path=manifest, progress=progress,
                            max_bytes=int(max_file_mb * 1e6), file_timeout=file_timeout, ocr=ocr, jobs=jobs,
                            client=client, partition_docs=partition_docs)
    except (BuildError, OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    elapsed = time.perf_counter() - started
    typer.echo(summary_text(result.documents, build))
    typer.echo(
        f"{len(result.documents)} documents, {int(result.documents['n_passages'].sum())} passages "
        f"({result.reused} reused unchanged) in {elapsed:.2f} s -> {build}"
    )
    typer.echo(format_check_list(result.checks))
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    for line in problem_lines(result.problems):
        typer.echo(line, err=True)
    if result.failed:
        failing = sum(problem.kind != "check" for problem in result.problems)
        typer.echo(f"{failing} problem(s): file(s) not ingested or manifest rows unused; see the lines above",
                   err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
