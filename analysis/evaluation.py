"""Validate the kit on a labelled sample before trusting a comparison.

A labelled set is a folder laid out like ``tests/data/more``: ``docs/`` (the documents as found),
``documents.csv`` (one row per file: ``file`` and the expected ``province``, ``date``, ``period``,
``doc_type``, ``signer``, ``chair``; optional ``province_in_text``) and ``passages.jsonl`` (every
passage in order: ``id``, ``source``, ``text``, ``topics``, ``role``, ``ambiguous``,
``role_ambiguous``). :func:`evaluate_set` ingests the documents into a temporary build (no
manifest: what the kit reads from the text alone) and scores metadata, segmentation, roles and
topics with the functions of ``analysis.corpus.evaluate`` and ``analysis.topics.evaluate``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.corpus import evaluate as corpus_evaluate
from analysis.corpus.ingest import ingest, problem_lines
from analysis.text.fold import one_line
from analysis.topics.codebook import Codebook, load_codebook
from analysis.topics.evaluate import evaluate_codebook, read_gold

SET_DOCS = "docs"
SET_DOCUMENTS = "documents.csv"
SET_PASSAGES = "passages.jsonl"
CORE_METADATA = ("province", "date", "period", "doc_type")


@dataclass(frozen=True)
class LabelledSet:
    """Documents with their expected metadata and labelled passages."""

    name: str
    docs_dir: Path
    documents: pd.DataFrame  # documents.csv rows
    passages: pd.DataFrame  # gold passages (analysis.topics.evaluate.GOLD_COLUMNS)
    note: str = ""  # how the set was narrowed ("8 documents left out by HOLDOUT.txt")


def read_labelled_set(folder: str | Path, docs_dir: str | Path | None = None,
                      documents_file: str | Path | None = None,
                      passages_file: str | Path | None = None) -> LabelledSet:
    """A labelled set from ``folder`` (``docs/``, ``documents.csv``, ``passages.jsonl``); each part
    may be given elsewhere. A missing part or column raises ``ValueError`` saying what to add."""
    folder = Path(folder)
    docs_dir = Path(docs_dir) if docs_dir else folder / SET_DOCS
    documents_file = Path(documents_file) if documents_file else folder / SET_DOCUMENTS
    passages_file = Path(passages_file) if passages_file else folder / SET_PASSAGES
    layout = f"a labelled set holds {SET_DOCS}/, {SET_DOCUMENTS} and {SET_PASSAGES} (see README, 'Validating the kit')"
    for part, is_there in ((docs_dir, docs_dir.is_dir()), (documents_file, documents_file.is_file()),
                           (passages_file, passages_file.is_file())):
        if not is_there:
            raise ValueError(f"labelled set {folder}: {part} not found; {layout}")
    documents = pd.read_csv(documents_file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in ("file", *CORE_METADATA) if c not in documents.columns]
    if missing:
        raise ValueError(f"{documents_file}: no column {', '.join(missing)}; "
                         f"it needs file, {', '.join(CORE_METADATA)} (signer, chair optional)")
    passages = read_gold(passages_file)
    if (passages["source"] == "").any():
        raise ValueError(f"{passages_file}: every passage needs 'source' (the file name in {docs_dir})")
    return LabelledSet(str(folder), docs_dir, documents, passages)


def seeds_set(project: Path | None = None) -> LabelledSet:
    """The kit's five seed documents (``corpus/raw``) with their labels, kept in the checkout's
    ``tests/data/documents_dev.csv`` and ``tests/data/topics_dev.jsonl``, as a labelled set."""
    project = Path(project or paths.REPO_ROOT)
    labels = project / "tests" / "data"
    if not (labels / "documents_dev.csv").is_file():
        raise ValueError(f"{labels}: the seeds' labels are not here (they come with a checkout of the kit); "
                         "use --set DIR for a labelled set of your own")
    return replace(read_labelled_set(labels, docs_dir=project / "corpus" / "raw",
                                     documents_file=labels / "documents_dev.csv",
                                     passages_file=labels / "topics_dev.jsonl"), name="seeds")


def read_name_list(path: str | Path) -> list[str]:
    """File names listed one per line (blank lines and ``#`` comments skipped), as in HOLDOUT.txt."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"list of files {path}: cannot read it ({exc.strerror})") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def select_documents(labelled: LabelledSet, exclude: list[str] | None = None,
                     only: list[str] | None = None) -> LabelledSet:
    """The set without the files in ``exclude`` and, when ``only`` is given, with those alone."""
    unknown = sorted((set(exclude or []) | set(only or [])) - set(labelled.documents["file"]))
    if unknown:
        raise ValueError(f"labelled set {labelled.name}: {', '.join(unknown)} not in its documents table")
    keep = ~labelled.documents["file"].isin(exclude or [])
    if only is not None:
        keep &= labelled.documents["file"].isin(only)
    documents = labelled.documents[keep].reset_index(drop=True)
    passages = labelled.passages[labelled.passages["source"].isin(documents["file"])].reset_index(drop=True)
    left_out = len(labelled.documents) - len(documents)
    note = f"{len(documents)} of {len(labelled.documents)} documents" if left_out else ""
    return replace(labelled, documents=documents, passages=passages, note=note)


