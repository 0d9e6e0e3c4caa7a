"""Every page works by keyboard: each control is reached by Tab, and focus is always visible."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page

from browsing import focusable_count, login, tab_through

PAGES = ["/", "/verhalen/", "/verhalen/jeffrey", "/verhalen/jeffrey/scene/1", "/verhalen/jeffrey/afsluiting",
         "/wie-is-hiervan", "/inloggen"]
LOGGED_IN = ["/account/", "/account/wachtwoord", "/verhalen/harrie/afsluiting"]


def assert_keyboard_reaches_everything(page: Page) -> None:
    stops = tab_through(page)
    assert len(stops) == focusable_count(page)
    for stop in stops:
        assert stop["outline"] != "none" or stop["shadow"] != "none", stop["key"]


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_work_by_keyboard(page: Page, live_server, url):
    page.goto(live_server + url)
    assert_keyboard_reaches_everything(page)


@pytest.mark.parametrize("url", LOGGED_IN)
def test_account_pages_work_by_keyboard(page: Page, live_server, url):
    login(page, live_server)
    page.goto(live_server + url)
    assert_keyboard_reaches_everything(page)


def test_admin_page_works_by_keyboard(page: Page, live_server):
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/gebruikers")
    assert_keyboard_reaches_everything(page)


def test_login_by_keyboard_alone(page: Page, live_server):
    page.goto(f"{live_server}/inloggen")
    page.get_by_label("E-mailadres").focus()
    page.keyboard.type("lezer@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("een lang wachtwoord voor tests")
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/")
    assert page.get_by_role("heading", name="Mijn voortgang").is_visible()
