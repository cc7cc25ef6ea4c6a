"""Ingestion: corpus files -> documents and passages tables.

The readers (``analysis.corpus.readers``) are the only code that opens source files; this module
orchestrates them, reuses earlier results by content hash, and collects problems so one
bad file never stops a batch. ``corpus/raw`` is read-only: nothing here writes to it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from analysis import build, paths
from analysis.corpus import metadata as metadata_stage
from analysis.corpus import ocr as ocr_stage
from analysis.corpus import passages as passages_stage
from analysis.corpus.checks import check_list, write_check_list
from analysis.corpus.readers import FILE_TIMEOUT, MAX_BYTES, RawDocument, ReadError, read_document
from analysis.corpus.scan import NON_DOCUMENT_NAMES, find_manifest, scan_corpus
from analysis.io import file_sha256, write_text_atomic
from analysis.schema import DOCUMENT_COLUMNS, PASSAGE_COLUMNS
from analysis.text.fold import count_words

__all__ = ["NON_DOCUMENT_NAMES", "IngestResult", "Problem", "corpus_files", "ingest", "problem_lines"]
INGEST_STATE_FILE = ".ingest_state.json"
PROBLEMS_FILE = "ingest_problems.txt"
PROGRESS_MIN_FILES = 100


@dataclass(frozen=True)
class Problem:
    """One file that could not be ingested (or was skipped), with a one-line message."""

    path: str
    message: str
    # "error" (not ingested, or pages left out), "duplicate" (a second copy), "skipped" (a link out
    # of the corpus, a folder named like a document ...): these fail the run; "check": read, but
    # look at it (bad bytes replaced, poor OCR, a field read from conflicting clues).
    kind: str = "error"


@dataclass
class IngestResult:
    documents: pd.DataFrame
    passages: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    reused: int = 0
    checks: pd.DataFrame = field(default_factory=pd.DataFrame)  # analysis.corpus.checks.CHECK_COLUMNS
    notes: list[str] = field(default_factory=list)  # worth saying, not a failure

    @property
    def failed(self) -> bool:
        return any(problem.kind != "check" for problem in self.problems)


def corpus_files(corpus_dir: str | Path) -> list[Path]:
    """Document files of a corpus: ``<corpus>/raw`` if present, else the folder itself, sorted
    (hidden entries, links out of the corpus and non-files left out: see ``scan_corpus``)."""
    return scan_corpus(corpus_dir).files


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
    stems = {f: unicodedata.normalize("NFC", f.stem) for f in files}
    counts = pd.Series(list(stems.values())).value_counts()
    return {
        f: (stem if counts[stem] == 1
            else re.sub(r"[^\w.-]+", "__", unicodedata.normalize("NFC", str(f.relative_to(source_root)))))
        for f, stem in stems.items()
    }


def _load_previous(build_dir: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The last run's state and tables, or empty ones when there is no usable earlier run."""
    state_path = build_dir / INGEST_STATE_FILE
    docs_path = build.table_path(build_dir, "documents")
    passages_path = build.table_path(build_dir, "passages")
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        documents = pd.read_parquet(docs_path)
        if set(DOCUMENT_COLUMNS) - set(documents.columns):  # tables of an older kit: read again
            raise ValueError("old documents table")
        return state, documents, pd.read_parquet(passages_path)
    except (OSError, ValueError):
        return {}, pd.DataFrame(columns=DOCUMENT_COLUMNS), pd.DataFrame(columns=PASSAGE_COLUMNS)


