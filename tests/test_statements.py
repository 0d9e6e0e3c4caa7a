"""The privacy and accessibility statements: reachable from every page, true to the configuration."""
from __future__ import annotations

from support import close_app, make_app
from support.sessions import join, start_session


def test_both_statements_are_linked_from_every_ordinary_page_and_from_a_phone_in_a_session(facilitator, app):
    for url in ("/", "/verhalen/", "/dilemmas/", "/inloggen", "/sessies/", "/bestaat-niet"):
        html = facilitator.get(url).get_data(as_text=True)
        assert 'href="/privacy"' in html and 'href="/toegankelijkheid"' in html, url
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Roodborst")
    html = phone.get(f"/meedoen/{code}", follow_redirects=True).get_data(as_text=True)
    assert 'href="/privacy"' in html and 'href="/toegankelijkheid"' in html
    # The projector shows the session only.
    assert 'href="/privacy"' not in facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)


def test_the_accessibility_statement_follows_the_government_model(client):
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    for part in ("Status", "voldoet gedeeltelijk", "WCAG 2.1", "Wat is getest, en hoe", "axe-core",
                 "Wat nog niet goed werkt", "Een probleem melden", "Nationale ombudsman", "opgesteld op"):
        assert part in html, part


def test_the_privacy_statement_gives_the_retention_and_contact_this_site_really_uses(database_url):
    app = make_app(database_url, WORKSHOP_RETENTION_DAYS=14, CONTACT_EMAIL="privacy@gemeente.example")
    try:
        html = app.test_client().get("/privacy").get_data(as_text=True)
    finally:
        close_app(app)
    assert "14 dagen na de sessie" in html and "hoogstens 30 dagen" in html
    assert 'href="mailto:privacy@gemeente.example"' in html and "Autoriteit Persoonsgegevens" in html


def test_without_an_address_the_statements_name_the_organisation(client, app):
    from bril.extensions import library
    with app.app_context():
        organisation = library().meldroutes.organisation
    html = client.get("/privacy").get_data(as_text=True)
    assert "mailto:" not in html and organisation in html
