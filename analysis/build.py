"""The build folder: which table each stage writes, how tables are read back, and the build
manifest that says what each stage was made from.

Every stage reads its inputs with :func:`read_table` (one error message naming the file and the
command to run) and, when done, records itself with :func:`record_stage` in
``<build>/manifest.json``: kit version, a hash of the package source the stage runs, the
codebook's hash and topic ids, its parameters, and the hashes of its input and output tables.
The next stage and ``render --if-changed`` read that record, so any change of code, codebook or
corpus rebuilds exactly what depends on it.

A table is either one Parquet file ``<name>.parquet`` (in-process runs) or, when a stage ran on a
Dask cluster, a partitioned dataset: a folder ``<name>.parquet/`` of parts ``part-NNNNN.parquet``,
each holding whole documents (a document's rows are never split across parts), in ``doc_id``
order. Every reader here, pandas, pyarrow and ``dask.dataframe.read_parquet`` read both forms.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

import analysis
from analysis import paths
from analysis.io import file_sha256, remove_temp_files, replace_path, write_parquet_atomic, write_text_atomic

MANIFEST_FILE = "manifest.json"

# Which stage writes each table (what to run when it is missing or corrupt).
TABLE_STAGES: dict[str, str] = {
    "documents": "ingest", "passages": "ingest",
    "tags": "tag", "doc_topics": "tag", "topic_roles": "tag",
    **{name: "analyze" for name in (
        "themes", "theme_words", "passage_themes", "document_clusters", "cluster_scores", "profiles",
        "profiles_by_role", "keyness", "keyness_passages", "similarity", "timeline", "cooccurrence", "indicators")},
}
# The stage module whose import closure is the code a stage runs (see source_hash).
STAGE_MODULES = {"ingest": "analysis.corpus.ingest", "tag": "analysis.topics.tag",
                 "analyze": "analysis.compare.analyze"}


class BuildError(Exception):
    """A build table or record is missing or unreadable; the message says what to run."""


def table_path(build_dir: str | Path, name: str) -> Path:
    """Path of table ``name`` (without ``.parquet``) in ``build_dir``."""
    return Path(build_dir) / f"{name}.parquet"


def _remedy(build_dir: Path, name: str) -> str:
    stage = TABLE_STAGES.get(name, "analyze")
    return f"`giaoban {stage} --build {build_dir}`"


def table_parts(build_dir: str | Path, name: str) -> list[Path]:
    """Files of table ``name``: the parts of a partitioned table in order, or the one file
    (``[]`` when the table is missing). Temporary ``.``-files of unfinished writes are not parts."""
    path = table_path(build_dir, name)
    if path.is_dir():
        return sorted(p for p in path.glob("*.parquet") if not p.name.startswith((".", "_")))
    return [path] if path.is_file() else []


def is_partitioned(build_dir: str | Path, name: str) -> bool:
    """Whether table ``name`` is a partitioned dataset (a folder of parts)."""
    return table_path(build_dir, name).is_dir()


def read_table(build_dir: str | Path, name: str, columns: list[str] | None = None,
               filters: list | None = None) -> pd.DataFrame:
    """Table ``name`` of the build (one file or a partitioned dataset, read the same way); a
    missing or corrupt table is one line saying what to run. ``columns`` and pyarrow ``filters``
    (e.g. ``[("doc_id", "in", ids)]``) read only part of it."""
    build_dir = Path(build_dir)
    path = table_path(build_dir, name)
    if not table_parts(build_dir, name):
        raise BuildError(f"{path} is missing: run {_remedy(build_dir, name)} first")
    try:
        return pd.read_parquet(path, columns=columns, filters=filters)
    except Exception as exc:  # noqa: BLE001 -- pyarrow raises many types on damaged files
        raise BuildError(f"{path} is corrupt ({type(exc).__name__}); run {_remedy(build_dir, name)} "
                         "again to rewrite it") from None


def read_dask(build_dir: str | Path, name: str, **kwargs: Any):
    """Table ``name`` as a ``dask.dataframe`` (one partition per part), for tables larger than
    memory in a notebook: the same files, read lazily."""
    import dask.dataframe as dd

    if not table_parts(build_dir, name):
        raise BuildError(f"{table_path(build_dir, name)} is missing: run "
                         f"{_remedy(Path(build_dir), name)} first")
    return dd.read_parquet(str(table_path(build_dir, name)), **kwargs)


def read_tables(build_dir: str | Path, names: Iterable[str]) -> dict[str, pd.DataFrame]:
    """Several tables by name (each checked by :func:`read_table`)."""
    return {name: read_table(build_dir, name) for name in names}


REQUIRED_TABLES = ("documents", "passages", "tags")


def read_build(build_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a build by name: documents, passages and tags are required; another table
    that is corrupt is left out with a warning (only what needs it fails, naming it)."""
    import warnings

    tables = read_tables(build_dir, REQUIRED_TABLES)
    for path in sorted(Path(build_dir).glob("*.parquet")):  # files and partitioned folders
        if path.stem in tables or path.stem not in TABLE_STAGES:
            continue
        try:
            tables[path.stem] = read_table(build_dir, path.stem)
        except BuildError as exc:
            warnings.warn(str(exc), stacklevel=2)
    return tables