def _cache_key(sha256: str, code_hash: str, manifest_row: Mapping | None, ocr_token: str = "") -> str:
    manifest_part = json.dumps(dict(manifest_row or {}), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{sha256}|{code_hash}|{manifest_part}|{ocr_token}".encode()).hexdigest()[:24]


@dataclass(frozen=True)
class ReadSettings:
    """How each file is read: size and time limits, and what OCR does with scanned PDF pages
    (what a cluster task needs to read a file as the in-process run does)."""

    max_bytes: int = MAX_BYTES
    timeout: float | None = FILE_TIMEOUT
    ocr: ocr_stage.OcrSettings = field(default_factory=ocr_stage.OcrSettings)


def manifest_row(manifest: Mapping[str, Mapping], path: Path) -> Mapping | None:
    """The manifest row of a corpus file (file names compared in NFC, as macOS writes NFD)."""
    return manifest.get(unicodedata.normalize("NFC", path.name))


@dataclass
class FileOutcome:
    """What one file gave before duplicates are settled across the corpus: its hashes and rows
    (``row``/``passages``), a reuse of the previous run's rows, or a problem; and what its reader
    flagged (``checks``: read, but look at it; ``warnings``: pages left out)."""

    rel_path: str
    doc_id: str
    sha256: str = ""
    key: str = ""
    text_hash: str = ""
    row: dict | None = None
    passages: dict[str, list] | None = None
    reused: bool = False
    problem: Problem | None = None
    checks: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def summary(self) -> FileOutcome:
        """The same outcome without its rows (what a cluster task sends back)."""
        return replace(self, row=None, passages=None)


def ingest_file(path: Path, rel_path: str, doc_id: str, row: Mapping | None, code_hash: str,
                previous: Mapping | None = None, skip: Callable[[str], bool] = lambda sha256: False,
                settings: ReadSettings = ReadSettings()) -> FileOutcome:
    """Ingest one file: its hash, then (unless ``skip(sha256)``, e.g. a copy already seen) the
    previous run's result when its cache key is unchanged, else its text split into rows."""
    try:
        sha256 = file_sha256(path)
    except OSError as exc:
        return FileOutcome(rel_path, doc_id, problem=Problem(
            rel_path, f"{path.name}: cannot be read ({exc.strerror}); check its permissions"))
    if skip(sha256):
        return FileOutcome(rel_path, doc_id, sha256)
    ocr_token = settings.ocr.cache_token() if path.suffix.lower() == ".pdf" else ""
    key = _cache_key(sha256, code_hash, row, ocr_token)
    if previous and previous.get("key") == key and previous.get("doc_id") == doc_id:
        return FileOutcome(rel_path, doc_id, sha256, key, previous["text_hash"], reused=True,
                           checks=tuple(previous.get("checks", ())), warnings=tuple(previous.get("warnings", ())))
    try:
        raw = read_document(path, settings.max_bytes, settings.timeout, ocr=settings.ocr)
    except ReadError as exc:
        return FileOutcome(rel_path, doc_id, sha256, key, problem=Problem(rel_path, str(exc)))
    try:
        document, passages = document_tables(doc_id, rel_path, sha256, raw.text, row)
        document.update(text_origin(raw))
    except Exception as exc:  # an odd document must not stop the batch
        return FileOutcome(rel_path, doc_id, sha256, key, problem=Problem(
            rel_path, f"{path.name}: could not be split into passages ({exc!r}); please report this file"))
    # Same passages = same document, whatever the format or encoding it came in.
    text_hash = hashlib.sha256("\n".join(passages["text"]).encode("utf-8")).hexdigest()
    return FileOutcome(rel_path, doc_id, sha256, key, text_hash, document, passages,
                       checks=tuple(raw.checks), warnings=tuple(raw.warnings))


@dataclass
class _Batch:
    """What one ingest run has seen so far: rows made, rows reused, problems, hashes."""

    code_hash: str
    manifest: Mapping[str, Mapping]  # rows by NFC file name
    old_entries: Mapping[str, dict]
    settings: ReadSettings = field(default_factory=ReadSettings)
    doc_rows: list[dict] = field(default_factory=list)
    passage_columns: list[dict[str, list]] = field(default_factory=list)
    reused_ids: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    entries: dict[str, dict] = field(default_factory=dict)
    seen_bytes: dict[str, str] = field(default_factory=dict)
    seen_text: dict[str, str] = field(default_factory=dict)

    def row_for(self, path: Path) -> Mapping | None:
        return manifest_row(self.manifest, path)

    def is_duplicate(self, seen: dict[str, str], digest: str, rel_path: str, name: str) -> bool:
        """Record ``digest``; report and return True when an earlier file had it. Files with a
        manifest row come first (see ``ingest``), so the copy kept is the one with the row."""
        if digest in seen:
            kept = seen[digest]
            why = "it has the manifest row" if self.row_for(Path(kept)) else "first by name"
            self.problems.append(Problem(
                rel_path, f"{name}: same document as {kept}, which is kept ({why}); "
                          "remove one of the two copies", kind="duplicate"))
            return True
        seen[digest] = rel_path
        return False

    def add_file(self, path: Path, rel_path: str, doc_id: str) -> None:
        """Ingest one file, reusing the previous result when its cache key is unchanged."""
        self.add(ingest_file(path, rel_path, doc_id, self.row_for(path), self.code_hash,
                             self.old_entries.get(rel_path), skip=self.seen_bytes.__contains__,
                             settings=self.settings))

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
        self.entries[rel_path] = {"key": outcome.key, "doc_id": outcome.doc_id, "text_hash": outcome.text_hash,
                                  "checks": list(outcome.checks), "warnings": list(outcome.warnings)}
        self.add_checks(rel_path, outcome.checks)
        # pages left out (no Tesseract ...): said again on every run until fixed
        self.problems.extend(Problem(rel_path, line) for line in outcome.warnings)
        return True

    def add_checks(self, rel_path: str, checks) -> None:
        """Things a reader flagged in a document it read: on the "check these" list, not failures."""
        self.problems.extend(Problem(rel_path, message, kind="check") for message in checks)


def text_origin(raw: RawDocument) -> dict:
    """Where a document's text came from (text layer, OCR or both) and the OCR quality figures."""
    return {"text_source": raw.text_source, "ocr_confidence": raw.ocr_confidence,
            "ocr_valid_syllables": raw.ocr_valid_syllables}


def ocr_check_problems(documents: pd.DataFrame) -> list[Problem]:
    """OCR'd documents whose quality figures fall below the thresholds: read, but to be checked."""
    low = documents[ocr_stage.needs_check(documents["ocr_confidence"], documents["ocr_valid_syllables"])]
    return [Problem(row.path, f"{Path(row.path).name}: OCR text may be poor (word confidence "
                              f"{row.ocr_confidence:.2f}, valid syllables {row.ocr_valid_syllables:.2f}; "
                              f"expected >= {ocr_stage.MIN_CONFIDENCE} and >= {ocr_stage.MIN_VALID_SYLLABLES}); "
                              "compare it with the scan or rescan at 300 dpi", kind="check")
            for row in low.itertuples()]


def ingest(corpus_dir: str | Path = paths.CORPUS_DIR, build_dir: str | Path = paths.BUILD_DIR,
           manifest_path: str | Path | None = None, progress: bool | None = None, *,
           max_bytes: int = MAX_BYTES, file_timeout: float | None = FILE_TIMEOUT,
           ocr: str = "auto", jobs: int = 1, client=None, partition_docs: int | None = None) -> IngestResult:
    """Ingest every document under ``corpus_dir`` and write the tables to ``build_dir``.

    Unchanged files (same bytes, manifest row, ingest code and, for PDFs, OCR settings) are
    reused from the previous run. Bad files, links out of the corpus and manifest rows that match
    no file are reported in ``problems`` and the rest is still ingested; OCR'd documents of low
    quality are listed there too, as kind "check". ``max_bytes`` and ``file_timeout`` bound each
    file; ``ocr`` is auto/never/always (``analysis.corpus.ocr``), ``jobs`` the pages OCR'd in parallel.
    With a Dask ``client``, batches of ``partition_docs`` files run on the cluster and the tables
    are written partitioned (``analysis.scale.ingest``); the result then has ``passages`` None and
    only the main columns of ``documents`` (the tables are in the build).
    """
    corpus_dir, build_dir = Path(corpus_dir), Path(build_dir)
    settings = ReadSettings(max_bytes, file_timeout, ocr_stage.OcrSettings(
        mode=ocr, jobs=jobs, cache_dir=build_dir / ocr_stage.OCR_CACHE_DIR))
    scan = scan_corpus(corpus_dir)
    manifest_path, rows, notes = _manifest(corpus_dir, manifest_path)
    manifest = {name: row for name, (_, row) in rows.items()}
    problems = [Problem(str(item.path.relative_to(corpus_dir)), item.message, kind="skipped") for item in scan.skipped]
    problems += _unmatched_rows(manifest_path, rows, scan.files, scan.source)
    if scan.hidden:
        notes.append(f"skipped {scan.hidden} hidden file(s) or folder(s) in {scan.source} (names starting with '.')")
    ids = doc_ids_for(scan.files, scan.source)
    # Copies with a manifest row first: of two copies of a document, the one with the row is kept.
    files = sorted(scan.files, key=lambda f: (manifest_row(manifest, f) is None, f))
    show = progress if progress is not None else len(files) >= PROGRESS_MIN_FILES
    if client is not None and files:  # (an empty corpus: nothing to distribute)
        from analysis.scale.ingest import ingest_on_cluster

        result = ingest_on_cluster(client, corpus_dir, build_dir, files, ids, manifest, settings=settings,
                                   progress=show, partition_docs=partition_docs)
    else:
        result = _ingest_here(corpus_dir, build_dir, files, ids, manifest, settings, show)
    problems += result.problems + ocr_check_problems(result.documents)
    record_problems(build_dir, problems)
    checks = check_list(result.documents, problems)
    write_check_list(build_dir, checks)
    build.record_stage(build_dir, "ingest", outputs=("documents", "passages"),
                       parameters={"corpus": corpus_dir.name, "manifest": manifest_path.name if rows else ""})
    return replace(result, problems=problems, checks=checks, notes=notes)


def _ingest_here(corpus_dir: Path, build_dir: Path, files: list[Path], ids: dict[Path, str],
                 manifest: Mapping[str, Mapping], settings: ReadSettings, progress: bool) -> IngestResult:
    """The ingest stage in this process, file after file."""
    state, old_docs, old_passages = _load_previous(build_dir)
    batch = _Batch(build.stage_source_hash("ingest"), manifest, state.get("docs", {}), settings)
    for path in tqdm(files, desc="ingest", unit="doc", disable=not progress):
        batch.add_file(path, str(path.relative_to(corpus_dir)), ids[path])
    documents, passages = _assemble(batch.doc_rows, batch.passage_columns, batch.reused_ids,
                                    old_docs, old_passages)
    unchanged = not batch.doc_rows and set(batch.entries) == set(batch.old_entries)
    _write_outputs(build_dir, documents, passages, {"code": batch.code_hash, "docs": batch.entries}, unchanged)
    return IngestResult(documents, passages, batch.problems, reused=len(batch.reused_ids))


def _manifest(corpus_dir: Path, given: str | Path | None) -> tuple[Path, dict, list[str]]:
    """(manifest path, its rows with line numbers, notes): ``--manifest``, else the one
    :func:`find_manifest` finds; saying so when there is none."""
    if given is not None:
        path = Path(given)
        if not path.is_file():
            raise FileNotFoundError(f"{path}: manifest not found; check --manifest")
        return path, metadata_stage.manifest_rows(path), []
    found, looked = find_manifest(corpus_dir)
    if found is None:
        places = " or ".join(str(p) for p in looked)
        return looked[0], {}, [f"no manifest found ({places}): every field comes from the texts"]
    return found, metadata_stage.manifest_rows(found), []


def _unmatched_rows(manifest_path: Path, rows: Mapping[str, tuple[int, Mapping]], files: list[Path],
                    source: Path) -> list[Problem]:
    """A problem for each manifest row whose file is not among the corpus documents."""
    import difflib

    names = {unicodedata.normalize("NFC", f.name) for f in files}
    problems = []
    for name, (line, _) in rows.items():
        if name in names:
            continue
        close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.8)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.append(Problem(manifest_path.name, f"{manifest_path.name}:{line}: row for {name!r} matches "
                                                    f"no document in {source}; {hint}correct the file name "
                                                    "or remove the row", kind="error"))
    return problems


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
    frames = [old_docs[old_docs["doc_id"].isin(reused)], pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS)]
    # (an empty frame would decide no dtype: pandas warns about that)
    documents = pd.concat([f for f in frames if not f.empty] or frames[1:], ignore_index=True)
    passages = pd.concat([old_passages[old_passages["doc_id"].isin(reused)], new_passages], ignore_index=True)
    documents = documents[DOCUMENT_COLUMNS].sort_values("doc_id", kind="stable").reset_index(drop=True)
    passages = passages[PASSAGE_COLUMNS].sort_values(["doc_id", "passage_id"], kind="stable")
    passages = passages.astype({"passage_id": "int64"}).reset_index(drop=True)
    documents = documents.astype({"n_passages": "int64", "n_words": "int64",
                                  "ocr_confidence": "float64", "ocr_valid_syllables": "float64"})
    return documents, passages


def _write_outputs(build_dir: Path, documents: pd.DataFrame, passages: pd.DataFrame,
                   state: dict, unchanged: bool) -> None:
    """Write the tables (skipped when nothing changed, so downstream hashes stay stable)."""
    if unchanged and (build.table_path(build_dir, "documents")).exists():
        return
    build.write_table(build_dir, "documents", documents)
    build.write_table(build_dir, "passages", passages)
    write_text_atomic(build_dir / INGEST_STATE_FILE, json.dumps(state, ensure_ascii=False, indent=1))
