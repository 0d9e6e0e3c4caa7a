"""The editor's lists follow the text as it autosaves: a scene renamed or added in the text of a story, and a
step added and an ending left unreached in the text of a card, show in the list of scenes, the list of steps
and endings, the shape's counts and the route map without the page being loaded again, and a keyboard user
on the list keeps their place; axe clean after the redraw at 1366×768 and at 390×844."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from browsing import SHOTS, axe_violations, login, no_sideways_scrolling

NEW_SCENE = """

# Scène: Een nieuwe scène uit de tekst

Sam staat bij de bushalte. [[Hij draagt een dure jas.|dure-jas]] Hij wacht.

## Signalen

- dure-jas: Dure spullen zonder werk kunnen een teken zijn.
"""

NEW_STEP = """
# Stap tweede: Een tweede gesprek

## Situatie

Een week later zie je het opnieuw.

## Vraag

Wat doe je nu?

## Opties

- Je belt de wijkagent. → einde-samen
  - Cliënt: De cliënt schrikt.
  - Systeem: De buren voelen zich gehoord.
- Je wacht nog even. → einde-samen
  - Cliënt: Er verandert niets.
  - Systeem: De zorgen blijven.

## Gespreksvragen

- Wat weegt voor jou het zwaarst?
- Met wie overleg je eerst?
"""


def load_marker(page: Page) -> None:
    """Mark the page: a load of the page would wipe the mark."""
    page.evaluate("() => { window.notLoadedAgain = true; }")


def typed(page: Page, change) -> None:
    area = page.get_by_label("Tekst van het bestand")
    area.fill(change(area.input_value()))
    expect(page.locator("#opgeslagen")).to_contain_text("Opgeslagen om")


def test_the_scene_list_follows_the_autosaved_text(page: Page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/eigen/")
    page.get_by_label("Naam (wordt het adres)").fill("lijst-van-scenes")
    page.get_by_role("button", name="Nieuw verhaal").click()
    scenes = page.locator("#scenes")
    expect(scenes.get_by_role("listitem")).to_have_count(3)
    load_marker(page)
    typed(page, lambda text: text.replace("# Scène: Een week later", "# Scène: Een maand later")
          .replace("# Blik van de professional", NEW_SCENE.strip() + "\n\n# Blik van de professional"))
    expect(scenes.get_by_role("listitem")).to_have_count(4)
    expect(scenes.get_by_role("listitem").nth(1)).to_contain_text("Een maand later")
    expect(scenes.get_by_role("link", name="Bewerk scène 4 met het formulier")).to_be_visible()
    expect(scenes.get_by_role("button", name="Scène 4 weghalen")).to_be_visible()
    assert page.evaluate("() => window.notLoadedAgain === true")
    assert axe_violations(page) == []
    scenes.screenshot(path=str(SHOTS / "editor-scenes-na-autosave-1366.png"))
    # A keyboard user who went on to the list before the save came back stays on the same button.
    area = page.get_by_label("Tekst van het bestand")
    area.fill(area.input_value().replace("# Scène: Het telefoontje", "# Scène: Het late telefoontje"))
    scenes.get_by_role("button", name="Scène 2 omlaag").focus()
    expect(scenes.get_by_role("listitem").nth(2)).to_contain_text("Het late telefoontje")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "Scène 2 omlaag"
    scenes.get_by_role("button", name="Scène 4 omhoog").click()  # the redrawn buttons work
    expect(page.get_by_text("De scène staat een plek hoger.")).to_be_visible()
    expect(scenes.get_by_role("listitem").nth(2)).to_contain_text("Een nieuwe scène uit de tekst")
    expect(scenes.get_by_role("listitem").nth(3)).to_contain_text("Het late telefoontje")


def test_the_steps_endings_counts_and_map_follow_the_autosaved_text(page: Page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/eigen/")
    page.get_by_label("Naam (wordt het adres)").fill("lijst-van-stappen")
    page.get_by_role("button", name="Nieuwe kaart").click()
    shape = page.locator("#vorm")
    expect(shape.locator("#stappen-kop + p + ol > li")).to_have_count(1)
    load_marker(page)
    # A second step that every option of the first now leads to: the ending "einde-wachten" is left unreached.
    typed(page, lambda text: text.replace("→ einde-wachten", "→ tweede").replace("# Einde einde-samen",
                                                                                  NEW_STEP.strip() + "\n\n# Einde einde-samen"))
    expect(shape.locator("#stappen-kop + p + ol > li")).to_have_count(2)
    expect(shape.get_by_role("link", name="Bewerk stap tweede met het formulier")).to_be_visible()
    counts = shape.locator("dl.counts")
    expect(counts).to_contain_text("einde-wachten")  # Eindes waar je nooit komt
    expect(counts).to_contain_text("2 keuzes")  # the longest route
    expect(shape.locator(".dilemma-map")).to_contain_text("Een tweede gesprek")
    assert page.evaluate("() => window.notLoadedAgain === true")
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    shape.screenshot(path=str(SHOTS / "editor-vorm-na-autosave-390.png"))
