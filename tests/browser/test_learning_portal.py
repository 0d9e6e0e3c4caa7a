"""The beheerder's page for the learning portal (/beheer/leerportaal): no axe violation in its empty, error
and waiting states, what was typed stays after an error, and it fits a laptop and a phone."""
from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from browsing import axe_violations, login

# A public address written as such, so no name needs resolving; nothing is ever sent from this server.
PUBLIC_STORE = "https://93.184.215.14/xAPI/"


@pytest.mark.parametrize("size", [{"width": 1366, "height": 768}, {"width": 390, "height": 844},
                                  {"width": 360, "height": 640}], ids=["laptop", "telefoon", "kleine-telefoon"])
def test_the_learning_portal_page_has_no_violations_and_keeps_what_was_typed(page: Page, live_server, size):
    page.set_viewport_size(size)
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/organisatie")
    page.get_by_role("link", name="Stuur resultaten naar het leerportaal van Gemeente Proefdorp").click()
    expect(page.get_by_role("heading", name="Resultaten naar het leerportaal")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Adres van de leeromgeving (xAPI-endpoint)").fill("http://127.0.0.1/xAPI/")
    page.get_by_label("Sleutel (gebruikersnaam)").fill("bril")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Adres van de leeromgeving (xAPI-endpoint)")).to_have_value("http://127.0.0.1/xAPI/")
    expect(page.get_by_label("Sleutel (gebruikersnaam)")).to_have_value("bril")
    assert axe_violations(page) == []
    shot(page, f"fout-{size['width']}")

    page.get_by_label("Adres van de leeromgeving (xAPI-endpoint)").fill(PUBLIC_STORE)
    page.get_by_label("Geheim (wachtwoord)").fill("Zeg-het-niet-42")
    page.get_by_label("Resultaten naar het leerportaal sturen").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Resultaten gaan nu naar de leeromgeving.")).to_be_visible()
    walk_first_option(page, live_server)  # a walk of the beheerder's own: the choice waits to be sent
    page.goto(f"{live_server}/beheer/leerportaal")
    expect(page.locator("ul.queue li").first).to_be_visible()
    expect(page.get_by_role("button", name="Opnieuw proberen")).to_be_visible()
    assert "Zeg-het-niet-42" not in page.content()
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], "de pagina schuift opzij"
    shot(page, f"wacht-{size['width']}")
    page.get_by_label("Resultaten naar het leerportaal sturen").uncheck()  # leave the shared server as it was
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Versturen staat nog uit.")).to_be_visible()


def walk_first_option(page: Page, base: str) -> None:
    """Start the first card on the list and take its first option."""
    page.goto(f"{base}/dilemmas/")
    page.locator("main a[href^='/dilemmas/']").first.click()
    page.get_by_role("button", name=re.compile("^(Begin met de kaart|Opnieuw beginnen)$")).click()
    page.locator("input[name='optie']").first.check()
    page.get_by_role("button", name="Kies deze optie").click()
    page.wait_for_load_state()


def shot(page: Page, name: str) -> None:
    """A screenshot to look at, when BRIL_SCREENSHOTS names a folder."""
    folder = os.environ.get("BRIL_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/leerportaal-{name}.png", full_page=True)
