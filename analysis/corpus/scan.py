"""Which files of a corpus folder are documents, and where its manifest is.

Only what is really inside the corpus folder is read: a symbolic link is followed only when
its target (resolved) lies inside the corpus too; a link that leads out, or nowhere, is reported
and skipped. Hidden files and folders (names starting with '.') are skipped and counted; a
folder named like a document ("notice.docx/") and anything that is not a regular file (a pipe,
a device) are reported. Nothing here opens a file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from analysis.corpus.readers import SUPPORTED_SUFFIXES

# Files in a corpus folder that are not documents.
NON_DOCUMENT_NAMES = {"manifest.csv", "readme.md", "readme.txt", ".gitkeep"}
MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True)
class Skipped:
    """A corpus entry that is not read, with the one-line reason (``<name>: <why>; <what to do>``)."""

    path: Path
    message: str


@dataclass
class CorpusScan:
    """The documents of a corpus folder (sorted), what was skipped and why, and hidden entries."""

    source: Path
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    hidden: int = 0


def source_folder(corpus_dir: str | Path) -> Path:
    """``<corpus>/raw`` if present, else the folder itself."""
    root = Path(corpus_dir)
    return root / "raw" if (root / "raw").is_dir() else root


def find_manifest(corpus_dir: str | Path) -> tuple[Path | None, list[Path]]:
    """(the manifest, the places looked at): ``<corpus>/manifest.csv``, and when ``--corpus``
    names the ``raw/`` folder itself, the manifest beside it."""
    root = Path(corpus_dir)
    candidates = [root / MANIFEST_NAME]
    if root.name == "raw" and not (root / "raw").is_dir():
        candidates.append(root.parent / MANIFEST_NAME)
    return next((c for c in candidates if c.is_file()), None), candidates


def scan_corpus(corpus_dir: str | Path) -> CorpusScan:
    """Walk the corpus (links not followed out of it) and sort what is found."""
    root = Path(corpus_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: corpus folder not found; pass --corpus with a folder of documents")
    scan = CorpusScan(source_folder(root))
    real_root = scan.source.resolve()
    for folder, dirs, names in os.walk(scan.source, followlinks=False):
        here = Path(folder)
        kept_dirs = []
        for name in sorted(dirs):
            if name.startswith("."):
                scan.hidden += 1
            elif _check_folder(here / name, real_root, scan):
                kept_dirs.append(name)
        dirs[:] = kept_dirs  # os.walk descends only into these
        for name in sorted(names):
            if name.lower() in NON_DOCUMENT_NAMES:
                continue
            if name.startswith("."):
                scan.hidden += 1
            elif _check_file(here / name, real_root, scan):
                scan.files.append(here / name)
    scan.files.sort()
    scan.skipped.sort(key=lambda item: item.path)
    return scan


def _check_folder(path: Path, real_root: Path, scan: CorpusScan) -> bool:
    """True to descend into ``path``; a link to a folder is never followed (loops, escapes)."""
    if path.is_symlink():
        scan.skipped.append(Skipped(path, _link_message(path, real_root, "folder")))
        return False
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        scan.skipped.append(Skipped(path, f"{path.name}: a folder named like a document, not a document; "
                                          "its files are read one by one: rename the folder, or put the "
                                          "document itself in its place"))
    return True


def _check_file(path: Path, real_root: Path, scan: CorpusScan) -> bool:
    """True when ``path`` is a document to read: a regular file, or a link to one in the corpus."""
    try:
        info = os.stat(path)  # follows a link: what would be read
    except OSError:
        info = None
    if path.is_symlink():
        target = _real_target(path)
        if info is None or target is None or not target.is_relative_to(real_root):
            scan.skipped.append(Skipped(path, _link_message(path, real_root, "file")))
            return False
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, socket or device"
        scan.skipped.append(Skipped(path, f"{path.name}: not a regular file ({kind}); remove it from the corpus"))
        return False
    return True


def _real_target(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing target, or a loop of links
        return None


def _link_message(path: Path, real_root: Path, kind: str) -> str:
    """Why a link is not followed, naming where it points."""
    target = _real_target(path)
    pointed = os.readlink(path)
    if target is None:
        return (f"{path.name}: broken link (to {pointed}, which does not exist); "
                "remove it, or copy the document into the corpus")
    if not target.is_relative_to(real_root):
        return (f"{path.name}: link to a {kind} outside the corpus ({target}), not followed; "
                "copy the document into the corpus if it belongs there")
    return (f"{path.name}: link to a folder ({pointed}), not followed; "
            "move or copy the folder into the corpus instead")
