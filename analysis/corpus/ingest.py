"""Ingestion: corpus files -> documents and passages tables.

The readers (``analysis.corpus.readers``) are the only code that opens source files; this module
orchestrates them, reuses earlier results by content hash, and collects problems so one
bad file never stops a batch. ``corpus/raw`` is read-only: nothing here writes to it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from analysis import build, paths
from analysis.corpus import metadata as metadata_stage
from analysis.corpus import passages as passages_stage
from analysis.corpus.readers import ReadError, read_document
from analysis.io import file_sha256, write_text_atomic
from analysis.schema import DOCUMENT_COLUMNS, PASSAGE_COLUMNS
from analysis.text.fold import count_words

# Files in a corpus folder that are not documents.
NON_DOCUMENT_NAMES = {"manifest.csv", "readme.md", "readme.txt", ".gitkeep"}
INGEST_STATE_FILE = ".ingest_state.json"
PROBLEMS_FILE = "ingest_problems.txt"
PROGRESS_MIN_FILES = 100


@dataclass(frozen=True)
class Problem:
    """One file that could not be ingested (or was skipped), with a one-line message."""

    path: str
    message: str
    kind: str = "error"  # "error" or "duplicate"


@dataclass
class IngestResult:
    documents: pd.DataFrame
    passages: pd.DataFrame | None  # None after a run on a cluster: read it with build.read_table
    problems: list[Problem] = field(default_factory=list)
    reused: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def corpus_files(corpus_dir: str | Path) -> list[Path]:
    """Document files of a corpus: ``<corpus>/raw`` if present, else the folder itself, sorted."""
    root = Path(corpus_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: corpus folder not found; pass --corpus with a folder of documents")
    source = root / "raw" if (root / "raw").is_dir() else root
    return sorted(
        p for p in source.rglob("*")
        if p.is_file() and p.name.lower() not in NON_DOCUMENT_NAMES and not p.name.startswith(".")
    )


def document_tables(doc_id: str, rel_path: str, sha256: str, text: str,
                    manifest_row: Mapping | None) -> tuple[dict, dict[str, list]]:
    """Pure core of ingestion: normalised text -> (document row, passage columns as lists)."""
    passages = passages_stage.passage_columns(text, doc_id)
    meta = metadata_stage.extract_metadata(text, passages)
    if manifest_row:
        meta = metadata_stage.apply_manifest(meta, manifest_row)
    row = {column: "" for column in DOCUMENT_COLUMNS}
    row.update({k: v for k, v in meta.items() if k in row})
    row.update(doc_id=doc_id, path=rel_path, sha256=sha256,
               n_passages=len(passages["text"]), n_words=count_words(passages["text"]))
    return row, passages


def doc_ids_for(files: list[Path], source_root: Path) -> dict[Path, str]:
    """Stable ids from file names: the stem, or the relative path when two stems collide."""
    stems = pd.Series([f.stem for f in files])
    clashing = set(stems[stems.duplicated(keep=False)])
    return {
        f: (f.stem if f.stem not in clashing
            else re.sub(r"[^\w.-]+", "__", str(f.relative_to(source_root))))
        for f in files
    }


def _load_previous(build_dir: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The last run's state and tables, or empty ones when there is no usable earlier run."""
    state_path = build_dir / INGEST_STATE_FILE
    docs_path = build.table_path(build_dir, "documents")
    passages_path = build.table_path(build_dir, "passages")
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        return state, pd.read_parquet(docs_path), pd.read_parquet(passages_path)
    except (OSError, ValueError):  # a missing or damaged earlier run: start afresh
        return {}, pd.DataFrame(columns=DOCUMENT_COLUMNS), pd.DataFrame(columns=PASSAGE_COLUMNS)


