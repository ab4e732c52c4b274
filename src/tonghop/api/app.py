"""The REST API, mounted at /api/v1: documents, search, units and templates in the caller's scope."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from tonghop.api.deps import CurrentUser, Id, PagingDep, SettingsDep, Year, refuse_nul
from tonghop.api.schemas import (
    DocumentDetail,
    DocumentPublic,
    ErrorBody,
    Page,
    SearchHitPublic,
    TemplatePublic,
    UnitPublic,
    UserPublic,
)
from tonghop.config import Settings
from tonghop.services import archive, catalog

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         409: "conflict", 422: "invalid", 429: "rate_limited", 500: "internal_error"}
NOT_FOUND = "Không tìm thấy / Not found"
log = logging.getLogger("tonghop")
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
NO_NUL = "^[^\\x00]*$"  # PostgreSQL cannot hold NUL in text: refuse_nul answers 422, the document says so
ERRORS = {401: {"model": ErrorBody}, 404: {"model": ErrorBody}, 422: {"model": ErrorBody}}


def error_response(status: int, message: str, headers: dict | None = None, **extra) -> JSONResponse:
    """The JSON error shape: {"error": {"code", "message", ...}}."""
    body = {"error": {"code": CODES.get(status, "error"), "message": message, **extra}}
    return JSONResponse(body, status_code=status, headers=headers)


def _forbid_nul(node: Any, components: dict[str, Any], seen: set[str]) -> None:
    """Give every string schema under NODE (following $refs once) the NO_NUL pattern, and every map its keys."""
    if isinstance(node, list):
        for item in node:
            _forbid_nul(item, components, seen)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref", "")
    if ref.startswith("#/components/schemas/") and ref not in seen:
        seen.add(ref)
        _forbid_nul(components.get(ref.rsplit("/", 1)[1]), components, seen)
    if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
        node["pattern"] = NO_NUL
    if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
        node.setdefault("propertyNames", {"pattern": NO_NUL})
    for key, value in node.items():
        if key != "propertyNames":
            _forbid_nul(value, components, seen)


def document_nul_refusal(api: FastAPI) -> None:
    """Make API's OpenAPI document say what refuse_nul enforces: no input string (parameter or request body field)
    may hold a NUL character. Responses are left alone."""
    build = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema:
            return api.openapi_schema
        document = build()
        components, seen = document.get("components", {}).get("schemas", {}), set()
        for operations in document["paths"].values():
            for operation in operations.values():
                _forbid_nul(operation.get("parameters", []), components, seen)
                _forbid_nul(operation.get("requestBody", {}), components, seen)
        return document

    api.openapi = openapi  # type: ignore[method-assign]


def _url(settings: Settings) -> str:
    return settings.resolved_database_url()


def allowed_methods(request: Request) -> str:
    """The Allow header for REQUEST's path: the methods of every route of the path, not only the first one's."""
    routes = request.app.router.routes
    methods = [m for m in METHODS if any(r.matches({**request.scope, "method": m})[0] == Match.FULL for r in routes)]
    return ", ".join(methods)


def create_api_router() -> APIRouter:
    """Every endpoint of /api/v1."""
    router = APIRouter(responses=ERRORS)

    @router.get("/me", response_model=UserPublic, tags=["accounts"])
    def me(user: CurrentUser):
        """The caller's account."""
        return user.to_dict()

    @router.get("/documents", response_model=Page[DocumentPublic], tags=["archive"])
    def documents(user: CurrentUser, settings: SettingsDep, paging: PagingDep,
                  type: Annotated[str | None, Query(description="Mã loại: KH, BC, QĐ…")] = None,
                  year: Year = None):
        """Archived documents, newest first (the archive is office-wide)."""
        items, total = catalog.list_documents(type=type, year=year, limit=paging.limit, offset=paging.offset,
                                              url=_url(settings))
        return {"items": items, "total": total, "limit": paging.limit, "offset": paging.offset}

    @router.get("/documents/{doc_id}", response_model=DocumentDetail, tags=["archive"])
    def document(doc_id: Id, user: CurrentUser, settings: SettingsDep):
        """One document with its facts, figures and citations both ways."""
        try:
            return archive.show_document(doc_id, url=_url(settings))
        except archive.DocumentNotFound:
            raise HTTPException(404, NOT_FOUND) from None

    @router.get("/search", response_model=Page[SearchHitPublic], tags=["archive"])
    def search(user: CurrentUser, settings: SettingsDep, paging: PagingDep,
               q: Annotated[str, Query(min_length=1, max_length=300, description="Từ khóa hoặc số ký hiệu")],
               type: str | None = None, year: Year = None, issuer: str | None = None):
        """Search the archive (diacritics ignored; numbers such as 245/KH-UBND matched)."""
        results, total = catalog.search_page(q, type=type, year=year, issuer=issuer, limit=paging.limit,
                                             offset=paging.offset, url=_url(settings))
        return {"items": [h.__dict__ for h in results.hits], "total": total, "limit": paging.limit,
                "offset": paging.offset}

    @router.get("/units", response_model=Page[UnitPublic], tags=["units"])
    def units(user: CurrentUser, settings: SettingsDep, paging: PagingDep):
        """The units in the caller's subtree, in tree order."""
        rows = catalog.scoped_units(user, url=_url(settings))
        return {"items": rows[paging.offset: paging.offset + paging.limit], "total": len(rows),
                "limit": paging.limit, "offset": paging.offset}

    @router.get("/units/{code}", response_model=UnitPublic, tags=["units"])
    def unit(code: str, user: CurrentUser, settings: SettingsDep):
        """One unit of the caller's subtree (404 outside it)."""
        found = catalog.scoped_unit(user, code, url=_url(settings))
        if found is None:
            raise HTTPException(404, NOT_FOUND)
        return found

    @router.get("/templates", response_model=Page[TemplatePublic], tags=["templates"])
    def templates(user: CurrentUser, settings: SettingsDep, paging: PagingDep):
        """Templates due from at least one unit in the caller's subtree."""
        rows = catalog.scoped_templates(user, url=_url(settings))
        return {"items": rows[paging.offset: paging.offset + paging.limit], "total": len(rows),
                "limit": paging.limit, "offset": paging.offset}

    @router.get("/templates/{code}", response_model=TemplatePublic, tags=["templates"])
    def template(code: str, user: CurrentUser, settings: SettingsDep):
        """One template due in the caller's subtree (404 otherwise)."""
        found = next((t for t in catalog.scoped_templates(user, url=_url(settings)) if t["code"] == code), None)
        if found is None:
            raise HTTPException(404, NOT_FOUND)
        return found

    return router


