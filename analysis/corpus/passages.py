"""Passages: rejoin extracted lines, split into sentences / items / headings, assign section roles.

A chain of small steps: ``drop_debris`` -> ``split_header_columns`` -> ``join_broken_lines`` ->
blocks -> sentences -> sections and roles. Every cue phrase (debris, letterhead parts, paragraph
openers, heading, lead-in and sentence role cues) is a module-level table compiled once, so the
rules are reviewed in one place and stay general: nothing here refers to a particular document.

Roles: an administrative document (type heading, number, motto near its top) takes them from its
structure (headings, lead-ins, decision articles, the closing part); a news post or web page,
where no heading governs, sentence by sentence from what each sentence reports (topics.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from analysis.schema import PASSAGE_COLUMNS
from analysis.text.fold import fold_normalized

# --------------------------------------------------------------------------- cue tables

# Whole lines that are web/PDF debris, never text (matched on the stripped, casefolded line).
DEBRIS_LINES = re.compile(
    r"^(?:[-–—]?\s*\d{1,3}\s*[-–—]?"                      # lone page number "2", "- 3 -"
    r"|trang\s+\d{1,3}(?:\s*(?:/|trên)\s*\d{1,3})?"       # "Trang 2/5"
    r"|\d{1,3}\s*/\s*\d{1,3}"                              # "2/5" page counter
    r"|lượt xem\s*:?.*|số lượt xem\s*:?.*|lượt đọc\s*:?.*"
    r"|(?:ngày đăng|đăng ngày|cập nhật|ngày cập nhật)\s*:?[^|]{0,30}\|?\s*lượt (?:xem|đọc)\s*:?.*"
    r"|từ khóa\s*:.*|tags?\s*:.*"
    r"|đọc bài viết|nghe bài viết|in bài viết|bản in|in trang|gửi email|gửi bài viết|đánh giá bài viết\b.*"
    r"|chia sẻ(?:\s*:)?|chia sẻ bài viết|share|tweet|facebook|zalo|twitter|email|print"
    r"|cỡ chữ.*|font size.*|xem thêm|quay lại|trở về|về đầu trang|lên đầu trang"
    r"|tin liên quan|bài viết liên quan|các tin khác|tin khác|bình luận"
    r"|\(?(?:đã ký|đã kí)\)?)$"
)

# A news site's footer: copyright, licence and masthead lines ("Bản quyền thuộc về Báo X. Địa chỉ:
# ...", "Ghi rõ nguồn ... khi phát hành lại", "Giấy phép số ...", "Tổng biên tập: ...").
SITE_FOOTER_LINE = re.compile(r"(?:bản quyền|©|copyright|ghi rõ nguồn|giấy phép (?:số|xuất bản|hoạt động|thiết lập)"
                              r"|chịu trách nhiệm (?:xuất bản|nội dung)|(?:phó )?tổng biên tập\s*:|cơ quan chủ quản)")
_FOOTER_PREFIXES = ("bản quyền", "©", "copyright", "ghi rõ nguồn", "giấy phép", "chịu trách nhiệm", "tổng biên tập",
                    "phó tổng biên", "cơ quan chủ quản")
_FOOTER_INITIALS = frozenset("BbCcGgTtPp©")  # the first letters of those prefixes, tested first
MAX_FOOTER_LINE = 200

# Lines left by a page layout rather than written: rules under the letterhead ("-------",
# "------- ---------------") and empty table cells ("|"). Kept apart from DEBRIS_LINES, whose
# matches also tell that a text is a web page.
LAYOUT_LINES = re.compile(r"^[\s|]*(?:[-–—_=~]{3,}[\s|]*)*$")

# A news site's list of links to other articles, under one of these headings: the heading and the
# headlines after it (short lines without a sentence end) are not part of the article.
RELATED_NEWS_HEADING = re.compile(
    r"(?:(?:tin|bài|bài viết|tin bài)(?: cùng chuyên mục| cùng chủ đề| liên quan| khác| mới(?: hơn| nhất)?| đã đưa"
    r"| (?:xem|đọc) nhiều(?: nhất)?| nổi bật| tiêu điểm)"
    r"|(?:các|những) (?:tin|bài viết) (?:khác|liên quan|cùng chuyên mục)|(?:xem|đọc) thêm|có thể bạn quan tâm"
    r"|cùng (?:chuyên mục|chủ đề)|(?:xem|đọc) nhiều(?: nhất)?)$")
MAX_RELATED_HEADLINES = 12
MAX_HEADLINE_WORDS = 30

# Navigation and share bars: short items between separators, naming a site function.
_BAR_SEPARATOR = re.compile(r"\s+[|›»>]\s+|\s*\|\s*")
_BREADCRUMB = re.compile(r"\s[›»>]\s")  # "Trang chủ › Xã hội › Giáo dục": never in a sentence
WEB_BAR_WORDS = re.compile(r"\b(?:trang chủ|đăng nhập|đăng ký|sơ đồ (?:cổng|trang|site)|english|liên hệ|tìm kiếm"
                           r"|chia sẻ|bình luận|in bài|bản in|gửi email|facebook|zalo|twitter|print)\b")
MAX_BAR_ITEM_WORDS = 4
MAX_DEBRIS_LINE = 60  # characters: a debris line is short
MAX_DEBRIS_CHARS = 90  # ... a web bar a little longer
MAX_RELATED_HEADING = 40
_RULE_CHARS = frozenset("|-–—_=~")
_BAR_CHARS = re.compile(r"[|›»>]")
# Two or more hashtags closing a line (the article's tags printed after its byline).
_HASHTAGS = re.compile(r"\s*(?:#[^\W\d_][^#\n]*){2,}$")
# A view counter appended to a headline: "... năm học 2024 - 2025 (Lượt xem: 947)".
_INLINE_COUNTER = re.compile(r"\s*\((?:[Ss]ố )?[Ll]ượt (?:xem|đọc|truy cập)\s*:?\s*[\d.,]+\s*\)")

# Document-type headings that stand alone on their own line at the top of a notice.
DOC_TYPE_HEADINGS = {
    "thông báo": "thong_bao", "kế hoạch": "ke_hoach", "báo cáo": "bao_cao",
    "quyết định": "quyet_dinh", "công văn": "cong_van", "tờ trình": "other",
    "hướng dẫn": "other", "chỉ thị": "other", "nghị quyết": "other",
}

# Capitalised phrases that open a new body paragraph (never a wrapped continuation).
PARAGRAPH_OPENERS = re.compile(
    r"^(?:Căn cứ|Thực hiện|Ngày \d|Sáng ngày|Chiều ngày|Tối ngày|Hôm nay|Vừa qua|Kính gửi"
    r"|Sau khi|Tham dự|Trên đây|Nơi nhận|Nhằm|Để |Theo đó|Bên cạnh đó|Tuy nhiên|Nhìn chung|Đồng chí|Điều \d{1,2}\.)"
)

# The letterhead of an administrative document (Nghị định 30/2020/NĐ-CP): the issuing body at the
# top left (its parent body on the line above: "UBND TỈNH ..." / "SỞ GIÁO DỤC VÀ ĐÀO TẠO"), the
# national title and motto at the top right, then the number and the place-and-date line. Each
# is a passage of its own; a web or PDF copy often puts the two columns side by side on a line.
NATIONAL_TITLE = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐỘC LẬP\s*-\s*TỰ DO\s*-\s*HẠNH PHÚC",
                            re.IGNORECASE)
ISSUING_BODY = re.compile(r"(?:UBND|ỦY BAN|BỘ|SỞ|PHÒNG|TRƯỜNG|CỤC|VỤ|BAN|HĐND|HỘI ĐỒNG|TRUNG TÂM|VIỆN"
                          r"|ĐẠI HỌC|TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|ĐẢNG ỦY|CÔNG ĐOÀN)\b")
PLACE_DATE = re.compile(r", ngày\s+\S*\s*tháng\s+\S*\s*năm\s+\d{4}\s*$")
MAX_PLACE_WORDS = 5
DOC_NUMBER = re.compile(r"^Số\s*:")
# The signature block opens with the signing authority: "TM." (on behalf of a collective body),
# "KT." (signing for the head), "TL." / "TUQ." (by delegation), "Q." (acting); the signer's title
# ("PHÓ GIÁM ĐỐC") follows on the next line.
SIGNING_AUTHORITY = re.compile(r"^\**(?:TM|KT|TL|TUQ|Q)\.\s*\S")
_TITLE_INITIALS = frozenset("CcĐđ")
_AUTHORITY_INITIALS = frozenset("TKQ*")
MAX_LETTERHEAD_WORDS = 10  # an issuing body's name, with its province
_TITLE_WORDS = re.compile("CỘNG|Cộng|cộng|ĐỘC|Độc|độc")  # cheap test before NATIONAL_TITLE
_CELL_SEPARATOR = re.compile(r"\s*[|\t]\s*")
LETTERHEAD_LINES = 40  # lines (blank ones too) at the top of a text that may hold the letterhead

# Share of the typical line width that a wrapped line fills (justified PDF lines vary in their
# number of characters; on the seeds every wrapped line fills at least 81%).
WRAP_FILL = 0.75
MAX_PARENTHESIS = 120  # characters a parenthesis may run before its line break
MIN_OPEN_LINES = 3  # full-width lines ending mid-sentence needed to call a text hard-wrapped
MAX_TITLE_LINES = 6

# A line-final colon that announces a list (the list starts on the next line).
LIST_INTRO = re.compile(r"(?:sau|sau đây|cụ thể|gồm|bao gồm|nhận)\s*:$", re.IGNORECASE)

# An addressee line with its first recipient on it: the recipients after it continue it.
ADDRESSEES_INLINE = re.compile(r"^Kính gửi\s*:\s*\S")

# Blocks whose items end at each line-final ";" (legal-basis citations).
ONE_ITEM_PER_LINE = re.compile(r"^(?:Căn cứ|CĂN CỨ)\b")

ABBREVIATIONS = frozenset({
    "ts", "ths", "pgs", "gs", "bs", "ks", "cn", "tl", "kt", "tm", "tuq", "q", "tp", "st",
    "mr", "mrs", "ms", "dr", "v.v", "nxb", "th.s", "pgs.ts", "gs.ts", "đ/c", "ông", "bà",
})

# Heading cues -> role. Earliest match in the heading wins ("Kết quả thực hiện nhiệm vụ" is an
# achievement heading although it also says "nhiệm vụ").
HEADING_ROLE_CUES: tuple[tuple[str, str], ...] = (
    ("proposal", r"kiến nghị|đề xuất|đề nghị"),
    ("shortcoming", r"tồn tại|hạn chế|yếu kém|bất cập|khó khăn, vướng mắc|khuyết điểm|^khó khăn\b"),
    ("achievement", r"^kết quả\b|kết quả (?:đạt được|thực hiện|nổi bật|công tác)|ưu điểm|thành tích"
                    r"|đánh giá [^.]{0,30}kết quả|^đánh giá chung|những việc đã làm|tình hình thực hiện"),
    ("achievement", r"^thực trạng\b"),  # a review of the current state reports results
    # A plan's "Yêu cầu" (the principles it must respect) belongs with its aims.
    ("target", r"mục tiêu|chỉ tiêu|mục đích|^yêu cầu$"),
    ("task", r"nhiệm vụ|giải pháp|tổ chức thực hiện|phương hướng|trọng tâm|triển khai"
             r"|^kế hoạch (?:thời gian|năm học|công tác|hoạt động)"),
    # Background and scope: who and what a plan covers, the setting of a report.
    # A plan's "Quan điểm" (the views it starts from) is neither an aim nor a task.
    ("context", r"^căn cứ|^cơ sở pháp lý|^(?:đối tượng|phạm vi)\b|^đặc điểm(?:,)? tình hình|^bối cảnh"
                r"|^quan điểm(?: chỉ đạo)?$"),
)

# An unmarked heading must start with its cue (allowing "Về ", "Một số ", "Những ").
UNMARKED_HEADING_CUE_START = 8
UNMARKED_HEADING_LEVEL = 8.0

# Lead-in sentences (no heading) that open a part of the notice. Checked at the start of the
# passage and after a colon ("... kết luận: Nhìn chung, ..."); first table entry wins.
LEADIN_ROLE_CUES: tuple[tuple[str, str], ...] = (
    # "Bên cạnh đó" opens the shortcomings only when it introduces a problem; "Bên cạnh đó, tỉnh
    # còn đoạt 1 giải" just adds a result.
    ("shortcoming", r"^(?:bên cạnh (?:đó|những|các)\b[^,]{0,60},[^.]{0,80}\b(?:vẫn còn|còn (?:nhiều |một số |những )?"
                    r"(?:tồn tại|hạn chế|khó khăn|bất cập|vướng mắc|thiếu|chậm|yếu)|chưa)\b"
                    r"|(?:tuy nhiên|tuy vậy),[^.]{0,40}\b(?:vẫn )?còn\b|vẫn còn (?:một số |những )?(?:tồn tại"
                    r"|hạn chế))"),
    ("task", r"(?:yêu cầu|đề nghị|hướng dẫn|phân công|giao (?:nhiệm vụ|trách nhiệm))\b[^.]{0,250}(?:như )?sau\s*:$"
             r"|tập trung (?:triển khai )?thực hiện[^.]{0,250}:$"
             r"|nhiệm vụ[^.]{0,120}\b(?:như )?sau\s*:$"
             r"|^(?:trong )?(?:thời gian tới|(?:tháng|quý|học kỳ|năm học|năm) [^,]{0,30} (?:tới|tiếp theo)),"),
    ("achievement", r"^(?:nhìn chung|(?:trong |qua )?(?:tháng|quý|học kỳ|năm học|năm|thời gian qua)\b[^.:]{0,80}?"
                    r"\bđã\b(?! (?:đề ra|được giao|ban hành|phê duyệt)))"),
    # A separate entry: starting with a literal keeps the search fast (no anchor to lose).
    ("achievement", r"đã đạt được (?:nhiều |những |một số |các )?kết quả"),
    # News: "Theo báo cáo (tại hội nghị), ... đã ..." reports results; a director's closing speech
    # ("Phát biểu chỉ đạo ...", "Ông/Giám đốc ... đề nghị ...") gives tasks.
    ("achievement", r"^theo (?:báo cáo|kết luận)[^.]{0,120}\bđã\b(?! (?:đề ra|được giao|ban hành|phê duyệt))"),
    # (A closing speech that only praises the results reported is not a task.)
    ("task", r"^phát biểu (?:chỉ đạo|kết luận)\b(?![^.]*\b(?:ghi nhận|biểu dương|khen ngợi|đánh giá cao)\b)"
             r"|^(?:ông|bà|đồng chí|giám đốc)\b[^.]{0,80}\b(?:yêu cầu|đề nghị)\b"),
    ("target", r"^(?:phấn đấu|mục tiêu)[^.]{0,120}:$"),
)

# Before any heading with a role: the intro of a plan or report announcing the document itself is
# context, though it names "nhiệm vụ" and ends "như sau:" like a task lead-in.
INTRO_CONTEXT = re.compile(r"(?:(?:xây dựng|ban hành) kế hoạch|báo cáo (?:kết quả|tình hình|sơ kết|tổng kết))"
                           r"[^.]{0,250}(?:như )?sau\s*:$")

# At the very start (nothing but context before it), the issuing body announcing what the
# document does ("Sở GDĐT hướng dẫn các đơn vị ... như sau:") is context; assigning duties
# ("... phân công ... như sau:") is a task lead-in instead.
DOCUMENT_INTRO = re.compile(r"^(?:(?:thực hiện|căn cứ|triển khai|để|nhằm)\b[^:;]{0,250}?,\s*)?"
                            r"(?:sở|ubnd|ủy ban|phòng|bộ|trường|ban|hội đồng)\b[^.:]{0,120}\b(?:hướng dẫn|thông báo)\b"
                            r"(?![^.:]{0,250}phân công)[^.]{0,250}(?:như )?sau\s*:$")

# "Sau khi nghe ý kiến các đại biểu, Phó Giám đốc Sở kết luận như sau:" opens the conclusions: what
# the chair directs, unless a heading under it says otherwise ("1. Đánh giá chung").
CONCLUSIONS_INTRO = re.compile(r"\bkết luận\b[^.:]{0,40}(?:như )?sau\s*:$")
GUIDANCE_INTRO = re.compile(r"\b(?:hướng dẫn|yêu cầu|đề nghị|thông báo)\b")
# A report's opening sentence announcing its results: "Năm học 2024-2025, ngành ... đạt được
# những kết quả chủ yếu sau:" (context itself; what follows are achievements).
RESULTS_INTRO = re.compile(r"\bđạt được (?:những |các |một số |nhiều )?kết quả\b[^.]{0,60}(?:như )?sau\s*:$")

# Passages that are context wherever they sit: header lines and legal-basis citations.
CONTEXT_PASSAGE = re.compile(
    r"^(?:căn cứ (?:luật|bộ luật|nghị quyết|nghị định|quyết định|thông tư|chỉ thị|kết luận|kế hoạch"
    r"|công văn|hướng dẫn|đề án|chương trình|văn bản|thông báo|điều lệ)"
    r"|cộng hòa xã hội chủ nghĩa|độc lập\s*-\s*tự do|số\s*:|kính gửi|v/v\b"
    r"|[^,.;:]{2,40}, ngày \d{1,2} tháng \d{1,2} năm \d{4}$)"
)

# Roles of the sentences of news posts and other prose that no heading governs, from what each
# sentence does (topics.md, "News articles"). First matching entry wins, in this order: who met,
# where and when, a document issued or cited is context; a recommendation addressed to a higher
# body, or by an inspection team, is a proposal; what an authority asks or directs is a task;
# reported problems are shortcomings; what the sector will or should do is a task; quantified
# aims ("phấn đấu", "đạt 95% trở lên", "đến năm 2030") are targets; reported results are
# achievements. A sentence with none of these continues the role of the one before it.
_NOT_DONE = r"(?<!đã )(?<!đã từng )(?<!đáp ứng )"
# Hardships outside the sector's own work (terrain, climate and weather, the economy, how people
# live, the objective causes a report names) are the setting, not a shortcoming (topics.md).
HARDSHIP = (r"^(?:nguyên nhân khách quan\b|(?:[^.;]{0,60}\b)?(?:khí hậu|địa hình|địa bàn|thời tiết|thiên tai|mưa lũ"
            r"|mưa lớn|lũ lụt|bão|rét đậm|dân cư|kinh tế|đời sống (?:của )?(?:người dân|nhân dân|đồng bào"
            r"|(?:nhiều |các |một số )?(?:gia đình|hộ))|giao thông|việc đi lại)\b[^.;]{0,80}?"
            r"\b(?:khó khăn|khắc nghiệt|chia cắt|phức tạp|chậm phát triển|rải rác|hiểm trở|thưa thớt|ảnh hưởng)\b)")
_HARDSHIP = re.compile(HARDSHIP)
_ADDRESSEE = (r"(?:các|toàn|mọi|mỗi|từng|ngành|sở|phòng|trường|ubnd|ủy ban|địa phương|đơn vị|cán bộ|giáo viên"
              r"|nhà trường|tỉnh|huyện|xã|cấp|học sinh|phụ huynh|cha mẹ|thủ trưởng|hiệu trưởng|lãnh đạo|đội ngũ"
              r"|cơ sở)\b")
_ACTION = (r"(?:tiếp tục|tập trung|tăng cường|đẩy mạnh|chú trọng|quan tâm|thực hiện|triển khai|chủ động|khẩn trương"
           r"|nghiêm túc|rà soát|chuẩn bị|nâng cao|chỉ đạo|bảo đảm|đảm bảo|chấn chỉnh|kiểm tra|xử lý"
           r"|có (?:giải pháp|biện pháp|kế hoạch))\b")
SENTENCE_ROLE_CUES: tuple[tuple[str, str], ...] = (
    # (An entry starting with "^" is tried at the start of the sentence only.)
    ("context", r"^(?:tham dự\b|căn cứ |(?:nhân )?dịp này\b)"),
    ("context", r"\b(?:(?:tổ chức|chủ trì|khai mạc)\b(?! thành công)[^.;]{0,80}?\b(?:hội nghị|hội thảo|tọa đàm|buổi|lễ"
                r"|cuộc họp|họp|tổng kết|sơ kết|tập huấn)\b"
                r"|(?:tham )?dự (?:tại )?(?:hội nghị|hội thảo|buổi|lễ)\b"
                r"|(?:đại biểu|hội nghị|hội thảo)\b[^.;]{0,30}\b(?:trao đổi|thảo luận|tham gia ý kiến|góp ý)\b"
                r"|(?:ký|ban hành|biểu quyết thông qua|thông qua)\b[^.;]{0,30}\b(?:quyết định|nghị quyết|kế hoạch"
                r"|công văn|văn bản|chỉ thị|thông báo|đề án)\b|^[^.;,]{0,60}\b(?:vừa|đã) có (?:văn bản|công văn)\b"
                r"|căn cứ (?:vào )?(?:các )?(?:luật|nghị định|thông tư|quyết định|nghị quyết|chỉ thị)\b)"),
    ("proposal", r"\b(?:(?:đề xuất|kiến nghị) (?:với )?(?:ubnd|ủy ban|bộ|chính phủ|thủ tướng|tỉnh ủy|thành ủy|hđnd"
                 r"|hội đồng nhân dân|trung ương|cấp trên)\b"
                 r"|đoàn (?:kiểm tra|công tác|giám sát|thanh tra|khảo sát|đánh giá)\b[^.;]{0,60}\b(?:đề nghị"
                 r"|kiến nghị)\b"
                 # asking a higher body for support: "đề nghị tỉnh hỗ trợ kinh phí", "... Bộ xem xét"
                 r"|đề nghị (?:ubnd tỉnh|ủy ban nhân dân tỉnh|tỉnh)\b[^.;]{0,40}?"
                 r"\b(?:hỗ trợ|bố trí|bổ sung|cấp|quan tâm|xem xét|tạo điều kiện)\b"
                 # a province asking the centre, or a department proposing
                 r"|đề nghị (?:bộ|chính phủ|trung ương|thủ tướng)\b"
                 r"|(?:sở|tỉnh|huyện|phòng|ngành)\b[^.;]{0,30}\bđề xuất\b)"),
    ("task", r"\b(?:" + _NOT_DONE + r"(?:yêu cầu|đề nghị|lưu ý|chỉ đạo|giao|kêu gọi) " + _ADDRESSEE
             + r"|(?:có|chịu) trách nhiệm\b"
             # a request or an emphasis put on an act: "Bộ cũng yêu cầu tăng cường ...",
             # "văn bản nhấn mạnh việc đẩy mạnh chuyển đổi số"
             + r"|" + _NOT_DONE + r"(?:yêu cầu|nhấn mạnh) (?:việc |cần |phải )?" + _ACTION
             + r"|phải (?:chịu trách nhiệm|tuân thủ|bảo đảm|đảm bảo|thực hiện|tập trung|khẩn trương"
               r"|nghiêm túc|chủ động)\b"
             r"|(?:thống nhất|đưa ra|đề ra|xác định) (?:các |những |một số |\d+ )?(?:nhóm )?(?:nhiệm vụ|giải pháp)\b"
             # rules and assignments reported: what units may, must not or are given to do
             r"|nghiêm cấm\b|không được (?:phép|vượt|thu|quyên góp|vận động|ép buộc|bắt buộc|tự ý|lạm dụng"
             r"|sử dụng|dạy thêm|tổ chức thu)\b|(?:chỉ|phải) được (?!\d|công nhận|đánh giá|khen)"
             r"|giao nhiệm vụ (?:cụ thể )?cho\b|" + _NOT_DONE + r"(?:được giao|giữ vai trò) chủ trì\b)"),
    ("context", HARDSHIP),
    ("shortcoming", r"^(?:tuy nhiên|tuy vậy|mặc dù vậy),"),
    # a meeting or a report pointing out the limits: "hội nghị cũng chỉ ra một số hạn chế"
    ("shortcoming", r"\b(?:chỉ ra|nêu rõ|thẳng thắn nhìn nhận) (?:những |một số |các )?"
                    r"(?:hạn chế|tồn tại|bất cập|yếu kém)\b"),
    # complaints reported: "phụ huynh ... phản ánh phải đóng nhiều khoản"
    ("shortcoming", r"\b(?:phụ huynh|cha mẹ học sinh|người dân|dư luận|báo chí)\b[^.;]{0,60}\bphản ánh\b"),
    ("shortcoming", r"\b(?:vẫn còn\b|còn (?:nhiều |một số |những )?(?:khó khăn|hạn chế|tồn tại|bất cập|vướng mắc"
                    r"|thiếu|chậm|thấp|yếu)\b|chưa (?:đạt|đáp ứng|bảo đảm|đảm bảo|hoàn thành|đồng bộ|quan tâm"
                    r"|thực hiện|kịp thời)\b|(?:gặp|đối mặt với) (?:nhiều |không ít )?khó khăn\b"
                    r"|vẫn (?:cao|thấp|chưa|thiếu|chậm|diễn ra|xảy ra)\b"
                    r"|(?<!không )(?<!tránh )(?:vẫn |còn )?để xảy ra\b)"),
    ("task", r"\b(?:cần|sẽ) (?:phải )?" + _ACTION),
    ("target", r"^(?!.*\bđã\b).*?(?:\bphấn đấu\b|\b(?:với|đặt|có) mục tiêu\b|%\s*trở lên\b"
               r"|(?:^|, )(?:đến|tới|từ nay đến) (?:năm|hết năm"
               r"|cuối năm) \d{4}\b)"),
    ("achievement", r"^theo (?:báo cáo|kết luận)\b"),
    ("achievement", r"\b(?:đạt (?:chuẩn|giải|danh hiệu|kết quả|tỷ lệ|tỉ lệ|được|\d)|đã (?:đạt|hoàn thành"
                    r"|làm tốt|thực hiện tốt)\b"
                    r"|hoàn thành (?:tốt|xuất sắc|vượt)\b|được công nhận\b|(?:được|tiếp tục được) giữ vững\b"
                    r"|(?<!phấn đấu )giữ vững (?:các )?chuẩn\b"
                    r"|(?:đã|được) đưa vào (?:vận hành|sử dụng|hoạt động|khai thác)\b"
                    r"|đã được (?:xây dựng|hoàn thiện|đầu tư|trang bị|nâng cấp|cải tạo|kiện toàn)\b"
                    # work the sector reports done: "Toàn ngành đã xây dựng kho học liệu số ..."
                    r"|đã (?:xây dựng|triển khai|áp dụng|đẩy mạnh|trang bị|đầu tư|mở|tham mưu|hoàn thiện"
                    r"|huy động|chuyển sang|có (?:những|nhiều))\b"
                    r"|(?:tăng|giảm|nhích lên|cao hơn|nhiều hơn)\b[^.;]{0,60}\bso với\b"
                    r"|nhiều hơn (?:năm|năm học|kỳ) trước\b|vượt (?:chỉ tiêu|kế hoạch)\b"
                    r"|(?:đánh giá cao|ghi nhận|biểu dương|khen ngợi)\b[^.;]{0,60}\b(?:kết quả|thành tích|nỗ lực)\b"
                    r"|đánh giá cao\b|điểm sáng\b|dẫn đầu\b"
                    r"|đứng (?:thứ \d|trong nhóm|đầu)\b|(?:đoạt|giành) (?:được )?(?:\d+ )?(?:giải|huy chương)\b"
                    r"|thành công\b)"),
    # Size figures (schools, classes, pupils, teachers) with nothing said of them are context.
    ("context", r"\b(?:toàn|cả) (?:tỉnh|ngành|huyện|thị xã|thành phố|quận)\b (?:hiện )?có (?:tổng (?:số|cộng) )?"
                r"(?:hơn |gần |khoảng )?[\d.,]+ (?:trường|cơ sở giáo dục|điểm trường|lớp|nhóm lớp|học sinh"
                r"|trẻ|giáo viên"
                r"|cán bộ|xã|phường|đơn vị)"),
)

_PURPOSE = re.compile(r"\b(?:để|nhằm)\b[^,;]*")
_WILL_ACT = re.compile(r"\b(?:cần|sẽ) (?:phải )?" + _ACTION)

# An administrative text directs by naming who must act, then the act: "Thủ trưởng các đơn vị
# khẩn trương ...", "Các phòng GDĐT chủ động ...". Where no heading governs, such a sentence is a
# task; with "đã" it reports what was done instead, and with "được" the units are acted upon
# ("Các hoạt động được quan tâm chỉ đạo" is a result), so neither may come before the act.
DIRECTIVE_SENTENCE = re.compile(
    r"^(?:theo đó,\s*)?(?:(?:thủ trưởng|hiệu trưởng|lãnh đạo|giám đốc|trưởng phòng) )?(?:các|mọi|mỗi|từng) (?!.*\bđã\b)"
    r"(?:đơn vị|cơ sở|trường|nhà trường|phòng|sở|ban|ngành|địa phương|cán bộ|giáo viên|huyện|thị xã|xã|trung tâm)\b"
    r"(?:(?!\bđược\b)[^.;:]){0,80}?\b(?:khẩn trương|chủ động|có trách nhiệm|chịu trách nhiệm|thực hiện nghiêm"
    r"|nghiêm túc thực hiện|tổ chức thực hiện|phối hợp|chỉ đạo|thông báo kịp thời|triển khai|phải|tiếp tục)\b"
    # ... or the whole sector, named as the one to act: "Toàn ngành đẩy mạnh chuyển đổi số ..."
    r"|^(?:toàn ngành|cả ngành)\s+(?!.*\bđã\b)(?:tiếp tục |tập trung )?" + _ACTION
    # ... or the writer's request to them: "(Sở) đề nghị các đơn vị gửi báo cáo ..."
    + r"|^(?:(?:sở|phòng|ubnd|ủy ban|bộ)\b(?:(?!\bđã\b)[^,.;:]){0,60}? )?(?:đề nghị|yêu cầu) "
    r"(?:các|mọi|thủ trưởng|hiệu trưởng"
    r"|lãnh đạo|ubnd|ủy ban|phòng|trường|sở)\b")

# A quantified aim with a deadline ("Đến cuối năm học 2023-2024, 100% trường ...") is a target
# even among the tasks (topics.md); one with "đã" reports a result instead.
QUANTIFIED_AIM = re.compile(r"^(?:phấn đấu )?(?:đến|tới) (?:hết |cuối )?(?:năm|năm học|tháng|quý|học kỳ)\b[^,.;]{0,30},"
                            r"(?![^.;]*\bđã\b)[^.;]{0,80}?\d+(?:[,.]\d+)?\s*%")

# News photo captions: a photo credit, a scene ("Toàn cảnh hội nghị"), or a speaker named with
# no words reported ("Ông X phát biểu chỉ đạo hội nghị."). Context that does not interrupt the
# running role of the article.
PHOTO_CREDIT = re.compile(r"\bảnh\s*(?::|minh họa\b|tư liệu\b)")
CAPTION = re.compile(r"(?:toàn cảnh|quang cảnh)\b|(?:các )?đại biểu (?:tham )?dự\b"  # matched at the start
                     # a person by title and name, with no sentence end: "ThS. Lê Văn A - Chánh Văn phòng báo cáo ..."
                     r"|(?:ông|bà|đồng chí|đ/c|ts\.|ths\.|pgs\.|gs\.|thầy|cô) [^.!?;]*$")
SPEAKER_CAPTION = re.compile(r"^(?!phát biểu)[^.;:]{0,200}\bphát biểu\b(?![^.;:]*\b(?:nhấn mạnh|yêu cầu|đề nghị"
                             r"|cho biết|khẳng định|đánh giá|lưu ý|chỉ rõ|ghi nhận|biểu dương|kết luận|rằng)\b)[^;:]*$")
MAX_CAPTION_WORDS = 60
MAX_SUBHEADING_WORDS = 25

# An article of a decision ("Điều 2. ..."): a part of its own, a task when it assigns duties,
# context when it gives the effective date (usually with who executes the decision) or states
# what is decided.
ARTICLE = re.compile(r"^điều \d{1,2}\s*[.:]")
ARTICLE_DUTIES = re.compile(r"^(?!.*\bcó hiệu lực\b).*\b(?:chịu trách nhiệm|có trách nhiệm|tổ chức thực hiện|thi hành"
                            r"|phân công|giao cho|chủ trì)\b|^điều \d{1,2}\s*[.:]\s*(?:giao|trách nhiệm)\b")
ARTICLE_LEVEL = 1.0

# Start of the closing part: everything from here on is context.
CLOSING_PASSAGE = re.compile(r"^(?:trên đây là|nơi nhận\b)|\./\.\s*$")
# "./." ends the body of an administrative document, and its sentence is the closing formula
# ("... biết và thực hiện./."); a news post that ends with it ends on an ordinary sentence.
BODY_END = re.compile(r"\./\.?\s*$")

# Marks of an administrative document near its top (Nghị định 30/2020/NĐ-CP): national title and
# motto, number, subject line, addressees. Without them (and without a type heading) the text is a
# news post or web page, whose sentences carry their roles one by one (SENTENCE_ROLE_CUES).
ADMINISTRATIVE_MARK = re.compile(r"^(?:cộng hòa xã hội chủ nghĩa|độc lập - tự do|số\s*:|kính gửi\b|v/v\b)")
ADMINISTRATIVE_MARK_UNITS = 40  # a web copy may put a long site menu above the letterhead

# --------------------------------------------------------------------------- list markers

_MARKER = re.compile(
    r"^(?P<marker>(?:[IVX]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)](?=\s)|[-+•*–—−](?=\s))"
)
_LEADING_MARKERS = re.compile(
    r"^\s*(?:(?:[IVX]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)]\s+|[-+•*–—−]\s+)+")
_MARKERS_ONLY = re.compile(r"\s*(?:(?:[IVXivx]{1,6}|\d{1,2}(?:\.\d{1,2})*|[a-zA-Zđ])[.)]\s*)+")
_TERMINAL = re.compile(r"(?:[.!?;:…]|\./\.)[”\"')\]*]*$")
_SENTENCE_END = re.compile(r"[.!?…]+[”\"')\]*]*\s+")
# A news photo's credit ends its caption: "Học sinh ... (Ảnh: X)", "Lớp học ... Ảnh minh họa".
_CREDIT_NEXT = re.compile(r"\(?(?:Ảnh|ẢNH)\s*(?::|minh họa\b|minh hoạ\b|tư liệu\b)")
# Items run on after a list intro: "... như sau: (1) Từ ngày ...", "gồm: a) ...".
_INLINE_LIST = re.compile(
    r"(?<=(?:sau|gồm|thể):)\s+(?=\((?:\d{1,2}|[a-zđ]|[Mm]ột|[Hh]ai|[Bb]a|[Bb]ốn|[Nn]ăm|[Ss]áu|[Bb]ảy|[Tt]ám"
    r"|[Cc]hín|[Mm]ười)\)\s"
    r"|(?:\d{1,2}|[a-zđ])\)\s)")
# The label of a part of a legal text opens its first sentence: "Điều 2. Giao Sở ...".
_PART_LABEL = re.compile(r"\s*(?:Điều|Khoản|Mục|Chương|Phần)\s+(?:\d{1,3}|[IVX]{1,6})\.\s*")
# A list marker left at the end of a wrapped line after a finished sentence ("... nhà trường. 2.").
_TRAILING_MARKER = re.compile(r"[.;:!?]\s+(?:\d{1,2}|[a-zđ])[.)]$")
_SENTENCE_CLOSED = re.compile(r"[.!?…][”\"')\]]*$")


_ROMAN = re.compile(r"[IVX]{1,6}")
_CLOSED_END = re.compile(r"[.!?;…]+[”\"')\]*]*$")  # a sentence end, maybe inside quotes/brackets
_CLOSERS = "”\"')]*"
_SENTENCE_ENDS = frozenset(".!?;…")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends with ".", "!", "?" or "…" (maybe inside quotes or brackets)."""
    return bool(_SENTENCE_CLOSED.search(text.rstrip()))


