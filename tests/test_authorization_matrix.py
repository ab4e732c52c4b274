"""Authorization matrix: every API endpoint and web page × every role × own unit, child, sibling and parent.

The rule under test (tonghop.services.access): a unit outside the caller's subtree answers 404 exactly like a missing
one, and nothing about it leaks (the body never holds its name); inside the subtree a role that lacks the action
answers 403. Endpoints and pages are discovered from the application's routes, so a new API endpoint without an
entry in API_CASES fails `test_every_api_route_has_a_matrix_entry`; a new web page defaults to "requires login".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count

import pytest
from argon2 import PasswordHasher

import pg
from accounts_fixtures import PASSWORD, log_in, make_client
from tonghop.services import accounts, archive, submissions, templates, units

TPL = "bc-tu-tuong-thang"
ONLY_C2 = "bc-thuc-hien-ke-hoach-nam"  # assigned to C2 alone: visible from P and C2, not from C1 or C11
PERIOD = "2025M11"
UNITS_YAML = """
units:
  - {code: P, name: Tỉnh Ma Trận, kind: province}
  - {code: D1, name: Sở Kiểm Thử, kind: department, parent: P}
  - {code: C1, name: Huyện Phân Quyền, kind: district, parent: P}
  - {code: C2, name: Xã Bên Cạnh, kind: commune, parent: P}
  - {code: C11, name: Xã Con Cháu, kind: commune, parent: C1}
"""
NAMES = {"P": "Tỉnh Ma Trận", "D1": "Sở Kiểm Thử", "C1": "Huyện Phân Quyền", "C2": "Xã Bên Cạnh",
         "C11": "Xã Con Cháu"}
ROLES = ("reporter", "approver", "viewer", "admin")
HOMES = ("P", "C1", "C11", "C2")
# the unit each relation names, seen from each home unit (None: no such unit)
RELATIVES = {"P": {"own": "P", "child": "C1", "sibling": None, "parent": None},
             "C1": {"own": "C1", "child": "C11", "sibling": "C2", "parent": "P"},
             "C11": {"own": "C11", "child": None, "sibling": None, "parent": "C1"},
             "C2": {"own": "C2", "child": None, "sibling": "C1", "parent": "P"}}
NARR = {"III": "Tiếp tục thực hiện."}
FILED = {"bai_internet_mxh": 3, "binh_luan": 1}


def expected(kind: str, role: str, relation: str) -> int:
    """The documented rule, written out independently of the code under test."""
    if relation in ("sibling", "parent"):
        return 404
    if kind == "read":
        return 200
    if kind == "submit":
        return 201 if role == "admin" or (role == "reporter" and relation == "own") else 403
    if kind == "review":
        return 201 if role == "admin" or (role == "approver" and relation == "child") else 403
    raise AssertionError(kind)


# --- the API matrix ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One request by USER (role at home) aimed at a unit by RELATION, and the status it must get."""

    method: str
    route: str
    role: str
    home: str
    relation: str
    unit: str | None
    status: int
    n: int  # a distinct period per write case, so the cases are independent of their order

    @property
    def period(self) -> str:
        return f"{2000 + self.n // 12}M{self.n % 12 + 1}" if self.method == "POST" else PERIOD

    def id(self) -> str:
        return f"{self.method} {self.route} {self.role}@{self.home}->{self.relation}"


UNIT_ROUTES = {  # (method, path) -> the action it needs on {unit}
    ("GET", "/units/{code}"): "read",
    ("GET", "/submissions"): "read",  # ?unit=
    ("GET", "/submissions/{unit}/{template}/{period}"): "read",
    ("POST", "/submissions/{unit}/{template}/{period}"): "submit",
    ("POST", "/submissions/{unit}/{template}/{period}/review"): "review",
    ("GET", "/consolidations/{unit}/{template}/{period}"): "read",
    ("GET", "/consolidations/{unit}/{template}/{period}/docx"): "read",
    ("GET", "/consolidations/{unit}/{template}/{period}/xlsx"): "read",
}
SCOPED_TEMPLATE_ROUTES = {("GET", "/templates/{code}"), ("GET", "/periods")}  # 200 where C2 is in scope, else 404
OPEN_ROUTES = {("GET", "/me"), ("GET", "/documents"), ("GET", "/documents/{doc_id}"), ("GET", "/search"),
               ("GET", "/units"), ("GET", "/templates")}  # 200 for every role (archive office-wide, lists scoped)
PUBLIC_ROUTES = {("GET", "/openapi.json"), ("GET", "/docs")}  # no token needed


def _cases() -> list[Case]:
    n = count()
    out = []
    for (method, route), kind in UNIT_ROUTES.items():
        for role in ROLES:
            for home in HOMES:
                for relation, unit in RELATIVES[home].items():
                    if unit is not None:
                        out.append(Case(method, route, role, home, relation, unit, expected(kind, role, relation),
                                        next(n)))
    for method, route in sorted(SCOPED_TEMPLATE_ROUTES | OPEN_ROUTES):
        for role in ROLES:
            for home in HOMES:
                visible = home in ("P", "C2") or (method, route) in OPEN_ROUTES
                out.append(Case(method, route, role, home, "-", None, 200 if visible else 404, next(n)))
    return out


