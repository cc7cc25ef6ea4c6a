"""Document metadata read from the text, each traced field with its source and evidence.

``extract_metadata`` reads title, type, province, date, period, signer and chair from the
normalised text and its passages, using the parts of the document its genre lays out
(``analysis.corpus.layout``: an administrative document's number, place-and-date line and type
name; a news post's headline, publication line and lead). ``apply_manifest`` lets
``corpus/manifest.csv`` override any field (recording that it did). Province comes only from
explicit clues (the department's own name, "tỉnh X", "giáo dục X", the province's districts) —
never from a guess. A field left unknown or read from conflicting clues is named in the
document's ``check`` column, so a researcher can fix it in the manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.corpus.layout import WEEKDAY, Found, Layout, is_national, iso_date, read_layout
from analysis.corpus.passages import CONTEXT_PASSAGE, DOC_TYPE_HEADINGS, INTRO_CONTEXT, ends_sentence
from analysis.corpus.provinces import province_2025, province_spellings, standard_province, unique_districts
from analysis.periods import PERIOD_FORMS, is_period
from analysis.schema import DOC_TYPES, TRACED_FIELDS
from analysis.text.fold import fold_normalized, name_key
from analysis.text.normalize import strip_diacritics

MANIFEST_COLUMNS = ("file", "province", "date", "period", "doc_type", "signer", "chair", "source_note")
MANIFEST_FIELDS = MANIFEST_COLUMNS[1:-1]

# Province clue templates, tried on the diacritic-free text: (weight, prefix regex).
PROVINCE_CLUES: tuple[tuple[int, str], ...] = (
    # "Sở Giáo dục và Đào tạo (GD&ĐT) tỉnh X": news spells out the name, then its abbreviation
    (5, r"So\s+(?:Giao\s+duc\s+(?:va|&)\s+Dao\s+tao(?:\s*\((?:GD\s*&\s*DT|GDDT|GD-DT)\))?|GD\s*&\s*DT|GDDT|GD-DT)\s+"
        r"(?:tinh\s+|thanh\s+pho\s+|TP\.?\s*)?"),
    (3, r"(?:UBND|Uy\s+ban\s+nhan\s+dan|HDND|Hoi\s+dong\s+nhan\s+dan)\s+(?:tinh|thanh\s+pho|TP\.?)\s+"),
    (2, r"(?:Tinh|Thanh)\s+uy\s+"),
    (2, r"(?:tinh|thanh\s+pho)\s+"),
    (2, r"(?:giao\s+duc(?:\s+va\s+dao\s+tao)?|GD\s*&\s*DT|GDDT)\s+"),
    # A site's own name: "Báo Bắc Giang", "Đài Phát thanh và Truyền hình Hà Giang", "Báo và Phát
    # thanh, Truyền hình X" (the merged provincial media), "Đài PT-TH X" (a masthead).
    (1, r"(?:Bao\s+(?:dien\s+tu\s+)?|Phat\s+thanh\s*(?:va\s+|-\s*|,\s*)?Truyen\s+hinh\s+|PT\s*-?\s*TH\s+)"),
)
# District clues, of low weight: a district named with its rank ("huyện Cần Giuộc"), or a district's
# education office, which always bears its district's name ("Phòng GD-ĐT Cần Giuộc"); a district
# named by only one province's list gives that province.
DISTRICT_CLUES: tuple[tuple[int, str], ...] = (
    (1, r"(?:huyen|quan|thi\s+xa|thanh\s+pho)\s+"),
    (1, r"(?:Phong\s+(?:Giao\s+duc(?:\s+(?:va|&)\s+Dao\s+tao)?|GD\s*(?:&|-|va)?\s*DT)|PGD\s*(?:&|-)?\s*DT)\s+"),
)

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

_NUMERIC_DATE = r"(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?:\s*/\s*(?P<y>\d{4}))?"
_WORD_DATE = r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?"
_DATES = tuple(re.compile(rf"\bngày\s+(?:{form})", re.I) for form in (_WORD_DATE, _NUMERIC_DATE))
_CITATION = re.compile(r"(?:\bsố\s+\S+|\d+[-/][A-ZĐ][\w&-]*/?[\w&-]*)\s*,?\s*$", re.I)


# --------------------------------------------------------------------------- helpers


def _traced(value: str, evidence: str) -> tuple[str, str, str]:
    return value, ("text" if value else "unknown"), (evidence if value else "")


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


# A news post says what it reports on in its headline and lead, the first sentences of the
# article (the inverted pyramid); a year further down dates one fact of the story ("Năm học
# 2022-2023, tỷ lệ huy động ... đạt 100%"), not the period of the post.
LEAD_SENTENCES = 4


def _news_opening(opening: list[str]) -> list[str]:
    """The passages of a news post's opening up to the end of its lead: the headline and
    publication lines, and the first LEAD_SENTENCES sentences of the article."""
    kept, sentences = [], 0
    for text in opening:
        if sentences >= LEAD_SENTENCES:
            break
        kept.append(text)
        sentences += ends_sentence(text) and len(text.split()) >= 5
    return kept


def _header_passages(passages: pd.DataFrame) -> list[str]:
    """Passages before the first non-context one (title, date, attendees)."""
    texts = []
    for text, role in zip(passages["text"], passages["role"]):
        if role != "context":
            break
        texts.append(str(text))
    return texts


# The letterhead alone is up to eight passages (issuing body and its parent, national title, motto,
# number, place-and-date line), each its own passage: the type heading comes after them.
HEAD_PASSAGES = 12


def _doc_type_index(texts: list[str]) -> int | None:
    for index, text in enumerate(texts[:HEAD_PASSAGES]):
        if fold_normalized(text).strip("* ") in DOC_TYPE_HEADINGS:
            return index
    return None


NATIONAL_MOTTO_TEXT = re.compile(r"\s*(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập - Tự do - Hạnh phúc)",
                                 re.IGNORECASE)
_COUNTER = re.compile(r"\s*\((?:lượt xem|lượt đọc|số lượt xem)[^)]*\)\s*$", re.IGNORECASE)


def extract_title(passages: pd.DataFrame, layout: Layout | None = None) -> str:
    """The document's title: the line after its type heading, a "V/v ..." subject line, a news
    post's headline, or else the first passage that is not a letterhead line."""
    texts = [str(text) for text in passages["text"]]
    index = _doc_type_index(texts)
    if index is not None:
        return _clean(texts[index + 1]) if index + 1 < len(texts) else ""
    for text in texts[:8]:
        if _CONG_VAN.match(text):
            # A flattened copy can run the motto on after the subject: it is never part of it.
            return _clean(NATIONAL_MOTTO_TEXT.split(text)[0])
    if layout is not None and layout.headline is not None:
        return _COUNTER.sub("", _clean(layout.lines[layout.headline]))
    for text in texts:
        if not (CONTEXT_PASSAGE.search(fold_normalized(text)) or text.upper() == text or _PLACE_DATE.search(text)):
            return _clean(text)
    return ""


