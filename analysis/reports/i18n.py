"""Words for readers: every heading, label, sentence and note of the reports in Vietnamese or
English, role and topic names, and numbers formatted the way each language writes them
(Vietnamese: "6,3%", "1.234"; English: "6.3%", "1,234")."""

from __future__ import annotations

import math
from collections.abc import Mapping

LANGS = ("vi", "en")
# Vietnamese first: the notices are Vietnamese and so are most readers of a province's report.
DEFAULT_LANG = "vi"

ROLE_NAMES = {
    "vi": {"achievement": "kết quả đạt được", "shortcoming": "hạn chế, tồn tại", "task": "nhiệm vụ",
           "target": "chỉ tiêu", "proposal": "đề xuất, kiến nghị", "context": "căn cứ, thủ tục"},
    "en": {"achievement": "achievements", "shortcoming": "shortcomings", "task": "tasks",
           "target": "targets", "proposal": "proposals", "context": "context"},
}
KIND_NAMES = {
    "vi": {"percent": "tỷ lệ", "score": "điểm", "ranking": "xếp hạng", "count": "số lượng"},
    "en": {"percent": "percentage", "score": "score", "ranking": "ranking", "count": "count"},
}
DOC_TYPE_NAMES = {
    "vi": {"thong_bao": "thông báo", "ke_hoach": "kế hoạch", "cong_van": "công văn", "bao_cao": "báo cáo",
           "quyet_dinh": "quyết định", "tin_bai": "tin bài", "other": "khác"},
    "en": {"thong_bao": "notice", "ke_hoach": "plan", "cong_van": "letter", "bao_cao": "report",
           "quyet_dinh": "decision", "tin_bai": "news item", "other": "other"},
}

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "province_title": "Báo cáo tỉnh {province}",
        "comparison_title": "So sánh các tỉnh",
        "index_title": "Báo cáo giaoban",
        "subtitle": "{n_docs} văn bản · kỳ {periods}",
        "summary": "Tóm tắt",
        "documents": "Văn bản",
        "profile": "Chủ đề theo phần của văn bản, so với các tỉnh khác",
        "profile_note": ("Mỗi số đếm là một liên kết tới các đoạn văn được đếm. Tỷ lệ: phần trăm số đoạn "
                         "thuộc phần đó có nhắc chủ đề, kèm khoảng tin cậy 95% (Wilson). Không tính các đoạn "
                         "căn cứ, nơi nhận, chữ ký."),
        "evidence": "Bằng chứng: các đoạn văn được đếm",
        "evidence_note": ("Mỗi đoạn văn xuất hiện một lần, với mọi chủ đề và phần của nó; từ khớp được tô "
                          "màu. Liên kết “tiếp” dẫn tới đoạn sau trong cùng số đếm."),
        "keyness": "Từ ngữ đặc trưng",
        "keyness_note": ("Từ ghép và cụm hai từ mà tỉnh dùng nhiều hơn các tỉnh khác (log-likelihood G², "
                         "p < 0,05, và log ratio ≥ {min_log_ratio}: ít nhất gấp đôi), có trong ít nhất "
                         "{min_passages} đoạn của tỉnh và {min_docs} văn bản của kho; bỏ danh sách từ dừng "
                         "và từ ngữ hành chính chung."),
        "single_document": ("Lưu ý: tỉnh này chỉ có một văn bản, nên không thể phân biệt cách viết của "
                            "người soạn với đặc điểm của tỉnh."),
        "no_terms": "Không có từ ngữ nào đạt các ngưỡng trên.",
        "indicators": "Chỉ số",
        "indicators_note": "Các con số văn bản nêu, giữ nguyên cách viết, kèm giá trị đã đọc và đoạn văn gốc.",
        "no_indicators": "Văn bản không nêu chỉ số nào.",
        "provenance": "Nguồn gốc",
        "figures": "Biểu đồ",
        "small_n_note": "† Ít hơn {min_passages} đoạn: tỷ lệ không chắc chắn, không xếp hạng.",
        "ocr_note": "◊ Văn bản nhận dạng từ ảnh quét (OCR): có thể sai chữ.",
        "next": "tiếp",
        "of": "trên",
        "none": "—",
        "more_passages": "… và {n} đoạn nữa (xem báo cáo của tỉnh).",
        # summary sentences
        "s_weight": "Chủ đề được nhắc nhiều nhất: {items}.",
        "s_weight_item": "{topic} ({numbers}), chủ yếu trong phần {role}",
        "s_diff": ("Khác biệt lớn nhất so với các tỉnh khác: {topic} xuất hiện trong {numbers} đoạn "
                   "thuộc phần {role} ({share}); trung bình của các tỉnh khác là {others}."),
        "n_of_passages": "{k} trên {n} đoạn, {share}",
        "n_of": "{k} trên {n}",
        "s_results": "Nêu là kết quả: {items}.",
        "s_problems": "Nêu là hạn chế: {items}.",
        "s_tasks": "Giao nhiệm vụ về: {items}.",
        "s_item": "{topic} ({k})",
        "s_nothing": "không chủ đề nào",
        "s_limits_one": ("Giới hạn: báo cáo dựa trên một văn bản duy nhất, nên các tỷ lệ mô tả văn bản đó "
                         "hơn là cả tỉnh."),
        "s_limits_many": "Giới hạn: báo cáo dựa trên {n} văn bản.",
        "s_small": " Phần {roles} có ít hơn {min_passages} đoạn (†): đừng so sánh các tỷ lệ này.",
        "s_none": "Văn bản của tỉnh không nhắc chủ đề nào trong bộ mã.",
        # table headers
        "h_topic": "Chủ đề", "h_role": "Phần của văn bản", "h_passages": "Số đoạn có chủ đề",
        "h_role_passages": "Số đoạn của phần", "h_share": "Tỷ lệ", "h_ci": "Khoảng tin cậy 95%",
        "h_others": "Trung bình các tỉnh khác", "h_doc": "Văn bản", "h_title": "Tiêu đề", "h_type": "Loại",
        "h_date": "Ngày", "h_period": "Kỳ", "h_words": "Số từ", "h_term": "Từ ngữ",
        "h_uses": "Số lần dùng", "h_uses_others": "Số lần ở tỉnh khác", "h_term_passages": "Số đoạn",
        "h_term_docs": "Số văn bản (cả kho)", "h_g2": "G²", "h_p": "p", "h_log_ratio": "Log ratio",
        "h_subject": "Nội dung", "h_as_written": "Như văn bản viết", "h_value": "Giá trị",
        "h_unit": "Đơn vị", "h_kind": "Loại chỉ số", "h_comparator": "So sánh", "h_evidence": "Đoạn văn",
        "h_item": "Mục", "h_group": "Tỉnh", "h_docs": "Số văn bản", "h_all_passages": "Số đoạn",
        "h_per_1000": "Số lần nhắc / 1.000 từ", "h_similarity": "Độ tương đồng (cosine)",
        "h_report": "Báo cáo", "h_status": "Trạng thái", "h_top_topics": "Chủ đề nổi bật",
        "h_rendered": "Ngày tạo (UTC)", "h_time": "Thời gian", "h_error": "Lỗi", "h_audit": "Kiểm tra",
        # provenance
        "p_kit": "phiên bản bộ công cụ", "p_commit": "git commit", "p_corpus": "kho văn bản",
        "p_corpus_hash": "mã băm kho", "p_documents": "số văn bản", "p_codebook": "bộ mã chủ đề",
        "p_codebook_hash": "mã băm bộ mã", "p_parameters": "tham số", "p_started": "bắt đầu (UTC)",
        "p_ran": "thời gian chạy", "p_not_git": "(không phải bản git)",
        # comparison
        "c_groups": "{n} tỉnh ({names}), {n_docs} văn bản.",
        "c_profile": "Tỷ lệ chủ đề theo tỉnh",
        "c_profile_note": ("Phần trăm số đoạn của tỉnh có nhắc chủ đề (không tính đoạn căn cứ, thủ tục), "
                           "kèm khoảng tin cậy 95%. Mỗi số đếm dẫn tới các đoạn văn."),
        "c_roles": "Chủ đề theo phần của văn bản",
        "c_roles_note": "Số đoạn có chủ đề trong mỗi phần: tỉnh nêu chủ đề là kết quả, hạn chế hay nhiệm vụ?",
        "c_similarity": "Mức tương đồng giữa các tỉnh",
        "c_similarity_note": "Cosine của các vectơ tỷ lệ chủ đề (1 = giống hệt).",
        "c_timeline": "Theo thời gian",
        "c_timeline_note": "Tỷ lệ chủ đề theo kỳ của văn bản.",
        "c_summary_top": "{group}: chủ đề nhiều nhất là {topic} ({numbers}).",
        "c_summary_spread": ("Chủ đề khác nhau nhiều nhất giữa các tỉnh: {topic}, từ {low} ({low_group}) "
                             "đến {high} ({high_group})."),
        "c_summary_limits": "Giới hạn: {n_docs} văn bản cho {n} tỉnh; tỉnh có ít đoạn được đánh dấu †.",
        # index
        "i_summary": "{n} báo cáo, {failed} lỗi",
        "i_stale": ", {stale} cũ",
        "stale_reason": "cũ — tỉnh không còn trong kho văn bản",
        "i_failed": "Báo cáo bị lỗi",
        "i_written": "trang tạo lúc {time} · bộ công cụ {version}",
        "status_ok": "xong", "status_skipped": "không đổi", "status_failed": "lỗi", "status_stale": "cũ",
        "kind_province": "tỉnh", "kind_comparison": "so sánh",
        "i_notebook": "sổ Jupyter",
        # figures
        "f_others": "Trung bình các tỉnh khác",
        "f_role_share": "tỷ lệ trong số đoạn của phần",
        "f_alt_profile": ("Biểu đồ cột: tỷ lệ đoạn văn nhắc mỗi chủ đề trong từng phần của văn bản, {province} "
                          "bên trái, trung bình các tỉnh khác bên phải. Cao nhất ở {province}: {top}."),
        "f_g2": "log-likelihood G²",
        "f_alt_keyness": "Biểu đồ cột: G² của các từ ngữ đặc trưng của {group}: {terms}.",
        "f_share": "tỷ lệ số đoạn",
        "f_alt_heatmap": "Bản đồ nhiệt: tỷ lệ đoạn văn nhắc mỗi chủ đề, theo tỉnh (hàng) và chủ đề (cột). {top}",
        "f_alt_timeline": "Biểu đồ đường: tỷ lệ đoạn nhắc {topic} theo kỳ, mỗi tỉnh một đường.",
        "f_alt_dendrogram": "Cây phân cụm: các tỉnh gần nhau khi tỷ lệ chủ đề của chúng giống nhau.",
        "f_distance": "khoảng cách cosine",
    },
    "en": {
        "province_title": "Province report: {province}",
        "comparison_title": "Province comparison",
        "index_title": "giaoban reports",
        "subtitle": "{n_docs} document(s) · periods {periods}",
        "summary": "Summary",
        "documents": "Documents",
        "profile": "Topics by part of the notice, against the other provinces",
        "profile_note": ("Every count links to the passages it counts. Share: the percentage of the "
                         "passages of that part that mention the topic, with its 95% (Wilson) interval. "
                         "Legal basis, recipients and signatures are left out."),
        "evidence": "Evidence: the passages behind the counts",
        "evidence_note": ("Each passage appears once, with all its topics and roles; matched words are "
                          "highlighted. A “next” link goes to the next passage of the same count."),
        "keyness": "Distinctive terms",
        "keyness_note": ("Compound words and two-word phrases this province uses more than the others "
                         "(log-likelihood G², p < 0.05, and log ratio ≥ {min_log_ratio}: at least twice as "
                         "often), in at least {min_passages} of its passages and {min_docs} documents of the "
                         "corpus; stop words and administrative boilerplate left out."),
        "single_document": ("Note: this province has a single document, so its author's style cannot be "
                            "told apart from the province's emphasis."),
        "no_terms": "No term passes these thresholds.",
        "indicators": "Indicators",
        "indicators_note": "Numbers the notices state, exactly as written, with the value read and the passage.",
        "no_indicators": "The notices state no indicator.",
        "provenance": "Provenance",
        "figures": "Figures",
        "small_n_note": "† Fewer than {min_passages} passages: the share is uncertain and not ranked.",
        "ocr_note": "◊ Document read from a scan (OCR): words may be misread.",
        "next": "next",
        "of": "of",
        "none": "—",
        "more_passages": "… and {n} more passages (see the province's report).",
        "s_weight": "Topics mentioned most: {items}.",
        "s_weight_item": "{topic} ({numbers}), mostly among {role}",
        "s_diff": ("Largest difference from the other provinces: {topic} appears in {numbers} passages "
                   "of the {role} ({share}); the other provinces' average is {others}."),
        "n_of_passages": "{k} of {n} passages, {share}",
        "n_of": "{k} of {n}",
        "s_results": "Reported as results: {items}.",
        "s_problems": "Reported as problems: {items}.",
        "s_tasks": "Tasks set on: {items}.",
        "s_item": "{topic} ({k})",
        "s_nothing": "no topic",
        "s_limits_one": ("Limits: this report rests on a single document, so its shares describe that "
                         "document more than the province."),
        "s_limits_many": "Limits: this report rests on {n} documents.",
        "s_small": " The {roles} part(s) have fewer than {min_passages} passages (†): do not compare these shares.",
        "s_none": "The province's notices mention no topic of the codebook.",
        "h_topic": "Topic", "h_role": "Part of the notice", "h_passages": "Passages with the topic",
        "h_role_passages": "Passages in the part", "h_share": "Share", "h_ci": "95% interval",
        "h_others": "Other provinces' average", "h_doc": "Document", "h_title": "Title", "h_type": "Type",
        "h_date": "Date", "h_period": "Period", "h_words": "Words", "h_term": "Term",
        "h_uses": "Uses", "h_uses_others": "Uses elsewhere", "h_term_passages": "Passages",
        "h_term_docs": "Documents (corpus)", "h_g2": "G²", "h_p": "p", "h_log_ratio": "Log ratio",
        "h_subject": "Subject", "h_as_written": "As written", "h_value": "Value",
        "h_unit": "Unit", "h_kind": "Kind", "h_comparator": "Comparison", "h_evidence": "Passage",
        "h_item": "Item", "h_group": "Province", "h_docs": "Documents", "h_all_passages": "Passages",
        "h_per_1000": "Mentions per 1,000 words", "h_similarity": "Similarity (cosine)",
        "h_report": "Report", "h_status": "Status", "h_top_topics": "Top topics",
        "h_rendered": "Rendered (UTC)", "h_time": "Time", "h_error": "Error", "h_audit": "Audit",
        "p_kit": "kit version", "p_commit": "git commit", "p_corpus": "corpus",
        "p_corpus_hash": "corpus hash", "p_documents": "documents", "p_codebook": "codebook",
        "p_codebook_hash": "codebook hash", "p_parameters": "parameters", "p_started": "started (UTC)",
        "p_ran": "ran for", "p_not_git": "(not a git checkout)",
        "c_groups": "{n} provinces ({names}), {n_docs} documents.",
        "c_profile": "Topic share by province",
        "c_profile_note": ("Percentage of each province's passages (legal basis and formalities left out) "
                           "that mention the topic, with its 95% interval. Every count links to its passages."),
        "c_roles": "Topics by part of the notice",
        "c_roles_note": "Passages on each topic in each part: a result, a shortcoming or a task?",
        "c_similarity": "How similar the provinces are",
        "c_similarity_note": "Cosine of the topic-share vectors (1 = identical).",
        "c_timeline": "Over time",
        "c_timeline_note": "Topic share by the period of the documents.",
        "c_summary_top": "{group}: most mentioned topic {topic} ({numbers}).",
        "c_summary_spread": ("The topic that differs most between provinces: {topic}, from {low} "
                             "({low_group}) to {high} ({high_group})."),
        "c_summary_limits": "Limits: {n_docs} documents for {n} provinces; provinces with few passages are marked †.",
        "i_summary": "{n} report(s), {failed} failed",
        "i_stale": ", {stale} stale",
        "stale_reason": "stale — not in the corpus any more",
        "i_failed": "Failed reports",
        "i_written": "page written {time} · kit {version}",
        "status_ok": "ok", "status_skipped": "unchanged", "status_failed": "failed", "status_stale": "stale",
        "kind_province": "province", "kind_comparison": "comparison",
        "i_notebook": "notebook",
        "f_others": "Average of the other provinces",
        "f_role_share": "share of the part's passages",
        "f_alt_profile": ("Bar chart: share of passages mentioning each topic in each part of the notices, "
                          "{province} on the left, the other provinces' average on the right. Highest in "
                          "{province}: {top}."),
        "f_g2": "log-likelihood G²",
        "f_alt_keyness": "Bar chart: G² of the distinctive terms of {group}: {terms}.",
        "f_share": "share of passages",
        "f_alt_heatmap": ("Heat map: share of passages mentioning each topic, by province (rows) and topic "
                          "(columns). {top}"),
        "f_alt_timeline": "Line chart: share of passages mentioning {topic} by period, one line per province.",
        "f_alt_dendrogram": "Dendrogram: provinces join early when their topic shares are alike.",
        "f_distance": "cosine distance",
    },
}