def write_table(build_dir: str | Path, name: str, table: pd.DataFrame) -> Path:
    """Write ``table`` atomically as the one file ``<name>.parquet`` (replacing a partitioned
    version of it, if an earlier run on a cluster left one)."""
    path = table_path(build_dir, name)
    if path.is_dir():
        from analysis.io import temp_path_beside

        tmp = temp_path_beside(path)
        try:
            write_parquet_atomic(tmp, table)
            replace_path(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path
    return write_parquet_atomic(path, table)


def write_tables(build_dir: str | Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write each table atomically as ``<name>.parquet``."""
    for name, table in tables.items():
        write_table(build_dir, name, table)


def table_digest(path: str | Path) -> str:
    """SHA-256 of a table: of its file, or of its parts' names and hashes for a dataset."""
    path = Path(path)
    if not path.is_dir():
        return file_sha256(path)
    digest = hashlib.sha256()
    for part in sorted(p for p in path.glob("*.parquet") if not p.name.startswith((".", "_"))):
        digest.update(f"{part.name}:{file_sha256(part)}\n".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- partitioned writes

STAGING_DIR = ".staging"


def part_name(index: int) -> str:
    """File name of part ``index`` of a partitioned table (sorts in part order)."""
    return f"part-{index:05d}.parquet"


def staging_dir(build_dir: str | Path, stage: str) -> Path:
    """An empty folder where ``stage`` writes the parts of its tables before they replace the
    build's (what a run that died left there is deleted first: it was never published)."""
    import shutil

    folder = Path(build_dir) / STAGING_DIR / stage
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def staged_part(staging: Path, name: str, index: int) -> Path:
    """Where part ``index`` of table ``name`` is staged."""
    folder = staging / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder / part_name(index)


def commit_staged(build_dir: str | Path, staging: Path, names: Iterable[str]) -> None:
    """Publish the staged tables ``names`` (each replaces the build's table of that name, file or
    dataset), then delete the staging folder."""

    for name in names:
        # Every task is done: a temporary file left now is a part whose writer was killed
        # mid-write (its task ran again elsewhere), and must not be published with the table.
        remove_temp_files(staging / name, any_writer=True)
        replace_path(staging / name, table_path(build_dir, name))
    discard_staged(staging)


def discard_staged(staging: Path) -> None:
    """Delete a staging folder (and the build's staging root once it is empty)."""
    import shutil

    shutil.rmtree(staging, ignore_errors=True)
    parent = staging.parent
    if parent.name == STAGING_DIR and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()


# --------------------------------------------------------------------------- source hashes


def _imported_modules(path: Path) -> set[str]:
    """``analysis.*`` modules a source file imports (at any depth: stages import lazily)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "analysis":
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "analysis")
    return found


def _module_file(module: str) -> Path | None:
    """Source file of an ``analysis`` module (or package), None for a name that is not one."""
    parts = module.split(".")[1:]
    if not parts:
        return paths.PACKAGE_DIR / "__init__.py"
    relative = Path(*parts)
    for candidate in (paths.PACKAGE_DIR / relative.with_suffix(".py"), paths.PACKAGE_DIR / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def source_files(*roots: str | Path) -> list[Path]:
    """The package's source files that ``roots`` (module names or source files) import,
    directly or through each other, plus the data files they name: what their result depends on.
    (The codebook is not here: stages record it themselves.)"""
    todo = [Path(r) if str(r).endswith(".py") else _module_file(str(r)) for r in roots]
    seen: set[Path] = {paths.PACKAGE_DIR / "__init__.py"}
    while todo:
        path = todo.pop()
        if path is None or path in seen:
            continue
        seen.add(path)
        todo.extend(_module_file(m) for m in _imported_modules(path))
    code = sorted(seen)
    text = "\n".join(path.read_text(encoding="utf-8") for path in code)
    data = sorted(p for p in paths.DATA_DIR.rglob("*") if p.is_file() and p.name in text)
    return code + data


@cache
def source_hash(*roots: str) -> str:
    """Hash of the kit version and of every source file :func:`source_files` finds."""
    digest = hashlib.sha256(analysis.__version__.encode())
    for path in source_files(*roots):
        digest.update(str(path.relative_to(paths.PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def stage_source_hash(stage: str) -> str:
    """Hash of the code stage ``stage`` runs (its module's import closure)."""
    return source_hash(STAGE_MODULES[stage])


# --------------------------------------------------------------------------- manifest


def read_manifest(build_dir: str | Path) -> dict[str, Any]:
    """The build manifest ({} when there is none; a corrupt one is named in the error)."""
    path = Path(build_dir) / MANIFEST_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{path} is corrupt ({type(exc).__name__}); delete it and run "
                         "`giaoban ingest`, `tag` and `analyze` again") from None
    return data if isinstance(data, dict) else {}


def table_hashes(build_dir: str | Path, names: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each table that exists (file or dataset, :func:`table_digest`)."""
    return {name: table_digest(table_path(build_dir, name)) for name in names
            if table_parts(build_dir, name)}


def record_stage(build_dir: str | Path, stage: str, *, inputs: Iterable[str] = (),
                 outputs: Iterable[str] = (), parameters: Mapping[str, Any] | None = None,
                 codebook: Any = None) -> dict[str, Any]:
    """Write what ``stage`` was made from into the manifest; returns the stage's record."""
    record = {
        "kit_version": analysis.__version__,
        "source_hash": stage_source_hash(stage),
        "parameters": dict(parameters or {}),
        "inputs": table_hashes(build_dir, inputs),
        "outputs": table_hashes(build_dir, outputs),
        "finished_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    if codebook is not None:
        record["codebook"] = {"hash": codebook.hash, "topics": list(codebook.ids),
                              "source": Path(codebook.source).name}
    manifest = read_manifest(build_dir)
    manifest[stage] = record
    write_text_atomic(Path(build_dir) / MANIFEST_FILE, json.dumps(manifest, ensure_ascii=False, indent=1))
    return record


def stage_record(build_dir: str | Path, stage: str) -> dict[str, Any]:
    """The manifest's record of ``stage`` ({} when the stage has not recorded itself)."""
    return read_manifest(build_dir).get(stage, {})


def tagged_topics(build_dir: str | Path) -> list[str] | None:
    """Topic ids the build's tags were made with, in codebook order (None if not recorded)."""
    topics = stage_record(build_dir, "tag").get("parameters", {}).get("topics")
    return list(topics) if topics else None
