"""Document metadata read from the text, each traced field with its source and evidence.

``extract_metadata`` reads title, type, province, date, period, signer and chair from the
normalised text and its passages; ``apply_manifest`` lets ``corpus/manifest.csv`` override any
field (recording that it did). Province comes only from explicit clues (the department's own
name, "tỉnh X", "giáo dục X", the province's districts) — never from a guess.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.corpus.passages import CONTEXT_PASSAGE, DEBRIS_LINES, DOC_TYPE_HEADINGS
from analysis.corpus.provinces import province_2025, province_spellings, unique_districts
from analysis.periods import PERIOD_FORMS, is_period
from analysis.schema import DOC_TYPES, TRACED_FIELDS
from analysis.text.fold import fold_normalized, name_key
from analysis.text.normalize import strip_diacritics

MANIFEST_COLUMNS = ("file", "province", "date", "period", "doc_type", "signer", "chair", "source_note")
MANIFEST_FIELDS = MANIFEST_COLUMNS[1:-1]

# Province clue templates, tried on the diacritic-free text: (weight, prefix regex).
PROVINCE_CLUES: tuple[tuple[int, str], ...] = (
    (5, r"So\s+(?:Giao\s+duc\s+(?:va|&)\s+Dao\s+tao|GD\s*&\s*DT|GDDT|GD-DT)\s+(?:tinh\s+|thanh\s+pho\s+|TP\.?\s*)?"),
    (3, r"(?:UBND|Uy\s+ban\s+nhan\s+dan|HDND|Hoi\s+dong\s+nhan\s+dan)\s+(?:tinh|thanh\s+pho|TP\.?)\s+"),
    (2, r"(?:Tinh|Thanh)\s+uy\s+"),
    (2, r"(?:tinh|thanh\s+pho)\s+"),
    (2, r"(?:giao\s+duc(?:\s+va\s+dao\s+tao)?|GD\s*&\s*DT|GDDT)\s+"),
)
DISTRICT_CLUE = r"(?:huyen|quan|thi\s+xa|thanh\s+pho)\s+"
DISTRICT_WEIGHT = 1

# Document number codes ("Số: 12/TB-SGDĐT") and web markers that tell the type.
DOC_CODE_TYPES = {"TB": "thong_bao", "KH": "ke_hoach", "BC": "bao_cao", "QĐ": "quyet_dinh", "CV": "cong_van"}
_DOC_CODE = re.compile(r"Số\s*:?\s*\d+[^\s/]*/(TB|KH|BC|QĐ|CV)\b")
_CONG_VAN = re.compile(r"^\s*V/v\b", re.MULTILINE)
_PLACE_DATE = re.compile(r"^[^,]{2,40}, ngày \d{1,2} tháng \d{1,2} năm \d{4}$")

SIGNER_TITLES = re.compile(
    r"GIÁM ĐỐC|CHÁNH VĂN PHÒNG|TRƯỞNG PHÒNG|CHỦ TỊCH|HIỆU TRƯỞNG|TRƯỞNG BAN|BÍ THƯ|THỦ TRƯỞNG|CỤC TRƯỞNG"
)
SIGNATURE_WINDOW = 15  # the signature sits among the last passages
_TRAILING_TITLE = re.compile(rf"(?:{SIGNER_TITLES.pattern})\s*$")
TITLE_LOOKBACK = 8  # passages between a title printed beside the recipients and the name
_NAME_WORD = r"[^\W\d_]+"
_CHAIR = re.compile(
    r"(?:(?i:đồng chí|đ/c|ông|bà)|PGS\.\s?TS\.|GS\.\s?TS\.|TS\.|ThS\.|NCS\.)\s+"
    rf"(?P<name>(?:{_NAME_WORD}\s+){{1,4}}{_NAME_WORD})\s*[,–-][^.;\n]{{0,100}}?\bchủ trì"
)

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIODS = (
    ("semester", re.compile(r"học kỳ\s+(II|I|1|2)\b[^.\n]{0,20}?năm học\s+(\d{4})\s*-\s*(\d{4})", re.I)),
    ("quarter", re.compile(r"quý\s+(IV|III|II|I|[1-4])\b\s*(?:/|năm\s+)(\d{4})", re.I)),
    ("month", re.compile(r"tháng\s+(\d{1,2})\b(?:\s*(?:/|năm\s+)(\d{4}))?", re.I)),
)
_YEAR = re.compile(r"năm\s+(\d{4})\b", re.I)
_NUMERIC_DATE = r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?"
_WORD_DATE = r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?"
_DATES = tuple(re.compile(rf"\bngày\s+(?:{form})", re.I) for form in (_WORD_DATE, _NUMERIC_DATE))
_CITATION = re.compile(r"(?:\bsố\s+\S+|\d+[-/][A-ZĐ][\w&-]*/?[\w&-]*)\s*,?\s*$", re.I)


# --------------------------------------------------------------------------- helpers


def _traced(value: str, evidence: str) -> tuple[str, str, str]:
    return value, ("text" if value else "unknown"), (evidence if value else "")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def _header_passages(passages: pd.DataFrame) -> list[str]:
    """Passages before the first non-context one (title, date, attendees)."""
    texts = []
    for text, role in zip(passages["text"], passages["role"]):
        if role != "context":
            break
        texts.append(str(text))
    return texts


def _doc_type_index(texts: list[str]) -> int | None:
    for index, text in enumerate(texts[:6]):
        if fold_normalized(text).strip("* ") in DOC_TYPE_HEADINGS:
            return index
    return None


def extract_title(passages: pd.DataFrame) -> str:
    """The notice's title: the line after its type heading, a "V/v ..." subject line, or else
    the first passage that is not a letterhead line."""
    texts = [str(text) for text in passages["text"]]
    index = _doc_type_index(texts)
    if index is not None:
        return _clean(texts[index + 1]) if index + 1 < len(texts) else ""
    for text in texts[:8]:
        if _CONG_VAN.match(text):
            return _clean(text)
    for text in texts:
        if not (CONTEXT_PASSAGE.search(fold_normalized(text)) or text.upper() == text or _PLACE_DATE.search(text)):
            return _clean(text)
    return ""


# --------------------------------------------------------------------------- province


def _name_pattern(names: list[str]) -> str:
    parts = [re.escape(strip_diacritics(name)).replace(r"\ ", r"\s+").replace(r"\-", r"\s*-\s*")
             for name in sorted(names, key=len, reverse=True)]
    return rf"(?P<name>{'|'.join(parts)})(?!\w)"


@lru_cache(maxsize=1)
def _province_regexes() -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    """Two scanners (provinces, districts); group ``w<i>`` tells which clue matched."""
    keyed = {name_key(name): standard for name, standard in province_spellings().items()}
    districts = {name_key(name): province for name, province in unique_districts().items()}
    prefixes = "|".join(f"(?P<w{i}>{prefix})" for i, (_, prefix) in enumerate(PROVINCE_CLUES))
    return (
        (re.compile(rf"(?<!\w)(?:{prefixes}){_name_pattern(list(keyed))}", re.I), keyed),
        (re.compile(rf"(?<!\w)(?P<w{len(PROVINCE_CLUES)}>{DISTRICT_CLUE}){_name_pattern(list(districts))}",
                    re.I), districts),
    )


_CLUE_WEIGHTS = {f"w{i}": weight for i, (weight, _) in enumerate((*PROVINCE_CLUES, (DISTRICT_WEIGHT, "")))}


def _province_votes(text: str) -> dict[str, list[tuple[int, str]]]:
    """Province -> list of (weight, evidence) for every explicit clue in ``text``."""
    plain = strip_diacritics(text)
    votes: dict[str, list[tuple[int, str]]] = {}
    for regex, lookup in _province_regexes():
        for match in regex.finditer(plain):
            name = match.group("name")
            if not name[0].isupper():  # "tỉnh ủy" is not a province; names are capitalised
                continue
            province = lookup.get(re.sub(r"\s*-\s*", " - ", re.sub(r"\s+", " ", name)).casefold())
            weight = next(w for group, w in _CLUE_WEIGHTS.items() if match.groupdict().get(group))
            if province:
                votes.setdefault(province, []).append((weight, text[match.start():match.end()]))
    return votes


def extract_province(text: str) -> tuple[str, str, str]:
    """(province, source, evidence) from explicit clues; unknown when there is none or a tie."""
    votes = _province_votes(text)
    if not votes:
        return _traced("", "")
    ranked = sorted(((sum(w for w, _ in clues), max(w for w, _ in clues), province)
                     for province, clues in votes.items()), reverse=True)
    if len(ranked) > 1 and ranked[0][:2] == ranked[1][:2]:
        return _traced("", "")
    province = ranked[0][2]
    evidence = max(votes[province], key=lambda clue: clue[0])[1]
    return _traced(province, _clean(evidence))


# --------------------------------------------------------------------------- period and date


def _find_period(text: str) -> tuple[str, str]:
    """Earliest specific period (semester, quarter, month) in ``text``, else a year."""
    found = []
    for kind, regex in _PERIODS:
        for match in regex.finditer(text):
            value, end = _period_value(kind, match, text)
            if value:
                found.append((match.start(), value, text[match.start():end]))
                break
    if found:
        _, value, evidence = min(found)
        return value, evidence
    match = _YEAR.search(text)
    return (match.group(1), match.group(0)) if match else ("", "")


def _period_value(kind: str, match: re.Match[str], text: str) -> tuple[str, int]:
    """Period value of a match and where its evidence ends."""
    if kind == "semester":
        return f"{match.group(2)}-{match.group(3)}-HK{_ROMAN[match.group(1).upper()]}", match.end()
    if kind == "quarter":
        return f"{match.group(2)}-Q{_ROMAN[match.group(1).upper()]}", match.end()
    month, year, end = int(match.group(1)), match.group(2), match.end()
    if not year:  # "tháng 9, triển khai nhiệm vụ tháng 10 năm 2022": the year follows
        later = _YEAR.search(text[end:end + 80])
        year, end = (later.group(1), end + later.end()) if later else ("", end)
    return (f"{year}-{month:02d}" if year and 1 <= month <= 12 else ""), end


def extract_period(title: str, header: list[str]) -> tuple[str, str, str]:
    """(period, source, evidence): from the title first, then the opening passages.

    The place-and-date line ("Hà Nội, ngày 6 tháng 10 năm 2022") dates the issue and a "Căn cứ"
    line cites another document: neither is the period reported on, so neither is read.
    """
    candidates = [line for line in header
                  if not (_PLACE_DATE.search(line.strip()) or fold_normalized(line).startswith("căn cứ"))]
    for text in [title, *candidates]:
        value, evidence = _find_period(text)
        if value:
            return _traced(value, evidence)
    return _traced("", "")


_PERIOD_STARTS = (
    (re.compile(r"(\d{4})-Q([1-4])"), lambda m: (int(m[1]), 3 * int(m[2]) - 2)),
    (re.compile(r"(\d{4})-(\d{2})"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"(\d{4})-(\d{4})-HK1"), lambda m: (int(m[1]), 8)),  # semester 1 opens in autumn
    (re.compile(r"(\d{4})-(\d{4})-HK2"), lambda m: (int(m[2]), 1)),
    (re.compile(r"(\d{4})"), lambda m: (int(m[1]), 1)),
)


def _year_for(month: int, period: str) -> int | None:
    """Year of a dated event without a year: the period's, or the next if the month is earlier."""
    for regex, start in _PERIOD_STARTS:
        match = regex.fullmatch(period)
        if match:
            year, first_month = start(match)
            return year + (1 if month < first_month else 0)
    return None


