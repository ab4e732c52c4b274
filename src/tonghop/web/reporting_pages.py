"""Reporting pages: forms due, data entry (validation, autosave, XLSX, report reading), history, consolidation."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from starlette.background import BackgroundTask
from starlette.datastructures import FormData
from starlette.responses import FileResponse, Response

from tonghop.regime.errors import PeriodError, RegimeError, TemplateError, UnitError
from tonghop.services import desk, todo
from tonghop.services.desk import NotVisible, Target
from tonghop.services.forms import FormErrors
from tonghop.services.submissions import ConflictError, PeriodNotOpen, ValidationFailed
from tonghop.web.auth import PageUser, db_url
from tonghop.web.rendering import fragment, redirect, render
from tonghop.web.uploads import TooLarge, TooManyUploads, check_rate, save_uploads

REPORT = "/bao-cao/{unit}/{template}/{period}"
OVERVIEW = "/tong-hop/{unit}/{template}/{period}"
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "png": "image/png"}
NOTICES = {"nhap": "Đã lưu bản nháp.", "nop": "Đã nộp báo cáo.", "xlsx": "Đã nhận số liệu từ biểu mẫu XLSX (bản nháp).",
           "xacnhan": "Đã lưu các số liệu bạn xác nhận từ báo cáo (bản nháp); kiểm tra lại rồi bấm Nộp báo cáo.",
           "duyet": "Đã duyệt báo cáo.", "tralai": "Đã trả lại báo cáo."}
REVIEWED = {"duyet": "Đã duyệt báo cáo của {}.", "tralai": "Đã trả lại báo cáo của {}."}


def _guard(call: Callable[[], Any], *, page: bool = False, closed: bool = False) -> Any:
    """CALL's result; a unit out of scope, an unknown template, period or unit is answered 404 (on a PAGE, any
    reporting error is: a period of the wrong kind in the address is a missing page too). PeriodNotOpen goes up
    when the caller shows the refusal itself (CLOSED)."""
    try:
        return call()
    except PeriodNotOpen:
        if closed or not page:
            raise
        raise HTTPException(404) from None
    except (NotVisible, TemplateError, PeriodError, UnitError):
        raise HTTPException(404) from None
    except RegimeError:
        if page:
            raise HTTPException(404) from None
        raise


def _review_notice(request: Request, data: dict[str, Any]) -> str:
    """The notice after approving or returning, naming the unit (?dv=) when it is one of the page's filings."""
    done = request.query_params.get("da", "")
    names = {f["unit"]: f["name"] for f in data["filings"]}
    name = names.get(request.query_params.get("dv", ""))
    return REVIEWED[done].format(name) if name and done in REVIEWED else NOTICES.get(done, "")


def _editor(data: dict[str, Any]) -> dict[str, Any]:
    """DATA (an entry page's) when its user fills the form in; 404 before any upload is stored otherwise (a
    reader sees the entry page but may not send files to it)."""
    if not data["can_edit"]:
        raise HTTPException(404)
    return data


def _cleanup(path: Path) -> BackgroundTask:
    """Remove the temporary folder holding PATH once the response is sent."""
    return BackgroundTask(shutil.rmtree, path.parent, ignore_errors=True)