def _closed(text: str) -> bool:
    """``_CLOSED_END.search(text)`` without a regex scan of the whole text."""
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_ENDS


@dataclass(frozen=True)
class Marker:
    """A list marker at the start of a block: its kind, level and section id."""

    kind: str  # roman | number | letter | bullet
    level: float
    ident: str


def _is_doc_type_heading(line: str) -> bool:
    return len(line) <= 30 and fold_normalized(line).strip("* ") in DOC_TYPE_HEADINGS


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def _is_all_caps(text: str) -> bool:
    """An upper-case heading or title; a lone acronym or numeral ("III/2022", "GD&ĐT") is not."""
    if not text.isupper():  # same verdict as on the letters alone, and cheap for ordinary text
        return False
    letters = _letters(text)
    return len(letters) >= 6 or len(text.split()) >= 2 and len(letters) >= 2


def parse_marker(line: str) -> Marker | None:
    """The list marker that opens ``line`` ("II.", "2.1.", "a)", "-"), or None."""
    match = _MARKER.match(line)
    if not match:
        return None
    token = match.group("marker")
    body = token[:-1] if token[-1] in ".)" and len(token) > 1 else token
    if len(token) == 1:
        return Marker("bullet", 2.5 if token == "*" else 9, token)
    if _ROMAN.fullmatch(body):
        return Marker("roman", 1, body)
    if body[0].isdigit():
        depth = body.count(".") + 1
        return Marker("number", 1 + depth if token.endswith(".") else 6, body.split(".")[-1])
    return Marker("letter", 6, body)


