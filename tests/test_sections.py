"""The body outline: roman sections, numbered items, lettered items; dashes and notes are not headings."""

from __future__ import annotations

from tonghop.extract.sections import extract_sections


def outline(text: str):
    return [(s.label, s.title, s.level) for s in extract_sections(text.splitlines())]


def test_three_levels():
    text = "I. KẾT QUẢ\n1. Công tác chỉ đạo\na) Tuyên truyền\nb) Kiểm tra\nII- ĐÁNH GIÁ CHUNG\n2) Hạn chế"
    assert outline(text) == [
        ("I.", "KẾT QUẢ", 1), ("1.", "Công tác chỉ đạo", 2), ("a)", "Tuyên truyền", 3),
        ("b)", "Kiểm tra", 3), ("II-", "ĐÁNH GIÁ CHUNG", 1), ("2)", "Hạn chế", 2),
    ]  # fmt: skip


def test_dashes_numbers_and_footnotes_are_not_headings():
    text = "- Không có.\n 1.204,75 tỷ đồng\n¹ Công văn số 12/UBND\nIa H'Drai là huyện biên giới\n**III. PHƯƠNG HƯỚNG**"
    assert outline(text) == [("III.", "PHƯƠNG HƯỚNG", 1)]


def test_range_limits_to_the_body():
    lines = ["BÁO CÁO", "I. KẾT QUẢ", "Nơi nhận:", "1. Không phải mục"]
    assert [s.label for s in extract_sections(lines, 1, 2)] == ["I."]
