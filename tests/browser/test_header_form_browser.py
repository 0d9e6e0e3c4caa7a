"""The form for a card's header in a browser: reached from the editor, a rule added and moved in place, a
save that keeps the rest of the card, an error that keeps what was typed; axe clean and nothing scrolled
sideways at 1366×768 and at 390×844."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from browsing import SHOTS, axe_violations, login, no_sideways_scrolling


def test_the_header_form_adds_and_moves_a_rule_and_saves_at_both_sizes(page: Page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/eigen/")
    page.get_by_label("Naam (wordt het adres)").fill("kop-in-browser")
    page.get_by_role("button", name="Nieuwe kaart").click()
    editor = page.url
    page.get_by_role("link", name="Kop van de kaart bewerken").click()
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Een nieuwe dilemmakaart")
    assert axe_violations(page) == []
    page.get_by_label("Titel", exact=True).fill("Dure schoenen en een telefoon die steeds gaat")
    page.get_by_role("button", name="Regel toevoegen").click()
    expect(page.get_by_text("Regel 2 staat erbij.")).to_be_visible()
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Dure schoenen en een telefoon die steeds gaat")
    rule = page.locator("#regel-2")
    rule.get_by_label("Naam van de regel").fill("De meldcode")
    rule.get_by_label("Uitleg").fill("Bij zorgen over een kind volg je de stappen van de meldcode.")
    rule.get_by_label("Bron (wet of richtlijn, met artikel)").fill("Wet verplichte meldcode (2013)")
    page.get_by_role("button", name="Regel 2 omhoog").click()
    expect(page.locator("#regel-1").get_by_label("Naam van de regel")).to_have_value("De meldcode")
    page.get_by_label("Armoede").check()
    page.screenshot(path=str(SHOTS / "editor-kop-1366.png"), full_page=True)
    page.get_by_label("Titel", exact=True).press("Enter")  # Enter in a field saves; it moves no rule
    expect(page.get_by_text("Kop opgeslagen om")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(editor)
    source = page.locator("textarea[name=tekst]").input_value()
    assert "titel: Dure schoenen en een telefoon die steeds gaat" in source and "  - armoede" in source
    assert source.index("naam: De meldcode") < source.index("naam: Het beroepsgeheim en de AVG")
    assert "Beschrijf hier wat de professional ziet of hoort." in source

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Kop van de kaart bewerken").click()
    page.get_by_label("Samenvatting").fill("")
    page.get_by_label("Doel").fill("Mijn doel, nog niet bewaard.")
    page.get_by_role("button", name="Kop opslaan").click()
    expect(page.get_by_text("Schrijf een korte samenvatting.").first).to_be_visible()
    expect(page.get_by_label("Doel")).to_have_value("Mijn doel, nog niet bewaard.")
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "editor-kop-390.png"), full_page=True)
    page.locator("#themas").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-kop-390-themas.png"))
