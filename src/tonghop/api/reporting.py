"""Reporting endpoints of /api/v1: periods, submissions (save, file, review, versions) and consolidations.

Access follows `tonghop.services.access`: a unit outside the caller's subtree answers 404 exactly as a missing one;
inside it a role that lacks the action answers 403. Every write is recorded in the audit log.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from tonghop.api.app import NOT_FOUND, error_response
from tonghop.api.deps import CurrentUser, PagingDep, SettingsDep
from tonghop.api.reporting_schemas import (
    ConsolidationPublic,
    PeriodPublic,
    ReviewCreate,
    SavedPublic,
    SubmissionCreate,
    SubmissionDetail,
    SubmissionPublic,
)
from tonghop.api.schemas import ErrorBody, Page
from tonghop.regime.errors import RegimeError, TemplateError
from tonghop.regime.submissions import ACTION_NAMES, STATE_NAMES, allowed_actions
from tonghop.services import access, accounts, consolidation, submissions
from tonghop.services.accounts import User

ACTIONS = {"save": "edit", "submit": "submit"}
ERRORS: dict[int | str, dict[str, Any]] = {s: {"model": ErrorBody} for s in (401, 403, 404, 409, 422)}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorBody, "description": "Thân yêu cầu không đọc "
                                                      "được (không phải JSON UTF-8) / Unreadable body"}, **ERRORS}
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
Code = Annotated[str, Query(min_length=1, max_length=100)]


def _url(settings) -> str:
    return settings.resolved_database_url()


def _check(user: User, action: str, unit: str, url: str) -> dict[str, Any]:
    """Unit UNIT when USER may do ACTION to it; 404 outside the subtree, 403 for a role lacking ACTION."""
    try:
        return access.authorize(user, action, unit, url=url)
    except access.NotVisible:
        raise HTTPException(404, NOT_FOUND) from None
    except access.NotAllowed as exc:
        raise HTTPException(403, f"{exc} / Your role may not do this for this unit") from None


def _regime_error(exc: RegimeError) -> JSONResponse:
    """A rule of the reporting regime refused the request: unknown template 404, anything else 422."""
    if isinstance(exc, TemplateError) and "Không có" in str(exc):
        return error_response(404, NOT_FOUND)
    return error_response(422, f"{exc} / Invalid request")


def _saved(user: User, what: str, target: str, before: int, saved: submissions.Saved, url: str) -> dict[str, Any]:
    accounts.audit(user.username, what, target, {"version": before}, saved.to_dict(), url=url)
    return saved.to_dict()


def _conflict(exc: submissions.ConflictError, unit: str, template: str, period: str, url: str) -> JSONResponse:
    """409 carrying the stored latest version, so the client can show what the other person changed."""
    versions = submissions.history(unit, template, period, url=url)
    return error_response(409, f"{exc} / The report changed since you loaded it",
                          current=versions[-1] if versions else None)


def _invalid(exc: submissions.ValidationFailed) -> JSONResponse:
    return error_response(422, "Số liệu chưa hợp lệ / Invalid figures",
                          issues=[{"indicator": i.indicator, "message": i.message} for i in exc.issues])


def add_submission_routes(router: APIRouter) -> None:
    """GET/POST /submissions… and the review."""

    @router.get("/submissions", response_model=Page[SubmissionPublic], tags=["submissions"])
    def submission_list(user: CurrentUser, settings: SettingsDep, paging: PagingDep, template: Code, period: Code,
                        unit: Annotated[str | None, Query(max_length=100)] = None):
        """The latest version per unit of UNIT's subtree (default: the caller's unit)."""
        url = _url(settings)
        root = _check(user, "read", unit or user.unit_code, url)["code"]
        try:
            rows = submissions.list_submissions(template, period, root, url=url)
        except RegimeError as exc:
            return _regime_error(exc)
        return {"items": rows[paging.offset: paging.offset + paging.limit], "total": len(rows),
                "limit": paging.limit, "offset": paging.offset}

    @router.get("/submissions/{unit}/{template}/{period}", response_model=SubmissionDetail, tags=["submissions"])
    def submission(unit: str, template: str, period: str, user: CurrentUser, settings: SettingsDep):
        """A unit's submission with every version (version 0 and no state when nothing is saved yet)."""
        url, period = _url(settings), period.strip().upper()
        _check(user, "read", unit, url)
        try:
            due = submissions.deadline_of(template, period, url=url)
        except RegimeError as exc:
            return _regime_error(exc)
        versions = submissions.history(unit, template, period, url=url)
        last = versions[-1] if versions else None
        return {"unit": unit, "template": template, "period": period, "deadline": due,
                "state": last["state"] if last else None, "version": last["version"] if last else 0,
                "versions": versions}

    @router.post("/submissions/{unit}/{template}/{period}", response_model=SavedPublic, status_code=201,
                 tags=["submissions"], responses=BODY_ERRORS)
    def save(unit: str, template: str, period: str, body: SubmissionCreate, user: CurrentUser,
             settings: SettingsDep):
        """Save a draft ('save') or file ('submit') a new version based on `based_on_version`."""
        url = _url(settings)
        _check(user, "submit", unit, url)
        try:
            saved = submissions.save_submission(unit, template, period, body.values, narrative=body.narrative,
                                                action=ACTIONS[body.action], based_on=body.based_on_version,
                                                author=user.username, comment=body.comment, url=url)
        except submissions.ConflictError as exc:
            return _conflict(exc, unit, template, period, url)
        except submissions.ValidationFailed as exc:
            return _invalid(exc)
        except RegimeError as exc:
            return _regime_error(exc)
        target = f"submission:{unit}/{template}/{saved.period}"
        return _saved(user, f"submission.{body.action}", target, body.based_on_version, saved, url)

    @router.post("/submissions/{unit}/{template}/{period}/review", response_model=SavedPublic, status_code=201,
                 tags=["submissions"], responses=BODY_ERRORS)
    def review(unit: str, template: str, period: str, body: ReviewCreate, user: CurrentUser, settings: SettingsDep):
        """Approve or return (with a comment) a filed submission of a unit directly below the caller's."""
        url = _url(settings)
        _check(user, "review", unit, url)
        period = period.strip().upper()
        versions = submissions.history(unit, template, period, url=url)
        if not versions:
            raise HTTPException(404, NOT_FOUND)
        last = versions[-1]
        if body.action not in allowed_actions(last["state"]):
            return error_response(409, f"Không thể {ACTION_NAMES[body.action]} báo cáo ở trạng thái "
                                  f"'{STATE_NAMES[last['state']]}' / Not possible in this state", current=last)
        based_on = body.based_on_version or last["version"]
        try:
            saved = submissions.review(unit, template, period, body.action, based_on=based_on,
                                       author=user.username, comment=body.comment, url=url)
        except submissions.ConflictError as exc:
            return _conflict(exc, unit, template, period, url)
        except RegimeError as exc:
            return _regime_error(exc)
        return _saved(user, f"submission.{body.action}", f"submission:{unit}/{template}/{saved.period}", based_on,
                      saved, url)


