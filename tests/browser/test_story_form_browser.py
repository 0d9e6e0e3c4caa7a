"""The form for a story's header and closing in a browser: reached from the editor of a story draft, the
person, a role and the professional's view changed with its preview (following what is typed), a question added and moved and a
reporting route added, a save that keeps the scenes, an error that keeps what was typed; axe clean and
nothing scrolled sideways at 1366×768 and at 390×844."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from browsing import SHOTS, axe_violations, login, no_sideways_scrolling


def test_the_story_form_edits_header_questions_and_routes_at_both_sizes(page: Page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/eigen/")
    page.get_by_label("Naam (wordt het adres)").fill("verhaal-kop-in-browser")
    page.get_by_role("button", name="Nieuw verhaal").click()
    editor = page.url
    page.get_by_role("link", name="Kop en afsluiting van het verhaal bewerken").click()
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Een nieuw verhaal")
    assert axe_violations(page) == []
    page.get_by_label("Titel", exact=True).fill("Mo en de nieuwe scooter")
    page.get_by_label("Voornaam van de persoon").fill("Mo")
    page.get_by_label("Leeftijd").fill("17")
    page.locator("#rollen").get_by_label("Jongerenwerker").check()
    view = page.get_by_role("textbox", name="Blik van de professional")
    view.fill("De jongerenwerker zag de **nieuwe scooter** eerst.")
    preview = page.locator(".preview .prose")
    page.evaluate("window.zelfdePagina = true")
    view.press("End")
    view.type("\n\nHij vroeg Mo waar die vandaan kwam.")  # typed: the preview follows without a click
    expect(preview.locator("strong")).to_have_text("nieuwe scooter")
    expect(preview.locator("p")).to_have_count(2)
    assert page.evaluate("window.zelfdePagina === true")  # no page load; nothing saved (checked in the source below)
    page.get_by_role("button", name="Voorbeeld bijwerken").click()  # the button, as without scripts
    expect(preview.locator("p")).to_have_count(2)
    page.get_by_role("button", name="Vraag toevoegen").click()
    expect(page.get_by_text("Vraag 5 staat erbij.")).to_be_visible()
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Mo en de nieuwe scooter")
    page.locator("#vragen-4").get_by_label("Vraag").fill("Wat vraag jij als een jongere ineens veel geld heeft?")
    page.get_by_role("button", name="Vraag 5 omhoog").click()
    expect(page.locator("#vragen-3").get_by_label("Vraag")).to_have_value(
        "Wat vraag jij als een jongere ineens veel geld heeft?")
    page.get_by_role("button", name="Meldroute toevoegen").click()
    page.locator("#meldroutes-0").get_by_label("Meldroute").select_option("financiele-uitbuiting")
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "editor-verhaal-kop-1366.png"), full_page=True)
    page.get_by_label("Leeftijd").press("Enter")  # Enter in a field saves; it moves no question
    expect(page.get_by_text("Verhaal opgeslagen om")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(editor)
    source = page.locator("textarea[name=tekst]").input_value()
    assert 'titel: Mo en de nieuwe scooter' in source and "  naam: Mo\n  leeftijd: 17\n" in source
    assert "  - jongerenwerker" in source and "meldroutes:\n  - financiele-uitbuiting" in source
    assert "- Wat vraag jij als een jongere ineens veel geld heeft?\n- Wat zag jij als eerste?\n" in source
    assert "De jongerenwerker zag de **nieuwe scooter** eerst.\n\nHij vroeg Mo" in source
    assert "# Scène: Het begin" in source and "- bankpas: Wie zijn bankpas uitleent" in source

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Kop en afsluiting van het verhaal bewerken").click()
    page.get_by_label("Samenvatting").fill("")
    page.locator("#vragen-0").get_by_label("Vraag").fill("Mijn vraag, nog niet bewaard?")
    page.get_by_role("button", name="Verhaal opslaan").click()
    expect(page.get_by_text("Schrijf een korte samenvatting.").first).to_be_visible()
    expect(page.locator("#vragen-0").get_by_label("Vraag")).to_have_value("Mijn vraag, nog niet bewaard?")
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "editor-verhaal-kop-390.png"), full_page=True)
    page.locator("#persoon").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-verhaal-kop-390-persoon.png"))
    page.locator("#vragen-0").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "editor-verhaal-kop-390-vragen.png"))
