"""Việc cần làm: the forms a unit must file and the children's filings waiting for review, grouped for the page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from test_desk import APPROVER, CLERK, FIGURES, PERIOD, TPL, VIEWER, file
from tonghop.services import submissions, todo

TODAY = date(2026, 11, 23)


@pytest.fixture
def url(form_db) -> str:
    return form_db


def test_todo_lists_recent_periods_late_first(url):
    rows = todo.todo(CLERK, today=TODAY, url=url)
    assert [r["period"] for r in rows] == ["2026M10", "2026M11", "2026M12"]
    assert rows[0]["days_left"] < 0 < rows[-1]["days_left"] and rows[0]["state"] is None
    assert todo.todo(APPROVER, today=TODAY, url=url) == []  # districts owe nothing here


def test_todo_puts_filed_forms_last(url):
    file(url, "X01", FIGURES)
    rows = todo.todo(CLERK, today=TODAY, url=url)
    assert rows[-1]["period"] == PERIOD and rows[-1]["state_name"] == "Đã nộp"


def test_pending_reviews_are_the_approvers_children(url):
    file(url, "X01", FIGURES)
    file(url, "X02", FIGURES)
    rows = todo.pending_reviews(APPROVER, today=TODAY, url=url)
    assert [(r["unit"], r["period"]) for r in rows] == [("X01", PERIOD)]
    assert todo.pending_reviews(CLERK, today=TODAY, url=url) == []


def test_home_groups_waiting_filings_by_form_and_period(url):
    for unit in ("X01", "X02"):
        file(url, unit, FIGURES)
    page = todo.home(APPROVER, today=TODAY, url=url)
    assert page["waiting"] == 1 and page["rows"] == []
    [group] = page["reviews"]
    assert (group["template"], group["period"], group["count"], group["more"]) == (TPL, PERIOD, 1, 0)
    assert group["names"] == ["Ủy ban nhân dân xã Tân Hòa"] and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", group["first"])


def test_home_counts_units_beyond_those_named(url, monkeypatch):
    monkeypatch.setattr(todo, "NAMES_SHOWN", 0)
    file(url, "X01", FIGURES)
    [group] = todo.home(APPROVER, today=TODAY, url=url)["reviews"]
    assert group["names"] == [] and group["more"] == 1


def test_home_of_a_clerk_shows_the_return_reason(url):
    file(url, "X01", FIGURES)
    submissions.review("X01", TPL, PERIOD, "return", based_on=1, comment="Sai số mục 2.b", url=url)
    rows = todo.home(CLERK, today=TODAY, url=url)["rows"]
    returned = next(r for r in rows if r["period"] == PERIOD)
    assert returned["state"] == "returned" and returned["comment"] == "Sai số mục 2.b" and returned["version"] == 2


def test_home_of_a_viewer_has_no_reviews(url):
    file(url, "X01", FIGURES)
    page = todo.home(VIEWER, today=TODAY, url=url)
    assert page["reviews"] == [] and page["waiting"] == 0 and page["unit_name"]


def test_home_lists_waiting_periods_oldest_first(url):
    for period in ("2026M10", "2026M9"):
        submissions.save_submission("X01", TPL, period, FIGURES, narrative={"III": "Tiếp tục."}, url=url)
    groups = todo.home(APPROVER, today=TODAY, url=url)["reviews"]
    assert [g["period"] for g in groups] == ["2026M9", "2026M10"]  # by date, not by code ("2026M10" < "2026M9")


def test_home_says_whether_the_unit_has_units_below(url):
    assert todo.home(CLERK, today=TODAY, url=url)["has_units_below"] is False
    assert todo.home(APPROVER, today=TODAY, url=url)["has_units_below"] is True


def test_menu_flag_comes_from_the_unit_tree(url):
    from tonghop.services import desk

    assert desk.menu("X01", url=url) == {"unit_name": "Ủy ban nhân dân xã Tân Hòa", "has_units_below": False}
    assert desk.menu("H01", url=url)["has_units_below"] is True
    assert desk.menu("KHONG-CO", url=url) == {"unit_name": None, "has_units_below": False}
