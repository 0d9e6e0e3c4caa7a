"""Helpers for the browser tests: logging in, running axe-core, and a live session's phones and console."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from support import PASSWORD
from support.library import BUNDLED_CONTENT

AXE = Path(__file__).parent.parent / "vendor" / "axe-core-4.14.1.min.js"


def login(page: Page, base: str, email: str = "lezer@example.org") -> None:
    page.goto(f"{base}/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Mijn voortgang").is_visible()


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core for WCAG 2.1 A and AA on the current page; return the violations."""
    # evaluate() runs outside the page's CSP, so the strict policy needs no exception for tests.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    # Mid-fade (the projector's fullscreen button fades out 3 s after the mouse stops) a control has a
    # contrast nobody reads; check the page as it settles.
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        resultTypes: ['violations']})""")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]]


FOCUSABLE = """() => {
    const visible = e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed';
    const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
        .filter(e => !e.disabled && visible(e));
    const radioGroups = new Set();
    return all.filter(e => {
        if (e.type !== 'radio') return true;
        if (radioGroups.has(e.name)) return false;
        radioGroups.add(e.name);
        return true;
    }).length;
}"""

ACTIVE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const style = getComputedStyle(e);
    return {key: e.outerHTML.slice(0, 200), outline: style.outlineStyle, shadow: style.boxShadow};
}"""


