"""Administration: one function per admin action, each checking the admin's unit subtree and writing the audit log."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from tonghop.db import accounts_repo
from tonghop.db import reporting_repo as repo
from tonghop.db.reporting import AssignmentRow
from tonghop.regime.assignments import Assignment
from tonghop.regime.errors import RegimeError, UnitError
from tonghop.services import accounts, templates
from tonghop.services.accounts import ROLES, AccountError, User, audit_entry
from tonghop.services.context import database_url, transaction
from tonghop.services.desk import local_time
from tonghop.services.units import load_tree, read_units_file, store_units

AUDIT_SCAN = 5000


class OutOfScope(AccountError):
    """The admin asked about something outside its unit subtree (interfaces answer 404)."""


def _view(session, url: str | None, day: date | None = None):
    return load_tree(session, database_url(url)).at(day or date.today())


def _scope(session, user: User, url: str | None, day: date | None = None) -> list[str]:
    view = _view(session, url, day)
    return view.subtree(user.unit_code) if user.unit_code in view else []


def _check_admin(user: User) -> None:
    if not user.can("users.manage"):
        raise OutOfScope("Chỉ quản trị viên được thực hiện thao tác này")


def is_top_admin(user: User, *, url: str | None = None) -> bool:
    """True when USER administers a root of today's unit tree (and so may assign templates by unit kind)."""
    with transaction(url) as session:
        return user.can("users.manage") and user.unit_code in _view(session, url).roots()


def unit_events(user: User, at: date | None = None, *, url: str | None = None) -> list[dict[str, Any]]:
    """Lineage events (merge, split, rename, move…) touching a unit of USER's subtree on AT or today, newest first."""
    with transaction(url) as session:
        tree = load_tree(session, database_url(url))
        scope = set(_scope(session, user, url, at)) | set(_scope(session, user, url))
    names = {u.code: u.name for u in tree.units}
    found = [e for e in tree.events if scope.intersection((*e.sources, *e.targets))]
    found.sort(key=lambda e: e.date, reverse=True)
    return [{"kind": e.kind, "date": e.date.isoformat(), "note": e.note,
             "sources": [{"code": c, "name": names.get(c, c)} for c in e.sources],
             "targets": [{"code": c, "name": names.get(c, c)} for c in e.targets]} for e in found]


def import_units(user: User, path: str | Path, *, url: str | None = None) -> dict[str, Any]:
    """Import a units YAML/CSV file as admin USER: every unit must lie in, or hang below, USER's subtree."""
    _check_admin(user)
    units, events, members = read_units_file(Path(path))
    if not units:
        raise UnitError(f"{Path(path).name}: không có đơn vị nào")
    with transaction(url) as session:
        inside = set(_scope(session, user, url))
        for unit in units:  # file order is tree order, so a parent is admitted before its children
            if unit.code != user.unit_code and unit.code not in inside and unit.parent not in inside:
                raise OutOfScope(f"{Path(path).name}: đơn vị '{unit.code}' nằm ngoài phạm vi quản trị của bạn")
            inside.add(unit.code)
        report = store_units(session, units, events, members)
        audit_entry(session, user.username, "units.import", f"file:{Path(path).name}", None, report.to_dict())
    return report.to_dict()


def template_detail(code: str, version: int | None = None, *, url: str | None = None) -> dict[str, Any]:
    """Template CODE (at VERSION, default current) as the form it asks for, with every stored version."""
    with transaction(url) as session:
        t = templates.get_template(session, code, version)
        versions = sorted(repo.template_versions(session, code), reverse=True)
    return {"code": t.code, "name": t.name, "period_type": t.period_type, "period_name": t.period_name,
            "version": t.version, "versions": versions, "subject": t.subject, "description": t.description,
            "deadline_days": t.deadline_days,
            "indicators": [{"code": i.code, "name": i.name, "label": i.label, "unit": i.unit, "type": i.type,
                            "aggregation": i.aggregation, "categories": list(i.categories), "required": i.required,
                            "target": i.target, "description": i.description} for i in t.indicators],
            "sections": [{"code": s.code, "label": s.label, "title": s.title, "hint": s.hint, "level": s.level,
                          "required": s.required, "indicators": list(s.indicators)} for s in t.sections]}


