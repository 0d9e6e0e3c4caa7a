"""A whole team session in real browsers: a facilitator, a projector and three phones, all in step."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from app import ROOT
from bril.content import load_library
from browsing import axe_violations, login

LIBRARY, _ = load_library(ROOT / "stories", ROOT / "dilemmas", ROOT / "wie-is-hiervan.yaml", ROOT)
CARD = LIBRARY.dilemmas["pas-uitgeleend"]
FIRST = CARD.steps[CARD.start]
LIVE = 5_000  # every view must follow within a second; allow some slack for a busy test machine


def phone(browser: Browser, live_server: str, code: str, nickname: str, role: str | None = None) -> Page:
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/meedoen")
    page.get_by_label("Code van de sessie").fill(code.lower())
    page.get_by_role("button", name="Verder").click()
    page.get_by_label("Bijnaam").fill(nickname)
    if role:
        page.get_by_label("Jouw rol (niet verplicht)").select_option(role)
    page.get_by_role("button", name="Doe mee").click()
    expect(page.get_by_text(f"Jij: {nickname}")).to_be_visible()
    return page


def control(console: Page, label: str) -> None:
    console.get_by_role("button", name=label, exact=True).click()
    console.wait_for_load_state()


def cast(page: Page, letter_label: str) -> None:
    page.get_by_role("radio", name=letter_label).check()
    page.get_by_role("button", name="Stem", exact=True).click()
    expect(page.locator(".vote-form .hint")).to_contain_text("Je stem is ontvangen")


def test_a_whole_session(browser: Browser, page: Page, live_server):
    console = page
    login(console, live_server, "begeleider@example.org")
    console.goto(f"{live_server}/sessies/plannen/")
    console.get_by_label("Naam van het plan").fill("Ochtend over geldezels")
    console.get_by_role("button", name="Plan maken").click()
    console.get_by_label("Onderdeel").select_option("dilemma")
    console.get_by_label("Verhaal of dilemmakaart").select_option(f"dilemma:{CARD.slug}")
    console.get_by_label("Minuten").fill("30")
    console.get_by_role("button", name="Toevoegen").click()
    expect(console.locator("table")).to_contain_text(CARD.title)
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)

    projector = console.context.new_page()
    projector.goto(console.url.split("#")[0] + "/scherm")
    expect(projector.locator(".join-code")).to_have_text(code)
    assert axe_violations(projector) == []

    uil = phone(browser, live_server, code, "Uil", "wijkagent")
    mol = phone(browser, live_server, code, "Mol")
    das = phone(browser, live_server, code, "Das")
    assert axe_violations(uil) == []
    expect(console.locator(".participants")).to_contain_text("Uil (Wijkagent)", timeout=LIVE)
    assert axe_violations(console) == []

    control(console, "Volgende →")
    for view in (uil, mol, das, projector):
        expect(view.locator(".live-view h2")).to_contain_text(FIRST.title, timeout=LIVE)

    control(console, "Open stemming")
    for view in (uil, mol, das):
        expect(view.get_by_role("button", name="Stem", exact=True)).to_be_visible(timeout=LIVE)
    assert axe_violations(mol) == []
    cast(uil, f"A. {FIRST.options[0].label}")
    cast(mol, f"A. {FIRST.options[0].label}")
    cast(das, f"B. {FIRST.options[1].label}")
    cast(das, f"C. {FIRST.options[2].label}")  # a changed vote
    expect(projector.locator(".vote-count")).to_contain_text("3 stemmen", timeout=LIVE)
    assert axe_violations(projector) == []

    control(console, "Sluit stemming")
    control(console, "Toon uitslag")
    results = projector.locator("table.results").first
    expect(results).to_contain_text("Uitslag: 3 stemmen", timeout=LIVE)
    expect(results.locator("tr", has_text=FIRST.options[0].label)).to_contain_text("2")
    expect(das.locator("table.results")).to_be_visible(timeout=LIVE)
    expect(uil.locator("#live-melding")).to_contain_text("Uitslag", timeout=LIVE)
    for view in (projector, das, console):
        assert axe_violations(view) == []

    control(console, "Tweede ronde")
    expect(mol.locator("legend")).to_contain_text("ronde 2", timeout=LIVE)
    for view, option in ((uil, 2), (mol, 2), (das, 2)):
        cast(view, f"{'ABC'[option - 1]}. {FIRST.options[option - 1].label}")
    control(console, "Toon uitslag")
    expect(projector.locator(".shift")).to_contain_text("Verschuiving", timeout=LIVE)

    control(console, "Volg deze optie")  # the majority: B
    following = CARD.steps.get(FIRST.options[1].target) or CARD.endings[FIRST.options[1].target]
    for view in (uil, projector):
        expect(view.locator(".live-view h2")).to_contain_text(following.title, timeout=LIVE)

    uil.get_by_label("Zet iets op de parkeerplaats").fill("Bel de mentor op 06-12345678")
    uil.get_by_role("button", name="Parkeren").click()
    expect(uil.locator(".error")).to_contain_text("telefoonnummer")
    expect(uil.get_by_label("Zet iets op de parkeerplaats")).to_have_value("Bel de mentor op 06-12345678")
    uil.get_by_label("Zet iets op de parkeerplaats").fill("Mogen we de bank bellen zonder toestemming?")
    uil.get_by_role("button", name="Parkeren").click()
    expect(console.locator(".parking")).to_contain_text("Mogen we de bank bellen", timeout=LIVE)

    console.get_by_label("Wat spreken we af?").fill("Signalen van geldezels bespreken in het casusoverleg")
    console.get_by_label("Wie doet het? (een rol, geen naam)").select_option("jongerenwerker")
    console.get_by_label("Wanneer?").fill("binnen twee weken")
    console.get_by_role("button", name="Afspraak vastleggen").click()
    expect(console.locator("#afspraken table")).to_contain_text("binnen twee weken")

    console.once("dialog", lambda dialog: dialog.accept())
    control(console, "Sessie beëindigen")
    expect(console.get_by_role("heading", level=1)).to_contain_text("Verslag")
    expect(das.locator(".live-view h2")).to_contain_text("De sessie is afgelopen", timeout=LIVE)
    for view in (das, projector, console):
        assert axe_violations(view) == []

    report = console.request.get(console.url + ".md").text()
    assert "Ronde 1 (3 stemmen):" in report and "Ronde 2 (3 stemmen):" in report
    assert f"- A. {FIRST.options[0].label}: 2" in report and f"- C. {FIRST.options[2].label}: 1" in report
    assert f"- B. {FIRST.options[1].label}: 3" in report
    assert "Mogen we de bank bellen zonder toestemming?" in report and "binnen twee weken" in report
    for nickname in ("Uil", "Mol", "Das"):
        assert nickname not in report
