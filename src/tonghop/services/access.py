"""Who may do what to which unit: one rule for every interface, plus the period listing the API offers.

The rule: a unit outside the user's subtree does not exist for that user (NotVisible, answered 404 so that nothing
about it leaks); inside the subtree a role that lacks the action is refused (NotAllowed, answered 403).
- read (units, submissions, versions, consolidations and their DOCX/XLSX): every role, any unit of the subtree — a
  reporter already sees every figure of its subtree, so refusing it their sum would protect nothing;
- submit (save a draft or file): reporter for its own unit only; admin for any unit of its subtree;
- review (approve or return): approver for the direct children of its unit (the level that files to it); admin
  for any unit of its subtree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tonghop.services.accounts import User
from tonghop.services.catalog import scoped_templates, scoped_units
from tonghop.services.context import database_url, transaction
from tonghop.services.submissions import Desk

ACTIONS = ("read", "submit", "review")


class AccessError(Exception):
    """Base class: the user may not do this; the message is for the user."""


class NotVisible(AccessError):
    """The unit (or template) is outside the user's subtree, or does not exist: answered as 'not found'."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Không tìm thấy '{what}'")


class NotAllowed(AccessError):
    """The unit is in the user's subtree but the user's role or position does not allow the action."""


def unit_in_scope(user: User, code: str, *, at: date | None = None, url: str | None = None) -> dict[str, Any]:
    """Unit CODE ({"code","name","kind","parent"}) when it lies in USER's subtree on AT; NotVisible otherwise."""
    found = next((u for u in scoped_units(user, at=at, url=url) if u["code"] == code), None)
    if found is None:
        raise NotVisible(code)
    return found


def refusal(user: User, action: str, unit: dict[str, Any]) -> str | None:
    """Why USER may not do ACTION to UNIT (a unit of its subtree), in Vietnamese; None when allowed."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action == "read" or user.role == "admin":
        return None
    if action == "submit":
        if not user.can("submissions.submit"):
            return f"Vai trò '{user.role_name}' không được lập hoặc gửi báo cáo"
        if unit["code"] != user.unit_code:
            return "Cán bộ báo cáo chỉ lập, gửi báo cáo của chính đơn vị mình"
        return None
    if not user.can("submissions.review"):
        return f"Vai trò '{user.role_name}' không được duyệt hoặc trả lại báo cáo"
    if unit["parent"] != user.unit_code:
        return "Người phê duyệt chỉ duyệt báo cáo của các đơn vị trực thuộc đơn vị mình"
    return None


def authorize(user: User, action: str, code: str, *, url: str | None = None) -> dict[str, Any]:
    """Unit CODE when USER may do ACTION to it; NotVisible outside the subtree, NotAllowed inside it."""
    unit = unit_in_scope(user, code, url=url)
    reason = refusal(user, action, unit)
    if reason is not None:
        raise NotAllowed(reason)
    return unit


def template_in_scope(user: User, code: str, *, url: str | None = None) -> dict[str, Any]:
    """Template CODE's summary when it is due from a unit of USER's subtree; NotVisible otherwise."""
    found = next((t for t in scoped_templates(user, url=url) if t["code"] == code), None)
    if found is None:
        raise NotVisible(code)
    return found


def list_periods(user: User, template: str, year: int, *, url: str | None = None) -> list[dict[str, Any]]:
    """The periods of TEMPLATE in YEAR with their cut-off windows and filing deadlines (template in USER's scope)."""
    from tonghop.regime.periods import make_period

    template_in_scope(user, template, url=url)
    count = {"month": 12, "quarter": 4, "half": 2}
    url = database_url(url)
    with transaction(url) as session:
        desk = Desk(session, url)
        tpl = desk.template(template)
        periods = [make_period(tpl.period_type, year, i, tpl.cutoff) for i in range(1, count.get(tpl.period_type, 1) + 1)]
        return [{"code": p.code, "label": p.label, "kind": p.kind, "start": p.start, "end": p.end,
                 "cutoff_start": p.cutoff_start, "cutoff_end": p.cutoff_end, "deadline": desk.deadline(tpl, p)}
                for p in periods]