@asynccontextmanager
async def _uploaded(request: Request, user, file: UploadFile) -> AsyncIterator[Path]:
    """FILE saved to be read (counted against the user's upload limit), removed once read: the figures read from it
    are kept as a version, the file itself is not needed again."""
    check_rate(request, user.username, [file])
    (path,) = await save_uploads([file], request.app.state.settings)
    try:
        yield path
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def _too_many(response: Response, exc: TooManyUploads) -> Response:
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _figures(form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """Entered values ('v:code' or 'v:code|category') and narrative ('n:section') of a submitted form."""
    values: dict[str, Any] = {}
    narrative: dict[str, str] = {}
    for key, raw in form.multi_items():
        if not isinstance(raw, str):
            continue
        if key.startswith("v:"):
            code, _, cat = key[2:].partition("|")
            if cat:
                values.setdefault(code, {})[cat] = raw.strip()
            else:
                values[code] = raw.strip()
        elif key.startswith("n:") and raw.strip():
            narrative[key[2:]] = raw.strip()
    return values, narrative


def _based_on(form: FormData) -> int:
    raw = form.get("based_on")
    return int(raw) if isinstance(raw, str) and raw.isdigit() else 0


def _entry_page(request: Request, user, target: Target, *, values: dict | None = None,
                narrative: dict | None = None, errors: dict[str, str] | None = None, message: str = "",
                problems: list[str] | None = None, status: int = 200) -> Response:
    try:
        data = _guard(lambda: desk.entry(user, target, url=db_url(request)), page=True, closed=True)
    except PeriodNotOpen as exc:  # the unit is in scope (checked first): say why there is no form to fill in
        return render(request, "reporting/closed.html", {"title": "Không lập được báo cáo kỳ này", "reason": str(exc),
                                                         "target": target}, 404)
    if values is not None:
        data["values"], data["narrative"] = values, narrative or {}
    notice = NOTICES.get(request.query_params.get("da", ""), "")
    return render(request, "reporting/entry.html", {
        "title": f"Nhập số liệu — {data['template']['name']}", "d": data, "target": target,
        "base": REPORT.format(**vars(target)), "errors": errors or {}, "error": message, "problems": problems or [],
        "notice": notice}, status)


def _report_routes(router: APIRouter) -> None:
    @router.get("/")
    @router.get("/viec-can-lam")
    def todo_page(request: Request, user: PageUser) -> Response:
        """Việc cần làm, also the home page (rendered there directly: a redirect would cost a second round trip)."""
        page = todo.home(user, url=db_url(request))
        # the menu marks "Việc cần làm" at / too
        return render(request, "reporting/todo.html", {"title": "Việc cần làm", "path": "/viec-can-lam", **page})

    @router.get(REPORT)
    def entry_page(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        return _entry_page(request, user, Target(unit, template, period))

    @router.post(REPORT + "/kiem-tra/{code}")
    async def check_field(request: Request, user: PageUser, unit: str, template: str, period: str,
                          code: str) -> Response:
        target = Target(unit, template, period)
        data = _guard(lambda: desk.entry(user, target, url=db_url(request)), page=True)
        values, _ = _figures(await request.form())
        message = _guard(lambda: desk.check_field(target, code, values, url=db_url(request)), page=True)
        ind = next((i for i in data["template"]["indicators"] if i["code"] == code), None)
        if ind is None:
            raise HTTPException(404)
        return fragment(render(request, "reporting/_field.html", {"ind": ind, "d": {**data, "values": values},
                                                                  "base": REPORT.format(**vars(target)),
                                                                  "errors": {code: message} if message else {}}))

    @router.post(REPORT + "/luu-nhap")
    async def autosave(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        target = Target(unit, template, period)
        form = await request.form()
        values, narrative = _figures(form)
        context: dict[str, Any] = {"based_on": _based_on(form)}
        try:
            saved, left_out = _guard(lambda: desk.save_draft(user, target, values, narrative,
                                                             based_on=_based_on(form), url=db_url(request)))
            context.update(saved=saved, left_out=left_out, based_on=saved.version,
                           saved_at=datetime.now(desk.LOCAL).strftime("%H:%M:%S"))
        except (ConflictError, ValidationFailed, RegimeError) as exc:
            context["error"] = str(exc)
        if request.headers.get("hx-request"):
            return render(request, "reporting/_saved.html", context)
        if "error" in context:
            return _entry_page(request, user, target, values=values, narrative=narrative, message=context["error"],
                               status=409)
        return redirect(request, REPORT.format(**vars(target)) + "?da=nhap")

    @router.post(REPORT + "/nop")
    async def submit(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        target = Target(unit, template, period)
        form = await request.form()
        values, narrative = _figures(form)
        try:
            _guard(lambda: desk.submit(user, target, values, narrative, based_on=_based_on(form), url=db_url(request)))
        except ValidationFailed as exc:
            errors = {i.indicator: i.message for i in exc.issues}
            return _entry_page(request, user, target, values=values, narrative=narrative, errors=errors,
                               message="Báo cáo chưa nộp được: hãy sửa các ô được đánh dấu.",
                               problems=[i.message for i in exc.issues], status=422)
        except (ConflictError, RegimeError) as exc:
            return _entry_page(request, user, target, values=values, narrative=narrative, message=str(exc),
                               status=409)
        return redirect(request, REPORT.format(**vars(target)) + "?da=nop")

    @router.get(REPORT + "/bieu-mau.xlsx")
    def form_download(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        path = _guard(lambda: desk.form_xlsx(user, Target(unit, template, period), url=db_url(request)), page=True)
        return FileResponse(path, media_type=MEDIA["xlsx"], filename=path.name, background=_cleanup(path))

    @router.post(REPORT + "/nap-bieu-mau")
    async def form_upload(request: Request, user: PageUser, unit: str, template: str, period: str,
                          file: UploadFile = File(...)) -> Response:
        target = Target(unit, template, period)
        _editor(_guard(lambda: desk.entry(user, target, url=db_url(request)), page=True))
        try:
            async with _uploaded(request, user, file) as path:
                _guard(lambda: desk.upload_xlsx(user, target, path, url=db_url(request)))
        except TooManyUploads as exc:
            return _too_many(_entry_page(request, user, target, message=str(exc), status=429), exc)
        except FormErrors as exc:
            return _entry_page(request, user, target, message=f"Tệp {file.filename}: có ô không đọc được.",
                               problems=exc.problems, status=422)
        except (TooLarge, ValueError, ConflictError, RegimeError) as exc:
            return _entry_page(request, user, target, message=str(exc), status=422)
        return redirect(request, REPORT.format(**vars(target)) + "?da=xlsx")

    @router.post(REPORT + "/doc-bao-cao")
    async def report_upload(request: Request, user: PageUser, unit: str, template: str, period: str,
                            file: UploadFile = File(...)) -> Response:
        target = Target(unit, template, period)
        data = _editor(_guard(lambda: desk.entry(user, target, url=db_url(request)), page=True))
        try:
            async with _uploaded(request, user, file) as path:
                found = _guard(lambda: desk.read_report(user, target, path, url=db_url(request)))
        except TooManyUploads as exc:
            return _too_many(_entry_page(request, user, target, message=str(exc), status=429), exc)
        except (TooLarge, ValueError, RegimeError) as exc:
            return _entry_page(request, user, target, message=str(exc), status=422)
        return render(request, "reporting/proposals.html", {
            "title": "Số liệu đọc từ báo cáo", "d": data, "found": found, "file_name": file.filename,
            "proposed": {p.code: p for p in found.items}, "base": REPORT.format(**vars(target))})

    @router.post(REPORT + "/xac-nhan")
    async def confirm(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        target = Target(unit, template, period)
        form = await request.form()
        values, narrative = _figures(form)
        try:
            _guard(lambda: desk.confirm_proposals(user, target, values, narrative, based_on=_based_on(form),
                                                  url=db_url(request)))
        except ValidationFailed as exc:
            return _entry_page(request, user, target, values=values, narrative=narrative,
                               errors={i.indicator: i.message for i in exc.issues},
                               message="Có số liệu không hợp lệ; chưa lưu.", status=422)
        except (ConflictError, RegimeError) as exc:
            return _entry_page(request, user, target, values=values, narrative=narrative, message=str(exc),
                               status=409)
        return redirect(request, REPORT.format(**vars(target)) + "?da=xacnhan")

    @router.get(REPORT + "/lich-su")
    def history_page(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        target = Target(unit, template, period)
        data = _guard(lambda: desk.history(user, target, url=db_url(request)), page=True)
        return render(request, "reporting/history.html", {"title": "Lịch sử báo cáo", "d": data, "target": target,
                                                           "can_edit": desk.can_edit(user, unit)})


def _overview_routes(router: APIRouter) -> None:
    @router.get("/tong-hop")
    def chooser(request: Request, user: PageUser, don_vi: str = "", mau: str = "", ky: str = "") -> Response:
        if don_vi and mau and ky:
            return redirect(request, OVERVIEW.format(unit=don_vi, template=mau, period=ky), 302)
        options = desk.choices(user, url=db_url(request))
        return render(request, "reporting/choose.html", {"title": "Tổng hợp", "o": options})

    @router.get(OVERVIEW)
    def overview_page(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        target = Target(unit, template, period)
        data = _guard(lambda: desk.overview(user, target, url=db_url(request)), page=True)
        return render(request, "reporting/overview.html", {
            "title": f"Tổng hợp — {data['template']['name']}", "d": data, "target": target,
            "notice": _review_notice(request, data), "base": OVERVIEW.format(**vars(target)), "error": request.query_params.get("loi", "")[:300]})

    @router.post(OVERVIEW + "/duyet")
    async def review(request: Request, user: PageUser, unit: str, template: str, period: str) -> Response:
        form = await request.form()
        child, action, comment = (str(form.get(k) or "") for k in ("child", "action", "comment"))
        target = Target(child, template, period)
        base = OVERVIEW.format(unit=unit, template=template, period=period)
        _guard(lambda: desk.check_visible(user, unit, url=db_url(request)))
        try:
            _guard(lambda: desk.review(user, target, action, comment, based_on=_based_on(form), url=db_url(request)))
        except (ConflictError, RegimeError) as exc:
            data = _guard(lambda: desk.overview(user, Target(unit, template, period), url=db_url(request)),
                          page=True)
            return render(request, "reporting/overview.html", {
                "title": f"Tổng hợp — {data['template']['name']}", "d": data, "base": base, "error": str(exc),
                "target": Target(unit, template, period), "open_return": child}, 422)
        done = "duyet" if action == "approve" else "tralai"
        return redirect(request, f"{base}?da={done}&dv={quote(child, safe='')}")

    @router.get(OVERVIEW + "/tai/{kind}")
    def download(request: Request, user: PageUser, unit: str, template: str, period: str, kind: str) -> Response:
        path = _guard(lambda: desk.consolidated_file(user, Target(unit, template, period), kind,
                                                     url=db_url(request)), page=True)
        if kind == "png":
            return FileResponse(path, media_type=MEDIA[kind], background=_cleanup(path))
        return FileResponse(path, media_type=MEDIA[kind], filename=path.name, background=_cleanup(path))


def add_routes(router: APIRouter) -> None:
    """Register the reporting pages on ROUTER."""
    _report_routes(router)
    _overview_routes(router)