# --------------------------------------------------------------------------- cleaning


def _is_web_bar(folded: str) -> bool:
    """A navigation, breadcrumb or share bar: short items between "|" / "›" / ">" separators,
    one of them a site function ("Trang chủ", "Chia sẻ", "Bình luận")."""
    items = [item for item in _BAR_SEPARATOR.split(folded) if item.strip()]
    return (len(items) >= 2 and all(len(item.split()) <= MAX_BAR_ITEM_WORDS for item in items)
            and bool(_BREADCRUMB.search(folded) or WEB_BAR_WORDS.search(folded)))


def _line_kind(line: str) -> str | None:
    """"debris", "related" (a related-news heading) or None (text)."""
    stripped = line.strip()
    if not stripped:
        return None
    if stripped[0] in _FOOTER_INITIALS and len(stripped) <= MAX_FOOTER_LINE \
            and stripped[:12].casefold().startswith(_FOOTER_PREFIXES) \
            and SITE_FOOTER_LINE.match(fold_normalized(stripped)):
        return "debris"
    if len(stripped) > MAX_DEBRIS_CHARS:
        return None
    if stripped[0] in _RULE_CHARS and LAYOUT_LINES.match(stripped):
        return "debris"
    bar = _BAR_CHARS.search(stripped) is not None
    if len(stripped) > MAX_DEBRIS_LINE and not bar:  # folding only short lines keeps this cheap
        return None
    folded = fold_normalized(stripped).strip(" *|")
    if len(stripped) <= MAX_RELATED_HEADING and RELATED_NEWS_HEADING.match(folded.rstrip(" :")):
        return "related"
    if len(stripped) <= MAX_DEBRIS_LINE and DEBRIS_LINES.match(folded) or bar and _is_web_bar(folded):
        return "debris"
    return None


