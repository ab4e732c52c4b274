"""XLSX rendering: read the workbook back with openpyxl (cached values and formulas)."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from test_render_docx import sample_report
from tonghop.render import registry
from tonghop.render.model import ReportTable
from tonghop.render.xlsx_report import render_xlsx, sheet_name


@pytest.fixture
def workbook_path(tmp_path):
    return render_xlsx(sample_report(40), tmp_path / "bc.xlsx")


def _row_of(sheet, label: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if any(c.value == label for c in sheet[r]))


def test_summary_sheet_first_then_one_sheet_per_table(workbook_path):
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["Tổng hợp", "Bảng tổng hợp theo đơn vị"]
    summary = book["Tổng hợp"]
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert "BÁO CÁO: Kết quả công tác tuyên truyền 6 tháng đầu năm 2025" in texts
    assert "Đã có 3.450/3.500 đơn vị gửi báo cáo (98,6%)." in texts


def test_totals_equal_the_sum_of_rows(workbook_path):
    sheet = openpyxl.load_workbook(workbook_path, data_only=True)["Bảng tổng hợp theo đơn vị"]
    header, total = _row_of(sheet, "STT"), _row_of(sheet, "Tổng cộng")
    for col in (3, 5):  # Số buổi, Kinh phí
        values = [sheet.cell(r, col).value for r in range(header + 1, total)]
        assert len(values) == 40 and all(isinstance(v, int | float) for v in values)
        assert sheet.cell(total, col).value == sum(values)


def test_totals_are_sum_formulas_over_the_rows(workbook_path):
    sheet = openpyxl.load_workbook(workbook_path)["Bảng tổng hợp theo đơn vị"]
    header, total = _row_of(sheet, "STT"), _row_of(sheet, "Tổng cộng")
    assert sheet.cell(total, 3).value == f"=SUM(C{header + 1}:C{total - 1})"
    assert sheet.cell(total, 3).font.b


def test_a_total_that_is_not_a_sum_stays_a_value(tmp_path):
    rates = ReportTable("Tỷ lệ", ["Đơn vị", "Tỷ lệ (%)"], [["Xã A", 62.5], ["Xã B", 77.5]], ["Bình quân", 70.0])
    path = render_xlsx(sample_report(tables=[rates]), tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path)["Tỷ lệ"]
    row = _row_of(sheet, "Bình quân")
    assert sheet.cell(row, 2).value == 70.0 and sheet.cell(row, 2).number_format == "#,##0.0"


def test_header_frozen_numbers_formatted_columns_widened(workbook_path):
    sheet = openpyxl.load_workbook(workbook_path)["Bảng tổng hợp theo đơn vị"]
    header = _row_of(sheet, "STT")
    assert sheet.freeze_panes == f"A{header + 1}"
    first = header + 1
    assert sheet.cell(first, 5).value == 1234567 and sheet.cell(first, 5).number_format == "#,##0"
    assert sheet.cell(first, 4).number_format == "#,##0.0"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_comparisons_on_the_summary_sheet(workbook_path):
    summary = openpyxl.load_workbook(workbook_path)["Tổng hợp"]
    row = _row_of(summary, "Số buổi tuyên truyền")
    assert [c.value for c in summary[row]][:7] == ["Số buổi tuyên truyền", "buổi", 1234, 1100, 112.2, 1300, 94.9]


def test_sheet_names_valid_and_unique():
    taken = {"tổng hợp"}
    assert sheet_name("Tổng hợp", taken) == "Tổng hợp (2)"
    long = sheet_name("Bảng: kết quả/chỉ tiêu [quý III] của các xã, phường năm 2025", taken)
    assert len(long) <= 31 and not set("[]:*?/\\") & set(long)
    again = sheet_name("Bảng: kết quả/chỉ tiêu [quý III] của các xã, phường năm 2025", taken)
    assert again != long and len(again) <= 31


def test_3500_units_through_the_registry(tmp_path):
    path = registry.render("xlsx", sample_report(3500), tmp_path / "big.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True)["Bảng tổng hợp theo đơn vị"]
    rows = list(sheet.iter_rows(values_only=True))
    units = [r for r in rows if isinstance(r[0], int)]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert len(units) == 3500 and total[2] == sum(r[2] for r in units)


def test_decimal_figures_from_storage_total_as_formulas(tmp_path):
    money = ReportTable("Kinh phí", ["Đơn vị", "Tỷ đồng"], [["Xã A", Decimal("1204.75")], ["Xã B", Decimal("0.25")]],
                        ["Tổng cộng", Decimal("1205.00")])
    path = render_xlsx(sample_report(tables=[money]), tmp_path / "d.xlsx")
    sheet = openpyxl.load_workbook(path)["Kinh phí"]
    row = _row_of(sheet, "Tổng cộng")
    assert sheet.cell(row, 2).value == f"=SUM(B{row - 2}:B{row - 1})"
    assert sheet.cell(row - 2, 2).value == 1204.75 and sheet.cell(row - 2, 2).number_format == "#,##0.00"


@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_any_titles_give_sheet_names_excel_accepts(tmp_path_factory, titles):
    taken = {"tổng hợp"}
    names = [sheet_name(t, taken) for t in titles]
    assert len({n.lower() for n in names}) == len(names)
    book = xlsxwriter.Workbook(str(tmp_path_factory.mktemp("names") / "n.xlsx"))
    for name in names:  # xlsxwriter raises on a name Excel would refuse
        assert len(name.encode("utf-16-le")) // 2 <= 31
        book.add_worksheet(name)
    book.close()
