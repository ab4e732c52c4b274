"""In a real browser, rough edges a new user met (issue #4): at a narrow laptop width (1024 px) no page scrolls
sideways and the footer sits at the bottom; Back after a search comes back to the whole search page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, USERNAME

WIDTH = 1024


@pytest.fixture
def narrow(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": WIDTH, "height": 900})
    yield context.new_page()
    context.close()


def test_short_page_footer_at_the_bottom(narrow, live_server):
    narrow.goto(f"{live_server}/dang-nhap")
    bottom = narrow.evaluate("document.querySelector('footer.foot').getBoundingClientRect().bottom")
    assert bottom == pytest.approx(900, abs=1)


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(USERNAME)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/(viec-can-lam)?$"))


def test_pages_do_not_scroll_sideways(narrow, live_server):
    _log_in(narrow, live_server)
    narrow.goto(f"{live_server}/kho-van-ban?q=ke+hoach+245")
    document = narrow.locator(".result-title a").first.get_attribute("href")
    for path in ("/", "/kho-van-ban?q=ke+hoach+245", document, "/don-vi", "/nap-van-ban", "/tong-hop", "/doi-mat-khau"):
        narrow.goto(live_server + path)
        wide = narrow.evaluate("document.documentElement.scrollWidth")
        assert wide <= WIDTH, f"{path} is {wide} px wide at {WIDTH} px"


def test_back_after_search_shows_the_whole_page(narrow, live_server):
    """The results came by htmx at the same address as the page: Back showed the cached fragment, unstyled."""
    _log_in(narrow, live_server)
    narrow.goto(f"{live_server}/kho-van-ban")
    narrow.get_by_label("Tìm văn bản").press_sequentially("ke hoach 245")
    expect(narrow).to_have_url(re.compile(r"q=ke(\+|%20)hoach(\+|%20)245"))
    narrow.locator(".result-title a").first.click()
    expect(narrow.locator("h1")).to_contain_text("245/KH-UBND")
    narrow.go_back()
    expect(narrow.locator(".result").first).to_contain_text("245/KH-UBND")
    expect(narrow.locator("header.masthead")).to_be_visible()
    expect(narrow.get_by_label("Tìm văn bản")).to_have_value("ke hoach 245")
