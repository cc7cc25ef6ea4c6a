"""``giaoban evaluate`` and ``giaoban train``: the codebook and a trained classifier scored on
labelled passages (``analysis.topics.evaluate``, ``analysis.topics.classifier``)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from analysis.cli.common import codebook_option, fail, load_codebook_or_default


def evaluate_command(
    gold: Path | None = typer.Option(
        None, "--gold", help="Gold jsonl file (format of tests/data/topics_dev.jsonl): topics only."),
    labelled_set: Path | None = typer.Option(
        None, "--set", help="Labelled set folder (docs/, documents.csv, passages.jsonl as in tests/data/more): "
                            "metadata, segmentation, roles and topics."),
    seeds: bool = typer.Option(
        False, "--seeds", help="The kit's seeds (corpus/raw with tests/data/documents_dev.csv and "
                               "topics_dev.jsonl) as a labelled set."),
    exclude_list: Path | None = typer.Option(
        None, "--exclude-list", help="With --set/--seeds: leave out the files listed in this file "
                                     "(one per line, # comments)."),
    only_list: Path | None = typer.Option(
        None, "--only-list", help="With --set/--seeds: score only the files listed in this file."),
    json_out: bool = typer.Option(False, "--json", help="With --set/--seeds: print the figures (and errors) as JSON."),
    codebook: Path | None = codebook_option(),
    errors: bool = typer.Option(True, "--errors/--no-errors", help="List the misses behind each figure."),
) -> None:
    """Score the kit against labels: topics on a gold file (--gold), or everything on a labelled set."""
    if sum((gold is not None, labelled_set is not None, seeds)) != 1:
        raise fail("evaluate", ValueError("give one of --gold FILE, --set DIR or --seeds"))
    if gold is not None:
        _evaluate_gold(gold, codebook, errors)
        return
    from analysis.evaluation import (
        evaluate_set,
        format_evaluation,
        read_labelled_set,
        read_name_list,
        seeds_set,
        select_documents,
    )

    try:
        labelled = seeds_set() if seeds else read_labelled_set(labelled_set)
        labelled = select_documents(labelled, read_name_list(exclude_list) if exclude_list else None,
                                    read_name_list(only_list) if only_list else None)
        result = evaluate_set(labelled, load_codebook_or_default(codebook))
    except ValueError as exc:
        raise fail("evaluate", exc)
    if json_out:
        typer.echo(json.dumps(result.figures(), ensure_ascii=False, indent=1))
    else:
        typer.echo(format_evaluation(result, errors))


def _evaluate_gold(gold: Path, codebook: Path | None, errors: bool) -> None:
    from analysis.topics.evaluate import evaluate_codebook, read_gold

    try:
        scores, mistakes = evaluate_codebook(read_gold(gold), load_codebook_or_default(codebook))
    except ValueError as exc:
        raise fail("evaluate", exc)
    typer.echo(scores.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if errors:
        typer.echo(f"\n{len(mistakes)} error(s)" + (":" if len(mistakes) else ""))
        for item in mistakes.itertuples(index=False):
            evidence = f" [evidence: {item.evidence}]" if item.evidence else ""
            typer.echo(f"{item.kind} {item.topic} {item.id}{evidence}: {item.text[:160]}")


def train_command(
    gold: Path = typer.Option(..., "--gold", help="Labelled passages (gold jsonl format)."),
    out: Path = typer.Option(..., "--out", help="Model file to write (joblib)."),
    codebook: Path | None = codebook_option(),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds."),
    seed: int = typer.Option(0, "--seed", help="Random state of the folds and the classifiers."),
) -> None:
    """Train a classifier per topic; report cross-validated P/R/F1 next to the codebook's."""
    from analysis.topics.classifier import cross_validate_topics, save_model, train_model
    from analysis.topics.evaluate import read_gold

    try:
        labelled, book = read_gold(gold), load_codebook_or_default(codebook)
        scores = cross_validate_topics(labelled, book, folds, seed)
        model = train_model(labelled, book, random_state=seed)
    except ValueError as exc:
        raise fail("train", exc)
    typer.echo(f"{folds}-fold cross-validation (same folds for both methods):")
    wide = scores.pivot(index="topic", columns="method", values=["precision", "recall", "f1"])
    wide = wide.reindex([t for t in scores["topic"].drop_duplicates()])
    wide.columns = [f"{metric}_{method}" for metric, method in wide.columns]
    typer.echo(wide.to_string(float_format=lambda v: f"{v:.3f}"))
    save_model(model, out)
    typer.echo(f"model ({len(model.topics)} topics, {model.n_train} passages) -> {out}")


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate_command)
    app.command("train")(train_command)
