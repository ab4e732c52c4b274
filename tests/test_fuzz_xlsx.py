"""Hostile XLSX forms: random and damaged bytes, zip bombs, entity bombs, formulas, odd cell values, a changed
layout, huge sheets. Each gives the service's own error naming the file (and the cell), and stores nothing."""

from __future__ import annotations

import io
import re
import time
import zipfile
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

import pg
from tonghop.services import forms, submissions, units
from tonghop.services.submissions import SubmissionError

TPL, PERIOD = "bc-tu-tuong-thang", "2023M11"
SHEET_XML = "xl/worksheets/sheet1.xml"
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[str, bytes]:
    """A database holding unit X1, and the bytes of its generated form (built once: migrations are slow)."""
    folder = tmp_path_factory.mktemp("seed")
    url = pg.seed_url(folder)
    (folder / "u.yaml").write_text("units:\n  - {code: X1, name: Xã Một, kind: commune}\n", encoding="utf-8")
    units.import_units_file(folder / "u.yaml", url=url)
    return url, forms.generate_form("X1", TPL, PERIOD, folder / "form.xlsx", url=url).read_bytes()


@pytest.fixture
def form(db_url, seeded, tmp_path):
    """A freshly generated form of unit X1 (its bytes, and a path to write variants to)."""
    pg.copy_seed(seeded[0], db_url)
    return seeded[1], tmp_path / "bad.xlsx"


def _refused(path, db_url, *, match: str = "") -> SubmissionError:
    """The error reading PATH; it must be the service's SubmissionError and name the file."""
    with pytest.raises(SubmissionError) as err:
        forms.read_form(path, url=db_url)
    assert str(path) in str(err.value)
    assert match in str(err.value)
    return err.value


def _row_of(raw: bytes, code: str) -> int:
    ws = load_workbook(io.BytesIO(raw))[forms.SHEET]
    return next(r for r in range(1, ws.max_row + 1) if ws[f"{forms.CODE_COL}{r}"].value == code)


def _filled(raw: bytes, path, cells: dict[str, object], sheet: str = forms.SHEET):
    wb = load_workbook(io.BytesIO(raw))
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)
    return path


