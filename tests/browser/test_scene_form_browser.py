"""The form for a story's scene in a browser: reached from the editor of a story draft, a new signal marked in
the prose and explained in its own field (its name fixed), scenes added, moved and removed from the editor, a save that keeps the rest of the story, an error that keeps what was typed; axe
clean and nothing scrolled sideways at 1366×768 and at 390×844."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from browsing import SHOTS, axe_violations, login, no_sideways_scrolling


def test_the_scene_form_marks_a_signal_and_saves_at_both_sizes(page: Page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/eigen/")
    page.get_by_label("Naam (wordt het adres)").fill("scene-in-browser")
    page.get_by_role("button", name="Nieuw verhaal").click()
    editor = page.url
    page.get_by_role("button", name="Scène toevoegen").click()
    expect(page.get_by_text("Er staat een nieuwe scène na de laatste scène.")).to_be_visible()
    page.get_by_role("button", name="Scène 4 omhoog").click()
    expect(page.get_by_text("De scène staat een plek hoger.")).to_be_visible()
    page.get_by_role("button", name="Scène 3 weghalen").click()
    expect(page.get_by_text("De scène is weg.")).to_be_visible()
    expect(page.get_by_role("link", name="Bewerk scène 4 met het formulier")).to_have_count(0)
    assert axe_violations(page) == []
    page.locator("#scenes-kop").locator("xpath=..").screenshot(path=str(SHOTS / "editor-scenes-lijst-1366.png"))
    page.get_by_role("link", name="Bewerk scène 2 met het formulier").click()
    expect(page.get_by_label("Titel van de scène")).to_have_value("Een week later")
    assert axe_violations(page) == []
    prose = page.get_by_label("Tekst van de scène")
    prose.fill(prose.input_value() + "\n\n[[Zijn nieuwe telefoon gaat steeds over.|telefoon]] Hij neemt niet op.")
    page.get_by_role("button", name="Vakken bijwerken").click()
    expect(page.get_by_text("Schrijf nu waarom dit een signaal is: ‘telefoon’.")).to_be_visible()
    expect(page.locator("#signalen").get_by_text("telefoon", exact=True)).to_be_visible()  # its name, not a field
    page.get_by_label("Waarom is ‘telefoon’ een signaal?").fill(
        "Wie steeds gebeld wordt en niet opneemt, kan onder druk staan.")
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "editor-scene-1366.png"), full_page=True)
    page.get_by_role("button", name="Scène opslaan").click()
    expect(page.get_by_text("Scène opgeslagen om")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(editor)
    source = page.locator("textarea[name=tekst]").input_value()
    assert "[[Zijn nieuwe telefoon gaat steeds over.|telefoon]] Hij neemt niet op.\n\n## Signalen" in source
    assert "- telefoon: Wie steeds gebeld wordt en niet opneemt, kan onder druk staan.\n\n# Scène: Het telefoontje" in source
    assert "# Scène: Het begin" in source

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Bewerk scène 1 met het formulier").click()
    page.get_by_label("Titel van de scène").fill("")
    prose = page.get_by_label("Tekst van de scène")
    prose.fill(prose.input_value() + " Mijn zin, nog niet bewaard.")
    page.get_by_role("button", name="Scène opslaan").click()
    expect(page.get_by_text("Geef de scène een titel.").first).to_be_visible()
    assert "Mijn zin, nog niet bewaard." in page.get_by_label("Tekst van de scène").input_value()
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "editor-scene-390.png"), full_page=True)