@dataclass
class SetEvaluation:
    """Every figure of one labelled set, with the errors behind them."""

    name: str
    note: str
    n_documents: int
    metadata: pd.DataFrame  # field, right, total, accuracy
    misses: pd.DataFrame  # corpus_evaluate.MISS_COLUMNS
    segmentation: pd.DataFrame  # match, passages, share
    role_accuracy: float
    role_confusion: pd.DataFrame
    n_role_scored: int
    role_errors: pd.DataFrame  # id, gold_role, role, text: the scored passages the kit gave another role
    topic_scores: pd.DataFrame  # analysis.topics.evaluate.SCORE_COLUMNS
    topic_errors: pd.DataFrame
    problems: list[str] = field(default_factory=list)
    check: pd.DataFrame = field(default_factory=pd.DataFrame)

    def figures(self) -> dict:
        """The figures as plain JSON-ready values (and the lists of errors)."""
        return {
            "set": self.name, "selection": self.note, "documents": self.n_documents,
            "metadata": {row.field: {"right": int(row.right), "total": int(row.total),
                                     "accuracy": round(float(row.accuracy), 4)}
                         for row in self.metadata.itertuples(index=False)},
            "segmentation": {row.match: {"passages": int(row.passages), "share": round(float(row.share), 4)}
                             for row in self.segmentation.itertuples(index=False)},
            "roles": {"accuracy": round(self.role_accuracy, 4), "scored": self.n_role_scored,
                      "confusion": {gold: {kit: int(n) for kit, n in row.items() if n}
                                    for gold, row in self.role_confusion.iterrows()}},
            "topics": {row.topic: {"precision": round(float(row.precision), 4), "recall": round(float(row.recall), 4),
                                   "f1": round(float(row.f1), 4), "support": int(row.support),
                                   "tp": int(row.tp), "fp": int(row.fp), "fn": int(row.fn)}
                       for row in self.topic_scores.itertuples(index=False)},
            "metadata_misses": self.misses.to_dict("records"),
            "role_errors": self.role_errors.drop(columns="text").to_dict("records"),
            "topic_errors": self.topic_errors.drop(columns="text").to_dict("records"),
            "problems": self.problems,
        }


