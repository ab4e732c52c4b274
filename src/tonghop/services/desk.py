"""The reporting desk as one user sees it: forms due, entry, drafts, review, history, consolidation — scoped to
the user's unit subtree, every write recorded in the audit log."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tonghop.db import reporting_repo as repo
from tonghop.regime.errors import RegimeError
from tonghop.regime.submissions import FILED_STATES, STATE_NAMES, parse_values, validate
from tonghop.services import access, accounts, catalog, chooser, consolidation, forms, proposals, submissions
from tonghop.services.accounts import User
from tonghop.services.context import database_url, transaction
from tonghop.services.submissions import Desk, Saved
from tonghop.text.normalize import nfc

STATUS_NAMES = {None: "Chưa nộp", "draft": "Nháp", "submitted": "Đã nộp", "resubmitted": "Đã nộp lại",
                "approved": "Đã duyệt", "returned": "Bị trả lại"}
EDITABLE = (None, "draft", "returned")
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


class NotVisible(LookupError):
    """The unit (or its submission) lies outside what the user may see or do; pages answer 404."""


@dataclass(frozen=True)
class Target:
    """One submission slot: unit, template, period."""

    unit: str
    template: str
    period: str

    @property
    def key(self) -> str:
        """How the audit log names it."""
        return f"submission:{self.unit}/{self.template}/{self.period}"


@lru_cache(maxsize=4096)  # a pure function of its argument; a page lists hundreds of timestamps
def local_time(iso: str | None) -> str:
    """A stored UTC timestamp as Vietnamese local time, '23/11/2026 14:05' ('' when absent)."""
    if not iso:
        return ""
    at = datetime.fromisoformat(iso)
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    return at.astimezone(LOCAL).strftime("%d/%m/%Y %H:%M")


def _scope(user: User, url: str) -> list[str]:
    return accounts.visible_units(user, url=url)


def can_edit(user: User, unit: str) -> bool:
    """True when USER may fill in UNIT's forms (a reporter of that very unit, or an admin)."""
    return user.role == "admin" or (user.can("submissions.submit") and user.unit_code == unit)


def reviewable(user: User, url: str) -> set[str]:
    """The units whose submissions USER may approve or return: the same rule as the API (`access.refusal`)."""
    return {u["code"] for u in catalog.scoped_units(user, url=url) if access.refusal(user, "review", u) is None}


def has_units_below(view, code: str | None) -> bool:
    """True when unit CODE has units reporting to it in VIEW (a tree view): only then is there anything to
    consolidate beyond its own report."""
    return code is not None and code in view and bool(view.reporters(code))


def menu(code: str | None, *, url: str | None = None) -> dict[str, Any]:
    """What every page's menu says of the user's unit CODE today: {"unit_name", "has_units_below"} (the unit tree
    is cached, so this is one short transaction)."""
    url = database_url(url)
    with transaction(url) as session:
        view = Desk(session, url).tree().at(date.today())
    return {"unit_name": view.units[code].name if code in view else None, "has_units_below": has_units_below(view, code)}


def check_visible(user: User, unit: str, *, url: str | None = None) -> None:
    """NotVisible unless UNIT is in USER's subtree."""
    if unit not in _scope(user, database_url(url)):
        raise NotVisible(unit)


def _check_edit(user: User, target: Target, url: str) -> None:
    if not can_edit(user, target.unit) or target.unit not in _scope(user, url):
        raise NotVisible(target.unit)


def _status(sub, last) -> dict[str, Any]:
    state = sub.state if sub is not None and sub.version else None
    return {"state": state, "state_name": STATUS_NAMES.get(state, state), "version": sub.version if sub else 0,
            "comment": last.comment if last is not None and state == "returned" else None}


def _template_dict(t) -> dict[str, Any]:
    return {"code": t.code, "name": t.name, "period_name": t.period_name,
            "indicators": [{"code": i.code, "label": i.label, "name": i.name, "unit": i.unit, "type": i.type,
                            "required": i.required, "categories": list(i.categories), "description": i.description}
                           for i in t.indicators],
            "sections": [{"code": s.code, "label": s.label, "title": s.title, "hint": s.hint, "required": s.required,
                          "indicators": list(s.indicators), "level": s.level} for s in t.sections]}


