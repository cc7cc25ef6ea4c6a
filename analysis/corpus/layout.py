"""The parts of a document, read as the parts its genre makes them.

An administrative document follows the national rules for its format (Nghị định 30/2020/NĐ-CP,
appendix I): the issuing body's block at the top left, the national motto at the top right, the
number and symbol ("Số: 45/TB-SGDĐT", the type's abbreviation after the number; an official
letter has none and carries "V/v ..."), the place-and-date line ("Lạng Sơn, ngày 5 tháng 3 năm
2024"), the type name in capitals with the subject below it, then the body, "Nơi nhận" and the
signature block. Web and legal-database copies flatten that layout (both columns on one line,
table pipes, one word per line), so every part is searched in the document's first lines as a
whole, not at a fixed place.

A news post has none of that: the site's masthead and menus, a headline, a publication line or
dateline ("Ngày đăng: 21/05/2020", "08/08/2019 06:42", "(09/10/2020)"), a lead, and after the
article related links and the site's footer.

:func:`read_layout` finds these parts with their evidence; ``analysis.corpus.metadata`` turns
them into fields. Every pattern here states a rule of the genre, not a phrase of one document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from analysis.corpus.passages import DEBRIS_LINES, ends_sentence, is_photo_caption, split_sentences

HEAD_LINES = 40  # the parts that identify a document sit in its first lines
FORM_LINE_MAX = 150  # letterhead, number, date and publication lines are short (body paragraphs are not)
LEAD_SCAN = 8  # lines after the headline searched for the lead

# Nghị định 30/2020/NĐ-CP, appendix III: type name, its abbreviation in the symbol, kit type.
ND30_TYPES: tuple[tuple[str, str, str], ...] = (
    ("nghị quyết", "NQ", "other"), ("quyết định", "QĐ", "quyet_dinh"), ("chỉ thị", "CT", "other"),
    ("quy chế", "QC", "other"), ("quy định", "QYĐ", "other"), ("thông cáo", "TC", "other"),
    ("thông báo", "TB", "thong_bao"), ("hướng dẫn", "HD", "other"), ("chương trình", "CTR", "other"),
    ("kế hoạch", "KH", "ke_hoach"), ("phương án", "PA", "other"), ("đề án", "ĐA", "other"),
    ("dự án", "DA", "other"), ("báo cáo", "BC", "bao_cao"), ("biên bản", "BB", "other"),
    ("tờ trình", "TTR", "other"), ("hợp đồng", "HĐ", "other"), ("công điện", "CĐ", "other"),
    ("bản ghi nhớ", "GN", "other"), ("bản thỏa thuận", "TTH", "other"), ("giấy ủy quyền", "GUQ", "other"),
    ("giấy mời", "GM", "other"), ("giấy giới thiệu", "GGT", "other"), ("giấy nghỉ phép", "GNP", "other"),
    ("phiếu gửi", "PG", "other"), ("phiếu chuyển", "PC", "other"), ("phiếu báo", "PB", "other"),
    # Not in the decree's list but in common use: a leader's conclusions of a meeting ("Số:
    # 12/KL-SGDĐT") are the conclusion notice the kit studies; "CV" marks an official letter.
    ("kết luận", "KL", "thong_bao"), ("công văn", "CV", "cong_van"),
)
TYPE_NAMES = {name: kind for name, _, kind in ND30_TYPES}
TYPE_ABBREVIATIONS = {abbreviation: kind for _, abbreviation, kind in ND30_TYPES}

NATIONAL_MOTTO = re.compile(r"cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+việt\s+nam"
                            r"|độc\s+lập\s*-\s*tự\s+do\s*-\s*hạnh\s+phúc")
# "Số: 45/TB-SGDĐT", "Số:   /SGDĐT-GDTH" (number left blank on an unsigned copy).
# The form's patterns run on the lower-cased head (same length, so evidence is cut from the
# original at the same places) and open with a literal: case-insensitive matching of Unicode
# text, or a look-behind before the first letter, makes a search many times slower.
NUMBER_LINE = re.compile(r"số\s*:\s*(?P<number>\d*)\s*/\s*(?P<symbol>[^\W_][\w&.]*(?:\s*-\s*[\w&.]+)*)")
SUBJECT_LINE = re.compile(r"v/v\b")  # "V/v báo cáo ...": an official letter's subject, opening its line
ADDRESSEE = re.compile(r"kính gửi\s*:")
# The place-and-date line: day and month may be left blank on an unsigned copy.
PLACE_DATE = re.compile(
    r",\s*ngày\b(?:[\s._…]*(?P<d>\d{1,2})?[\s._…]*tháng\b[\s._…]*(?P<m>\d{1,2})?[\s._…]*năm\s*(?P<y>\d{4})"
    r"|\s*(?P<nd>\d{1,2})\s*/\s*(?P<nm>\d{1,2})\s*/\s*(?P<ny>\d{4}))")  # "Hà Nội, ngày 05/3/2024" too
PLACE_MAX_WORDS = 5

# Issuing bodies of national documents (the top-left block names them).
NATIONAL_ISSUER = re.compile(r"^(?:bộ [^\W\d_]|chính phủ|thủ tướng|văn phòng chính phủ|quốc hội)")
LOCAL_ISSUER = re.compile(r"^(?:ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd|sở |phòng |trường |tỉnh |thành phố )")

# News: a publication line names itself ("Ngày đăng: 21/05/2020", "Cập nhật: 26/08/2024") or is a
# date with its time ("08/08/2019 06:42", "Thứ Tư, 06/12/2023 15:20 (GMT+07)") or a dateline
# just under the headline ("(09/10/2020)").
_DATE = r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
WEEKDAY = (r"(?:thứ (?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ nhật"
           r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*,?\s*")  # sites in English too
PUBLICATION_LABEL = re.compile(
    r"(?:ngày đăng|đăng ngày|đăng lúc|ngày cập nhật|cập nhật(?: lúc)?|ngày xuất bản|xuất bản|thời gian đăng"
    r"|ngày phát hành|posted|published|updated)\s*:?\s*(?:lúc\s*)?"
    r"(?:\d{1,2}[:h]\d{2}(?:\s*(?:sa|ch|am|pm))?\s*[,-]?\s*)?"
    + WEEKDAY.join(("(?:", ")?")) + r"(?:ngày\s*)?\(?" + _DATE)  # "Ngày đăng: (06/01/2017)"
_CLOCK = r"\d{1,2}\s*[:h]\s*\d{2}\b"
# "Thứ Tư, 06/12/2023 15:20", "10:35 21/05/2020", "(09/10/2020)"; a time before the date counts too.
DATE_LINE = re.compile(r"^\(?\s*(?P<clock>" + _CLOCK + r"\s*[-|,]?\s*)?(?:" + WEEKDAY + r")?(?:ngày\s*)?"
                       + _DATE + r"\s*\)?(?P<rest>.*)$")
TIME_OF_DAY = re.compile(r"^\s*[-|,]?\s*" + _CLOCK)
DATELINE_REST = 60  # a date line carries little else (time, byline, counters)
# A news lead names its source first: "(PLVN) - ", "GD&TĐ - ", "TTXVN - ", "(Chinhphu.vn) - ".
AGENCY_TAG = re.compile(r"^\(?[A-ZĐ][\w&.]{1,20}\)?\s*-\s+(?=\S)")
# The start of a news lead dated by its event: "Ngày 6/12, ...", "Sáng 9/11, ...", "Chiều 31/8/2020, ...",
# "Sáng nay (21/5), ...".
LEAD_DATE = re.compile(
    r"^(?:(?:sáng|chiều|tối|trưa|đêm|hôm)\s+(?:ngày\s+|nay\s+|qua\s+)?|ngày\s+)\(?"
    r"(?:(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?"
    r"|(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})(?:\s+năm\s+(?P<wy>\d{4}))?)\)?\s*(?:,|\(|vừa qua|tại|\s[^\W\d])",
    re.IGNORECASE)
# Further into the lead's first sentence the event may still be dated: after an opening clause
# ("Nằm trong chuỗi hoạt động ..., chiều ngày 16/10/2021, nhà trường đã tổ chức ...") or as the
# day the document it reports was signed ("UBND tỉnh đã ký Quyết định số 192/QĐ-UBND ngày 18-02-2020").
LEAD_EVENT_DATE = re.compile(
    r"(?:,\s*(?:(?:sáng|chiều|tối|trưa|đêm)\s+(?:ngày\s+)?|ngày\s+)"
    r"|\b(?:tổ chức|diễn ra|khai mạc)\s+(?:vào\s+)?(?:(?:sáng|chiều|tối)\s+)?ngày\s+"
    r"|\b(?:đã|vừa)\s+(?:ký|ban hành)\b[^.;]{0,80}?\bsố\s+\S+\s+ngày\s+)"
    r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?\b(?!\s*[/.-]\s*\d)",
    re.IGNORECASE)
# Site furniture around a news article: menus and breadcrumbs, and where the footer begins.
MENU_LINE = re.compile(r"\||›|»|\s>\s|\S  +\S")
SITE_NAME = re.compile(r"^(?:báo|tạp chí|cổng thông tin|trang thông tin|trang tin|đài (?:phát thanh|truyền hình)"
                       r"|chào mừng"
                       r"|website|thư viện pháp luật|hệ thống pháp luật)\b|\s-\s(?:báo|tạp chí)\b")
FOOTER_START = re.compile(r"^(?:tin liên quan|bài viết liên quan|tin cùng chuyên mục|các tin khác|tin khác"
                          r"|(?:tin )?cùng (?:chuyên mục|chủ đề)|(?:tin |bài )?(?:đọc|xem) nhiều(?: nhất)?"
                          r"|xem thêm|tags?\s*:|từ khóa\s*:|bản quyền|cơ quan chủ quản|địa chỉ\s*:|chia sẻ\b)")
# A news item copied from another site ends by crediting it: "Nguồn: Báo Phú Yên", "Nguồn Phú
# Yên: http://...", "Theo baophuyen.com.vn"; a provincial paper closes with its bare tag "(PYP)".
SOURCE_CREDIT = re.compile(r"^[ \t]*(?:\([A-ZĐ][A-ZĐ0-9&.]{1,15}\)|Nguồn(?:\s+[A-ZĐ]\S*){0,4}\s*:\s*\S[^\n]{0,160}"
                           r"|Theo\s+\S+\.(?:vn|com|net|org)\b[^\n]{0,60})[ \t]*$", re.MULTILINE)
# A view counter inside a page's line ("Chuyên mục: Tiểu học | Lượt xem: 312") marks a web page.
VIEW_COUNT = re.compile(r"\blượt (?:xem|đọc|truy cập)\s*:?\s*[\d.,]+")
HEADLINE_MIN_WORDS = 5
CAPTION = re.compile(r"^\(?ảnh\s*:|\(ảnh\s*:[^)]*\)\s*$|\bảnh minh họa\.?\)?$")  # a photo's caption or credit
# A headline is written in sentence case (capitals for the first word and names only); a menu
# of section names capitalises every item ("Thời sự Pháp luật Kinh tế Xã hội Giáo dục").
MENU_CAPITALS = 0.45
ISSUER_MAX_WORDS = 12


@dataclass
class Found:
    """One part of the layout: its value and the words it was read from."""

    value: str
    evidence: str


@dataclass
class Layout:
    """What the first lines of a document say about its form (empty parts are None)."""

    lines: list[str]
    motto: bool = False
    number: Found | None = None  # value: the type read from the symbol ("" if the symbol has none)
    subject_line: bool = False
    addressee: bool = False
    place_date: Found | None = None  # value: ISO date, or "" when day/month were left blank
    type_heading: Found | None = None
    issuer: list[str] = field(default_factory=list)  # lines of the issuing body's block
    headline: int | None = None  # index in ``lines``
    publication: Found | None = None
    lead: str = ""  # the lead's first paragraph
    lead_date: Found | None = None  # value: (day, month, year or "") joined by "-"
    agency_tag: str = ""  # "(HGO)", "(PLVN)": the source named at the start of the lead
    news_markers: list[str] = field(default_factory=list)
    site_spans: list[tuple[int, int]] = field(default_factory=list)  # masthead and footer (chars)

    @property
    def administrative(self) -> bool:
        """The document carries the administrative form (motto, number, place-date, V/v)."""
        return bool(self.motto or self.number or self.place_date or self.subject_line)


def iso_date(day: str | int | None, month: str | int | None, year: str | int | None) -> str:
    """``YYYY-MM-DD`` of a real calendar date, else ""."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


