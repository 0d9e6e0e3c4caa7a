"""Helpers for the browser tests: logging in and running axe-core."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

from support import PASSWORD

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
    return {scrollHeight: page.scrollHeight, height: innerHeight, scrollWidth: page.scrollWidth, width: innerWidth,
            mainOverflow: main ? main.scrollHeight - main.clientHeight : 0,
            smallest: Math.min(...texts.map(size)),
            smallestText: texts.sort((a, b) => size(a) - size(b))[0]?.textContent.trim().slice(0, 40),
            question: question ? size(question) : null,
            qrHeight: qr ? qr.getBoundingClientRect().height : null};
}"""


def screen_metrics(page: Page) -> dict:
    """What the room sees of the projector: overflow, the smallest and the question's type, the QR size."""
    page.wait_for_timeout(150)  # let screen.js fit the new moment
    return page.evaluate(SCREEN_METRICS)


def assert_fits(page: Page, moment: str) -> dict:
    """Nothing of the projector is off-screen, and at 1080 lines no text is below 28 px."""
    found = screen_metrics(page)
    assert found["scrollHeight"] <= found["height"] and found["scrollWidth"] <= found["width"], (moment, found)
    assert found["mainOverflow"] <= 1, (moment, found)
    if found["height"] >= 1080:
        assert found["smallest"] >= 28, (moment, found)
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


def new_plan(page: Page, base: str, title: str) -> None:
    """Make an empty plan (only the welcome) and land on its page."""
    page.goto(f"{base}/sessies/plannen/")
    page.get_by_label("Naam van het plan").fill(title)
    page.get_by_role("button", name="Plan maken").click()
    page.get_by_role("heading", name="Agenda").wait_for()
