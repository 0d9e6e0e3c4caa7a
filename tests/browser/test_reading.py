"""Reading a story and spotting signals in a real browser: with JavaScript, without, and by keyboard."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from browsing import login


def passage(page: Page, text: str):
    return page.locator("label.passage", has_text=text)


def test_read_a_story_and_spot_signals(page: Page, live_server):
    page.goto(f"{live_server}/verhalen/")
    page.get_by_role("link", name=re.compile("^Jeffrey")).first.click()
    page.get_by_role("link", name="Begin met lezen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scène 1 van 5")
    boxes = page.locator("input[name=zin]")
    count = boxes.count()
    assert count > 5
    # Click on the sentence text itself, as a reader would.
    page.locator("label.passage span").nth(0).click()
    page.locator("label.passage span").nth(2).click()
    expect(boxes.nth(0)).to_be_checked()
    page.get_by_role("button", name="Laat de signalen zien").click()
    expect(page).to_have_url(re.compile(r"/verhalen/jeffrey/scene/1/signalen$"))
    expect(page.locator(".score")).to_contain_text(re.compile(r"Je vond \d van de \d signalen"))
    expect(page.get_by_role("heading", name="Waarom zijn dit signalen?")).to_be_visible()
    assert page.locator(".signals li").count() >= 2
    # The enhanced swap moves focus to the new heading for screen-reader users.
    assert page.evaluate("document.activeElement.tagName") == "H1"
    page.get_by_role("link", name="Volgende scène").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Scène 2 van 5")


def test_spotting_works_without_javascript(nojs_page: Page, live_server):
    page = nojs_page
    page.goto(f"{live_server}/verhalen/harrie/scene/1")
    page.locator("label.passage span").nth(1).click()
    page.get_by_role("button", name="Laat de signalen zien").click()
    expect(page).to_have_url(re.compile(r"/verhalen/harrie/scene/1/signalen$"))
    expect(page.locator(".score")).to_contain_text("Je vond")
    page.get_by_role("link", name="Deze scène opnieuw doen").click()
    expect(page.locator("input[name=zin]").nth(1)).to_be_checked()


def test_spotting_by_keyboard_only(page: Page, live_server):
    page.goto(f"{live_server}/verhalen/kitty/scene/1")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Ga direct naar de inhoud")).to_be_focused()
    first = page.locator("input[name=zin]").first
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("input[name=zin]").nth(1)).to_be_checked()
    page.get_by_role("button", name="Laat de signalen zien").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/signalen$"))
    page.get_by_role("link", name="Volgende scène").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/verhalen/kitty/scene/2$"))


def test_logged_in_reader_resumes_and_reflects_privately(page: Page, live_server):
    login(page, live_server)
    page.goto(f"{live_server}/verhalen/kacper/scene/1")
    page.locator("label.passage span").first.click()
    page.get_by_role("button", name="Laat de signalen zien").click()
    expect(page.locator(".score")).to_be_visible()
    page.goto(f"{live_server}/verhalen/kacper")
    expect(page.get_by_role("link", name="Verder lezen waar je was")).to_have_attribute(
        "href", "/verhalen/kacper/scene/1/signalen")

    page.goto(f"{live_server}/verhalen/kacper/afsluiting")
    field = page.get_by_label("Jouw reflectie")
    typed = "Ik bel de wijkagent op 06-12345678 als ik weer zoiets zie."
    field.fill(typed)
    page.get_by_role("button", name="Bewaar reflectie").click()
    expect(page.locator(".error")).to_contain_text("telefoonnummer")
    expect(page.get_by_label("Jouw reflectie")).to_have_value(typed)
    page.get_by_label("Jouw reflectie").fill("Ik let beter op paspoorten die de werkgever bewaart.")
    page.get_by_role("button", name="Bewaar reflectie").click()
    expect(page.locator(".reflections")).to_contain_text("paspoorten die de werkgever bewaart")
    page.get_by_role("link", name="Mijn voortgang").click()
    expect(page.locator("tr", has_text="Kacper")).to_contain_text("1 van 5")
