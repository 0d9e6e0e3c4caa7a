"""The review board's pages in the states the journey test does not reach: the platformbeheerder's reviewer form
refused (an address the organisation does not have, kept in the field), and a reviewer looking at an offer of
their own organisation (the decision is someone else's) at 1366×768 and 390×844. axe on each; screenshots."""
from __future__ import annotations

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from app import ROOT
from bril import authoring, security
from bril.models import Organisation, Publication, SharedOffer, User, db
from bril.sharing import rules
from browsing import SHOTS, axe_violations, login, no_sideways_scrolling, view
from support import PASSWORD

SLUG = "zolder-bordstad"


def offered_by_a_reviewer(app) -> None:
    """Gemeente Bordstad, whose beheerder is on the review board, offers a published card."""
    with app.app_context():
        organisation = Organisation(name="Gemeente Bordstad", slug="bordstad")
        db.session.add(organisation)
        db.session.flush()
        beheerder = User(email="bord-beheer@example.org", role="beheerder", organisation_id=organisation.id,
                         shared_reviewer=True, password_hash=security.hash_password(PASSWORD))
        db.session.add(beheerder)
        text = (ROOT / "dilemmas" / "hennep-op-zolder.md").read_text(encoding="utf-8")
        draft = authoring.create_draft(organisation.id, "dilemma", SLUG, text, None)
        db.session.commit()
        rules.offer(authoring.publish(draft, None, reviewed=False), beheerder)


def leave_as_found(app) -> None:
    with app.app_context():
        beheerder = db.session.scalar(select(User).filter_by(email="bord-beheer@example.org"))
        offers = select(SharedOffer).where(SharedOffer.organisation_id == beheerder.organisation_id)
        for shared in db.session.scalars(offers):
            rules.withdraw(shared, beheerder)
        for version in db.session.scalars(select(Publication).where(Publication.slug == SLUG)):
            authoring.withdraw(version)
        beheerder.shared_reviewer = False
        db.session.commit()


def test_a_refused_reviewer_and_a_reviewer_before_their_own_offer(browser: Browser, live_server):
    offered_by_a_reviewer(live_server.app)
    try:
        platform = view(browser, 1366, 768)
        login(platform, live_server, "platform@example.org")
        platform.goto(f"{live_server}/platform/")
        platform.get_by_label("Organisatie van de beoordelaar").select_option(label="Gemeente Bordstad")
        platform.get_by_label("E-mailadres van de beoordelaar").fill("lezer@example.org")  # Proefdorp's, not theirs
        platform.get_by_role("button", name="Maak beoordelaar").click()
        field = platform.get_by_label("E-mailadres van de beoordelaar")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_value("lezer@example.org")
        expect(platform.get_by_text("Er is geen account met dit e-mailadres in deze organisatie.")).to_be_visible()
        expect(platform.get_by_role("row", name="bord-beheer@example.org Gemeente Bordstad")).to_be_visible()
        assert axe_violations(platform) == []
        platform.locator("#beoordelaars").scroll_into_view_if_needed()
        platform.screenshot(path=str(SHOTS / "beoordelaar-fout-1366.png"))
        platform.context.close()

        for width, height in ((1366, 768), (390, 844)):
            reviewer = view(browser, width, height)
            login(reviewer, live_server, "bord-beheer@example.org")
            reviewer.goto(f"{live_server}/platform/gedeeld/")
            expect(reviewer.get_by_text("van je eigen organisatie: een ander beslist")).to_be_visible()
            assert axe_violations(reviewer) == [] and no_sideways_scrolling(reviewer)
            reviewer.get_by_role("link", name=SLUG).click()
            expect(reviewer.get_by_text("Dit aanbod komt van je eigen organisatie.")).to_be_visible()
            expect(reviewer.get_by_role("button", name="Accepteren voor alle organisaties")).to_have_count(0)
            assert axe_violations(reviewer) == [] and no_sideways_scrolling(reviewer)
            reviewer.locator("#besluit").scroll_into_view_if_needed()
            reviewer.screenshot(path=str(SHOTS / f"beoordelaar-eigen-aanbod-{width}.png"))
            reviewer.context.close()
    finally:
        leave_as_found(live_server.app)
