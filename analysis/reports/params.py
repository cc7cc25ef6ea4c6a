"""Report parameters: the errors a report raises, and the checks of every parameter value
(provinces, topics, groupings, periods, paths) shared by the jobs and the notebooks."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.periods import PeriodError, parse_period, period_start
from analysis.text.fold import canonical_name


class ReportError(Exception):
    """A report cannot be rendered; the message is one line saying what to do."""


class ReportParameterError(ReportError, ValueError):
    """A report parameter has a value the corpus or the kit does not know."""


def check_choice(name: str, value: str, valid: Iterable[str]) -> str:
    """``value`` as a canonical name if it is one of ``valid``, else one line listing them."""
    valid = sorted({canonical_name(v) for v in valid})
    if canonical_name(value) not in valid:
        raise ReportParameterError(f"unknown {name} {value!r}; valid values: {', '.join(valid)}")
    return canonical_name(value)


def check_choices(name: str, values: Iterable[str], valid: Iterable[str]) -> list[str]:
    """Every element of ``values`` checked with :func:`check_choice` (order kept)."""
    valid = list(valid)
    return [check_choice(name, value, valid) for value in values]


def resolve_path(value: str, default: Path) -> Path:
    """A parameter path: empty means the kit's default; relative means from the repo root
    (so the result never depends on the kernel's working directory)."""
    if not value:
        return Path(default)
    path = Path(value).expanduser()
    return path if path.is_absolute() else paths.REPO_ROOT / path


def period_bound(name: str, value: str) -> pd.Timestamp | None:
    """The first day of period parameter ``name`` (None when empty), or one line naming the
    parameter and the valid forms."""
    if not value:
        return None
    try:
        return parse_period(value)[0]
    except PeriodError as exc:
        raise ReportParameterError(f"{name}: {exc}") from None


def select_period(documents: pd.DataFrame, period_from: str = "", period_to: str = "") -> pd.DataFrame:
    """Documents whose period starts within [period_from, period_to] (empty = open end)."""
    first, last = period_bound("period_from", period_from), period_bound("period_to", period_to)
    starts = documents["period"].map(period_start)
    keep = pd.Series(True, index=documents.index)
    if first is not None:
        keep &= starts.notna() & (starts >= first)
    if last is not None:
        keep &= starts.notna() & (starts <= last)
    return documents[keep].copy()