def _with_member(raw: bytes, path, member: str, data: bytes | None = None, chunks=None):
    """A copy of the form RAW at PATH whose MEMBER is DATA (or the byte CHUNKS, streamed)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != member:
                out.writestr(info.filename, src.read(info.filename))
        with out.open(member, "w") as dst:
            for chunk in chunks if chunks is not None else [data]:
                dst.write(chunk)
    return path


def _sheet_xml(raw: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return zf.read(SHEET_XML).decode()


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_are_refused(form, db_url, data):
    _, path = form
    path.write_bytes(data)
    _refused(path, db_url)


@FUZZ
@given(st.data())
def test_truncated_form_is_refused(form, db_url, data):
    raw, path = form
    path.write_bytes(raw[: data.draw(st.integers(0, len(raw) - 1))])
    _refused(path, db_url)


@FUZZ
@given(st.data())
def test_bit_flipped_form_is_refused_or_read(form, db_url, data):
    raw, path = form
    damaged = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 8))):
        i = data.draw(st.integers(0, len(raw) - 1))
        damaged[i] ^= 1 << data.draw(st.integers(0, 7))
    path.write_bytes(bytes(damaged))
    try:
        content = forms.read_form(path, url=db_url)
    except SubmissionError as e:
        assert str(path) in str(e)
    else:
        assert content.template == TPL and content.unit == "X1"


def test_zip_bomb_in_sheet_is_refused_quickly(form, db_url):
    raw, path = form
    _with_member(raw, path, SHEET_XML, chunks=(b" " * (1 << 20) for _ in range(60)))
    start = time.monotonic()
    _refused(path, db_url, match="zip bomb")
    assert time.monotonic() - start < 2


@pytest.mark.parametrize("member", [SHEET_XML, "xl/workbook.xml", "[Content_Types].xml"])
def test_billion_laughs_is_refused(form, db_url, member):
    raw, path = form
    entities = '<!ENTITY a "ha">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                            for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        xml = zf.read(member).decode()
    root = xml.index("<", xml.index("?>") + 2) if xml.startswith("<?xml") else 0
    body = xml[root:].replace('="', '="&i;', 1)  # the first attribute value of the root expands the entity
    bomb = xml[:root] + f"<!DOCTYPE x [{entities}]>" + body
    _with_member(raw, path, member, bomb.encode())
    start = time.monotonic()
    _refused(path, db_url)
    assert time.monotonic() - start < 2


def test_formula_without_computed_value_is_refused_by_cell(form, db_url):
    raw, path = form
    row = _row_of(raw, "binh_luan")
    err = _refused(_filled(raw, path, {f"C{row}": "=1+2"}), db_url, match=f"C{row}")
    assert "công thức" in str(err)


def _with_cell_xml(raw: bytes, path, row: int, inner: str):
    """A copy of RAW whose cell C<ROW> holds the raw XML INNER (as Excel or another program might write it)."""
    xml, n = re.subn(rf'<c r="C{row}"([^>]*?)(/>|>(<v>)?(</v>)?</c>)', rf'<c r="C{row}"\1>{inner}</c>', _sheet_xml(raw))
    assert n == 1
    return _with_member(raw, path, SHEET_XML, xml.encode())


def test_formula_with_computed_value_uses_the_value(form, db_url):
    raw, path = form
    row = _row_of(raw, "binh_luan")
    _with_cell_xml(raw, path, row, "<f>1+2</f><v>3</v>")
    assert forms.read_form(path, url=db_url).values == {"binh_luan": 3}


@pytest.mark.parametrize("number", ["NaN", "INF", "-inf", "1E+400", "1e300", "-1e19"])
def test_non_finite_or_huge_stored_number_is_refused(form, db_url, number):
    raw, path = form
    row = _row_of(raw, "binh_luan")
    err = _refused(_with_cell_xml(raw, path, row, f"<v>{number}</v>"), db_url)
    assert f"C{row}" in str(err) or f"dòng {row}" in str(err)


@pytest.mark.parametrize("value", [
    "mười hai", "12,5,3", "1e400", "9" * 400, "NaN", "inf", "-inf", 1e300, True,
    datetime(2023, 11, 5), "#DIV/0!", "=A1", "<script>alert(1)</script>",
])
def test_bad_figure_is_refused_naming_the_cell(form, db_url, value):
    raw, path = form
    row = _row_of(raw, "binh_luan")
    _refused(_filled(raw, path, {f"C{row}": value}), db_url, match=f"C{row}")


def test_negative_and_large_figures_are_read_as_numbers(form, db_url):
    raw, path = form
    cells = {f"C{_row_of(raw, 'binh_luan')}": -5, f"C{_row_of(raw, 'ket_qua_xu_ly')}": 123456789012}
    assert forms.read_form(_filled(raw, path, cells), url=db_url).values == {"binh_luan": -5,
                                                                             "ket_qua_xu_ly": 123456789012}


def test_inserted_column_is_refused(form, db_url):
    raw, path = form
    wb = load_workbook(io.BytesIO(raw))
    ws = wb[forms.SHEET]
    ws.insert_cols(3)
    ws[f"D{_row_of(raw, 'binh_luan')}"] = 7
    wb.save(path)
    _refused(path, db_url, match="C6")


def test_moved_rows_keep_their_codes(form, db_url):
    raw, path = form
    a, b = _row_of(raw, "binh_luan"), _row_of(raw, "ket_qua_xu_ly")
    wb = load_workbook(io.BytesIO(raw))
    ws = wb[forms.SHEET]
    for col in "ABCDEF":
        ws[f"{col}{a}"].value, ws[f"{col}{b}"].value = ws[f"{col}{b}"].value, ws[f"{col}{a}"].value
    ws[f"C{a}"], ws[f"C{b}"] = 4, 9  # row a now holds ket_qua_xu_ly
    wb.save(path)
    assert forms.read_form(path, url=db_url).values == {"ket_qua_xu_ly": 4, "binh_luan": 9}


def test_duplicated_code_is_refused(form, db_url):
    raw, path = form
    a, b = _row_of(raw, "binh_luan"), _row_of(raw, "ket_qua_xu_ly")
    _refused(_filled(raw, path, {f"F{b}": "binh_luan", f"C{a}": 1, f"C{b}": 2}), db_url, match=f"F{b}")


@pytest.mark.parametrize("code", ["khong_co_chi_tieu", "binh_luan|nam", "§", 42])
def test_unknown_code_is_refused(form, db_url, code):
    raw, path = form
    row = _row_of(raw, "binh_luan")
    _refused(_filled(raw, path, {f"F{row}": code, f"C{row}": 3}), db_url, match=f"{row}")


def test_form_without_codes_is_refused(form, db_url):
    raw, path = form
    cells = {f"F{r}": None for r in range(forms.FIRST_ROW, forms.FIRST_ROW + 9)}
    _refused(_filled(raw, path, {**cells, f"C{forms.FIRST_ROW}": 5}), db_url, match="cột F")


def test_renamed_sheet_is_refused(form, db_url):
    raw, path = form
    wb = load_workbook(io.BytesIO(raw))
    wb[forms.SHEET].title = "Sheet1"
    wb.save(path)
    _refused(path, db_url, match=forms.SHEET)


@pytest.mark.parametrize(("ref", "value"), [("B4", "mot"), ("B2", "mau-khong-co"), ("B4", -1), ("B1", None)])
def test_tampered_metadata_is_refused(form, db_url, ref, value):
    raw, path = form
    _refused(_filled(raw, path, {ref: value}, sheet=forms.META), db_url)


def _huge_sheet(raw: bytes, path, rows: int, *, sparse: bool = False):
    xml = _sheet_xml(raw)
    head, tail = xml[: xml.index("</sheetData>")], xml[xml.index("</sheetData>"):]
    if sparse:  # one row far down: readers pad the gap with empty rows
        body = [f'<row r="{rows}"><c r="C{rows}"><v>1</v></c></row>'.encode()]
    else:
        first = forms.FIRST_ROW + 20
        body = (f'<row r="{r}"><c r="C{r}"><v>1</v></c><c r="F{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>'
                .encode() for r in range(first, first + rows))
    chunks = [head.encode(), *body, tail.encode()]
    return _with_member(raw, path, SHEET_XML, chunks=chunks)


def test_sheet_of_a_million_rows_is_refused_in_bounded_time(form, db_url):
    raw, path = form
    _huge_sheet(raw, path, 1_000_000)
    start = time.monotonic()
    _refused(path, db_url)
    assert time.monotonic() - start < 5


def test_sparse_million_row_sheet_is_refused_in_bounded_time(form, db_url):
    raw, path = form
    _huge_sheet(raw, path, 1_000_000, sparse=True)
    start = time.monotonic()
    _refused(path, db_url, match="dòng")
    assert time.monotonic() - start < 5


def test_many_rows_under_the_size_limit_are_refused(form, db_url):
    raw, path = form
    _huge_sheet(raw, path, 20_000)
    _refused(path, db_url, match="dòng")


def test_bad_form_stores_nothing(form, db_url):
    raw, path = form
    sections = {f"C{_row_of(raw, '§' + s)}": "Nội dung." for s in ("I", "II", "III", "IV")}
    good = _filled(raw, path.with_name("good.xlsx"), {f"C{_row_of(raw, 'binh_luan')}": 7, **sections})
    assert forms.submit_form("X1", TPL, PERIOD, good, url=db_url).version == 1
    bad = _filled(raw, path, {f"C{_row_of(raw, 'binh_luan')}": "=1/0", f"C{_row_of(raw, 'ket_qua_xu_ly')}": 3})
    with pytest.raises(SubmissionError, match=str(bad)):
        forms.submit_form("X1", TPL, PERIOD, bad, based_on=1, url=db_url)
    rows = submissions.list_submissions(TPL, PERIOD, url=db_url)
    assert [(r["version"], r["values"]) for r in rows] == [(1, {"binh_luan": 7})]


@FUZZ
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.datetimes(), st.booleans(),
                 st.decimals(allow_nan=False).map(str)))
def test_any_figure_is_a_bounded_integer_or_a_named_cell(form, db_url, value):
    raw, path = form
    row = _row_of(raw, "binh_luan")
    try:
        _filled(raw, path, {f"C{row}": value})
    except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses to write it (control characters): Excel could not hold it
        return
    try:
        read = forms.read_form(path, url=db_url).values.get("binh_luan")
    except forms.FormErrors as e:
        assert len(e.problems) == 1 and e.problems[0].startswith(f"C{row}: ") and str(path) in str(e)
    except SubmissionError as e:  # a value openpyxl wrote but cannot read back (e.g. a float it prints as "inf")
        assert str(path) in str(e) and f"dòng {row}" in str(e)
    else:
        assert read is None or (type(read) is int and abs(read) <= forms.MAX_FIGURE)