def entry(user: User, target: Target, *, url: str | None = None) -> dict[str, Any]:
    """What the entry page shows: the template's form, the latest values and narrative, the state and deadline.

    Every role reads it within its subtree (the access rule); "can_edit" says whether USER fills it in, "editable"
    whether it can be changed now."""
    url = database_url(url)
    check_visible(user, target.unit, url=url)
    with transaction(url) as session:
        desk = Desk(session, url)
        t = desk.template(target.template)
        p = desk.period(t, target.period)
        submissions.check_open(desk, t, p, target.unit, datetime.now(LOCAL).date())  # PeriodNotOpen
        unit = desk.tree().at(p.end).get(target.unit)
        sub = repo.get_submission(session, target.unit, t.code, p.code)
        last = repo.versions(session, sub.id)[-1] if sub is not None and sub.version else None
        due = desk.deadline(t, p)
    status = _status(sub, last)
    return {"template": _template_dict(t), "unit": {"code": unit.code, "name": unit.name},
            "period": {"code": p.code, "label": p.label}, "deadline": due.isoformat(),
            "days_left": (due - date.today()).days, "values": last.values if last else {},
            "narrative": last.narrative if last else {}, "can_edit": can_edit(user, target.unit),
            "editable": can_edit(user, target.unit) and status["state"] in EDITABLE, **status}


def check_field(target: Target, code: str, raw: dict[str, Any], *, url: str | None = None) -> str | None:
    """The validation message of indicator CODE given the whole form RAW (other fields matter to rules), or None."""
    url = database_url(url)
    with transaction(url) as session:
        t = Desk(session, url).template(target.template)
    ind = t.indicator(code)
    values, issues = parse_values(t, {k: v for k, v in raw.items() if v not in (None, "")})
    bad = [i.message for i in issues if i.indicator == ind.code]
    if bad:
        return bad[0]
    found = [i.message for i in validate(t, values) if i.indicator == ind.code]
    return found[0] if found else None


def _save(user: User, target: Target, values: dict[str, Any], narrative: dict[str, str], *, action: str,
          based_on: int, source: str, url: str) -> Saved:
    _check_edit(user, target, url)
    narrative = {k: nfc(v) for k, v in narrative.items()}  # browsers may send decomposed (NFD) text
    values = {k: nfc(v) if isinstance(v, str) else v for k, v in values.items()}
    try:
        saved = submissions.save_submission(target.unit, target.template, target.period, values,
                                            narrative=narrative, action=action, based_on=based_on,
                                            author=user.full_name or user.username, source=source, url=url)
    except submissions.ConflictError:
        raise submissions.ConflictError(conflict_message(target, based_on, url=url)) from None
    accounts.audit(user.username, f"submission.{action}", target.key, {"version": based_on},
                   {**saved.to_dict(), "source": source}, url=url)
    return saved


def conflict_message(target: Target, based_on: int, *, url: str | None = None) -> str:
    """Who saved TARGET after version BASED_ON, and when, in a sentence for the user."""
    newer = [v for v in submissions.history(target.unit, target.template, target.period, url=url)
             if v["version"] > based_on]
    if not newer:
        return "Báo cáo vừa được người khác lưu; hãy tải lại trang rồi nhập lại"
    last = newer[-1]
    day, _, hour = local_time(last["created_at"]).partition(" ")
    return (f"Báo cáo đã được {last['author'] or 'người khác'} lưu (phiên bản {last['version']}, "
            f"{STATE_NAMES.get(last['state'], last['state']).lower()}, lúc {hour} ngày {day}) sau khi bạn mở trang; "
            f"thay đổi của bạn chưa được lưu. Hãy tải lại trang để xem bản mới rồi nhập lại.")


def save_draft(user: User, target: Target, raw: dict[str, Any], narrative: dict[str, str], *, based_on: int,
               url: str | None = None) -> tuple[Saved, list[str]]:
    """Save what parses of RAW as a draft version (autosave); (saved, messages of the fields left out)."""
    url = database_url(url)
    with transaction(url) as session:
        t = Desk(session, url).template(target.template)
    values, issues = parse_values(t, {k: v for k, v in raw.items() if v not in (None, "")})
    bad = {i.indicator for i in issues}
    kept = {k: values[k] for k in values if k not in bad and values[k] is not None}
    saved = _save(user, target, kept, narrative, action="edit", based_on=based_on, source="web", url=url)
    return saved, [i.message for i in issues]


def _save_over_own_drafts(user: User, target: Target, values: dict[str, Any], narrative: dict[str, str], *,
                          action: str, based_on: int, source: str, url: str) -> Saved:
    """_save, where versions saved since BASED_ON that are only this user's own autosaved drafts do not conflict:
    the page's autosave may still have been in flight when the user pressed the button, and the form supersedes it."""
    try:
        return _save(user, target, values, narrative, action=action, based_on=based_on, source=source, url=url)
    except submissions.ConflictError:
        newer = [v for v in submissions.history(target.unit, target.template, target.period, url=url)
                 if v["version"] > based_on]
        author = user.full_name or user.username
        if not newer or any(v["author"] != author or v["action"] != "edit" or v["source"] != "web" for v in newer):
            raise
        return _save(user, target, values, narrative, action=action, based_on=newer[-1]["version"], source=source,
                     url=url)


