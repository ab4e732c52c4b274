"""extract(doc) end to end: the labelled fixtures under tests/data/extract, footnotes, quantities' offsets."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from tonghop.documents.model import Document, Footnote
from tonghop.extract import extract, extract_text, quantity_text
from tonghop.services.extraction import extract_file

DATA = Path(__file__).parent / "data" / "extract"
LABELS = [json.loads(line) for line in (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
FIELDS = ("doc_type", "number", "issuer", "place", "date", "subject")
TYPE_CODES = {"BÁO CÁO": "BC", "KẾ HOẠCH": "KH", "QUYẾT ĐỊNH": "QĐ", "CÔNG VĂN": "CV", "THÔNG BÁO": "TB",
              "TỜ TRÌNH": "TTr", "NGHỊ QUYẾT": "NQ", "KẾT LUẬN": "KL"}  # fmt: skip


def fold(s):
    """The scorer's comparison: NFC, casefold, one space, trailing dots dropped, no spaces in numbers."""
    if s is None:
        return None
    s = re.sub(r"[.…]+$", "", unicodedata.normalize("NFC", str(s)).casefold().strip())
    return " ".join(s.split()) or None


def test_there_are_enough_fixtures():
    assert len(LABELS) >= 25
    assert {p.name for p in DATA.glob("*.txt")} == {it["file"] for it in LABELS}


@pytest.mark.parametrize("item", LABELS, ids=[it["id"] for it in LABELS])
def test_header_fields_match_the_labels(item):
    facts = extract_file(str(DATA / item["file"]))
    truth = item["truth"]
    if not item["has_header"]:
        assert facts["doc_type"] == "TIN"
        return
    want = {f: truth[f] for f in FIELDS}
    want["doc_type"] = TYPE_CODES.get(want["doc_type"], want["doc_type"])
    want["number"] = want["number"] and want["number"].replace(" ", "")
    got = {f: facts[f] for f in FIELDS}
    assert {f: fold(v) for f, v in got.items()} == {f: fold(v) for f, v in want.items()}
    name = (truth["signer"] or {}).get("name")
    assert fold((facts["signer"] or {}).get("name")) == fold(name)


@pytest.mark.parametrize("item", LABELS, ids=[it["id"] for it in LABELS])
def test_cited_numbers_match_the_labels(item):
    facts = extract_file(str(DATA / item["file"]))
    want = {re.search(r"\d[\w./-]*[/-][\wĐđ./-]+", c.replace(" /", "/"))[0].rstrip(".,;") for c in item["truth"]["cited"]}
    assert {c["number"] for c in facts["cited"]} == want


def test_footnotes_from_txt_lines_and_from_the_reader():
    doc = Document.from_text("BÁO CÁO\nKết quả năm 2023¹\n¹ Theo Kế hoạch số 5/KH-UBND\n² Lớp bồi dưỡng")
    doc.footnotes.append(Footnote(mark="3", text="Công văn số 9/UBND-VX ngày 01/02/2024"))
    facts = extract(doc)
    assert [(f.mark, f.text) for f in facts.footnotes] == [
        ("3", "Công văn số 9/UBND-VX ngày 01/02/2024"), ("¹", "Theo Kế hoạch số 5/KH-UBND"), ("²", "Lớp bồi dưỡng"),
    ]  # fmt: skip
    assert {c.number for c in facts.cited} == {"5/KH-UBND", "9/UBND-VX"}


def test_quantity_offsets_point_into_quantity_text():
    doc = Document.from_text("BÁO CÁO\nKết quả\nNăm 2023 mở 09 lớp với hơn 311 học viên.")
    doc.footnotes.append(Footnote(mark="1", text="In hơn 2.143 m² pa nô"))
    text = quantity_text(doc)
    for q in extract(doc).quantities:
        assert q.text in text[q.start : q.end] or text[q.start : q.end] in q.text


def test_nfd_input_gives_nfc_facts():
    facts = extract_text(unicodedata.normalize("NFD", "ỦY BAN NHÂN DÂN\nXÃ ĐĂK NÊN\nSố: 5/BC-UBND\nBÁO CÁO\nTổng kết năm"))
    assert facts.issuer == "ỦY BAN NHÂN DÂN XÃ ĐĂK NÊN"
    assert unicodedata.is_normalized("NFC", facts.subject)


def test_to_dict_is_the_json_contract():
    d = extract_text("Số: /BC-VPUBND\nChâu Thành, ngày tháng 11 năm 2020\nBÁO CÁO\nKết quả tháng 11/2020").to_dict()
    assert set(d) >= {"doc_type", "type_name", "number", "issuer", "parent_issuer", "place", "date", "subject", "signer",
                      "recipients", "cited", "quantities", "sections", "footnotes", "encoding", "warnings"}
    assert (d["number"], d["date"], d["issuer"], d["place"]) == ("/BC-VPUBND", "2020-11", None, "Châu Thành")