def _ingest_copy(labelled: LabelledSet, workdir: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Ingest the set's documents from a private copy (no manifest); tables and problem lines."""
    raw = workdir / "corpus" / "raw"
    raw.mkdir(parents=True)
    problems = []
    for name in labelled.documents["file"]:
        source = labelled.docs_dir / name
        if source.is_file():
            shutil.copyfile(source, raw / name)
        else:
            problems.append(f"{name}: listed in the documents table but not in {labelled.docs_dir}")
    # The copy has no manifest.csv beside raw/: every field comes from the texts.
    result = ingest(workdir / "corpus", workdir / "build", progress=False)
    problems += problem_lines(result.problems)
    return result.documents, result.passages, problems


def evaluate_set(labelled: LabelledSet, codebook: Codebook | None = None) -> SetEvaluation:
    """Ingest ``labelled``'s documents into a temporary build and score the kit against its labels."""
    codebook = codebook or load_codebook()
    with tempfile.TemporaryDirectory(prefix="giaoban-evaluate-") as tmp:
        documents, passages, problems = _ingest_copy(labelled, Path(tmp))
    metadata, misses = corpus_evaluate.score_metadata(documents, labelled.documents)
    accuracy, confusion, matched = corpus_evaluate.role_scores(passages, labelled.passages)
    topic_scores, topic_errors = evaluate_codebook(labelled.passages, codebook)
    return SetEvaluation(
        name=labelled.name, note=labelled.note, n_documents=len(labelled.documents),
        metadata=metadata, misses=misses,
        segmentation=corpus_evaluate.segmentation_agreement(passages, labelled.passages),
        role_accuracy=accuracy, role_confusion=confusion, n_role_scored=len(matched),
        role_errors=_role_errors(matched),
        topic_scores=topic_scores, topic_errors=topic_errors, problems=problems,
    )


def _role_errors(matched: pd.DataFrame) -> pd.DataFrame:
    wrong = matched[matched["role"] != matched["gold_role"]]
    return wrong.assign(role=wrong["role"].fillna("(none)"))[["id", "gold_role", "role", "text"]].reset_index(drop=True)


# --------------------------------------------------------------------------- text report


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False, float_format=lambda v: f"{v:.3f}")


def _metadata_lines(result: SetEvaluation, errors: bool) -> list[str]:
    lines = ["Metadata: share of documents whose field the kit read right "
             "(province, date, period, doc_type are the targets; signer and chair for information)",
             _table(result.metadata)]
    if errors and len(result.misses):
        lines.append(f"{len(result.misses)} miss(es):")
        for miss in result.misses.itertuples(index=False):
            evidence = f"  [evidence: {one_line(miss.evidence)[:80]}]" if miss.evidence else ""
            lines.append(f"  {miss.doc_id} {miss.field}: expected {miss.expected or '(empty)'!s}, "
                         f"got {miss.got or '(empty)'}{evidence}")
    return lines


def _passage_lines(result: SetEvaluation, errors: bool) -> list[str]:
    segmentation = result.segmentation.set_index("match")
    total = int(segmentation["passages"].sum())
    others = ", ".join(f"{kind} {segmentation.at[kind, 'share']:.3f}" for kind in ("contained", "overlap", "none"))
    lines = [f"Segmentation: {segmentation.at['exact', 'share']:.3f} of {total} labelled passages cut "
            f"identically (the rest: {others})",
            f"Roles: {result.role_accuracy:.3f} of {result.n_role_scored} scored passages "
            "(confusion: rows = labelled role, columns = kit's role; (none) = passage not found)",
            result.role_confusion.to_string()]
    if errors and len(result.role_errors):
        lines.append(f"{len(result.role_errors)} role error(s) (labelled -> kit):")
        lines += [f"  {item.id} {item.gold_role} -> {item.role}: {one_line(item.text)[:140]}"
                  for item in result.role_errors.itertuples(index=False)]
    return lines


def _topic_lines(result: SetEvaluation, errors: bool) -> list[str]:
    lines = ["Topics: the codebook on the labelled passages (ambiguous ones left out)", _table(result.topic_scores)]
    if errors and len(result.topic_errors):
        lines.append(f"{len(result.topic_errors)} error(s):")
        for item in result.topic_errors.itertuples(index=False):
            evidence = f" [evidence: {item.evidence}]" if item.evidence else ""
            lines.append(f"  {item.kind} {item.topic} {item.id}{evidence}: {one_line(item.text)[:140]}")
    return lines


def format_evaluation(result: SetEvaluation, errors: bool = True) -> str:
    """The evaluation as a plain-text report (tables, then the errors behind each figure)."""
    head = f"Labelled set {result.name}: {result.n_documents} documents" + (f" ({result.note})" if result.note else "")
    sections = [[head], _metadata_lines(result, errors), _passage_lines(result, errors), _topic_lines(result, errors)]
    if result.problems:
        sections.append(["Ingest problems:", *(f"  {line}" for line in result.problems)])
    return "\n\n".join("\n".join(lines) for lines in sections)