# --------------------------------------------------------------------------- province


def _name_pattern(names: list[str]) -> str:
    parts = [re.escape(strip_diacritics(name)).replace(r"\ ", r"\s+").replace(r"\-", r"\s*-\s*")
             for name in sorted(names, key=len, reverse=True)]
    return rf"(?P<name>{'|'.join(parts)})(?!\w)"


def _first_letters(prefixes: list[str]) -> str:
    """Every letter an alternative of these prefixes can start with (a superset: nested
    alternatives count too). A lookahead on them lets the scan skip most positions at once."""
    return "".join(sorted({m.group(1).lower() for prefix in prefixes
                           for m in re.finditer(r"(?:^|\(\?:|\|)([A-Za-z])", prefix)}))


@lru_cache(maxsize=1)
def _province_regexes() -> tuple[tuple[re.Pattern[str], dict[str, str]], ...]:
    """Two scanners (provinces, districts); group ``w<i>`` tells which clue matched."""
    keyed = {name_key(name): standard for name, standard in province_spellings().items()}
    districts = {name_key(name): province for name, province in unique_districts().items()}
    clues = list(enumerate((*PROVINCE_CLUES, *DISTRICT_CLUES)))
    province_prefixes = "|".join(f"(?P<w{i}>{prefix})" for i, (_, prefix) in clues[:len(PROVINCE_CLUES)])
    district_prefixes = "|".join(f"(?P<w{i}>{prefix})" for i, (_, prefix) in clues[len(PROVINCE_CLUES):])
    starts = [f"(?=[{_first_letters([p for _, p in table])}])" for table in (PROVINCE_CLUES, DISTRICT_CLUES)]
    return (
        (re.compile(rf"(?<!\w){starts[0]}(?:{province_prefixes}){_name_pattern(list(keyed))}", re.I), keyed),
        (re.compile(rf"(?<!\w){starts[1]}(?:{district_prefixes}){_name_pattern(list(districts))}", re.I),
         districts),
    )


_CLUE_WEIGHTS = {f"w{i}": weight for i, (weight, _) in enumerate((*PROVINCE_CLUES, *DISTRICT_CLUES))}
BODY_CLUES = ("w0", "w1", "w2")  # a body's own name (Sở, UBND, Tỉnh ủy): what issued or acts
# A place after "tại" is where something happened ("tổ chức tại thành phố Đà Nẵng"), a weaker clue
# than a body's name: a meeting held in a province is not that province's business.
VENUE_BEFORE = re.compile(r"\btai\s+[^.;:\n]{0,50}$", re.IGNORECASE)
VENUE_WEIGHT = 1
DOMINANCE = 2  # the chosen province needs twice the clues of the next: else the page is about several
NATIONAL_LEAD = re.compile(r"^(?:bộ (?:gd|giáo dục)|bộ trưởng|thứ trưởng|chính phủ|thủ tướng)")
_LEAD_TIME = re.compile(r"^(?:(?:sáng|chiều|tối|trưa|đêm|ngày)\b[^,]{0,25},\s*|mới đây,\s*|vừa qua,\s*)")


@dataclass(frozen=True)
class ProvinceClue:
    """One explicit clue: the province it names, its weight, its words, and where it sits."""

    province: str
    weight: int
    evidence: str
    start: int
    site: bool = False  # in a web page's masthead or footer, not the article
    venue: bool = False  # after "tại": where something happened


