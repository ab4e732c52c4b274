"""In a real browser: log in, search "ke hoach 245", open the plan, follow a citation and come back down."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import PASSWORD, USERNAME, snapshot


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/kho-van-ban")
    expect(page).to_have_url(re.compile(r"/dang-nhap\?next="))
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(f"{base}/kho-van-ban")


def test_login_search_open_follow_citation(page, live_server):
    _log_in(page, live_server)
    page.get_by_label("Tìm văn bản").fill("ke hoach 245")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"q=ke(\+|%20)hoach(\+|%20)245"))
    first = page.locator(".result").first
    expect(first).to_contain_text("245/KH-UBND")
    expect(first.locator("mark").first).to_be_visible()
    snapshot(page, "search")
    first.locator(".result-title a").click()
    expect(page.locator("h1")).to_contain_text("245/KH-UBND")
    expect(page.get_by_role("heading", name=re.compile("Văn bản dẫn chiếu đến văn bản này"))).to_be_visible()
    snapshot(page, "document")
    page.locator("#dan-chieu + ul a", has_text="12-NQ/TU").click()
    expect(page.locator("h1")).to_contain_text("12-NQ/TU")
    cited_by = page.locator("#duoc-dan-chieu + ul")
    expect(cited_by).to_contain_text("245/KH-UBND")
    cited_by.get_by_role("link", name="245/KH-UBND").click()
    expect(page.locator("h1")).to_contain_text("245/KH-UBND")
    assert page.console_errors == []


def test_wrong_password_stays_on_login(page, live_server):
    page.goto(f"{live_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill("sai-mat-khau-hoan-toan")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("không đúng")


def test_htmx_filter_swaps_results(page, live_server):
    _log_in(page, live_server)
    page.get_by_label("Tìm văn bản").fill("245")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator(".result").first).to_be_visible()
    page.get_by_label("Loại văn bản").select_option("BC")
    expect(page).to_have_url(re.compile(r"loai=BC"))
    badges = page.locator(".result .badge")
    expect(badges.first).to_have_text("Báo cáo")
    assert set(badges.all_text_contents()) == {"Báo cáo"}
    assert page.console_errors == []
