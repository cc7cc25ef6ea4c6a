"""The build folder: which table each stage writes, how tables are read back, and the build
manifest that says what each stage was made from.

Every stage reads its inputs with :func:`read_table` (one error message naming the file and the
command to run) and, when done, records itself with :func:`record_stage` in
``<build>/manifest.json``: kit version, a hash of the package source the stage runs, the
codebook's hash and topic ids, its parameters, and the hashes of its input and output tables.
The next stage and ``render --if-changed`` read that record, so any change of code, codebook or
corpus rebuilds exactly what depends on it.
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
from analysis.io import file_sha256, write_parquet_atomic, write_text_atomic

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


def read_table(build_dir: str | Path, name: str) -> pd.DataFrame:
    """Table ``name`` of the build; a missing or corrupt file is one line saying what to run."""
    build_dir = Path(build_dir)
    path = table_path(build_dir, name)
    if not path.is_file():
        raise BuildError(f"{path} is missing: run {_remedy(build_dir, name)} first")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 -- pyarrow raises many types on damaged files
        raise BuildError(f"{path} is corrupt ({type(exc).__name__}); run {_remedy(build_dir, name)} "
                         "again to rewrite it") from None


def read_tables(build_dir: str | Path, names: Iterable[str]) -> dict[str, pd.DataFrame]:
    """Several tables by name (each checked by :func:`read_table`)."""
    return {name: read_table(build_dir, name) for name in names}


REQUIRED_TABLES = ("documents", "passages", "tags")


def read_build(build_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a build by name: documents, passages and tags are required; another table
    that is corrupt is left out with a warning (only what needs it fails, naming it)."""
    import warnings

    tables = read_tables(build_dir, REQUIRED_TABLES)
    for path in sorted(Path(build_dir).glob("*.parquet")):
        if path.stem in tables or path.stem not in TABLE_STAGES:
            continue
        try:
            tables[path.stem] = read_table(build_dir, path.stem)
        except BuildError as exc:
            warnings.warn(str(exc), stacklevel=2)
    return tables


def write_tables(build_dir: str | Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write each table atomically as ``<name>.parquet``."""
    for name, table in tables.items():
        write_parquet_atomic(table_path(build_dir, name), table)


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
    """SHA-256 of each table file that exists."""
    return {name: file_sha256(table_path(build_dir, name)) for name in names
            if table_path(build_dir, name).is_file()}


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
