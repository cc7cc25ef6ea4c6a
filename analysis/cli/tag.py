"""``giaoban tag``: passages -> tags, doc_topics and topic_roles (``analysis.topics.tag``)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from analysis.cli.common import (
    build_option,
    cluster,
    codebook_option,
    fail,
    load_codebook_or_default,
    partition_option,
    scheduler_option,
)


def tag_command(
    build: Path = build_option(),
    codebook: Path | None = codebook_option(),
    model: Path | None = typer.Option(
        None, "--model", help="Classifier from `giaoban train`: its topics are added to the codebook's."),
    model_only: bool = typer.Option(
        False, "--model-only", help="With --model: use the classifier alone, not the codebook."),
    jsonl: bool = typer.Option(
        False, "--jsonl", help='Tag JSON lines {"id", "text"} from stdin; write one JSON line per input to stdout.'),
    progress: bool = typer.Option(
        None, "--progress/--no-progress", help="Progress bar (default: when stderr is a terminal)."),
    scheduler: str | None = scheduler_option(),
    partition_docs: int | None = partition_option(),
) -> None:
    """Tag passages with topics: build/tags.parquet, doc_topics.parquet and topic_roles.parquet."""
    from analysis.build import BuildError
    from analysis.topics.tag import passages_per_topic, tag_build, tag_jsonl

    started = time.perf_counter()
    try:
        book = load_codebook_or_default(codebook)
        trained = _load_model(model, book) if model is not None else None
        if model_only and trained is None:
            raise ValueError("--model-only needs --model MODEL")
        if jsonl:
            bad = tag_jsonl(sys.stdin, sys.stdout, book, trained, model_only,
                            on_error=lambda message: typer.echo(f"giaoban tag --jsonl: {message}", err=True))
            raise typer.Exit(1 if bad else 0)
        with cluster("tag", scheduler) as client:
            result = tag_build(build, book, model=trained, model_only=model_only,
                               progress=sys.stderr.isatty() if progress is None else progress,
                               client=client, partition_docs=partition_docs)
    except (BuildError, ValueError) as exc:
        raise fail("tag", exc)
    counts = ", ".join(f"{topic} {n}" for topic, n in passages_per_topic(result).items())
    typer.echo(f"{result.n_passages} passages, {result.n_tags} tags in "
               f"{time.perf_counter() - started:.2f} s -> {build}\npassages per topic: {counts}")


def _load_model(path: Path, book):
    from analysis.topics.classifier import load_model

    trained = load_model(path)
    if trained.codebook_hash != book.hash:
        typer.echo(f"giaoban: note: model {path} was trained next to another codebook "
                   f"({trained.codebook_hash}, now {book.hash}); its own predictions are unaffected",
                   err=True)
    return trained


def register(app: typer.Typer) -> None:
    app.command("tag")(tag_command)
