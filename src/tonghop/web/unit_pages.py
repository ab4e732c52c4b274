"""Unit pages: the user's unit subtree; a unit outside it is answered 404, as the API does."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from tonghop.services import catalog, units
from tonghop.services.accounts import User
from tonghop.web.auth import PageUser, db_url
from tonghop.web.rendering import render

KIND_NAMES = {"province": "Tỉnh, thành phố", "district": "Huyện, quận", "commune": "Xã", "ward": "Phường, thị trấn",
              "department": "Sở, ban, ngành", "committee": "Ban chỉ đạo", "office": "Cơ quan"}
EVENT_NAMES = {"merge": "Hợp nhất", "split": "Chia tách", "rename": "Đổi tên", "move": "Chuyển nơi quản lý"}


def unit_in_scope(request: Request, user: User, code: str) -> dict:
    """Unit CODE if it lies in USER's subtree; 404 otherwise (outside looks the same as missing)."""
    found = catalog.scoped_unit(user, code, url=db_url(request))
    if found is None:
        raise HTTPException(404)
    return found


def _depths(rows: list[dict]) -> list[dict]:
    depth: dict[str, int] = {}
    for row in rows:
        depth[row["code"]] = depth.get(row["parent"], -1) + 1 if row["parent"] in depth else 0
        row["depth"] = depth[row["code"]]
    return rows


def add_routes(router: APIRouter) -> None:
    """Register the unit pages on ROUTER."""

    @router.get("/don-vi")
    def units_page(request: Request, user: PageUser) -> Response:
        rows = _depths(catalog.scoped_units(user, url=db_url(request)))
        return render(request, "units.html", {"title": "Đơn vị", "units": rows, "kinds": KIND_NAMES})

    @router.get("/don-vi/{code}")
    def unit_page(request: Request, code: str, user: PageUser) -> Response:
        unit = unit_in_scope(request, user, code)
        rows = catalog.scoped_units(user, url=db_url(request))
        children = [r for r in rows if r["parent"] == code]
        parent = next((r for r in rows if r["code"] == unit["parent"]), None)
        events = sorted(units.unit_lineage(code, url=db_url(request))["events"], key=lambda e: e["date"],
                        reverse=True)
        return render(request, "unit.html", {"title": unit["name"], "unit": unit, "children": children,
                                             "parent": parent, "kinds": KIND_NAMES, "events": events,
                                             "event_names": EVENT_NAMES, "in_scope": {r["code"] for r in rows}})
