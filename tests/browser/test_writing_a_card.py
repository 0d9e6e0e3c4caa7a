"""The editor of own cards in a real browser: a beheerder makes a colleague author, builds a card of three
steps, two endings and a kader rule, sees a problem beside its line, goes to it, fixes it and sends the card
to review; the colleague approves and publishes it, and walks it alone. At 1366×768, axe on every new page."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from browsing import SHOTS, axe_violations, login

STEP = """# Stap {id}: {title}

## Situatie

{situation}

## Vraag

Wat doe je?

## Opties

- {first} → {first_to}
  - Cliënt: De bewoner merkt er nog weinig van.
  - Systeem: Je collega's weten nu wat jij weet.
- {second} → {second_to}
  - Cliënt: Er verandert niets voor de bewoner.
  - Systeem: De signalen blijven los van elkaar liggen.

## Gespreksvragen

- Wat zag je precies?
- Wie is hiervan?
"""

CARD = """---
titel: Een schuur vol planten
samenvatting: Bij een huisbezoek ruik je iets vreemds. Wat doe je met wat je ruikt?
rol: wmo-consulent
themas:
  - niet-pluis
verhalen:
  - harrie
handelingsopties:
  - Schrijf op wat je zag, hoorde en rook.
leeswijzer:
  doel: Oefenen met een signaal dat nog geen feit is.
  groepsgrootte: 3 tot 10 deelnemers
  tijd: 30
  aanpak: Lees de stap voor, laat iedereen kiezen en bespreek de gevolgen.
  valkuilen:
    - Het gevoel wegwuiven omdat er geen bewijs is.
  tijd_per_stap:
    geur: 10
    collega: 10
    overleg: 10
  nabespreking: Wat doe je morgen anders?
  alleen: Lees de stappen en schrijf bij elke keuze op wat je zou doen.
  team: Laat iedereen eerst alleen kiezen en bespreek dan de verschillen.
  grote_zaal: Laat de zaal stemmen op de telefoon.
  doorgeven: Speel de kaart deze maand met je eigen team.
kader:
  regels:
    - naam: Het beroepsgeheim en de AVG
      stappen: [collega]
      uitleg: Je mag een twijfel bespreken met een collega.
      bron: "Autoriteit Persoonsgegevens"
  valkuil: Denken dat je niets mag delen.
bron: "Eigen casus, verzonnen"
---

""" + "\n".join([
    STEP.format(id="geur", title="Een vreemde geur", situation="In de gang ruikt het zoet en scherp.",
                first="Je vraagt wat de geur is.", first_to="collega", second="Je zegt niets.", second_to="{wrong}"),
    STEP.format(id="collega", title="Je collega", situation="Je collega kent het adres van een melding.",
                first="Je brengt het in bij het overleg.", first_to="overleg", second="Je wacht af.",
                second_to="einde-wachten"),
    STEP.format(id="overleg", title="Het overleg", situation="In het overleg blijkt meer bekend.",
                first="Je gaat samen op huisbezoek.", first_to="einde-samen", second="Je laat het aan de politie.",
                second_to="einde-wachten"),
]) + """
# Einde einde-samen: Samen verder

## Uitkomst

beter

## Reflectie

Samen zie je meer.

# Einde einde-wachten: Je wacht af

## Uitkomst

slechter

## Reflectie

Een signaal alleen wordt zelden een feit.
"""


def second_user(browser: Browser, live_server: str, email: str) -> Page:
    page = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 768}).new_page()
    page.set_default_timeout(10_000)
    login(page, live_server, email)
    return page


def test_a_card_is_written_checked_reviewed_published_and_walked(page: Page, browser: Browser, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/gebruikers")
    page.get_by_role("button", name=re.compile("Maak auteur.*begeleider@example.org")).click()
    expect(page.get_by_text("begeleider@example.org is nu auteur.")).to_be_visible()

    page.get_by_role("link", name="Eigen casussen").click()
    assert axe_violations(page) == []
    page.get_by_label("Naam (wordt het adres)").fill("schuur-vol-planten")
    page.get_by_role("button", name="Nieuwe kaart").click()
    expect(page.get_by_text("Geen fouten gevonden.")).to_be_visible()

    text = page.get_by_label("Tekst van het bestand")
    text.fill(CARD.replace("{wrong}", "nergens"))
    expect(page.locator("#opgeslagen")).to_contain_text("Opgeslagen om")
    wrong_line = CARD.splitlines().index("- Je zegt niets. → {wrong}") + 1
    problem = page.locator(f"#problemen a[data-regel='{wrong_line}']")
    expect(problem).to_be_visible()
    expect(page.locator("#problemen")).to_contain_text("nergens")
    page.screenshot(path=str(SHOTS / "editor-fout-1366.png"))
    assert axe_violations(page) == []
    problem.click()
    expect(text).to_be_focused()
    line = page.evaluate("() => { const t = document.getElementById('tekst');"
                         " return t.value.slice(0, t.selectionStart).split('\\n').length; }")
    assert line == wrong_line

    text.fill(CARD.replace("{wrong}", "einde-wachten"))
    expect(page.get_by_text("Geen fouten gevonden.")).to_be_visible()
    expect(page.locator("#voorbeeld")).to_contain_text("Een schuur vol planten")
    page.screenshot(path=str(SHOTS / "editor-1366.png"))

    # A second tab saves in between: the first tab's next save keeps both texts on screen.
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_label("Tekst van het bestand").fill(CARD.replace("{wrong}", "einde-wachten").replace(
        "Samen zie je meer.", "Samen zie je veel meer."))
    expect(other.locator("#opgeslagen")).to_contain_text("Opgeslagen om")
    other.close()
    mine = CARD.replace("{wrong}", "einde-wachten").replace("Wat doe je met wat je ruikt?", "Wat doe je nu?")
    text.fill(mine)
    conflict = page.locator("#conflict-js")
    expect(conflict).to_contain_text("Iemand anders heeft deze tekst intussen opgeslagen")
    expect(page.locator("#hun-tekst-js")).to_have_value(re.compile("Samen zie je veel meer."))
    expect(page.locator("#jouw-tekst-js")).to_have_value(mine)
    page.screenshot(path=str(SHOTS / "editor-conflict-1366.png"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mijn tekst opslaan").click()
    expect(page.locator("#opgeslagen")).to_contain_text("Opgeslagen om")
    page.get_by_role("button", name="Ter beoordeling aanbieden").click()
    expect(page.get_by_text("De tekst is ter beoordeling aangeboden.")).to_be_visible()
    address = page.url

    colleague = second_user(browser, live_server, "begeleider@example.org")
    colleague.goto(address)
    assert axe_violations(colleague) == []
    colleague.get_by_role("button", name="Goedkeuren").click()
    colleague.get_by_role("button", name="Publiceren").click()
    expect(colleague.get_by_text("Versie 1 is gepubliceerd.")).to_be_visible()

    colleague.goto(f"{live_server}/dilemmas/schuur-vol-planten")
    colleague.get_by_role("button", name="Begin met de kaart").click()
    for label in ("Je vraagt wat de geur is.", "Je brengt het in bij het overleg.", "Je gaat samen op huisbezoek."):
        colleague.get_by_label(label).check()
        colleague.get_by_role("button", name="Kies deze optie").click()
        colleague.get_by_role("button", name=re.compile("Naar het einde|Verder naar de volgende stap")).click()
    expect(colleague.get_by_role("heading", name="Samen verder")).to_be_visible()
    colleague.context.close()