def _lower(text: str) -> str:
    """``text`` lower-cased, keeping every character's position."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text.replace("İ", "I").lower()


def _opens_word(text: str, start: int) -> bool:
    return start == 0 or not text[start - 1].isalnum()


def _opens_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not any(ch.isalnum() for ch in text[line_start:start])


def _number(head: str, lower: str) -> Found | None:
    match = next((m for m in NUMBER_LINE.finditer(lower) if _opens_word(lower, m.start())), None)
    if not match:
        return None
    symbol = head[match.start("symbol"):match.end("symbol")]
    first = re.split(r"\s*-\s*", symbol)[0].upper()
    # ND30: the type's abbreviation opens the symbol; an official letter's symbol opens with
    # the issuing body's abbreviation, so no type abbreviation means a công văn.
    return Found(TYPE_ABBREVIATIONS.get(first, "cong_van"), " ".join(head[match.start():match.end()].split()))


_WEEKDAY_NAME = re.compile(r"(?:thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật)")


def _place_date(head: str, lower: str) -> Found | None:
    for match in PLACE_DATE.finditer(lower):
        # A flattened copy may put each word of the place on its own line.
        before = head[max(0, match.start() - 60):match.start()].split()[-PLACE_MAX_WORDS:]
        names: list[str] = []
        # The place is the run of capitalised names before the comma ("Hưng Yên", "Phan Rang-Tháp
        # Chàm"): not an acronym ("UBND"), not the motto's last words ("Hạnh phúc").
        for word in reversed(before):
            if not (word[0].isupper() and not word.isupper() and word.replace("-", "").isalpha()):
                break
            names.insert(0, word)
        # A weekday is no place: "Thứ Bảy, ngày 13/09/2025" is a news page's date line.
        if not names or _WEEKDAY_NAME.fullmatch(" ".join(names).casefold()):
            continue
        evidence = " ".join(f"{' '.join(names)}{head[match.start():match.end()]}".split())
        if match.group("ny"):
            return Found(iso_date(match.group("nd"), match.group("nm"), match.group("ny")), evidence)
        return Found(iso_date(match.group("d"), match.group("m"), match.group("y")), evidence)
    return None


def _type_heading(lines: list[str], folded: list[str]) -> Found | None:
    for line, key in zip(lines, folded):
        name = key.strip("*|#: ")
        if name in TYPE_NAMES and len(line) <= 40:
            return Found(TYPE_NAMES[name], line.strip("*|#: "))
    return None


def _issuer(lines: list[str], folded: list[str]) -> list[str]:
    """The issuing body's block: capitalised lines before the number or type heading."""
    block = []
    for line, key in zip(lines[:12], folded[:12]):
        if NUMBER_LINE.search(key) or key.strip("*|#: ") in TYPE_NAMES or PLACE_DATE.search(key):  # block ends
            break
        if len(line.split()) > ISSUER_MAX_WORDS:
            continue
        parts = [part.strip() for part in NATIONAL_MOTTO.split(key) if part.strip(" -|")]
        block.extend(part.strip(" -|") for part in parts if NATIONAL_ISSUER.match(part.strip(" -|"))
                     or LOCAL_ISSUER.match(part.strip(" -|")))
    return block


