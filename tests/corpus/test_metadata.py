"""Document metadata: the five seeds against documents_dev.csv, the manifest, and variants."""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

import pandas as pd
import pytest

from analysis.corpus.metadata import (
    apply_manifest,
    extract_chair,
    extract_date,
    extract_metadata,
    extract_period,
    extract_province,
    read_manifest,
)
from analysis.corpus.passages import split_passages
from analysis.corpus.provinces import province_2025, unique_districts
from analysis.paths import MANIFEST_PATH, RAW_DIR
from analysis.schema import DOC_TYPES, FIELD_SOURCES, TRACED_FIELDS
from analysis.text.normalize import normalize_text

from testdata import SEED_DOCUMENTS

GOLD_FIELDS = ("province", "province_2025", "date", "period", "doc_type", "signer", "chair")
KON_TUM_FILE = "003_3cd3fae0bc1a3537.txt"

OTHER_PROVINCE_REPORT = """UBND TỈNH NGHỆ AN
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 123/BC-SGDĐT
Nghệ An, ngày 15 tháng 1 năm 2024
BÁO CÁO
Sơ kết học kỳ I năm học 2023-2024
Đồng chí Lê Văn Bình, Giám đốc Sở chủ trì hội nghị sơ kết.
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Tỷ lệ huy động trẻ đạt 99%.
Nơi nhận:
- Bộ GD&ĐT;
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn An"""


@lru_cache(maxsize=1)
def _gold() -> pd.DataFrame:
    return pd.read_csv(SEED_DOCUMENTS, dtype=str, keep_default_na=False)


def _metadata(raw: str, doc_id: str) -> dict:
    text = normalize_text(raw)
    return extract_metadata(text, split_passages(text, doc_id))


@cache
def _seed_metadata(file: str) -> dict:
    return _metadata((RAW_DIR / file).read_text(encoding="utf-8"), file.rsplit(".", 1)[0])


@pytest.mark.parametrize("file", _gold()["file"].tolist(), ids=lambda f: f[:3])
def test_seed_metadata_equals_gold(file: str) -> None:
    manifest = read_manifest(MANIFEST_PATH)
    meta = _seed_metadata(file)
    if file in manifest:
        meta = apply_manifest(meta, manifest[file])
    expected = _gold().set_index("file").loc[file]
    assert {field: meta[field] for field in GOLD_FIELDS} == {field: expected[field] for field in GOLD_FIELDS}


@pytest.mark.parametrize("file", _gold()["file"].tolist(), ids=lambda f: f[:3])
def test_traced_fields_have_a_source_and_evidence(file: str) -> None:
    meta = _seed_metadata(file)
    assert meta["doc_type"] in DOC_TYPES
    for field in TRACED_FIELDS:
        assert meta[f"{field}_source"] in FIELD_SOURCES
        if meta[field]:
            assert meta[f"{field}_source"] == "text"
            assert meta[f"{field}_evidence"], field
    if meta["province"]:  # the evidence really names the province
        assert meta["province"].split()[-1] in meta["province_evidence"]


def test_only_the_kon_tum_notice_needs_the_manifest() -> None:
    in_text = _gold().set_index("file")["province_in_text"]
    assert set(read_manifest(MANIFEST_PATH)) == set(in_text[in_text == "no"].index)


def test_kon_tum_without_manifest_is_unknown() -> None:
    meta = _seed_metadata(KON_TUM_FILE)
    assert (meta["province"], meta["province_source"], meta["province_evidence"]) == ("", "unknown", "")
    assert meta["province_2025"] == ""


def test_manifest_overrides_and_says_so() -> None:
    row = read_manifest(MANIFEST_PATH)[KON_TUM_FILE]
    before = _seed_metadata(KON_TUM_FILE)
    after = apply_manifest(before, row)
    assert (after["province"], after["province_2025"], after["province_source"]) == ("Kon Tum", "Quảng Ngãi", "manifest")
    assert "Phạm Thị Trung" in after["province_evidence"] and after["source_note"] == row["source_note"]
    assert after["date_source"] == "text"  # empty manifest fields do not override
    assert before["province"] == ""  # the input dict is not modified


def test_apply_manifest_refuses_an_unknown_province() -> None:
    with pytest.raises(ValueError, match="unknown province"):
        apply_manifest(_seed_metadata(KON_TUM_FILE), {"file": KON_TUM_FILE, "province": "Atlantis"})