@lru_cache(maxsize=1)
def _enumeration() -> re.Pattern[str]:
    """A province name right after a clue's name, as in a list ("tỉnh Hà Giang, Lào Cai")."""
    names = [strip_diacritics(name) for name in province_spellings()]
    return re.compile(rf"\s*(?:,|;|và|va|cung|với|voi)\s*(?:(?:tinh|thanh\s+pho)\s+)?{_name_pattern(names)}")


def _province_votes(text: str) -> dict[str, list[tuple[int, str]]]:
    """Province -> list of (weight, evidence) for every explicit clue in ``text``."""
    votes: dict[str, list[tuple[int, str]]] = {}
    for clue in province_clues(text):
        votes.setdefault(clue.province, []).append((clue.weight, clue.evidence))
    return votes


def province_clues(text: str, site_spans: list[tuple[int, int]] = ()) -> list[ProvinceClue]:
    """Every explicit province clue in ``text``; a place in a list of provinces is none (the
    page is about several), a place after "tại" is a venue of lower weight."""
    plain = strip_diacritics(text)
    clues = []
    for regex, lookup in _province_regexes():
        for match in regex.finditer(plain):
            name = match.group("name")
            if not name[0].isupper():  # "tỉnh ủy" is not a province; names are capitalised
                continue
            province = lookup.get(re.sub(r"\s*-\s*", " - ", re.sub(r"\s+", " ", name)).casefold())
            if not province:
                continue
            group = next(g for g in _CLUE_WEIGHTS if match.groupdict().get(g))
            weight, venue = _CLUE_WEIGHTS[group], False
            if group not in BODY_CLUES:  # a place: maybe one of a list, a venue, or no clue at all
                if _enumeration().match(plain, match.end()) or not _clue_words_hold(text, match, group):
                    continue
                if VENUE_BEFORE.search(plain, max(0, match.start() - 60), match.start()):
                    weight, venue = VENUE_WEIGHT, True
            site = any(start <= match.start() < end for start, end in site_spans)
            clues.append(ProvinceClue(province, weight, text[match.start():match.end()], match.start(), site, venue))
    return clues


_DISTRICT_WORDS = ("huyện", "quận", "thị xã", "thành phố")
WEAK_CLUES = (f"w{len(PROVINCE_CLUES) - 2}", f"w{len(PROVINCE_CLUES) - 1}")  # within one line only


def _clue_words_hold(text: str, match: re.Match[str], group: str) -> bool:
    """The accent-blind match is a real clue: "quận" (not "liên quan") before a district, and
    "giáo dục X" on one line (a menu item above a headline is not "giáo dục" of a province)."""
    words = " ".join(text[match.start(group):match.end(group)].split()).casefold()
    if group == f"w{len(PROVINCE_CLUES)}":
        return words in _DISTRICT_WORDS
    if group == f"w{len(PROVINCE_CLUES) + 1}":  # "phòng", not "phóng"
        return words.startswith(("phòng", "pgd"))
    return group not in WEAK_CLUES or "\n" not in text[match.start():match.end()]


# Provincial papers tag their news with the province's initials and the site's suffix: "(HGO)"
# Hà Giang Online, "(QBĐT)" Quảng Bình điện tử. Initials shared by two provinces tell nothing.
TAG_SUFFIXES = ("ONLINE", "ĐT", "DT", "TV", "O")


@lru_cache(maxsize=1)
def _initials() -> dict[str, str]:
    """Initials of each province's name -> the province, for initials no other province has."""
    found: dict[str, set[str]] = {}
    for standard in set(province_spellings().values()):
        letters = "".join(word[0] for word in re.split(r"[\s-]+", standard) if word).upper()
        found.setdefault(letters, set()).add(standard)
    return {letters: names.pop() for letters, names in found.items() if len(names) == 1 and len(letters) >= 2}


def tag_province(tag: str) -> str:
    """The province a byline tag's initials name ("(HGO)" -> Hà Giang), else ""."""
    letters = tag.strip("() ").upper()
    for suffix in TAG_SUFFIXES:
        if letters.endswith(suffix) and letters[:-len(suffix)] in _initials():
            return _initials()[letters[:-len(suffix)]]
    return ""


def _national(layout: Layout | None) -> str:
    """Evidence that a national body issued the document or is the one reported, else ""."""
    if layout is None:
        return ""
    if layout.administrative and is_national(layout.issuer):
        return f"issued by a national body: {layout.issuer[0]}"
    lead = _LEAD_TIME.sub("", fold_normalized(layout.lead))
    return f"a national body reported: {_clean(layout.lead)[:60]}" if NATIONAL_LEAD.match(lead) else ""


def _ranked(clues: list[ProvinceClue]) -> list[tuple[int, int, str]]:
    totals: dict[str, list[int]] = {}
    for clue in clues:
        totals.setdefault(clue.province, []).append(clue.weight)
    return sorted(((sum(w), max(w), province) for province, w in totals.items()), reverse=True)