def submit(user: User, target: Target, raw: dict[str, Any], narrative: dict[str, str], *, based_on: int,
           url: str | None = None) -> Saved:
    """File the form (ValidationFailed lists every problem, ConflictError when someone else saved meanwhile)."""
    return _save_over_own_drafts(user, target, {k: v for k, v in raw.items() if v not in (None, "")}, narrative,
                                 action="submit", based_on=based_on, source="web", url=database_url(url))


def form_xlsx(user: User, target: Target, *, url: str | None = None) -> Path:
    """The pre-filled XLSX form of TARGET written to a temporary file."""
    url = database_url(url)
    _check_edit(user, target, url)
    out = Path(tempfile.mkdtemp(prefix="tonghop-form-")) / f"{target.template}-{target.unit}-{target.period}.xlsx"
    return forms.generate_form(target.unit, target.template, target.period, out, url=url)


def upload_xlsx(user: User, target: Target, path: Path, *, url: str | None = None) -> Saved:
    """Read a filled XLSX form (FormErrors names bad cells) and save its figures as a draft of TARGET."""
    url = database_url(url)
    _check_edit(user, target, url)
    content = forms.read_form(path, url=url)
    for what, expected, found in (("đơn vị", target.unit, content.unit), ("mẫu", target.template, content.template),
                                  ("kỳ", target.period, content.period)):
        if expected != found:
            raise RegimeError(f"{path.name}: biểu mẫu của {what} '{found}', không phải '{expected}'")
    return _save(user, target, content.values, content.narrative, action="edit", based_on=content.version,
                 source="xlsx", url=url)


def read_report(user: User, target: Target, path: Path, *, url: str | None = None) -> proposals.Proposals:
    """Figures proposed from the unit's own report at PATH (nothing is stored)."""
    url = database_url(url)
    _check_edit(user, target, url)
    return proposals.propose_from_report(path, target.template, url=url)


def confirm_proposals(user: User, target: Target, raw: dict[str, Any], narrative: dict[str, str], *, based_on: int,
                      url: str | None = None) -> Saved:
    """Store the figures the user confirmed (as read from a report, possibly corrected) as a draft version."""
    return _save_over_own_drafts(user, target, {k: v for k, v in raw.items() if v not in (None, "")}, narrative,
                                 action="edit", based_on=based_on, source="report", url=database_url(url))


def review(user: User, target: Target, action: str, comment: str, *, based_on: int, url: str | None = None) -> Saved:
    """Approve or return (COMMENT required) a submission of a unit below USER's."""
    url = database_url(url)
    if target.unit not in reviewable(user, url):
        raise NotVisible(target.unit)
    comment = nfc(comment.strip())
    saved = submissions.review(target.unit, target.template, target.period, action, based_on=based_on,
                               author=user.full_name or user.username, comment=comment or None, url=url)
    accounts.audit(user.username, f"submission.{action}", target.key, {"version": based_on},
                   {**saved.to_dict(), "comment": comment}, url=url)
    return saved


def history(user: User, target: Target, *, url: str | None = None) -> dict[str, Any]:
    """Every version of TARGET with the indicators whose value changed from the previous version marked."""
    url = database_url(url)
    check_visible(user, target.unit, url=url)
    with transaction(url) as session:
        desk = Desk(session, url)
        t = desk.template(target.template)
        p = desk.period(t, target.period)
        unit = desk.tree().at(p.end).get(target.unit)
    versions = submissions.history(target.unit, target.template, target.period, url=url)
    before: dict[str, Any] = {}
    before_text: dict[str, str] = {}
    for v in versions:
        v["state_name"] = STATUS_NAMES.get(v["state"], v["state"])
        v["when"] = local_time(v["created_at"])
        v["changed"] = sorted(c for c in set(before) | set(v["values"]) if before.get(c) != v["values"].get(c))
        v["changed_text"] = sorted(c for c in set(before_text) | set(v["narrative"])
                                   if before_text.get(c, "") != v["narrative"].get(c, ""))
        before, before_text = v["values"], v["narrative"]
    return {"template": _template_dict(t), "unit": {"code": unit.code, "name": unit.name},
            "period": {"code": p.code, "label": p.label}, "versions": list(reversed(versions))}