def _date_in(text: str, period: str) -> tuple[str, str]:
    for regex in _DATES:
        for match in regex.finditer(text):
            if _CITATION.search(text[max(0, match.start() - 60):match.start()]):
                continue  # "Quyết định số 12/QĐ-UBND ngày ...": a cited document's date
            day, month = int(match.group("d")), int(match.group("m"))
            year = int(match.group("y")) if match.group("y") else _year_for(month, period)
            try:
                return dt.date(year, month, day).isoformat(), match.group(0)
            except (TypeError, ValueError):
                continue
    return "", ""


def extract_date(header: list[str], period: str) -> tuple[str, str, str]:
    """(ISO date, source, evidence) of issue or meeting, from the opening passages."""
    # The place-and-date line ("Nghệ An, ngày 15 tháng 1 năm 2024") is the date of issue.
    for text in sorted(header, key=lambda t: not _PLACE_DATE.search(t)):
        if fold_normalized(text).startswith("căn cứ"):
            continue
        value, evidence = _date_in(text, period)
        if value:
            return _traced(value, evidence)
    return _traced("", "")


# --------------------------------------------------------------------------- type, people


def extract_doc_type(text: str, passages: pd.DataFrame) -> tuple[str, str, str]:
    """(doc_type, source, evidence): type heading, document number code, then web markers."""
    texts = [str(t) for t in passages["text"]]
    index = _doc_type_index(texts)
    if index is not None:
        return _traced(DOC_TYPE_HEADINGS[fold_normalized(texts[index]).strip("* ")], _clean(texts[index]))
    code = _DOC_CODE.search(text)
    if code:
        return _traced(DOC_CODE_TYPES[code.group(1)], code.group(0))
    if _CONG_VAN.search(text):
        return _traced("cong_van", "V/v")
    for line in text.split("\n")[:40]:
        if line.strip() and DEBRIS_LINES.match(fold_normalized(line)) and not re.fullmatch(r"[\d\s/–—-]+", line):
            return _traced("tin_bai", line.strip())
    return "other", "unknown", ""