def extract_province(text: str, layout: Layout | None = None, notes: list[str] | None = None) -> tuple[str, str, str]:
    """(province, source, evidence) from explicit clues.

    None for a national document or a page about several provinces (no province dominates);
    a clue in a web page's masthead or footer counts only when the article names none.
    """
    notes = [] if notes is None else notes
    clues = province_clues(text, layout.site_spans if layout else [])
    content = [clue for clue in clues if not clue.site]
    national = _national(layout)
    # A national document has no province whatever it names; a news post reporting a national
    # body keeps one only when a provincial body acts in it too, or when the national body acts on
    # a place its lead names ("Bộ GD-ĐT công nhận huyện Ea Súp đạt chuẩn ...").
    if national and (layout.administrative or not any(c.weight >= _CLUE_WEIGHTS["w1"] for c in content)
                     and not any(not c.venue and c.evidence in layout.lead for c in content)):
        return "", "text", national
    chosen = content or [clue for clue in clues if clue.site]
    if not chosen and layout is not None and tag_province(layout.agency_tag):
        notes.append(f"province: named only by the byline tag {layout.agency_tag}")
        return tag_province(layout.agency_tag), "text", f"byline tag {layout.agency_tag}"
    ranked = _ranked(chosen)
    if not ranked:
        notes.append("province: no province named in the text")
        return _traced("", "")
    if len(ranked) > 1 and (ranked[0][0] < DOMINANCE * ranked[1][0] or ranked[0][:2] == ranked[1][:2]):
        names = ", ".join(f"{province} ({score})" for score, _, province in ranked[:4])
        notes.append(f"province: several provinces named ({names})")
        return "", "text", f"several provinces named: {names}"
    province = ranked[0][2]
    evidence = _clean(max((c for c in chosen if c.province == province), key=lambda c: c.weight).evidence)
    if not content:
        notes.append("province: named only in the site's masthead or footer")
        evidence = f"site masthead/footer: {evidence}"
    return province, "text", evidence


# --------------------------------------------------------------------------- period and date

# The forms a period is stated in, most specific first (a semester names its school year, a
# month its year). A school year runs over two consecutive years, a phase over several.
PERIOD_PATTERNS: tuple[tuple[str, str], ...] = (
    ("semester", r"học k[ỳì]\s+(?P<s>ii|i|1|2)\b[^.;\n]{0,160}?năm học\s+(?P<sa>\d{4})\s*-\s*(?P<sb>\d{4})"),
    # "năm 2023-2024" without "học" names a school year too ("tuyển sinh lớp 10 năm 2023-2024").
    ("school_year", r"năm(?:\s+học)?\s+(?P<ya>\d{4})\s*-\s*(?P<yb>\d{4})"),
    ("phase", r"giai đoạn\s+(?P<pa>\d{4})\s*-\s*(?P<pb>\d{4})"),
    ("quarter", r"quý\s+(?P<q>iv|iii|ii|i|[1-4])\b\s*(?:/|năm\s+)(?P<qa>\d{4})"),
    ("month", r"tháng\s+(?P<m>\d{1,2})\b(?:\s*(?:/|năm\s+)(?P<ma>\d{4}))?"),
    ("year", r"năm\s+(?P<a>\d{4})\b"),
)
# Words before a month or year that make it no period: "ngày 5 tháng 9 năm 2022" is a date,
# "đến năm 2030" (or "đến tháng 9/2025", "lên 95% vào năm 2025") a horizon, "từ năm 2016" ("từ tháng
# 10/2022", "từ năm học 2022-2023") a starting point.
NOT_PERIOD_BEFORE = {"month": re.compile(r"(?:ngày \d{1,2}|đến|tới|từ|trước|sau) $"),
                     "school_year": re.compile(r"(?:từ|trước|sau) $"),
                     "year": re.compile(r"(?:đến|tới|từ|trước|sau|vào) $")}
# One scan of the lower-cased text: at each place the alternatives are tried in the order above,
# so a semester swallows the school year it names and a month its year.
_PERIOD_SCAN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in PERIOD_PATTERNS))
# The words before a period say whether the document looks back on it or ahead to it: a review
# conference "tổng kết năm học X, triển khai nhiệm vụ năm học X+1" reports on X.
REVIEW_CUE = re.compile(r"tổng kết|sơ kết|đánh giá|kết quả|nhìn lại")
FORWARD_CUE = re.compile(r"triển khai|phương hướng|nhiệm vụ|kế hoạch|chuẩn bị|giao nhiệm vụ")
CUE_WINDOW = 60
OPENING_PASSAGES = 8  # passages after the header searched for the period
OPENING_HEADER = 12  # header passages (title, date, attendees) searched for it
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_YEAR = re.compile(r"năm\s+(\d{4})\b", re.I)


@dataclass(frozen=True)
class PeriodMention:
    value: str  # not yet checked: analysis.periods.is_period decides when it is chosen
    source: str
    start: int
    end: int
    looks_back: bool  # preceded by a review cue

    @property
    def evidence(self) -> str:
        return _clean(self.source[self.start:self.end])


