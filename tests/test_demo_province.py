"""Demo province: a real province with lineage, departments, assignments and two years of submissions."""

from __future__ import annotations

import time
from datetime import date

import pytest

import pg
from tonghop.services import consolidation, demo_province, submissions, units


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = pg.seed_url(tmp_path_factory.mktemp("demo"))
    started = time.perf_counter()
    summary = demo_province.build_demo_province(url=url)
    return url, summary, time.perf_counter() - started


pytestmark = pytest.mark.slow


def test_builds_quickly_and_is_idempotent(demo):
    url, summary, seconds = demo
    assert seconds < 60
    assert summary["province"] == "Tỉnh Lai Châu" and summary["submitted"] > 2000
    assert demo_province.build_demo_province(url=url)["existing"] is True


def test_real_communes_departments_and_dissolved_districts(demo):
    url = demo[0]
    today = units.list_units(date(2026, 11, 23), url=url)
    before = units.list_units(date(2025, 6, 1), url=url)
    kinds_today = [u["kind"] for u in today]
    assert kinds_today.count("department") == 10 and 25 <= kinds_today.count("commune") + kinds_today.count("ward")
    assert "district" in {u["kind"] for u in before} and "district" not in kinds_today


def test_some_late_some_missing_one_returned(demo):
    url, summary, _ = demo
    r = summary["returned"]
    status = submissions.status(r["template"], r["period"], url=url)
    assert r["unit"] in status["missing"]
    assert summary["late"] > 0 and summary["missing"] > 0
    rows = submissions.list_submissions(r["template"], r["period"], unit=r["unit"], url=url)
    assert rows[0]["state"] == "returned"


def test_every_monthly_report_has_data(demo):
    url = demo[0]
    for template in demo_province.MONTHLY:
        for period in ("2024M12", "2025M6", "2025M7", "2026M10"):
            result = consolidation.consolidate_report(demo_province.ROOT, template, period, url=url)
            assert result["completeness"]["submitted"] > 0
            assert any(isinstance(i["value"], int | float) and i["value"] > 0 for i in result["indicators"])


def test_sample_report_for_the_tour_reads_back_every_figure(demo, tmp_path, monkeypatch):
    from tonghop.services import proposals
    from tonghop.services.demo import write_sample_report

    monkeypatch.chdir(tmp_path)  # where it goes when the database is not an SQLite file
    path = write_sample_report(demo[0])
    found = proposals.propose_from_report(path, "bc-tu-tuong-thang", url=demo[0])
    assert path.name == f"bao-cao-thang-11-2026-{demo_province.clerk_commune(url=demo[0])}.docx"
    assert found.values() == {"bai_bao_dai_tap_chi": 4, "bai_internet_mxh": 17, "luot_chia_se_quan_tam": 1350,
                              "binh_luan": 52, "ket_qua_xu_ly": 0}
    assert "truyền thanh" in found.narrative.get("III", "")