def _is_debris(line: str) -> bool:
    return _line_kind(line) == "debris"


def _is_headline(line: str) -> bool:
    """A line that can be a linked headline: short, with no sentence end."""
    return len(line.split()) <= MAX_HEADLINE_WORDS and not _closed(line.rstrip(" :"))


def _related_news_end(lines: list[str], start: int) -> int:
    """Index after the related-news list whose heading is ``lines[start]``."""
    end, headlines = start + 1, 0
    while end < len(lines) and headlines < MAX_RELATED_HEADLINES:
        line = lines[end].strip()
        if line and not (_is_headline(line) or _is_debris(line)):
            break
        headlines += bool(line)
        end += 1
    return end


def drop_debris(text: str) -> str:
    """Drop whole lines that are page numbers, layout rules or web debris ("Lượt xem:", "Đọc bài
    viết", a share bar), and a related-news list with its heading ("Tin liên quan")."""
    lines = text.split("\n")
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        kind = _line_kind(line)
        if kind == "related":
            index = _related_news_end(lines, index)
            continue
        if kind is None:
            if "ượt" in line:
                line = _INLINE_COUNTER.sub("", line)
            if "#" in line:  # a site's hashtags run onto the byline: "HẢI MINH #giáo dục #lạm thu"
                line = _HASHTAGS.sub("", line)
            kept.append(line)
        index += 1
    return "\n".join(kept)