def _download(user: User, unit: str, template: str, period: str, kind: str, url: str) -> Response:
    """The consolidated report of UNIT as a DOCX or XLSX attachment."""
    _check(user, "read", unit, url)
    with tempfile.TemporaryDirectory(prefix="tonghop-api-") as folder:
        path = Path(folder) / f"tong-hop-{unit}-{template}-{period}.{kind}"
        try:
            consolidation.consolidate_and_render(unit, template, period, url=url, **{kind: str(path)})
        except RegimeError as exc:
            return _regime_error(exc)
        content = path.read_bytes()
    return Response(content, media_type=MEDIA[kind],
                    headers={"Content-Disposition": f'attachment; filename="{path.name}"'})


def add_consolidation_routes(router: APIRouter) -> None:
    """GET /consolidations/… as JSON, DOCX and XLSX."""

    @router.get("/consolidations/{unit}/{template}/{period}", response_model=ConsolidationPublic,
                tags=["consolidations"], responses=ERRORS)
    def consolidated(unit: str, template: str, period: str, user: CurrentUser, settings: SettingsDep,
                     approved_only: bool = False):
        """The subtree's totals with comparisons, completeness and figures by direct reporter."""
        url = _url(settings)
        _check(user, "read", unit, url)
        try:
            return consolidation.consolidate_report(unit, template, period, approved_only=approved_only, url=url)
        except RegimeError as exc:
            return _regime_error(exc)

    @router.get("/consolidations/{unit}/{template}/{period}/docx", tags=["consolidations"], responses=ERRORS,
                response_class=Response)
    def consolidated_docx(unit: str, template: str, period: str, user: CurrentUser, settings: SettingsDep):
        """The consolidated report as a Word document in the Decree 30 layout, ready to sign."""
        return _download(user, unit, template, period, "docx", _url(settings))

    @router.get("/consolidations/{unit}/{template}/{period}/xlsx", tags=["consolidations"], responses=ERRORS,
                response_class=Response)
    def consolidated_xlsx(unit: str, template: str, period: str, user: CurrentUser, settings: SettingsDep):
        """The consolidated figures as an Excel workbook."""
        return _download(user, unit, template, period, "xlsx", _url(settings))


def create_reporting_router() -> APIRouter:
    """Periods, submissions, reviews and consolidations."""
    router = APIRouter(responses=ERRORS)

    @router.get("/periods", response_model=Page[PeriodPublic], tags=["templates"])
    def periods(user: CurrentUser, settings: SettingsDep, paging: PagingDep, template: Code,
                year: Annotated[int | None, Query(ge=1900, le=2999)] = None):
        """The periods of a template in a year (default this year) with cut-off windows and deadlines."""
        try:
            rows = access.list_periods(user, template, year or date.today().year, url=_url(settings))
        except access.NotVisible:
            raise HTTPException(404, NOT_FOUND) from None
        return {"items": rows[paging.offset: paging.offset + paging.limit], "total": len(rows),
                "limit": paging.limit, "offset": paging.offset}

    add_submission_routes(router)
    add_consolidation_routes(router)
    return router