def overview(user: User, target: Target, *, url: str | None = None) -> dict[str, Any]:
    """The consolidation page: completeness with names and a chase list, totals with comparisons, progress,
    narrative by unit, and each reporting unit's submission with what USER may do to it."""
    url = database_url(url)
    scope = _scope(user, url)
    if target.unit not in scope:
        raise NotVisible(target.unit)
    allowed = reviewable(user, url)
    report = consolidation.consolidate_report(target.unit, target.template, target.period, url=url)
    with transaction(url) as session:
        desk = Desk(session, url)
        t = desk.template(target.template)
        p = desk.period(t, target.period)
        view = desk.tree().at(p.end)
        rows = {r.unit: r for r in repo.latest(session, t.code, p.code)}
        due = desk.deadline(t, p)
    subtree = set(view.subtree(target.unit))
    names = {c: view.units[c].name for c in subtree}
    comp = report["completeness"]
    late = sorted(u for u, r in rows.items() if u in subtree and r.on_time is False and r.state != "draft")
    missing = comp["missing"]
    chase = [f"- {names.get(u, u)} ({u}): chưa nộp" for u in missing]
    chase += [f"- {names.get(u, u)} ({u}): nộp trễ hạn" for u in late]
    filings = [{"unit": u, "name": names[u], "state": r.state, "state_name": STATUS_NAMES.get(r.state, r.state),
                "version": r.version, "submitted_at": local_time(r.submitted_at), "on_time": r.on_time,
                "can_review": u in allowed and r.state in ("submitted", "resubmitted")}
               for u, r in sorted(rows.items()) if u in subtree]
    # the same filings the completeness figures count: a returned or draft report is not part of the consolidation
    narrative = [{"code": s.code, "label": s.label, "title": s.title,
                  "by_unit": [{"unit": names[u], "text": r.narrative[s.code]} for u, r in sorted(rows.items())
                              if u in subtree and r.state in FILED_STATES and (r.narrative.get(s.code) or "").strip()]}
                 for s in t.sections if not s.indicators]
    by_code = {i["code"]: i for i in report["indicators"]}
    indicators = []
    for ind in t.indicators:
        item = by_code.get(ind.code, {})
        value, prev, last = item.get("value"), item.get("previous"), item.get("same_period_last_year")
        indicators.append({"code": ind.code, "label": ind.label, "name": ind.name, "unit": ind.unit,
                           "value": value, "previous": prev, "last_year": last, "target": ind.target,
                           "progress": item.get("progress"), "pct_previous": _pct(value, prev),
                           "pct_last_year": _pct(value, last)})
    by_unit = [{"unit": b["unit"], "name": names.get(b["unit"], b["unit"]), "values": b["values"]}
               for b in report["by_unit"]]
    return {"template": _template_dict(t), "unit": {"code": target.unit, "name": names[target.unit]},
            "period": {"code": p.code, "label": p.label}, "deadline": due.isoformat(),
            "completeness": comp, "missing": [{"code": u, "name": names.get(u, u)} for u in missing],
            "late": [{"code": u, "name": names.get(u, u)} for u in late], "chase": "\n".join(chase),
            "indicators": indicators, "by_unit": by_unit, "filings": filings, "narrative": narrative,
            "warnings": report.get("warnings", [])}


def _pct(value: Any, before: Any) -> float | None:
    if not isinstance(value, int | float) or not isinstance(before, int | float) or not before:
        return None
    return (value - before) / before * 100


def consolidated_file(user: User, target: Target, kind: str, *, url: str | None = None) -> Path:
    """The consolidated report of TARGET as a DOCX, XLSX or PNG chart (KIND) in a temporary file."""
    url = database_url(url)
    if target.unit not in _scope(user, url) or kind not in ("docx", "xlsx", "png"):
        raise NotVisible(target.unit)
    out = Path(tempfile.mkdtemp(prefix="tonghop-report-")) / f"tong-hop-{target.template}-{target.unit}-" \
                                                             f"{target.period}.{kind}"
    option = {"docx": "docx", "xlsx": "xlsx", "png": "chart"}[kind]
    consolidation.consolidate_and_render(target.unit, target.template, target.period, url=url, **{option: str(out)})
    return out


def choices(user: User, *, today: date | None = None, url: str | None = None) -> dict[str, Any]:
    """What the consolidation chooser offers: USER's units, the templates due in its subtree, recent periods (see
    `chooser.offered_periods`)."""
    url = database_url(url)
    units = catalog.scoped_units(user, url=url)
    templates = catalog.scoped_templates(user, url=url)
    today = today or date.today()
    with transaction(url) as session:
        desk = Desk(session, url)
        tpls = [desk.template(tpl["code"]) for tpl in templates]
        offered = chooser.offered_periods(session, tpls, today, [u["code"] for u in units])
    periods = {code: [{"code": p.code, "label": p.label} for p in found] for code, found in offered.items()}
    return {"units": units, "templates": templates, "periods": periods}