def _header_cells(line: str) -> tuple[str, str] | None:
    """(left, right) of a letterhead line that holds both columns, or None."""
    if "|" in line or "\t" in line:  # a table row: "| UBND TỈNH X | CỘNG HÒA ... |"
        cells = [cell.strip() for cell in _CELL_SEPARATOR.split(line) if cell.strip()]
        if len(cells) == 2 and (NATIONAL_TITLE.match(cells[1]) or PLACE_DATE.search(cells[1])
                                or DOC_NUMBER.match(cells[0]) or ISSUING_BODY.match(cells[0])):
            return cells[0], cells[1]
        line = cells[0] if len(cells) == 1 else line
    title = NATIONAL_TITLE.search(line, 1) if len(line) > 30 and _TITLE_WORDS.search(line) else None
    if title:
        return line[:title.start()], line[title.start():]
    date = PLACE_DATE.search(line) if line.startswith("Số") and DOC_NUMBER.match(line) else None
    if date is None:
        return None
    words = line[:date.start()].split(" ")
    place = 0  # the place name: the capitalised words just before ", ngày"
    while place < min(MAX_PLACE_WORDS, len(words) - 2) and words[-1 - place][:1].isupper():
        place += 1
    if place == 0:
        return None
    cut = len(" ".join(words[:-place]))
    return line[:cut], line[cut:]


