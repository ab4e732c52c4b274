"""Submission services: every save a version, optimistic lock, states, validation, timeliness, status."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tonghop.regime.errors import SubmissionError, UnitError
from tonghop.services import submissions, templates, units
from tonghop.services.submissions import ConflictError, ValidationFailed

TPL = "bc-tu-tuong-thang"
UNITS = """
units:
  - {code: H, name: UBND huyện Thử, kind: district}
  - {code: X1, name: Xã Một, kind: commune, parent: H}
  - {code: X2, name: Xã Hai, kind: commune, parent: H}
  - {code: X3, name: Xã Ba, kind: commune, parent: H}
"""
NARR = {"III": "Tiếp tục tuyên truyền."}


@pytest.fixture
def desk(db_url, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(UNITS, encoding="utf-8")
    units.import_units_file(path, url=db_url)
    templates.assign(TPL, kinds=["commune"], url=db_url)
    return db_url


def _save(url, unit="X1", values=None, **kw):
    kw.setdefault("narrative", NARR)
    kw.setdefault("now", datetime(2023, 11, 15, 9, tzinfo=UTC))
    return submissions.save_submission(unit, TPL, "2023M11", values or {"bai_internet_mxh": 12}, url=url, **kw)


def test_every_save_is_a_new_version(desk):
    _save(desk, action="edit")
    _save(desk, values={"bai_internet_mxh": 13}, action="edit", based_on=1)
    _save(desk, values={"bai_internet_mxh": 14}, based_on=2)
    versions = submissions.history("X1", TPL, "2023M11", url=desk)
    assert [(v["version"], v["state"], v["values"]["bai_internet_mxh"]) for v in versions] == [
        (1, "draft", 12), (2, "draft", 13), (3, "submitted", 14)]


def test_stale_save_is_a_conflict(desk):
    _save(desk, action="edit")
    _save(desk, action="edit", based_on=1)
    with pytest.raises(ConflictError, match="phiên bản 2"):
        _save(desk, action="edit", based_on=1)
    with pytest.raises(ConflictError):
        _save(desk)
    assert len(submissions.history("X1", TPL, "2023M11", url=desk)) == 2


def test_validation_names_indicator_and_reason(desk):
    with pytest.raises(ValidationFailed) as err:
        _save(desk, values={"bai_internet_mxh": -3, "binh_luan": "12,5,3"})
    messages = [i.message for i in err.value.issues]
    assert any("Chỉ tiêu 3" in m and "'12,5,3' không phải là số" in m for m in messages)
    assert submissions.history("X1", TPL, "2023M11", url=desk) == []


def test_negative_value_refused_on_submit(desk):
    with pytest.raises(ValidationFailed, match="không âm"):
        _save(desk, values={"bai_internet_mxh": -3})


def test_return_needs_comment_then_resubmit(desk):
    _save(desk)
    with pytest.raises(SubmissionError, match="lý do"):
        submissions.review("X1", TPL, "2023M11", "return", based_on=1, url=desk)
    returned = submissions.review("X1", TPL, "2023M11", "return", based_on=1, comment="Thiếu số lượt", url=desk)
    assert returned.state == "returned"
    again = _save(desk, values={"bai_internet_mxh": 12, "luot_chia_se_quan_tam": 40}, based_on=2)
    assert again.state == "resubmitted"
    approved = submissions.review("X1", TPL, "2023M11", "approve", based_on=3, url=desk)
    assert (approved.state, approved.version) == ("approved", 4)
    assert submissions.history("X1", TPL, "2023M11", url=desk)[1]["comment"] == "Thiếu số lượt"


def test_late_after_deadline(desk):
    late = _save(desk, unit="X2", now=datetime(2023, 12, 28, tzinfo=UTC))
    on_time = _save(desk, unit="X1")
    assert (late.on_time, on_time.on_time) == (False, True)


def test_status_and_listing(desk):
    _save(desk, unit="X1")
    _save(desk, unit="X2", now=datetime(2023, 12, 28, tzinfo=UTC))
    _save(desk, unit="X3", action="edit")
    assert submissions.status(TPL, "2023M11", url=desk) == {"expected": 3, "submitted": 2, "on_time": 1, "late": 1,
                                                           "missing": ["X3"]}
    rows = submissions.list_submissions(TPL, "2023M11", unit="X1", url=desk)
    assert rows == [{"unit": "X1", "state": "submitted", "submitted_at": "2023-11-15T09:00:00+00:00",
                     "on_time": True, "version": 1, "values": {"bai_internet_mxh": 12}}]


def test_wrong_period_kind(desk):
    with pytest.raises(SubmissionError, match="2023Q4"):
        submissions.save_submission("X1", TPL, "2023Q4", {}, url=desk)


def test_unknown_unit(desk):
    with pytest.raises(UnitError, match="NOPE"):
        _save(desk, unit="NOPE")


def test_concurrent_save_loses_instead_of_overwriting(desk):
    from tonghop.db import reporting_repo as repo
    from tonghop.services.context import transaction

    _save(desk, action="edit")
    with transaction(desk) as session:
        mine = repo.get_submission(session, "X1", TPL, "2023M11")
        stale = type(mine)(id=mine.id, version=mine.version)  # what another writer read before our save
        kwargs = {"state": "draft", "action": "edit", "author": "", "created_at": "2023-11-16T00:00:00",
                  "comment": None, "source": "api", "values": {}, "narrative": {}}
        repo.add_version(session, mine, **kwargs)
        with pytest.raises(repo.StaleVersion):
            repo.add_version(session, stale, **kwargs)


def test_extra_day_off_moves_the_deadline(db_url):
    from datetime import timedelta

    before = submissions.deadline_of(TPL, "2023M11", url=db_url)
    submissions.set_holiday(before - timedelta(days=1) if before.weekday() else before, name="Nghỉ bù", url=db_url)
    assert submissions.deadline_of(TPL, "2023M11", url=db_url) > before


def test_second_creation_of_the_same_submission_is_stale(desk):
    from tonghop.db import reporting_repo as repo
    from tonghop.services.context import transaction

    with transaction(desk) as session:
        first = repo.create_submission(session, "X1", TPL, "2023M11", 1, None)
        with pytest.raises(repo.StaleVersion):
            repo.create_submission(session, "X1", TPL, "2023M11", 1, None)
        assert repo.get_submission(session, "X1", TPL, "2023M11").id == first.id


def test_a_period_not_started_yet_is_refused(desk):
    with pytest.raises(submissions.PeriodNotOpen, match="Kỳ tháng 1/2030 chưa bắt đầu"):
        submissions.save_submission("X1", TPL, "2030M1", {"bai_internet_mxh": 1}, narrative=NARR, url=desk)
    now = datetime(2023, 11, 15, 9, tzinfo=UTC)  # the period is judged by when the save happens
    with pytest.raises(submissions.PeriodNotOpen):
        submissions.save_submission("X1", TPL, "2024M1", {"bai_internet_mxh": 1}, narrative=NARR, url=desk, now=now)
    assert submissions.history("X1", TPL, "2030M1", url=desk) == []


def test_a_period_before_the_unit_existed_is_refused(desk, tmp_path):
    path = tmp_path / "new.yaml"
    path.write_text("units:\n  - {code: X4, name: Xã Mới, kind: commune, parent: H, valid_from: 2025-07-01}\n",
                    encoding="utf-8")
    units.import_units_file(path, url=desk)
    with pytest.raises(submissions.PeriodNotOpen, match="'X4' chưa có hoặc không còn trong kỳ tháng 1/2020"):
        submissions.save_submission("X4", TPL, "2020M1", {"bai_internet_mxh": 1}, narrative=NARR, url=desk)
    assert submissions.save_submission("X4", TPL, "2025M8", {"bai_internet_mxh": 1}, narrative=NARR,
                                       url=desk).version == 1
    old = submissions.save_submission("X1", TPL, "2001M1", {"bai_internet_mxh": 1}, narrative=NARR, url=desk)
    assert old.version == 1  # a unit without valid_from has always existed
    with pytest.raises(UnitError):
        submissions.save_submission("KHONG-CO", TPL, "2025M8", {"bai_internet_mxh": 1}, url=desk)
