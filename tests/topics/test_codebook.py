"""The codebook: the default loads and round-trips; malformed codebooks are refused clearly;
patterns match every spelling variant of topics.md and every exclude does its job."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pytest

from analysis import paths
from analysis.schema import CORE_TOPICS
from analysis.topics.codebook import (
    Codebook,
    CodebookError,
    Pattern,
    Topic,
    codebook_yaml,
    load_codebook,
    parse_codebook,
)
from analysis.topics.tagging import compile_codebook, text_topics

DEFAULT = load_codebook()


def topics_of(text: str, codebook: Codebook = DEFAULT) -> list[str]:
    return text_topics(text, compile_codebook(codebook))


def test_default_has_core_and_every_extended_topic_of_topics_md():
    guide = (paths.DATA_DIR / "topics.md").read_text(encoding="utf-8")
    extended = guide.split("## Extended topics")[1].split("## Section roles")[0]
    listed = re.findall(r"\(`([a-z_0-9]+)`", extended)
    assert len(listed) == 10
    assert set(CORE_TOPICS) | set(listed) == set(DEFAULT.ids)
    for topic in DEFAULT.topics:
        assert topic.label_vi and topic.label_en and topic.description and topic.include


def test_codebook_yaml_round_trips():
    again = parse_codebook(codebook_yaml(DEFAULT), source="again.yml")
    assert again == DEFAULT
    assert again.hash == DEFAULT.hash
    changed = replace(DEFAULT, topics=DEFAULT.topics[1:])
    assert parse_codebook(codebook_yaml(changed)).hash != DEFAULT.hash


GOOD_TOPIC = """  - id: thu_chi
    label_vi: Thu, chi
    label_en: Fees
    include:
      - học phí
