"""``giaoban ingest``: corpus files -> build/documents.parquet and build/passages.parquet."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from analysis import paths

SUMMARY_COLUMNS = ["doc_id", "province", "date", "period", "doc_type", "n_passages"]
SUMMARY_MAX_ROWS = 50
PROBLEMS_FILE = "ingest_problems.txt"


def summary_text(documents, build_dir: Path) -> str:
    """One row per document; on a large corpus, one row per province and type instead."""
    if len(documents) <= SUMMARY_MAX_ROWS:
        return documents[SUMMARY_COLUMNS].to_string(index=False)
    counts = (documents.assign(province=documents["province"].replace("", "(unknown)"))
              .groupby(["province", "doc_type"]).agg(documents=("doc_id", "size"), passages=("n_passages", "sum"))
              .reset_index())
    return (f"{len(documents)} documents: one row per province and type "
            f"(per document: {Path(build_dir) / paths.DOCUMENTS_FILE})\n" + counts.to_string(index=False))


def ingest_command(
    corpus: Path = typer.Option(paths.CORPUS_DIR, "--corpus", help="Corpus folder (documents in <corpus>/raw or the folder itself)."),
    build: Path = typer.Option(paths.BUILD_DIR, "--build", help="Build folder for the tables."),
    manifest: Path = typer.Option(None, "--manifest", help="Manifest CSV (default <corpus>/manifest.csv)."),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: on for 100+ files)."),
    ocr: str = typer.Option("auto", "--ocr", help="OCR of PDF pages: auto (pages without a text layer), "
                                                  "never, always (every page, for a garbage text layer)."),
    jobs: int = typer.Option(1, "--jobs", help="PDF pages OCR'd in parallel."),
) -> None:
    """Ingest a corpus into documents and passages tables; exit 1 if any file failed."""
    from analysis.corpus.ingest import ingest

    started = time.perf_counter()
    try:
        result = ingest(corpus, build, manifest_path=manifest, progress=progress, ocr=ocr, jobs=jobs)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    elapsed = time.perf_counter() - started
    typer.echo(summary_text(result.documents, build))
    typer.echo(
        f"{len(result.documents)} documents, {len(result.passages)} passages "
        f"({result.reused} reused unchanged) in {elapsed:.2f} s -> {build}"
    )
    lines = [f"{problem.kind}: {problem.message}" for problem in result.problems if problem.kind != "check"]
    for line in lines:
        typer.echo(line, err=True)
    _record_problems(build, lines)
    checks = [f"check: {problem.message}" for problem in result.problems if problem.kind == "check"]
    if checks:  # read and kept, but a person should compare them with the scans
        typer.echo(f"{len(checks)} OCR'd document(s) to check:\n" + "\n".join(checks), err=True)
    if result.failed:
        typer.echo(f"{len(lines)} file(s) not ingested or incomplete; see the lines above", err=True)
        raise typer.Exit(1)


def _record_problems(build: Path, lines: list[str]) -> None:
    """Keep the last run's problems in the build folder, so a scheduled job can report them
    after rendering (``make reports`` fails at the end when the file is not empty)."""
    from analysis.io import write_text_atomic

    target = Path(build) / PROBLEMS_FILE
    if lines:
        write_text_atomic(target, "\n".join(lines) + "\n")
    else:
        target.unlink(missing_ok=True)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