def test_docx_header_table_and_footnotes(tmp_path):
    from fixtures_docs import make_docx

    path = make_docx(
        tmp_path / "bc.docx",
        ["BÁO CÁO", "Kết quả năm 2023", "Thực hiện Công văn số 2153/STTTT-TTBCXB ngày 03/11/2023[^1].", "I. KẾT QUẢ",
         "Nơi nhận:", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Tiến Dũng"],
        tables=[(-1, [["ỦY BAN NHÂN DÂN\nHUYỆN IA H'DRAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                      ["Số: 12/BC-UBND", "Ia H'Drai, ngày 03 tháng 11 năm 2023"]])],
        footnotes=["Kế hoạch số 88-KH/HU, ngày 28-02-2023 của Ban Thường vụ Huyện ủy"],
    )  # fmt: skip
    facts = extract_file(str(path))
    assert (facts["issuer"], facts["number"], facts["date"]) == ("ỦY BAN NHÂN DÂN HUYỆN IA H'DRAI", "12/BC-UBND", "2023-11-03")
    assert facts["signer"]["name"] == "Nguyễn Tiến Dũng"
    assert [c["number"] for c in facts["cited"]] == ["2153/STTTT-TTBCXB", "88-KH/HU"]
    assert facts["footnotes"][0]["text"].startswith("Kế hoạch số 88-KH/HU")


def test_pathological_lines_stay_linear():
    import time

    caps = " ".join(["ỦY BAN NHÂN DÂN HUYỆN"] * 400)
    prose = "Căn cứ kế hoạch của ủy ban nhân dân huyện về việc triển khai thực hiện " * 3 + "UBND"
    text = f"{caps}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc\nSố: 1/BC-UBND\n{prose}\nBÁO CÁO\n" + "số 12/ số 3- ngày 1/1/ " * 2000
    start = time.perf_counter()
    facts = extract_text(text)
    assert time.perf_counter() - start < 1.0
    assert facts.number == "1/BC-UBND"


def _write_docx(path: Path, header: tuple[str, str], body: list[str], signature: tuple[str, str]) -> Path:
    """A DOCX in the Decree 30 layout: two-column header and signature tables, each cell's lines as paragraphs."""
    from docx import Document as Docx

    doc = Docx()

    def table(left: str, right: str) -> None:
        cells = doc.add_table(rows=1, cols=2).rows[0].cells
        for cell, text in zip(cells, (left, right), strict=True):
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)

    table(*header)
    for line in body:
        doc.add_paragraph(line)
    table(*signature)
    doc.save(str(path))
    return path


def test_docx_header_table_columns_keep_issuer_parent_and_signer_title_apart(tmp_path):
    path = _write_docx(
        tmp_path / "cv.docx",
        ("UBND HUYỆN BẢO LÂM\nPHÒNG GIÁO DỤC VÀ ĐÀO TẠO\nSố: 215/PGDĐT-TH\nV/v tổ chức ngày hội đọc sách",
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nBảo Lâm, ngày 04 tháng 4 năm 2024"),
        ["Kính gửi: Hiệu trưởng các trường tiểu học.", "Phòng Giáo dục và Đào tạo đề nghị các trường tổ chức."],
        ("Nơi nhận:\n- Như trên;\n- Lưu: VT.", "T/M BAN LÃNH ĐẠO\nTRƯỞNG PHÒNG\nLê Thị Hạnh"),
    )
    facts = extract_file(str(path))
    assert (facts["issuer"], facts["parent_issuer"]) == ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "UBND HUYỆN BẢO LÂM")
    assert (facts["number"], facts["date"], facts["subject"]) == ("215/PGDĐT-TH", "2024-04-04", "tổ chức ngày hội đọc sách")
    assert (facts["signer"]["authority"], facts["signer"]["title"], facts["signer"]["name"]) == ("T/M", "TRƯỞNG PHÒNG", "Lê Thị Hạnh")
    assert facts["recipients"][-2:] == ["Như trên", "Lưu: VT"]


def test_docx_party_header_table_gives_committee_under_party_organisation(tmp_path):
    path = _write_docx(
        tmp_path / "nq.docx",
        ("ĐẢNG BỘ HUYỆN MỘC HÓA\nHUYỆN ỦY\n*\nSố 07-NQ/HU", "ĐẢNG CỘNG SẢN VIỆT NAM\nMộc Hóa, ngày 02 tháng 8 năm 2022"),
        ["NGHỊ QUYẾT", "của Ban Thường vụ Huyện ủy về phát triển du lịch", "",
         "Ban Thường vụ Huyện ủy quyết nghị như sau:"],
        ("Nơi nhận:\n- Lưu Văn phòng Huyện ủy.", "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nNguyễn Văn Bình"),
    )
    facts = extract_file(str(path))
    assert (facts["issuer"], facts["parent_issuer"]) == ("HUYỆN ỦY", "ĐẢNG BỘ HUYỆN MỘC HÓA")
    assert facts["subject"] == "của Ban Thường vụ Huyện ủy về phát triển du lịch"
    assert (facts["signer"]["authority"], facts["signer"]["title"]) == ("T/M", "PHÓ BÍ THƯ")
