"""Consolidation service: live totals over the period's tree, completeness, comparisons, history rebased."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tonghop.services import consolidated_report, consolidation, submissions, templates, units

TPL = "bc-tu-tuong-thang"
UNITS = """
units:
  - {code: T, name: Tỉnh Thử, kind: province}
  - {code: H, name: Huyện Cũ, kind: district, parent: T, valid_to: 2025-06-30}
  - {code: X1, name: Xã Một, kind: commune, parent: H, valid_to: 2025-06-30}
  - {code: X2, name: Xã Hai, kind: commune, parent: H, valid_to: 2025-06-30}
  - {code: X3, name: Xã Ba, kind: commune, parent: T}
  - {code: X9, name: Xã Mới, kind: commune, parent: T, valid_from: 2025-07-01}
events:
  - {kind: merge, date: 2025-07-01, sources: [X1, X2], targets: [X9]}
"""


@pytest.fixture
def url(db_url, tmp_path):
    (tmp_path / "u.yaml").write_text(UNITS, encoding="utf-8")
    units.import_units_file(tmp_path / "u.yaml", url=db_url)
    templates.assign(TPL, kinds=["commune"], url=db_url)
    return db_url


def _file(url, unit, period, n, day=10):
    year, month = int(period[:4]), int(period[5:])
    submissions.save_submission(unit, TPL, period, {"bai_internet_mxh": n, "binh_luan": 1},
                                narrative={"III": f"Phương hướng của {unit}."}, url=url,
                                now=datetime(year, month, day, tzinfo=UTC))


def _value(result, code="bai_internet_mxh"):
    return next(i for i in result["indicators"] if i["code"] == code)


def test_totals_by_child_and_missing_units(url):
    _file(url, "X1", "2025M5", 4)
    _file(url, "X2", "2025M5", 6)
    result = consolidation.consolidate_report("T", TPL, "2025M5", url=url)
    assert _value(result)["value"] == 10
    assert {u["unit"]: u["values"]["bai_internet_mxh"] for u in result["by_unit"]} == {"H": 10, "X3": None}
    assert result["completeness"]["missing"] == ["X3"]


def test_comparisons_with_previous_and_last_year(url):
    for period, n in (("2024M5", 1), ("2025M4", 2), ("2025M5", 5)):
        _file(url, "X3", period, n)
    got = _value(consolidation.consolidate_report("T", TPL, "2025M5", url=url))
    assert (got["value"], got["previous"], got["same_period_last_year"]) == (5, 2, 1)


def test_merged_units_history_under_todays_tree(url):
    _file(url, "X1", "2025M5", 4)
    _file(url, "X2", "2025M5", 6)
    rebased = consolidation.consolidate_report("T", TPL, "2025M5", rebase=True, url=url)
    assert {u["unit"]: u["values"]["bai_internet_mxh"] for u in rebased["by_unit"]} == {"X3": None, "X9": 10}
    _file(url, "X9", "2026M5", 7)
    now = _value(consolidation.consolidate_report("X9", TPL, "2026M5", url=url))
    assert (now["value"], now["same_period_last_year"]) == (7, 10)


def test_approved_only(url):
    _file(url, "X3", "2025M5", 4)
    _file(url, "X1", "2025M5", 6)
    submissions.review("X3", TPL, "2025M5", "approve", based_on=1, url=url)
    result = consolidation.consolidate_report("T", TPL, "2025M5", approved_only=True, url=url)
    assert _value(result)["value"] == 4


def test_fast_path_agrees_with_the_core():
    import random
    from datetime import date

    from tonghop.regime.consolidation import consolidate
    from tonghop.regime.org_units import OrgUnit, UnitTree
    from tonghop.regime.templates import parse_template

    template = parse_template({"code": "t", "name": "T", "period_type": "month", "indicators": [
        {"code": c, "name": c, "type": "decimal", "aggregation": a}
        for c, a in (("s", "sum"), ("a", "avg"), ("lo", "min"), ("hi", "max"), ("l", "last"))]})
    tree = UnitTree([OrgUnit("R", "R", "p"), *(OrgUnit(f"H{i}", "H", "d", "R") for i in range(3)),
                     *(OrgUnit(f"X{i}", "X", "c", f"H{i % 3}") for i in range(20))])
    view = tree.at(date(2024, 1, 1))
    rng = random.Random(3)
    values = {f"X{i}": {c: rng.uniform(-5, 100) for c in ("s", "a", "lo", "hi", "l")} for i in range(0, 20, 2)}
    values["R"] = {c: 1.5 for c in ("s", "a", "lo", "hi", "l")}
    expected = [f"X{i}" for i in range(20)]
    fast = consolidation.fast_consolidate(template, view, "R", values, expected, previous={"s": 10}, period="p")
    core = consolidate(template, view, "R", values, expected, previous={"s": 10}, period="p")
    assert _close(fast.to_dict(), core.to_dict())


def _close(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return abs(a - b) < 1e-9 * max(1, abs(b))
    return a == b


def _vn_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_docx_and_xlsx_totals_equal_the_units_sum(url, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    for unit, n in (("X1", 1204), ("X2", 7), ("X3", 33)):
        _file(url, unit, "2025M5", n)
    docx, xlsx = tmp_path / "th.docx", tmp_path / "th.xlsx"
    result = consolidation.consolidate_and_render("T", TPL, "2025M5", docx=str(docx), xlsx=str(xlsx), url=url)
    units_sum = sum(u["values"]["bai_internet_mxh"] or 0 for u in result["by_unit"])
    assert units_sum == _value(result)["value"] == 1244
    table = next(t for t in Document(docx).tables if any("Tổng cộng" in c.text for c in t.rows[-1].cells))
    col = next(i for i, c in enumerate(table.rows[0].cells) if "Internet" in c.text)
    body = [_vn_number(r.cells[col].text) for r in table.rows[1:-1] if r.cells[col].text.strip()]
    assert _vn_number(table.rows[-1].cells[col].text) == sum(body) == units_sum
    sheet = next(ws for ws in load_workbook(xlsx, data_only=True).worksheets
                 if any(c.value == "Tổng cộng" for row in ws.iter_rows() for c in row))
    total_row = next(row for row in sheet.iter_rows() if any(c.value == "Tổng cộng" for c in row))
    header = next(row for row in sheet.iter_rows() if any(isinstance(c.value, str) and "Internet" in c.value
                                                           for c in row))
    col = next(c.column for c in header if isinstance(c.value, str) and "Internet" in c.value)
    cells = [sheet.cell(r, col).value for r in range(header[0].row + 1, total_row[0].row)]
    assert sheet.cell(total_row[0].row, col).value == sum(v for v in cells if v) == units_sum


def test_report_data_follows_decree_30(url):
    from tonghop.services.context import transaction
    from tonghop.services.submissions import Desk

    _file(url, "X3", "2025M5", 3)
    with transaction(url) as session:
        desk = Desk(session, url)
        result, got, view, period = consolidation.run(desk, "T", TPL, "2025M5", narrative=True)
        data = consolidated_report.report_data(desk.template(TPL), result, got, view, period)
    assert (data.issuer, data.number, data.place) == ("Ủy ban nhân dân\nTỉnh Thử", None, "Thử")
    assert data.subject.startswith("Kết quả") and data.subject.endswith("tháng 5/2025")
    assert (data.signer.authority, data.signer.authority_title, data.signer.title) == ("KT.", "CHỦ TỊCH",
                                                                                      "PHÓ CHỦ TỊCH")
    assert any("Xã Ba: Phương hướng của X3." in p for s in data.sections for p in s.paragraphs)
    assert "chưa nộp: Xã Một, Xã Hai" in data.completeness


def test_new_unit_in_old_period_suggests_rebase(url):
    from tonghop.regime.errors import UnitError

    with pytest.raises(UnitError, match="--rebase"):
        consolidation.consolidate_report("X9", TPL, "2025M5", url=url)
    assert consolidation.consolidate_report("X9", TPL, "2025M5", rebase=True, url=url)["unit"] == "X9"


def test_outputs_are_written_atomically(tmp_path, monkeypatch):
    target = tmp_path / "bc.docx"
    target.write_bytes(b"the previous, finished report")

    def crash(data, path):
        path.write_bytes(b"half a report")
        raise KeyboardInterrupt

    monkeypatch.setattr("tonghop.render.docx_report.render_docx", crash)
    with pytest.raises(KeyboardInterrupt):
        consolidated_report.write_outputs(object(), docx=str(target))
    assert target.read_bytes() == b"the previous, finished report"
    assert [p.name for p in tmp_path.iterdir()] == ["bc.docx"]