def is_national(issuer: list[str]) -> bool:
    """Issued by a national body (a Ministry, the Government) and no provincial one."""
    return any(NATIONAL_ISSUER.match(line) for line in issuer) and not any(LOCAL_ISSUER.match(line) for line in issuer)


def _is_menu(line: str) -> bool:
    words = [word for word in line.split() if word[0].isalpha()]
    capitals = sum(1 for word in words if word[0].isupper())
    return bool(MENU_LINE.search(line)) or not line.isupper() and capitals > MENU_CAPITALS * len(words)


def _is_headline(line: str, key: str) -> bool:
    return (len(line.split()) >= HEADLINE_MIN_WORDS and not _is_menu(line) and not SITE_NAME.search(key)
            and not DATE_LINE.match(key) and not key.endswith(":") and not DEBRIS_LINES.match(key))


# A byline printed on the publication line: "PV Thứ Sáu, 01/08/2025 - 17:40", "Minh Anh 08/08/2019".
_BYLINE_BEFORE_DATE = re.compile(r"^(?:[^\W\d][\w.]*\s+){1,3}(?="
                                 + WEEKDAY.replace(r"\s*,?\s*", "") + r"|\d{1,2}\s*[/.-])")


def _date_line(key: str) -> re.Match[str] | None:
    dated = DATE_LINE.match(key)
    if dated is None and (byline := _BYLINE_BEFORE_DATE.match(key)):
        dated = DATE_LINE.match(key[byline.end():])
    return dated


