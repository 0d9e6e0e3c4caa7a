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
