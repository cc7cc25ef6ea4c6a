"""Numeric indicators in notices: percentages, targets, scores, rankings and counts with units.

Vietnamese number formats: a dot groups thousands ("6.908 lớp" = 6908) and a comma is the
decimal mark ("99,37%" = 99.37). Targets carry a comparator ("đạt 99,5% trở lên" -> ≥,
"trên 95%" -> >, "dưới 1%" -> <). Offsets ``start``/``end`` refer to the normalised passage text.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.text.normalize import normalize_text

COLUMNS = ["doc_id", "passage_id", "kind", "subject", "as_written", "value", "unit", "comparator",
           "of_total", "evidence", "start", "end"]
_NUM = r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
_BEFORE = r"(?:(?P<pre>trên|dưới|hơn|ít nhất|tối thiểu|tối đa|không quá|gần)\s+)?"
_AFTER = r"(?P<post>\s*trở\s+lên|\s*trở\s+xuống)?"
COUNT_UNITS = (
    "cơ sở giáo dục", "điểm trường", "phòng học", "học sinh", "giáo viên", "thí sinh", "trường học",
    "trường", "lớp học", "lớp", "nhóm trẻ", "trẻ", "cán bộ", "nhà giáo", "người", "đơn vị", "em",
    "huy chương", "giải", "bậc", "tỷ đồng", "triệu đồng", "nghìn đồng", "đồng", "xã", "huyện",
    "phòng", "máy tính", "bộ", "tiết", "đoàn", "công trình", "hồ sơ", "cơ sở",
)
_PATTERNS = (  # (kind, regex) in priority order: earlier kinds win overlapping spans
    ("ranking", re.compile(r"xếp\s+(?:thứ|hạng)\s+(?P<num>\d+)\s*/\s*(?P<total>\d+)(?:\s+(?P<unit>đoàn|tỉnh|đơn vị))?",
                           re.IGNORECASE)),
    ("percent", re.compile(_BEFORE + r"(?<![\w.,])" + _NUM + r"\s*%" + _AFTER, re.IGNORECASE)),
    ("score", re.compile(_BEFORE + r"(?<![\w.,])" + _NUM + r"\s+điểm(?!\s+trường)(?!\w)" + _AFTER, re.IGNORECASE)),
    ("count", re.compile(_BEFORE + r"(?<![\w.,/-])" + _NUM + r"\s+(?P<unit>"
                         + "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in COUNT_UNITS)
                         + r")(?!\w)" + _AFTER, re.IGNORECASE)),
)
_COMPARATORS = {"trên": ">", "hơn": ">", "dưới": "<", "ít nhất": "≥", "tối thiểu": "≥",
                "tối đa": "≤", "không quá": "≤", "gần": "≈", "trở lên": "≥", "trở xuống": "≤"}
_CLAUSE_END = re.compile(r"[;:!?\n]|\.(?!\d)|,\s|–|\s-\s")
_TAIL = re.compile(r"(?:[\s:]+|\b(?:đạt|là|có|chiếm|còn|khoảng|với)\b)+$", re.IGNORECASE)
_FILLER = re.compile(r"^(?:[-–+•*\s]|phấn đấu|đến năm \d{4}|có|đạt|là|với|được|tăng|giảm)+|"
                     r"(?:\s|đạt|là|có|được|với|chiếm|còn|khoảng|tăng|giảm)+$", re.IGNORECASE)


def parse_number(token: str) -> float:
    """Parse a Vietnamese number: "6.908" -> 6908, "99,37" -> 99.37, "1.234,5" -> 1234.5."""
    token = token.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
        return float(token.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d+(?:[.,]\d+)?", token):
        return float(token.replace(",", "."))
    raise ValueError(f"not a number: {token!r}")


def _comparator(match: re.Match) -> str:
    groups = match.groupdict()
    word = " ".join((groups.get("post") or groups.get("pre") or "").lower().split())
    return _COMPARATORS.get(word, "=")


def _subject(text: str, start: int, end: int) -> str:
    """The clause before the number; if that is empty (e.g. "61% số trường ..."), the clause after."""
    before = _CLAUSE_END.split(_TAIL.sub("", text[:start]))[-1]
    subject = _FILLER.sub("", " ".join(before.split()))
    if len(subject.split()) < 2:
        after = _CLAUSE_END.split(text[end:])[0]
        subject = _FILLER.sub("", " ".join(after.split()))
    return subject


def snippet(text: str, start: int, end: int, before: int = 80, after: int = 30) -> str:
    """The words around ``text[start:end]`` on one line, cut at word boundaries (never mid-word),
    with "…" where the text goes on."""
    left = max(0, start - before)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else start
    right = min(len(text), end + after)
    if right < len(text):
        space = text.rfind(" ", end, right + 1)
        right = space if space >= 0 else end
    body = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")


_DIGIT = re.compile(r"\d")  # an indicator has a number: texts without a digit are skipped


def text_indicators(text: str) -> list[dict]:
    """Indicators in one text, in order of position."""
    text = normalize_text(str(text))
    taken = np.zeros(len(text) + 1, dtype=bool)
    found = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if taken[m.start():m.end()].any():
                continue
            taken[m.start():m.end()] = True
            unit = {"percent": "%", "score": "điểm", "ranking": "rank"}.get(kind) or " ".join(m["unit"].lower().split())
            total = float(m["total"]) if kind == "ranking" else np.nan
            subject = _subject(text, m.start(), m.end())
            if kind == "ranking" and m["unit"]:
                subject = f"{subject} ({m['unit']})"
            found.append({"kind": kind, "subject": subject, "as_written": " ".join(m.group(0).split()),
                          "value": parse_number(m["num"]), "unit": unit,
                          "comparator": "=" if kind == "ranking" else _comparator(m), "of_total": total,
                          "evidence": snippet(text, m.start(), m.end()),
                          "start": m.start(), "end": m.end()})
    return sorted(found, key=lambda r: r["start"])


def indicators_extract(passages: pd.DataFrame) -> pd.DataFrame:
    """Numeric indicators of every passage (doc_id, passage_id, subject, value, unit, comparator, ...)."""
    missing = {"doc_id", "passage_id", "text"} - set(passages.columns)
    if missing:
        raise ValueError(f"passages: missing columns {sorted(missing)}; pass the table from `giaoban ingest`")
    codes, uniq = pd.factorize(passages["text"].fillna("").astype(str))
    found = [text_indicators(t) if _DIGIT.search(t) else [] for t in uniq]  # repeats once
    rows = [{"doc_id": d, "passage_id": p, **hit}
            for d, p, c in zip(passages["doc_id"], passages["passage_id"], codes) for hit in found[c]]
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.astype({"value": float, "of_total": float})
    return out.sort_values(["doc_id", "passage_id", "start"], kind="mergesort").reset_index(drop=True)
