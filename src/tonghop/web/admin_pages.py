"""Administration pages (admins only; anyone else gets 404): units, templates, assignments, users, audit log."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from starlette.responses import Response

from tonghop.services import admin, catalog
from tonghop.services.accounts import AUDIT_ACTIONS, ROLES, AccountError, User
from tonghop.services.templates import export_template, list_templates
from tonghop.text.dates import parse_date
from tonghop.web.auth import db_url, require_user
from tonghop.web.rendering import redirect, render
from tonghop.web.unit_pages import EVENT_NAMES, KIND_NAMES
from tonghop.web.uploads import clean_name

AUDIT_PAGE = 50
AGGREGATIONS = {"sum": "Cộng", "avg": "Bình quân", "min": "Nhỏ nhất", "max": "Lớn nhất", "last": "Số cuối kỳ",
                "none": "Không tổng hợp"}
DONE = {
    "don-vi": "Đã nhập danh sách đơn vị.", "mau": "Đã nạp mẫu báo cáo.", "mau-trung": "Mẫu không đổi so với "
    "phiên bản hiện hành; không lưu phiên bản mới.", "giao": "Đã giao báo cáo.", "giao-trung": "Việc giao này "
    "đã có.", "bo-giao": "Đã bỏ việc giao báo cáo.", "tao": "Đã tạo tài khoản.", "vai-tro": "Đã đổi vai trò.",
}  # fmt: skip
ADMIN_ERRORS = (AccountError, ValueError)


def require_admin(request: Request) -> User:
    """Dependency: the logged-in admin; 404 for everyone else (the pages do not exist for them)."""
    user = require_user(request)
    if not user.can("users.manage"):
        raise HTTPException(404)
    return user


AdminUser = Annotated[User, Depends(require_admin)]


def _page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> Response:
    done = DONE.get(request.query_params.get("ok", ""))
    return render(request, f"admin/{name}", {"done": done, **context}, status_code)


def _day(value: str | None) -> date | None:
    """A whole date typed as asked (30/06/2025, 30-06-2025) or as the date picker sends it (2025-06-30); else None."""
    value = (value or "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        pass
    found = parse_date(value)  # dd/mm/yyyy and the other ways Vietnamese documents write a date
    return date.fromisoformat(found) if found and len(found) == 10 else None


async def _to_temp(upload: UploadFile, folder: str, limit: int) -> Path:
    """UPLOAD written to FOLDER under its cleaned name; ValueError when empty or over LIMIT bytes."""
    if not upload.filename:
        raise ValueError("Chưa chọn tệp")
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{upload.filename}: tệp lớn hơn giới hạn {limit // (1 << 20)} MB")
    path = Path(folder) / clean_name(upload.filename)
    path.write_bytes(data)
    return path


def _units_context(request: Request, user: User) -> dict[str, Any]:
    at = _day(request.query_params.get("at"))
    url = db_url(request)
    rows = catalog.scoped_units(user, at=at, url=url)
    depth: dict[str, int] = {}
    for row in rows:
        row["depth"] = depth[row["code"]] = depth[row["parent"]] + 1 if row["parent"] in depth else 0
    return {"title": "Quản trị đơn vị", "units": rows, "at": at, "today": date.today(), "kinds": KIND_NAMES,
            "events": admin.unit_events(user, at, url=url), "event_names": EVENT_NAMES,
            "bad_date": bool(request.query_params.get("at")) and at is None}


def _templates_context(request: Request, user: User) -> dict[str, Any]:
    url = db_url(request)
    return {"title": "Mẫu báo cáo", "templates": admin.template_list(url=url), "top": admin.is_top_admin(user, url=url)}


def _assign_context(request: Request, user: User) -> dict[str, Any]:
    url = db_url(request)
    units = catalog.scoped_units(user, url=url)
    return {"title": "Giao báo cáo", "assignments": admin.list_assignments(user, url=url), "units": units,
            "templates": list_templates(url=url), "kinds": KIND_NAMES, "top": admin.is_top_admin(user, url=url)}


def _users_context(request: Request, user: User) -> dict[str, Any]:
    url = db_url(request)
    return {"title": "Người dùng", "users": admin.users_in_scope(user, url=url), "roles": ROLES,
            "units": catalog.scoped_units(user, url=url)}


def _unit_routes(router: APIRouter) -> None:
    @router.get("/quan-tri")
    def admin_home(request: Request, user: AdminUser) -> Response:
        return redirect(request, "/quan-tri/don-vi", 302)

    @router.get("/quan-tri/don-vi")
    def units_page(request: Request, user: AdminUser) -> Response:
        return _page(request, "units.html", _units_context(request, user))

    @router.post("/quan-tri/don-vi")
    async def units_import(request: Request, user: AdminUser, file: UploadFile = File(None)) -> Response:
        limit = request.app.state.settings.max_file_bytes
        with tempfile.TemporaryDirectory(prefix="tonghop-units-") as tmp:
            try:
                if file is None:
                    raise ValueError("Chưa chọn tệp")
                admin.import_units(user, await _to_temp(file, tmp, limit), url=db_url(request))
            except ADMIN_ERRORS as exc:
                message = str(exc).replace(tmp + os.sep, "")
                return _page(request, "units.html", {**_units_context(request, user), "error": message}, 422)
        return redirect(request, "/quan-tri/don-vi?ok=don-vi")


def _template_routes(router: APIRouter) -> None:
    @router.get("/quan-tri/mau-bao-cao")
    def templates_page(request: Request, user: AdminUser) -> Response:
        return _page(request, "templates.html", _templates_context(request, user))

    @router.post("/quan-tri/mau-bao-cao")
    async def template_upload(request: Request, user: AdminUser, file: UploadFile = File(None)) -> Response:
        limit = request.app.state.settings.max_file_bytes
        with tempfile.TemporaryDirectory(prefix="tonghop-template-") as tmp:
            try:
                if file is None:
                    raise ValueError("Chưa chọn tệp")
                result = admin.upload_template(user, await _to_temp(file, tmp, limit), url=db_url(request))
            except ADMIN_ERRORS as exc:
                message = str(exc).replace(tmp + os.sep, "")  # name the file as the user knows it
                return _page(request, "templates.html", {**_templates_context(request, user), "error": message}, 422)
        ok = "mau" if result["stored"] else "mau-trung"
        return redirect(request, f"/quan-tri/mau-bao-cao/{result['code']}?ok={ok}")

    def _detail(request: Request, code: str, version: str | None) -> dict[str, Any]:
        try:
            return admin.template_detail(code, int(version) if version and version.isdigit() else None,
                                         url=db_url(request))
        except ADMIN_ERRORS:
            raise HTTPException(404) from None

    @router.get("/quan-tri/mau-bao-cao/{code}")
    def template_page(request: Request, code: str, user: AdminUser) -> Response:
        t = _detail(request, code, request.query_params.get("phien-ban"))
        return _page(request, "template.html", {"title": t["name"], "t": t, "aggregations": AGGREGATIONS})

    @router.get("/quan-tri/mau-bao-cao/{code}/yaml")
    def template_yaml(request: Request, code: str, user: AdminUser) -> Response:
        t = _detail(request, code, request.query_params.get("phien-ban"))
        text = export_template(t["code"], t["version"], url=db_url(request))
        name = f"{t['code']}-v{t['version']}.yaml"
        return Response(text, media_type="application/x-yaml; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _assign_routes(router: APIRouter) -> None:
    def _target(kind: str, unit: str) -> dict[str, str | None]:
        return {"kind": kind.strip() or None, "unit": unit.strip() or None}

    @router.get("/quan-tri/giao-bao-cao")
    def assign_page(request: Request, user: AdminUser) -> Response:
        return _page(request, "assignments.html", _assign_context(request, user))

    @router.post("/quan-tri/giao-bao-cao")
    def assign_add(request: Request, user: AdminUser, template: Annotated[str, Form()] = "",
                   kind: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = "") -> Response:
        try:
            added = admin.assign_template(user, template, **_target(kind, unit), url=db_url(request))
        except ADMIN_ERRORS as exc:
            return _page(request, "assignments.html", {**_assign_context(request, user), "error": str(exc)}, 422)
        return redirect(request, "/quan-tri/giao-bao-cao?ok=" + ("giao" if added else "giao-trung"))

    @router.post("/quan-tri/giao-bao-cao/xoa")
    def assign_remove(request: Request, user: AdminUser, template: Annotated[str, Form()] = "",
                      kind: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = "") -> Response:
        try:
            admin.unassign_template(user, template, **_target(kind, unit), url=db_url(request))
        except ADMIN_ERRORS as exc:
            return _page(request, "assignments.html", {**_assign_context(request, user), "error": str(exc)}, 422)
        return redirect(request, "/quan-tri/giao-bao-cao?ok=bo-giao")


def _user_routes(router: APIRouter) -> None:
    @router.get("/quan-tri/nguoi-dung")
    def users_page(request: Request, user: AdminUser) -> Response:
        return _page(request, "users.html", _users_context(request, user))

    @router.post("/quan-tri/nguoi-dung")
    def user_create(request: Request, user: AdminUser, username: Annotated[str, Form()] = "",
                    full_name: Annotated[str, Form()] = "", unit: Annotated[str, Form()] = "",
                    role: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
        try:
            admin.create_user(user, username, password, unit=unit, role=role, full_name=full_name,
                              url=db_url(request))
        except ADMIN_ERRORS as exc:
            form = {"username": username, "full_name": full_name, "unit": unit, "role": role}
            context = {**_users_context(request, user), "error": str(exc), "form": form}
            return _page(request, "users.html", context, 422)
        return redirect(request, "/quan-tri/nguoi-dung?ok=tao")

    @router.post("/quan-tri/nguoi-dung/{username}/vai-tro")
    def user_role(request: Request, username: str, user: AdminUser, role: Annotated[str, Form()] = "") -> Response:
        try:
            admin.change_role(user, username, role, url=db_url(request))
        except admin.OutOfScope:
            raise HTTPException(404) from None
        except ADMIN_ERRORS as exc:
            return _page(request, "users.html", {**_users_context(request, user), "error": str(exc)}, 422)
        return redirect(request, "/quan-tri/nguoi-dung?ok=vai-tro")

    @router.post("/quan-tri/nguoi-dung/{username}/ma-api")
    def user_token(request: Request, username: str, user: AdminUser, name: Annotated[str, Form()] = "") -> Response:
        try:
            token = admin.issue_token(user, username, name.strip()[:64], url=db_url(request))
        except admin.OutOfScope:
            raise HTTPException(404) from None
        context = {**_users_context(request, user), "token": token, "token_user": username}
        response = _page(request, "users.html", context)
        response.headers["Cache-Control"] = "no-store"
        return response


def _audit_routes(router: APIRouter) -> None:
    @router.get("/quan-tri/nhat-ky")
    def audit_page(request: Request, user: AdminUser) -> Response:
        action = request.query_params.get("hanh-dong") or None
        raw_page = request.query_params.get("trang", "1")
        page = max(1, int(raw_page)) if raw_page.isdigit() else 1
        entries, more = admin.audit_page(user, action, page, AUDIT_PAGE, url=db_url(request))
        for entry in entries:
            for key in ("before", "after"):
                value = entry[key]
                entry[key] = None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
        return _page(request, "audit.html", {"title": "Nhật ký", "entries": entries, "more": more, "page": page,
                                             "action": action or "", "actions": AUDIT_ACTIONS})


def add_routes(router: APIRouter) -> None:
    """Register the administration pages on ROUTER."""
    _unit_routes(router)
    _template_routes(router)
    _assign_routes(router)
    _user_routes(router)
    _audit_routes(router)
