"""Archive pages: search with highlighted snippets and filters, one document with its citations, upload."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, HTTPException, Request, UploadFile
from markupsafe import Markup, escape
from starlette.responses import Response

from tonghop.services import accounts, archive, catalog
from tonghop.web.auth import PageUser, db_url, require
from tonghop.web.rendering import TYPE_NAMES, fragment, render, vary_on_htmx
from tonghop.web.uploads import TooLarge, TooManyUploads, check_rate, save_uploads

PAGE_SIZE = 20


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _upload_answer(request: Request, context: dict[str, Any], status: int) -> Response:
    """The upload's result: the fragment to an htmx request (base.html's htmx-config swaps 413/422/429 answers too,
    so a refusal is shown where the result would be), else the whole page."""
    name = "_upload_result.html" if request.headers.get("hx-request") else "upload.html"
    return render(request, name, context, status)


def _pages(total: int, page: int) -> dict[str, Any]:
    last = max(1, -(-total // PAGE_SIZE))
    return {"page": page, "last": last, "total": total}


def _param(request: Request, name: str, limit: int) -> str:
    """Query parameter NAME, trimmed to LIMIT characters, without NULs (no database stores them in text)."""
    return (request.query_params.get(name) or "").replace("\x00", "").strip()[:limit]


def _search_context(request: Request) -> dict[str, Any]:
    params = request.query_params
    query = _param(request, "q", 300)
    filters = {"type": _param(request, "loai", 20) or None, "year": _int(params.get("nam")),
               "issuer": _param(request, "co_quan", 200) or None}
    page = max(1, _int(params.get("trang")) or 1)
    url = db_url(request)
    context: dict[str, Any] = {"q": query, "filters": filters, "types": TYPE_NAMES,
                               "years": catalog.document_years(url=url)}
    offset = (page - 1) * PAGE_SIZE
    if query:
        results, total = catalog.search_page(query, **filters, limit=PAGE_SIZE, offset=offset, url=url)
        context["hits"] = [{"hit": h, "snippet": Markup(h.marked("<mark>", "</mark>", escape=escape))}
                           for h in results.hits]
    else:
        rows, total = catalog.list_documents(type=filters["type"], year=filters["year"], limit=PAGE_SIZE,
                                             offset=offset, url=url)
        context["recent"] = rows
    context.update(_pages(total, page))
    return context


def add_routes(router: APIRouter) -> None:
    """Register the archive pages on ROUTER."""

    @router.get("/kho-van-ban")
    def search_page(request: Request, user: PageUser) -> Response:
        context = {"title": "Kho văn bản", **_search_context(request)}
        if request.headers.get("hx-request") and not request.headers.get("hx-boosted"):
            return fragment(render(request, "_results.html", context))
        return vary_on_htmx(render(request, "search.html", context))

    @router.get("/van-ban/{doc_id}")
    def document_page(request: Request, doc_id: int, user: PageUser) -> Response:
        url = db_url(request)
        try:
            doc = archive.show_document(doc_id, url=url)
            tree = archive.citation_tree(doc_id, depth=3, url=url)
        except archive.DocumentNotFound:
            raise HTTPException(404) from None
        return render(request, "document.html", {"title": doc["title"], "doc": doc, "facts": doc["facts"],
                                                 "tree": tree})

    @router.get("/nap-van-ban")
    def upload_form(request: Request, user: PageUser) -> Response:
        require(user, "archive.upload")
        return render(request, "upload.html", {"title": "Nạp văn bản"})

    @router.post("/nap-van-ban")
    async def upload(request: Request, user: PageUser, files: list[UploadFile] = File(default=[])) -> Response:
        require(user, "archive.upload")
        context: dict[str, Any] = {"title": "Nạp văn bản"}
        settings = request.app.state.settings
        try:
            check_rate(request, user.username, files)
            paths = await save_uploads(files, settings)
        except TooManyUploads as exc:
            response = _upload_answer(request, {**context, "error": str(exc)}, 429)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except TooLarge as exc:
            return _upload_answer(request, {**context, "error": str(exc)}, 413)
        if not paths:
            return _upload_answer(request, {**context, "error": "Chưa chọn tệp nào để nạp"}, 422)
        url = db_url(request)
        report = archive.ingest_paths([str(p) for p in paths], url=url)
        accounts.audit(user.username, "archive.ingest", f"upload:{paths[0].parent.name}", None,
                       {"files": [p.name for p in paths], "added": report.added, "skipped": report.skipped,
                        "failed": report.failed, "document_ids": report.document_ids}, url=url)
        names = {p.name for p in paths}
        rows = catalog.document_titles(report.document_ids, url=url)
        context.update(report=report, documents=rows, names=sorted(names))
        return _upload_answer(request, context, 200 if report.added or report.skipped else 422)