def split_header_columns(text: str) -> str:
    """Put the two columns of a flattened letterhead on lines of their own, left column first.

    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / TỈNH X Độc lập - Tự do - Hạnh phúc /
    Số: 29/KH-UBND X, ngày 22 tháng 3 năm 2018" becomes the issuing body, the number, the national
    title, the motto and the place-and-date line.
    """
    parts = text.split("\n", LETTERHEAD_LINES)
    head, tail = parts[:LETTERHEAD_LINES], parts[LETTERHEAD_LINES:]
    cells = [_header_cells(line) if len(line) < 200 else None for line in head]
    if not any(cells):
        return text
    out: list[str] = []
    right: list[str] = []
    for line, cell in zip(head, cells):
        if cell is None:
            if line.strip() and right:
                out.extend(right)
                right = []
            out.append(line)
            continue
        out.append(cell[0].strip(" |"))
        right.append(cell[1].strip(" |"))
    return "\n".join(out + right + tail)


def _wrap_width(lines: list[str]) -> float:
    """Typical full-line width; large when the text has one paragraph per line."""
    lengths = sorted(len(line) for line in lines)
    return float(lengths[int(0.9 * (len(lengths) - 1))]) if lengths else 0.0


def _is_hard_wrapped(lines: list[str], width: float) -> bool:
    """The text was wrapped at a printed line's width, not typed one paragraph per line.

    Telling sign: most full-width lines stop mid-sentence. (The share of full-width lines
    alone misleads on list-heavy notices, whose short items and headings fit on one line.)
    """
    if not 40 <= width <= 130:
        return False
    full = [line for line in lines if len(line) >= WRAP_FILL * width]
    open_full = sum(1 for line in full if not _TERMINAL.search(line))
    return open_full >= MIN_OPEN_LINES and open_full >= 0.5 * len(full)


@dataclass
class _JoinState:
    width: float
    hard_wrapped: bool
    in_title: bool = False
    seen_type_heading: bool = False
    title_lines: int = 0
    last_number: int | None = None


def _continues_numbering(marker: Marker, state: _JoinState) -> bool:
    """Whether a "N." marker can open the next item: 1, or one more than the last item."""
    if marker.kind != "number" or marker.level != 2:
        return True
    value = int(marker.ident)
    return value == 1 or value == (state.last_number or 1) + 1


def _first_char(line: str) -> str:
    for ch in line:
        if ch.isalnum():
            return ch
    return ""


def _marker_starts_block(line: str, marker: Marker, prev_open: bool, long_prev: bool,
                         state: _JoinState) -> bool:
    """A marked line starts an item unless it continues a wrapped sentence ("lớp\n10. Chỉ đạo",
    "kinh tế\n- xã hội")."""
    if not (prev_open and long_prev):
        return True
    rest = line[_MARKER.match(line).end():].lstrip()[:1]
    wrapped_bullet = marker.kind == "bullet" and (rest.islower() or rest.isdigit())
    return _continues_numbering(marker, state) and not wrapped_bullet


def _capital_starts_block(block: str, prev: str, line: str, long_prev: bool, state: _JoinState) -> bool:
    """An unterminated line followed by a capitalised one: new paragraph or wrapped name?"""
    opener = line.lstrip("*“\"( ")
    if PARAGRAPH_OPENERS.match(opener) and not block.endswith((";", ",")):
        return True
    if _is_all_caps(prev) and _letters(line).isupper():  # a heading or title over two lines
        return False
    # A change of case opens a block, except an acronym wrapped onto the next line after a
    # full-width sentence ("... thực hiện Chương trình\nGDPT 2018.").
    if _is_all_caps(prev) != _is_all_caps(line) and not (long_prev and not _is_all_caps(prev)):
        return True
    if state.in_title and state.title_lines < MAX_TITLE_LINES:
        # A title line never ends a sentence and is shorter than a wrapped body line.
        full = state.hard_wrapped and len(line) >= WRAP_FILL * state.width
        return bool(_TERMINAL.search(line)) or full
    return not long_prev


def _open_parenthesis(block: str) -> bool:
    """A "(" near the end of the block, not closed yet (a stray one far back does not count)."""
    if "(" not in block[-MAX_PARENTHESIS:]:  # the usual case, decided without a regex
        return False
    body = _strip_marker(block)  # "a)" opens an item, not a parenthesis
    opened = body.rfind("(")
    return opened > body.rfind(")") and len(body) - opened <= MAX_PARENTHESIS


def _letterhead_break(block: str, line: str, state: _JoinState) -> bool:
    """The national title and motto stand alone; above the type heading, an issuing body in
    capitals ("SỞ GIÁO DỤC VÀ ĐÀO TẠO" under "UBND TỈNH X") is a line of its own; in the
    signature block, the signing authority ("KT. GIÁM ĐỐC") and the signer's title too."""
    if line[:1] in _TITLE_INITIALS and NATIONAL_TITLE.match(line) \
            or block[:1] in _TITLE_INITIALS and NATIONAL_TITLE.match(block):
        return True
    if line[:1] in _AUTHORITY_INITIALS and SIGNING_AUTHORITY.match(line) \
            or block[:1] in _AUTHORITY_INITIALS and SIGNING_AUTHORITY.match(block) and line.isupper():
        return True
    return (not state.seen_type_heading and line.isupper() and block.isupper()
            and len(block.split()) <= MAX_LETTERHEAD_WORDS and bool(ISSUING_BODY.match(line)))


def _starts_new_block(block: str, prev: str, line: str, state: _JoinState) -> bool:
    """Whether ``line`` starts a new paragraph/item rather than continuing ``block``.

    ``prev`` is the block's last physical line: only its width tells a hard wrap.
    """
    long_prev = state.hard_wrapped and len(prev) >= WRAP_FILL * state.width
    # A ";" or ":" at the end of a full-width line is usually a wrap inside a sentence, except in
    # legal-basis lists ("Căn cứ ...;") and before a list ("... như sau:").
    weak_end = (block.endswith(";") and not ONE_ITEM_PER_LINE.match(block)
                or block.endswith(":") and not LIST_INTRO.search(block[-24:]))
    tail = block[-24:]  # only the end matters; keeps long paragraphs linear
    prev_open = (not _TERMINAL.search(tail) or long_prev and weak_end or _is_abbreviation(tail)
                 or long_prev and bool(_TRAILING_MARKER.search(tail)))
    if _is_doc_type_heading(block) or _letterhead_break(block, line, state):
        return True
    marker = parse_marker(line)
    if marker is not None and marker.kind == "bullet" and ADDRESSEES_INLINE.match(block):
        return False  # "Kính gửi: - A;\n- B.": one addressee block
    if marker is not None:
        return _marker_starts_block(line, marker, prev_open, long_prev, state)
    first = _first_char(line)
    if _open_parenthesis(block):  # "... (qua phòng\nKế hoạch - Tài chính)": the same sentence
        return False
    if not first or first.islower():
        # Typed text has one paragraph per line: after a finished sentence, a line is a new
        # paragraph even when it opens in lower case (a news photo caption: "ông X phát biểu").
        return (bool(first) and not state.hard_wrapped and bool(_SENTENCE_CLOSED.search(tail))
                and not _is_abbreviation(tail))
    if first.isdigit():
        # "... đạt\n99,37%" wraps a sentence; in typed text (docx, html, one paragraph per line) a
        # line opening with "100% ..." is a paragraph or table cell of its own.
        return not (prev_open and state.hard_wrapped)
    if ONE_ITEM_PER_LINE.match(line.lstrip("*“\"( ")) and block.endswith(";"):
        return True
    return not prev_open or _capital_starts_block(block, prev, line, long_prev, state)


