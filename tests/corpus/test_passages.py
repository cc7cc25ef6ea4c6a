"""Passage splitting and section roles, measured against the gold passages of the seeds."""

from __future__ import annotations

import textwrap
import unicodedata
from functools import cache, lru_cache

import pandas as pd
import pytest

from analysis.corpus.evaluate import match_gold, role_agreement
from analysis.corpus.passages import (
    drop_debris,
    heading_role,
    join_broken_lines,
    leadin_role,
    sentence_role,
    split_header_columns,
    split_passages,
    split_sentences,
)
from analysis.paths import RAW_DIR
from analysis.schema import PASSAGE_COLUMNS, ROLES
from analysis.text.normalize import normalize_text

from testdata import SEED_GOLD

SEEDS = sorted(RAW_DIR.glob("*.txt"))


@cache
def _seed_text(name: str) -> str:
    return normalize_text((RAW_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _seed_passages() -> pd.DataFrame:
    frames = [split_passages(_seed_text(path.name), path.stem) for path in SEEDS]
    return pd.concat(frames, ignore_index=True)


@lru_cache(maxsize=1)
def _gold() -> pd.DataFrame:
    return pd.read_json(SEED_GOLD, lines=True)


@pytest.mark.parametrize("text_in, text_out", [
    ("Tiêu đề\n\nLượt xem:\n\nĐọc bài viết\n\nNgày 31/3, Sở họp.", "Tiêu đề\n\n\n\nNgày 31/3, Sở họp."),
    ("kịp thời.\n2\n- Việc triển khai", "kịp thời.\n- Việc triển khai"),
    ("Lượt xem: 1.234\nChia sẻ\nIn bài viết\nNội dung.", "Nội dung."),
    # must NOT change: list markers, numbers inside text, "lượt xem" inside a sentence
    ("1. Tiếp tục chỉ đạo.\n2. Chỉ đạo.", "1. Tiếp tục chỉ đạo.\n2. Chỉ đạo."),
    ("Tỷ lệ lượt xem: tăng 20%.", "Tỷ lệ lượt xem: tăng 20%."),
    ("đạt 99,37%\n100% các trường", "đạt 99,37%\n100% các trường"),
])
def test_drop_debris(text_in: str, text_out: str) -> None:
    assert drop_debris(text_in) == text_out


@pytest.mark.parametrize("text_in, text_out", [
    # rules under a letterhead and empty table cells of a legal-database copy
    ("UBND TỈNH LẠNG SƠN\n-------\n|\nSố: 7/KH-UBND\n------- ---------------\nNội dung.",
     "UBND TỈNH LẠNG SƠN\nSố: 7/KH-UBND\nNội dung."),
    # navigation, breadcrumb and share bars
    ("Trang chủ › Tin tức › Giáo dục\nNội dung.\nChia sẻ | Bình luận | In bài", "Nội dung."),
    ("Văn bản mới > Giáo dục\nNội dung.", "Nội dung."),
    # ... but a table row or a sentence with a pipe is text
    ("Trường | Số lớp | Số học sinh\nTỷ lệ đạt 98% | tăng 2%.", "Trường | Số lớp | Số học sinh\nTỷ lệ đạt 98% | tăng 2%."),
    # a related-news list and its heading
    ("Hết bài.\nTin cùng chuyên mục\n- Khai giảng năm học mới ở vùng cao\n\n- Trao học bổng cho học sinh nghèo",
     "Hết bài."),
    ("Hết bài.\nXem thêm:\nHọc sinh nghỉ học vì mưa lũ\nSở yêu cầu các trường báo cáo thiệt hại.",
     "Hết bài.\nSở yêu cầu các trường báo cáo thiệt hại."),
    # "most read" and "same topic" lists of news sites
    ("Hết bài.\nĐọc nhiều\nGiá lúa tăng nhẹ\nKhởi công cầu mới", "Hết bài."),
    ("Hết bài.\nCùng chủ đề\nTuyển sinh đầu cấp: nhiều trường đủ chỉ tiêu", "Hết bài."),
    ("Hết bài.\nTin xem nhiều nhất\nHọc sinh giỏi quốc gia năm 2024", "Hết bài."),
    # a rating bar, and hashtags run onto the byline
    ("Hết bài.\nĐánh giá bài viết: ☆☆☆☆☆ | Bình luận (0)", "Hết bài."),
    ("Hết bài.\nMINH CHÂU #giáo dục #học phí #chuyển đổi số", "Hết bài.\nMINH CHÂU"),
    # a site's copyright and licence lines
    ("Hết bài.\nBản quyền thuộc về Báo Sơn La. Địa chỉ: 26 đường Tô Hiệu, thành phố Sơn La.\n"
     "Ghi rõ nguồn \"Báo Sơn La\" khi phát hành lại thông tin từ website này.\nGiấy phép số 45/GP-BTTTT.",
     "Hết bài."),
    # a view counter appended to a headline
    ("Ngành giáo dục tổng kết năm học (Lượt xem: 1.204)\nNội dung.", "Ngành giáo dục tổng kết năm học\nNội dung."),
])
def test_drop_debris_of_layouts_and_web_pages(text_in: str, text_out: str) -> None:
    assert drop_debris(text_in) == text_out


@pytest.mark.parametrize("text_in, lines", [
    # the two letterhead columns side by side on each line (legal-database copy)
    ("UBND TỈNH HÀ NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
     "Số: 15/BC-SGDĐT Hà Nam, ngày 3 tháng 4 năm 2024\nBÁO CÁO",
     ["UBND TỈNH HÀ NAM", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 15/BC-SGDĐT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc", "Hà Nam, ngày 3 tháng 4 năm 2024", "BÁO CÁO"]),
    # a place name of several words, and a table pipe between the cells
    ("Số: 9/TB-SGDĐT | Phan Rang-Tháp Chàm, ngày 1 tháng 2 năm 2023", ["Số: 9/TB-SGDĐT", "Phan Rang-Tháp Chàm, ngày 1 tháng 2 năm 2023"]),
    # a legal database's table: one row per line, cells between pipes
    ("| UBND TỈNH BẮC KẠN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n| SỞ GIÁO DỤC VÀ ĐÀO TẠO | Độc lập - Tự do - Hạnh phúc |\n"
     "| Số: 3/KH-SGDĐT | Bắc Kạn, ngày 2 tháng 1 năm 2024 |",
     ["UBND TỈNH BẮC KẠN", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 3/KH-SGDĐT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc", "Bắc Kạn, ngày 2 tháng 1 năm 2024"]),
    # ... but a table of figures is not a letterhead
    ("| Cấp học | Số trường |\n| Tiểu học | 120 |", ["| Cấp học | Số trường |", "| Tiểu học | 120 |"]),
    # a letterhead already one cell per line is unchanged; so is a number line without a date
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-SGDĐT",
     ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-SGDĐT"]),
])
def test_split_header_columns(text_in: str, lines: list[str]) -> None:
    assert split_header_columns(text_in).split("\n") == lines


@pytest.mark.parametrize("text_in, passages", [
    # the parent body, the issuing body, the national title and the motto are passages of their own;
    # a body's name broken over two lines is one
    ("ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
     "PHÒNG GIÁO DỤC\nĐộc lập - Tự do - Hạnh phúc\nKẾ HOẠCH\nTuyển sinh năm học 2024-2025",
     ["ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "PHÒNG GIÁO DỤC", "Độc lập - Tự do - Hạnh phúc", "KẾ HOẠCH", "Tuyển sinh năm học 2024-2025"]),
    # below the type heading, a title in capitals may wrap before a body's name
    ("KẾ HOẠCH\nPHỐI HỢP GIỮA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO VÀ CÔNG AN TỈNH",
     ["KẾ HOẠCH", "PHỐI HỢP GIỮA SỞ GIÁO DỤC VÀ ĐÀO TẠO VÀ CÔNG AN TỈNH"]),
    # signature block: authority, title, name
    ("Nơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Minh",
     ["Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Minh"]),
    # addressees: inline first recipient keeps the others with it; "Kính gửi:" alone does not
    ("Kính gửi: - UBND tỉnh;\n- Bộ Giáo dục và Đào tạo.\nNội dung.",
     ["Kính gửi: - UBND tỉnh; - Bộ Giáo dục và Đào tạo.", "Nội dung."]),
    ("Kính gửi:\n- UBND tỉnh;\n- Bộ Giáo dục và Đào tạo.", ["Kính gửi:", "- UBND tỉnh;", "- Bộ Giáo dục và Đào tạo."]),
    # typed text: a line after a finished sentence is a paragraph even in lower case (a photo caption)
    ("Sở tổ chức hội nghị tổng kết.\nông Lê Văn Nam phát biểu tại hội nghị.\nHội nghị kết thúc.",
     ["Sở tổ chức hội nghị tổng kết.", "ông Lê Văn Nam phát biểu tại hội nghị.", "Hội nghị kết thúc."]),
    # a photo credit stays with its caption
    ("Học sinh trong giờ học. (Ảnh: Minh Hà)\nCô giáo hướng dẫn học sinh. Ảnh minh họa",
     ["Học sinh trong giờ học. (Ảnh: Minh Hà)", "Cô giáo hướng dẫn học sinh. Ảnh minh họa"]),
    # items run on after a list intro
    ("Lộ trình gồm hai bước như sau: (1) Học sinh lớp 9 đi học từ ngày 4/5. (2) Các lớp còn lại từ ngày 11/5.",
     ["Lộ trình gồm hai bước như sau:", "(1) Học sinh lớp 9 đi học từ ngày 4/5.", "(2) Các lớp còn lại từ ngày 11/5."]),
    ("Hồ sơ gồm: a) đơn đăng ký; b) học bạ.", ["Hồ sơ gồm:", "a) đơn đăng ký; b) học bạ."]),
])
def test_passages_of_letterheads_signatures_captions_and_run_on_lists(text_in: str, passages: list[str]) -> None:
    assert split_passages(text_in, "x")["text"].tolist() == passages


def test_lower_case_line_still_continues_a_hard_wrapped_sentence() -> None:
    # Printed-width lines that stop mid-sentence: the text is hard-wrapped, so a line ending in a
    # period followed by one in lower case is still one sentence.
    lines = ["Năm học 2023-2024, Sở Giáo dục và Đào tạo đã tổ chức tập huấn cho giáo viên",
             "cốt cán của các huyện và thành phố về đổi mới phương pháp dạy học, kiểm tra",
             "đánh giá học sinh theo định hướng phát triển năng lực, phẩm chất người học tại",
             "các trường học của huyện Mường Lát, Quan Sơn, Quan Hóa, Bá Thước, Lang Chánh.",
             "và các xã vùng cao khác, bảo đảm đúng tiến độ và yêu cầu của Bộ đề ra.",
             "Các trường đã xây dựng kế hoạch giáo dục nhà trường theo hướng dẫn của Sở."]
    assert len(split_passages("\n".join(lines), "x")) == 2


def test_list_marker_left_at_the_end_of_a_wrapped_line_goes_with_its_item() -> None:
    lines = ["II. PHƯƠNG HƯỚNG, NHIỆM VỤ",
             "1. Tiếp tục thực hiện có hiệu quả Chương trình giáo dục phổ thông 2018 ở tất cả",
             "các cấp học, phù hợp với điều kiện thực tế của từng nhà trường trong tỉnh. 2.",
             "Đổi mới phương pháp dạy học và kiểm tra, đánh giá theo hướng phát triển năng lực",
             "của người học, bảo đảm khách quan, công bằng và đúng quy định hiện hành. 3. Đẩy",
             "mạnh chuyển đổi số trong quản lý và dạy học ở các cơ sở giáo dục trên địa bàn."]
    texts = split_passages("\n".join(lines), "x")["text"].tolist()
    assert texts[2].startswith("2. Đổi mới phương pháp") and texts[3].startswith("3. Đẩy mạnh chuyển đổi số")
    assert len(texts) == 4


def test_a_site_menu_naming_document_types_does_not_make_a_news_post_administrative() -> None:
    text = ("Trang chủ\nKế hoạch\nThông báo\nHội nghị tổng kết năm học\n"
            "Sáng 20/5, Phòng GD&ĐT huyện tổ chức hội nghị tổng kết năm học.\n"
            "Tỷ lệ học sinh lên lớp đạt 99,2%.")
    assert split_passages(text, "news")["role"].tolist()[-1] == "achievement"


@pytest.mark.parametrize("text_in, text_out", [
    # a page-break blank line inside a phrase
    ("triển khai có hiệu quả Chương trình Giáo\n\ndục phổ thông 2018.", "triển khai có hiệu quả Chương trình Giáo dục phổ thông 2018."),
    # heading, list items and the signature block keep their boundaries
    ("1. Ưu điểm\n- Các phòng đã bám sát;\n- Công tác quản lý có đổi\nmới, sáng tạo.",
     "1. Ưu điểm\n- Các phòng đã bám sát;\n- Công tác quản lý có đổi mới, sáng tạo."),
    ("THÔNG BÁO\nKết luận của Giám đốc Sở tại Hội nghị\nGiao ban học kỳ I\nNgày 12/01/2023, Sở họp.",
     "THÔNG BÁO\nKết luận của Giám đốc Sở tại Hội nghị Giao ban học kỳ I\nNgày 12/01/2023, Sở họp."),
    # the signing authority and the signer's title are lines of their own (as labelled in gold/more)
    ("Nơi nhận:\n- Lưu: VT.\nTL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\nLê Mạnh Trường",
     "Nơi nhận:\n- Lưu: VT.\nTL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\nLê Mạnh Trường"),
    # already one paragraph per line: unchanged
    ("II. MỤC TIÊU\nTăng cường sự lãnh đạo.\n* Một số chỉ tiêu chủ yếu",
     "II. MỤC TIÊU\nTăng cường sự lãnh đạo.\n* Một số chỉ tiêu chủ yếu"),
])
def test_join_broken_lines(text_in: str, text_out: str) -> None:
    assert join_broken_lines(text_in) == text_out


def test_join_broken_lines_rejoins_a_wrapped_number_that_is_not_a_list_item() -> None:
    width_lines = [
        "Tập trung chỉ đạo thực hiện đổi mới chương trình giáo dục phổ thông 2018, chuẩn bị",
        "các điều kiện triển khai thực hiện chương trình GDPT 2018 đối với lớp 3, lớp 7, lớp",
        "10. Chỉ đạo công tác tổ chức thi tốt nghiệp THPT năm 2022 an toàn, nghiêm túc, đúng",
        "quy chế, tỷ lệ thí sinh đỗ tốt nghiệp THPT đạt 99,37%, điểm trung bình đạt cao.",
    ]
    joined = join_broken_lines("\n\n".join(width_lines))
    assert "\n" not in joined
    assert "lớp 3, lớp 7, lớp 10. Chỉ đạo" in joined


@pytest.mark.parametrize("block, sentences", [
    ("Ngày 31/3, Sở tổ chức Hội nghị. TS. Phạm Thị Trung chủ trì Hội nghị.",
     ["Ngày 31/3, Sở tổ chức Hội nghị.", "TS. Phạm Thị Trung chủ trì Hội nghị."]),
    ("1. 3. Về công tác đào tạo, bồi dưỡng", ["1. 3. Về công tác đào tạo, bồi dưỡng"]),
    ("I. Đánh giá kết quả", ["I. Đánh giá kết quả"]),
    ("- Mầm non: đạt 46% trở lên. Tỷ lệ huy động đạt 99%.", ["- Mầm non: đạt 46% trở lên.", "Tỷ lệ huy động đạt 99%."]),
    ("kế hoạch năm học 2022 - 2023. 100% các trường đã xây dựng.",
     ["kế hoạch năm học 2022 - 2023.", "100% các trường đã xây dựng."]),
    ("hội thảo, bồi dưỡng...; tích cực đổi mới.", ["hội thảo, bồi dưỡng...; tích cực đổi mới."]),
    ("của năm.... Đẩy mạnh truyền thông.", ["của năm....", "Đẩy mạnh truyền thông."]),
])
def test_split_sentences(block: str, sentences: list[str]) -> None:
    assert split_sentences(block) == sentences


@pytest.mark.parametrize("heading, role", [
    ("2. Tồn tại, hạn chế", "shortcoming"),
    ("2. Hạn chế, tồn tại", "shortcoming"),
    ("1. Ưu điểm", "achievement"),
    ("I. ĐÁNH GIÁ CHUNG KẾT QUẢ THỰC HIỆN NHIỆM VỤ CÔNG TÁC THÁNG 9", "achievement"),
    ("II. Nhiệm vụ đến hết học kỳ II", "task"),
    ("III. GIẢI PHÁP, CHỈ ĐẠO ĐIỀU HÀNH", "task"),
    ("IV. TỔ CHỨC THỰC HIỆN", "task"),
    ("II. MỤC TIÊU", "target"),
    ("I. MỤC ĐÍCH, YÊU CẦU", "target"),
    ("1. Kết quả triển khai Chương trình GDPT 2018", "achievement"),
    ("Kết quả đạt được", "achievement"),
    ("* Một số chỉ tiêu chủ yếu", "target"),
    ("III. VỀ CÁC KIẾN NGHỊ, ĐỀ XUẤT CỦA CÁC ĐƠN VỊ", "proposal"),
    ("I. CĂN CỨ XÂY DỰNG KẾ HOẠCH", "context"),
    ("1. Về công tác tuyển sinh năm học 2023 - 2024", None),
    ("I. ĐÁNH GIÁ CHUNG", "achievement"),
    ("3. Khó khăn, vướng mắc", "shortcoming"),
    ("2. Khó khăn", "shortcoming"),
    ("3. Công tác hỗ trợ học sinh có hoàn cảnh khó khăn", None),
    ("III. Giải pháp khắc phục khó khăn", "task"),
    # plans and reports (topics.md, "Role decisions for the harder cases")
    ("2. Yêu cầu", "target"),
    ("Yêu cầu đối với các trường", None),
    ("II. ĐỐI TƯỢNG, PHẠM VI", "context"),
    ("3. Phạm vi áp dụng", "context"),
    ("I. ĐẶC ĐIỂM TÌNH HÌNH", "context"),
    ("1. Thực trạng", "achievement"),
    ("1. Quan điểm", "context"),  # the views a plan starts from: neither aims nor tasks
    ("I. QUAN ĐIỂM, MỤC TIÊU", "target"),  # the part holds the aims too; its sub-headings decide
])
def test_heading_role(heading: str, role: str | None) -> None:
    assert heading_role(heading) == role


@pytest.mark.parametrize("sentence, role", [
    ("Bên cạnh đó, vẫn còn một số tồn tại, hạn chế như: Công tác phân luồng còn hạn chế.", "shortcoming"),
    ("Trong quý III/2022, ngành GD&ĐT đã chỉ đạo thực hiện các nhiệm vụ theo kế hoạch.", "achievement"),
    ("Trong quý IV/2022, các đơn vị tập trung thực hiện tốt một số nhiệm vụ trọng tâm sau:", "task"),
    ("Giám đốc sở yêu cầu các đơn vị tập trung triển khai các nhiệm vụ, cụ thể như sau:", "task"),
    ("Năm học 2022-2023, ngành giáo dục tỉnh đã đạt được nhiều kết quả quan trọng.", "achievement"),
    ("Tuy nhiên, công tác phổ cập vẫn còn một số hạn chế.", "shortcoming"),
    ("Thời gian tới, các đơn vị tiếp tục rà soát đội ngũ.", "task"),
    ("Trong quý IV, các đơn vị hoàn thành các nhiệm vụ đã đề ra.", None),
    ("Đồng chí Giám đốc Sở chủ trì Hội nghị, kết luận như sau:", None),
    ("Huy động tối đa các mặt tích cực, kết quả đạt được trong năm 2023.", None),
    # "Bên cạnh đó" switches only when it introduces a problem
    ("Bên cạnh đó, huyện còn có thêm hai trường được công nhận đạt chuẩn.", None),
    ("Bên cạnh những kết quả đạt được, việc tuyển dụng giáo viên vẫn còn chậm.", "shortcoming"),
    ("Bên cạnh đó, một số trường chưa bố trí đủ phòng học bộ môn.", "shortcoming"),
    ("Giám đốc Sở phân công nhiệm vụ cho các Phó Giám đốc như sau:", "task"),
    ("Theo kết luận của đoàn, huyện đã hoàn thành các tiêu chí về phổ cập.", "achievement"),
])
def test_leadin_role(sentence: str, role: str | None) -> None:
    assert leadin_role(sentence) == role


@pytest.mark.parametrize("sentence, role", [
    # reported results
    ("Năm 2023, tỷ lệ học sinh lên lớp đạt 98,7%, tăng 0,5% so với năm trước.", "achievement"),
    ("Huyện Mường Tè được công nhận đạt chuẩn xóa mù chữ mức độ 2.", "achievement"),
    ("Đội tuyển của tỉnh giành 3 huy chương vàng tại hội thi cấp quốc gia.", "achievement"),
    ("Lãnh đạo tỉnh đánh giá cao nỗ lực của các nhà trường trong năm qua.", "achievement"),
    ("Theo báo cáo, giáo dục mầm non của huyện có nhiều chuyển biến.", "achievement"),
    # reported problems
    ("Trường học vùng cao vẫn còn thiếu phòng học bộ môn.", "shortcoming"),
    ("Nhiều trường chưa đáp ứng yêu cầu về thiết bị dạy học.", "shortcoming"),
    ("Các xã biên giới còn gặp nhiều khó khăn trong duy trì sĩ số.", "shortcoming"),
    # what an authority asks or directs
    ("Giám đốc Sở đề nghị các trường rà soát đội ngũ giáo viên.", "task"),
    ("Ông cũng yêu cầu các phòng giáo dục kiểm tra việc thu chi đầu năm.", "task"),
    ("Hiệu trưởng phải chịu trách nhiệm nếu để xảy ra tai nạn trong trường.", "task"),
    ("Hội nghị thống nhất các giải pháp trọng tâm cho học kỳ II.", "task"),
    # a recommendation to a higher body, or by an inspection team
    ("Sở đề xuất UBND tỉnh bổ sung kinh phí sửa chữa trường học.", "proposal"),
    ("Đoàn giám sát của HĐND tỉnh kiến nghị Sở sớm ban hành hướng dẫn.", "proposal"),
    # who met, where and when; a document issued or cited
    ("Sáng 12/9, Sở GD&ĐT tổ chức hội nghị tổng kết năm học 2023-2024.", "context"),
    ("Chủ tịch UBND tỉnh đã ký quyết định công nhận 12 trường đạt chuẩn quốc gia.", "context"),
    ("Tại hội thảo, các đại biểu thảo luận về cách dạy môn Tiếng Anh.", "context"),
    ("Việc xếp loại được thực hiện căn cứ Thông tư số 17/2021/TT-BGDĐT.", "context"),
    # what the sector will or should do; a quantified aim
    ("Thời gian tới, theo ông Hùng, ngành sẽ tập trung bồi dưỡng giáo viên tiếng Anh.", "task"),
    ("Các trường cần chủ động rà soát nhu cầu sửa chữa phòng học.", "task"),
    ("Sở yêu cầu mọi giáo viên trở về địa phương trước ngày 20/2.", "task"),
    ("Ngành phấn đấu có thêm 20 trường đạt chuẩn quốc gia trong năm 2025.", "target"),
    ("Đến năm 2030, 100% trường tiểu học có phòng học tiếng Anh.", "target"),
    ("Đến cuối năm 2024, toàn tỉnh đã có 70% trường đạt chuẩn quốc gia.", "achievement"),
    # a problem stated after a result, or with "Tuy nhiên"
    ("Tuy nhiên, tỷ lệ học sinh bỏ học ở vùng cao vẫn cao.", "shortcoming"),
    ("Một số xã còn hạn chế về cơ sở vật chất, cần tiếp tục đầu tư.", "shortcoming"),
    # imperatives and purposes are not results
    ("Tiếp tục làm tốt công tác phân luồng học sinh sau THCS.", None),
    ("Các trường nỗ lực để được công nhận đạt chuẩn quốc gia.", None),
    # no cue: the sentence continues the role of the one before it
    ("Tỉnh ủy đã chỉ đạo các sở, ngành vào cuộc quyết liệt.", None),
    ("Toàn tỉnh hiện có 312 trường học với 9.540 giáo viên.", "context"),
    ("Kỳ thi đã được tổ chức nghiêm túc, đúng quy chế.", None),
    # hardships outside the sector's work are the setting (topics.md), its own failings are not
    ("Địa hình đồi núi bị chia cắt, việc đi lại của học sinh rất khó khăn.", "context"),
    ("Đời sống của đồng bào vùng cao còn nhiều khó khăn.", "context"),
    ("Sau đợt lũ, đời sống nhiều gia đình ở vùng sâu còn khó khăn.", "context"),
    # complaints reported are problems
    ("Nhiều phụ huynh ở thị xã phản ánh phải đóng góp quá nhiều khoản đầu năm.", "shortcoming"),
    # asking a higher body for support is a proposal; a ministry asking the provinces directs them
    ("Tại buổi làm việc, lãnh đạo Sở đề nghị tỉnh hỗ trợ kinh phí sửa chữa phòng học.", "proposal"),
    ("Bộ đề nghị UBND các tỉnh bố trí đủ giáo viên.", "task"),
    # prohibitions, and a directive's content after "Theo đó"
    ("Mức thu học phí khi dạy học trực tuyến không được vượt quá mức đã quy định.", "task"),
    ("Ban đại diện cha mẹ học sinh không được quyên góp để chi cho việc sửa chữa phòng học.", "task"),
    # work the sector reports done is a result; a meeting it held is context
    ("Toàn ngành đã xây dựng kho học liệu số dùng chung cho giáo viên.", "achievement"),
    ("Nhiều trường đã chuyển sang thu học phí qua ngân hàng.", "achievement"),
    ("Sở GD&ĐT đã tổ chức hội nghị tổng kết năm học.", "context"),
    # a letter sent is context; who is responsible is told a task; limits pointed out are problems
    ("Bộ GD&ĐT vừa có văn bản gửi các sở về việc tăng cường quản lý các khoản thu.", "context"),
    ("Hiệu trưởng chịu trách nhiệm nếu để xảy ra lạm thu trong nhà trường.", "task"),
    ("Bên cạnh đó, hội nghị cũng chỉ ra một số hạn chế.", "shortcoming"),
    # what the sector will do, said before the problem it addresses, is a task
    ("Chủ tịch UBND tỉnh cho biết tỉnh sẽ rà soát để bổ sung giáo viên ở các môn còn thiếu.", "task"),
    ("Kế hoạch được triển khai toàn tỉnh với mục tiêu nâng tỷ lệ biết chữ lên 95%.", "target"),
    ("Kết quả phổ cập giáo dục tiếp tục được giữ vững.", "achievement"),
    ("12/12 xã giữ vững chuẩn xóa mù chữ mức độ 2.", "achievement"),
    # a request or an emphasis put on an act is a direction; a province asking the centre proposes
    ("Bộ cũng yêu cầu tăng cường các điều kiện bảo đảm chất lượng.", "task"),
    ("Văn bản nhấn mạnh việc đẩy mạnh chuyển đổi số trong quản lý.", "task"),
    ("Các sở cần có giải pháp hỗ trợ chính quyền cấp xã.", "task"),
    ("Sở GD&ĐT đề nghị Bộ sớm ban hành quy định về học bạ số.", "proposal"),
    ("Sở cũng đề xuất mở rộng học bạ số sang cấp trung học.", "proposal"),
    ("Một số trường vẫn còn thiếu phòng học bộ môn.", "shortcoming"),
    # letting a wrong happen is a failing; not letting it happen is what the sector will do
    ("Một vài trường còn để xảy ra tình trạng dạy thêm trái quy định.", "shortcoming"),
    ("Giám đốc Sở cho biết sẽ chấn chỉnh ngay, không để xảy ra tình trạng lạm thu.", "task"),
    # calls, rules and assignments reported in news are directions
    ("Bộ kêu gọi các địa phương chung tay xây dựng xã hội học tập.", "task"),
    ("Theo đó, các trường chỉ được thu các khoản theo danh mục đã duyệt.", "task"),
    ("Nhà trường không được phép ép buộc phụ huynh đóng góp.", "task"),
    ("Sở Tư pháp được giao chủ trì thẩm định dự thảo.", "task"),
    ("Tỷ lệ học sinh đi học chuyên cần chỉ được 80% ở các xã vùng sâu.", None),
    # results stated in the passive
    ("Hệ thống tuyển sinh đầu cấp trực tuyến đã được đưa vào vận hành.", "achievement"),
    ("Các phòng học bộ môn đã được đầu tư đồng bộ.", "achievement"),
])
def test_sentence_role(sentence: str, role: str | None) -> None:
    assert sentence_role(sentence) == role


# A news post written for this test: headline, dateline, meeting, results with a photo caption
# inside them, a problem, directions, and a last sentence ending "./.".
NEWS_POST = [
    ("Ngành giáo dục huyện Mèo Vạc tổng kết năm học", "context"),
    ("Chiều 28/5, Phòng GD&ĐT huyện Mèo Vạc tổ chức hội nghị tổng kết năm học 2023-2024.", "context"),
    ("Năm học qua, toàn huyện có 98% học sinh tiểu học hoàn thành chương trình lớp học, cao hơn 1,2% so với năm trước.", "achievement"),
    ("Số học sinh bỏ học giảm mạnh ở các xã vùng cao.", "achievement"),
    ("Bà Lò Thị Mai, Phó Chủ tịch UBND huyện phát biểu tại hội nghị.", "context"),
    ("Bên cạnh đó, huyện còn có thêm 4 trường được công nhận đạt chuẩn quốc gia.", "achievement"),
    ("Tuy nhiên, cơ sở vật chất ở nhiều điểm trường vẫn còn tạm bợ.", "shortcoming"),
    ("Phát biểu kết luận, bà Mai yêu cầu các trường chuẩn bị tốt cho năm học mới.", "task"),
    ("Các trường cần chủ động rà soát nhu cầu sửa chữa phòng học.", "task"),
    ("Sở yêu cầu mọi giáo viên trở về địa phương trước ngày 20/2.", "task"),
    ("Hội nghị cũng thống nhất các nhiệm vụ trọng tâm của năm học 2024-2025./.", "task"),
    ("Hoàng Nam", "context"),
]


# Two more news posts in other house styles: a provincial portal's conference report, and a
# short item on a plan just issued.
CONFERENCE_REPORT = [
    ("Tổng kết năm học 2023-2024 ngành Giáo dục tỉnh Quảng Trị", "context"),
    ("Ngày 14/8, Sở GD&ĐT tỉnh Quảng Trị tổ chức Hội nghị tổng kết năm học 2023-2024.", "context"),
    ("Dự hội nghị có đồng chí Hoàng Nam, Phó Chủ tịch UBND tỉnh.", "context"),
    ("Năm học 2023-2024, toàn ngành đã hoàn thành cơ bản các mục tiêu đề ra.", "achievement"),
    ("Quy mô mạng lưới trường lớp tiếp tục được sắp xếp hợp lý.", "achievement"),
    ("Tuy nhiên, ngành vẫn còn thiếu 500 giáo viên ở các cấp học.", "shortcoming"),
    ("Phát biểu chỉ đạo hội nghị, ông Hoàng Nam ghi nhận, biểu dương những kết quả ngành đạt được.", "achievement"),
    ("Ông đề nghị ngành tiếp tục đổi mới quản trị nhà trường, đẩy mạnh chuyển đổi số.", "task"),
    ("Dịp này, UBND tỉnh tặng Bằng khen cho 15 tập thể và 30 cá nhân.", "context"),
]
PLAN_NEWS = [
    ("Nghệ An ban hành kế hoạch thực hiện chương trình mới", "context"),
    ("UBND tỉnh Nghệ An vừa ban hành Kế hoạch thực hiện Chương trình GDPT 2018 năm học 2024-2025.", "context"),
    ("Theo kế hoạch, đến năm 2025, 100% trường tiểu học có đủ phòng học để dạy 2 buổi/ngày.", "target"),
    ("Kế hoạch yêu cầu các địa phương bố trí đủ giáo viên dạy Tin học và Tiếng Anh.", "task"),
    ("UBND tỉnh giao Sở GD&ĐT chủ trì, theo dõi việc thực hiện.", "task"),
]


# A photo caption (with its credit line) between results, and sub-headings opening the parts.
CAPTIONED_POST = [
    ("Sở GD&ĐT tỉnh Yên Bái vừa tổ chức hội nghị sơ kết học kỳ I.", "context"),
    ("Tỷ lệ học sinh dân tộc thiểu số đi học chuyên cần đạt 97%.", "achievement"),
    ("Học sinh Trường Tiểu học Nậm Búng trong giờ học.", "context"),
    ("Ảnh: Thu Hà", "context"),
    ("Nhiều trường đã tổ chức bán trú cho học sinh ở xa.", "achievement"),
]
SUBHEADED_POST = [
    ("Lai Châu tổng kết năm học 2023-2024", "context"),
    ("Sáng 3/6, Sở GD&ĐT tỉnh Lai Châu tổ chức hội nghị tổng kết năm học.", "context"),
    ("Nhiều kết quả nổi bật", "achievement"),
    ("Tỷ lệ học sinh tốt nghiệp THPT đạt 99,1%.", "achievement"),
    ("ThS. Lò Văn Hùng - Trưởng phòng Giáo dục trung học báo cáo tại hội nghị", "context"),
    ("Số học sinh giỏi quốc gia cũng nhiều hơn năm trước.", "achievement"),
    ("Những việc cần làm ngay", "task"),
    ("Giám đốc Sở yêu cầu các trường rà soát đội ngũ giáo viên.", "task"),
    ("Thu Trang", "context"),
]


# A sub-heading with no cue of its own ends the part a cue sub-heading opened; a direction naming
# who must act ("Các đơn vị phải ...") is a task in news too.
RESUBHEADED_POST = [
    ("Bình Phước đẩy mạnh học bạ số", "context"),
    ("Ngày 5/10, Sở GD&ĐT tỉnh Bình Phước tổ chức hội nghị sơ kết thí điểm học bạ số.", "context"),
    ("Kết quả bước đầu", "achievement"),
    ("Toàn tỉnh có 95% trường tiểu học đã đạt yêu cầu về dữ liệu học sinh.", "achievement"),
    ("Hướng tới năm học mới", "task"),
    ("Sở yêu cầu các trường rà soát hạ tầng mạng trước ngày 30/11.", "task"),
    ("Các đơn vị phải cập nhật đầy đủ hồ sơ giáo viên trên phần mềm.", "task"),
    ("Theo bà Lan, phụ huynh đánh giá cao tiện ích tra cứu kết quả học tập.", "achievement"),
]


@pytest.mark.parametrize("post", [NEWS_POST, CONFERENCE_REPORT, PLAN_NEWS, CAPTIONED_POST, SUBHEADED_POST,
                                  RESUBHEADED_POST],
                         ids=["news", "conference", "plan", "caption", "subheadings", "resubheaded"])
def test_roles_of_news_posts_sentence_by_sentence(post) -> None:
    passages = split_passages("\n".join(text for text, _ in post), "news")
    assert list(zip(passages["text"], passages["role"])) == post


# An official letter written for this test: the same kinds of sentences keep the roles of the
# letter's parts (administrative documents take roles from their structure, not sentence by sentence).
OFFICIAL_LETTER = """UBND TỈNH ĐIỆN BIÊN
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 512/SGDĐT-GDTrH
V/v hướng dẫn tổ chức dạy học môn Tin học năm học 2024-2025
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Điện Biên, ngày 9 tháng 9 năm 2024
Kính gửi: Các trường trung học phổ thông.
Sở GDĐT hướng dẫn các đơn vị tổ chức dạy học môn Tin học năm học 2024-2025 như sau:
1. Bố trí đủ giáo viên Tin học theo kế hoạch giáo dục của nhà trường.
2. Rà soát phòng máy tính, báo cáo Sở trước ngày 30/9/2024.
Sở GDĐT đề nghị các đơn vị nghiêm túc triển khai thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Lê Văn Bình"""


def test_roles_of_an_official_letter_come_from_its_structure() -> None:
    passages = split_passages(OFFICIAL_LETTER, "letter")
    roles = dict(zip(passages["text"], passages["role"]))
    assert roles["Sở GDĐT hướng dẫn các đơn vị tổ chức dạy học môn Tin học năm học 2024-2025 như sau:"] == "context"
    assert roles["1. Bố trí đủ giáo viên Tin học theo kế hoạch giáo dục của nhà trường."] == "task"
    assert roles["Sở GDĐT đề nghị các đơn vị nghiêm túc triển khai thực hiện./."] == "context"
    assert set(passages["role"]) == {"context", "task"}


def test_a_notice_directs_by_naming_who_must_act() -> None:
    """Without headings, "Hiệu trưởng các trường chủ động ..." is a direction (a task); the same
    words with "đã" report what was done."""
    text = ("UBND TỈNH YÊN BÁI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 12/TB-SGDĐT\nTHÔNG BÁO\nVề việc nghỉ học do mưa lũ\n"
            "Do mưa lớn kéo dài, nhiều tuyến đường vào các điểm trường bị sạt lở.\n"
            "Hiệu trưởng các trường chủ động cho học sinh nghỉ học khi có nguy cơ mất an toàn.\n"
            "Các phòng Giáo dục và Đào tạo phối hợp với chính quyền địa phương kiểm tra các điểm trường.")
    roles = split_passages(text, "notice")["role"].tolist()
    assert roles[-3:] == ["context", "task", "task"]
    report = text.replace("Hiệu trưởng các trường chủ động", "Hiệu trưởng các trường đã chủ động") \
        .replace("Các phòng Giáo dục và Đào tạo phối hợp", "Các phòng Giáo dục và Đào tạo đã phối hợp")
    assert split_passages(report, "report")["role"].tolist()[-3:] == ["context"] * 3
    # units acted upon ("được ... chỉ đạo") report a result; "các hoạt động" are no one who acts
    acted_upon = text.replace("Hiệu trưởng các trường chủ động cho học sinh nghỉ học",
                              "Các trường được chỉ đạo cho học sinh nghỉ học") \
        .replace("Các phòng Giáo dục và Đào tạo phối hợp", "Các hoạt động phối hợp")
    assert split_passages(acted_upon, "report")["role"].tolist()[-3:] == ["context"] * 3


def test_subject_line_under_the_type_heading_is_a_title_not_a_heading() -> None:
    text = ("KẾ HOẠCH\nTRIỂN KHAI THỰC HIỆN ĐỀ ÁN GIÁO DỤC STEM GIAI ĐOẠN 2024-2030\n"
            "Căn cứ Quyết định số 10/QĐ-UBND ngày 5/1/2024 của UBND tỉnh;\n"
            "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao chất lượng dạy học các môn khoa học.\n"
            "2. Yêu cầu\n- Bảo đảm thiết thực, hiệu quả.\nII. ĐỐI TƯỢNG, PHẠM VI\n"
            "Các trường trung học cơ sở trong tỉnh.\nIII. NHIỆM VỤ, GIẢI PHÁP\n1. Bồi dưỡng giáo viên cốt cán.")
    assert split_passages(text, "plan")["role"].tolist() == [
        "context", "context", "context", "target", "target", "target", "target", "target",
        "context", "context", "task", "task"]


def test_articles_of_a_decision() -> None:
    text = ("QUYẾT ĐỊNH\nVề việc thành lập Ban chỉ đạo chuyển đổi số\nQUYẾT ĐỊNH:\n"
            "Điều 1. Thành lập Ban chỉ đạo chuyển đổi số ngành giáo dục gồm 9 thành viên.\n"
            "Điều 2. Ban chỉ đạo có trách nhiệm xây dựng kế hoạch và kiểm tra việc thực hiện.\n"
            "- Họp định kỳ mỗi quý một lần.\n"
            "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở chịu trách nhiệm thi hành Quyết định này./.")
    passages = split_passages(text, "decision")
    assert passages["role"].tolist() == ["context", "context", "context", "context", "task", "task", "context", "context"]


@pytest.mark.parametrize("opening", [
    "Sở GDĐT thông báo lịch học sinh đi học trở lại như sau:",
    # a clause citing what the letter carries out does not make its opening a direction
    "Thực hiện Công văn số 12/BGDĐT-GDTrH ngày 5/1/2025 của Bộ GDĐT, Sở GDĐT hướng dẫn các trường như sau:",
])
def test_what_a_letter_announces_or_guides_after_its_opening_is_a_task_list(opening: str) -> None:
    text = ("UBND TỈNH SƠN LA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 9/SGDĐT-VP\nV/v lịch học\n"
            f"Kính gửi: Các trường trung học.\n{opening}\n"
            "1. Từ ngày 10/2/2025: học sinh THPT đi học trở lại.\n2. Từ ngày 17/2/2025: học sinh THCS đi học trở lại.")
    assert split_passages(text, "letter")["role"].tolist()[-3:] == ["context", "task", "task"]


def test_an_outside_hardship_among_the_shortcomings_is_context_and_theo_do_directs() -> None:
    text = ("THÔNG BÁO\nKết luận giao ban tháng 11\n1. Tồn tại, hạn chế\n- Một số trường chậm cập nhật dữ liệu.\n"
            "- Mưa lớn kéo dài trong tháng đã ảnh hưởng đến tỷ lệ chuyên cần của học sinh vùng ven biển.\n"
            "- Nguyên nhân khách quan là địa bàn rộng, dân cư thưa thớt.\n- Việc ký số học bạ còn chậm.")
    assert split_passages(text, "notice")["role"].tolist()[-4:] == ["shortcoming", "context", "context", "shortcoming"]
    news = split_passages("Sở GD&ĐT hướng dẫn thu chi đầu năm học\nSở GD&ĐT tỉnh Hậu Giang vừa có văn bản hướng "
                          "dẫn các trường về các khoản thu.\nTheo đó, các trường phải công khai các khoản thu trước "
                          "khi thu.", "news")
    assert news["role"].tolist()[-1] == "task"


def test_a_news_sub_heading_that_states_a_result_and_a_time_plan_heading() -> None:
    news = split_passages("Hà Nam tổng kết năm học\nSáng 5/8, Sở GD&ĐT tỉnh Hà Nam tổ chức hội nghị tổng kết.\n"
                          "Nhiều chỉ tiêu phổ cập được giữ vững\nToàn tỉnh duy trì chuẩn phổ cập giáo dục tiểu học "
                          "mức độ 3.", "news")
    assert news["role"].tolist()[-2:] == ["achievement", "achievement"]
    plan = split_passages("KẾ HOẠCH\nNhiệm vụ năm học 2024-2025\nI. MỤC TIÊU\n- Nâng cao chất lượng giáo dục.\n"
                          "II. KẾ HOẠCH THỜI GIAN NĂM HỌC\n- Khai giảng ngày 5/9/2024.", "plan")
    assert plan["role"].tolist()[-2:] == ["task", "task"]


def test_a_decision_article_on_responsibilities_and_a_spelled_out_part_label() -> None:
    decision = ("QUYẾT ĐỊNH\nPhê duyệt danh mục sách giáo khoa\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt danh mục sách giáo khoa lớp 3.\n"
                "Điều 2. Trách nhiệm của các cơ quan, đơn vị\n1. Sở Giáo dục và Đào tạo thông báo danh mục đến các trường.")
    assert split_passages(decision, "decision")["role"].tolist()[-3:] == ["context", "task", "task"]
    report = ("BÁO CÁO\nTổng kết năm 2020\nPHẦN THỨ NHẤT\nI. KẾT QUẢ ĐẠT ĐƯỢC\n- Duy trì chuẩn phổ cập.\n"
              "PHẦN THỨ HAI\nI. NHIỆM VỤ NĂM 2021\n- Củng cố chuẩn xóa mù chữ.")
    roles = dict(zip(*split_passages(report, "report")[["text", "role"]].T.values))
    assert (roles["PHẦN THỨ NHẤT"], roles["PHẦN THỨ HAI"]) == ("achievement", "task")


def test_a_news_report_of_a_conference_that_sets_the_year_s_tasks() -> None:
    post = [
        ("Ngành giáo dục triển khai nhiệm vụ năm học mới", "context"),
        ("Ngày 28/8, Sở GD&ĐT tỉnh Lai Châu tổ chức hội nghị triển khai nhiệm vụ năm học.", "context"),
        ("Đại biểu tại các điểm cầu tham gia ý kiến.", "context"),
        ("Năm học này, ngành xác định 8 nhóm nhiệm vụ trọng tâm.", "task"),
        ("Các nhà trường tiếp tục thực hiện Chương trình giáo dục phổ thông 2018.", "task"),
        ("Toàn ngành đẩy mạnh chuyển đổi số trong quản lý.", "task"),
    ]
    passages = split_passages("\n".join(text for text, _ in post), "news")
    assert list(zip(passages["text"], passages["role"])) == post


def test_bulleted_items_of_a_web_page_keep_their_part_s_role() -> None:
    """A bulleted item without a sentence end is a list item, not a news sub-heading that would
    take the role of the part after it."""
    page = ("Báo cáo sơ kết học kỳ I của Phòng GD&ĐT\nNgày đăng: 06/01/2017 | Lượt xem: 120\n"
            "Học kỳ I, ngành giáo dục huyện thực hiện tốt các nhiệm vụ được giao.\nI. Kết quả đạt được\n- Duy trì chuẩn phổ cập giáo dục tiểu học.\nII. Tồn tại, hạn chế\n"
            "- Một số trường còn thiếu phòng học bộ môn\n- Việc cập nhật dữ liệu phổ cập còn chậm\n"
            "III. Nhiệm vụ học kỳ II\n- Củng cố chuẩn phổ cập.")
    roles = dict(zip(*split_passages(page, "page")[["text", "role"]].T.values))
    assert roles["- Một số trường còn thiếu phòng học bộ môn"] == "shortcoming"
    assert roles["- Việc cập nhật dữ liệu phổ cập còn chậm"] == "shortcoming"


def test_a_chair_s_conclusions_are_directions_unless_a_heading_says_otherwise() -> None:
    notice = ("THÔNG BÁO\nKết luận của Giám đốc Sở tại hội thảo về các khoản thu\n"
              "Sau khi nghe ý kiến các đại biểu, Giám đốc Sở kết luận như sau:\n"
              "1. Đối với các trường công lập\n- Công khai các khoản thu trước khi thực hiện.")
    assert split_passages(notice, "notice")["role"].tolist()[-3:] == ["context", "task", "task"]
    reviewed = notice.replace("1. Đối với các trường công lập", "1. Đánh giá chung") \
        .replace("- Công khai các khoản thu trước khi thực hiện.", "- Các trường thực hiện đúng quy định.")
    assert split_passages(reviewed, "notice")["role"].tolist()[-2:] == ["achievement", "achievement"]


def test_a_decision_article_giving_a_body_the_lead_is_a_task() -> None:
    text = ("QUYẾT ĐỊNH\nCông nhận đạt chuẩn phổ cập giáo dục năm 2024\nQUYẾT ĐỊNH:\n"
            "Điều 1. Công nhận 12 xã đạt chuẩn phổ cập giáo dục tiểu học mức độ 3.\n"
            "Điều 2. Giao Sở Giáo dục và Đào tạo theo dõi, hướng dẫn các xã duy trì chuẩn.")
    assert split_passages(text, "decision")["role"].tolist()[-2:] == ["context", "task"]


def test_a_part_label_line_takes_the_role_of_the_heading_under_it() -> None:
    text = ("KẾ HOẠCH\nChuyển đổi số ngành giáo dục\nPhần I\nTHỰC TRẠNG\n1. Kết quả đạt được\n"
            "- 100% trường có kết nối internet.\nPhần II\nMỤC TIÊU\n- Đến năm 2026, 100% trường dùng học bạ số.\n"
            "Phần III\nNHIỆM VỤ VÀ GIẢI PHÁP\n- Bồi dưỡng kỹ năng số cho giáo viên.")
    roles = dict(zip(*split_passages(text, "plan")[["text", "role"]].T.values))
    assert (roles["Phần II"], roles["MỤC TIÊU"]) == ("target", "target")
    assert (roles["Phần III"], roles["NHIỆM VỤ VÀ GIẢI PHÁP"]) == ("task", "task")


def test_a_quantified_aim_with_a_deadline_among_tasks_is_a_target() -> None:
    text = ("BÁO CÁO\nSơ kết học kỳ I\nII. NHIỆM VỤ HỌC KỲ II\n- Tiếp tục triển khai học bạ số.\n"
            "- Đến cuối năm học 2024-2025, 100% trường tiểu học thực hiện học bạ số.\n"
            "- Bồi dưỡng giáo viên sử dụng phần mềm.\n"
            "- Đến cuối tháng 5, toàn huyện đã có 80% trường hoàn thành dữ liệu.")
    assert split_passages(text, "report")["role"].tolist()[-4:] == ["task", "target", "task", "task"]


def test_a_letter_asking_named_units_to_act_is_a_task_where_no_heading_governs() -> None:
    text = ("UBND TỈNH SƠN LA\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 88/SGDĐT-KHTC\nV/v báo cáo kinh phí\n"
            "Kính gửi: Các phòng giáo dục và đào tạo.\n"
            "Sở đã đề nghị các phòng rà soát số liệu từ tháng 11.\n"  # a request reported: no direction
            "Đề nghị các phòng gửi báo cáo quyết toán về Sở trước ngày 15/1/2025.")
    assert split_passages(text, "letter")["role"].tolist()[-2:] == ["context", "task"]


def test_report_intro_announcing_results_opens_the_achievements() -> None:
    text = ("BÁO CÁO\nSơ kết học kỳ I năm học 2024-2025\n"
            "Học kỳ I năm học 2024-2025, ngành giáo dục huyện đạt được những kết quả chủ yếu sau:\n"
            "- 100% trường tiểu học dạy 2 buổi/ngày.\n- Không có học sinh bỏ học.")
    assert split_passages(text, "report")["role"].tolist() == [
        "context", "context", "context", "achievement", "achievement"]


def test_notice_assigning_duties_is_a_task_list() -> None:
    text = ("THÔNG BÁO\nPhân công nhiệm vụ Lãnh đạo Sở\n"
            "Giám đốc Sở thông báo phân công nhiệm vụ các đồng chí Lãnh đạo Sở như sau:\n"
            "1. Đồng chí Nguyễn Văn A, Giám đốc Sở\n- Phụ trách chung.\n"
            "2. Đồng chí Trần Thị B, Phó Giám đốc Sở\n- Phụ trách giáo dục mầm non.")
    assert split_passages(text, "notice")["role"].tolist() == ["context", "context"] + ["task"] * 5


def test_split_passages_contract() -> None:
    passages = split_passages(_seed_text("001_0454fa01641e54bf.txt"), "001_0454fa01641e54bf")
    assert list(passages.columns) == PASSAGE_COLUMNS
    assert passages["passage_id"].tolist() == list(range(1, len(passages) + 1))
    assert passages["passage_id"].dtype == "int64"
    assert set(passages["role"]) <= set(ROLES)
    by_text = dict(zip(passages["text"], passages["section"]))
    assert by_text["2. Tồn tại, hạn chế"] == "I.2"
    assert by_text["II. Nhiệm vụ đến hết học kỳ II và năm học 2022-2023"] == "II"
    assert by_text["Nơi nhận:"] == ""


def test_split_passages_does_not_mutate_and_is_deterministic() -> None:
    text = _seed_text("004_a590e7237a5272fc.txt")
    first = split_passages(text, "004")
    pd.testing.assert_frame_equal(first, split_passages(text, "004"))


def test_role_agreement_with_gold_is_at_least_90_percent() -> None:
    agreement = role_agreement(_seed_passages(), _gold())
    assert agreement >= 0.90, f"role agreement {agreement:.3f}"


def test_gold_passages_are_mostly_matched_exactly() -> None:
    matched = match_gold(_seed_passages(), _gold())
    exact = (matched["match"] == "exact").mean()
    assert exact >= 0.90, f"exact match share {exact:.3f}"
    assert (matched["match"] != "none").all()


def test_role_agreement_counts_unmatched_gold_as_disagreement() -> None:
    gold = pd.DataFrame({"source": ["x.txt", "x.txt"], "text": ["Nhiệm vụ một.", "Không có."],
                         "role": ["task", "task"], "ambiguous": [False, False]})
    passages = split_passages("II. NHIỆM VỤ\nNhiệm vụ một.", "x")
    assert role_agreement(passages, gold) == 0.5


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_nfd_and_tone_variants_give_the_same_passages(path) -> None:
    raw = path.read_text(encoding="utf-8")
    expected = split_passages(normalize_text(raw), path.stem)
    variant = unicodedata.normalize("NFD", raw.replace("òa", "oà").replace("óa", "oá").replace("ủy", "uỷ"))
    pd.testing.assert_frame_equal(split_passages(normalize_text(variant), path.stem), expected)


# A report in another province's house style (letterhead, lettered items, proposal section):
# the expected roles follow from the headings as defined in topics.md "Section roles".
OTHER_PROVINCE_REPORT = """UBND TỈNH NGHỆ AN
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 123/BC-SGDĐT
Nghệ An, ngày 15 tháng 1 năm 2024
BÁO CÁO
Sơ kết học kỳ I năm học 2023-2024
I. KẾT QUẢ ĐẠT ĐƯỢC
1. Thực hiện Chương trình GDPT 2018
a) Lớp 4, lớp 8, lớp 11 thực hiện đúng lộ trình.
II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN
- Cơ sở vật chất còn thiếu.
III. NHIỆM VỤ, GIẢI PHÁP HỌC KỲ II
1. Đẩy mạnh chuyển đổi số.
IV. KIẾN NGHỊ, ĐỀ XUẤT
1. Đối với Bộ GD&ĐT
Đề nghị bổ sung kinh phí, cụ thể như sau:
- Kinh phí mua thiết bị.
Nơi nhận:
- Bộ GD&ĐT;
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn An"""


def test_roles_and_sections_of_a_report_in_another_house_style() -> None:
    passages = split_passages(normalize_text(OTHER_PROVINCE_REPORT), "other")
    got = dict(zip(passages["text"], zip(passages["section"], passages["role"])))
    assert got["Nghệ An, ngày 15 tháng 1 năm 2024"] == ("", "context")
    assert got["Sơ kết học kỳ I năm học 2023-2024"] == ("", "context")
    assert got["a) Lớp 4, lớp 8, lớp 11 thực hiện đúng lộ trình."] == ("I.1.a", "achievement")
    assert got["- Cơ sở vật chất còn thiếu."] == ("II", "shortcoming")
    assert got["1. Đẩy mạnh chuyển đổi số."] == ("III.1", "task")
    assert got["- Kinh phí mua thiết bị."] == ("IV.1", "proposal")  # the whole section is a proposal
    assert got["KT. GIÁM ĐỐC"] == ("", "context")
    assert got["PHÓ GIÁM ĐỐC"] == ("", "context")


@pytest.mark.parametrize("width, separator", [(65, "\n"), (90, "\n\n")])
def test_rewrapping_the_seeds_does_not_change_passages(width: int, separator: str) -> None:
    """The same text hard-wrapped at another width (with or without blank lines between the
    wrapped lines, as PDF extraction gives) yields the same passages and roles."""
    for path in SEEDS:
        text = _seed_text(path.name)
        expected = split_passages(text, path.stem)
        blocks = join_broken_lines(drop_debris(text)).split("\n")
        wrapped = separator.join(separator.join(textwrap.wrap(block, width, break_on_hyphens=False))
                                 for block in blocks)
        got = split_passages(wrapped, path.stem)
        assert got["text"].tolist() == expected["text"].tolist(), path.name
        assert got["role"].tolist() == expected["role"].tolist(), path.name


# A list-heavy plan: most items and headings are shorter than a printed line, so after hard
# wrapping only a minority of lines are full-width (the case that defeated a share-of-full-lines rule).
LIST_HEAVY_PLAN = [
    "KẾ HOẠCH",
    "Thực hiện nhiệm vụ năm học 2024-2025",
    "Sở Giáo dục và Đào tạo xây dựng Kế hoạch thực hiện nhiệm vụ năm học 2024-2025 như sau:",
    "I. MỤC TIÊU",
    "1. Mục tiêu chung",
    "Nâng cao chất lượng giáo dục toàn diện, thực hiện hiệu quả Chương trình giáo dục phổ thông 2018 ở tất cả các cấp học, gắn với chuyển đổi số.",
    "2. Chỉ tiêu",
    "- Duy trì 100% xã đạt chuẩn phổ cập giáo dục tiểu học.",
    "- Tỷ lệ trường đạt chuẩn quốc gia đạt 75%.",
    "- Tỷ lệ học sinh bỏ học dưới 0,5%.",
    "II. NHIỆM VỤ VÀ GIẢI PHÁP",
    "1. Bố trí đủ giáo viên, phòng học và thiết bị dạy học để thực hiện Chương trình GDPT 2018 đối với các lớp 5, 9, 12 theo đúng lộ trình của Bộ Giáo dục và Đào tạo.",
    "2. Quản lý chặt chẽ các khoản thu đầu năm học.",
    "3. Đẩy mạnh ứng dụng công nghệ thông tin trong quản lý và dạy học ở tất cả các cơ sở giáo dục trên địa bàn tỉnh, nhất là vùng khó khăn.",
    "4. Rà soát đội ngũ.",
    "5. Tăng cường kiểm tra.",
    "Các phòng, đơn vị báo cáo kết quả thực hiện về Sở trước ngày 15 hằng tháng như sau:",
    "- Báo cáo tháng.",
]


@pytest.mark.parametrize("width, separator", [(80, "\n"), (80, "\n\n"), (70, "\n\n")])
def test_list_heavy_text_is_recognised_as_hard_wrapped(width: int, separator: str) -> None:
    typed = "\n".join(LIST_HEAVY_PLAN)
    expected = split_passages(typed, "plan")
    wrapped = separator.join(separator.join(textwrap.wrap(line, width, break_on_hyphens=False))
                             for line in LIST_HEAVY_PLAN)
    lines = [line for line in wrapped.split("\n") if line]
    full_share = sum(len(line) >= 0.75 * width for line in lines) / len(lines)
    assert full_share < 0.6  # the situation under test
    got = split_passages(wrapped, "plan")
    assert got["text"].tolist() == expected["text"].tolist()
    assert got["text"].tolist() == LIST_HEAVY_PLAN


def test_plan_intro_is_context_but_a_reporting_request_under_a_task_heading_stays_task() -> None:
    roles = dict(zip(LIST_HEAVY_PLAN, split_passages("\n".join(LIST_HEAVY_PLAN), "plan")["role"]))
    assert roles[LIST_HEAVY_PLAN[2]] == "context"  # "... xây dựng Kế hoạch ... như sau:" before any heading
    assert roles["Các phòng, đơn vị báo cáo kết quả thực hiện về Sở trước ngày 15 hằng tháng như sau:"] == "task"
    assert roles["- Báo cáo tháng."] == "task"
    assert roles["- Tỷ lệ học sinh bỏ học dưới 0,5%."] == "target"


def test_news_lead_in_that_reports_results_opens_achievements() -> None:
    text = ("Ngày 25/10/2023, Sở Giáo dục và Đào tạo tổ chức Hội nghị giao ban.\n"
            "Theo báo cáo tại hội nghị, trong tháng 10, toàn ngành đã đạt được nhiều kết quả quan trọng.\n"
            "Tỷ lệ học sinh lớp 1 học 2 buổi/ngày đạt 98,5%.\n"
            "Bên cạnh đó, vẫn còn một số hạn chế như: cơ sở vật chất còn thiếu.")
    assert split_passages(text, "news")["role"].tolist() == ["context", "achievement", "achievement", "shortcoming"]


@pytest.mark.parametrize("text, expected", [
    # typed text (docx, html): a line opening with a number is its own paragraph or table cell
    ("3. Chuyển đổi số và cải cách hành chính\n100% hồ sơ được giải quyết trực tuyến.",
     ["3. Chuyển đổi số và cải cách hành chính", "100% hồ sơ được giải quyết trực tuyến."]),
    ("Tỷ lệ cơ sở giáo dục sử dụng học bạ số\n100% trường tiểu học",
     ["Tỷ lệ cơ sở giáo dục sử dụng học bạ số", "100% trường tiểu học"]),
    # a parenthesis open at the line break keeps the sentence together, whatever the next word
    ("d) Các đơn vị báo cáo về Sở (qua phòng\nKế hoạch - Tài chính) để được hướng dẫn.\nSở đề nghị thực hiện.",
     ["d) Các đơn vị báo cáo về Sở (qua phòng Kế hoạch - Tài chính) để được hướng dẫn.",
      "Sở đề nghị thực hiện."]),
    # ... but a stray "(" far back does not glue the next paragraph on
    ("Ghi chú (xem phụ lục kèm theo văn bản này, gồm các biểu mẫu báo cáo định kỳ hằng tháng, hằng quý "
     "và hằng năm của các đơn vị trực thuộc Sở Giáo dục và Đào tạo\nNhiệm vụ năm học mới.",
     ["Ghi chú (xem phụ lục kèm theo văn bản này, gồm các biểu mẫu báo cáo định kỳ hằng tháng, hằng quý "
      "và hằng năm của các đơn vị trực thuộc Sở Giáo dục và Đào tạo", "Nhiệm vụ năm học mới."]),
])
def test_typed_lines_numbers_and_parentheses(text, expected):
    assert split_passages(text, "x")["text"].tolist() == expected


def test_web_page_metadata_lines_are_debris_and_mark_news():
    text = ("Hội nghị sơ kết học kỳ I\nNgày đăng: 19/01/2024 | Lượt xem: 1.254\n"
            "Sở GD&ĐT Bình Định tổ chức hội nghị.\nTừ khóa: sơ kết, học kỳ I\nMinh Châu")
    assert split_passages(text, "news")["text"].tolist() == [
        "Hội nghị sơ kết học kỳ I", "Sở GD&ĐT Bình Định tổ chức hội nghị.", "Minh Châu"]


def test_news_report_and_director_speech_lead_ins() -> None:
    text = ("Sáng ngày 18/01/2024, Sở GD&ĐT tổ chức Hội nghị sơ kết học kỳ I.\n"
            "Theo báo cáo tại hội nghị, trong học kỳ I, toàn ngành đã thực hiện tốt các nhiệm vụ.\n"
            "Tỷ lệ học sinh lên lớp đạt 97,8%.\n"
            "Tuy nhiên, ngành vẫn còn thiếu giáo viên mầm non.\n"
            "Phát biểu chỉ đạo hội nghị, Giám đốc Sở nhấn mạnh các đơn vị phải tập trung ôn tập cho học sinh.\n"
            "Ông cũng đề nghị các trường công khai các khoản thu.")
    assert split_passages(text, "news")["role"].tolist() == [
        "context", "achievement", "achievement", "shortcoming", "task", "task"]