def _is_person_name(text: str) -> bool:
    words = _clean(text).split()
    return 2 <= len(words) <= 6 and all(re.fullmatch(_NAME_WORD, w) and w[0].isupper()
                                        and (len(w) == 1 or not w[1:].isupper()) for w in words)


def extract_signer(passages: pd.DataFrame) -> str:
    """Name printed under the signature title ("GIÁM ĐỐC" / "Bùi Thị Kim Tuyến")."""
    texts = [_clean(str(t)) for t in list(passages["text"])[-SIGNATURE_WINDOW:]]
    for index in range(len(texts) - 1, 0, -1):
        if _is_person_name(texts[index]) and SIGNER_TITLES.search(texts[index - 1]) \
                and texts[index - 1].upper() == texts[index - 1]:
            return unicodedata.normalize("NFC", texts[index])
    # Two-column layouts put the title at the end of the recipients' lines ("Nơi nhận: KT. GIÁM
    # ĐỐC", "- UBND tỉnh (b/c); PHÓ GIÁM ĐỐC"); the name then follows the last recipient.
    for index in range(len(texts) - 1, 0, -1):
        if _is_person_name(texts[index]) and any(
                _TRAILING_TITLE.search(text) for text in texts[max(0, index - TITLE_LOOKBACK):index]):
            return unicodedata.normalize("NFC", texts[index])
    return ""


