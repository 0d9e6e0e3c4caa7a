"""axe-core finds no WCAG 2.1 A/AA violation on any page type, in its ordinary and its error states."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from browsing import all_buttons, axe_violations, login

PUBLIC = ["/", "/verhalen/", "/verhalen/?thema=schulden", "/verhalen/tristan", "/verhalen/tristan/scene/1",
          "/verhalen/tristan/afsluiting", "/wie-is-hiervan", "/inloggen", "/bestaat-niet", "/privacy",
          "/toegankelijkheid"]
ACCOUNT = ["/account/", "/account/wachtwoord", "/account/verwijderen", "/verhalen/tristan/afsluiting"]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_have_no_violations(page: Page, live_server, url):
    page.goto(live_server + url)
    assert axe_violations(page) == []


def test_reveal_page_has_no_violations(page: Page, live_server):
    page.goto(f"{live_server}/verhalen/jeffrey/scene/2")
    page.locator("label.passage span").first.click()
    page.get_by_role("button", name="Laat de signalen zien").click()
    page.wait_for_url("**/signalen")
    assert axe_violations(page) == []


def test_form_error_states_have_no_violations(page: Page, live_server):
    page.goto(f"{live_server}/inloggen")
    page.get_by_role("button", name="Inloggen").click()
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("url", ACCOUNT)
def test_account_pages_have_no_violations(page: Page, live_server, url):
    login(page, live_server)
    page.goto(live_server + url)
    assert axe_violations(page) == []


def test_reflection_refusal_has_no_violations(page: Page, live_server):
    login(page, live_server)
    page.goto(f"{live_server}/verhalen/harrie/afsluiting")
    page.get_by_label("Jouw reflectie").fill("Zijn e-mail is harrie@example.nl")
    page.get_by_role("button", name="Bewaar reflectie").click()
    assert page.locator(".error").is_visible()
    assert axe_violations(page) == []


def test_admin_pages_have_no_violations(page: Page, live_server):
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/gebruikers")
    assert axe_violations(page) == []
    page.get_by_label("E-mailadres").fill("uitgenodigd@example.org")
    page.get_by_role("button", name="Gebruiker toevoegen").click()
    invite = page.get_by_label("Uitnodigingslink", exact=True).input_value()
    assert axe_violations(page) == []
    page.context.clear_cookies()
    page.goto(invite)
    assert page.get_by_role("heading", name="Welkom bij Ondermijningsbril").is_visible()
    assert axe_violations(page) == []


def test_a_new_link_for_a_forgotten_password_has_no_violations(page: Page, live_server):
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/gebruikers")
    page.get_by_label("E-mailadres").fill("vergeetachtig@example.org")
    page.get_by_label("Ik kies nu een wachtwoord").check()
    page.get_by_label(re.compile("^Wachtwoord")).fill("een wachtwoord dat verdwijnt")
    page.get_by_role("button", name="Gebruiker toevoegen").click()
    page.get_by_role("button", name=re.compile("Nieuwe link.*vergeetachtig@example.org")).click()
    expect(page.get_by_role("heading", name="Nieuwe link voor vergeetachtig@example.org")).to_be_visible()
    link = page.get_by_label("Uitnodigingslink", exact=True).input_value()
    assert axe_violations(page) == []
    page.context.clear_cookies()
    page.goto(link)
    expect(page.get_by_label("Nieuw wachtwoord")).to_be_visible()
    assert axe_violations(page) == []


def test_the_axe_check_detects_a_real_violation(page: Page, live_server):
    page.goto(f"{live_server}/verhalen/")
    page.evaluate("""() => {
        const field = document.createElement('input');
        field.type = 'text';
        document.querySelector('main').appendChild(field);
    }""")
    assert "label" in {violation["id"] for violation in axe_violations(page)}


def test_facilitator_pages_have_no_violations(page: Page, live_server):
    login(page, live_server, "begeleider@example.org")
    page.goto(f"{live_server}/sessies/plannen/")
    assert axe_violations(page) == []
    page.get_by_label("Naam van het plan").fill("Toegankelijk plan")
    page.get_by_role("button", name="Plan maken").click()
    stories = page.get_by_role("region", name="Een verhaal")
    stories.get_by_label("Minuten").fill("0")
    stories.get_by_role("button", name="Voeg het verhaal toe").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert axe_violations(page) == []
    cards = page.get_by_role("region", name="Een dilemmakaart")
    cards.get_by_label("Dilemmakaart", exact=True).select_option(index=6)
    cards.get_by_label("Minuten").fill("30")
    cards.get_by_role("button", name="Voeg de kaart toe").click()
    expect(page.locator(".plan-item")).to_have_count(2)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start een sessie met dit plan").click()
    page.wait_for_url(re.compile(r".*/sessies/\d+$"))
    all_buttons(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sessie beëindigen").click()
    page.wait_for_url("**/verslag")
    assert axe_violations(page) == []
    page.goto(f"{live_server}/sessies/")
    assert axe_violations(page) == []
    page.goto(f"{live_server}/meedoen")
    assert axe_violations(page) == []


@pytest.mark.parametrize("url", ["/privacy", "/toegankelijkheid"])
def test_statements_read_on_a_phone_without_sideways_scrolling(page: Page, live_server, url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []


def test_organisation_pages_have_no_violations_and_keep_what_was_typed(page: Page, live_server):
    login(page, live_server, "platform@example.org")
    page.goto(f"{live_server}/platform/")
    assert axe_violations(page) == []
    page.get_by_label("Korte naam (niet verplicht)").fill("Met Spaties")
    page.get_by_role("button", name="Organisatie toevoegen").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Korte naam (niet verplicht)")).to_have_value("Met Spaties")
    assert axe_violations(page) == []
    page.get_by_label("Naam van de organisatie").fill("Gemeente Heuvelrijk")
    page.get_by_label("Korte naam (niet verplicht)").fill("")
    page.get_by_label("E-mailadres van de eerste beheerder").fill("heuvel@example.org")
    page.get_by_role("button", name="Organisatie toevoegen").click()
    expect(page.get_by_role("heading", name="Gemeente Heuvelrijk is toegevoegd")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Gemeente Heuvelrijk gemeente-heuvelrijk"))).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile("Naam wijzigen.*Gemeente Heuvelrijk")).click()
    assert axe_violations(page) == []
    page.get_by_label("Nieuwe naam").fill("Gemeente Proefdorp")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Nieuwe naam")).to_have_value("Gemeente Proefdorp")
    assert axe_violations(page) == []
    page.get_by_label("Nieuwe naam").fill("Gemeente Heuvelrug")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Gemeente Heuvelrijk heet nu Gemeente Heuvelrug.")).to_be_visible()

    page.context.clear_cookies()
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/organisatie")
    assert axe_violations(page) == []
    page.get_by_label(re.compile("E-mailadres voor vragen")).fill("geen adres")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_label(re.compile("E-mailadres voor vragen"))).to_have_value("geen adres")
    assert axe_violations(page) == []


@pytest.mark.parametrize("size", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}],
                         ids=["laptop", "telefoon"])
def test_the_route_editor_has_no_violations_and_keeps_what_was_typed(page: Page, live_server, size):
    page.set_viewport_size(size)
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/meldroutes")
    assert axe_violations(page) == []
    new = page.locator("form", has=page.get_by_role("button", name="Meldroute toevoegen"))
    new.get_by_label(re.compile("Sleutel")).fill("Fout Sleutel")
    new.get_by_label("Titel").fill("Een wapen in huis")
    new.get_by_label(re.compile("Bij wie")).fill("Politie bel 112")
    new.get_by_role("button", name="Meldroute toevoegen").click()
    new = page.locator("form", has=page.get_by_role("button", name="Meldroute toevoegen"))
    expect(new.locator(".error-summary")).to_be_visible()
    expect(new.get_by_label(re.compile("Bij wie"))).to_have_value("Politie bel 112")
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    assert axe_violations(page) == []
