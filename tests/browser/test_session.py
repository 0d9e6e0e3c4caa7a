"""A whole team session in real browsers, at the sizes the room uses: a console (1366×768), two projectors
(1920×1080 and 1280×720) and three phones (390×844), all in step, measured at every moment."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from browsing import (CARD, FIRST, LIBRARY, LIVE, SHOTS, add_to_plan, all_buttons, assert_fits, axe_violations, cast,
                      control, login, new_plan, no_sideways_scrolling, phone, screen_metrics)


def press_next(console: Page, label: str) -> None:
    """The primary action, by its shortcut (→), after checking it is the one the console offers."""
    expect(console.locator("[data-primary]")).to_contain_text(label, timeout=LIVE)
    console.keyboard.press("ArrowRight")


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def in_step(pages: list[Page], phase: str) -> None:
    for page in pages:
        expect(page.locator(f".live-view[data-fase='{phase}']")).to_be_visible(timeout=LIVE)


def check_room(projectors: list[Page], phones: list[Page], console: Page, moment: str) -> None:
    """Every screen at this moment: the projectors fit, the phones do not scroll sideways, axe finds nothing."""
    for projector in projectors:
        assert_fits(projector, moment)
        shoot(projector, f"scherm-{moment}-{projector.viewport_size['height']}")
    for number, page in enumerate(phones):
        assert no_sideways_scrolling(page), moment
        if number == 0:
            shoot(page, f"telefoon-{moment}")
    shoot(console, f"console-{moment}")
    for page in (*projectors[:1], *phones[:1], console):
        assert axe_violations(page) == [], (moment, page.url)


def plan_one_item(console: Page, live_server: str, title: str, kind: str, ref: str, minutes: int,
                  scenes: str = "") -> None:
    """Log in as the facilitator at 1366×768 and make a plan with one item (after the welcome)."""
    console.set_viewport_size({"width": 1366, "height": 768})
    login(console, live_server, "begeleider@example.org")
    new_plan(console, live_server, title)
    add_to_plan(console, kind, ref, minutes, scenes)


def test_a_whole_session(browser: Browser, page: Page, live_server):
    console = page
    plan_one_item(console, live_server, "Ochtend over geldezels", "dilemma", CARD.slug, 30)
    expect(console.locator(".plan-agenda")).to_contain_text(CARD.title)
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    console_url = console.url

    projectors = [console.context.new_page(), console.context.new_page()]  # the facilitator's login
    for projector, (width, height) in zip(projectors, ((1920, 1080), (1280, 720))):
        projector.set_viewport_size({"width": width, "height": height})
        projector.goto(console_url + "/scherm")
        expect(projector.locator(".join-code")).to_have_text(code)
    big = projectors[0]
    expect(big.locator(".lobby h2")).to_have_text("Ochtend over geldezels")  # the room sees which session
    lobby = screen_metrics(big)
    assert lobby["qrHeight"] >= 1080 / 3, lobby

    uil = phone(browser, live_server, code, "Uil", "wijkagent")
    mol = phone(browser, live_server, code, "Mol", "wijkagent")
    das = phone(browser, live_server, code, "Das")
    phones = [uil, mol, das]
    expect(big.locator(".lobby-count")).to_contain_text("3 doen mee: 2× wijkagent", timeout=LIVE)
    check_room(projectors, phones, console, "1-lobby")

    console.evaluate("window.zonderHerladen = true")  # gone if the console page reloads
    press_next(console, "Naar het volgende onderdeel")
    in_step([*projectors, *phones, console], "situatie")
    expect(big.locator(".live-view h2")).to_contain_text(FIRST.title)
    check_room(projectors, phones, console, "2-situatie")

    # One dilemma step, from opening the vote to the next step: four presses of the primary action.
    press_next(console, "Open de stemming")
    in_step(phones, "stemmen")
    for page in phones:
        first = page.locator(".vote-option").first.bounding_box()
        assert first["y"] >= 0 and first["y"] + first["height"] <= 844, first
        heights = [box["height"] for box in (o.bounding_box() for o in page.locator(".vote-option").all())]
        assert min(heights) >= 44, heights
    assert screen_metrics(big)["question"] >= 40
    cast(uil, "A", FIRST.options[0].label)
    cast(mol, "B", FIRST.options[1].label)
    cast(das, "A", FIRST.options[0].label)
    cast(das, "B", FIRST.options[1].label)  # a changed vote
    expect(das.get_by_role("button", name=f"Optie B: {FIRST.options[1].label}")).to_have_attribute("aria-pressed", "true")
    expect(big.locator(".vote-count")).to_contain_text("3 van 3", timeout=LIVE)
    check_room(projectors, phones, console, "3-stemmen")

    press_next(console, "Sluit en toon de uitslag")
    in_step([*projectors, *phones], "uitslag")
    expect(big.locator(".bar-chart li").nth(1)).to_contain_text("2 (67%)")
    for projector in projectors:  # one track per chart, so bars compare; every option's text whole
        tracks = {round(bar.bounding_box()["width"]) for bar in projector.locator(".bar-chart .bar").all()}
        assert len(tracks) == 1, tracks
        assert projector.evaluate("() => [...document.querySelectorAll('.bar-label')].every("
                                  "e => e.scrollHeight <= e.clientHeight + 1)")
    expect(uil.locator("#live-melding")).to_contain_text("Uitslag", timeout=LIVE)
    check_room(projectors, phones, console, "4-uitslag")

    press_next(console, "Volg B")
    in_step([*projectors, *phones], "gevolg")
    expect(big.locator(".consequences")).to_contain_text(re.sub(r"[*_]", "", str(FIRST.options[1].client))[:30])
    check_room(projectors, phones, console, "5-gevolg")

    following = CARD.steps.get(FIRST.options[1].target)
    press_next(console, "Naar de volgende stap" if following else "Naar het einde van de kaart")
    in_step([*projectors, *phones], "situatie" if following else "einde")
    assert console.evaluate("window.zonderHerladen === true"), "de console laadde de pagina opnieuw"

    uil.get_by_label("Zet iets op de parkeerplaats").fill("Bel de mentor op 06-12345678")
    uil.get_by_role("button", name="Parkeren").click()
    expect(uil.locator(".error")).to_contain_text("telefoonnummer")
    expect(uil.get_by_label("Zet iets op de parkeerplaats")).to_have_value("Bel de mentor op 06-12345678")
    uil.get_by_label("Zet iets op de parkeerplaats").fill("Mogen we de bank bellen zonder toestemming?")
    uil.get_by_role("button", name="Parkeren").click()
    expect(console.locator(".parking")).to_contain_text("Mogen we de bank bellen", timeout=LIVE)

    console.get_by_label("Wat spreken we af?").fill("Signalen van geldezels bespreken in het overleg van het team")
    console.get_by_label("Wie doet het? (een rol, geen naam)").select_option("jongerenwerker")
    console.get_by_label("Wanneer?").fill("binnen twee weken")
    console.get_by_role("button", name="Afspraak vastleggen").click()
    expect(console.locator("#afspraken table")).to_contain_text("binnen twee weken")

    all_buttons(console)  # the rest of the buttons are folded away
    console.once("dialog", lambda dialog: dialog.accept())
    console.locator("button", has_text="Sessie beëindigen").first.click()
    expect(console.get_by_role("heading", level=1)).to_contain_text("Verslag")
    for page in phones:
        expect(page.locator(".live-view h2")).to_contain_text("Bedankt", timeout=LIVE)
        expect(page.get_by_label("Zet iets op de parkeerplaats")).to_be_hidden()
    in_step(projectors, "afgelopen")
    expect(big.locator(".agreements")).to_contain_text("binnen twee weken")
    check_room(projectors, phones, console, "6-afgelopen")

    report = console.request.get(console.url + ".md").text()
    assert "Ronde 1 (3 stemmen):" in report
    assert f"- A. {FIRST.options[0].label}: 1" in report and f"- B. {FIRST.options[1].label}: 2" in report
    assert "Mogen we de bank bellen zonder toestemming?" in report and "binnen twee weken" in report
    for nickname in ("Uil", "Mol", "Das"):
        assert nickname not in report


def test_a_scene_read_together(browser: Browser, page: Page, live_server):
    """ "Wat zie jij?" in the room: phones mark sentences, the projector shows the room's marks and the signals."""
    console = page
    plan_one_item(console, live_server, "Jeffrey samen lezen", "verhaal", "jeffrey", 15, scenes="1")
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    projectors = [console.context.new_page(), console.context.new_page()]
    for projector, (width, height) in zip(projectors, ((1920, 1080), (1280, 720))):
        projector.set_viewport_size({"width": width, "height": height})
        projector.goto(console.url + "/scherm")
    phones = [phone(browser, live_server, code, name) for name in ("Reiger", "Fuut")]
    scene = LIBRARY.stories["jeffrey"].scenes[0]
    signal = next(p for p in scene.passages if p.key == scene.signals[0].passage)
    other = next(p for p in scene.passages if p.key not in {s.passage for s in scene.signals})

    press_next(console, "Naar het volgende onderdeel")
    in_step([*projectors, *phones], "verhaal")
    check_room(projectors, phones, console, "7-verhaal")
    for page_, boxes in ((phones[0], [signal]), (phones[1], [signal, other])):
        for passage in boxes:
            page_.locator(f"input[name=zin][value='{passage.key}']").check()
        page_.get_by_role("button", name="Bewaar wat ik zie").click()
        expect(page_.locator("[data-zinnen-status]")).to_contain_text("Bewaard")
    expect(projectors[0].locator(".vote-count")).to_contain_text("2 van 2", timeout=LIVE)

    press_next(console, "Toon wat de groep zag")
    in_step([*projectors, *phones], "markeringen")
    expect(projectors[0].locator(".heat-count").first).to_be_visible()
    check_room(projectors, phones, console, "8-markeringen")

    press_next(console, "Toon de signalen")
    in_step([*projectors, *phones], "signalen")
    expect(projectors[0].locator(".signal-results")).to_contain_text("2 van 2")
    expect(phones[0].locator(".not-signals")).to_contain_text("(1×)")  # a phone shows all signals at once
    check_room(projectors, phones, console, "9-signalen")
    if projectors[0].locator(".kicker", has_text="deel 1 van").count():  # a long reveal is paged, not scrolled
        press_next(console, "Verder op het scherm: deel 2 van")
        expect(projectors[0].locator(".kicker", has_text="deel 2 van")).to_be_visible(timeout=LIVE)
    expect(projectors[0].locator(".not-signals")).to_contain_text("(1×)")
    check_room(projectors, phones, console, "9-signalen-deel-2")

    # The Leiden question round after the scene: phones answer, the facilitator puts an answer on the screen.
    control(console, "Vragenronde")
    in_step(phones, "signalen")
    expect(phones[0].locator(".question-round")).to_be_visible(timeout=LIVE)
    phones[0].get_by_label("Jouw antwoord (anoniem, zonder namen of nummers)").fill("Ik zou eerst met een collega praten")
    phones[0].get_by_role("button", name="Stuur mijn antwoord").click()
    expect(phones[0].locator("[data-post-status]")).to_contain_text("Je antwoord is binnen")
    expect(console.locator(".question-round")).to_contain_text("Ik zou eerst met een collega praten", timeout=LIVE)
    console.get_by_role("button", name="Zet op het scherm").click()
    expect(projectors[0].locator(".answers")).to_contain_text("Ik zou eerst met een collega praten", timeout=LIVE)
    answer = phones[1].locator(".answers li", has_text="Ik zou eerst met een collega praten")
    answer.get_by_role("button").click()
    expect(answer.locator("[data-post-status]")).to_contain_text("Genoteerd: jij ook")  # a visible reply
    expect(projectors[0].locator(".answers")).to_contain_text("1× ik ook", timeout=LIVE)
    answer.get_by_role("button").click()  # a second tap is not counted again, and says so politely
    expect(answer.locator("[data-post-status]")).to_contain_text("telde al mee")
    expect(projectors[0].locator(".answers")).to_contain_text("1× ik ook")
    check_room(projectors, phones, console, "10-vragenronde")


