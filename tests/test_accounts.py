"""Account services: users, passwords, roles, tokens, audit, login rate limit, unit scope."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts_fixtures import PASSWORD, make_units, make_user
from tonghop.services import accounts


@pytest.fixture
def url(db_url, tmp_path):
    make_units(db_url, tmp_path)
    return db_url


def test_create_and_authenticate(url):
    user = make_user(url)
    assert (user.username, user.unit_code, user.role) == ("chuyenvien", "H01", "reporter")
    assert accounts.authenticate("ChuyenVien", PASSWORD, url=url).id == user.id


def test_wrong_password_and_unknown_user_fail_alike(url):
    make_user(url)
    for name, pw in (("chuyenvien", "sai-mat-khau-123"), ("khongco", PASSWORD)):
        with pytest.raises(accounts.AuthenticationFailed, match="không đúng"):
            accounts.authenticate(name, pw, url=url)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"role": "boss"}, "Vai trò"), ({"unit": "ZZZ"}, "ZZZ"), ({"password": "ngan"}, "ít nhất"),
    ({"username": "có dấu cách"}, "không hợp lệ"),
])  # fmt: skip
def test_create_user_rejects(url, kwargs, message):
    args = {"username": "nguoidung", "password": PASSWORD, "unit": "H01", "role": "viewer", **kwargs}
    with pytest.raises(accounts.AccountError, match=message):
        accounts.create_user(args.pop("username"), args.pop("password"), url=url, **args)


def test_duplicate_user_rejected(url):
    make_user(url)
    with pytest.raises(accounts.AccountError, match="Đã có"):
        make_user(url)


def test_password_is_hashed_with_argon2(url):
    from tonghop.db import accounts_repo
    from tonghop.services.context import transaction

    make_user(url)
    with transaction(url) as session:
        stored = accounts_repo.user_by_name(session, "chuyenvien", with_hash=True)["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_rate_limit_after_failures_even_with_right_password(url):
    make_user(url)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.AuthenticationFailed):
            accounts.authenticate("chuyenvien", "sai-mat-khau-123", client="10.0.0.1", url=url)
    with pytest.raises(accounts.RateLimited, match="thử lại sau 15 phút"):
        accounts.authenticate("chuyenvien", PASSWORD, client="10.0.0.1", url=url)


def test_success_resets_failure_count(url):
    make_user(url)
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(accounts.AuthenticationFailed):
            accounts.authenticate("chuyenvien", "sai-mat-khau-123", url=url)
    accounts.authenticate("chuyenvien", PASSWORD, url=url)
    with pytest.raises(accounts.AuthenticationFailed):
        accounts.authenticate("chuyenvien", "sai-mat-khau-123", url=url)
    assert accounts.authenticate("chuyenvien", PASSWORD, url=url).username == "chuyenvien"


def test_change_password(url):
    user = make_user(url)
    with pytest.raises(accounts.AccountError, match="hiện tại không đúng"):
        accounts.change_password(user.id, "sai-mat-khau-123", "mat-khau-moi-2026", url=url)
    changed = accounts.change_password(user.id, PASSWORD, "mat-khau-moi-2026", url=url)
    assert changed.password_changed_at > user.password_changed_at
    assert accounts.authenticate("chuyenvien", "mat-khau-moi-2026", url=url).id == user.id
    with pytest.raises(accounts.AuthenticationFailed):
        accounts.authenticate("chuyenvien", PASSWORD, url=url)


def test_tokens_issue_verify_revoke(url):
    user = make_user(url)
    token = accounts.issue_token("chuyenvien", "máy chủ báo cáo", url=url)
    assert token.startswith("thp_") and accounts.verify_token(token, url=url) == user
    assert accounts.verify_token(token + "x", url=url) is None
    assert accounts.revoke_token(token, url=url)
    assert accounts.verify_token(token, url=url) is None
    assert not accounts.revoke_token(token, url=url)


def test_token_use_is_written_at_most_every_few_minutes(url, monkeypatch):
    make_user(url)
    token, touched, touch = accounts.issue_token("chuyenvien", url=url), [], accounts.repo.touch_token
    monkeypatch.setattr(accounts.repo, "touch_token", lambda s, i, at: (touched.append(at), touch(s, i, at)))
    assert accounts.verify_token(token, url=url) and accounts.verify_token(token, url=url)
    assert len(touched) == 1
    later = accounts._now() + accounts.TOKEN_TOUCH_EVERY + timedelta(seconds=1)
    monkeypatch.setattr(accounts, "_now", lambda: later)
    assert accounts.verify_token(token, url=url) and len(touched) == 2


def test_expired_token_refused(url):
    make_user(url)
    token = accounts.issue_token("chuyenvien", days=-1, url=url)
    assert accounts.verify_token(token, url=url) is None


def test_audit_records_writes_without_secrets(url):
    user = make_user(url)
    accounts.change_password(user.id, PASSWORD, "mat-khau-moi-2026", url=url)
    log = accounts.audit_log(url=url)
    assert [e["action"] for e in log] == ["user.password", "user.create"]
    assert log[1]["after"]["unit_code"] == "H01" and log[1]["before"] is None
    assert PASSWORD not in str(log) and "argon2" not in str(log)


def test_visible_units_is_the_subtree(url):
    assert accounts.visible_units(make_user(url), url=url) == ["H01", "X01"]
    assert set(accounts.visible_units(make_user(url, "tinh", "T01", "admin"), url=url)) == {
        "T01", "H01", "H02", "X01", "X02"}


def test_roles_grant_permissions(url):
    viewer, approver = make_user(url, "xem", role="viewer"), make_user(url, "duyet", role="approver")
    assert not viewer.can("archive.upload") and approver.can("archive.upload")
    assert approver.can("submissions.review") and not approver.can("users.manage")