def _publication(lines: list[str], folded: list[str], stop: int) -> tuple[int | None, Found | None, int]:
    """(line index, publication date, rank) of the best publication line before ``stop``.

    Rank 0: a labelled line; 1: a date with its time; 2: a bare date line (kept only right under
    the headline: a bare date above it is a portal's top bar, today's date).
    """
    best: tuple[int, int | None, Found | None] = (3, None, None)
    joined = "\n".join(key if len(key) <= FORM_LINE_MAX else "" for key in folded[:stop])
    label_lines = {joined.count("\n", 0, m.start()): m for m in PUBLICATION_LABEL.finditer(joined)}
    for index, key in enumerate(folded[:stop]):
        labelled = label_lines.get(index)
        dated = _date_line(key) if not labelled else None
        if labelled:
            rank, match = 0, labelled
        elif dated and len(dated.group("rest")) <= DATELINE_REST:
            timed = dated.group("clock") or TIME_OF_DAY.match(dated.group("rest"))
            rank, match = (1 if timed else 2), dated
        else:
            continue
        value = iso_date(match.group("d"), match.group("m"), match.group("y"))
        if value and rank < best[0]:
            best = (rank, index, Found(value, lines[index].strip()))
    return best[1], best[2], best[0]


def _headline(lines: list[str], folded: list[str], publication: int | None) -> int | None:
    """The headline: next to the publication line (above it, else below), else the first line
    that reads as one (not a menu, site name, date or debris)."""
    if publication is not None:
        for index in (publication - 1, publication + 1):
            if 0 <= index < len(lines) and _is_headline(lines[index], folded[index]):
                return index
    for index, (line, key) in enumerate(zip(lines, folded)):
        if _is_headline(line, key):
            return index
    return None


