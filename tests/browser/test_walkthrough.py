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


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory):
    """A uvicorn on a database with two units, an admin of the province and one assignment to remove."""
    from conftest import UNITS, uvicorn_on
    from tonghop.services import accounts, templates, units

    root = tmp_path_factory.mktemp("admin-live")
    url = f"sqlite:///{root / 'tonghop.db'}"
    (root / "units.yaml").write_text(UNITS, encoding="utf-8")
    units.import_units_file(root / "units.yaml", url=url)
    accounts.create_user("quantri", PASSWORD, unit="T01", role="admin", full_name="Quản trị", url=url)
    templates.assign("bc-tu-tuong-thang", units=["H01"], url=url)
    with uvicorn_on(url) as base:
        yield base


def test_removing_an_assignment_asks_first(page, admin_server):
    page.goto(f"{admin_server}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{admin_server}/quan-tri/giao-bao-cao")
    remove = page.get_by_role("button", name=re.compile("Bỏ giao mẫu bc-tu-tuong-thang"))
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    remove.click()
    page.wait_for_timeout(300)
    assert asked and asked[0].startswith("Bỏ giao mẫu bc-tu-tuong-thang cho Ủy ban nhân dân huyện Đông Phú")
    expect(remove).to_be_visible()  # dismissed: nothing removed
    page.once("dialog", lambda d: d.accept())
    remove.click()
    expect(page.locator("p.notice, .notice, [role=status]").first).to_contain_text("Đã bỏ việc giao báo cáo")
    expect(remove).to_have_count(0)
    expect(page.locator("header.masthead")).to_be_visible()  # the whole page, not a page inside the page
    assert page.locator("header.masthead").count() == 1 and not page.console_errors
    page.reload()
    expect(page.get_by_role("heading", name="Giao báo cáo")).to_be_visible()


def test_upload_that_reads_nothing_shows_why(narrow, live_server, tmp_path):
    """A refused upload (422) came back to htmx, which swaps only 2xx by default: the page showed nothing."""
    bad = tmp_path / "danh-sach.yaml"
    bad.write_text("a: 1\n", encoding="utf-8")
    _log_in(narrow, live_server)
    narrow.goto(f"{live_server}/nap-van-ban")
    narrow.get_by_label("Tệp văn bản").set_input_files(str(bad))
    narrow.get_by_role("button", name="Nạp vào kho").click()
    expect(narrow.locator("#ket-qua-nap")).to_contain_text("danh-sach.yaml")
    expect(narrow.locator("header.masthead")).to_have_count(1)  # the fragment, not a page inside the page