def _cache_key(sha256: str, code_hash: str, manifest_row: Mapping | None) -> str:
    manifest_part = json.dumps(dict(manifest_row or {}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{sha256}|{code_hash}|{manifest_part}".encode()).hexdigest()[:24]


@dataclass
class FileOutcome:
    """What one file gave before duplicates are settled across the corpus: its hashes and rows
    (``row``/``passages``), a reuse of the previous run's rows, or a problem."""

    rel_path: str
    doc_id: str
    sha256: str = ""
    key: str = ""
    text_hash: str = ""
    row: dict | None = None
    passages: dict[str, list] | None = None
    reused: bool = False
    problem: Problem | None = None

    def summary(self) -> FileOutcome:
        """The same outcome without its rows (what a cluster task sends back)."""
        return replace(self, row=None, passages=None)


def ingest_file(path: Path, rel_path: str, doc_id: str, manifest_row: Mapping | None, code_hash: str,
                previous: Mapping | None = None, skip: Callable[[str], bool] = lambda sha256: False) -> FileOutcome:
    """Ingest one file: its hash, then (unless ``skip(sha256)``, e.g. a copy already seen) the
    previous run's result when its cache key is unchanged, else its text split into rows."""
    try:
        sha256 = file_sha256(path)
    except OSError as exc:
        return FileOutcome(rel_path, doc_id, problem=Problem(
            rel_path, f"{path.name}: cannot be read ({exc.strerror}); check its permissions"))
    if skip(sha256):
        return FileOutcome(rel_path, doc_id, sha256)
    key = _cache_key(sha256, code_hash, manifest_row)
    if previous and previous.get("key") == key and previous.get("doc_id") == doc_id:
        return FileOutcome(rel_path, doc_id, sha256, key, previous["text_hash"], reused=True)
    try:
        text = read_document(path).text
    except ReadError as exc:
        return FileOutcome(rel_path, doc_id, sha256, key, problem=Problem(rel_path, str(exc)))
    try:
        row, passages = document_tables(doc_id, rel_path, sha256, text, manifest_row)
    except Exception as exc:  # an odd document must not stop the batch
        return FileOutcome(rel_path, doc_id, sha256, key, problem=Problem(
            rel_path, f"{path.name}: could not be split into passages ({exc!r}); please report this file"))
    # Same passages = same document, whatever the format or encoding it came in.
    text_hash = hashlib.sha256("\n".join(passages["text"]).encode("utf-8")).hexdigest()
    return FileOutcome(rel_path, doc_id, sha256, key, text_hash, row, passages)


@dataclass
class _Batch:
    """What one ingest run has seen so far: rows made, rows reused, problems, hashes."""

    code_hash: str
    manifest: Mapping[str, Mapping]
    old_entries: Mapping[str, dict]
    doc_rows: list[dict] = field(default_factory=list)
    passage_columns: list[dict[str, list]] = field(default_factory=list)
    reused_ids: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)
    seen_bytes: dict[str, str] = field(default_factory=dict)
    seen_text: dict[str, str] = field(default_factory=dict)

    def is_duplicate(self, seen: dict[str, str], digest: str, rel_path: str, name: str) -> bool:
        """Record ``digest``; report and return True when an earlier file had it."""
        if digest in seen:
            self.problems.append(Problem(
                rel_path, f"{name}: same document as {seen[digest]}; kept once, remove one of the two copies",
                kind="duplicate"))
            return True
        seen[digest] = rel_path
        return False

    def add_file(self, path: Path, rel_path: str, doc_id: str) -> None:
        """Ingest one file, reusing the previous result when its cache key is unchanged."""
        outcome = ingest_file(path, rel_path, doc_id, self.manifest.get(path.name), self.code_hash,
                              self.old_entries.get(rel_path), skip=self.seen_bytes.__contains__)
        self.add(outcome)

    def add(self, outcome: FileOutcome) -> bool:
        """Settle one file's outcome in corpus order (first copy wins); True when it is kept."""
        rel_path, name = outcome.rel_path, Path(outcome.rel_path).name
        if not outcome.sha256 or self.is_duplicate(self.seen_bytes, outcome.sha256, rel_path, name):
            self.problems.extend([outcome.problem] if outcome.problem and not outcome.sha256 else [])
            return False
        if outcome.problem:
            self.problems.append(outcome.problem)
            return False
        if self.is_duplicate(self.seen_text, outcome.text_hash, rel_path, name):
            return False
        if outcome.reused:
            self.reused_ids.append(outcome.doc_id)
        elif outcome.row is not None:
            self.doc_rows.append(outcome.row)
            self.passage_columns.append(outcome.passages)
        self.entries[rel_path] = {"key": outcome.key, "doc_id": outcome.doc_id, "text_hash": outcome.text_hash}
        return True


def ingest(corpus_dir: str | Path = paths.CORPUS_DIR, build_dir: str | Path = paths.BUILD_DIR,
           manifest_path: str | Path | None = None, progress: bool | None = None, *,
           client=None, partition_docs: int | None = None) -> IngestResult:
    """Ingest every document under ``corpus_dir`` and write the tables to ``build_dir``.

    Unchanged files (same bytes, manifest row and ingest code) are reused from the previous
    run. Bad files are reported in ``problems`` and the rest is still ingested. With a Dask
    ``client``, batches of ``partition_docs`` files run on the cluster and the tables are written
    partitioned (``analysis.scale.ingest``); the result then has ``passages`` None and only the
    main columns of ``documents`` (the tables are in the build).
    """
    corpus_dir, build_dir = Path(corpus_dir), Path(build_dir)
    files = corpus_files(corpus_dir)
    source_root = corpus_dir / "raw" if (corpus_dir / "raw").is_dir() else corpus_dir
    manifest_path = Path(manifest_path) if manifest_path else corpus_dir / "manifest.csv"
    manifest = metadata_stage.read_manifest(manifest_path) if manifest_path.exists() else {}
    ids = doc_ids_for(files, source_root)
    show = progress if progress is not None else len(files) >= PROGRESS_MIN_FILES
    parameters = {"corpus": corpus_dir.name, "manifest": manifest_path.name if manifest else ""}
    if client is not None and files:  # (an empty corpus: nothing to distribute)
        from analysis.scale.ingest import ingest_on_cluster

        result = ingest_on_cluster(client, corpus_dir, build_dir, files, ids, manifest,
                                   progress=show, partition_docs=partition_docs)
        _record(build_dir, result.problems, parameters)
        return result
    state, old_docs, old_passages = _load_previous(build_dir)
    batch = _Batch(build.stage_source_hash("ingest"), manifest, state.get("docs", {}))
    for path in tqdm(files, desc="ingest", unit="doc", disable=not show):
        batch.add_file(path, str(path.relative_to(corpus_dir)), ids[path])
    documents, passages = _assemble(batch.doc_rows, batch.passage_columns, batch.reused_ids,
                                    old_docs, old_passages)
    unchanged = not batch.doc_rows and set(batch.entries) == set(batch.old_entries)
    _write_outputs(build_dir, documents, passages, {"code": batch.code_hash, "docs": batch.entries}, unchanged)
    _record(build_dir, batch.problems, parameters)
    return IngestResult(documents, passages, batch.problems, reused=len(batch.reused_ids))


def _record(build_dir: Path, problems: list[Problem], parameters: dict) -> None:
    """Keep the run's problems and record the stage in the build manifest."""
    record_problems(build_dir, problems)
    build.record_stage(build_dir, "ingest", outputs=("documents", "passages"), parameters=parameters)


def problem_lines(problems: list[Problem]) -> list[str]:
    """One line per problem: ``<kind>: <message>``."""
    return [f"{problem.kind}: {problem.message}" for problem in problems]


def record_problems(build_dir: Path, problems: list[Problem]) -> None:
    """Keep the last run's problems in the build folder, so a scheduled job can report them
    after rendering (``make reports`` fails at the end when the file is not empty)."""
    target = Path(build_dir) / PROBLEMS_FILE
    if problems:
        write_text_atomic(target, "\n".join(problem_lines(problems)) + "\n")
    else:
        target.unlink(missing_ok=True)


def _assemble(doc_rows: list[dict], passage_columns: list[dict[str, list]], reused_ids: list[str],
              old_docs: pd.DataFrame, old_passages: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """New rows plus reused ones, in a stable order (by doc_id, then passage_id)."""
    reused = set(reused_ids)
    new_passages = pd.DataFrame(
        {column: [value for columns in passage_columns for value in columns[column]]
         for column in PASSAGE_COLUMNS},
        columns=PASSAGE_COLUMNS,
    )
    documents = pd.concat(
        [old_docs[old_docs["doc_id"].isin(reused)], pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS)],
        ignore_index=True,
    )
    passages = pd.concat([old_passages[old_passages["doc_id"].isin(reused)], new_passages], ignore_index=True)
    documents = documents[DOCUMENT_COLUMNS].sort_values("doc_id", kind="stable").reset_index(drop=True)
    passages = passages[PASSAGE_COLUMNS].sort_values(["doc_id", "passage_id"], kind="stable")
    passages = passages.astype({"passage_id": "int64"}).reset_index(drop=True)
    documents = documents.astype({"n_passages": "int64", "n_words": "int64"})
    return documents, passages


def _write_outputs(build_dir: Path, documents: pd.DataFrame, passages: pd.DataFrame,
                   state: dict, unchanged: bool) -> None:
    """Write the tables (skipped when nothing changed, so downstream hashes stay stable)."""
    if unchanged and (build.table_path(build_dir, "documents")).exists():
        return
    build.write_table(build_dir, "documents", documents)
    build.write_table(build_dir, "passages", passages)
    write_text_atomic(build_dir / INGEST_STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1))
