"""Planning in a real browser: a plan in one go, minutes and order edited in place without a page load,
the Leeswijzer warning, one error message, on a laptop (1366×768) and on a phone (390×844)."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browsing import CARD, SHOTS, add_to_plan, axe_violations, login, no_sideways_scrolling

SIZES = {"laptop": (1366, 768), "telefoon": (390, 844)}


@pytest.mark.parametrize("size", SIZES)
def test_a_plan_is_made_and_changed_in_place(page: Page, live_server, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, "begeleider@example.org")
    page.goto(f"{live_server}/sessies/plannen/")
    assert axe_violations(page) == []
    page.get_by_label("Naam van het plan").fill("Ochtend met het wijkteam")
    page.get_by_label("Verhaal (niet verplicht)").select_option("verhaal:jeffrey")
    page.get_by_label("Dilemmakaart (niet verplicht)").select_option(f"dilemma:{CARD.slug}")
    page.get_by_role("button", name="Plan maken").click()

    items = page.locator(".plan-item")
    expect(items).to_have_count(5)  # welcome, story, card, closing round, agreements: one submit
    expect(items.nth(2)).to_contain_text(CARD.title)
    total = 10 + 20 + CARD.leeswijzer.minutes + 10 + 15
    expect(page.locator(".plan-total")).to_contain_text(f"{total // 60} uur")
    assert page.locator(".plan-warning").count() == 0
    page.evaluate("window.zonderHerladen = true")  # survives only if the page is never reloaded

    # Fewer minutes than the card's Leeswijzer: saved on leaving the field, with the warning.
    card_minutes = items.nth(2).get_by_label("minuten")
    card_minutes.fill(str(CARD.leeswijzer.minutes - 20))
    card_minutes.press("Tab")
    expect(page.locator(".plan-warning")).to_contain_text(f"de leeswijzer rekent op {CARD.leeswijzer.minutes} minuten")
    expect(page.locator("#plan-status")).to_have_text("De minuten zijn opgeslagen.")
    # Tab moved on to the card's first button while the minutes were saved: the focus stays there.
    assert page.evaluate("document.activeElement.value") == "op:2"
    expect(page.locator(".plan-total")).to_contain_text(f"{total - 20 - 60} minuten" if total - 20 > 60 else "")

    # Move the card up with its button: it moves, the focus stays on a button of the card, nothing reloads.
    items.nth(2).get_by_role("button", name="Omhoog").click()
    expect(items.nth(1)).to_contain_text(CARD.title)
    expect(page.locator("#plan-status")).to_contain_text("staat nu op plaats 2")
    focused = page.evaluate("document.activeElement.value")
    assert focused == "op:1", focused
    page.keyboard.press("Enter")  # the same button again, by keyboard: the card goes first
    expect(items.nth(0)).to_contain_text(CARD.title)
    assert page.evaluate("document.activeElement.value") == "neer:0"

    # A wrong number: one message, at the field, the summary takes the focus, what was typed stays.
    story_minutes = items.nth(2).get_by_label("minuten")
    story_minutes.fill("0")
    story_minutes.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_text("Vul 1 tot 480 minuten in.")).to_have_count(1)
    expect(items.nth(2).get_by_label("minuten")).to_have_value("0")
    assert axe_violations(page) == []
    items.nth(2).get_by_label("minuten").fill("25")
    items.nth(2).get_by_label("minuten").press("Enter")
    expect(page.locator(".error-summary")).to_have_count(0)

    # Remove the closing round (after confirming), add another card with its own form.
    page.once("dialog", lambda dialog: dialog.accept())
    items.nth(3).get_by_role("button", name="Verwijder").click()
    expect(items).to_have_count(4)
    add_to_plan(page, "dilemma", "pistool-op-tafel")
    expect(items).to_have_count(5)
    assert page.evaluate("window.zonderHerladen") is True, "the page reloaded"
    assert no_sideways_scrolling(page)
    for locator in (items.nth(0).get_by_role("button", name="Omlaag"), items.nth(0).get_by_label("minuten")):
        box = locator.bounding_box()
        assert box["height"] >= 24 and box["x"] + box["width"] <= width, box
    page.screenshot(path=SHOTS / f"plan-{size}.png", full_page=True)
    assert axe_violations(page) == []


def test_the_agenda_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    login(page, live_server, "begeleider@example.org")
    page.goto(f"{live_server}/sessies/plannen/")
    page.get_by_label("Naam van het plan").fill("Zonder script")
    page.get_by_label("Dilemmakaart (niet verplicht)").select_option(f"dilemma:{CARD.slug}")
    page.get_by_role("button", name="Plan maken").click()
    items = page.locator(".plan-item")
    items.nth(1).get_by_label("minuten").fill("33")
    items.nth(1).get_by_role("button", name="Omhoog").click()
    expect(items.nth(0)).to_contain_text(CARD.title)
    expect(items.nth(0).get_by_label("minuten")).to_have_value("33")
    context.close()
