"""A rehearsal in real browsers: the facilitator starts a plan with 30 simulated participants from the plan page
(console 1366×768), opens the projector (1920×1080), walks the plan and sees the counts rise as the simulated
people join, mark and vote; the "Oefensessie" tag shows on both without breaking the projector's fit."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from playwright.sync_api import Browser

from browsing import (CARD, LIVE, SHOTS, add_to_plan, assert_fits, axe_violations, login, new_plan,
                      no_sideways_scrolling, phone)

SIMULATED = 45_000  # thirty people join, mark and vote over several one-second ticks (about ten for all to join)


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"oefen-{name}.png"))


def counted(projector: Page) -> int:
    return int(projector.locator("[data-stemmen]").inner_text())


def rises(projector: Page, above: int = 0) -> None:
    """The projector's count of who marked or voted climbs past `above` without a new moment."""
    projector.wait_for_function(f"() => +document.querySelector('[data-stemmen]')?.textContent > {above}",
                                timeout=SIMULATED)


def test_a_rehearsal_with_thirty_simulated_participants(browser: Browser, page: Page, live_server):
    console = page
    console.set_viewport_size({"width": 1366, "height": 768})
    login(console, live_server, "begeleider@example.org")
    new_plan(console, live_server, "Oefenen voor dinsdag")
    add_to_plan(console, "verhaal", "jeffrey", 10, "1")
    add_to_plan(console, "dilemma", CARD.slug, 30)
    console.get_by_text("Oefenen zonder groep").click()
    expect(console.get_by_label("Hoeveel nagespeelde deelnemers?")).to_have_value("30")
    shoot(console, "plan")
    assert axe_violations(console) == []
    console.get_by_role("button", name="Start een oefensessie").click()
    expect(console.locator(".rehearsal-bediening")).to_contain_text("Oefensessie: 30 nagespeelde deelnemers")

    projector = console.context.new_page()  # the facilitator's login
    projector.set_viewport_size({"width": 1920, "height": 1080})
    projector.goto(console.url + "/scherm")
    expect(projector.locator(".screen-footer .rehearsal-tag")).to_have_text("Oefensessie")
    projector.wait_for_function("() => +document.querySelector('.lobby-count strong').textContent >= 10",
                                timeout=SIMULATED)
    early = int(projector.locator(".lobby-count strong").inner_text())
    expect(projector.locator(".lobby-count strong")).to_have_text("30", timeout=SIMULATED)
    assert early >= 10  # joined over several ticks, seen on the way
    expect(projector.locator(".lobby-count")).to_contain_text("×")  # with their roles
    code = projector.locator(".join-code").inner_text()
    colleague = phone(browser, live_server, code, "Collega", "wijkagent")  # a colleague tries along, at 390×844
    small = phone(browser, live_server, code, "Klein")
    small.set_viewport_size({"width": 360, "height": 640})
    for name, seen in (("telefoon-390", colleague), ("telefoon-360", small)):
        expect(seen.locator(".site-header .rehearsal-tag")).to_have_text("Oefensessie")
        assert no_sideways_scrolling(seen)
        shoot(seen, name)
    assert axe_violations(small) == []
    assert_fits(projector, "oefen-lobby")
    shoot(projector, "lobby-1080")
    shoot(console, "lobby")
    assert axe_violations(projector) == [] and axe_violations(console) == []

    console.keyboard.press("ArrowRight")  # to the scene: the simulated people mark sentences
    expect(projector.locator(".live-view[data-fase='verhaal']")).to_be_visible(timeout=LIVE)
    rises(projector)
    first = counted(projector)
    rises(projector, first)  # still rising: not everyone at once
    assert_fits(projector, "oefen-verhaal")
    shoot(projector, "verhaal-1080")
    console.keyboard.press("ArrowRight")  # what the group saw: the heat map
    expect(projector.locator(".live-view[data-fase='markeringen']")).to_be_visible(timeout=LIVE)
    expect(projector.locator(".heat, mark, .marked").first).to_be_visible(timeout=LIVE)
    shoot(projector, "markeringen-1080")

    while not projector.locator(".live-view[data-fase='situatie']").is_visible():
        console.keyboard.press("ArrowRight")  # on through the signals to the card's first step
        projector.wait_for_timeout(400)
    expect(console.locator("[data-primary]")).to_contain_text("Open de stemming", timeout=LIVE)
    console.keyboard.press("ArrowRight")
    expect(projector.locator(".live-view[data-fase='stemmen']")).to_be_visible(timeout=LIVE)
    rises(projector, 15)
    assert_fits(projector, "oefen-stemmen")
    shoot(projector, "stemmen-1080")
    shoot(console, "stemmen")
    assert axe_violations(console) == []
    console.keyboard.press("ArrowRight")  # close
    console.keyboard.press("ArrowRight")  # and show the result
    expect(projector.locator(".live-view[data-fase='uitslag']")).to_be_visible(timeout=LIVE)
    result = projector.locator(".live-view").inner_text()
    assert len(re.findall(r"\b\d+%", result)) >= 2, result  # spread over more than one option
    assert_fits(projector, "oefen-uitslag")
    shoot(projector, "uitslag-1080")
