"""Phones at every moment of a session (issue 16), on a 390×844 and a small 360×640 phone: no text squeezed
into a narrow column, every option and "Ik pas" in the first screen when a vote opens, a role's puzzle piece
in the first screen, notices gone once their moment has passed, and axe without violations."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from app import ROOT
from bril.content import load_library
from browsing import add_to_plan, all_buttons, axe_violations, control, login, new_plan, no_sideways_scrolling

LIBRARY, _ = load_library(ROOT / "stories", ROOT / "dilemmas", ROOT / "wie-is-hiervan.yaml", ROOT)
# Chosen generically, the hardest case first: the card whose first step has puzzle pieces and the most
# options (the most buttons to fit on a small phone), and the first story.
CARD = max((card for card in LIBRARY.dilemmas.values() if card.steps[card.start].pieces),
           key=lambda card: (len(card.steps[card.start].options), card.slug))
FIRST = CARD.steps[CARD.start]
ROLE = FIRST.pieces[0][0]
STORY = sorted(LIBRARY.stories)[0]
PHONES = ((390, 844), (360, 640))
LIVE = 5_000
SHOTS = Path(os.environ.get("BRIL_SCREENSHOTS", "/tmp/bril-screenshots"))
CHARACTERS = 15  # a text block narrower than about this many characters is squeezed

# Every visible element with text of its own longer than the threshold that wraps, narrower than that many
# average characters (half an em each) of its own font size: a column squeezed to a word or a letter per line.
SQUEEZED = """(characters) => [...document.querySelectorAll('main *')].filter(e => {
    if (e.closest('.visually-hidden') || !e.getClientRects().length) return false;
    const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
    if (own.length <= characters) return false;
    const style = getComputedStyle(e);
    if (style.visibility === 'hidden') return false;
    // A short phrase that fits on one line is not squeezed, however narrow its own box ("Jeffrey luistert."
    // marked inside a sentence); a squeezed column wraps.
    const font = parseFloat(style.fontSize), line = parseFloat(style.lineHeight) || 1.2 * font;
    if (e.getBoundingClientRect().height < 1.8 * line) return false;
    return e.getBoundingClientRect().width < characters * 0.5 * font;
}).map(e => ({tag: e.tagName, text: e.textContent.trim().slice(0, 50), width: Math.round(e.getBoundingClientRect().width)}))"""


def join(browser: Browser, live_server: str, code: str, nickname: str, size: tuple[int, int]) -> Page:
    page = browser.new_context(locale="nl-NL", viewport={"width": size[0], "height": size[1]}).new_page()
    page.goto(f"{live_server}/meedoen/{code}")
    page.get_by_label("Bijnaam").fill(nickname)
    page.get_by_label("Jouw rol (niet verplicht)").select_option(ROLE)
    page.get_by_role("button", name="Doe mee").click()
    expect(page.get_by_text(f"Jij: {nickname}")).to_be_visible()
    page.evaluate("window.zonderHerladen = true")  # gone if the phone loads a page
    return page


def press(console: Page, label: str) -> None:
    control(console, label)


def at(phones: list[Page], phase: str) -> None:
    for page in phones:
        expect(page.locator(f".live-view[data-fase='{phase}']")).to_be_visible(timeout=LIVE)


def check_phones(phones: list[Page], moment: str) -> None:
    """The rule for every moment: readable in one column, nothing sideways, no notice of an earlier moment."""
    for page in phones:
        size = f"{page.viewport_size['width']}x{page.viewport_size['height']}"
        page.evaluate("window.scrollTo(0, 0)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"telefoon-{size}-{moment}.png"), full_page=True)
        assert page.evaluate(SQUEEZED, CHARACTERS) == [], (moment, size)
        assert no_sideways_scrolling(page), (moment, size)
        assert page.locator(".flashes, [data-parkeerplaats] .error").count() == 0, (moment, size)
        assert axe_violations(page) == [], (moment, size)
        assert page.evaluate("window.zonderHerladen === true"), (moment, size, "de telefoon laadde opnieuw")


def in_first_screen(page: Page, selector: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    height = page.viewport_size["height"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"telefoon-{page.viewport_size['width']}x{height}-eerste-scherm.png"))
    for box in (element.bounding_box() for element in page.locator(selector).all()):
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box, height)


def test_phones_are_readable_at_every_moment(browser: Browser, page: Page, live_server):
    console = page
    console.set_viewport_size({"width": 1366, "height": 768})
    login(console, live_server, "begeleider@example.org")
    new_plan(console, live_server, "Telefoons passen")
    add_to_plan(console, "verhaal", STORY, 10, scenes="1")
    add_to_plan(console, "dilemma", CARD.slug, 30)
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    phones = [join(browser, live_server, code, name, size) for name, size in zip(("Uil", "Mol"), PHONES)]
    check_phones(phones, "1-welkom")

    # A notice stays for its own moment only: the privacy refusal and the parked message.
    uil = phones[0]
    uil.get_by_label("Zet iets op de parkeerplaats").fill("Bel de mentor op 06-12345678")
    uil.get_by_role("button", name="Parkeren").click()
    expect(uil.locator("[data-parkeerplaats] .error")).to_contain_text("telefoonnummer")
    expect(uil.get_by_label("Zet iets op de parkeerplaats")).to_have_value("Bel de mentor op 06-12345678")
    phones[1].get_by_label("Zet iets op de parkeerplaats").fill("Mogen we de bank bellen?")
    phones[1].get_by_role("button", name="Parkeren").click()
    expect(phones[1].locator("[data-parkeren-status]")).to_have_text("Je bericht staat op de parkeerplaats.")

    press(console, "Naar het volgende onderdeel")
    at(phones, "verhaal")
    expect(phones[1].locator("[data-parkeren-status]")).to_have_text("")
    check_phones(phones, "2-verhaal")
    press(console, "Toon wat de groep zag")
    at(phones, "markeringen")
    check_phones(phones, "3-markeringen")
    press(console, "Toon de signalen")
    at(phones, "signalen")
    check_phones(phones, "4-signalen")

    for _ in range(5):  # through the pages of a long reveal on the projector, then on to the card
        if phones[0].locator(".live-view[data-fase='situatie']").count():
            break
        version = console.locator(".live-view").get_attribute("data-versie")
        console.locator("[data-primary]:not([disabled])").click()
        expect(console.locator(".live-view")).not_to_have_attribute("data-versie", version, timeout=LIVE)
        phones[0].wait_for_timeout(300)
    at(phones, "situatie")
    press(console, "Toon wat elke rol weet")
    for phone in phones:
        expect(phone.locator(".piece")).to_be_visible(timeout=LIVE)
        in_first_screen(phone, ".piece h2")  # a role's piece is found without hunting
    check_phones(phones, "5-situatie")

    press(console, "Open de stemming")
    at(phones, "stemmen")
    for phone in phones:
        in_first_screen(phone, ".vote-option")  # every option and "Ik pas"
        expect(phone.locator(".vote-option")).to_have_count(len(FIRST.options) + 1)
        heights = [box["height"] for box in (o.bounding_box() for o in phone.locator(".vote-option").all())]
        assert min(heights) >= 44, heights  # still a comfortable target
    check_phones(phones, "6-stemmen")
    for phone, letter, option in zip(phones, "AB", FIRST.options):
        phone.get_by_role("button", name=f"Optie {letter}: {option.label}").click()
        expect(phone.locator("[data-stem-status]")).to_contain_text(f"Je stem is binnen: {letter}")
    press(console, "Sluit en toon de uitslag")
    at(phones, "uitslag")
    press(console, "Stem nog een keer")
    at(phones, "stemmen")
    in_first_screen(phones[1], ".vote-option")
    for phone in phones:
        phone.get_by_role("button", name=f"Optie A: {FIRST.options[0].label}").click()
        expect(phone.locator("[data-stem-status]")).to_contain_text("Je stem is binnen: A")
    press(console, "Sluit en toon de uitslag")
    at(phones, "uitslag")
    expect(phones[0].locator(".bar-chart figcaption")).to_have_count(2)  # both rounds, one below the other
    check_phones(phones, "7-uitslag-twee-rondes")

    press(console, "Volg A")
    at(phones, "gevolg")
    expect(phones[1].locator(".consequences")).to_contain_text("Wat dit betekent voor de mensen om de cliënt heen")
    check_phones(phones, "8-gevolg")
    # "← Terug" from a consequence: the results the group chose from, with the votes shown.
    press(console, "← Terug")
    at(phones, "uitslag")
    expect(phones[0].locator(".bar-chart figcaption")).to_have_count(2)
    press(console, "Volg A")
    at(phones, "gevolg")

    following = CARD.steps.get(FIRST.options[0].target)
    press(console, "Naar de volgende stap" if following else "Naar het einde van de kaart")
    at(phones, "situatie" if following else "einde")
    check_phones(phones, "9-volgende")

    all_buttons(console)
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator("button", has_text="Sessie beëindigen").first.click()
    for phone in phones:
        expect(phone.locator(".live-view h2")).to_contain_text("Bedankt", timeout=LIVE)
    check_phones(phones, "10-afgelopen")
