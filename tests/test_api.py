"""REST API: bearer tokens, JSON errors, pagination, unit scope, OpenAPI."""

from __future__ import annotations

import pytest

from accounts_fixtures import make_client, make_units, make_user, sample_files
from tonghop.services import accounts, archive, templates


@pytest.fixture
def api(db_url, tmp_path):
    make_units(db_url, tmp_path)
    make_user(db_url)
    ids = archive.ingest_paths([str(p) for p in sample_files(tmp_path / "docs")], url=db_url).document_ids
    token = accounts.issue_token("chuyenvien", "kiểm thử", url=db_url)
    with make_client(db_url) as client:
        client.headers["Authorization"] = f"Bearer {token}"
        yield client, ids


def test_without_token_401_json(db_url, api):
    client, _ = api
    response = client.get("/api/v1/documents", headers={"Authorization": ""})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"


def test_bad_token_401(api):
    client, _ = api
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer thp_nope"}).status_code == 401


def test_revoked_token_401(db_url, api):
    client, _ = api
    token = client.headers["Authorization"].split()[1]
    accounts.revoke_token(token, url=db_url)
    assert client.get("/api/v1/me").status_code == 401


def test_me(api):
    client, _ = api
    assert client.get("/api/v1/me").json() == {"username": "chuyenvien", "full_name": "Nguyễn Văn An",
                                               "unit_code": "H01", "role": "reporter"}


def test_documents_pagination(api):
    client, ids = api
    first = client.get("/api/v1/documents", params={"limit": 2}).json()
    second = client.get("/api/v1/documents", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == second["total"] == 3 and (first["limit"], second["offset"]) == (2, 2)
    got = [d["id"] for d in first["items"] + second["items"]]
    assert sorted(got) == sorted(ids) and len(first["items"]) == 2


def test_bad_pagination_is_422_json(api):
    client, _ = api
    body = client.get("/api/v1/documents", params={"limit": 0}).json()
    assert body["error"]["code"] == "invalid" and body["error"]["details"][0]["field"] == "limit"


def test_document_detail_and_404_shape(api):
    client, ids = api
    doc = client.get(f"/api/v1/documents/{ids[1]}").json()
    assert doc["number"] == "120/BC-UBND"
    assert any(c["target_id"] == ids[0] for c in doc["cites"])
    missing = client.get("/api/v1/documents/99999")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found", "message": "Không tìm thấy / Not found"}}


def test_search_with_total_and_spans(api):
    client, ids = api
    body = client.get("/api/v1/search", params={"q": "ke hoach 245", "limit": 1}).json()
    assert body["total"] >= 2 and len(body["items"]) == 1
    hit = body["items"][0]
    assert hit["id"] == ids[0] and hit["by_number"]
    assert all(0 <= s < e <= len(hit["snippet"]) for s, e in hit["highlights"])


def test_units_scoped_to_subtree(api):
    client, _ = api
    body = client.get("/api/v1/units").json()
    assert [u["code"] for u in body["items"]] == ["H01", "X01"] and body["total"] == 2
    assert client.get("/api/v1/units/X01").json()["name"] == "Ủy ban nhân dân xã Tân Hòa"
    for outside in ("T01", "H02", "X02", "NOPE"):
        assert client.get(f"/api/v1/units/{outside}").json()["error"]["code"] == "not_found"


def test_templates_scoped_by_assignment(db_url, api):
    client, _ = api
    codes = [t["code"] for t in client.get("/api/v1/templates").json()["items"]]
    assert codes == []
    some = templates.list_templates(url=db_url)[0]["code"]
    templates.assign(some, kinds=["commune"], url=db_url)
    body = client.get("/api/v1/templates").json()
    assert [t["code"] for t in body["items"]] == [some] and body["items"][0]["indicators"]
    assert client.get(f"/api/v1/templates/{some}").status_code == 200


def test_openapi_document(api):
    client, _ = api
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/documents", "/documents/{doc_id}", "/search", "/units", "/templates"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "/api/v1/openapi.json" in client.get("/api/v1/docs").text


def test_docs_page_uses_the_vendored_swagger_ui(db_url):
    from fastapi.testclient import TestClient

    from tonghop.asgi import create_app

    client = TestClient(create_app())
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    assert "/api/v1/static/swagger-ui-bundle.js" in page.text
    assert client.get("/api/v1/static/swagger-ui-bundle.js").status_code == 200


def test_newline_in_a_path_gets_the_api_json_404_not_a_web_page(api):
    client, _ = api
    response = client.get("/api/v1/templates/%0A0")
    assert response.status_code == 404 and response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_405_allow_names_every_method_of_the_path(api):
    client, _ = api
    response = client.request("OPTIONS", "/api/v1/submissions/X01/bc-tu-tuong-thang/2025M11")
    assert response.status_code == 405 and response.headers["allow"] == "GET, POST"
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert client.delete("/api/v1/me").headers["allow"] == "GET"


def test_every_operation_documents_401_and_its_json_error_shape(api):
    client, _ = api
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            body = operation["responses"]["401"]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)


@pytest.mark.parametrize("path", ["/api/v1/documents/9223372036854775808", "/api/v1/documents?offset=9223372036854775808",
                                  "/api/v1/documents?year=99999999999999999999", "/api/v1/search?q=a&year=-1"])
def test_integers_beyond_the_database_are_422_not_500(api, path):
    client, _ = api
    response = client.get(path)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("path", ["/api/v1/search?q=1&type=%00", "/api/v1/search?q=a%00b", "/api/v1/search?q=a&issuer=%00",
                                  "/api/v1/units/X0%001", "/api/v1/templates/%00", "/api/v1/documents?type=%00"])
def test_nul_in_path_or_query_is_422_on_every_backend(api, path):
    client, _ = api
    response = client.get(path)
    assert response.status_code == 422 and "NUL" in response.json()["error"]["details"][0]["message"]


def test_openapi_says_input_strings_hold_no_nul_and_responses_are_unconstrained(api):
    client, _ = api
    spec = client.get("/api/v1/openapi.json").json()
    q = next(p for p in spec["paths"]["/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["schema"]["pattern"] == "^[^\\x00]*$"
    narrative = spec["components"]["schemas"]["SubmissionCreate"]["properties"]["narrative"]
    assert narrative["additionalProperties"]["pattern"] == narrative["propertyNames"]["pattern"] == "^[^\\x00]*$"
    assert "pattern" not in spec["components"]["schemas"]["DocumentDetail"]["properties"]["text"]