@pytest.mark.parametrize("file", _gold()["file"].tolist(), ids=lambda f: f[:3])
def test_nfd_and_tone_variants_give_the_same_metadata(file: str) -> None:
    raw = (RAW_DIR / file).read_text(encoding="utf-8")
    variant = unicodedata.normalize("NFD", raw.replace("Hòa", "Hoà").replace("hóa", "hoá").replace("ủy", "uỷ"))
    assert _metadata(variant, file[:-4]) == _seed_metadata(file)


@pytest.mark.parametrize("text, province", [
    ("Sở Giáo dục và Đào tạo tỉnh Lào Cai thông báo.", "Lào Cai"),
    ("SỞ GD&ĐT HOÀ BÌNH", "Hòa Bình"),
    ("Kiểm tra tại phòng GD&ĐT huyện Bảo Yên, huyện Mường Khương.", "Lào Cai"),
    ("Giao ban với Sở GDĐT Thừa Thiên Huế.", "Thừa Thiên Huế"),
    ("TS. Phạm Thị Trung - Tỉnh ủy viên - Giám đốc Sở GDĐT chủ trì.", ""),
    ("Công tác giáo dục thường xuyên; các huyện, thành phố.", ""),
    # a district's education office bears its district's name, whatever the spelling
    ("PHÒNG GD&ĐT MƯỜNG KHƯƠNG\nTRƯỜNG THCS BẢN LẦU\nBáo cáo tổng kết năm học", "Lào Cai"),
    ("Theo hướng dẫn của Phòng Giáo dục và Đào tạo\nSa Thầy về việc", "Kon Tum"),
    ("Phòng Giáo dục Mầm non của Sở hướng dẫn các trường.", ""),  # a division of the Sở
])
def test_extract_province(text: str, province: str) -> None:
    assert extract_province(text)[0] == province


def test_district_table_comes_from_the_package_and_skips_shared_names() -> None:
    districts = unique_districts()
    assert districts["Mường Khương"] == "Lào Cai" and districts["Sa Thầy"] == "Kon Tum"
    assert "Châu Thành" not in districts  # a district name used in several provinces


@pytest.mark.parametrize("province, merged", [
    ("Hòa Bình", "Phú Thọ"), ("Kon Tum", "Quảng Ngãi"), ("Hà Nội", "Hà Nội"), ("Nowhere", ""),
])
def test_province_2025(province: str, merged: str) -> None:
    assert province_2025(province) == merged


@pytest.mark.parametrize("title, period", [
    ("Hội nghị giao ban trực tuyến quý III/2022", "2022-Q3"),
    ("Hội nghị Giao ban học kỳ I, năm học 2022-2023", "2022-2023-HK1"),
    ("về kết quả thực hiện nhiệm vụ tháng 9, triển khai nhiệm vụ tháng 10 năm 2022", "2022-09"),
    ("Chỉ đạo, điều hành thực hiện nhiệm vụ năm 2024", "2024"),
    ("Kết luận của Giám đốc Sở", ""),
    # two consecutive years after "năm" are a school year even without "học"; other spans unknown
    ("Kế hoạch tuyển sinh vào lớp 10 năm 2024-2025", "2024-2025"),
    ("Kế hoạch các năm 2021-2025", ""),
])
def test_extract_period(title: str, period: str) -> None:
    assert extract_period(title, [])[0] == period


@pytest.mark.parametrize("header, period, date", [
    (["Ngày 31/3, Sở tổ chức Hội nghị."], "2023-Q1", "2023-03-31"),
    (["Ngày 5/1, Sở tổ chức giao ban."], "2022-2023-HK1", "2023-01-05"),
    (["Căn cứ Quyết định số 12/QĐ-UBND ngày 07/8/2023 của UBND tỉnh;"], "2024", ""),
    (["Thực hiện Chỉ thị 01/CT-UBND ngày 12/01/2024 của UBND tỉnh."], "2024", ""),
])
def test_extract_date(header: list[str], period: str, date: str) -> None:
    assert extract_date(header, period)[0] == date