def _lead(lines: list[str], folded: list[str], start: int) -> tuple[str, Found | None, list[str]]:
    """The lead's first paragraph, the event date that opens it, and its agency tag if any."""
    markers = []
    window = list(zip(lines[start:start + LEAD_SCAN], folded[start:start + LEAD_SCAN]))
    # A lead is a paragraph of prose. A section name, or the real headline under the site's own
    # line, ends no sentence and is shorter than the paragraph after it, so it is passed over; the
    # first line of a lead wrapped over several lines (a scan) is as long as the line that ends it.
    for position, (line, key) in enumerate(window):
        if len(line.split()) < HEADLINE_MIN_WORDS or DEBRIS_LINES.match(key):
            continue
        if is_photo_caption(key) or VIEW_COUNT.search(key):  # a caption, or the page's counter line
            continue
        following = window[position + 1][0] if position + 1 < len(window) else ""
        if not ends_sentence(line) and ends_sentence(following) \
                and len(line) < len(following) and not LEAD_DATE.match(key):
            continue
        tag = AGENCY_TAG.match(line)
        if tag:
            markers.append(tag.group(0).strip(" -"))
            key = key[tag.end():]
        match = LEAD_DATE.match(key)
        if match:
            day, month, year = (match.group("d") or match.group("wd"), match.group("m") or match.group("wm"),
                                match.group("y") or match.group("wy") or "")
            evidence = line[:match.end() + (tag.end() if tag else 0)].strip()
            return line, Found(f"{day}-{month}-{year}", evidence), markers
        offset = tag.end() if tag else 0
        first_sentence = (split_sentences(line[offset:]) or [""])[0]
        match = LEAD_EVENT_DATE.search(key, 0, len(first_sentence))
        if match:
            evidence = line[offset + match.start():offset + match.end()].strip(" ,")
            return line, Found(f"{match['d']}-{match['m']}-{match['y'] or ''}", evidence), markers
        return line, None, markers
    return "", None, markers


