"""The shared library in a real browser at 1366×768: another organisation's beheerder offers a published card,
the platformbeheerder reads it, first tries to return it without a comment (refused, at the field), then
accepts it, and a reader of Gemeente Proefdorp finds it with its origin beside the title. axe on the offer page and the review
page in each state; screenshots in SHOTS."""
from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app import ROOT
from bril import authoring, security
from bril.models import Organisation, Publication, SharedOffer, User, db
from bril.sharing import rules
from browsing import SHOTS, axe_violations, login, no_sideways_scrolling, view
from support import PASSWORD

TITLE = "Hennep op zolder bij een moeder in de bijstand"


def published_elsewhere(app) -> int:
    """Gemeente Deelstad, its beheerder and one published own card (a copy of a bundled one): the version's id."""
    with app.app_context():
        organisation = Organisation(name="Gemeente Deelstad", slug="deelstad")
        db.session.add(organisation)
        db.session.flush()
        db.session.add(User(email="deel-beheer@example.org", role="beheerder", organisation_id=organisation.id,
                            password_hash=security.hash_password(PASSWORD)))
        text = (ROOT / "dilemmas" / "hennep-op-zolder.md").read_text(encoding="utf-8")
        draft = authoring.create_draft(organisation.id, "dilemma", "zolder-deelstad", text, None)
        db.session.commit()
        # A version from before the privacy guard grew: the guard reads it again when it is offered.
        db.session.add(Publication(organisation_id=organisation.id, kind="dilemma", slug="oud-deelstad", number=1,
                                   text=text.replace("rol: klantmanager", "rol: klantmanager\n# bel 06-12345678")))
        return authoring.publish(draft, None, reviewed=False).id


def take_back(app, version_id: int) -> None:
    """Leave the shared session's server as it was: nothing of Deelstad in Proefdorp's library."""
    with app.app_context():
        shared = db.session.scalar(select(SharedOffer).where(SharedOffer.publication_id == version_id))
        if shared is not None and shared.state in ("aangeboden", "geaccepteerd"):
            rules.withdraw(shared, db.session.scalar(select(User).filter_by(email="deel-beheer@example.org")))
        for version in db.session.scalars(select(Publication).where(
                Publication.organisation_id == db.session.get(Publication, version_id).organisation_id)):
            authoring.withdraw(version)


def test_offer_review_and_find_a_shared_card(browser: Browser, live_server):
    version_id = published_elsewhere(live_server.app)
    try:
        offering = view(browser, 1366, 768)
        login(offering, live_server, "deel-beheer@example.org")
        offering.goto(f"{live_server}/eigen/")
        offering.get_by_role("link", name="Delen met andere organisaties").click()
        expect(offering.get_by_text("niet aangeboden").first).to_be_visible()
        assert axe_violations(offering) == []
        offering.get_by_role("button", name="Aanbieden oud-deelstad versie 1").click()
        expect(offering.get_by_role("alert")).to_contain_text("Deze versie kan niet worden aangeboden")
        expect(offering.get_by_text("hier staat een telefoonnummer")).to_be_visible()
        assert axe_violations(offering) == []
        offering.screenshot(path=str(SHOTS / "delen-geweigerd-1366.png"), full_page=True)
        offering.get_by_role("button", name="Aanbieden zolder-deelstad versie 1").click()
        expect(offering.get_by_text("aangeboden, wacht op beoordeling")).to_be_visible()
        assert axe_violations(offering) == []
        offering.screenshot(path=str(SHOTS / "delen-1366.png"), full_page=True)

        platform = view(browser, 1366, 768)
        login(platform, live_server, "platform@example.org")
        platform.get_by_role("link", name="Gedeelde bibliotheek").click()
        expect(platform.get_by_role("status")).to_have_text("1 aanbod wacht op beoordeling.")
        assert axe_violations(platform) == []
        platform.get_by_role("link", name="zolder-deelstad").click()
        expect(platform.get_by_role("heading", level=1)).to_contain_text(TITLE)
        assert axe_violations(platform) == []
        platform.screenshot(path=str(SHOTS / "gedeeld-beoordelen-1366.png"))
        platform.get_by_role("heading", name="Zo leest een lezer het").scroll_into_view_if_needed()
        platform.screenshot(path=str(SHOTS / "gedeeld-lezer-1366.png"))
        platform.get_by_role("button", name="Terugsturen met opmerking").click()
        field = platform.get_by_label("Opmerking voor de organisatie (verplicht bij terugsturen)")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(platform.get_by_text("Schrijf bij het terugsturen op wat er anders moet.")).to_be_visible()
        assert axe_violations(platform) == []
        platform.screenshot(path=str(SHOTS / "gedeeld-fout-1366.png"))
        platform.get_by_role("button", name="Accepteren voor alle organisaties").click()
        expect(platform.get_by_text("is opgenomen in de gedeelde bibliotheek")).to_be_visible()

        reader = view(browser, 1366, 768)
        login(reader, live_server, "lezer@example.org")
        reader.goto(f"{live_server}/dilemmas/")
        # The bundled card of the same title is there too: the shared one says whose it is, beside its title.
        reader.locator("li.card", has=reader.get_by_text("Van Gemeente Deelstad")).get_by_role(
            "link", name=TITLE).click()
        expect(reader).to_have_url(f"{live_server}/dilemmas/deelstad--zolder-deelstad")
        expect(reader.get_by_role("heading", level=1)).to_have_text(f"{TITLE} Van Gemeente Deelstad")
        assert axe_violations(reader) == []
        # On a phone both pages fit without scrolling sideways (the code of the shared name may wrap).
        small = view(browser, 390, 844)
        login(small, live_server, "platform@example.org")
        small.goto(f"{live_server}/platform/gedeeld/{version_id}")
        assert no_sideways_scrolling(small)
        small.screenshot(path=str(SHOTS / "gedeeld-390.png"))
        for page in (offering, platform, reader, small):
            page.context.close()
    finally:
        take_back(live_server.app, version_id)