"""


@pytest.mark.parametrize("text, line, needles", [
    ("topics:\n  - id: a\n    label_vi: [unclosed\n", 3, ["not valid YAML", "topic 'a'"]),
    ("topics:\n" + GOOD_TOPIC + GOOD_TOPIC, 7, ["topic 'thu_chi'", "duplicate id", "line 2"]),
    ("topics:\n" + GOOD_TOPIC.replace("học phí", '""'), 6, ["topic 'thu_chi'", "empty pattern"]),
    ("topics:\n" + GOOD_TOPIC.replace("học phí", "học (phí"), 6,
     ["topic 'thu_chi'", "invalid regular expression"]),
    ("topics:\n" + GOOD_TOPIC.replace("học phí", "(học phí)?"), 6, ["can match empty text"]),
    ("topics:\n" + GOOD_TOPIC.replace("    include", "    exlude"), 6, ["unknown key 'exlude'"]),
    ("topics:\n" + GOOD_TOPIC.replace("    label_en: Fees\n", ""), 2, ["missing label_en"]),
    ("topics:\n" + GOOD_TOPIC.replace("- học phí", "- {pattern: học phí, accentless: 'yes'}"), 6,
     ["accentless must be true or false"]),
    ("topics:\n" + GOOD_TOPIC.replace("id: thu_chi", "id: Thu Chi"), 2, ["topic id must be"]),
    ("topics: []\n", 1, ["non-empty 'topics'"]),
])
def test_malformed_codebook_names_line_and_topic(text, line, needles):
    with pytest.raises(CodebookError) as caught:
        parse_codebook(text, source="mine.yml")
    message = str(caught.value)
    assert message.startswith("codebook mine.yml")
    assert f"line {line}" in message
    assert "\n" not in message
    for needle in needles:
        assert needle in message


def test_missing_codebook_file_is_one_clear_line(tmp_path):
    with pytest.raises(CodebookError, match="cannot read it"):
        load_codebook(tmp_path / "nope.yml")


@pytest.mark.parametrize("text, topic", [
    ("Chương trình giáo dục phổ thông 2018", "gdpt2018"),
    ("triển khai Chương trình GDPT 2018", "gdpt2018"),
    ("triển khai CT GDPT 2018 ở lớp 3", "gdpt2018"),
    ("triển khai Chương trình GDPT- 2018 đối với lớp 3, 7,10", "gdpt2018"),
    ("theo chương trình GDPT năm 2018", "gdpt2018"),
    ("thực hiện chương trình GDPT mới", "gdpt2018"),
    ("thực hiện chương trình giáo dục phổ thông mới", "gdpt2018"),
    ("đổi mới chương trình, sách giáo khoa giáo dục phổ thông", "gdpt2018"),
    ("Chủ động chuẩn bị các điều kiện để thực hiện Chương trình, sách giáo khoa lớp 4,8,11.", "gdpt2018"),
    ("lựa chọn sách giáo khoa lớp 5, lớp 9, lớp 12", "gdpt2018"),
    ("biên soạn tài liệu giáo dục địa phương", "gdpt2018"),
    ("Chương trình Giáo\n\ndục phổ thông 2018", "gdpt2018"),
    ("CHƯƠNG TRÌNH GIÁO DỤC PHỔ THÔNG 2018", "gdpt2018"),
    ("đẩy mạnh chuyển đổi số", "chuyen_doi_so"),
    ("tăng cường ứng dụng CNTT trong dạy học", "chuyen_doi_so"),
    ("ứng dụng công nghệ thông tin", "chuyen_doi_so"),
    ("tổ chức dạy học trực tuyến", "chuyen_doi_so"),
    ("phát triển kho học liệu số", "chuyen_doi_so"),
    ("hoàn thiện cơ sở dữ liệu ngành", "chuyen_doi_so"),
    ("sử dụng chữ ký số, chứng thư số", "chuyen_doi_so"),
    ("chữ ký số, học bạ số", "chuyen_doi_so"),
    ("cung cấp dịch vụ công trực tuyến mức độ 4", "chuyen_doi_so"),
    ("số hóa hồ sơ", "chuyen_doi_so"),
    ("số hoá hồ sơ", "chuyen_doi_so"),
    ("triển khai phần mềm quản lý", "chuyen_doi_so"),
    ("thi thiết kế bài giảng, giáo án điện tử", "chuyen_doi_so"),
    ("các khoản thu đầu năm học", "thu_chi"),
    ("vấn đề thu, chi đầu năm học", "thu_chi"),
    ("công tác thu - chi đầu năm học", "thu_chi"),
    ("thực hiện thu- chi xã hội hóa", "thu_chi"),
    ("THU – CHI ĐẦU NĂM", "thu_chi"),
    ("quy định mức học phí", "thu_chi"),
    ("bố trí kinh phí sửa chữa", "thu_chi"),
    ("sử dụng ngân sách trong dự toán được giao", "thu_chi"),
    ("đẩy mạnh giải ngân vốn", "thu_chi"),
    ("nguồn vốn giao triển khai còn chậm", "thu_chi"),
    ("tăng cường kỷ luật, kỷ cương tài chính", "thu_chi"),
    ("kể cả chi thường xuyên và chi đầu tư phát triển", "thu_chi"),
    ("còn tình trạng thu các khoản ngoài quy định", "thu_chi"),
    ("5. Công tác tài chính", "thu_chi"),
    ("duy trì kết quả phổ cập giáo dục mầm non cho trẻ em 5 tuổi", "pho_cap"),
    ("thí điểm phổ cập mẫu giáo 4 tuổi", "pho_cap"),
    ("đạt chuẩn phổ cập giáo dục trung học cơ sở mức độ 3", "pho_cap"),
    ("xóa mù chữ", "pho_cap"),
    ("xoá mù chữ", "pho_cap"),
    ("mở các lớp xóa mù chữ", "pho_cap"),
    ("1. PHỔ CẬP GIÁO DỤC, XÓA MÙ CHỮ", "pho_cap"),
    # phrasings of unseen documents (issue 9), written for this test
    ("sơ kết thực hiện Chương trình giáo dục phổ thông (GDPT) 2018 ở lớp 2", "gdpt2018"),
    ("triển khai Chương trình giáo dục phổ thông (CTGDPT) mới", "gdpt2018"),
    ("nhận sách giáo khoa lớp 3 mới trước ngày khai giảng", "gdpt2018"),
    ("giáo viên được tập huấn SGK mới của lớp 8", "gdpt2018"),
    ("biên soạn tài liệu môn Giáo dục địa phương", "gdpt2018"),
    ("kinh nghiệm dạy lớp 2 theo chương trình mới", "gdpt2018"),
    ("các lớp 1, 2, 3, 6 và 7 học theo chương trình mới", "gdpt2018"),
    ("tổ chức dạy học kết hợp trực tiếp và trực tuyến", "chuyen_doi_so"),
    ("học sinh lớp 12 học qua môi trường internet", "chuyen_doi_so"),
    ("thí điểm kiểm tra, đánh giá trên máy tính", "chuyen_doi_so"),
    ("thu học phí không dùng tiền mặt", "chuyen_doi_so"),
    ("kết nối, chia sẻ dữ liệu với hệ thống của Bộ", "chuyen_doi_so"),
    ("bảo đảm an toàn thông tin cho cổng dịch vụ", "chuyen_doi_so"),
    ("tỷ lệ người biết chữ trong độ tuổi 15-60 đạt 98%", "pho_cap"),
    ("duy trì chuẩn PCGD tiểu học mức độ 3", "pho_cap"),
    ("các xã đạt chuẩn XMC mức độ 2", "pho_cap"),
    # literacy levels and the universal-education records
    ("người trong độ tuổi 15-35 biết chữ mức độ 2 đạt 97%", "pho_cap"),
    ("cập nhật số liệu phổ cập lên hệ thống", "pho_cap"),
    # collections: several items, over the limit, per pupil, a fund, who may collect
    ("tình trạng thu nhiều khoản đầu năm học", "thu_chi"),
    ("một số trường thu vượt quy định", "thu_chi"),
    ("tiền ăn bán trú 25.000 đồng/học sinh/ngày", "thu_chi"),
    ("khoản quỹ này không bắt buộc", "thu_chi"),
    ("các trường chỉ được thu sau khi thỏa thuận với cha mẹ học sinh", "thu_chi"),
    # digital infrastructure, systems and platforms
    ("đầu tư hạ tầng số cho trường học", "chuyen_doi_so"),
    ("hoàn thiện hệ sinh thái giáo dục số", "chuyen_doi_so"),
    ("hệ thống thông tin quản lý giáo dục", "chuyen_doi_so"),
    ("khai thác hệ thống quản lý học tập (LMS)", "chuyen_doi_so"),
    ("Trung tâm điều hành IOC của ngành", "chuyen_doi_so"),
    ("100% trường có kết nối internet cáp quang", "chuyen_doi_so"),
    ("phụ huynh nộp học phí qua mã QR", "chuyen_doi_so"),
    ("hiệu trưởng ký số học bạ của học sinh", "chuyen_doi_so"),
    ("giờ học tại phòng học thông minh", "chuyen_doi_so"),
    ("giáo viên để dạy theo chương trình mới ở cấp tiểu học", "gdpt2018"),
    ("cơ sở vật chất chưa đáp ứng yêu cầu của chương trình mới", "gdpt2018"),
])
def test_variants_of_topics_md_are_found(text, topic):
    assert topic in topics_of(text)
    # The same passage in NFD, upper case and with its spaces turned into line breaks.
    for variant in (unicodedata.normalize("NFD", text), text.upper(), text.replace(" ", "\n")):
        assert topic in topics_of(variant), variant


@pytest.mark.parametrize("text, topic", [
    ("giáo dục phổ thông", "gdpt2018"),
    ("đổi mới phương pháp dạy học", "gdpt2018"),
    ("Thực hiện Chương trình công tác tháng 9", "gdpt2018"),
    ("Chương trình mục tiêu quốc gia", "gdpt2018"),
    ("Chương trình “Sách cũ cho năm học mới”", "gdpt2018"),
    ("có nhiều chuyển biến tích cực", "chuyen_doi_so"),
    ("đăng trên cổng Thông tin điện tử của ngành", "chuyen_doi_so"),
    ("Hội nghị giao ban trực tuyến quý III", "chuyen_doi_so"),
    ("dạy học qua truyền hình", "chuyen_doi_so"),
    ("văn bản số 169/UBND-VX", "chuyen_doi_so"),
    ("Thu hút và sử dụng hiệu quả các nguồn lực", "thu_chi"),
    ("thu gọn lại các điểm trường lẻ", "thu_chi"),
    ("nhằm thu hẹp khoảng cách giới", "thu_chi"),
    ("thu thập thông tin", "thu_chi"),
    ("Thư ký Hội đồng", "thu_chi"),
    ("kế hoạch chi tiết", "thu_chi"),
    ("Giao phòng Kế hoạch - Tài chính", "thu_chi"),
    ("Phối hợp với Sở Tài chính tham mưu UBND tỉnh", "thu_chi"),
    ("tiếp thu ý kiến góp ý của các đơn vị", "thu_chi"),
    ("Các Sở: KHĐT, Tài chính, Nội vụ;", "thu_chi"),
    ("chỉ đạo thực hiện", "thu_chi"),
    ("tuyên truyền, phổ biến", "pho_cap"),
    ("Tổ chức tuần lễ học tập suốt đời", "pho_cap"),
    ("Tỷ lệ huy động trẻ mẫu giáo 5 tuổi đi học đạt 100%", "pho_cap"),
    ("nâng cao thu nhập cho giáo viên mầm non", "thu_chi"),
    ("nguồn thu nhập của người dân còn thấp", "thu_chi"),
    ("tổ chức thu hồ sơ tuyển sinh lớp 10", "thu_chi"),
    ("Sách cũ cho năm học mới", "gdpt2018"),
    ("sách giáo khoa cho năm học mới", "gdpt2018"),
    ("học sinh lớp 5 theo học chương trình tiếng Anh", "gdpt2018"),
    ("hoạt động giáo dục của địa phương", "gdpt2018"),
    ("đưa tin trên trang thông tin điện tử của trường", "chuyen_doi_so"),
    ("lương bình quân 7 triệu đồng/tháng", "thu_chi"),
    ("thiết bị số 3 được bàn giao", "chuyen_doi_so"),
    ("hệ thống quản lý chất lượng ISO", "chuyen_doi_so"),
    ("ký sổ giao nhận hồ sơ", "chuyen_doi_so"),
    ("khai trương chương trình mới của nhà văn hóa", "gdpt2018"),
])
def test_look_alikes_from_topics_md_are_not_tagged(text, topic):
    assert topic not in topics_of(text)


def test_accents_matter_unless_a_pattern_says_accentless():
    # "thư" is not "thu", "chỉ" is not "chi"
    assert "thu_chi" not in topics_of("thư, chỉ đạo")
    strict = Topic("mu_chu", "Mù chữ", "Literacy", include=(Pattern("xóa mù chữ"),))
    loose = Topic("mu_chu", "Mù chữ", "Literacy", include=(Pattern("xoa mu chu", accentless=True),))
    for topic, expected in ((strict, []), (loose, ["mu_chu"])):
        book = parse_codebook(codebook_yaml(Codebook((topic,))))
        assert topics_of("lop xoa mu chu", book) == expected
        assert topics_of("lớp XOÁ MÙ CHỮ", book) == ["mu_chu"]


# Every exclude of the default codebook, with a sentence where an include of the same topic
# overlaps it: without the exclude the topic would be tagged, with it, it is not.
EXCLUDE_CASES = [
    ("gdpt2018", "(chương trình|ct) (giáo dục phổ thông|gdpt) (hiện hành|cũ|2006)",
     "Tinh giản nội dung, đổi mới chương trình giáo dục phổ thông hiện hành."),
    ("chuyen_doi_so", "chuyển đổi số (liệu|lượng)", "Chuyển đổi số liệu báo cáo sang mẫu mới."),
    ("thu_chi", "thu hút", "Nâng mức thu hút đầu tư vào giáo dục."),
    ("thu_chi", "thu gọn", "Tổ chức thu gọn các điểm trường lẻ."),
    ("thu_chi", "thu hẹp", "Tổ chức thu hẹp khoảng cách vùng miền."),
    ("thu_chi", "thu thập", "Tổ chức thu thập dữ liệu học sinh."),
    ("thu_chi", "thu nhận", "Tổ chức thu nhận hồ sơ tuyển sinh."),
    ("thu_chi", "thu nhập", "Nâng mức thu nhập của giáo viên."),
    ("thu_chi", "thu hồ sơ", "Tổ chức thu hồ sơ dự tuyển."),
    ("thu_chi", "thu hồi", "Tổ chức thu hồi thiết bị hỏng."),
    ("thu_chi", "mùa thu", "Trong mùa thu, chi đội tổ chức nhiều hoạt động."),
    ("thu_chi", "chi (tiết|bộ|hội|nhánh|cục|đoàn)", "Hướng dẫn thu, chi tiết từng hạng mục công việc."),
    ("an_toan", "((đảm bảo|bảo đảm) )?(an toàn|an ninh)( (và )?(an toàn|an ninh))? (thông tin|mạng|dữ liệu)",
     "Đảm bảo an toàn, an ninh thông tin cho hệ thống phần mềm."),
    ("pho_cap", "phổ cập (kiến thức|pháp luật|tin học|bơi|thông tin)",
     "Đẩy mạnh công tác phổ cập kiến thức pháp luật cho học sinh."),
]


def test_every_exclude_has_a_case():
    listed = {(topic, source) for topic, source, _ in EXCLUDE_CASES}
    defined = {(t.id, p.source) for t in DEFAULT.topics for p in t.exclude}
    assert listed == defined


@pytest.mark.parametrize("topic_id, source, sentence", EXCLUDE_CASES)
def test_every_exclude_blocks_its_overlapping_include(topic_id, source, sentence):
    topic = DEFAULT.topic(topic_id)
    without = replace(topic, exclude=tuple(p for p in topic.exclude if p.source != source))
    assert topic_id in topics_of(sentence, Codebook((without,)))
    assert topic_id not in topics_of(sentence, Codebook((topic,)))
