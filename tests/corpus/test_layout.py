"""Metadata from the rules of the genre (issue 9): each rule on text written for its test.

Administrative documents follow Nghị định 30/2020/NĐ-CP (number and symbol, place-and-date line,
type name, issuing block), also when a web copy flattens them; news posts have a headline, a
publication line or dateline and a lead. None of these texts is taken from a labelled document.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.corpus.checks import CHECK_COLUMNS, check_list, format_check_list, write_check_list
from analysis.corpus.ingest import Problem
from analysis.corpus.layout import read_layout
from analysis.corpus.metadata import apply_manifest, extract_metadata, extract_period, period_mentions, province_clues
from analysis.corpus.passages import split_passages
from analysis.text.normalize import normalize_text


def meta_of(raw: str) -> dict:
    text = normalize_text(raw)
    return extract_metadata(text, split_passages(text, "doc"))


def letterhead(body: str, issuer: str = "UBND TỈNH QUẢNG NAM\nSỞ GIÁO DỤC VÀ ĐÀO TẠO") -> str:
    return f"{issuer}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n{body}"


# --------------------------------------------------------------------------- administrative form


@pytest.mark.parametrize("number, subject, doc_type", [
    ("Số: 12/KH-SGDĐT", "", "ke_hoach"),
    ("Số: 5/QĐ-SGDĐT", "", "quyet_dinh"),
    ("Số: 88/TTr-SGDĐT", "", "other"),  # a submission (tờ trình) is none of the kit's types
    ("Số:    /BC-SGDĐT", "", "bao_cao"),  # number left blank on an unsigned copy
    ("Số: 301/SGDĐT-TCCB", "V/v rà soát đội ngũ giáo viên", "cong_van"),  # no type abbreviation
])
def test_the_number_symbol_tells_the_type(number: str, subject: str, doc_type: str) -> None:
    meta = meta_of(letterhead(f"{number}\n{subject}\nQuảng Nam, ngày 3 tháng 5 năm 2021\n"
                              "Các đơn vị triển khai thực hiện các nội dung trên."))
    assert (meta["doc_type"], meta["doc_type_source"]) == (doc_type, "text")
    assert number.split("/")[-1] in meta["doc_type_evidence"] or meta["doc_type_evidence"] == "V/v"


@pytest.mark.parametrize("head", [
    "Số: 7/TB-UBND Quảng Nam, ngày 3 tháng 5 năm 2021",  # both columns on one line
    "| Số: 7/TB-UBND | Quảng Nam, ngày 3 tháng 5 năm 2021 |",  # table pipes
    "Số:\n7/TB-UBND\nQuảng\nNam,\nngày\n3\ntháng\n5\nnăm\n2021",  # one word per line
    "Số: 7/TB-UBND\nQuảng Nam, ngày 03/5/2021",  # the date written in figures
])
def test_the_place_and_date_line_is_read_from_a_flattened_copy(head: str) -> None:
    layout = read_layout(normalize_text(letterhead(f"{head}\nTHÔNG BÁO\nKết luận của Giám đốc Sở")))
    assert layout.place_date.value == "2021-05-03"
    assert layout.place_date.evidence.startswith("Quảng Nam, ngày 03/5" if "03/5" in head else "Quảng Nam, ngày 3")
    assert layout.number.value == "thong_bao"


def test_an_official_letter_title_is_its_subject_without_the_motto() -> None:
    meta = meta_of("UBND TỈNH QUẢNG NAM\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 301/SGDĐT-TCCB\n"
                   "V/v rà soát đội ngũ giáo viên năm học 2022-2023 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                   "Độc lập - Tự do - Hạnh phúc\nQuảng Nam, ngày 3 tháng 5 năm 2022\nKính gửi: Các trường.")
    assert meta["title"] == "V/v rà soát đội ngũ giáo viên năm học 2022-2023"
    assert (meta["doc_type"], meta["period"], meta["date"]) == ("cong_van", "2022-2023", "2022-05-03")


def test_a_blank_date_of_issue_is_unknown_and_listed() -> None:
    meta = meta_of(letterhead("Số:   /KH-SGDĐT\nQuảng Nam, ngày    tháng    năm 2023\nKẾ HOẠCH\n"
                              "Bồi dưỡng giáo viên năm học 2023-2024\nI. MỤC ĐÍCH"))
    assert (meta["date"], meta["date_source"]) == ("", "unknown")
    assert "date: the date of issue is left blank" in meta["check"]
    assert meta["period"] == "2023-2024"  # the year of the blank date line is not the period


def test_a_conclusion_notice_without_a_date_of_issue_takes_the_meeting_date() -> None:
    meta = meta_of(letterhead("Số:   /TB-SGDĐT\nQuảng Nam, ngày    tháng    năm 2023\nTHÔNG BÁO\n"
                              "Kết luận của Giám đốc Sở tại hội nghị giao ban\n"
                              "Ngày 14/3/2023, Sở Giáo dục và Đào tạo tổ chức hội nghị giao ban quý I/2023."))
    assert (meta["date"], meta["period"]) == ("2023-03-14", "2023-Q1")


def test_any_other_notice_without_a_date_of_issue_has_none() -> None:
    """The dates a schedule notice announces are not its date of issue."""
    meta = meta_of(letterhead("Số:   /TB-SGDĐT\nQuảng Nam, ngày    tháng    năm 2022\nTHÔNG BÁO\n"
                              "Về lịch tựu trường\n1. Thứ Hai, ngày 29/8/2022: học sinh lớp 6 tựu trường.\n"
                              "2. Thứ Tư, ngày 31/8/2022: các lớp còn lại."))
    assert (meta["date"], meta["date_source"]) == ("", "unknown")
    assert "date: the date of issue is left blank" in meta["check"]


def test_the_type_name_wins_over_a_contradicting_number_and_is_listed() -> None:
    meta = meta_of(letterhead("Số: 40/BC-SGDĐT\nQuảng Nam, ngày 3 tháng 5 năm 2021\nKẾ HOẠCH\n"
                              "Tổ chức kỳ thi năm 2021"))
    assert meta["doc_type"] == "ke_hoach"
    assert "doc_type: the type name says ke_hoach, the number Số: 40/BC-SGDĐT" in meta["check"]


def test_a_ministry_document_has_no_province_even_where_its_meeting_was_held() -> None:
    meta = meta_of(letterhead("Số: 15/TB-BGDĐT\nHà Nội, ngày 9 tháng 8 năm 2022\nTHÔNG BÁO\n"
                              "Kết luận của Thứ trưởng tại hội nghị tổ chức tại thành phố Đà Nẵng\n"
                              "Hội nghị có đại diện Sở GD&ĐT thành phố Đà Nẵng.",
                              issuer="BỘ GIÁO DỤC VÀ ĐÀO TẠO"))
    assert (meta["province"], meta["province_source"]) == ("", "text")
    assert meta["province_evidence"].startswith("issued by a national body")
    assert "province" not in meta["check"]


def test_the_lead_is_a_paragraph_of_prose_not_a_section_name_above_the_headline() -> None:
    """A section name read as the headline leaves the real headline next in line; the lead is the
    first paragraph that closes a sentence, and its "tổ chức ngày D-M" dates the event (the year
    from the school year it names)."""
    page = ("Trang chủ | Thời sự | Xã hội\nSự kiện - Bình luận thời sự\nCả nước còn nhiều người chưa biết chữ\n"
            "Tại Hội nghị sơ kết học kỳ I năm học 2017-2018 do Bộ GD&ĐT tổ chức ngày 26-12, đại diện Vụ "
            "Giáo dục thường xuyên cho biết tình hình xóa mù chữ.\nTỷ lệ biết chữ ở vùng cao còn thấp.")
    meta = meta_of(page)
    assert (meta["doc_type"], meta["date"]) == ("tin_bai", "2017-12-26")


def test_a_lead_wrapped_over_two_lines_is_still_the_lead() -> None:
    page = ("Hội thảo chuyển đổi số trong trường học\n"
            "Nằm trong chuỗi hoạt động chào mừng năm học mới, chiều ngày 16/10/2021, nhà trường\n"
            "đã tổ chức hội thảo về chuyển đổi số.\nCác thầy cô đã trao đổi nhiều kinh nghiệm.")
    assert meta_of(page)["date"] == "2021-10-16"


def test_a_counter_inside_a_line_marks_a_web_page_and_a_caption_is_not_the_lead() -> None:
    page = ("Hội nghị sơ kết chuyên môn cấp tiểu học học kỳ I\nChuyên mục: Tiểu học | Lượt xem: 312\n"
            "Ông Hồ Văn Nam, Trưởng phòng GD&ĐT, phát biểu chỉ đạo tại hội nghị\n"
            "Ngày 08/02/2018, Phòng GDĐT huyện Tháp Mười tổ chức hội nghị sơ kết học kỳ I.\n"
            "Các trường đã hoàn thành kế hoạch giáo dục.")
    meta = meta_of(page)
    assert (meta["doc_type"], meta["date"]) == ("tin_bai", "2018-02-08")


def test_a_department_named_with_its_abbreviation_in_brackets_is_a_clue() -> None:
    page = "Kiểm tra đầu năm học mới\nChiều 19/9, Sở Giáo dục và Đào tạo (GD&ĐT) TP. Huế kiểm tra các trường."
    assert meta_of(page)["province"] == "Thừa Thiên Huế"


def test_a_web_list_under_an_unsigned_signature_title_is_no_signer() -> None:
    text = ("UBND TỈNH BẮC GIANG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 12/SGDĐT-KHTC\nV/v thu chi\n"
            "Kính gửi: Các trường.\nĐề nghị các trường thực hiện./.\nNơi nhận:\n- Như trên;\nGIÁM ĐỐC\nRelated Articles")
    assert meta_of(text)["signer"] == ""
    assert meta_of(text.replace("Related Articles", "Nguyễn Văn Bình"))["signer"] == "Nguyễn Văn Bình"


def test_a_ministry_acting_on_a_place_its_lead_names_gives_that_place_s_province() -> None:
    page = ("Huyện vùng cao đạt chuẩn xóa mù chữ\n11:18, 28/08/2023\n"
            "Bộ GD-ĐT vừa công nhận huyện Mèo Vạc đạt chuẩn xóa mù chữ mức độ 1.\nCác xã duy trì lớp học buổi tối.")
    assert meta_of(page)["province"] == "Hà Giang"
    # ... but not where it only held a meeting
    meeting = page.replace("vừa công nhận huyện Mèo Vạc đạt chuẩn xóa mù chữ mức độ 1",
                           "tổ chức hội nghị về xóa mù chữ tại huyện Mèo Vạc")
    assert meta_of(meeting)["province"] == ""


# --------------------------------------------------------------------------- province clues


def test_a_venue_weighs_less_than_the_body_that_acts() -> None:
    text = ("Sở GD&ĐT tỉnh Gia Lai tổ chức hội nghị tại thành phố Đà Nẵng; "
            "Sở GD&ĐT tỉnh Gia Lai chủ trì.")
    weights = {(clue.province, clue.weight) for clue in province_clues(text)}
    assert ("Đà Nẵng", 1) in weights and ("Gia Lai", 5) in weights
    assert meta_of("Tin tức\n" + text)["province"] == "Gia Lai"


def test_a_list_of_provinces_gives_none_of_them() -> None:
    assert province_clues("Đoàn công tác làm việc với các tỉnh Hà Giang, Tuyên Quang và Yên Bái.") == []


def test_a_page_about_several_provinces_has_none_and_is_listed() -> None:
    meta = meta_of("Các địa phương khai giảng năm học mới\n08/09/2021 07:30\n"
                   "Sở GD&ĐT Cà Mau tổ chức lễ khai giảng. Sở GD&ĐT Bạc Liêu cũng tổ chức lễ khai giảng.")
    assert meta["province"] == ""
    assert "several provinces named" in meta["province_evidence"] and "province: several" in meta["check"]


def test_a_masthead_clue_counts_only_when_the_article_names_no_province() -> None:
    page = ("Cổng thông tin điện tử tỉnh Phú Yên\nTrang chủ | Tin tức | Giáo dục\n"
            "Hội nghị triển khai nhiệm vụ năm học mới của ngành\nNgày đăng: 12/09/2022\n{lead}")
    only_site = meta_of(page.format(lead="Sáng 10/9, Sở Giáo dục và Đào tạo tổ chức hội nghị."))
    assert only_site["province"] == "Phú Yên"
    assert only_site["province_evidence"].startswith("site masthead/footer:")
    assert "province: named only in the site's masthead or footer" in only_site["check"]
    other = meta_of(page.format(lead="Sáng 10/9, Sở GD&ĐT tỉnh Đắk Lắk tổ chức hội nghị."))
    assert other["province"] == "Đắk Lắk"


def test_a_newspaper_masthead_names_its_province_at_low_weight() -> None:
    page = "BÁO QUẢNG TRỊ\nHọc sinh vùng lũ trở lại trường sau mưa lớn\n08/11/2020 09:10\nCác trường đã dọn dẹp xong."
    meta = meta_of(page)
    assert meta["province"] == "Quảng Trị" and meta["province_evidence"] == "site masthead/footer: BÁO QUẢNG TRỊ"
    assert [c.weight for c in province_clues("BÁO QUẢNG TRỊ")] == [1]
    # the merged provincial media and a radio-TV station name their province the same way
    for masthead in ("BÁO VÀ PHÁT THANH, TRUYỀN HÌNH QUẢNG TRỊ", "Đài PT-TH Quảng Trị"):
        assert meta_of(page.replace("BÁO QUẢNG TRỊ", masthead))["province"] == "Quảng Trị"


@pytest.mark.parametrize("tag, province", [
    ("(YBĐT)", "Yên Bái"), ("(QBĐT)", "Quảng Bình"), ("(BNO)", "Bắc Ninh"),
    ("(TNO)", ""), ("(HGO)", ""),  # Thái Nguyên or Tây Ninh, Hà Giang or Hậu Giang: initials tell nothing
    ("(PLVN)", ""), ("(GDVN)", ""),  # national papers
])
def test_a_byline_tag_of_initials_names_the_province_only_when_the_article_does_not(tag: str, province: str) -> None:
    page = f"Học sinh trở lại trường sau kỳ nghỉ dài\n08/11/2020 09:10\n{tag} - Sáng 8/11, các trường đón học sinh."
    meta = meta_of(page)
    assert meta["province"] == province
    if province:
        assert meta["province_evidence"] == f"byline tag {tag}" and "byline tag" in meta["check"]
    assert meta_of(page.replace("các trường", "các trường của tỉnh Cà Mau"))["province"] == "Cà Mau"


def test_accent_blind_matching_keeps_the_prefix_words() -> None:
    # "liên quan" is not "quận", and a menu item above a headline is not "giáo dục <province>".
    assert province_clues("Tin liên quan\n\nBác Ái tổ chức hội nghị") == []
    assert province_clues("Giáo dục\n\nBạc Liêu đứng đầu khu vực") == []
    assert [c.province for c in province_clues("ngành giáo dục Bạc Liêu")] == ["Bạc Liêu"]


# --------------------------------------------------------------------------- news posts

NEWS = "Báo Tin Tức\nThời sự | Xã hội | Giáo dục\n{top}Trường học vùng cao đón học sinh trở lại lớp\n{under}{lead}\nTin liên quan\n- Một tin khác (01/01/2020)"
LEAD = "Sở GD&ĐT tỉnh Lai Châu cho biết các trường đã sẵn sàng đón học sinh năm học 2020-2021."


@pytest.mark.parametrize("top, under, date", [
    ("", "Ngày đăng: 21/05/2020 | Lượt xem: 310\n", "2020-05-21"),
    ("", "08/08/2020 06:42 Thanh Hà\n", "2020-08-08"),
    ("Thứ Sáu, 09/10/2020 07:15 (GMT+07)\n", "", "2020-10-09"),
    ("", "(09/10/2020)\n", "2020-10-09"),  # a bare dateline right under the headline
    ("", "10:35 21/05/2020\n", "2020-05-21"),
    ("", "Cập nhật lúc 10:35 ngày 21/05/2020\n", "2020-05-21"),
    ("Thứ Hai, 24/02/2020 | Đăng nhập | English\n", "Cập nhật: 23/02/2020\n", "2020-02-23"),
    # a byline printed before the date, a site in English, a portal's bare top bar above
    ("Thứ Bảy, 10/10/2020 | Đăng nhập\n", "PV Thứ Sáu, 09/10/2020 - 17:40\n", "2020-10-09"),
    ("", "Thursday, 09/10/2020 - 17:03\n", "2020-10-09"),
    ("", "Ngày đăng: (09/10/2020)\n", "2020-10-09"),
    # a weekday before "ngày" is a date line, not a place-and-date line of an official document
    ("Thứ Bảy, ngày 10/10/2020 08:15 AM (GMT+7)\n", "", "2020-10-10"),
])
def test_the_publication_line_dates_a_news_post(top: str, under: str, date: str) -> None:
    meta = meta_of(NEWS.format(top=top, under=under, lead=LEAD))
    assert (meta["doc_type"], meta["date"], meta["date_source"]) == ("tin_bai", date, "text")
    assert meta["title"] == "Trường học vùng cao đón học sinh trở lại lớp"


def test_a_bare_date_above_the_headline_is_the_portal_top_bar_not_the_publication() -> None:
    meta = meta_of(NEWS.format(top="Thứ Hai, 24/02/2020 | Đăng nhập | English\n", under="", lead=LEAD))
    assert meta["date"] == ""
    assert meta["doc_type"] == "tin_bai"


@pytest.mark.parametrize("lead, date", [
    ("Chiều 31/8/2020, Sở GD&ĐT tỉnh Lai Châu kiểm tra công tác chuẩn bị năm học 2020-2021.", "2020-08-31"),
    ("(TTXVN) - Sáng 9/11, Sở GD&ĐT tỉnh Lai Châu tổng kết năm học 2019-2020.", "2020-11-09"),
    ("Ngày 12 tháng 1, Sở GD&ĐT tỉnh Lai Châu sơ kết học kỳ I năm học 2020-2021.", "2021-01-12"),
    ("(Chinhphu.vn) - Sáng nay (21/5), Sở GD&ĐT tỉnh Lai Châu họp về thi năm 2020.", "2020-05-21"),
    ("Sở GD&ĐT tỉnh Lai Châu cho biết học sinh đi học lại từ ngày 20/9 năm học 2021-2022.", ""),
    ("Ngày 6/12, ông Giám đốc Sở GD&ĐT tỉnh Lai Châu cho biết tỉnh đạt chuẩn xóa mù chữ.", ""),
])
def test_without_a_publication_line_the_lead_dates_the_event(lead: str, date: str) -> None:
    meta = meta_of(NEWS.format(top="", under="", lead=lead))
    assert meta["date"] == date
    if not date:
        assert "date:" in meta["check"]


@pytest.mark.parametrize("mark", ["Sáng 9/11, các trường tổ chức lễ kỷ niệm.", "Ảnh: Học sinh trong giờ học.",
                                  # a copied item credits its source, or closes with its paper's tag
                                  "Buổi lễ có 300 học sinh dự.\nNguồn: Báo Điện Biên Phủ",
                                  "Buổi lễ có 300 học sinh dự.\nNguồn Điện Biên: http://baodienbienphu.info.vn/tin-123",
                                  "Buổi lễ có 300 học sinh dự.\n(ĐBP)"])
def test_a_dated_lead_or_a_photo_caption_marks_a_news_post(mark: str) -> None:
    meta = meta_of(f"Các trường tổ chức kỷ niệm ngày Nhà giáo Việt Nam\n{mark}\nBuổi lễ diễn ra trang trọng.")
    assert meta["doc_type"] == "tin_bai"


def test_a_text_with_no_administrative_form_and_no_news_mark_is_other_and_listed() -> None:
    # "Nguồn kinh phí: ..." is a line of a budget, not a credit to a source
    meta = meta_of("Một số suy nghĩ về đổi mới phương pháp dạy học\nBài viết trao đổi kinh nghiệm của giáo viên.\n"
                   "Nguồn kinh phí: ngân sách nhà nước.")
    assert (meta["doc_type"], meta["doc_type_source"]) == ("other", "unknown")
    assert "doc_type:" in meta["check"]


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize("title, period", [
    ("Kế hoạch tuyển sinh năm học 2024 - 2025", "2024-2025"),
    ("Hội nghị sơ kết học kì I, triển khai nhiệm vụ học kì II năm học 2021-2022", "2021-2022-HK1"),
    ("Đề án phát triển giáo dục mầm non giai đoạn 2021-2025, định hướng đến năm 2030", "2021-2025"),
    ("Chiến lược phát triển giáo dục đến năm 2030", ""),  # a horizon is not a period
    ("Báo cáo kết quả năm học 2020-2022", ""),  # not two consecutive years: no school year
    ("Giao ban ngày 5 tháng 9 năm 2022", "2022"),  # a date is not its month
    # a month something starts from or runs up to is no period
    ("Trung tâm điều hành vận hành từ tháng 10/2022, dự kiến đến tháng 9/2025", ""),
    ("Kết quả tuyển sinh tháng 10/2022", "2022-10"),
    ("Kế hoạch nâng tỷ lệ người biết chữ lên 95% vào năm 2025", ""),  # a horizon
    ("Từ năm học 2022-2023, các trường thu học phí không dùng tiền mặt", ""),  # a starting point
    ("Kết quả thu học phí không dùng tiền mặt năm học 2022-2023", "2022-2023"),
])
def test_period_forms(title: str, period: str) -> None:
    assert extract_period(title, [])[0] == period


@pytest.mark.parametrize("sentences_before, period", [(1, "2022-2023"), (5, "")])
def test_a_news_post_states_its_period_in_its_lead_not_further_down(sentences_before: int, period: str) -> None:
    """A school year named in the lead is what the news reports on; five sentences further down
    it dates one fact of the story."""
    filler = ["Các lớp học được mở tại nhà văn hóa thôn.", "Giáo viên dạy buổi tối sau giờ làm.",
              "Học viên được cấp sách vở miễn phí.", "Nhiều người lớn tuổi vẫn đến lớp đều đặn.",
              "Chính quyền xã hỗ trợ thắp sáng phòng học."]
    body = filler[:sentences_before] + ["Năm học 2022-2023, tỷ lệ trẻ 6 tuổi vào lớp 1 đạt 100%."]
    page = ("Lớp học xóa mù chữ ở vùng cao\n09:20 17/03/2023\n"
            "Sở GD&ĐT tỉnh Lai Châu duy trì các lớp xóa mù chữ cho đồng bào.\n" + "\n".join(body))
    assert meta_of(page)["period"] == period


@pytest.mark.parametrize("text, looks_back", [
    ("Sau khi nghe báo cáo kết quả công tác quý III, phương hướng nhiệm vụ quý IV năm 2024", False),
    ("Hội nghị đánh giá kết quả thực hiện nhiệm vụ năm học 2023-2024", True),
    ("Tổng kết năm học 2023-2024, triển khai nhiệm vụ năm học 2024-2025", False),  # the second one
])
def test_the_cue_in_the_period_s_own_clause_says_whether_it_is_looked_back_on(text: str, looks_back: bool) -> None:
    assert period_mentions(text)[-1].looks_back is looks_back


def test_a_review_reports_on_the_period_it_looks_back_on_and_a_plan_on_what_it_plans() -> None:
    title = "Triển khai nhiệm vụ năm học 2022-2023"
    opening = ["Sở GD&ĐT tổ chức tổng kết năm học 2021-2022, đồng thời triển khai nhiệm vụ năm học 2022-2023."]
    assert extract_period(title, opening, doc_type="tin_bai")[0] == "2021-2022"
    assert extract_period(title, opening, doc_type="ke_hoach")[0] == "2022-2023"


def test_a_plan_announcing_another_phase_than_its_title_is_listed() -> None:
    notes: list[str] = []
    opening = ["UBND tỉnh ban hành kế hoạch thực hiện Đề án giai đoạn 2019-2025 với các nội dung sau:"]
    assert extract_period("Thực hiện Đề án giai đoạn 2020-2025", opening, doc_type="ke_hoach", notes=notes)[0] == "2020-2025"
    assert notes == ["period: the title says 2020-2025, the opening 2019-2025"]


# --------------------------------------------------------------------------- the "check these" list


def test_check_list_rows_and_the_manifest_settles_a_field(tmp_path) -> None:
    meta = meta_of(NEWS.format(top="", under="", lead="Mới đây, Sở Giáo dục và Đào tạo tổ chức hội nghị."))
    documents = pd.DataFrame([{**meta, "doc_id": "n1", "path": "raw/n1.html"}])
    problems = [Problem("raw/scan.pdf", "scan.pdf: OCR confidence 41%; check the text", kind="check"),
                Problem("raw/bad.txt", "bad.txt: empty file")]
    table = check_list(documents, problems)
    assert list(table.columns) == CHECK_COLUMNS
    assert set(table["field"]) == {"province", "date", "period", "text"}
    assert table.set_index("field").at["text", "reason"].startswith("scan.pdf: OCR")
    fixed = apply_manifest(meta, {"file": "n1.html", "province": "Lai Châu", "date": "2020-09-01"})
    assert [row.split(":")[0] for row in fixed["check"].split(" | ")] == ["period"]
    path = write_check_list(tmp_path, table)
    assert pd.read_csv(path).shape == table.shape
    assert "raw/n1.html province" in format_check_list(table)
