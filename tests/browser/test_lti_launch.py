"""Launches from the learning portal in a real browser: the test platform's course page starts the tool, the
browser follows the login initiation and the id_token form post and ends on the card, signed in; a teacher
picks content and the browser posts the signed answer back to the portal; a launch inside the portal's frame goes on
in a new window; a forged launch shows its Dutch page.
Every page passes axe, on a laptop and a phone."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from bril.models import FAILED, WAITING, LtiGrade, LtiPlatform, Organisation, User, db, utcnow
from browsing import axe_violations, login
from lti_platform import INSTRUCTOR, LearningPortal, register

CARD = "pas-uitgeleend"
CARD_TITLE = "Jeffrey heeft zijn bankpas uitgeleend"
SIZES = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]


@pytest.fixture(scope="module")
def portal(live_server):
    """The test platform, registered for the live server's organisation; removed again afterwards."""
    portal = LearningPortal().start()
    app = live_server.app
    with app.app_context():
        organisation_id = db.session.scalar(db.select(Organisation.id).where(Organisation.slug == "proefdorp"))
    register(app, portal, organisation_id)
    portal.tool_login_url = f"{live_server}/lti/inloggen"
    yield portal
    with app.app_context():
        db.session.delete(db.session.get(LtiPlatform, organisation_id))
        db.session.commit()
    portal.stop()


def shot(page: Page, name: str) -> None:
    """A screenshot to look at, when BRIL_SCREENSHOTS names a folder."""
    folder = os.environ.get("BRIL_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/lti-{name}.png", full_page=True)