def check_lang(lang: str) -> str:
    """``lang`` if the reports speak it, else one line naming the parameter and the choices."""
    from analysis.reports.params import ReportParameterError

    if lang not in LANGS:
        raise ReportParameterError(f"unknown lang {lang!r}; valid values: {', '.join(LANGS)}")
    return lang


def text(lang: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``lang`` with ``values`` filled in."""
    return TEXT[lang][key].format(**values)


def role_name(lang: str, role: str) -> str:
    """The reader's name of a section role."""
    return ROLE_NAMES[lang].get(role, role)


def topic_labels(codebook, lang: str) -> dict[str, str]:
    """Topic id -> the codebook's label in ``lang`` (the id when the label is empty)."""
    return {t.id: (t.label_vi if lang == "vi" else t.label_en) or t.id for t in codebook.topics}


# --------------------------------------------------------------------------- numbers


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """``value`` with ``decimals`` digits after the mark: "1.234,5" (vi), "1,234.5" (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def _percent_digits(percent: float) -> int:
    """One decimal below 10% (6.3%, 1.1%), none from 10% on (28%): two significant digits."""
    return 1 if 0 < abs(percent) < 9.95 else 0


def format_percent(share: float, lang: str, sign: bool = True) -> str:
    """A share (0..1) as a percentage: "6,3%" (vi), "6.3%" (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    percent = 100 * share
    return format_number(percent, lang, _percent_digits(percent)) + ("%" if sign else "")


def format_interval(low: float, high: float, lang: str) -> str:
    """"1,1–28%" (vi), "1.1–28%" (en)."""
    return f"{format_percent(low, lang, sign=False)}–{format_percent(high, lang)}"


def format_share(share: float, low: float, high: float, lang: str) -> str:
    """"6,3% (1,1–28%)" (vi), "6.3% (1.1–28%)" (en): the share and its 95% interval."""
    return f"{format_percent(share, lang)} ({format_interval(low, high, lang)})"


def join_items(items: list[str], lang: str) -> str:
    """"a, b và c" (vi), "a, b and c" (en)."""
    if len(items) <= 1:
        return "".join(items)
    word = " và " if lang == "vi" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def names(mapping: Mapping[str, Mapping[str, str]], lang: str, key: str) -> str:
    """A name from one of the name tables above (the key itself when unknown)."""
    return mapping[lang].get(key, key)