def _period_label(match: re.Match[str], text: str) -> tuple[str, int]:
    """Period label of a match ("" when the words name none) and where its evidence ends."""
    kind, end = match.lastgroup, match.end()
    before = NOT_PERIOD_BEFORE[kind].search(text, max(0, match.start() - 10), match.start()) \
        if kind in NOT_PERIOD_BEFORE else None
    if before:
        dated = kind == "month" and before.group(0).startswith("ngày")
        return (match["ma"] or "") if dated else "", end  # a full date still names its year
    if kind == "semester":
        label = f"{match['sa']}-{match['sb']}-HK{_ROMAN[match['s'].upper()]}"
    elif kind == "school_year":
        label = f"{match['ya']}-{match['yb']}" if int(match["yb"]) == int(match["ya"]) + 1 else ""
    elif kind == "phase":
        label = f"{match['pa']}-{match['pb']}"
    elif kind == "quarter":
        label = f"{match['qa']}-Q{_ROMAN[match['q'].upper()]}"
    elif kind == "month":
        year = match["ma"]
        if not year:  # "tháng 9, triển khai nhiệm vụ tháng 10 năm 2022": the year follows
            later = _YEAR.search(text, end, end + 80)
            year, end = (later.group(1), later.end()) if later else ("", end)
        label = f"{year}-{int(match['m']):02d}" if year else ""
    else:
        label = match["a"]
    return label, end


def period_mentions(text: str) -> list[PeriodMention]:
    """Every period stated in ``text``, in order, with whether the words before it look back."""
    mentions, previous = [], 0
    lower = text.lower()  # same length: evidence is cut from ``text`` at the same places
    for match in _PERIOD_SCAN.finditer(lower):
        label, end = _period_label(match, lower)
        if not label:
            continue
        start = match.start()
        window = re.split(r"[.;:,]", lower[max(previous, start - CUE_WINDOW):start])[-1]
        review, forward = REVIEW_CUE.search(window), FORWARD_CUE.search(window)
        looks_back = bool(review) and (not forward or review.start() < forward.start())
        mentions.append(PeriodMention(label, text, start, end, looks_back))
        previous = end
    return mentions


_FOUR_DIGITS = re.compile(r"\d{4}")


def _period_texts(title: str, header: list[str], layout: Layout | None) -> list[str]:
    """The opening passages a period is read from: those stating a year, but not the
    place-and-date line (the date of issue) nor a "Căn cứ" citation (another document)."""
    evidence = layout.place_date.evidence if layout and layout.place_date else None
    return [line for line in header
            if _FOUR_DIGITS.search(line) and not (
                _PLACE_DATE.search(line.strip()) or line.lstrip("*-+• ")[:6].casefold() == "căn cứ"
                or evidence and _clean(line).endswith(evidence[-12:]))]


def extract_period(title: str, header: list[str], layout: Layout | None = None,
                   doc_type: str = "", notes: list[str] | None = None) -> tuple[str, str, str]:
    """(period, source, evidence) from the title and the opening passages.

    A plan's period is the one it plans for (its title first). Otherwise a period the document
    looks back on (a review) is what it reports on, else the title's, else the first stated.
    """
    return _period_read(title, header, layout, doc_type, [] if notes is None else notes)[0]


def _period_read(title: str, header: list[str], layout: Layout | None, doc_type: str,
                 notes: list[str]) -> tuple[tuple[str, str, str], bool]:
    """(traced period, whether the document looks back on it)."""
    chosen = _chosen_period(title, header, layout, doc_type, notes)
    if chosen:
        return _traced(chosen.value, chosen.evidence), chosen.looks_back
    if doc_type == "bao_cao" or "báo cáo" in title.lower():
        return _as_of_month(header, notes), True
    if doc_type == "thong_bao" or doc_type == "tin_bai" and SCHEDULE_DATE.search(title):
        return _schedule_month([title, *header], notes), False
    return _traced("", ""), False


# A notice that announces a schedule ("Từ thứ Hai, ngày 4/5/2020: học sinh ... trở lại trường")
# plans for the days it announces; when they all fall in one month, that month is its period.
# A news post whose headline is such a schedule ("Học sinh nghỉ học đến hết ngày 28/2/2021",
# "… đi học trở lại từ ngày 1/3") reports that announcement, so the same month is its period.
SCHEDULE_DATE = re.compile(rf"\b(?:từ|đến|tới|hết)\s+(?:{WEEKDAY})?ngày\s+{_NUMERIC_DATE}", re.I)


def _schedule_month(header: list[str], notes: list[str]) -> tuple[str, str, str]:
    """The one month of the days a schedule announces (a notice, or news headlined with it),
    when no period is stated (checked)."""
    matches = [m for text in header for m in SCHEDULE_DATE.finditer(text)
               if m["y"] and iso_date(m["d"], m["m"], m["y"])]
    months = {f"{m['y']}-{int(m['m']):02d}" for m in matches}
    if len(months) != 1:
        return _traced("", "")
    evidence = _clean(matches[0].group(0))
    notes.append(f"period: none stated; the month of the days it announces ({evidence} ...)")
    return _traced(months.pop(), evidence)


# A report that states no period reports the state of things at the moment its figures are given
# for: "số liệu ... tính đến 17 giờ 00 ngày 04/11/2010" (a flash report), "tính đến ngày 31/5/2024".
AS_OF = tuple(re.compile(rf"\btính đến\s+(?:(?:\d{{1,2}}\s*(?:giờ|h)(?:\s*\d{{2}})?|hết)\s+)?ngày\s+(?:{form})", re.I)
              for form in (_WORD_DATE, _NUMERIC_DATE))


def _as_of_month(header: list[str], notes: list[str]) -> tuple[str, str, str]:
    """The month a report's figures are given as of, when it states no period (checked)."""
    for text in header:
        for match in filter(None, (regex.search(text) for regex in AS_OF)):
            if match["y"] and iso_date(match["d"], match["m"], match["y"]):
                notes.append(f"period: none stated; the month the figures are given as of ({_clean(match.group(0))})")
                return _traced(f"{match['y']}-{int(match['m']):02d}", match.group(0))
    return _traced("", "")