def template_list(*, url: str | None = None) -> list[dict[str, Any]]:
    """Every template (current version) with its period in Vietnamese and every stored version, newest first."""
    with transaction(url) as session:
        templates.ensure_builtins(session)
        rows = []
        for code in repo.template_codes(session):
            t = templates.get_template(session, code)
            rows.append({"code": t.code, "name": t.name, "period_name": t.period_name, "version": t.version,
                         "indicators": len(t.indicators), "sections": len(t.sections),
                         "versions": sorted(repo.template_versions(session, code), reverse=True)})
    return rows


def upload_template(user: User, path: str | Path, *, url: str | None = None) -> dict[str, Any]:
    """Import a YAML template as a top admin USER (a new version unless unchanged), audited.

    Templates are shared by every unit, so only an admin of a root of the unit tree may change them.
    """
    if not is_top_admin(user, url=url):
        raise OutOfScope("Chỉ quản trị viên cấp cao nhất được nạp mẫu báo cáo (mẫu dùng chung cho mọi đơn vị)")
    result = templates.import_template(path, url=url)
    if result["stored"]:
        accounts.audit(user.username, "template.import", f"template:{result['code']}", None,
                       {"version": result["version"], "file": Path(path).name}, url=url)
    return result


def list_assignments(user: User, *, url: str | None = None) -> list[dict[str, Any]]:
    """Assignments that reach USER's subtree: by unit kind (kinds present there) or by a unit inside it."""
    with transaction(url) as session:
        view = _view(session, url)
        scope = _scope(session, user, url)
        kinds = {view.units[c].kind for c in scope}
        names = {c: view.units[c].name for c in scope}
        rows = repo.load_assignments(session)
    return [{"template": a.template_code, "kind": a.unit_kind, "unit": a.unit_code,
             "unit_name": names.get(a.unit_code or "", "")}
            for a in sorted(rows, key=lambda a: (a.template_code, a.unit_kind or "", a.unit_code or ""))
            if (a.unit_kind in kinds) or (a.unit_code in names)]


def _check_assignment(session, user: User, url: str | None, kind: str | None, unit: str | None) -> None:
    _check_admin(user)
    view = _view(session, url)
    if kind and user.unit_code not in view.roots():
        raise OutOfScope("Chỉ quản trị viên cấp cao nhất được giao báo cáo theo loại đơn vị")
    if unit and unit not in _scope(session, user, url):
        raise OutOfScope(f"Đơn vị '{unit}' nằm ngoài phạm vi quản trị của bạn")


def assign_template(user: User, template: str, *, kind: str | None = None, unit: str | None = None,
                    url: str | None = None) -> bool:
    """Make TEMPLATE due from every unit of KIND or from UNIT (in USER's subtree); False when it already was."""
    if (kind is None) == (unit is None):
        raise RegimeError("Giao báo cáo: chọn đúng một trong loại đơn vị hoặc đơn vị")
    with transaction(url) as session:
        _check_assignment(session, user, url, kind, unit)
    added = templates.assign(template, [kind] if kind else None, [unit] if unit else None, url=url) > 0
    if added:
        accounts.audit(user.username, "assignment.add", f"template:{template}", None,
                       {"kind": kind, "unit": unit}, url=url)
    return added


def unassign_template(user: User, template: str, *, kind: str | None = None, unit: str | None = None,
                      url: str | None = None) -> bool:
    """Remove the assignment of TEMPLATE to KIND or UNIT (in USER's subtree); False when there was none."""
    Assignment(template, kind, unit)  # validates exactly one of kind/unit
    with transaction(url) as session:
        _check_assignment(session, user, url, kind, unit)
        # reporting_repo has no delete yet; plain ORM calls keep SQLAlchemy imports out of services.
        rows = [r for r in session.query(AssignmentRow).filter_by(template_code=template)
                if r.unit_kind == kind and r.unit_code == unit]
        for row in rows:
            session.delete(row)
        if rows:
            audit_entry(session, user.username, "assignment.remove", f"template:{template}",
                        {"kind": kind, "unit": unit}, None)
    return bool(rows)