def extract_chair(text: str) -> str:
    """Person who chaired the meeting ("đồng chí X, Giám đốc Sở chủ trì")."""
    for found in re.finditer("chủ trì", text):  # scan only what precedes each "chủ trì"
        window = text[max(0, found.start() - 200):found.end()].replace("\n", " ")
        for match in _CHAIR.finditer(window):
            if _is_person_name(match.group("name")):
                return match.group("name")
    return ""


# --------------------------------------------------------------------------- public API


def extract_metadata(text: str, passages: pd.DataFrame | Mapping[str, list]) -> dict:
    """Metadata of one document from its normalised text and its passages.

    ``passages`` is a passages table (split_passages) or its columns as lists (passage_columns).
    """
    text = unicodedata.normalize("NFC", text)
    header = _header_passages(passages)
    title = extract_title(passages)
    period = extract_period(title, header)
    date = extract_date(header, period[0])
    province = extract_province(text)
    doc_type = extract_doc_type(text, passages)
    meta = {"title": title, "signer": extract_signer(passages), "chair": extract_chair(text),
            "province_2025": province_2025(province[0]) if province[0] else "", "source_note": ""}
    for field, (value, source, evidence) in zip(TRACED_FIELDS, (province, date, period, doc_type)):
        meta.update({field: value, f"{field}_source": source, f"{field}_evidence": evidence})
    return meta


def _standard_province(value: str) -> str | None:
    wanted = name_key(value)
    wanted = re.sub(r"^(?:tinh|thanh pho)\s+", "", wanted)
    for name, standard in province_spellings().items():
        if name_key(name) == wanted:
            return standard
    return None


