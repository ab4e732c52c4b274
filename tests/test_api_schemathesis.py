"""Schemathesis against the REST API's own OpenAPI document, in process, as an admin, a reporter and nobody.

Every operation of /api/v1/openapi.json gets generated requests, valid and invalid (schemathesis' positive and
negative modes). Checked on each response: no 5xx, the status code is documented, the content type and the body
match the declared response, 4xx bodies have the shape {"error": {"code", "message"}}, invalid input is refused and
valid input is not refused for its shape. Path and query parameters name a real unit, template and period part of
the time, so that requests get past the 404 and reach the services. Raise the examples per operation by hand with
TONGHOP_SCHEMATHESIS_EXAMPLES=500; TONGHOP_TEST_PG_URL runs it on PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from schemathesis.config import SchemathesisConfig

import pg
from accounts_fixtures import make_user, sample_files, seed_with_form
from tonghop.api.reporting_schemas import ReviewCreate, SubmissionCreate
from tonghop.services import accounts, archive, submissions, templates

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("TONGHOP_SCHEMATHESIS_EXAMPLES", "12"))
TPL = "bc-tu-tuong-thang"
YEARLY = "bc-thuc-hien-ke-hoach-nam"
USERS = {"admin": ("quantri", "T01"), "reporter": ("baocao", "X01")}
KNOWN = {
    "unit": ["T01", "H01", "X01", "X02"],
    "code": ["T01", "X01", TPL, YEARLY],
    "template": [TPL, YEARLY],
    "period": ["2025M11", "2025M1", "2025", "2025Q4", "2025H1", "2025m11", " 2025M11 ", "2025M13", "0000M01",
               "9999M12", "2025W60"],
    "doc_id": [1, 2, 3],
}
# unit, template, period that exist together: requests that get past every 404 to the services
REAL = [("X01", TPL, "2025M11"), ("X01", TPL, "2025M10"), ("T01", TPL, "2025M11"), ("X02", TPL, "2025M11"),
        ("H01", YEARLY, "2025"), ("H02", YEARLY, "2024")]
INDICATORS = st.one_of(st.sampled_from(["bai_bao_dai_tap_chi", "bai_internet_mxh", "binh_luan", "ket_qua_xu_ly"]),
                       st.sampled_from(["hoi_nghi", "pano_bang_ron", "I.1", "khong_co_chi_tieu", "2.a"]))
# figures as clerks type them, and as a hostile client sends them (within the schema: NUL is the fuzzer's job)
TEXT = st.text(st.characters(blacklist_characters="\x00"), max_size=50)
FIGURES = st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT,
                    st.sampled_from(["1.204", "1.204,5", "Không có", "hơn 12", "-3", "1e400", "NaN", "Infinity", "",
                                     "９", "٣", "12" * 200, "0x10", "1_000", None, {}]))
# a plausible body's based_on_version meaning "the version stored now", set just before the call, as a clerk's form has it
READ_NOW = 2**31 - 7
# The bearer token is sent by the test (or not, for "no-token"), so schemathesis does not generate the header
# itself; unknown query parameters are ignored, as HTTP APIs do. 422: the schema cannot say which figures a template
# accepts or which period codes exist, the regime can.
CONFIG = """
[generation]
with-security-parameters = false
allow-extra-parameters = false

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """Units T01 > H01 > X01 and T01 > H02 > X02, two assignments, three documents, one filed report, two users."""
    folder = tmp_path_factory.mktemp("seed")
    url = seed_with_form(folder, TPL)
    templates.assign(YEARLY, kinds=["district"], url=url)
    for role, (name, unit) in USERS.items():
        make_user(url, name, unit, role)
    archive.ingest_paths([str(p) for p in sample_files(folder / "docs")], url=url)
    submissions.save_submission("X01", TPL, "2025M11", {"bai_internet_mxh": 4, "binh_luan": 2},
                                narrative={"III": "Tiếp tục."}, action="submit", based_on=0, author="baocao", url=url)
    return url


def _sometimes_known(names: list[str]):
    """A flatmap hook: each generated value of NAMES is kept, or replaced by a known one, at Hypothesis' choice."""

    def hook(context, values):
        if not values:
            return st.just(values)
        choices = {k: st.one_of(st.just(v), st.sampled_from(KNOWN[k])) for k, v in values.items() if k in names}
        mixed = st.fixed_dictionaries(choices).map(lambda known: {**values, **known})
        if "template" not in values:
            return mixed
        real = st.sampled_from(REAL).map(
            lambda r: {**values, **{k: v for k, v in zip(("unit", "template", "period"), r, strict=True) if k in values}})
        return st.one_of(real, mixed, st.just(values))

    return hook


