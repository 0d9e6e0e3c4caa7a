"""A beheerder sets up signing in through the organisation's identity provider; a colleague then signs in
with one click on the login page, at the real test provider, in Chromium at desk and phone size."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from browsing import axe_violations, login, no_sideways_scrolling


@pytest.fixture
def provider_on(page: Page, live_server, identity_provider):
    """Gemeente Proefdorp signs in through the test provider, set up in the browser by its beheerder;
    switched off again afterwards, so other browser tests see the ordinary login page."""
    client_id = f"bril-{uuid.uuid4().hex[:8]}"
    identity_provider.client(client_id, "browsergeheim", f"{live_server}/inloggen/terug")
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/organisatie")
    page.get_by_role("link", name="Stel inloggen via Gemeente Proefdorp in").click()
    assert axe_violations(page) == []
    page.get_by_label("Adres van de identiteitsprovider (issuer)").fill(identity_provider.url)
    page.get_by_label("Client-ID").fill(client_id)
    page.get_by_label("Client-geheim").fill("browsergeheim")
    page.get_by_label("Welke groep geeft welke rol?").fill("trainers = trainer\nteam-zorg = deelnemer")
    page.get_by_label("Inloggen via de identiteitsprovider aanzetten").check()
    page.get_by_role("button", name="Opslaan").click()
    # A typo in a role: the form names the line and keeps everything that was typed.
    expect(page.locator("#role_map-fout")).to_contain_text("Regel 1: 'trainer' is geen rol")
    expect(page.get_by_label("Client-ID")).to_have_value(client_id)
    expect(page.get_by_label("Client-geheim")).to_have_value("browsergeheim")
    expect(page.get_by_label("Inloggen via de identiteitsprovider aanzetten")).to_be_checked()
    page.screenshot(path="/tmp/oidc-settings-error.png", full_page=True)
    assert axe_violations(page) == []
    page.get_by_label("Welke groep geeft welke rol?").fill("trainers = procesbegeleider\nteam-zorg = deelnemer")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Inloggen via je organisatie staat aan.")).to_be_visible()
    yield
    page.goto(f"{live_server}/beheer/inloggen")
    page.get_by_label("Inloggen via de identiteitsprovider aanzetten").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het staat nog uit.")).to_be_visible()


@pytest.mark.parametrize("size", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}])
def test_a_colleague_signs_in_through_the_provider_with_one_click(browser: Browser, live_server, identity_provider,
                                                                 provider_on, size):
    username = f"trainer{uuid.uuid4().hex[:6]}"
    identity_provider.person(username, sub=f"sub-{username}", email=f"{username}@proefdorp.nl", groups=["trainers"])
    context = browser.new_context(locale="nl-NL", viewport=size)
    colleague = context.new_page()
    colleague.goto(f"{live_server}/inloggen")
    assert axe_violations(colleague) == [] and no_sideways_scrolling(colleague)
    colleague.get_by_role("link", name="Inloggen via Gemeente Proefdorp").click()
    colleague.get_by_label("Gebruikersnaam").fill(username)  # the provider's own page
    colleague.get_by_role("button", name="Inloggen bij de provider").click()
    colleague.wait_for_url(f"{live_server}/sessies/")
    expect(colleague.get_by_text("Je bent ingelogd.")).to_be_visible()
    colleague.goto(f"{live_server}/account/")
    expect(colleague.get_by_text(f"{username}@proefdorp.nl")).to_be_visible()
    # Logging out goes past the provider's logout and back to the home page.
    colleague.get_by_role("button", name="Uitloggen").click()
    colleague.wait_for_url(lambda url: url.startswith(f"{live_server}/?state="))
    expect(colleague.get_by_role("link", name="Inloggen")).to_be_visible()
    colleague.goto(f"{live_server}/account/")
    expect(colleague.get_by_role("heading", name="Inloggen", exact=True)).to_be_visible()  # really logged out
    context.close()


def test_a_refused_sign_in_says_what_to_do(browser: Browser, live_server, identity_provider, provider_on):
    username = f"buiten{uuid.uuid4().hex[:6]}"
    identity_provider.person(username, sub=f"sub-{username}", email=f"{username}@proefdorp.nl", groups=["gasten"])
    context = browser.new_context(locale="nl-NL")
    colleague = context.new_page()
    colleague.goto(f"{live_server}/inloggen/via/proefdorp")
    colleague.get_by_label("Gebruikersnaam").fill(username)
    colleague.get_by_role("button", name="Inloggen bij de provider").click()
    expect(colleague.get_by_role("heading", name="Inloggen niet gelukt")).to_be_visible()
    expect(colleague.get_by_role("alert")).to_contain_text("geen toegang")
    colleague.screenshot(path="/tmp/oidc-refused.png")
    assert axe_violations(colleague) == []
    context.close()
