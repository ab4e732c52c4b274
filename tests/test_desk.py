"""The desk service: what one user sees and may do (scope, roles), drafts, conflicts, history, consolidation."""

from __future__ import annotations

import pytest

from tonghop.services import accounts, desk, submissions, templates
from tonghop.services.accounts import User
from tonghop.services.desk import NotVisible, Target

TPL = "bc-tu-tuong-thang"
PERIOD = "2026M10"
FIGURES = {"bai_bao_dai_tap_chi": 3, "bai_internet_mxh": 14, "luot_chia_se_quan_tam": 1200, "binh_luan": 45,
           "ket_qua_xu_ly": 2}
CLERK = User(1, "xa", "Lò Thị Mai", "X01", "reporter")
APPROVER = User(2, "huyen", "Nguyễn Văn An", "H01", "approver")
VIEWER = User(3, "tinh", "Hà Văn Bình", "T01", "viewer")
X01 = Target("X01", TPL, PERIOD)


@pytest.fixture
def url(form_db) -> str:
    return form_db


def file(url: str, unit: str, values: dict, *, author: str = "Văn thư") -> None:
    submissions.save_submission(unit, TPL, PERIOD, values, narrative={"III": "Tiếp tục tuyên truyền."},
                                author=author, url=url)


def test_check_field_reports_the_regime_message(url):
    assert "không phải là số" in desk.check_field(X01, "binh_luan", {"binh_luan": "bốn lăm"}, url=url)
    assert desk.check_field(X01, "binh_luan", {"binh_luan": "-1"}, url=url).endswith("phải là số không âm")
    assert desk.check_field(X01, "binh_luan", {"binh_luan": "1.045", "ket_qua_xu_ly": "x"}, url=url) is None


def test_draft_keeps_what_parses_and_is_audited(url):
    saved, left_out = desk.save_draft(CLERK, X01, {"binh_luan": "45", "bai_internet_mxh": "nhiều"}, {},
                                      based_on=0, url=url)
    assert saved.state == "draft" and saved.version == 1 and len(left_out) == 1 and "2.a" in left_out[0]
    assert submissions.history("X01", TPL, PERIOD, url=url)[0]["values"] == {"binh_luan": 45}
    entry = accounts.audit_log(url=url)[0]
    assert entry["action"] == "submission.edit" and entry["target"] == "submission:X01/bc-tu-tuong-thang/2026M10"


def test_conflict_names_who_saved(url):
    file(url, "X01", FIGURES, author="Trần Thị Bình")
    with pytest.raises(submissions.ConflictError, match="Trần Thị Bình lưu \\(phiên bản 1, đã gửi"):
        desk.save_draft(CLERK, X01, {"binh_luan": "1"}, {}, based_on=0, url=url)


@pytest.mark.parametrize("target", [Target("X02", TPL, PERIOD), Target("H01", TPL, PERIOD)])
def test_entry_outside_the_subtree_is_not_visible(url, target):
    with pytest.raises(NotVisible):
        desk.entry(CLERK, target, url=url)


@pytest.mark.parametrize("user", [APPROVER, VIEWER, User(4, "pd", "Phê Duyệt", "X01", "approver")])
def test_others_in_the_subtree_read_the_entry_but_only_the_reporter_edits(url, user):
    file(url, "X01", FIGURES)
    data = desk.entry(user, X01, url=url)
    assert (data["can_edit"], data["editable"], data["values"]["binh_luan"]) == (False, False, 45)
    assert desk.entry(CLERK, Target("X01", TPL, "2026M9"), url=url)["can_edit"] is True
    with pytest.raises(NotVisible):
        desk.save_draft(user, Target("X01", TPL, "2026M9"), {"binh_luan": "1"}, {}, based_on=0, url=url)
    assert submissions.history("X01", TPL, "2026M9", url=url) == []


def test_review_needs_an_approver_above_the_unit(url):
    file(url, "X01", FIGURES)
    for user, unit in ((CLERK, "X01"), (VIEWER, "X01"), (APPROVER, "X02")):
        with pytest.raises(NotVisible):
            desk.review(user, Target(unit, TPL, PERIOD), "approve", "", based_on=1, url=url)
    assert desk.review(APPROVER, X01, "approve", "", based_on=1, url=url).state == "approved"


def test_history_marks_changed_values(url):
    file(url, "X01", FIGURES)
    submissions.review("X01", TPL, PERIOD, "return", based_on=1, comment="Sửa mục 3", url=url)
    submissions.save_submission("X01", TPL, PERIOD, FIGURES | {"binh_luan": 50}, based_on=2, url=url,
                                narrative={"III": "Tiếp tục tuyên truyền."})
    versions = desk.history(VIEWER, X01, url=url)["versions"]
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert versions[0]["changed"] == ["binh_luan"] and versions[1]["changed"] == []


