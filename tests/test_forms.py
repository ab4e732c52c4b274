"""XLSX forms: generated pre-filled and protected, read back cell by cell, bad cells named by address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from tonghop.services import forms, submissions, units

TPL = "bc-tu-tuong-thang"


@pytest.fixture
def unit(db_url, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text("units:\n  - {code: X1, name: Xã Một, kind: commune}\n", encoding="utf-8")
    units.import_units_file(path, url=db_url)
    return "X1"


def _fill(path, cells: dict[str, object]) -> None:
    wb = load_workbook(path)
    ws = wb[forms.SHEET]
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)


def _row_of(path, code: str) -> int:
    ws = load_workbook(path)[forms.SHEET]
    return next(r for r in range(1, ws.max_row + 1) if ws[f"{forms.CODE_COL}{r}"].value == code)


def test_form_is_protected_with_hidden_codes(db_url, unit, tmp_path):
    path = forms.generate_form(unit, TPL, "2023M11", tmp_path / "f.xlsx", url=db_url)
    ws = load_workbook(path)[forms.SHEET]
    assert ws.protection.sheet and ws.column_dimensions[forms.CODE_COL].hidden
    row = _row_of(path, "binh_luan")
    assert ws[f"C{row}"].protection.locked is False and ws[f"B{row}"].protection.locked is not False


def test_filled_form_round_trips_into_a_submission(db_url, unit, tmp_path):
    path = forms.generate_form(unit, TPL, "2023M11", tmp_path / "f.xlsx", url=db_url)
    _fill(path, {f"C{_row_of(path, 'bai_internet_mxh')}": "1.204", f"C{_row_of(path, 'binh_luan')}": 7,
                 f"C{_row_of(path, '§III')}": "Tiếp tục tuyên truyền."})
    saved = forms.submit_form(unit, TPL, "2023M11", path, url=db_url)
    row = submissions.list_submissions(TPL, "2023M11", url=db_url)[0]
    assert (saved.version, row["values"]) == (1, {"bai_internet_mxh": 1204, "binh_luan": 7})


def test_form_is_prefilled_with_latest_version(db_url, unit, tmp_path):
    submissions.save_submission(unit, TPL, "2023M11", {"binh_luan": 9}, narrative={"III": "x"}, url=db_url,
                                now=datetime(2023, 11, 20, tzinfo=UTC))
    path = forms.generate_form(unit, TPL, "2023M11", tmp_path / "f.xlsx", url=db_url)
    assert load_workbook(path)[forms.SHEET][f"C{_row_of(path, 'binh_luan')}"].value == 9
    assert forms.read_form(path, url=db_url).version == 1


def test_bad_cells_reported_by_address(db_url, unit, tmp_path):
    path = forms.generate_form(unit, TPL, "2023M11", tmp_path / "f.xlsx", url=db_url)
    row = _row_of(path, "binh_luan")
    _fill(path, {f"C{row}": "12,5,3", f"C{_row_of(path, 'ket_qua_xu_ly')}": "2,5"})
    with pytest.raises(forms.FormErrors) as err:
        forms.read_form(path, url=db_url)
    assert err.value.problems[0].startswith(f"C{row}: '12,5,3' không phải là số")
    assert err.value.problems[1].startswith(f"C{row + 1}: phải là số nguyên")


def test_form_of_another_unit_is_refused(db_url, unit, tmp_path):
    path = forms.generate_form(unit, TPL, "2023M11", tmp_path / "f.xlsx", url=db_url)
    with pytest.raises(submissions.SubmissionError, match="kỳ '2023M11', không phải '2023M12'"):
        forms.submit_form(unit, TPL, "2023M12", path, url=db_url)
