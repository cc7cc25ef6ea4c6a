"""``giaoban tag``, ``kwic``, ``evaluate`` and ``train``: the topic-tagging commands."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional, TextIO

import pandas as pd
import typer

from analysis import paths


CODEBOOK_HELP = "Codebook YAML file (default: the packaged analysis/codebooks/default.yml)."


def _fail(command: str, exc: Exception, status: int = 2) -> typer.Exit:
    typer.echo(f"giaoban {command}: error: {exc}", err=True)
    return typer.Exit(status)


def _codebook(path: Optional[Path]):
    from analysis.topics.codebook import load_codebook

    return load_codebook(path)


def _read_table(build: Path, name: str, required: bool = True) -> Optional[pd.DataFrame]:
    path = paths.build_file(build, name)
    if not path.is_file():
        if required:
            raise FileNotFoundError(f"{path} not found; run `giaoban ingest --build {build}` first")
        return None
    return pd.read_parquet(path)


# --------------------------------------------------------------------------- tag


def tag_command(
    build: Path = typer.Option(paths.BUILD_DIR, "--build", help="Build folder with passages.parquet."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help=CODEBOOK_HELP),
    model: Optional[Path] = typer.Option(None, "--model", help="Classifier from `giaoban train`: its topics are added to the codebook's."),
    model_only: bool = typer.Option(False, "--model-only", help="With --model: use the classifier alone, not the codebook."),
    jsonl: bool = typer.Option(False, "--jsonl", help='Tag JSON lines {"id", "text"} from stdin; write one JSON line per input to stdout.'),
    progress: bool = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: when stderr is a terminal)."),
) -> None:
    """Tag passages with topics: build/tags.parquet, doc_topics.parquet and topic_roles.parquet."""
    try:
        book = _codebook(codebook)
        trained = _load_model(model, book) if model is not None else None
        if model_only and trained is None:
            raise ValueError("--model-only needs --model MODEL")
    except ValueError as exc:
        raise _fail("tag", exc)
    if jsonl:
        bad = tag_jsonl_stream(sys.stdin, sys.stdout, book, trained, model_only)
        raise typer.Exit(1 if bad else 0)
    try:
        _tag_build(build, book, trained, model_only, sys.stderr.isatty() if progress is None else progress)
    except (FileNotFoundError, ValueError) as exc:
        raise _fail("tag", exc)


def _load_model(path: Path, book):
    from analysis.topics.classifier import load_model

    trained = load_model(path)
    if trained.codebook_hash != book.hash:
        typer.echo(f"giaoban: note: model {path} was trained next to another codebook "
                   f"({trained.codebook_hash}, now {book.hash}); its own predictions are unaffected",
                   err=True)
    return trained


def _tag_build(build: Path, book, trained, model_only: bool, progress: bool) -> None:
    from analysis.topics.classifier import combine_tags, model_tags
    from analysis.io import write_parquet_atomic
    from analysis.topics.tagging import passages_tag, tags_by_document, tags_by_role

    started = time.perf_counter()
    passages = _read_table(build, paths.PASSAGES_FILE)
    documents = _read_table(build, paths.DOCUMENTS_FILE, required=False)
    tags = passages_tag(passages, book, progress=progress) if not model_only else None
    if trained is not None:
        predicted = model_tags(passages, trained)
        tags = predicted if model_only else combine_tags(tags, predicted)
    topics = book.ids + [t for t in (trained.topics if trained else []) if t not in book.ids]
    write_parquet_atomic(paths.build_file(build, paths.TAGS_FILE), tags)
    write_parquet_atomic(paths.build_file(build, paths.DOC_TOPICS_FILE),
                         tags_by_document(tags, passages, topics, documents))
    write_parquet_atomic(paths.build_file(build, paths.TOPIC_ROLES_FILE), tags_by_role(tags, passages, topics))
    counts = tags.drop_duplicates(["doc_id", "passage_id", "topic"]).groupby("topic").size()
    summary = ", ".join(f"{t} {int(counts.get(t, 0))}" for t in topics)
    typer.echo(f"{len(passages)} passages, {len(tags)} tags in {time.perf_counter() - started:.2f} s "
               f"-> {build}\npassages per topic: {summary}")


def jsonl_line(item_id, text: str, matches: list, model_topics: list[str] | None = None) -> str:
    """The output line for one input: id, sorted topics, evidence."""
    evidence = [{"topic": t, "term": term, "start": s, "end": e} for t, term, s, e in matches]
    topics = {m[0] for m in matches} | set(model_topics or [])
    evidence += [{"topic": t, "term": None, "start": None, "end": None}
                 for t in sorted(set(model_topics or []) - {m[0] for m in matches})]
    return json.dumps({"id": item_id, "topics": sorted(topics), "evidence": evidence},
                      ensure_ascii=False)


def tag_jsonl_stream(source: TextIO, sink: TextIO, book, trained=None, model_only: bool = False) -> int:
    """Tag JSON lines from ``source`` to ``sink``; return the number of bad lines.

    A bad line gives ``{"line": N, "error": ...}`` on ``sink`` (and a message on stderr), so
    outputs stay one per input line; blank lines are skipped.
    """
    from analysis.topics.tagging import compile_codebook, text_matches

    matcher = compile_codebook(book)
    bad = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            problem = None if isinstance(item, dict) and isinstance(item.get("text"), str) \
                else 'expected an object {"id": ..., "text": "..."}'
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON ({exc.msg} at column {exc.colno})"
        if problem is not None:
            bad += 1
            message = f"line {number}: {problem}; skipped"
            sink.write(json.dumps({"line": number, "error": message}, ensure_ascii=False) + "\n")
            typer.echo(f"giaoban tag --jsonl: {message}", err=True)
            continue
        matches = [] if model_only else text_matches(item["text"], matcher)
        model_topics = trained.predict([item["text"]])[0] if trained is not None else None
        sink.write(jsonl_line(item.get("id"), item["text"], matches, model_topics) + "\n")
        sink.flush()
    return bad


# --------------------------------------------------------------------------- kwic


def kwic_command(
    query: str = typer.Argument(..., help="A topic id of the codebook, or a phrase (read like a codebook pattern)."),
    build: Path = typer.Option(paths.BUILD_DIR, "--build", help="Build folder with passages.parquet."),
    width: int = typer.Option(40, "--width", min=0, help="Characters of context on each side."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help=CODEBOOK_HELP),
    limit: int = typer.Option(200, "--limit", min=1, help="Show at most this many lines."),
) -> None:
    """Keyword in context: document, province, role, left context, match, right context."""
    from rich.console import Console
    from rich.table import Table

    from analysis.topics.kwic import kwic

    try:
        passages = _read_table(build, paths.PASSAGES_FILE)
        documents = _read_table(build, paths.DOCUMENTS_FILE, required=False)
        lines = kwic(passages, query, _codebook(codebook), documents, width)
    except (FileNotFoundError, ValueError) as exc:
        raise _fail("kwic", exc)
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


# --------------------------------------------------------------------------- evaluate / train


def evaluate_command(
    gold: Optional[Path] = typer.Option(None, "--gold", help="Gold jsonl file (format of tests/data/topics_dev.jsonl): topics only."),
    labelled_set: Optional[Path] = typer.Option(None, "--set", help="Labelled set folder (docs/, documents.csv, passages.jsonl as in tests/data/more): metadata, segmentation, roles and topics."),
    seeds: bool = typer.Option(False, "--seeds", help="The kit's seeds (corpus/raw with tests/data/documents_dev.csv and topics_dev.jsonl) as a labelled set."),
    exclude_list: Optional[Path] = typer.Option(None, "--exclude-list", help="With --set/--seeds: leave out the files listed in this file (one per line, # comments)."),
    only_list: Optional[Path] = typer.Option(None, "--only-list", help="With --set/--seeds: score only the files listed in this file."),
    json_out: bool = typer.Option(False, "--json", help="With --set/--seeds: print the figures (and errors) as JSON."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help=CODEBOOK_HELP),
    errors: bool = typer.Option(True, "--errors/--no-errors", help="List the misses behind each figure."),
) -> None:
    """Score the kit against labels: topics on a gold file (--gold), or everything on a labelled set."""
    if sum((gold is not None, labelled_set is not None, seeds)) != 1:
        raise _fail("evaluate", ValueError("give one of --gold FILE, --set DIR or --seeds"))
    if gold is not None:
        _evaluate_gold(gold, codebook, errors)
        return
    from analysis.evaluation import (evaluate_set, format_evaluation, read_labelled_set, read_name_list,
                                     seeds_set, select_documents)

    try:
        labelled = seeds_set() if seeds else read_labelled_set(labelled_set)
        labelled = select_documents(labelled, read_name_list(exclude_list) if exclude_list else None,
                                    read_name_list(only_list) if only_list else None)
        result = evaluate_set(labelled, _codebook(codebook))
    except ValueError as exc:
        raise _fail("evaluate", exc)
    if json_out:
        typer.echo(json.dumps(result.figures(), ensure_ascii=False, indent=1))
    else:
        typer.echo(format_evaluation(result, errors))


def _evaluate_gold(gold: Path, codebook: Optional[Path], errors: bool) -> None:
    from analysis.topics.evaluate import evaluate_codebook, read_gold

    try:
        scores, mistakes = evaluate_codebook(read_gold(gold), _codebook(codebook))
    except ValueError as exc:
        raise _fail("evaluate", exc)
    typer.echo(scores.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    if errors:
        typer.echo(f"\n{len(mistakes)} error(s)" + (":" if len(mistakes) else ""))
        for item in mistakes.itertuples(index=False):
            evidence = f" [evidence: {item.evidence}]" if item.evidence else ""
            typer.echo(f"{item.kind} {item.topic} {item.id}{evidence}: {item.text[:160]}")


def train_command(
    gold: Path = typer.Option(..., "--gold", help="Labelled passages (gold jsonl format)."),
    out: Path = typer.Option(..., "--out", help="Model file to write (joblib)."),
    codebook: Optional[Path] = typer.Option(None, "--codebook", help=CODEBOOK_HELP),
    folds: int = typer.Option(5, "--folds", min=2, help="Cross-validation folds."),
    seed: int = typer.Option(0, "--seed", help="Random state of the folds and the classifiers."),
) -> None:
    """Train a classifier per topic; report cross-validated P/R/F1 next to the codebook's."""
    from analysis.topics.classifier import cross_validate_topics, save_model, train_model
    from analysis.topics.evaluate import read_gold

    try:
        labelled, book = read_gold(gold), _codebook(codebook)
        scores = cross_validate_topics(labelled, book, folds, seed)
        model = train_model(labelled, book, random_state=seed)
    except ValueError as exc:
        raise _fail("train", exc)
    typer.echo(f"{folds}-fold cross-validation (same folds for both methods):")
    wide = scores.pivot(index="topic", columns="method", values=["precision", "recall", "f1"])
    wide = wide.reindex([t for t in scores["topic"].drop_duplicates()])
    wide.columns = [f"{metric}_{method}" for metric, method in wide.columns]
    typer.echo(wide.to_string(float_format=lambda v: f"{v:.3f}"))
    save_model(model, out)
    typer.echo(f"model ({len(model.topics)} topics, {model.n_train} passages) -> {out}")


def register(app: typer.Typer) -> None:
    """Add the tagging commands to the ``giaoban`` app."""
    app.command("tag")(tag_command)
    app.command("kwic")(kwic_command)
    app.command("evaluate")(evaluate_command)
    app.command("train")(train_command)