REVIEW_TEXTS = 4  # opening passages (with a year) where a review can name the period
# A phase that ends a programme's name ("Chương trình mục tiêu quốc gia phát triển kinh tế - xã hội
# vùng đồng bào dân tộc thiểu số ... giai đoạn 2021 - 2030", "Đề án ... giai đoạn 2018-2025") is part
# of that name: in the body of a text that is not the plan itself it says which programme, not the
# period the text reports on.
PROGRAMME_NAME = re.compile(r"\b(?:chương trình|đề án|dự án|chiến lược)\b[^.;:()]{0,160}$")


def _names_a_programme(mention: PeriodMention) -> bool:
    before = mention.source[max(0, mention.start - 200):mention.start].lower()
    return mention.evidence.lower().startswith("giai đoạn") and bool(PROGRAMME_NAME.search(before))


def _candidates(title: str, texts: list[str]):
    """(position, mention) for the title's periods (position -1) and each opening passage's."""
    yield from ((-1, mention) for mention in period_mentions(title))
    for index, text in enumerate(texts):
        yield from ((index, mention) for mention in period_mentions(text))


def _chosen_period(title: str, header: list[str], layout: Layout | None, doc_type: str,
                   notes: list[str] | None) -> PeriodMention | None:
    """The first valid period; outside a plan, a period looked back on in the title or the
    lead comes first."""
    texts = _period_texts(title, header, layout)
    first: tuple[int, PeriodMention] | None = None
    for position, mention in _candidates(title, texts):
        if first is not None and (doc_type == "ke_hoach" or position >= REVIEW_TEXTS):
            break
        if not is_period(mention.value) or (position >= 0 and doc_type != "ke_hoach" and _names_a_programme(mention)):
            continue
        if mention.looks_back and doc_type != "ke_hoach":
            first = (position, mention)
            break
        first = first or (position, mention)
    if first is None:
        return None
    if first[0] == -1:  # read from the title: does the document's own announcement agree?
        _check_announcement(first[1], texts, [] if notes is None else notes)
    return first[1]


def _check_announcement(chosen: PeriodMention, texts: list[str], notes: list[str]) -> None:
    """Note a conflict when the sentence announcing the document ("UBND tỉnh ban hành Kế hoạch
    ... giai đoạn 2017-2025 với các nội dung sau:") states another period than its title."""
    for text in texts:
        if text.rstrip().endswith(":") and INTRO_CONTEXT.search(fold_normalized(text)):
            others = [m.value for m in period_mentions(text) if m.value != chosen.value
                      and m.value.count("-") == chosen.value.count("-") and is_period(m.value)]
            if others:
                notes.append(f"period: the title says {chosen.value}, the opening {others[0]}")
            return


_PERIOD_STARTS = (
    (re.compile(r"(\d{4})-Q([1-4])"), lambda m: (int(m[1]), 3 * int(m[2]) - 2)),
    (re.compile(r"(\d{4})-(\d{2})"), lambda m: (int(m[1]), int(m[2]))),
    (re.compile(r"(\d{4})-(\d{4})-HK1"), lambda m: (int(m[1]), 8)),  # semester 1 opens in autumn
    (re.compile(r"(\d{4})-(\d{4})-HK2"), lambda m: (int(m[2]), 1)),
    (re.compile(r"(\d{4})-(\d{4})"), lambda m: (int(m[1]), 8) if int(m[2]) == int(m[1]) + 1 else None),
    (re.compile(r"(\d{4})"), lambda m: (int(m[1]), 1)),
)


def _year_for(month: int, period: str, looks_back: bool = False) -> int | None:
    """Year of a dated event without a year: the period's, or the next if the month is earlier.

    A school year looked back on is reviewed at or after its end, in its closing year. A
    multi-year phase does not tell which of its years: then there is none.
    """
    school_year = re.fullmatch(r"(\d{4})-(\d{4})", period)
    if looks_back and school_year and int(school_year[2]) == int(school_year[1]) + 1:
        return int(school_year[2])
    for regex, start in _PERIOD_STARTS:
        match = regex.fullmatch(period)
        if match:
            opening = start(match)
            if opening is None:
                return None
            year, first_month = opening
            return year + (1 if month < first_month else 0)
    return None


# A date after these words is a deadline or the start of a span, not when the event took place.
NOT_EVENT_DATE = re.compile(r"(?:từ|đến|tới|trước|sau|hạn|kể từ|dự kiến)\s*$", re.IGNORECASE)


def _date_in(text: str, period: str) -> tuple[str, str]:
    for regex in _DATES:
        for match in regex.finditer(text):
            before = text[max(0, match.start() - 60):match.start()]
            if _CITATION.search(before) or NOT_EVENT_DATE.search(before):
                continue  # "Quyết định số 12/QĐ-UBND ngày ...": a cited document's date
            day, month = int(match.group("d")), int(match.group("m"))
            year = int(match.group("y")) if match.group("y") else _year_for(month, period)
            value = iso_date(day, month, year)
            if value:
                return value, match.group(0)
    return "", ""


