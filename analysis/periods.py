"""Period labels: the one definition of the forms a ``period`` may take, and their dates.

A period is what a document reports on or plans for (see ``gold/README.md``):

- ``YYYY`` — a calendar year;
- ``YYYY-Qn`` — a quarter;
- ``YYYY-MM`` — a month;
- ``YYYY-YYYY-HKn`` — a semester of a school year (HK1 from September, HK2 from January);
- ``YYYY-YYYY`` — a whole school year (consecutive years: September to August) or a multi-year
  phase ("giai đoạn 2021-2025": January of the first year to December of the last).

Every stage that reads or checks a period (the manifest, report parameters, the timeline) calls
:func:`parse_period`, so a label is valid in one place only if it is valid everywhere.
"""

from __future__ import annotations

import re

import pandas as pd

PERIOD_FORMS = "YYYY, YYYY-Qn, YYYY-MM, YYYY-YYYY (school year or phase) or YYYY-YYYY-HKn"
_PERIOD = re.compile(r"^(\d{4})(?:-Q(\d)|-(\d{2})|-(\d{4})(?:-HK(\d))?)?$")


class PeriodError(ValueError):
    """A label that is not one of :data:`PERIOD_FORMS`."""


def parse_period(label: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a period label; :class:`PeriodError` naming the valid forms."""
    match = _PERIOD.match(str(label).strip()) if isinstance(label, str) else None
    if not match:
        raise PeriodError(f"{label!r} is not a period; use {PERIOD_FORMS}")
    year, quarter, month, end_year, semester = match.groups()
    first = int(year)
    if quarter:
        if not 1 <= int(quarter) <= 4:
            raise PeriodError(f"{label!r}: a quarter is Q1 to Q4")
        start = pd.Timestamp(first, 3 * int(quarter) - 2, 1)
        return start, start + pd.offsets.QuarterEnd(0)
    if month:
        if not 1 <= int(month) <= 12:
            raise PeriodError(f"{label!r}: a month is 01 to 12")
        start = pd.Timestamp(first, int(month), 1)
        return start, start + pd.offsets.MonthEnd(0)
    if end_year:
        return _span(label, first, int(end_year), semester)
    return pd.Timestamp(first, 1, 1), pd.Timestamp(first, 12, 31)


def _span(label: str, first: int, last: int, semester: str | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A school year, one of its semesters, or a multi-year phase."""
    if last <= first:
        raise PeriodError(f"{label!r}: the second year must come after the first")
    if semester is not None:
        if last != first + 1 or semester not in ("1", "2"):
            raise PeriodError(f"{label!r}: a semester is YYYY-(YYYY+1)-HK1 or -HK2")
        if semester == "1":
            return pd.Timestamp(first, 9, 1), pd.Timestamp(last, 1, 31)
        return pd.Timestamp(last, 1, 1), pd.Timestamp(last, 8, 31)
    if last == first + 1:  # a school year
        return pd.Timestamp(first, 9, 1), pd.Timestamp(last, 8, 31)
    return pd.Timestamp(first, 1, 1), pd.Timestamp(last, 12, 31)


def is_period(label: object) -> bool:
    """True when ``label`` is a valid period label."""
    try:
        parse_period(label)  # type: ignore[arg-type]
    except PeriodError:
        return False
    return True


def period_start(label: object) -> pd.Timestamp:
    """First day of a period label, ``NaT`` for an empty or invalid one (for sorting tables)."""
    try:
        return parse_period(label)[0]  # type: ignore[arg-type]
    except PeriodError:
        return pd.NaT