def _write(tmp_path, text: str):
    path = tmp_path / "manifest.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, message", [
    ("file,province,colour\nx.txt,Kon Tum,red\n", r"manifest.csv:1: header"),
    ("file,province,date\nx.txt,Kon Tum,31/3/2023\n", r"manifest.csv:2: date"),
    ("file,province,date\nx.txt,Kon Tum,2023-02-30\n", r"manifest.csv:2: date .* real calendar"),
    ("file,province\nx.txt,Kon Tum,extra\n", r"manifest.csv:2: wrong number of fields"),
    ("file,province\nx.txt,Kon Tum\nx.txt,Kon Tum\n", r"manifest.csv:3: 'x.txt' is listed twice"),
    ("file,province\nx.txt,Atlantis\n", r"manifest.csv:2: unknown province"),
    ("file,doc_type\nx.txt,memo\n", r"manifest.csv:2: doc_type"),
    ("file,period\nx.txt,2022-13\n", r"manifest.csv:2: period '2022-13' is not a period; use YYYY, "),
    ("file,period\nx.txt,2022-Q5\n", r"manifest.csv:2: period '2022-Q5' is not a period"),
    ("file,province\nx.txt,Kon Tum\nx\u0301.txt,Kon Tum\nx.txt,Kon Tum\n", r"manifest.csv:4: 'x.txt' is listed twice \(also on line 2\)"),
])
def test_read_manifest_rejects_malformed_rows(tmp_path, body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_manifest(_write(tmp_path, body))


def test_read_manifest_missing_file_is_empty(tmp_path) -> None:
    assert read_manifest(tmp_path / "absent.csv") == {}


def test_metadata_of_a_letter_from_another_province() -> None:
    meta = _metadata(OTHER_PROVINCE_REPORT, "other")
    assert (meta["province"], meta["province_2025"], meta["province_evidence"]) == ("Nghệ An", "Nghệ An", "UBND TỈNH NGHỆ AN")
    assert (meta["date"], meta["period"], meta["doc_type"]) == ("2024-01-15", "2023-2024-HK1", "bao_cao")
    assert (meta["title"], meta["signer"], meta["chair"]) == ("Sơ kết học kỳ I năm học 2023-2024", "Nguyễn Văn An", "Lê Văn Bình")


def test_issue_date_and_cited_documents_are_not_read_as_the_period() -> None:
    header = ["Quảng Ninh, ngày 20 tháng 8 năm 2024",
              "Căn cứ Kế hoạch số 125/KH-UBND về chuyển đổi số giai đoạn 2022-2025, định hướng đến năm 2030;",
              "Sở Giáo dục và Đào tạo xây dựng kế hoạch như sau:"]
    assert extract_period("Thực hiện nhiệm vụ", header)[0] == ""
    assert extract_period("Kế hoạch chỉ đạo, điều hành năm 2024", header) == ("2024", "text", "năm 2024")
    assert extract_period("Thực hiện nhiệm vụ năm học 2024-2025", header)[0] == "2024-2025"


def test_a_web_page_with_a_date_and_view_count_line_is_news() -> None:
    text = normalize_text("Hội nghị sơ kết học kỳ I năm học 2023-2024\nNgày đăng: 19/01/2024 | Lượt xem: 1.254\n"
                          "Sở GD&ĐT Bình Định vừa tổ chức Hội nghị sơ kết học kỳ I cấp trung học.")
    meta = extract_metadata(text, split_passages(text, "news"))
    assert (meta["doc_type"], meta["doc_type_source"]) == ("tin_bai", "text")
    assert "Lượt xem" in meta["doc_type_evidence"]
    assert (meta["date"], meta["date_evidence"]) == ("2024-01-19", "Ngày đăng: 19/01/2024 | Lượt xem: 1.254")


def _news_date(posting: str, lead: str, masthead: str = "Trường THPT Lê Lợi") -> tuple[str, str]:
    text = normalize_text(f"{masthead}\nTin hoạt động giáo dục của tỉnh trong tuần qua\n{posting} | Lượt xem: 210\n"
                          f"{lead}\nCác đại biểu đã thảo luận nhiều nội dung quan trọng.")
    meta = extract_metadata(text, split_passages(text, "news"))
    return meta["date"], meta["date_evidence"]


@pytest.mark.parametrize(("posting", "lead", "expected"), [
    # On an institution's portal (a school here) a repost or an updated page goes up days after
    # the news: the lead dates the event.
    ("Ngày đăng: 25/03/2024", "Ngày 21/3/2024, Sở GD&ĐT Quảng Trị đã tổ chức hội nghị chuyên đề.",
     ("2024-03-21", "Ngày 21/3/2024,")),
    ("Cập nhật: 12/05/2022", "Hưởng ứng Ngày sách Việt Nam, chiều ngày 10/5/2022, nhà trường đã tổ chức ngày hội đọc sách.",
     ("2022-05-10", "chiều ngày 10/5/2022")),
    ("Đăng ngày 30 - 09 - 2023", "UBND tỉnh vừa ban hành Quyết định số 88/QĐ-UBND ngày 26-9-2023 về học phí.",
     ("2023-09-26", "vừa ban hành Quyết định số 88/QĐ-UBND ngày 26-9-2023")),
    # A lead without a year is of the posting year, or of the year before across the new year.
    ("Ngày đăng: 03/01/2025", "Sáng 2/1, Sở GD&ĐT tổ chức lễ phát động thi đua.", ("2025-01-02", "Sáng 2/1,")),
    ("Ngày đăng: 02/01/2025", "Sáng 30/12, Sở GD&ĐT tổ chức hội nghị tổng kết.", ("2024-12-30", "Sáng 30/12,")),
    # A date after the posting is a coming event; one months before it is background; a date past
    # the lead's first sentence is not the event the lead reports: the posting line dates the news.
    ("Ngày đăng: 05/06/2024", "Ngày 15/6/2024, Sở GD&ĐT sẽ tổ chức kỳ thi tuyển sinh lớp 10.",
     ("2024-06-05", "Ngày đăng: 05/06/2024 | Lượt xem: 210")),
    ("Ngày đăng: 20/03/2024", "Ngày 5/1/2024, Bộ GD&ĐT đã ban hành thông tư về dạy thêm.",
     ("2024-03-20", "Ngày đăng: 20/03/2024 | Lượt xem: 210")),
    ("Ngày đăng: 20/03/2024", "Sở GD&ĐT vừa tổng kết phong trào thi đua. Phong trào phát động ngày 18/3/2024, tại Hà Giang.",
     ("2024-03-20", "Ngày đăng: 20/03/2024 | Lượt xem: 210")),
])
def test_a_portal_news_post_is_dated_by_the_event_its_lead_reports(posting: str, lead: str,
                                                                    expected: tuple[str, str]) -> None:
    assert _news_date(posting, lead) == expected


@pytest.mark.parametrize("masthead, lead", [
    ("BÁO ĐIỆN BIÊN PHỦ", "Ngày 21/3/2024, Sở GD&ĐT tỉnh đã tổ chức hội nghị chuyên đề."),
    ("Cổng thông tin tổng hợp", "(ĐBP) - Ngày 21/3/2024, Sở GD&ĐT tỉnh đã tổ chức hội nghị chuyên đề."),
    ("", "Ngày 21/3/2024, Sở GD&ĐT tỉnh đã tổ chức hội nghị chuyên đề."),
])
def test_a_news_outlet_s_post_or_one_from_an_unknown_site_is_dated_by_its_publication(masthead: str, lead: str) -> None:
    """A paper (its masthead, or a byline tag opening the lead) dates what it publishes; so does
    any page not known to be an institution's portal."""
    assert _news_date("Ngày đăng: 25/03/2024", lead, masthead)[0] == "2024-03-25"


def test_a_programme_named_with_its_phase_does_not_give_the_period() -> None:
    news = normalize_text(
        "Hỗ trợ người học xóa mù chữ ở vùng đồng bào dân tộc\nNgày đăng: 14/04/2024 | Lượt xem: 88\n"
        "Bằng nguồn vốn của Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2021 - 2025, "
        "huyện đã mở 12 lớp xóa mù chữ cho người dân.")
    meta = extract_metadata(news, split_passages(news, "news"))
    assert (meta["period"], meta["date"]) == ("", "2024-04-14")
    # A plan's own phase, in its title, is its period; so is a phase the text states of itself.
    header = ["Thực hiện nhiệm vụ phát triển giáo dục của tỉnh giai đoạn 2021-2025, Sở xây dựng kế hoạch như sau:"]
    assert extract_period("Kế hoạch thực hiện Đề án ngoại ngữ giai đoạn 2022-2025", header, doc_type="ke_hoach")[0] \
        == "2022-2025"
    assert extract_period("Tin hoạt động", header)[0] == "2021-2025"


LETTER = """UBND TỈNH QUẢNG NAM
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 512/SGDĐT-VP
V/v {subject}
Quảng Nam, ngày 13 tháng 9 năm 2024
Kính gửi: Ủy ban nhân dân tỉnh.
Căn cứ số liệu các phòng GD&ĐT gửi về, tính đến 8 giờ 00 ngày 12/9/2024, Sở báo cáo như sau:
1. Có 14 trường bị tốc mái, ước thiệt hại 2.300 triệu đồng.
"""


def test_a_report_that_states_no_period_is_of_the_month_its_figures_are_given_as_of() -> None:
    text = normalize_text(LETTER.format(subject="báo cáo nhanh thiệt hại do bão số 3"))
    meta = extract_metadata(text, split_passages(text, "cv"))
    assert (meta["doc_type"], meta["period"], meta["date"]) == ("cong_van", "2024-09", "2024-09-13")
    assert "as of" in meta["check"]  # inferred, not stated: on the "check these" list
    other = normalize_text(LETTER.format(subject="đề nghị hỗ trợ kinh phí khắc phục thiệt hại"))
    assert extract_metadata(other, split_passages(other, "cv"))["period"] == ""


NOTICE = """UBND TỈNH VĨNH PHÚC
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 77/TB-SGDĐT
Vĩnh Phúc, ngày 28 tháng 1 năm 2025
THÔNG BÁO
Về lịch nghỉ Tết và đi học trở lại
1. Từ thứ Hai, ngày 3/2/2025: học sinh trung học đi học trở lại.
2. Từ ngày {second}: học sinh tiểu học và trẻ mầm non đi học trở lại.
Nơi nhận:
- Như trên;
"""


def test_a_schedule_notice_plans_for_the_month_of_the_days_it_announces() -> None:
    text = normalize_text(NOTICE.format(second="10/2/2025"))
    meta = extract_metadata(text, split_passages(text, "tb"))
    assert (meta["doc_type"], meta["period"]) == ("thong_bao", "2025-02")
    assert "announces" in meta["check"]
    spread = normalize_text(NOTICE.format(second="3/3/2025"))  # two months: no one period
    assert extract_metadata(spread, split_passages(spread, "tb"))["period"] == ""


NEWS_SCHEDULE = """Trang chủ | Tin tức | Giáo dục
{headline}
Cập nhật: 05/1/2022 08:15
Sở GD&ĐT tỉnh Yên Bái vừa có văn bản gửi các phòng GD&ĐT, các trường THPT về việc {body}.
Các trường tổ chức dạy học trực tuyến cho học sinh trong thời gian nghỉ học.
"""


@pytest.mark.parametrize(("headline", "body", "period"), [
    # The headline is the schedule: the news reports that announcement, so its month is the period.
    ("Học sinh tiếp tục nghỉ học đến hết ngày 16/1/2022",
     "cho học sinh nghỉ học tới hết ngày 16/1/2022", "2022-01"),
    # A schedule only in the body is a detail of the news, not what it is about.
    ("Yên Bái: các trường chủ động dạy học trực tuyến",
     "cho học sinh nghỉ học tới hết ngày 16/1/2022", ""),
    # The days announced run into a second month: no one period.
    ("Học sinh đi học trở lại từ ngày 24/1/2022",
     "cho học sinh nghỉ học tới hết ngày 6/2/2022", ""),
])
def test_news_headlined_with_a_schedule_is_of_its_month(headline: str, body: str, period: str) -> None:
    text = normalize_text(NEWS_SCHEDULE.format(headline=headline, body=body))
    meta = extract_metadata(text, split_passages(text, "news"))
    assert (meta["doc_type"], meta["period"]) == ("tin_bai", period)
    assert ("announces" in meta["check"]) == bool(period)


def test_signer_under_a_title_printed_beside_the_recipients() -> None:
    text = normalize_text(
        "Giám đốc Sở yêu cầu các phòng, đơn vị nghiêm túc triển khai thực hiện./.\n"
        "Nơi nhận: KT. GIÁM ĐỐC\n- UBND tỉnh (b/c); PHÓ GIÁM ĐỐC\n- Lãnh đạo Sở;\n- Lưu: VT, VP.\n"
        "Nguyễn Thị Hồng Thắm")
    assert extract_metadata(text, split_passages(text, "tb"))["signer"] == "Nguyễn Thị Hồng Thắm"
    # A byline under a news item is no signature.
    news = normalize_text("Sở GD&ĐT tổ chức hội nghị.\nCác đại biểu thảo luận.\nMinh Châu")
    assert extract_metadata(news, split_passages(news, "news"))["signer"] == ""


@pytest.mark.parametrize("text, chair", [
    ("Ngày 5/8, đồng chí Lê Văn Hùng, Giám đốc Sở chủ trì hội nghị.", "Lê Văn Hùng"),
    # a conclusion notice names whose conclusions it records: the one who chaired
    ("THÔNG BÁO\nKết luận của Phó Chủ tịch UBND tỉnh Đinh Thị Hòa tại Hội nghị giao ban quý III", "Đinh Thị Hòa"),
    ("THÔNG BÁO\nKết luận của Chủ tịch UBND tỉnh Gia Lai Võ Ngọc Thành tại buổi làm việc", "Võ Ngọc Thành"),
    # by position only, or a meeting's conclusions: no one named
    ("THÔNG BÁO\nKết luận của đồng chí Giám đốc Sở Giáo dục và Đào tạo tại Hội nghị", ""),
    ("THÔNG BÁO\nKết luận của Hội nghị giao ban tại Sở Giáo dục và Đào tạo", ""),
])
def test_the_chair_is_who_chaired_or_whose_conclusions_the_notice_records(text: str, chair: str) -> None:
    assert extract_chair(normalize_text(text)) == chair