def test_the_console_works_as_a_remote_on_a_phone_and_phones_vote_by_keyboard(browser: Browser, page: Page,
                                                                              live_server):
    console = page
    plan_one_item(console, live_server, "Op afstand", "dilemma", CARD.slug, 30)
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    console.set_viewport_size({"width": 390, "height": 844})  # the facilitator walks around with a phone
    keyboard_phone = phone(browser, live_server, code, "Toets")
    press_next(console, "Naar het volgende onderdeel")
    in_step([console, keyboard_phone], "situatie")
    primary = console.locator("[data-primary]").bounding_box()
    assert primary["y"] + primary["height"] <= 844, primary  # the next step is within reach without scrolling
    assert no_sideways_scrolling(console)
    assert axe_violations(console) == []
    shoot(console, "console-telefoon")

    console.locator("[data-primary]").click()  # "Open de stemming", by tapping
    in_step([keyboard_phone], "stemmen")
    # A participant without a mouse or touch: Tab to the second option and press Enter.
    keyboard_phone.locator("body").focus()
    for _ in range(30):
        keyboard_phone.keyboard.press("Tab")
        if keyboard_phone.evaluate("document.activeElement.value") == "2":
            break
    keyboard_phone.keyboard.press("Enter")
    expect(keyboard_phone.locator("[data-stem-status]")).to_contain_text("Je stem is binnen: B")
    expect(keyboard_phone.locator("#live-melding")).to_contain_text("Je stem is binnen: B")
