"""The "check these" list: documents a researcher should look at before comparing.

One row per document and field whose value is unknown or was read from conflicting clues (the
``check`` column ``extract_metadata`` fills, ``field: reason`` items joined by `` | ``), plus the
ingest problems of kind ``check`` (a document that was read but deserves a look, such as a
low-quality OCR text; field ``text``). The fix is a row in ``corpus/manifest.csv``: a field it
gives leaves the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis.io import write_text_atomic

CHECK_COLUMNS = ["doc_id", "path", "field", "value", "reason"]
CHECK_FILE = "check_these.csv"
NOTE_SEPARATOR = " | "


def check_list(documents: pd.DataFrame, problems: Iterable = ()) -> pd.DataFrame:
    """Rows (doc_id, path, field, value, reason) for every field to check, sorted by path."""
    rows = []
    notes = documents["check"] if "check" in documents else pd.Series("", index=documents.index)
    for document, note in zip(documents.to_dict("records"), notes.fillna("")):
        for item in filter(None, str(note).split(NOTE_SEPARATOR)):
            field, _, reason = item.partition(":")
            rows.append({"doc_id": document["doc_id"], "path": document.get("path", ""), "field": field.strip(),
                         "value": str(document.get(field.strip(), "") or ""), "reason": reason.strip()})
    doc_ids = dict(zip(documents.get("path", []), documents["doc_id"]))
    for problem in problems:
        if getattr(problem, "kind", "") == "check":
            rows.append({"doc_id": doc_ids.get(problem.path, ""), "path": problem.path, "field": "text",
                         "value": "", "reason": problem.message})
    table = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    return table.sort_values(["path", "field"], kind="stable").reset_index(drop=True)


def write_check_list(build_dir: str | Path, table: pd.DataFrame) -> Path:
    """Write the list to ``<build>/check_these.csv`` atomically (header only when empty)."""
    return write_text_atomic(Path(build_dir) / CHECK_FILE, table.to_csv(index=False))


def format_check_list(table: pd.DataFrame, limit: int = 30) -> str:
    """A short text of the list: one line per document and field, at most ``limit`` lines."""
    if table.empty:
        return "Check these: nothing (every document has a province, date, period and type)."
    lines = [f"Check these ({table['path'].nunique()} document(s); fix them in corpus/manifest.csv):"]
    for row in table.head(limit).itertuples(index=False):
        value = f" = {row.value!r}" if row.value else ""
        lines.append(f"  {row.path} {row.field}{value}: {row.reason}")
    if len(table) > limit:
        lines.append(f"  ... {len(table) - limit} more in {CHECK_FILE}")
    return "\n".join(lines)