def test_overview_totals_missing_and_scope(url):
    file(url, "X01", FIGURES)
    file(url, "X02", {k: 2 * v for k, v in FIGURES.items()})
    data = desk.overview(VIEWER, Target("T01", TPL, PERIOD), url=url)
    assert {i["code"]: i["value"] for i in data["indicators"]} == {k: 3 * v for k, v in FIGURES.items()}
    assert data["missing"] == [] and {u["code"] for u in data["late"]} == {"X01", "X02"}
    district = desk.overview(APPROVER, Target("H01", TPL, PERIOD), url=url)
    assert [f["unit"] for f in district["filings"]] == ["X01"] and district["filings"][0]["can_review"]
    with pytest.raises(NotVisible):
        desk.overview(APPROVER, Target("T01", TPL, PERIOD), url=url)


def test_chase_list_names_units_not_filed(url):
    file(url, "X01", FIGURES)
    data = desk.overview(VIEWER, Target("T01", TPL, PERIOD), url=url)
    assert "- Ủy ban nhân dân xã Phú Lộc (X02): chưa nộp" in data["chase"].splitlines()


def test_consolidated_file_outside_scope_is_not_visible(url):
    with pytest.raises(NotVisible):
        desk.consolidated_file(APPROVER, Target("H02", TPL, PERIOD), "docx", url=url)
    with pytest.raises(NotVisible):
        desk.consolidated_file(VIEWER, Target("T01", TPL, PERIOD), "exe", url=url)


def test_decomposed_text_is_stored_composed(url):
    import unicodedata

    text = unicodedata.normalize("NFD", "Tiếp tục tuyên truyền trên không gian mạng")
    desk.save_draft(CLERK, X01, {}, {"III": text}, based_on=0, url=url)
    stored = submissions.history("X01", TPL, PERIOD, url=url)[0]["narrative"]["III"]
    assert stored == unicodedata.normalize("NFC", text) != text


def test_submit_after_own_autosave_in_flight_is_no_conflict(url):
    desk.save_draft(CLERK, X01, {"binh_luan": "40"}, {}, based_on=0, url=url)  # the autosave, version 1
    saved = desk.submit(CLERK, X01, FIGURES, {"III": "Tiếp tục."}, based_on=0, url=url)  # page still says 0
    assert saved.state == "submitted" and saved.version == 2
    submissions.save_submission("X01", TPL, PERIOD, FIGURES, action="return", based_on=2, comment="Sửa",
                                author="Cấp trên", url=url)
    with pytest.raises(submissions.ConflictError, match="Cấp trên"):
        desk.submit(CLERK, X01, FIGURES, {"III": "Tiếp tục."}, based_on=2, url=url)


def test_local_time_is_vietnam_time():
    assert desk.local_time("2026-11-23T20:47:05+00:00") == "24/11/2026 03:47"
    assert desk.local_time("2026-11-23T01:00:00") == "23/11/2026 08:00" and desk.local_time(None) == ""


def test_confirming_figures_after_own_autosave_is_no_conflict(url):
    desk.save_draft(CLERK, X01, {"binh_luan": "40"}, {}, based_on=0, url=url)
    saved = desk.confirm_proposals(CLERK, X01, {"binh_luan": 45}, {}, based_on=0, url=url)
    assert saved.version == 2 and submissions.history("X01", TPL, PERIOD, url=url)[-1]["source"] == "report"


def test_narrative_leaves_out_returned_and_draft_filings(url):
    file(url, "X01", FIGURES)
    file(url, "X02", FIGURES)
    submissions.review("X02", TPL, PERIOD, "return", based_on=1, comment="Thiếu mục 2", url=url)
    desk.save_draft(CLERK, Target("X01", TPL, "2026M9"), {}, {"III": "Nháp."}, based_on=0, url=url)
    data = desk.overview(VIEWER, Target("T01", TPL, PERIOD), url=url)
    [section] = [s for s in data["narrative"] if s["code"] == "III"]
    assert [n["unit"] for n in section["by_unit"]] == ["Ủy ban nhân dân xã Tân Hòa"]
    assert data["completeness"]["submitted"] == 1
    earlier = desk.overview(VIEWER, Target("T01", TPL, "2026M9"), url=url)
    assert all(s["by_unit"] == [] for s in earlier["narrative"])


YEARLY = "bc-thuc-hien-ke-hoach-nam"


def test_chooser_offers_years_back_to_the_first_filing(url):
    from datetime import date

    templates.assign(YEARLY, kinds=["commune"], url=url)
    today = date(2026, 11, 23)
    periods = desk.choices(VIEWER, today=today, url=url)["periods"]
    assert [p["code"] for p in periods[YEARLY]] == ["2026", "2025"]  # nothing filed: this year and the last
    assert len(periods[TPL]) == 13 and periods[TPL][0]["code"] == "2026M12"
    submissions.save_submission("X02", YEARLY, "2023", {}, action="edit", url=url)
    periods = desk.choices(VIEWER, today=today, url=url)["periods"]
    assert [p["label"] for p in periods[YEARLY]] == ["năm 2026", "năm 2025", "năm 2024", "năm 2023"]
    assert [p["code"] for p in desk.choices(CLERK, today=today, url=url)["periods"][YEARLY]] == ["2026", "2025"]