def apply_manifest(meta: Mapping, row: Mapping) -> dict:
    """A copy of ``meta`` where the manifest row's non-empty fields override the text's."""
    out = dict(meta)
    note = str(row.get("source_note") or "").strip()
    evidence = note or "corpus/manifest.csv"
    for field in MANIFEST_FIELDS:
        value = unicodedata.normalize("NFC", str(row.get(field) or "").strip())
        if not value:
            continue
        if field == "province":
            standard = _standard_province(value)
            if standard is None:
                raise ValueError(f"manifest: unknown province {value!r} for {row.get('file', '?')}; "
                                 "use a pre-2025 province name such as 'Kon Tum'")
            value = standard
            out["province_2025"] = province_2025(standard)
        out[field] = value
        if field in TRACED_FIELDS:
            out.update({f"{field}_source": "manifest", f"{field}_evidence": evidence})
    out["source_note"] = note or str(meta.get("source_note", ""))
    return out


_MANIFEST_CHECKS = {
    "date": (re.compile(r"\d{4}-\d{2}-\d{2}"), "an ISO date YYYY-MM-DD"),
    "doc_type": (re.compile("|".join(DOC_TYPES)), "one of " + ", ".join(DOC_TYPES)),
}


def _check_manifest_row(path: Path, line: int, row: dict) -> None:
    where = f"{path}:{line}"
    if None in row or any(value is None for value in row.values()):
        raise ValueError(f"{where}: wrong number of fields; each row needs {len(MANIFEST_COLUMNS)} "
                         f"comma-separated fields ({','.join(MANIFEST_COLUMNS)}); quote values with commas")
    if not (row.get("file") or "").strip():
        raise ValueError(f"{where}: empty 'file'; give the file name as in corpus/raw")
    for field, (pattern, wanted) in _MANIFEST_CHECKS.items():
        value = (row.get(field) or "").strip()
        if value and not pattern.fullmatch(value):
            raise ValueError(f"{where}: {field} {value!r} is not {wanted}")
    if (period := (row.get("period") or "").strip()) and not is_period(period):
        raise ValueError(f"{where}: period {period!r} is not a period; use {PERIOD_FORMS}")
    if field_value := (row.get("date") or "").strip():
        try:
            dt.date.fromisoformat(field_value)
        except ValueError:
            raise ValueError(f"{where}: date {field_value!r} is not a real calendar date") from None
    province = (row.get("province") or "").strip()
    if province and _standard_province(province) is None:
        raise ValueError(f"{where}: unknown province {province!r}; use a pre-2025 name such as 'Kon Tum'")


def read_manifest(path: str | Path) -> dict[str, dict[str, str]]:
    """Rows of the corpus manifest by file name, NFC ({} when the file does not exist)."""
    return {name: row for name, (_, row) in manifest_rows(path).items()}


def manifest_rows(path: str | Path) -> dict[str, tuple[int, dict[str, str]]]:
    """(line, row) of each manifest row by file name: names in NFC, so a row written on one
    system matches a file named on another (macOS writes names in NFD)."""
    path = Path(path)
    if not path.exists():
        return {}
    reader = csv.DictReader(io.StringIO(_manifest_text(path), newline=""))
    columns = reader.fieldnames or []
    unknown = [c for c in columns if c not in MANIFEST_COLUMNS]
    if "file" not in columns or unknown:
        raise ValueError(f"{path}:1: header must name 'file' and only these columns: "
                         f"{','.join(MANIFEST_COLUMNS)} (unknown: {','.join(unknown) or 'none'})")
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    for row in reader:
        line = reader.line_num
        _check_manifest_row(path, line, row)
        name = unicodedata.normalize("NFC", row["file"].strip())
        if name in rows:
            raise ValueError(f"{path}:{line}: {name!r} is listed twice (also on line {rows[name][0]}); "
                             "keep one row per file")
        rows[name] = (line, {key: (value or "").strip() for key, value in row.items()} | {"file": name})
    return rows


def _manifest_text(path: Path) -> str:
    """The manifest as text; bytes that are not UTF-8 are one line naming the line and byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValueError(f"{path}:{line}: not UTF-8 (byte {exc.start}); save the manifest as "
                         "UTF-8 (CSV UTF-8 in Excel or LibreOffice)") from None