def join_broken_lines(text: str) -> str:
    """Rejoin lines broken by PDF extraction or hard wrapping; one paragraph/item per line.

    Blank lines inside a sentence ("Chương trình Giáo\\n\\ndục phổ thông 2018") are treated like
    any other line break; paragraph, heading and list-item boundaries are kept.
    """
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    width = _wrap_width(lines)
    state = _JoinState(width=width, hard_wrapped=_is_hard_wrapped(lines, width))
    blocks: list[str] = []
    prev = ""
    for line in lines:
        if blocks and not _starts_new_block(blocks[-1], prev, line, state):
            blocks[-1] = f"{blocks[-1]} {line}"
            prev = line
            state.title_lines += 1
            continue
        state.in_title = bool(blocks) and _is_doc_type_heading(blocks[-1])
        state.seen_type_heading = state.seen_type_heading or state.in_title
        state.title_lines = 1
        marker = parse_marker(line)
        if marker is not None and marker.kind == "roman":
            state.last_number = None
        elif marker is not None and marker.kind == "number" and marker.level == 2:
            state.last_number = int(marker.ident)
        blocks.append(line)
        prev = line
    # Blocks are joined from stripped lines, so splitting on whitespace and joining with one space
    # is the same as collapsing whitespace runs, and faster than a regex.
    return "\n".join(" ".join(block.split()) for block in blocks)


# --------------------------------------------------------------------------- sentences


def _is_abbreviation(before: str) -> bool:
    token = before.rsplit(None, 1)[-1] if before.strip() else ""
    token = token.strip("*“\"(").rstrip(".").casefold()
    return token in ABBREVIATIONS