def create_api(settings: Settings) -> FastAPI:
    """The API application (mounted at /api/v1; its OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""
    api = FastAPI(title="tonghop API", version="1", description="REST API của Tổng hợp: kho văn bản, đơn vị, mẫu "
                  "báo cáo. Xác thực bằng `Authorization: Bearer <mã truy cập>`.", docs_url=None,
                  redoc_url=None, openapi_url="/openapi.json", dependencies=[Depends(refuse_nul)])
    api.state.settings = settings
    # Swagger UI is vendored (swagger-ui-dist 5, Apache-2.0): the docs page works with no internet access.
    api.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="api-static")

    @api.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(openapi_url=f"{root}/openapi.json", title="tonghop API",
                                   swagger_js_url=f"{root}/static/swagger-ui-bundle.js",
                                   swagger_css_url=f"{root}/static/swagger-ui.css", swagger_favicon_url="")

    api.include_router(create_api_router())
    from tonghop.api.reporting import create_reporting_router  # imports error_response from here

    api.include_router(create_reporting_router())
    document_nul_refusal(api)

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) and exc.detail else NOT_FOUND
        headers = getattr(exc, "headers", None)
        if exc.status_code == 404:
            message = NOT_FOUND
        elif exc.status_code == 400:  # FastAPI's only 400: a body that is not UTF-8 JSON (English text)
            message = f"Không đọc được thân yêu cầu: cần JSON UTF-8 / {message}"
        elif exc.status_code == 405:  # Starlette names only the first route's methods: GET for a GET+POST path
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        return error_response(exc.status_code, message, headers=headers)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [{"field": ".".join(str(p) for p in e["loc"][1:]), "message": e["msg"]} for e in exc.errors()]
        return error_response(422, "Tham số không hợp lệ / Invalid parameters", details=details)

    @api.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Lỗi máy chủ ở %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "Lỗi máy chủ; lỗi đã được ghi lại / Internal server error (logged)")

    return api


def mount_api(app: FastAPI, settings: Settings) -> None:
    """Mount the API at /api/v1 on APP, for every path below it."""
    app.mount("/api/v1", create_api(settings))
    mount = app.routes[-1]
    # Starlette's mount pattern '.*' stops at a newline: /api/v1/units/%0A fell through to the web pages' HTML 404.
    mount.path_regex = re.compile(mount.path_regex.pattern, re.DOTALL)