def _meeting_date(header: list[str], period: str) -> tuple[str, str, str]:
    """The first date in the opening passages that is neither cited nor a deadline."""
    for text in sorted(header, key=lambda t: not _PLACE_DATE.search(t)):
        if fold_normalized(text).startswith("căn cứ"):
            continue
        value, evidence = _date_in(text, period)
        if value:
            return _traced(value, evidence)
    return _traced("", "")


# A news lead reports what happened in the days before the page went up; a date in the lead
# further back than this is background, not the event reported.
EVENT_BEFORE_POSTING_DAYS = 31


def _lead_event_before(layout: Layout) -> str:
    """The lead's event date when it falls on or up to a month before the page's posting line."""
    posted = dt.date.fromisoformat(layout.publication.value)
    day, month, year = layout.lead_date.value.split("-")
    # A lead without a year ("Sáng 9/11") is of the posting year, or of the year before in January.
    value = iso_date(day, month, year or posted.year - (int(month) > posted.month))
    if value and 0 <= (posted - dt.date.fromisoformat(value)).days <= EVENT_BEFORE_POSTING_DAYS:
        return value
    return ""


# A paper, a station or a news agency dates what it publishes: its publication line is the news's
# date. A school's, an office's or a local government's portal posts news days after the event,
# often reposted from elsewhere, so there the lead's own date of the event is the news's date.
INSTITUTION_PORTAL = re.compile(r"^(?:trường|phòng (?:gd|giáo dục)|sở (?:gd|giáo dục)|ubnd|ủy ban nhân dân"
                                r"|cổng thông tin)\b|\bsơ đồ (?:cổng|trang|site)\b")


def _institution_portal(layout: Layout) -> bool:
    """Whether the page is an institution's portal, not a news outlet's: its masthead or bar names
    a school, an office or a local government (a byline tag in the lead marks an outlet)."""
    if layout.agency_tag or layout.headline is None:
        return False
    return any(INSTITUTION_PORTAL.search(line.casefold()) for line in layout.lines[:layout.headline])


def _news_date(layout: Layout, period: str, notes: list[str], looks_back: bool) -> tuple[str, str, str]:
    """The publication date of a news post; on an institution's portal, the date of the event its
    lead reports when that is on or up to a month before the posting line ("Ngày đăng", "Cập
    nhật"); without a posting line, the lead's date of the event.
    """
    if layout.publication:
        event = _lead_event_before(layout) if layout.lead_date and _institution_portal(layout) else ""
        if event:
            return _traced(event, layout.lead_date.evidence)
        return _traced(layout.publication.value, layout.publication.evidence)
    if layout.lead_date:
        day, month, year = layout.lead_date.value.split("-")
        value = iso_date(day, month, year or _year_for(int(month), period, looks_back))
        if value:
            return _traced(value, layout.lead_date.evidence)
        notes.append(f"date: the lead gives a day without a year ({layout.lead_date.evidence})")
        return _traced("", "")
    notes.append("date: no publication line and no dated lead")
    return _traced("", "")


# What a notice of a meeting's conclusions says of itself ("Thông báo kết luận của Giám đốc Sở tại
# hội nghị giao ban", "cuộc họp", "phiên họp").
MEETING_WORDS = re.compile(r"kết luận|hội nghị|giao ban|cuộc họp|phiên họp")


def extract_date(header: list[str], period: str, layout: Layout | None = None, doc_type: str = "",
                 notes: list[str] | None = None, looks_back: bool = False) -> tuple[str, str, str]:
    """(ISO date, source, evidence): the date of issue, a conclusion notice's meeting date, or a
    news post's publication (else event) date."""
    notes = [] if notes is None else notes
    if layout is not None and layout.place_date is not None:
        if layout.place_date.value:
            return _traced(layout.place_date.value, layout.place_date.evidence)
        notes.append(f"date: the date of issue is left blank ({layout.place_date.evidence})")
        # A conclusion notice without one is dated by its meeting; any other document's dates
        # are of what it announces, not of its issue.
        if doc_type != "thong_bao" or not any(MEETING_WORDS.search(text.lower()) for text in header):
            return _traced("", "")
    elif layout is not None and doc_type == "tin_bai":
        return _news_date(layout, period, notes, looks_back)
    value = _meeting_date(header, period)
    if not value[0] and not notes:
        notes.append("date: no date of issue found")
    return value


# --------------------------------------------------------------------------- type, people


def extract_doc_type(text: str, passages: pd.DataFrame, layout: Layout | None = None,
                     notes: list[str] | None = None) -> tuple[str, str, str]:
    """(doc_type, source, evidence): the type name, the number's symbol, "V/v" (an official
    letter), then the marks of a news post; ``other`` only when none of these is there."""
    notes = [] if notes is None else notes
    layout = layout or read_layout(text)
    heading, number = layout.type_heading, layout.number
    if heading is None:
        index = _doc_type_index([str(t) for t in passages["text"]])
        if index is not None:
            line = str(passages["text"][index])
            heading = Found(DOC_TYPE_HEADINGS[fold_normalized(line).strip("* ")], _clean(line))
    if heading is not None:
        if number is not None and number.value not in (heading.value, "cong_van"):
            notes.append(f"doc_type: the type name says {heading.value}, the number {number.evidence}")
        return _traced(heading.value, heading.evidence)
    if number is not None and (number.value != "cong_van" or layout.subject_line or layout.addressee):
        return _traced(number.value, number.evidence)
    if layout.subject_line or _CONG_VAN.search(text):
        return _traced("cong_van", "V/v")
    if not layout.administrative and layout.news_markers:
        return _traced("tin_bai", _clean(layout.news_markers[0]))
    notes.append("doc_type: neither an administrative form nor the marks of a news post")
    return "other", "unknown", ""