def split_sentences(block: str) -> list[str]:
    """Split one paragraph/item into sentences; list markers and abbreviations never end one, a
    photo credit stays with its caption, and items run on after "như sau:" are split off."""
    if ": " in block and ") " in block and _INLINE_LIST.search(block):
        return [sentence for part in _INLINE_LIST.split(block) for sentence in split_sentences(part)]
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(block):
        end = match.end()
        nxt = _first_char(block[end:end + 3])
        if not nxt or not (nxt.isupper() or nxt.isdigit()):
            continue
        piece = block[start:end]
        if _MARKERS_ONLY.fullmatch(piece) or _is_abbreviation(block[start:match.start() + 1]) \
                or _CREDIT_NEXT.match(block, end) or _PART_LABEL.fullmatch(piece):
            continue
        sentences.append(piece.strip())
        start = end
    tail = block[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


# --------------------------------------------------------------------------- headings, roles


def _strip_marker(text: str) -> str:
    """``text`` without its leading list markers and bullets ("1. 3. ", "- ")."""
    return _LEADING_MARKERS.sub("", text, count=1)


def _first_cue(text: str, table: Iterable[tuple[str, re.Pattern[str]]]) -> tuple[int, str | None]:
    """Position and role of the earliest-matching cue in ``text`` (ties: table order)."""
    best: tuple[int, int, str | None] = (len(text), 0, None)
    for rank, (role, pattern) in enumerate(table):
        match = pattern.search(text)
        if match and (match.start(), rank) < best[:2]:
            best = (match.start(), rank, role)
    return best[0], best[2]


_HEADING_CUES = tuple((role, re.compile(pattern)) for role, pattern in HEADING_ROLE_CUES)
_LEADIN_CUES = tuple((role, re.compile(pattern)) for role, pattern in LEADIN_ROLE_CUES)
_SENTENCE_CUES = tuple((role, re.compile(pattern).match if pattern.startswith("^") else re.compile(pattern).search)
                       for role, pattern in SENTENCE_ROLE_CUES)


def _cue_text(text: str) -> str:
    """Folded text without its list marker, as the cue tables expect."""
    return fold_normalized(_strip_marker(text)).strip("* ")


def heading_role(text: str, folded: str | None = None) -> str | None:
    """Role a heading announces ("2. Tồn tại, hạn chế" -> shortcoming), or None."""
    folded = _cue_text(text) if folded is None else folded
    return _first_cue(folded.strip(": "), _HEADING_CUES)[1]


def leadin_role(text: str, folded: str | None = None) -> str | None:
    """Role a lead-in sentence announces ("Bên cạnh đó, vẫn còn ..." -> shortcoming), or None."""
    folded = _cue_text(text) if folded is None else folded
    clauses = [folded] + [part.strip() for part in folded.split(":")[1:] if part.strip()]
    for role, pattern in _LEADIN_CUES:
        if any(pattern.search(clause) for clause in clauses):
            return role
    return None


def sentence_role(text: str, folded: str | None = None) -> str | None:
    """Role a news or prose sentence states by what it does ("... đạt 99,5%" -> achievement,
    "Giám đốc Sở đề nghị các trường ..." -> task, "Sở tổ chức hội nghị ..." -> context), or None."""
    folded = _cue_text(text) if folded is None else folded
    for role, find in _SENTENCE_CUES:
        # A purpose clause ("để được công nhận đạt chuẩn") states an aim, not a result.
        purposeful = role == "achievement" and ("để" in folded or "nhằm" in folded)
        found = find(_PURPOSE.sub("", folded) if purposeful else folded)
        if found:
            # What the sector will do, said before a problem it names ("tỉnh sẽ rà soát để bổ sung
            # giáo viên ở các môn còn thiếu"), is a task; a problem said first stays a problem.
            if role == "shortcoming" and _WILL_ACT.search(folded, 0, found.start()):
                return "task"
            return role
    return None


def heading_level(block: str, n_sentences: int) -> float | None:
    """Heading level of a block (None when it is not a heading)."""
    marker = parse_marker(block)
    body = _strip_marker(block).strip()
    open_end = not _closed(body)
    if marker is not None and (marker.kind != "bullet" or marker.ident == "*"):
        if n_sentences == 1 and open_end and len(body.split()) <= 30:
            return marker.level
        return None
    if marker is None and n_sentences == 1 and open_end and _is_all_caps(body):
        return 0.0
    # An unmarked short line is a heading only when it opens with a cue ("Kết quả đạt được").
    if marker is None and n_sentences == 1 and open_end and len(body.split()) <= 10:
        position, role = _first_cue(fold_normalized(body).strip(": "), _HEADING_CUES)
        # Deepest level: it never closes the numbered section it sits in.
        return UNMARKED_HEADING_LEVEL if role and position <= UNMARKED_HEADING_CUE_START else None
    return None


@dataclass
class _Unit:
    text: str
    heading: float | None
    marker: Marker | None
    folded: str = ""
    prose: bool = False  # a finished sentence of an unmarked paragraph (not a list item)
    caption: bool = False


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    after_type_heading = False
    for block in join_broken_lines(split_header_columns(drop_debris(text))).split("\n"):
        sentences = split_sentences(block)
        # The subject line under the type heading ("KẾ HOẠCH / TRIỂN KHAI ...") is a title.
        level = None if after_type_heading else heading_level(block, len(sentences))
        after_type_heading = _is_doc_type_heading(block)
        marker = parse_marker(block)
        for index, sentence in enumerate(sentences):
            first = index == 0
            units.append(_Unit(sentence, level if first else None, marker if first else None,
                               _cue_text(sentence) if first else fold_normalized(sentence),
                               prose=marker is None and _closed(sentence)))
    return units


def is_photo_caption(folded: str) -> bool:
    """A news photo's caption (folded text): a scene, a credit, or a speaker named with no words."""
    return bool(CAPTION.match(folded) or "ảnh" in folded and PHOTO_CREDIT.search(folded)
                or "phát biểu" in folded and SPEAKER_CAPTION.match(folded))


def _mark_captions(units: list[_Unit]) -> None:
    """Flag photo captions, and the line just above a photo credit line ("Ảnh: ...")."""
    for index, unit in enumerate(units):
        if unit.marker is None and len(unit.text.split()) <= MAX_CAPTION_WORDS and is_photo_caption(unit.folded):
            unit.caption = True
            if unit.folded.lstrip("(").startswith("ảnh") and index and units[index - 1].heading is None:
                units[index - 1].caption = True


def _sections(units: list[_Unit], closing: list[bool]) -> list[str]:
    """Heading path of every unit ("II.3"), from roman, numbered and lettered markers.

    An unmarked heading and the closing part ("Trên đây là", "Nơi nhận") reset the path.
    """
    path: list[tuple[float, str]] = []
    out = []
    for unit, closed in zip(units, closing):
        marker = unit.marker
        if closed or unit.heading == 0.0:
            path = []
        elif marker is not None and marker.kind != "bullet":
            path = [entry for entry in path if entry[0] < marker.level] + [(marker.level, marker.ident)]
        out.append(".".join(ident for _, ident in path))
    return out


class _RoleTracker:
    """Walks passages in order: headings push roles, lead-ins switch them, the closing ends them."""

    def __init__(self, news: bool = False) -> None:
        self.news = news  # roles come sentence by sentence where no heading governs
        self.stack: list[tuple[float, str | None]] = []
        self.current = "context"
        self.opened = False  # a passage with another role than context was seen
        self.closing = False
        self.closed: list[bool] = []  # per passage: inside the closing part

    def _heading_governs(self) -> str | None:
        roles = [role for _, role in self.stack if role]
        return roles[-1] if roles else None

    def role(self, unit: _Unit) -> str:
        ends = bool(CLOSING_PASSAGE.search(unit.folded))
        news_end = ends and self.news and unit.prose and bool(BODY_END.search(unit.folded)) \
            and not unit.folded.startswith(("trên đây là", "nơi nhận"))
        self.closing = self.closing or ends and not news_end
        self.closed.append(self.closing)
        role = "context" if self.closing else self._open_role(unit)
        self.closing = self.closing or ends
        self.opened = self.opened or role != "context"
        return role

    def _open_role(self, unit: _Unit) -> str:
        if CONTEXT_PASSAGE.search(unit.folded) or unit.caption:  # letterhead, legal basis, photo caption
            return "context"
        if unit.heading is not None:
            self.stack = [entry for entry in self.stack if entry[0] < unit.heading]
            role = heading_role(unit.text, unit.folded)
            if unit.heading == UNMARKED_HEADING_LEVEL and role != "achievement" \
                    and sentence_role(unit.text, unit.folded) == "achievement":
                role = "achievement"  # a heading that states a result: "Nhiều chỉ tiêu được giữ vững"
            self.stack.append((unit.heading, role))
            self.current = self._heading_governs() or self.current
            return self.current
        if ARTICLE.match(unit.folded):
            self.current = "task" if ARTICLE_DUTIES.search(unit.folded) else "context"
            self.stack = [(ARTICLE_LEVEL, self.current)]
            return self.current
        if self._is_intro(unit):
            # What the intro announces: guidance ("hướng dẫn ... như sau:") is a list of
            # directions, "đạt được những kết quả sau:" a list of results.
            self.current = ("task" if GUIDANCE_INTRO.search(unit.folded) or CONCLUSIONS_INTRO.search(unit.folded)
                            else "achievement" if RESULTS_INTRO.search(unit.folded) else "context")
            return "context"
        if self.news and self._is_subheading(unit):
            # A news sub-heading with no cue of its own ends the part a cue sub-heading opened;
            # the sentences after it carry their own roles again.
            self.stack = [entry for entry in self.stack if entry[0] < UNMARKED_HEADING_LEVEL]
        cue = leadin_role(unit.text, unit.folded)
        governs = self._heading_governs()
        if cue and governs not in ("proposal", "context"):
            self.current = cue
        elif self.news and governs is None and unit.prose and not unit.folded.endswith(":"):
            self.current = (sentence_role(unit.text, unit.folded)
                            or ("task" if DIRECTIVE_SENTENCE.match(unit.folded) else self.current))
        elif governs is None and unit.prose and DIRECTIVE_SENTENCE.match(unit.folded):
            self.current = "task"
        elif governs == "task" and QUANTIFIED_AIM.match(unit.folded):
            return "target"  # this item only: the items after it are tasks again
        elif self.current == "shortcoming" and _HARDSHIP.match(_strip_marker(unit.folded)):
            return "context"  # this item only: an outside hardship among the failings
        return self.current

    def _is_subheading(self, unit: _Unit) -> bool:
        return self.opened and not unit.folded.endswith(":") and _reads_as_news_subheading(unit)

    def _is_intro(self, unit: _Unit) -> bool:
        """The sentence that introduces the document ("... xây dựng Kế hoạch ... như sau:")."""
        if not unit.folded.endswith(":") or self._heading_governs() is not None:
            return False
        return bool(INTRO_CONTEXT.search(unit.folded) or not self.opened
                    and (DOCUMENT_INTRO.search(unit.folded) or RESULTS_INTRO.search(unit.folded)
                         or CONCLUSIONS_INTRO.search(unit.folded)))


def _reads_as_news_subheading(unit: _Unit) -> bool:
    """A short unmarked line without a sentence end that is neither a heading nor a photo caption
    (a bulleted item is a list item, whatever its end)."""
    return (unit.heading is None and unit.marker is None and not unit.prose and not unit.caption
            and len(unit.text.split()) <= MAX_SUBHEADING_WORDS)


def _news_subheading_roles(units: list[_Unit], roles: list[str]) -> list[str]:
    """In a news post, a sub-heading (a short line without a sentence end, after the lead) takes
    the role of the part it opens: the role of the passage after it."""
    first_prose = next((index for index, unit in enumerate(units) if unit.prose), len(units))
    out = list(roles)
    for index in range(len(units) - 2, first_prose, -1):  # backwards: a run of lines follows the text
        if _reads_as_news_subheading(units[index]):
            out[index] = out[index + 1]
    return out


_PART_LINE = re.compile(r"^(?:phần|chương|mục)\s+(?:[ivx]{1,6}|\d{1,2}|thứ (?:nhất|hai|ba|tư|năm|sáu))\s*[.:]?$")


def _part_label_roles(units: list[_Unit], roles: list[str]) -> list[str]:
    """A part label on a line of its own ("Phần II" over "MỤC TIÊU") takes the role of the part it
    opens: the role of the heading under it."""
    out = list(roles)
    for index in range(len(units) - 2, -1, -1):
        if _PART_LINE.match(units[index].folded):
            out[index] = out[index + 1]
    return out


def _is_administrative(units: list[_Unit]) -> bool:
    """Whether the text opens like an administrative document (type heading, number, motto ...)."""
    # The type name stands in capitals (a site menu's "Kế hoạch" or "Thông báo" does not count).
    return any(ADMINISTRATIVE_MARK.match(unit.folded) or unit.text.isupper() and _is_doc_type_heading(unit.text)
               for unit in units[:ADMINISTRATIVE_MARK_UNITS])


def _trailing_byline(units: list[_Unit]) -> int:
    """Number of short unpunctuated lines at the very end (signature, byline)."""
    count = 0
    for unit in reversed(units):
        if len(unit.text.split()) > 6 or _TERMINAL.search(unit.text):
            break
        count += 1
    return count


def passage_columns(text: str, doc_id: str) -> dict[str, list]:
    """The passages of ``text`` as a mapping column -> list (PASSAGE_COLUMNS).

    Ingesting thousands of documents builds one DataFrame from these lists at the end,
    which is several times cheaper than one small DataFrame per document.
    """
    units = _units(unicodedata.normalize("NFC", text))
    news = not _is_administrative(units)
    if news:  # photo captions are a news page's
        _mark_captions(units)
    tracker = _RoleTracker(news=news)
    roles = [tracker.role(unit) for unit in units]
    if tracker.news:
        roles = _news_subheading_roles(units, roles)
    roles = _part_label_roles(units, roles)
    byline = _trailing_byline(units)
    if byline:
        roles[len(roles) - byline:] = ["context"] * byline
    return {
        "doc_id": [doc_id] * len(units),
        "passage_id": list(range(1, len(units) + 1)),
        "section": _sections(units, tracker.closed),
        "role": roles,
        "text": [unit.text for unit in units],
    }


def split_passages(text: str, doc_id: str) -> pd.DataFrame:
    """Split normalised ``text`` into passages with section path and role (PASSAGE_COLUMNS)."""
    frame = pd.DataFrame(passage_columns(text, doc_id), columns=PASSAGE_COLUMNS)
    return frame.astype({"passage_id": "int64"})