def tab_through(page: Page, limit: int = 300) -> list[dict]:
    """Press Tab from the top of the page until focus comes round again; return each stop."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active is None or (stops and active["key"] == stops[0]["key"]):
            break
        stops.append(active)
    return stops


def focusable_count(page: Page) -> int:
    return page.evaluate(FOCUSABLE)


SCREEN_METRICS = """() => {
    const page = document.documentElement;
    const main = document.querySelector('.screen-main');
    const texts = [...document.querySelectorAll('body *')].filter(e => {
        if (e.closest('.visually-hidden') || !e.getClientRects().length) return false;
        const style = getComputedStyle(e);
        if (style.visibility === 'hidden' || style.display === 'none') return false;
        return [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    });
    const size = e => parseFloat(getComputedStyle(e).fontSize);
    const question = document.querySelector('.screen-question');
    const qr = document.querySelector('.qr');
    // Text that runs out of its own box ("4 (100%" cut by the next column) or off the screen.
    const clipped = texts.filter(e => {
        const range = document.createRange();
        range.selectNodeContents(e);
        const text = range.getBoundingClientRect(), box = e.getBoundingClientRect();
        return text.right > Math.min(box.right, innerWidth) + 1;
    }).map(e => e.textContent.trim().slice(0, 40));
    return {scrollHeight: page.scrollHeight, height: innerHeight, scrollWidth: page.scrollWidth, width: innerWidth,
            mainOverflow: main ? main.scrollHeight - main.clientHeight : 0,
            smallest: Math.min(...texts.map(size)),
            smallestText: texts.sort((a, b) => size(a) - size(b))[0]?.textContent.trim().slice(0, 40),
            question: question ? size(question) : null, clipped,
            qrHeight: qr ? qr.getBoundingClientRect().height : null};
}"""


def screen_metrics(page: Page) -> dict:
    """What the room sees of the projector: overflow, the smallest and the question's type, the QR size."""
    page.wait_for_timeout(150)  # let screen.js fit the new moment
    return page.evaluate(SCREEN_METRICS)


def smallest_allowed(height: int) -> float:
    """The room's smallest type: 28 px on 1080 lines, the same share of a smaller screen (18.7 px at 720)."""
    return 28 * min(height, 1080) / 1080 - 0.05


def assert_fits(page: Page, moment: str) -> dict:
    """Nothing of the projector is off-screen or cut, and no text is below 28 px at 1080 lines (the same share
    of the screen at 720)."""
    found = screen_metrics(page)
    assert found["scrollHeight"] <= found["height"] and found["scrollWidth"] <= found["width"], (moment, found)
    assert found["mainOverflow"] <= 1, (moment, found)
    assert found["clipped"] == [], (moment, found)
    assert found["smallest"] >= smallest_allowed(found["height"]), (moment, found)
    return found


def no_sideways_scrolling(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")


def add_to_plan(page: Page, kind: str, ref: str, minutes: int | None = None, scenes: str = "") -> None:
    """On a plan's page, add a story (`verhaal`) or a card (`dilemma`) with its own form, and wait until
    the agenda shows it (the form is sent without a page load)."""
    section = page.get_by_role("region", name="Een verhaal" if kind == "verhaal" else "Een dilemmakaart")
    select = section.get_by_label("Verhaal" if kind == "verhaal" else "Dilemmakaart", exact=True)
    select.select_option(f"{kind}:{ref}")
    title = select.locator("option:checked").inner_text().split(" (")[0]
    if scenes:
        section.get_by_label("Welke scènes?").fill(scenes)
    if minutes is not None:
        section.get_by_label("Minuten").fill(str(minutes))
    count = page.locator(".plan-item").count()
    section.get_by_role("button", name="Voeg").click()
    page.locator(".plan-item").nth(count).wait_for()
    assert title in page.locator(".plan-item").nth(count).inner_text()


def add_part(page: Page, part: str) -> None:
    """On a plan's page, add a welcome, closing or agreements part (`afspraken`), and wait until the agenda shows it
    (the form is sent without a page load, and a second part chosen before the first arrives would be lost)."""
    count = page.locator(".plan-item").count()
    section = page.get_by_role("region", name="Welkom, afsluiting of afspraken")
    section.get_by_label("Onderdeel").select_option(part)
    section.get_by_role("button", name="Voeg het onderdeel toe").click()
    expect(page.locator(".plan-item")).to_have_count(count + 1)


def new_plan(page: Page, base: str, title: str) -> None:
    """Make an empty plan (only the welcome) and land on its page."""
    page.goto(f"{base}/sessies/plannen/")
    page.get_by_label("Naam van het plan").fill(title)
    page.get_by_role("button", name="Plan maken").click()
    page.get_by_role("heading", name="Agenda").wait_for()


# The live session in browsers: the card it plays, and the phones, console buttons and votes of the room.

LIBRARY = BUNDLED_CONTENT.load()  # the browser tests run on the bundled content, parsed once per run
CARD = LIBRARY.dilemmas["pas-uitgeleend"]
FIRST = CARD.steps[CARD.start]
LIVE = 5_000  # every view must follow within a second; allow some slack for a busy test machine
SHOTS = Path(os.environ.get("BRIL_SCREENSHOTS", "/tmp/bril-screenshots"))


def view(browser: Browser, width: int, height: int, silence_ms: int | None = None) -> Page:
    """A new browser of this size; `silence_ms` shortens how long live.js waits on a silent stream (8 s)."""
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    if silence_ms:
        context.add_init_script(f"window.brilSilenceMs = {int(silence_ms)};")
    return context.new_page()


def phone(browser: Browser, live_server: str, code: str, nickname: str, role: str | None = None,
          silence_ms: int | None = None, size: tuple[int, int] = (390, 844)) -> Page:
    page = view(browser, *size, silence_ms)
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
    """Press a console button by (the start of) its label, unfolding "Alle knoppen" when it is only there; the
    console does not reload."""
    button = console.locator("button:not([disabled])", has_text=label).first
    if not button.is_visible():
        all_buttons(console)
    button.click()


def all_buttons(console: Page) -> None:
    """Unfold "Alle knoppen" on the console, once its page has loaded (it stays open while the room moves on)."""
    details = console.locator("details.controls")
    for _ in range(20):  # a page still settling (its first live update) may render it anew once
        console.wait_for_load_state()
        details.evaluate("details => { details.open = true; }")
        console.wait_for_timeout(250)
        if details.evaluate("details => details.open"):
            return
    raise AssertionError("'Alle knoppen' does not stay open")


def cast(page: Page, letter: str, label: str) -> None:
    """Tap an option on a phone and wait for the acknowledgement."""
    page.get_by_role("button", name=f"Optie {letter}: {label}").click()
    expect(page.locator("[data-stem-status]")).to_contain_text(f"Je stem is binnen: {letter}")
