"""Atomic file writes: a reader never sees a half-written artefact.

A temporary file is named ``.<name>.<pid>.<random>.tmp[<suffix>]`` beside its target, so that
:func:`remove_temp_files` can tell those of a process that died (and left them) from those of
a run still writing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import pandas as pd


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def temp_path_beside(target: str | Path) -> Path:
    """A fresh temporary file name in ``target``'s folder (so ``os.replace`` is atomic)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.{os.getpid()}.", suffix=f".tmp{target.suffix}",
                               dir=target.parent)
    os.close(fd)
    return Path(tmp)


_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]+\.tmp(\.\w+)?$")


def remove_temp_files(folder: str | Path, pid: int | None = None, any_writer: bool = False) -> list[Path]:
    """Remove the temporary files in ``folder`` written by process ``pid``, or (None) by any
    process that is no longer running, or (``any_writer``) all of them, once every writer is known
    to be done; the files removed."""
    removed = []
    for path in Path(folder).glob(".*.tmp*"):
        match = _TEMP_NAME.match(path.name)
        if match and (any_writer or (int(match.group(1)) == pid if pid is not None
                                     else not _running(int(match.group(1))))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _publish(tmp: str | Path, path: str | Path) -> None:
    """Give the temporary file normal permissions (mkstemp makes it 0600) and move it in place."""
    os.chmod(tmp, 0o666 & ~_current_umask())
    os.replace(tmp, path)


def publish_file(tmp: str | Path, target: str | Path) -> bool:
    """Move a finished temporary file over ``target``; an empty or missing one is dropped."""
    tmp = Path(tmp)
    if tmp.is_file() and tmp.stat().st_size:
        _publish(tmp, target)
        return True
    tmp.unlink(missing_ok=True)
    return False


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_parquet_atomic(path: str | Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` to a parquet file atomically (index dropped)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        _publish(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, streamed so large files never sit in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def arrow_table(frame: pd.DataFrame):
    """``frame`` as an Arrow table whose text columns are strings even when a part has only
    missing values (pyarrow would type them ``null``, and the parts of one dataset must agree)."""
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, preserve_index=False)
    for index, column in enumerate(table.schema):
        if pa.types.is_null(column.type):
            table = table.set_column(index, column.name, table.column(index).cast(pa.string()))
    return table


def write_parquet_part(path: str | Path, frame: pd.DataFrame) -> Path:
    """Write one part of a partitioned table atomically: a temporary ``.``-file (which every
    Parquet reader skips) renamed into place, so a killed writer leaves no half part."""
    import pyarrow.parquet as pq

    path = Path(path)
    tmp = temp_path_beside(path)
    try:
        pq.write_table(arrow_table(frame), tmp)
        _publish(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def replace_path(source: str | Path, target: str | Path) -> None:
    """Move ``source`` (a file or a folder) to ``target``, replacing what is there.

    File over file is one atomic ``os.replace``. A folder (a partitioned table) cannot be swapped
    atomically on POSIX: the old one is first renamed aside, then the new one moved in, then the
    old one deleted, so a reader sees the old table, the new one, or (for that instant) none.
    """
    import shutil

    source, target = Path(source), Path(target)
    if source.is_file() and not target.is_dir():
        os.replace(source, target)
        return
    aside = None
    if target.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, aside / target.name)
    os.replace(source, target)
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
