"""Vietnamese provinces (63, before the 2025 merger), their districts and their 2025 successor.

Names and districts come from the maintained ``vietnamadminunits`` package; the small table
``analysis/data/provinces.csv`` only maps the package's short names to the kit's standard
names ("Huế" -> "Thừa Thiên Huế") and adds common spellings (aliases).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import lru_cache

from analysis.paths import DATA_DIR
from analysis.text.fold import name_key

PROVINCES_TABLE = DATA_DIR / "provinces.csv"
_LEGACY = "admin_units_legacy"


@lru_cache(maxsize=1)
def _overrides() -> dict[str, tuple[str, tuple[str, ...]]]:
    with PROVINCES_TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {row["package_name"]: (row["standard_name"],
                                  tuple(a for a in row["aliases"].split("|") if a))
            for row in rows}


@lru_cache(maxsize=1)
def _legacy_rows() -> tuple[dict, ...]:
    from vietnamadminunits.database.main import query

    sql = (f"SELECT DISTINCT province, provinceShort, districtShort, districtType "
           f"FROM [{_LEGACY}]")
    return tuple(query(sql))


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Standard short name -> the package's full name ("Hòa Bình" -> "Tỉnh Hòa Bình")."""
    names = {}
    for row in _legacy_rows():
        standard = _overrides().get(row["provinceShort"], (row["provinceShort"], ()))[0]
        names[standard] = row["province"]
    return dict(sorted(names.items()))


@lru_cache(maxsize=1)
def province_spellings() -> dict[str, str]:
    """Every accepted spelling (standard, package short name, aliases) -> standard name."""
    spellings = {name: name for name in province_names()}
    for package_name, (standard, aliases) in _overrides().items():
        spellings[package_name] = standard
        spellings.update({alias: standard for alias in aliases})
    return spellings


@lru_cache(maxsize=1)
def _spellings_by_key() -> dict[str, str]:
    return {name_key(name): standard for name, standard in province_spellings().items()}


def standard_province(value: str) -> str | None:
    """The standard name of a province written any accepted way ("tỉnh Hoà Bình", "TT-Huế",
    "Huế"), or None when ``value`` names no province."""
    wanted = re.sub(r"^(?:tinh|thanh pho)\s+", "", name_key(value))
    return _spellings_by_key().get(wanted)


@lru_cache(maxsize=1)
def unique_districts() -> dict[str, str]:
    """District short name -> standard province, for names found in one province only."""
    pairs = {(row["districtShort"], row["provinceShort"]) for row in _legacy_rows()}
    counts = Counter(name_key(district) for district, _ in pairs)
    spellings = province_spellings()
    province_keys = {name_key(name) for name in spellings}
    return {district: spellings[province] for district, province in sorted(pairs)
            if counts[name_key(district)] == 1
            and name_key(district) not in province_keys}


@lru_cache(maxsize=128)
def province_2025(province: str) -> str:
    """Province after the 2025 merger ("Kon Tum" -> "Quảng Ngãi"); "" for an unknown name."""
    full_name = province_names().get(province_spellings().get(province, ""), "")
    if not full_name:
        return ""
    from vietnamadminunits import convert_address

    return convert_address(full_name).short_province