def users_in_scope(user: User, *, url: str | None = None) -> list[dict[str, Any]]:
    """Accounts whose unit lies in USER's subtree, with the unit's name, in tree order then by name."""
    with transaction(url) as session:
        view = _view(session, url)
        scope = _scope(session, user, url)
        order = {c: i for i, c in enumerate(scope)}
        rows = [r for r in accounts_repo.list_users(session) if r["unit_code"] in order]
    rows.sort(key=lambda r: (order[r["unit_code"]], r["username"]))
    return [{**{k: r[k] for k in ("id", "username", "full_name", "unit_code", "role", "active")},
             "unit_name": view.units[r["unit_code"]].name} for r in rows]


def _user_in_scope(session, user: User, url: str | None, username: str) -> dict[str, Any]:
    _check_admin(user)
    row = accounts_repo.user_by_name(session, username.strip().lower())
    if row is None or row["unit_code"] not in _scope(session, user, url):
        raise OutOfScope(f"Không có tài khoản '{username}' trong phạm vi quản trị của bạn")
    return row


def create_user(user: User, username: str, password: str, *, unit: str, role: str, full_name: str = "",
                url: str | None = None) -> User:
    """Create an account in USER's subtree as admin USER (audited by accounts.create_user)."""
    _check_admin(user)
    with transaction(url) as session:
        if unit not in _scope(session, user, url):
            raise OutOfScope(f"Đơn vị '{unit}' nằm ngoài phạm vi quản trị của bạn")
    return accounts.create_user(username, password, unit=unit, role=role, full_name=full_name,
                                actor=user.username, url=url)


def change_role(user: User, username: str, role: str, *, url: str | None = None) -> bool:
    """Give USERNAME (in USER's subtree) ROLE; False when it already had it. An admin cannot demote itself."""
    if role not in ROLES:
        raise AccountError(f"Vai trò '{role}' không hợp lệ; chọn một trong: {', '.join(ROLES)}")
    with transaction(url) as session:
        row = _user_in_scope(session, user, url, username)
        if row["id"] == user.id and role != "admin":
            raise AccountError("Bạn không thể tự bỏ quyền quản trị của mình")
        if row["role"] == role:
            return False
        accounts_repo.update_user(session, row["id"], role=role)
        audit_entry(session, user.username, "user.role", f"user:{row['username']}", {"role": row["role"]},
                    {"role": role})
    return True


def issue_token(user: User, username: str, name: str = "", *, days: int | None = None,
                url: str | None = None) -> str:
    """A new API token for USERNAME (in USER's subtree), shown once; the admin's act is audited too."""
    with transaction(url) as session:
        row = _user_in_scope(session, user, url, username)
    token = accounts.issue_token(row["username"], name, days=days, url=url)
    accounts.audit(user.username, "token.grant", f"user:{row['username']}", None,
                   {"name": name, "prefix": token[:10], "days": days}, url=url)
    return token


def audit_page(user: User, action: str | None = None, page: int = 1, size: int = 50, *,
               url: str | None = None) -> tuple[list[dict[str, Any]], bool]:
    """One page of the audit entries made by accounts of USER's subtree (the CLI's 'system' too at the top).

    Returns (entries, whether there is a next page); only the newest AUDIT_SCAN entries are searched.
    """
    _check_admin(user)
    with transaction(url) as session:
        scope = set(_scope(session, user, url))
        actors = {r["username"] for r in accounts_repo.list_users(session) if r["unit_code"] in scope}
        if user.unit_code in _view(session, url).roots():
            actors.add("system")
    mine = [{**e, "when": _audit_time(e["at"])} for e in accounts.audit_log(AUDIT_SCAN, action or None, url=url)
            if e["actor"] in actors]
    start = (max(page, 1) - 1) * size
    return mine[start:start + size], len(mine) > start + size


def _audit_time(iso: str) -> str:
    """A stored UTC audit time as Vietnam time with seconds (several changes can fall within one minute)."""
    return local_time(iso) + datetime.fromisoformat(iso).strftime(":%S")
