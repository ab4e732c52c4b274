"""In a real browser at a narrow laptop width (1024 px): no page scrolls sideways, the footer sits at the bottom."""

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


def test_pages_do_not_scroll_sideways(narrow, live_server):
    narrow.goto(f"{live_server}/dang-nhap")
    narrow.get_by_label("Tên đăng nhập").fill(USERNAME)
    narrow.get_by_label("Mật khẩu").fill(PASSWORD)
    narrow.get_by_role("button", name="Đăng nhập").click()
    expect(narrow).to_have_url(re.compile(r"/(viec-can-lam)?$"))
    narrow.goto(f"{live_server}/kho-van-ban?q=ke+hoach+245")
    document = narrow.locator(".result-title a").first.get_attribute("href")
    for path in ("/", "/kho-van-ban?q=ke+hoach+245", document, "/don-vi", "/nap-van-ban", "/tong-hop", "/doi-mat-khau"):
        narrow.goto(live_server + path)
        wide = narrow.evaluate("document.documentElement.scrollWidth")
        assert wide <= WIDTH, f"{path} is {wide} px wide at {WIDTH} px"