CASES = _cases()


def _walk(routes, prefix: str = ""):
    """(method, path) of every route, descending into mounted apps and included routers."""
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI ≥ 0.16x keeps included routers as one entry
            yield from _walk(route.original_router.routes, prefix + route.include_context.prefix)
        elif getattr(route, "methods", None):
            for method in route.methods - {"HEAD"}:
                yield method, prefix + route.path
        elif hasattr(route, "routes") and getattr(route, "path", None) is not None:
            yield from _walk(route.routes, prefix + route.path)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One database and app for the module: the tree, one user per role and unit, a document, filed reports."""
    folder = tmp_path_factory.mktemp("matrix")
    url = pg.seed_url(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", url)
        # sixteen accounts: cheap argon2 parameters keep the module fast (verification reads them from the hash)
        mp.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        (folder / "units.yaml").write_text(UNITS_YAML, encoding="utf-8")
        units.import_units_file(folder / "units.yaml", url=url)
        templates.assign(TPL, kinds=["commune", "district", "department"], url=url)
        templates.assign(ONLY_C2, units=["C2"], url=url)
        tokens = {}
        for role in ROLES:
            for home in HOMES:
                name = f"{role}-{home}".lower()
                accounts.create_user(name, PASSWORD, unit=home, role=role, url=url)
                tokens[role, home] = accounts.issue_token(name, url=url)
        (folder / "doc.txt").write_text("THÔNG BÁO\nVề lịch họp giao ban tháng 11.\n", encoding="utf-8")
        doc_id = archive.ingest_paths([str(folder / "doc.txt")], url=url).document_ids[0]
        when = datetime(2025, 11, 10, tzinfo=UTC)
        for unit in ("C11", "C2", "D1"):
            submissions.save_submission(unit, TPL, PERIOD, FILED, narrative=NARR, url=url, now=when)
        for case in CASES:  # something filed to review, in the case's own period
            if case.route.endswith("/review"):
                submissions.save_submission(case.unit, TPL, case.period, FILED, narrative=NARR, url=url, now=when)
        with make_client(url) as client:
            yield {"client": client, "tokens": tokens, "doc_id": doc_id, "url": url}


def _request(world, case: Case):
    client = world["client"]
    headers = {"Authorization": f"Bearer {world['tokens'][case.role, case.home]}"}
    tpl = ONLY_C2 if (case.method, case.route) in SCOPED_TEMPLATE_ROUTES else TPL
    path = "/api/v1" + case.route.format(unit=case.unit, code=case.unit if "units" in case.route else tpl,
                                         template=TPL, period=case.period, doc_id=world["doc_id"])
    params = {"template": tpl, "period": PERIOD, "q": "lịch họp", "year": 2025}
    if case.route == "/submissions":
        params["unit"] = case.unit
    if case.method == "POST":
        body = ({"action": "approve"} if case.route.endswith("/review") else
                {"values": FILED, "narrative": NARR, "action": "submit", "based_on_version": 0})
        return client.post(path, json=body, headers=headers)
    return client.get(path, params=params, headers=headers)


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_api_matrix(world, case):
    response = _request(world, case)
    assert response.status_code == case.status, response.text[:300]
    if response.status_code in (403, 404):
        body = response.json()["error"]
        assert body["code"] == {403: "forbidden", 404: "not_found"}[response.status_code] and body["message"]
    if response.status_code == 404:
        assert not any(name in response.text for name in NAMES.values())
        assert "Kế hoạch" not in response.text  # nor the hidden template's name


def test_every_api_route_has_a_matrix_entry(world):
    api = [(m, p.removeprefix("/api/v1")) for m, p in _walk(world["client"].app.routes) if p.startswith("/api/v1")]
    known = set(UNIT_ROUTES) | SCOPED_TEMPLATE_ROUTES | OPEN_ROUTES | PUBLIC_ROUTES
    assert sorted(set(api) - known) == [], "add these endpoints to the authorization matrix"
    assert sorted(known - set(api)) == [], "the matrix names endpoints that no longer exist"


def test_route_discovery_sees_a_new_endpoint(world):
    from tonghop.asgi import create_app

    app = create_app(world["client"].app.state.settings)
    api = next(r for r in app.routes if getattr(r, "path", "") == "/api/v1").app
    api.get("/reports/{unit}/secret")(lambda unit: {})
    assert ("GET", "/api/v1/reports/{unit}/secret") in set(_walk(app.routes))


@pytest.mark.parametrize("route", sorted(set(UNIT_ROUTES) | SCOPED_TEMPLATE_ROUTES | OPEN_ROUTES), ids=" ".join)
def test_api_without_token_is_401(world, route):
    method, path = route
    filled = "/api/v1" + re.sub(r"\{[^}]+\}", "x", path)
    response = world["client"].request(method, filled, json={} if method == "POST" else None)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("route", sorted(PUBLIC_ROUTES), ids=" ".join)
def test_api_public_routes_need_no_token(world, route):
    assert world["client"].get("/api/v1" + route[1]).status_code == 200


@pytest.mark.parametrize("path", ["/units/{u}", "/submissions/{u}/" + TPL + "/" + PERIOD,
                                  "/consolidations/{u}/" + TPL + "/" + PERIOD + "/docx"])
def test_outside_the_subtree_looks_exactly_like_missing(world, path):
    headers = {"Authorization": f"Bearer {world['tokens']['admin', 'C1']}"}
    hidden = world["client"].get("/api/v1" + path.format(u="C2"), headers=headers)
    missing = world["client"].get("/api/v1" + path.format(u="KHONG-CO"), headers=headers)
    assert (hidden.status_code, hidden.content) == (missing.status_code, missing.content) == (404, missing.content)


@pytest.mark.parametrize("home", HOMES)
def test_unit_list_is_exactly_the_subtree(world, home):
    subtree = {"P": {"P", "D1", "C1", "C2", "C11"}, "C1": {"C1", "C11"}, "C11": {"C11"}, "C2": {"C2"}}[home]
    headers = {"Authorization": f"Bearer {world['tokens']['viewer', home]}"}
    got = world["client"].get("/api/v1/units", headers=headers).json()
    assert {u["code"] for u in got["items"]} == subtree and got["total"] == len(subtree)


@pytest.mark.parametrize("home", HOMES)
def test_submission_list_stays_in_the_subtree(world, home):
    headers = {"Authorization": f"Bearer {world['tokens']['viewer', home]}"}
    got = world["client"].get("/api/v1/submissions", params={"template": TPL, "period": PERIOD}, headers=headers)
    filed = {"P": {"C11", "C2", "D1"}, "C1": {"C11"}, "C11": {"C11"}, "C2": {"C2"}}[home]
    assert {r["unit"] for r in got.json()["items"]} == filed


# --- the web pages -------------------------------------------------------------------------------------------------

PUBLIC_PAGES = {"/dang-nhap"}
REDIRECT_PAGES = {"/"}
ADMIN_PREFIX = "/quan-tri"  # admin pages answer 404 to everyone else
FILLERS = {"code": TPL, "template": TPL, "period": PERIOD, "kind": "xlsx", "doc_id": "1", "username": "viewer-c1"}


def _pages(app) -> list[str]:
    return sorted({p for m, p in _walk(app.routes) if m == "GET" and not p.startswith(("/api/", "/static"))})


def _fill(path: str, unit: str = "C1") -> str:
    """PATH with its parameters filled: the unit parameter with UNIT, known ones from FILLERS, unknown ones with
    UNIT too (a new page's unknown parameter still gets a value, so its login check runs)."""
    param = _unit_param(path)
    return re.sub(r"\{([^}:]+)(?::[^}]+)?\}",
                  lambda m: unit if m.group(1) == param else FILLERS.get(m.group(1), unit), path)


def _unit_param(path: str) -> str | None:
    """The path parameter naming a unit: {unit} anywhere, {code} under /don-vi."""
    if "{unit}" in path:
        return "unit"
    return "code" if path.startswith("/don-vi/{code}") else None


@pytest.fixture(scope="module")
def pages(world):
    return _pages(world["client"].app)


@pytest.fixture(scope="module")
def browsers(world):
    """A logged-in web client per role, all at C1."""
    out = {}
    for role in ROLES:
        client = make_client(world["url"]).__enter__()
        assert log_in(client, f"{role}-c1").status_code == 303
        out[role] = client
    yield out
    for client in out.values():
        client.__exit__(None, None, None)


def test_web_pages_are_discovered(pages):
    assert {"/dang-nhap", "/kho-van-ban", "/don-vi/{code}"} <= set(pages)


def test_web_pages_need_login(world, pages):
    client = world["client"]
    client.cookies.clear()
    wrong = []
    for page in pages:
        response = client.get(_fill(page))
        if page in PUBLIC_PAGES:
            ok = response.status_code == 200
        elif page in REDIRECT_PAGES:
            ok = response.status_code in (302, 303, 307)
        else:
            ok = response.status_code == 303 and response.headers["location"].startswith("/dang-nhap")
        if not ok:
            wrong.append((page, response.status_code))
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES)
def test_web_unit_pages_hide_other_units(browsers, pages, role):
    client, wrong = browsers[role], []
    for page in pages:
        param = _unit_param(page)
        if param is None or page.startswith(ADMIN_PREFIX):
            continue
        for relation, unit in RELATIVES["C1"].items():
            response = client.get(_fill(page, unit))
            hidden = relation in ("sibling", "parent")
            if hidden and (response.status_code != 404 or NAMES[unit] in response.text):
                wrong.append((page, relation, response.status_code))
            if not hidden and response.status_code >= 500:
                wrong.append((page, relation, response.status_code))
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES)
def test_web_admin_pages_only_for_admins(browsers, pages, role):
    admin_pages = [p for p in pages if p.startswith(ADMIN_PREFIX)]
    statuses = {p: browsers[role].get(_fill(p, "C1")).status_code for p in admin_pages}
    if role == "admin":
        assert all(s in (200, 302, 303) for s in statuses.values()), statuses
    else:
        assert set(statuses.values()) <= {404}, statuses
