"""A draft card seen as the live room will see it, before it is published: the projector at 1920×1080 and
1280×720 and a phone at 390×844, at every phase of a step and at an ending, nothing cut off or scrolled
sideways, axe clean. And the editor itself, with its step form, at 390×844; the step form on an error and
"Maak hier een casus van" pass axe."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bril.models import Answer, ParkingPost, User, Workshop, db
from browsing import SHOTS, assert_fits, axe_violations, login, no_sideways_scrolling, view

LONG_SITUATION = ("Een moeder vertelt dat haar zoon van vijftien sinds een paar weken dure schoenen draagt. "
                  "Hij is vaak laat thuis en zijn telefoon gaat steeds. Zij zegt dat hij werk heeft bij een "
                  "vriend, maar ze weet niet wat voor werk. Ze vraagt of jij met hem wilt praten.")


def new_card(page: Page, base: str, name: str) -> str:
    """Start a card in the editor as a beheerder; the editor's address."""
    login(page, base, "beheer@example.org")
    page.goto(f"{base}/eigen/")
    page.get_by_label("Naam (wordt het adres)").fill(name)
    page.get_by_role("button", name="Nieuwe kaart").click()
    expect(page.get_by_text("Geen fouten gevonden.")).to_be_visible()
    return page.url


def test_every_step_shows_on_the_projector_and_a_phone_as_the_room_sees_it(page: Page, browser: Browser,
                                                                            live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    editor = new_card(page, live_server, "zaal-voorbeeld")
    # A longer situation, typed in the step form, so the projector has something to fit.
    page.get_by_role("link", name="Bewerk stap begin met het formulier").click()
    page.get_by_label("Situatie").fill(LONG_SITUATION)
    page.get_by_role("button", name="Stap opslaan").click()
    expect(page.get_by_text("Stap opgeslagen om")).to_be_visible()
    page.goto(editor)
    page.get_by_role("link", name=re.compile("Bekijk zoals de zaal het ziet")).click()
    expect(page.get_by_role("heading", name=re.compile("Voorbeeld in de zaal"))).to_be_visible()
    assert axe_violations(page) == []
    links = {(a.get_attribute("href")) for a in page.locator("a[href*='/voorbeeld/zaal/']").all()}
    projector = sorted(h for h in links if "/projector" in h)
    phones = sorted(h for h in links if "/telefoon" in h)
    # begin: situation, vote, result, two consequences; two endings
    assert len(projector) == len(phones) == 7
    cookies = page.context.cookies()
    for width, height in ((1920, 1080), (1280, 720)):
        screen = view(browser, width, height)
        screen.context.add_cookies(cookies)
        for address in projector:
            screen.goto(live_server + address)
            expect(screen.locator(".screen-view")).to_be_visible()
            assert_fits(screen, address)
            assert axe_violations(screen) == [], address
        screen.goto(live_server + next(h for h in projector if "/situatie/" in h))
        expect(screen.locator(".screen-view")).to_contain_text("dure schoenen")
        screen.screenshot(path=str(SHOTS / f"editor-zaal-projector-{width}.png"))
        screen.goto(live_server + next(h for h in projector if "/stemmen/" in h))
        expect(screen.locator(".screen-options")).to_contain_text("Je wacht af.")
        screen.screenshot(path=str(SHOTS / f"editor-zaal-stemmen-{width}.png"))
        screen.context.close()
    phone = view(browser, 390, 844)
    phone.context.add_cookies(cookies)
    for address in phones:
        phone.goto(live_server + address)
        expect(phone.locator(".phone-view")).to_be_visible()
        assert no_sideways_scrolling(phone), address
        assert axe_violations(phone) == [], address
    phone.goto(live_server + next(h for h in phones if "/stemmen/" in h))
    expect(phone.get_by_role("button", name=re.compile("Optie B: Je wacht af."))).to_be_visible()
    phone.screenshot(path=str(SHOTS / "editor-zaal-telefoon-390.png"), full_page=True)
    phone.context.close()


def test_the_editor_and_its_step_form_work_on_a_phone(browser: Browser, live_server):
    small = view(browser, 390, 844)
    small.set_default_timeout(10_000)
    editor = new_card(small, live_server, "zaal-telefoon")
    assert no_sideways_scrolling(small)
    small.screenshot(path=str(SHOTS / "editor-390.png"))
    small.get_by_role("link", name="Bewerk stap begin met het formulier").click()
    small.get_by_role("button", name="Optie toevoegen").click()
    expect(small.get_by_text("Optie 3 staat erbij.")).to_be_visible()
    small.get_by_label("Wat je doet").nth(2).fill("Je belt de wijkagent.")
    small.get_by_label("Leidt naar").nth(2).select_option("einde-samen")
    small.get_by_label("Gevolg voor de cliënt").nth(2).fill("De cliënt merkt er nog niets van.")
    small.get_by_label("Gevolg voor de mensen om de cliënt heen").nth(2).fill("De buurt voelt zich gehoord.")
    small.get_by_role("button", name="Stap opslaan").click()
    expect(small.get_by_text("Stap opgeslagen om")).to_be_visible()
    assert no_sideways_scrolling(small)
    assert axe_violations(small) == []
    small.screenshot(path=str(SHOTS / "editor-stap-390.png"), full_page=True)
    small.goto(editor)
    expect(small.locator("#tekst")).to_have_value(re.compile("Je belt de wijkagent. → einde-samen"))
    expect(small.locator("#vorm")).to_contain_text("Langste route")
    assert axe_violations(small) == []
    small.context.close()


def test_the_step_form_on_an_error_and_a_case_from_a_session_pass_axe(page: Page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    new_card(page, live_server, "zaal-fout")
    page.get_by_role("link", name="Bewerk stap begin met het formulier").click()
    page.get_by_label("Vraag").fill("")
    page.get_by_label("Situatie").fill("Mijn getypte situatie blijft staan.")
    page.get_by_role("button", name="Stap opslaan").click()
    expect(page.get_by_text("Schrijf de vraag aan de groep.").first).to_be_visible()
    expect(page.get_by_label("Situatie")).to_have_value("Mijn getypte situatie blijft staan.")
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "editor-stap-fout-1366.png"))
    page.get_by_role("link", name="zaal-fout").click()
    page.get_by_role("link", name="Bewerk einde einde-samen met het formulier").click()
    page.get_by_label("Hoe liep het af?").select_option("gemengd")
    page.get_by_label("Reflectie").fill("")
    page.get_by_role("button", name="Einde opslaan").click()
    expect(page.get_by_text("Schrijf een korte reflectie.").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Reflectie").fill("Samen zie je meer, ook als het schuurt.")
    page.get_by_role("button", name="Einde opslaan").click()
    expect(page.get_by_text("Einde opgeslagen om")).to_be_visible()
    expect(page.get_by_label("Hoe liep het af?")).to_have_value("gemengd")

    with live_server.app.app_context():
        owner = db.session.scalar(select(User).filter_by(email="beheer@example.org"))
        workshop = Workshop(owner_id=owner.id, title="Teamochtend wijkteam", code="CASUS1", agenda=[])
        db.session.add(workshop)
        db.session.flush()
        db.session.add_all([ParkingPost(workshop_id=workshop.id, text="Wanneer bel je Veilig Thuis?"),
                            Answer(workshop_id=workshop.id, item=0, text="Een bus die elke nacht laadt."),
                            Answer(workshop_id=workshop.id, item=0, text="Mail naar piet@voorbeeld.nl")])
        db.session.commit()
        workshop_id = workshop.id
    page.goto(f"{live_server}/eigen/")
    page.get_by_role("link", name="Maak een casus van Teamochtend wijkteam").click()
    expect(page.get_by_text("1 tekst bleef achter")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Maak er een kaart van").click()
    expect(page.get_by_text("Vul een naam in.").first).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Naam (wordt het adres)").fill("bus-in-de-nacht")
    page.get_by_role("button", name="Maak er een kaart van").click()
    expect(page.locator("#tekst")).to_have_value(re.compile("Een bus die elke nacht laadt."))
    assert f"/eigen/uit-sessie/{workshop_id}" not in page.url
