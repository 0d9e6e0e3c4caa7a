"""One whole session by keyboard alone: the facilitator plans, starts and runs it with Tab, Enter, the
arrow keys and the shortcuts; a participant joins, marks sentences, votes and parks a question the same way.
No click, no `fill`: every key goes where the focus is, and the focus is always visible."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from browsing import CARD, LIVE

FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  const style = getComputedStyle(e);
  return {name: [e.getAttribute("aria-label") || "", label, e.innerText || "", e.value || ""].join(" | "),
          tag: e.tagName, value: e.value || "",
          visible: style.outlineStyle !== "none" || style.boxShadow !== "none"};
}"""


def tab_to(page: Page, *names: str, limit: int = 250) -> None:
    """Press Tab until the focus is on an element whose label, text or value holds each of `names`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused and all(name in focused["name"] for name in names):
            assert focused["visible"], f"focus on {names!r} is not visible"
            return
    raise AssertionError(f"Tab never reached {names!r}")


def choose(page: Page, label: str, value: str) -> None:
    """Tab to a select and pick `value` with the arrow keys (a closed select changes with ↓)."""
    tab_to(page, label)
    for _ in range(80):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value!r} not reached in {label!r}")


def shown(console: Page) -> tuple[str, str]:
    view = console.locator(".console-view")
    return view.get_attribute("data-fase"), view.get_attribute("data-versie")


def next_by_arrow(console: Page) -> None:
    """Press → for the primary action and wait until the console shows the next moment."""
    before = shown(console)
    console.keyboard.press("ArrowRight")
    expect(console.locator(".console-view")).not_to_have_attribute("data-versie", before[1], timeout=LIVE)


def vote_by_keyboard(phone: Page, letter: str) -> None:
    tab_to(phone, f"Optie {letter}:")
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-stem-status]")).to_contain_text(f"Je stem is binnen: {letter}", timeout=LIVE)


def test_a_whole_session_by_keyboard_alone(browser: Browser, live_server):
    console = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 768}).new_page()
    console.goto(f"{live_server}/inloggen")
    tab_to(console, "E-mailadres")
    console.keyboard.type("begeleider@example.org")
    console.keyboard.press("Tab")
    console.keyboard.type("een lang wachtwoord voor tests")
    console.keyboard.press("Enter")
    console.wait_for_url(re.compile(r".*/(account|sessies)/$"))  # the landing page after logging in

    # Plan: a card with closing and agreements in one go, then one scene of a story moved to the front.
    tab_to(console, "Sessies")
    console.keyboard.press("Enter")
    console.wait_for_url("**/sessies/plannen/")
    tab_to(console, "Naam van het plan")
    console.keyboard.type("Alles met het toetsenbord")
    choose(console, "Dilemmakaart (niet verplicht)", f"dilemma:{CARD.slug}")
    tab_to(console, "Plan maken")
    console.keyboard.press("Enter")
    console.get_by_role("heading", name="Agenda").wait_for()
    choose(console, "Verhaal", "verhaal:jeffrey")
    tab_to(console, "Welke scènes?")
    console.keyboard.type("1")
    tab_to(console, "Voeg het verhaal toe")
    console.keyboard.press("Enter")
    items = console.locator(".plan-item")
    expect(items).to_have_count(5)
    tab_to(console, "Omhoog", "Verhaal: Jeffrey")
    for place in (4, 3, 2):  # the focus stays on the moved item's button after each move
        console.keyboard.press("Enter")
        expect(items.nth(place - 1)).to_contain_text("Verhaal: Jeffrey")
        assert "Verhaal: Jeffrey" in console.evaluate(FOCUS)["name"]
    tab_to(console, "Start een sessie met dit plan")
    console.keyboard.press("Enter")
    console.wait_for_url(re.compile(r".*/sessies/\d+$"))
    code = console.locator(".console-view .status strong").last.inner_text()
    console.evaluate("window.zonderHerladen = true")

    phone = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{live_server}/meedoen/{code}")
    tab_to(phone, "Bijnaam")
    phone.keyboard.type("Toets")
    tab_to(phone, "Doe mee")
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Jij: Toets")).to_be_visible()
    expect(console.locator(".console-view")).to_contain_text("1", timeout=LIVE)

    # The welcome, then the scene: the phone marks two sentences with the space bar.
    tab_to(console, "Naar het volgende onderdeel")
    console.keyboard.press("Enter")
    expect(console.locator(".console-view[data-fase='verhaal']")).to_be_visible(timeout=LIVE)
    expect(phone.locator(".live-view[data-fase='verhaal']")).to_be_visible(timeout=LIVE)
    for _ in range(2):
        tab_to(phone, "")  # to the next sentence
        while phone.evaluate("document.activeElement.name") != "zin":
            phone.keyboard.press("Tab")
        phone.keyboard.press("Space")
    tab_to(phone, "Bewaar wat ik zie")
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-zinnen-status]")).to_contain_text("Bewaard: je ziet 2 signalen", timeout=LIVE)

    # From here the console runs on → alone, and the phone votes with Tab and Enter, until the closing round.
    phases = set()
    for _ in range(40):
        phase, _version = shown(console)
        phases.add(phase)
        if phase == "afsluiting":
            break
        if phase == "stemmen":
            expect(phone.locator(".live-view[data-fase='stemmen']")).to_be_visible(timeout=LIVE)
            vote_by_keyboard(phone, "A")
            expect(console.locator(".console-view [data-stemmen]").first).to_have_text("1", timeout=LIVE)
        next_by_arrow(console)
    else:
        raise AssertionError("the closing round never came")
    assert {"markeringen", "signalen", "situatie", "stemmen", "uitslag", "gevolg", "einde"} <= phases, phases
    assert console.evaluate("window.zonderHerladen") is True, "the console reloaded"

    tab_to(phone, "Zet iets op de parkeerplaats")
    phone.keyboard.type("Wie belt de bank?")
    tab_to(phone, "Parkeren")
    phone.keyboard.press("Enter")
    expect(console.locator(".parking")).to_contain_text("Wie belt de bank?", timeout=LIVE)

    next_by_arrow(console)
    expect(console.locator(".console-view[data-fase='afspraken']")).to_be_visible()
    tab_to(console, "Wat spreken we af?")
    console.keyboard.type("Geldezels bespreken in het teamoverleg")
    choose(console, "Wie doet het?", "klantmanager")
    tab_to(console, "Wanneer?")
    console.keyboard.type("binnen twee weken")
    tab_to(console, "Afspraak vastleggen")
    console.keyboard.press("Enter")
    expect(console.locator("#afspraken table")).to_contain_text("binnen twee weken", timeout=LIVE)

    console.once("dialog", lambda dialog: dialog.accept())
    tab_to(console, "Sessie beëindigen")
    console.keyboard.press("Enter")
    expect(console.get_by_role("heading", level=1)).to_contain_text("Verslag")
    expect(phone.locator(".live-view h2")).to_contain_text("Bedankt", timeout=LIVE)
    report = console.request.get(console.url + ".md").text()
    assert "Geldezels bespreken in het teamoverleg" in report and "Wie belt de bank?" in report
    assert "Toets" not in report
