"""Việc cần làm, the home page: the forms a user's unit must file and its children's filings waiting for the
user's review — read in one transaction, because every clerk opens it first and on deadline day all at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from tonghop.db import filings_repo
from tonghop.db import reporting_repo as repo
from tonghop.regime.periods import Period, period_for, previous
from tonghop.regime.submissions import PENDING_STATES
from tonghop.services import access
from tonghop.services.accounts import User
from tonghop.services.context import database_url, transaction
from tonghop.services.desk import STATUS_NAMES, has_units_below, local_time
from tonghop.services.submissions import Desk
from tonghop.services.template_cache import current_templates

PERIODS_SHOWN = 3
NAMES_SHOWN = 3  # units named in a group of filings waiting for review; the rest are counted
DONE = ("approved", "submitted", "resubmitted")


def home(user: User, *, today: date | None = None, url: str | None = None) -> dict[str, Any]:
    """Everything the home page shows: {"unit_name", "has_units_below" (the menu offers consolidation), "rows":
    forms due, "reviews": waiting filings by form and period, "waiting": how many filings wait in all}."""
    url, today = database_url(url), today or date.today()
    with transaction(url) as session:
        desk = Desk(session, url)
        view = desk.tree().at(today)
        assignments = repo.load_assignments(session)
        templates = current_templates(session, {a.template_code for a in assignments})
        rows = _due(session, desk, view, user, assignments, templates, today)
        reviews = _groups(session, view, user, templates, today)
    unit = view.units[user.unit_code].name if user.unit_code in view else None
    return {"unit_name": unit, "has_units_below": has_units_below(view, user.unit_code), "rows": rows,
            "reviews": reviews, "waiting": sum(g["count"] for g in reviews)}


def todo(user: User, *, today: date | None = None, url: str | None = None) -> list[dict[str, Any]]:
    """The forms USER's unit must file: each assigned template for its current and recent periods, soonest first."""
    return home(user, today=today, url=url)["rows"]


def pending_reviews(user: User, *, today: date | None = None, url: str | None = None) -> list[dict[str, Any]]:
    """Filings of recent periods waiting for USER's approval (its children's, filed, not yet reviewed), one by one."""
    url, today = database_url(url), today or date.today()
    with transaction(url) as session:
        view = Desk(session, url).tree().at(today)
        templates = current_templates(session, {a.template_code for a in repo.load_assignments(session)})
        return _waiting(session, view, user, templates, today)


def _due(session, desk: Desk, view, user: User, assignments, templates, today: date) -> list[dict[str, Any]]:
    if user.unit_code not in view:
        return []
    kind = view.get(user.unit_code).kind
    mine = sorted({a.template_code for a in assignments if a.matches(user.unit_code, kind)})
    slots: list[tuple[Any, Period]] = []
    for code in mine:
        t = templates[code]
        period = period_for(t.period_type, today, t.cutoff)
        for _ in range(PERIODS_SHOWN):
            slots.append((t, period))
            period = previous(period)
    filed = filings_repo.unit_filings(session, user.unit_code, [(t.code, p.code) for t, p in slots])
    out = []
    for t, period in slots:
        due, found = desk.deadline(t, period), filed.get((t.code, period.code))
        state = found.state if found else None
        out.append({"template": t.code, "template_name": t.name, "period": period.code, "period_label": period.label,
                    "deadline": due.isoformat(), "days_left": (due - today).days, "state": state,
                    "state_name": STATUS_NAMES.get(state, state), "version": found.version if found else 0,
                    "comment": found.comment if found and state == "returned" else None})
    return sorted(out, key=lambda r: (r["state"] in DONE, r["deadline"]))


def _reviewable(view, user: User) -> list[str]:
    if not user.can("submissions.review") or user.unit_code not in view:
        return []
    return [code for code in view.subtree(user.unit_code)
            if access.refusal(user, "review", {"code": code, "parent": view.units[code].parent}) is None]


def _recent(templates, today: date) -> dict[tuple[str, str], Period]:
    """(template, period code) -> period for the periods the page looks back over, newest first."""
    periods: dict[tuple[str, str], Period] = {}
    for t in templates.values():
        period = period_for(t.period_type, today, t.cutoff)
        for _ in range(PERIODS_SHOWN + 1):
            periods[(t.code, period.code)] = period
            period = previous(period)
    return periods


def _waiting(session, view, user: User, templates, today: date) -> list[dict[str, Any]]:
    """Each filing waiting for USER, one by one."""
    allowed, periods = set(_reviewable(view, user)), _recent(templates, today)
    found = filings_repo.filings(session, periods, PENDING_STATES) if allowed else []
    return [{"unit": f.unit, "name": view.units[f.unit].name, "template": f.template,
             "template_name": templates[f.template].name, "period": f.period,
             "period_label": periods[(f.template, f.period)].label, "submitted_at": local_time(f.submitted_at),
             "state_name": STATUS_NAMES[f.state]} for f in found if f.unit in allowed]


def _groups(session, view, user: User, templates, today: date) -> list[dict[str, Any]]:
    """The filings waiting for USER, one row per form and period, oldest period first (approval happens on that
    period's consolidation page), counted in the database: an approver over a province may have thousands waiting."""
    periods = _recent(templates, today)
    found = filings_repo.waiting(session, periods, PENDING_STATES, _reviewable(view, user), NAMES_SHOWN)
    return [{"template": w.template, "template_name": templates[w.template].name, "period": w.period,
             "period_label": periods[(w.template, w.period)].label, "count": w.count,
             "names": [view.units[u].name if u in view else u for u in w.units], "more": w.count - len(w.units),
             "first": local_time(w.first_submitted)} for w in sorted(found, key=lambda w: (w.template, periods[(w.template, w.period)].start))]