_NON_EMPTY_LINE = re.compile(r"[^\S\n]*(\S[^\n]*)")


def _lines_with_offsets(text: str, limit: int) -> tuple[list[str], list[int]]:
    """The first ``limit`` non-empty stripped lines and the character offset of each."""
    lines, offsets = [], []
    for match in _NON_EMPTY_LINE.finditer(text):
        lines.append(match.group(1).rstrip())
        offsets.append(match.start())
        if len(lines) >= limit:
            break
    return lines, offsets


def _footer_start(text: str, after: int) -> int | None:
    """Character offset where a news page's related links or footer begin (after the lead)."""
    position = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if position > after and line and len(line) <= 40 and FOOTER_START.match(line.casefold()):
            return position
        position += len(raw) + 1
    return None


def _read_news(layout: Layout, folded: list[str], offsets: list[int], text: str) -> None:
    """Headline, publication line, lead date, news markers and the site's masthead and footer."""
    lines = layout.lines
    index, publication, rank = _publication(lines, folded, len(lines))
    layout.headline = _headline(lines, folded, index)
    if rank == 2 and (layout.headline is None or index != layout.headline + 1):
        index, publication = None, None  # a bare date away from the headline: the portal's top bar
    layout.publication = publication
    if publication is not None:
        layout.news_markers.append(publication.evidence)
    start = max(i for i in (layout.headline, index, -1) if i is not None) + 1
    layout.lead, layout.lead_date, tags = _lead(lines, folded, start)
    layout.agency_tag = tags[0] if tags else ""
    layout.news_markers += tags
    if layout.lead_date is not None:  # a lead dated by its event: "Sáng 9/11, ..."
        layout.news_markers.append(layout.lead_date.evidence)
    layout.news_markers += [line for line, key in zip(lines, folded) if CAPTION.search(key)][:1]
    layout.news_markers += [line for line, key in zip(lines, folded)
                            if (DEBRIS_LINES.match(key.strip(" *|")) or len(key) <= 80 and VIEW_COUNT.search(key))
                            and not re.fullmatch(r"[\d\s/-]+", key) and line not in layout.news_markers]
    if layout.headline is not None and layout.headline > 0:
        layout.site_spans.append((0, offsets[layout.headline]))
    credits = [match.group(0).strip() for match in SOURCE_CREDIT.finditer(text)]
    layout.news_markers += credits[:1]
    if not layout.agency_tag:  # a closing tag names the paper as an opening one would
        layout.agency_tag = next((credit for credit in credits if credit.startswith("(")), "")
    footer = _footer_start(text, offsets[min(start, len(offsets) - 1)] if offsets else 0)
    if footer is not None:
        layout.site_spans.append((footer, len(text)))
        layout.news_markers.append(text[footer:footer + 40].split("\n")[0].strip())


def read_layout(text: str) -> Layout:
    """The administrative parts of ``text``'s first lines, or else its news parts.

    ``text`` is normalised (``normalize_text``: NFC, plain dashes, one space), so case-folding
    each line is all the folding the patterns need.
    """
    lines, offsets = _lines_with_offsets(text, HEAD_LINES)
    folded = [line.casefold() for line in lines]
    head = "\n".join(line for line in lines if len(line) <= FORM_LINE_MAX)
    lower = _lower(head)
    layout = Layout(lines)
    layout.motto = bool(NATIONAL_MOTTO.search(lower))
    layout.number = _number(head, lower)
    layout.subject_line = any(_opens_line(lower, m.start()) for m in SUBJECT_LINE.finditer(lower))
    layout.addressee = bool(ADDRESSEE.search(lower))
    layout.place_date = _place_date(head, lower)
    layout.type_heading = _type_heading(lines, folded)
    if layout.administrative:
        layout.issuer = _issuer(lines, folded)
    elif not layout.type_heading:
        _read_news(layout, folded, offsets, text)
    return layout
