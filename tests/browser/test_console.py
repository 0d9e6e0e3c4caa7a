"""The console at 1366×768: at every moment of a session the primary action and the tools of that moment
(console.TOOLS) stand in the first screen, and no action of the facilitator loads a page."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from browsing import CARD, LIVE, SHOTS, add_part, add_to_plan, all_buttons, axe_violations, login, new_plan, phone

FOLD = 768


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"console-{name}.png"))


def first_screen(console: Page) -> dict[str, float]:
    """The bottom edge of the primary action and of each tool of the moment, on a console scrolled to the top."""
    console.evaluate("window.scrollTo(0, 0)")
    boxes = {"primary": console.locator("[data-primary]").bounding_box()}
    for number, tool in enumerate(console.locator("[data-moment-tool]").all()):
        boxes[f"{tool.get_attribute('data-moment-tool')}-{number}"] = tool.bounding_box()
    return {name: box["y"] + box["height"] for name, box in boxes.items()}


def assert_first_screen(console: Page, moment: str, *expected: str) -> None:
    tools = [tool.get_attribute("data-moment-tool") for tool in console.locator("[data-moment-tool]").all()]
    assert set(expected) <= set(tools), (moment, tools)
    bottoms = first_screen(console)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with (SHOTS / "console-first-screen.txt").open("a", encoding="utf-8") as log:  # the figures, for a report
        log.write(f"{moment}: {max(bottoms.values()):.0f} px of {FOLD}; page "
                  f"{console.evaluate('document.documentElement.scrollHeight')} px\n")
    if not all(bottom <= FOLD for bottom in bottoms.values()):
        shoot(console, f"fold-{moment}")
    assert all(bottom <= FOLD for bottom in bottoms.values()), (moment, bottoms)


def press(console: Page) -> str:
    """→ on the console; wait for the next version and return the phase it shows."""
    return press_key(console, "ArrowRight")


def press_key(console: Page, key: str) -> str:
    version = console.locator(".console-view").get_attribute("data-versie")
    console.keyboard.press(key)
    expect(console.locator(".console-view")).not_to_have_attribute("data-versie", version, timeout=LIVE)
    return console.locator(".console-view").get_attribute("data-fase")


def test_every_moment_in_the_first_screen_and_no_page_loads(browser: Browser, page: Page, live_server):
    console = page
    console.set_viewport_size({"width": 1366, "height": 768})
    login(console, live_server, "begeleider@example.org")
    new_plan(console, live_server, "Eerste scherm")
    add_to_plan(console, "verhaal", "jeffrey", 10, scenes="1")
    add_to_plan(console, "dilemma", CARD.slug, 30)
    add_part(console, "afspraken")
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    loads: list[str] = []
    console.on("framenavigated", lambda frame: loads.append(frame.url) if frame == console.main_frame else None)
    phones = [phone(browser, live_server, code, name, role) for name, role in (("Reiger", "wijkagent"),
                                                                                ("Fuut", "klantmanager"))]
    expect(console.locator(".console-view .status")).to_contain_text("2 deelnemers", timeout=LIVE)
    assert_first_screen(console, "welkom")

    # The participant list: remove and let back in, without a page load on the console or the phone.
    console.get_by_role("button", name="Verwijder Fuut").click()
    expect(console.get_by_role("button", name="Laat weer toe Fuut")).to_be_visible(timeout=LIVE)
    removed = phones[1].locator("[data-live-inhoud] .notice")
    expect(removed).to_have_text("De procesbegeleider heeft je uit deze sessie gehaald.", timeout=LIVE)
    console.get_by_role("button", name="Laat weer toe Fuut").click()
    expect(console.get_by_role("button", name="Verwijder Fuut")).to_be_visible(timeout=LIVE)
    # The phone asks every few seconds whether it may come back, and then follows the room again.
    expect(phones[1].locator(".live-view.phone-view")).to_be_visible(timeout=LIVE + 6_000)
    expect(phones[1].get_by_text("uit deze sessie gehaald")).to_have_count(0)

    seen = set()
    phase = press(console)
    for _ in range(40):
        seen.add(phase)
        if phase == "verhaal":
            phones[0].locator("input[name=zin]").first.check()
            phones[0].get_by_role("button", name="Bewaar wat ik zie").click()
            expect(console.locator("[data-moment-tool=telling]")).to_contain_text("1 van 2 hebben aangevinkt",
                                                                                 timeout=LIVE)
            assert_first_screen(console, phase, "telling")
            shoot(console, "scene")
        elif phase == "situatie" and "vragenronde" not in seen:
            seen.add("vragenronde")
            console.keyboard.press("v")  # the question round, by its shortcut: its close is the primary now
            expect(console.locator("[data-primary]")).to_contain_text("Sluit de vragenronde", timeout=LIVE)
            question_round(console, phones)
            phase = press(console)  # closes the round
            continue
        elif phase == "situatie":
            assert_first_screen(console, phase, "aftellen")
        elif phase == "stemmen":
            for voter in phones:
                voter.locator(".vote-option").first.click()
                expect(voter.locator("[data-stem-status]")).to_contain_text("Je stem is binnen: A")
            expect(console.locator("[data-moment-tool=telling]")).to_contain_text("2 van 2 hebben gestemd",
                                                                                 timeout=LIVE)
            assert_first_screen(console, phase, "telling")
            shoot(console, "vote-open")
        elif phase == "uitslag":
            assert_first_screen(console, phase, "volgen", "tweede-ronde")
            expect(console.locator("[data-moment-tool=tweede-ronde]")).to_contain_text("Stem nog een keer")
            if "uitslag-1" not in seen:
                seen.add("uitslag-1")
                shoot(console, "results")
                assert axe_violations(console) == []
        elif phase == "gevolg":
            assert_first_screen(console, phase)
            shoot(console, "consequence")
        elif phase == "afspraken":
            assert_first_screen(console, phase, "afspraak")
            shoot(console, "agreements")
            break
        else:
            assert_first_screen(console, phase)
        phase = press(console)
    assert {"verhaal", "markeringen", "signalen", "situatie", "stemmen", "uitslag", "gevolg", "einde"} <= seen, seen

    agreements(console)
    # Back into the card, and on without its ending: the console asks to confirm, in the page.
    assert press_key(console, "ArrowLeft") == "situatie"
    all_buttons(console)
    console.once("dialog", lambda dialog: dialog.accept())
    console.get_by_role("button", name="Verder zonder einde van de kaart").click()
    expect(console.locator(".console-view")).to_have_attribute("data-fase", "afspraken", timeout=LIVE)
    parking(console, phones[0])
    assert loads == [], loads  # not one page load through all of the facilitator's actions


def question_round(console: Page, phones: list[Page]) -> None:
    """Answers come in; sorted by "ik ook" the most supported comes first, on the console and the projector."""
    assert_first_screen(console, "vragenronde", "volgorde", "antwoorden")
    for page, text in zip(phones, ("Eerst de bank bellen", "Eerst met een collega praten")):
        page.get_by_label("Jouw antwoord (anoniem, zonder namen of nummers)").fill(text)
        page.get_by_role("button", name="Stuur mijn antwoord").click()
        expect(page.locator("[data-post-status]")).to_contain_text("Je antwoord is binnen")
    answers = console.locator("[data-moment-tool=antwoorden] .answer-text")
    expect(answers).to_have_text(["Eerst de bank bellen", "Eerst met een collega praten"], timeout=LIVE)
    for button in console.get_by_role("button", name="Zet op het scherm").all():
        button.click()
    expect(console.get_by_role("button", name="Haal van het scherm")).to_have_count(2, timeout=LIVE)
    for page in phones:
        page.locator(".answers li", has_text="met een collega").get_by_role("button", name=re.compile("Ik ook")).click()
        expect(page.locator(".answers li", has_text="met een collega")).to_contain_text("Genoteerd")
    expect(console.locator("[data-moment-tool=antwoorden]")).to_contain_text("2× ik ook", timeout=LIVE)
    assert_first_screen(console, "vragenronde")
    shoot(console, "question-round")
    console.locator("[data-moment-tool=volgorde] button").click()
    expect(answers).to_have_text(["Eerst met een collega praten", "Eerst de bank bellen"], timeout=LIVE)
    expect(console.locator("[data-moment-tool=volgorde] button")).to_contain_text("volgorde van tijd")
    assert axe_violations(console) == []


def agreements(console: Page) -> None:
    """An agreement refused for personal data keeps what was typed, with the reason at its field; then it is kept."""
    form = console.locator("#afspraak-formulier")
    form.get_by_label("Wat spreken we af?").fill("Bel de mentor op 06-12345678")
    form.get_by_label("Wanneer?").fill("binnen twee weken")
    form.get_by_role("button", name="Afspraak vastleggen").click()
    expect(form.locator(".field .error")).to_contain_text("telefoonnummer")
    expect(form.get_by_label("Wat spreken we af?")).to_be_focused()
    expect(form.get_by_label("Wanneer?")).to_have_value("binnen twee weken")
    shoot(console, "agreement-refused")
    assert axe_violations(console) == []
    form.get_by_label("Wat spreken we af?").fill("Signalen van geldezels bespreken in het teamoverleg")
    form.get_by_label("Wie doet het? (een rol, geen naam)").select_option("jongerenwerker")
    form.get_by_role("button", name="Afspraak vastleggen").click()
    expect(console.locator("#afspraken table")).to_contain_text("binnen twee weken", timeout=LIVE)
    expect(form.get_by_label("Wanneer?")).to_have_value("")
    expect(form.locator(".field .error")).to_have_count(0)


def parking(console: Page, participant: Page) -> None:
    """The facilitator parks a question; a parked question is marked answered, everywhere it is listed."""
    console.get_by_label("Zet iets op de parkeerplaats").fill("Mogen we de bank bellen zonder toestemming?")
    console.get_by_role("button", name="Parkeren", exact=True).click()
    item = console.locator(".parking li", has_text="Mogen we de bank bellen")
    expect(item).to_be_visible(timeout=LIVE)
    expect(console.get_by_label("Zet iets op de parkeerplaats")).to_have_value("")
    item.get_by_role("button", name=re.compile("^Beantwoord")).click()
    expect(item.locator(".tag.done")).to_have_text("beantwoord", timeout=LIVE)
    assert axe_violations(console) == []
    report = console.request.get(console.url + "/verslag.md").text()
    assert "Mogen we de bank bellen zonder toestemming? (beantwoord)" in report


def test_a_vote_counts_down_on_projector_and_phone_and_closes_at_zero(browser: Browser, page: Page, live_server):
    console = page
    console.set_viewport_size({"width": 1366, "height": 768})
    console.context.clock.install()  # the console's clock can jump to the end of the countdown
    login(console, live_server, "begeleider@example.org")
    new_plan(console, live_server, "Aftellen")
    add_to_plan(console, "dilemma", CARD.slug, 30)
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    projector = console.context.new_page()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(console.url + "/scherm")
    participant = phone(browser, live_server, code, "Reiger")
    participant.context.clock.install()
    participant.reload()
    loads: list[str] = []
    console.on("framenavigated", lambda frame: loads.append(frame.url) if frame == console.main_frame else None)

    # The speaker: only the chosen phone says so; the projector names nobody. The console offers the
    # choice once its own screen knows someone joined (until then S does nothing, as it should).
    expect(console.locator("button[data-sneltoets='S']")).to_be_enabled(timeout=LIVE)
    console.keyboard.press("s")
    expect(participant.locator("[data-gekozen]")).to_be_visible(timeout=LIVE)
    expect(participant.locator("[data-gekozen]")).to_have_text("Jij bent gevraagd iets te zeggen.")
    expect(projector.locator(".speaker")).to_have_text("Er is iemand gekozen om iets te zeggen.", timeout=LIVE)
    assert "Reiger" not in projector.locator(".live-view").inner_text()
    assert axe_violations(participant) == []

    assert press(console) == "situatie"
    expect(participant.locator("[data-gekozen]")).to_be_hidden(timeout=LIVE)  # the moment has passed
    console.get_by_label("Aftellen bij de stemming").select_option("30")
    assert press(console) == "stemmen"
    for view_, name in ((projector, "projector"), (participant, "phone")):
        countdown = view_.locator(".countdown")
        expect(countdown).to_have_text(re.compile(r"nog [12]?\d s"), timeout=LIVE)
        left = int(re.search(r"\d+", countdown.inner_text()).group())
        assert 15 <= left <= 30, left
        fewer = "|".join(str(n) for n in range(left - 3, left))
        expect(countdown).to_have_text(re.compile(rf"nog ({fewer}) s"), timeout=LIVE)  # it counts down
        SHOTS.mkdir(parents=True, exist_ok=True)
        view_.screenshot(path=str(SHOTS / f"countdown-{name}.png"))
        assert axe_violations(view_) == [], name
    box = participant.locator(".countdown").bounding_box()
    assert box["y"] + box["height"] <= 844, box  # with the options, in the phone's first screen
    expect(console.locator("[data-moment-tool=klok] .countdown")).to_have_text(re.compile(r"nog \d+ s"))
    assert_first_screen(console, "stemmen met aftellen", "telling", "klok")

    participant.clock.fast_forward(31_000)
    expect(participant.locator(".countdown")).to_have_text("De tijd is om.")
    expect(participant.locator(".vote-option").first).to_be_disabled()
    console.clock.fast_forward(31_000)  # at zero the console closes the vote itself
    expect(console.locator(".console-view")).to_have_attribute("data-fase", "gesloten", timeout=LIVE)
    expect(console.locator("[data-primary]")).to_contain_text("Toon de uitslag")
    expect(projector.locator(".live-view")).to_have_attribute("data-fase", "gesloten", timeout=LIVE)
    assert loads == [], loads