def _sometimes_realistic(context, body):
    """A flatmap hook: the generated body, or a plausible one: real indicators with odd figures, a review.

    Only a valid body is replaced: schemathesis still counts an invalid one as negative data, to be refused."""
    model = ReviewCreate if context.operation.path.endswith("/review") else SubmissionCreate
    try:
        model.model_validate(body)
    except ValidationError:
        return st.just(body)
    if model is ReviewCreate:
        plausible = st.fixed_dictionaries({"action": st.sampled_from(["approve", "return"])},
                                          optional={"comment": st.one_of(st.none(), TEXT),
                                                    "based_on_version": st.one_of(st.none(), st.integers(1, 3))})
    else:
        plausible = st.fixed_dictionaries({
            "values": st.dictionaries(INDICATORS, FIGURES, max_size=3),
            "narrative": st.dictionaries(st.sampled_from(["I.", "II.", "III.", "III", "IX."]), TEXT,
                                         max_size=3),
            "action": st.sampled_from(["save", "submit"]),
            "based_on_version": st.sampled_from([0, 1, 2, READ_NOW, READ_NOW]),
        })
    return st.one_of(plausible, st.just(body))


def _app(url: str):
    from tonghop.asgi import create_app
    from tonghop.config import Settings

    return create_app(Settings(database_url=url, secret_key="test-secret-key-0123456789"))


# The document is read once, at collection, from an app whose database is never opened; each test then sends its
# requests to a fresh app on its own copy of the seed.
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app("sqlite://"),
                                        config=SchemathesisConfig.from_str(CONFIG))
schema.hook("flatmap_path_parameters")(_sometimes_known(["unit", "code", "template", "period", "doc_id"]))
schema.hook("flatmap_query")(_sometimes_known(["unit", "template", "period"]))
schema.hook("flatmap_body")(_sometimes_realistic)


@pytest.fixture(params=["admin", "reporter", None], ids=["admin", "reporter", "no-token"])
def headers(request, seed, db_url) -> dict[str, str]:
    """The Authorization header of an admin, a reporter, or none, on a copy of the seed database."""
    pg.copy_seed(seed, db_url)
    if request.param is None:
        return {}
    return {"Authorization": f"Bearer {accounts.issue_token(USERS[request.param][0], 'schemathesis', url=db_url)}"}


@pytest.fixture
def app(headers, db_url):
    """A fresh application on the test's database."""
    return _app(db_url)


def error_shape(ctx, response, case):
    """Every 4xx body is {"error": {"code": str, "message": str, ...}}."""
    if 400 <= response.status_code < 500:
        kind = response.headers.get("content-type", [""])[0]
        assert kind.startswith("application/json"), f"{response.status_code} answered as {kind!r}"
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
        assert isinstance(error, dict), f"4xx body without 'error': {body!r}"
        assert isinstance(error.get("code"), str) and isinstance(error.get("message"), str), f"bad error: {error!r}"
    return None


def valid_shape_accepted(ctx, response, case):
    """A request the schema allows is never refused as malformed (a 422 with per-field details): only the reporting
    rules may refuse it (a 422 naming the indicators, or the period)."""
    if case.meta is None or case.meta.generation.mode.is_negative or response.status_code != 422:
        return None
    error = response.json()["error"]
    assert "details" not in error, f"schema-valid request refused as malformed: {error}"
    return None


def _read_now(case, url: str) -> None:
    """Set a plausible body's based_on_version to the version stored now, so that its figures get saved or refused
    on their merits rather than as a conflict."""
    body, where = case.body, case.path_parameters or {}
    if isinstance(body, dict) and body.get("based_on_version") == READ_NOW and {"unit", "template", "period"} <= where.keys():
        try:
            versions = submissions.history(where["unit"], where["template"], where["period"].strip().upper(), url=url)
        except Exception:  # an odd period: the request will be refused anyway, the version does not matter
            versions = []
        body["based_on_version"] = versions[-1]["version"] if versions else 0


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, app, headers, db_url):
    """No server error, documented statuses and bodies, the error shape, for each role and for no token."""
    _read_now(case, db_url)
    case.call_and_validate(app=app, headers=headers, additional_checks=[error_shape, valid_shape_accepted])