@pytest.mark.parametrize("size", SIZES, ids=["laptop", "telefoon"])
def test_a_launch_from_the_portal_ends_signed_in_on_the_card(page: Page, live_server, portal, size):
    page.set_viewport_size(size)
    hint = portal.prepare(target=f"{live_server}/dilemmas/{CARD}", sub=f"browser-{size['width']}")
    page.goto(portal.url(f"/cursus/{hint}"))
    page.wait_for_url(f"{live_server}/dilemmas/{CARD}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(CARD_TITLE)
    expect(page.get_by_role("link", name="Mijn voortgang")).to_be_visible()  # signed in
    assert axe_violations(page) == []
    shot(page, f"kaart-{size['width']}")


@pytest.mark.parametrize("size", SIZES, ids=["laptop", "telefoon"])
def test_a_launch_in_the_portals_frame_goes_on_in_a_new_window(page: Page, live_server, portal, size):
    page.set_viewport_size(size)
    hint = portal.prepare(target=f"{live_server}/dilemmas/{CARD}", sub=f"kader-{size['width']}")
    page.goto(portal.url(f"/cursus-in-kader/{hint}"))
    frame = page.frame_locator("iframe[title=Les]")
    expect(frame.get_by_role("heading", level=1)).to_have_text(CARD_TITLE)  # shown in the frame, not refused
    assert axe_violations(page.frame(url=f"{live_server}/lti/start")) == []  # the tool's page in the frame
    shot(page, f"kader-{size['width']}")
    with page.context.expect_page() as opened:
        frame.get_by_role("link", name="Open in een nieuw venster").click()
    window = opened.value
    window.set_viewport_size(size)
    window.wait_for_url(f"{live_server}/dilemmas/{CARD}")
    expect(window.get_by_role("link", name="Mijn voortgang")).to_be_visible()  # signed in, in its own window
    assert axe_violations(window) == []
    window.close()


@pytest.mark.parametrize("size", SIZES, ids=["laptop", "telefoon"])
def test_a_teacher_picks_a_card_and_the_portal_gets_the_signed_answer(page: Page, live_server, portal, size):
    page.set_viewport_size(size)
    portal.deep_link_answers.clear()
    hint = portal.prepare(message_type="LtiDeepLinkingRequest", roles=[INSTRUCTOR], sub=f"docent-{size['width']}")
    page.goto(portal.url(f"/cursus/{hint}"))
    page.wait_for_url(f"{live_server}/lti/kiezen")
    expect(page.get_by_role("heading", name="Kies wat je in het leerportaal zet")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zet in het leerportaal").click()
    expect(page.get_by_role("alert")).to_contain_text("Kies een verhaal of dilemmakaart")
    assert axe_violations(page) == []
    shot(page, f"kiezen-fout-{size['width']}")
    page.get_by_label(CARD_TITLE).check()
    page.get_by_role("button", name="Zet in het leerportaal").click()
    page.wait_for_url(portal.url("/deeplinks"))  # the script sent the answer on by itself
    assert len(portal.deep_link_answers) == 1 and portal.deep_link_answers[0].count(".") == 2


@pytest.mark.parametrize("size", SIZES, ids=["laptop", "telefoon"])
def test_a_forged_launch_shows_a_dutch_page(page: Page, live_server, portal, size):
    page.set_viewport_size(size)
    hint = portal.prepare(target=f"{live_server}/dilemmas/{CARD}", misbehave={"andere-sleutel"}, sub="vervalst")
    page.goto(portal.url(f"/cursus/{hint}"))
    page.wait_for_url(f"{live_server}/lti/start")
    expect(page.get_by_role("heading", level=1)).to_have_text("Starten vanuit het leerportaal is niet gelukt")
    expect(page.get_by_role("alert")).to_contain_text("Je bent niet ingelogd")
    assert axe_violations(page) == []
    shot(page, f"geweigerd-{size['width']}")


@pytest.mark.parametrize("size", SIZES, ids=["laptop", "telefoon"])
def test_the_settings_page_has_no_violations(page: Page, live_server, portal, size):
    page.set_viewport_size(size)
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/organisatie")
    page.get_by_role("link", name="Starten vanuit het leerportaal (LTI)").click()
    expect(page.get_by_label("Client-ID")).to_have_value(portal.client_id)
    assert axe_violations(page) == []
    page.get_by_label("Client-ID").fill("")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], "de pagina schuift opzij"
    shot(page, f"instellingen-{size['width']}")


@pytest.mark.parametrize("size", SIZES, ids=["laptop", "telefoon"])
def test_a_beheerder_sends_a_failed_grade_again(page: Page, live_server, portal, size):
    """A grade the portal refused until the sender gave up: listed by card (never by person), sent again by its
    button."""
    app = live_server.app
    with app.app_context():
        reader = db.session.scalar(db.select(User).where(User.email == "lezer@example.org"))
        grade = LtiGrade(organisation_id=reader.organisation_id, user_id=reader.id, kind="kaart", slug=CARD,
                         lineitem=portal.url(f"/regels/{size['width']}"), subject="browser", state=FAILED,
                         attempts=12, completed_at=utcnow(), last_error="Het leerportaal weigert het cijfer (fout 400).")
        db.session.add(grade)
        db.session.commit()
        grade_id = grade.id
    page.set_viewport_size(size)
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/beheer/leerportaal/lti#cijfers")
    failed = page.locator("table.failed-grades")
    expect(failed).to_contain_text(CARD_TITLE)
    expect(failed).to_contain_text("weigert het cijfer (fout 400)")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], "de pagina schuift opzij"
    failed.scroll_into_view_if_needed()
    if os.environ.get("BRIL_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['BRIL_SCREENSHOTS']}/lti-mislukt-{size['width']}.png")
    failed.get_by_role("button", name=f"Opnieuw versturen: {CARD_TITLE}").click()
    expect(page.get_by_text("1 cijfer gaat opnieuw naar het leerportaal.")).to_be_visible()
    assert axe_violations(page) == []
    with app.app_context():
        again = db.session.get(LtiGrade, grade_id)
        assert again.state == WAITING and again.attempts == 0
        db.session.delete(again)
        db.session.commit()