def _is_person_name(text: str) -> bool:
    words = _clean(text).split()
    # A Vietnamese name carries a letter outside plain ASCII (a tone or a vowel mark, "đ"):
    # "Related Articles" under a signature title is a web page's list, not a signer.
    return 2 <= len(words) <= 6 and not text.isascii() and all(
        re.fullmatch(_NAME_WORD, w) and w[0].isupper() and (len(w) == 1 or not w[1:].isupper()) for w in words)


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


# A conclusion notice names whose conclusions it records: "Kết luận của Phó Chủ tịch UBND tỉnh
# Nguyễn Minh tại Hội nghị ..." — the person who concludes a meeting is the one who chairs it.
CHAIR_TITLE_CHARS = 1500  # the notice's title sits under its letterhead
CONCLUDED_BY = re.compile(r"\bkết luận của\s+(?:đồng chí\s+)?(?P<who>[^.;:\n]{4,120}?)\s+(?:tại|về)\s", re.I)


def _concluding_person(words: list[str]) -> str:
    """The person's name at the end of "Phó Chủ tịch UBND tỉnh (Lâm Đồng) Nguyễn Minh"."""
    run = []
    for word in reversed(words):
        if not (word[:1].isupper() and re.fullmatch(_NAME_WORD, word)):
            break
        run.insert(0, word)
    for start in range(len(run) - 1):  # leave out a place named before the person ("tỉnh Lâm Đồng")
        name = " ".join(run[start:])
        if (start == 0 or standard_province(" ".join(run[:start]))) and len(run) - start <= 4 \
                and _is_person_name(name):
            return name
    return ""


def extract_chair(text: str) -> str:
    """Person who chaired the meeting ("đồng chí X, Giám đốc Sở chủ trì"), or whose conclusions a
    notice records ("Kết luận của Phó Chủ tịch UBND tỉnh Nguyễn Minh tại ...")."""
    for found in re.finditer("chủ trì", text):  # scan only what precedes each "chủ trì"
        window = text[max(0, found.start() - 200):found.end()].replace("\n", " ")
        for match in _CHAIR.finditer(window):
            if _is_person_name(match.group("name")):
                return match.group("name")
    concluded = CONCLUDED_BY.search(text[:CHAIR_TITLE_CHARS].replace("\n", " "))
    return unicodedata.normalize("NFC", _concluding_person(concluded.group("who").split())) if concluded else ""


# --------------------------------------------------------------------------- public API


def extract_metadata(text: str, passages: pd.DataFrame | Mapping[str, list]) -> dict:
    """Metadata of one document from its normalised text and its passages.

    ``passages`` is a passages table (split_passages) or its columns as lists (passage_columns).
    ``check`` names each field left unknown or read from conflicting clues, with the reason.
    """
    text = unicodedata.normalize("NFC", text)
    layout = read_layout(text)
    notes: list[str] = []
    header = _header_passages(passages)
    title = extract_title(passages, layout)
    doc_type = extract_doc_type(text, passages, layout, notes)
    opening = [str(t) for t in list(passages["text"])[:min(len(header), OPENING_HEADER) + OPENING_PASSAGES]]
    if doc_type[0] == "tin_bai":
        opening = _news_opening(opening)
    period, looks_back = _period_read(title, opening, layout, doc_type[0], notes)
    if not period[0]:
        notes.append("period: none stated in the title or the opening")
    date = extract_date(header, period[0], layout, doc_type[0], notes, looks_back)
    province = extract_province(text, layout, notes)
    meta = {"title": title, "signer": extract_signer(passages), "chair": extract_chair(text),
            "province_2025": province_2025(province[0]) if province[0] else "", "source_note": "",
            "check": " | ".join(notes)}
    for field, (value, source, evidence) in zip(TRACED_FIELDS, (province, date, period, doc_type)):
        meta.update({field: value, f"{field}_source": source, f"{field}_evidence": evidence})
    return meta


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
            standard = standard_province(value)
            if standard is None:
                raise ValueError(f"manifest: unknown province {value!r} for {row.get('file', '?')}; "
                                 "use a pre-2025 province name such as 'Kon Tum'")
            value = standard
            out["province_2025"] = province_2025(standard)
        out[field] = value
        if field in TRACED_FIELDS:
            out.update({f"{field}_source": "manifest", f"{field}_evidence": evidence})
    out["source_note"] = note or str(meta.get("source_note", ""))
    # A field the manifest gives is settled: it leaves the "check these" list.
    given = {field for field in MANIFEST_FIELDS if str(row.get(field) or "").strip()}
    notes = [note for note in str(meta.get("check") or "").split(" | ") if note]
    out["check"] = " | ".join(note for note in notes if note.split(":")[0] not in given)
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
    if province and standard_province(province) is None:
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
