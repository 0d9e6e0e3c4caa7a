"""Issue 17 end to end, in real browsers: an author of Gemeente Proefdorp writes a new card through the forms
(three steps, two endings, two kader rules), sees a check beside a field and fixes it, previews it as a reader, as
a solo walk and as the room (the preview phone's vote shows what a phone shows after voting); a colleague returns
it with a remark at a step, the author fixes it, the colleague approves and publishes it; a facilitator plays it
live with one phone (vote, result, consequence); a deelnemer walks it alone on a phone, through all three steps;
it is offered to the shared library, accepted by a reviewer the platformbeheerder names from another
organisation, and that organisation finds it with its origin. Console and desks at 1366×768, phones at 390×844,
axe on every page visited; screenshots in SHOTS."""
from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from bril import authoring, security
from bril.models import Organisation, Publication, SharedOffer, User, db
from bril.sharing import rules
from browsing import LIVE, SHOTS, add_to_plan, axe_violations, cast, login, new_plan, no_sideways_scrolling, view
from support import PASSWORD

SLUG = "trap-vol-post"
TITLE = "Een trap vol post"
SITUATION = ("Bij een huisbezoek in een flat zie je in de gang stapels post op naam van steeds andere mensen. "
             "De bewoner zegt dat het van vrienden is.")
OTHER = "Gemeente Reisdorp"


def people(app) -> None:
    """An author in Gemeente Proefdorp, and Gemeente Reisdorp with one deelnemer (the platform makes them a
    reviewer in the browser)."""
    with app.app_context():
        proefdorp = db.session.scalar(select(Organisation.id).filter_by(slug="proefdorp"))
        reisdorp = Organisation(name=OTHER, slug="reisdorp")
        db.session.add(reisdorp)
        db.session.flush()
        for email, organisation, author in (("reis-auteur@example.org", proefdorp, True),
                                            ("reis-b@example.org", reisdorp.id, False)):
            db.session.add(User(email=email, role="deelnemer", organisation_id=organisation, author=author,
                                password_hash=security.hash_password(PASSWORD)))
        db.session.commit()


def leave_as_found(app) -> None:
    """The session's server stays as other tests expect it: nothing of this card in any library, no reviewer."""
    with app.app_context():
        for shared in db.session.scalars(select(SharedOffer).join(Publication).where(Publication.slug == SLUG)):
            if shared.state in ("aangeboden", "geaccepteerd"):
                rules.withdraw(shared, db.session.scalar(select(User).filter_by(email="reis-auteur@example.org")))
        for version in db.session.scalars(select(Publication).where(Publication.slug == SLUG,
                                                                    Publication.withdrawn.is_(False))):
            authoring.withdraw(version)
        for reviewer in db.session.scalars(select(User).where(User.shared_reviewer.is_(True))):
            reviewer.shared_reviewer = False
        db.session.commit()


def clean(page: Page, shot: str | None = None) -> None:
    """No axe violation and no sideways scrolling on the page as it stands; a screenshot when named."""
    assert axe_violations(page) == [], page.url
    assert no_sideways_scrolling(page), page.url
    if shot:
        page.screenshot(path=str(SHOTS / f"reis-{shot}.png"), full_page=True)


def desk(browser: Browser, live_server: str, email: str) -> Page:
    page = view(browser, 1366, 768)
    page.set_default_timeout(10_000)
    login(page, live_server, email)
    return page


def write_and_preview(author: Page, browser: Browser, live_server: str) -> str:
    """The author's part until the card goes to review; the editor's address."""
    author.goto(f"{live_server}/eigen/")
    clean(author)
    author.get_by_label("Naam (wordt het adres)").fill(SLUG)
    author.get_by_role("button", name="Nieuwe kaart").click()
    expect(author.get_by_text("Geen fouten gevonden.")).to_be_visible()
    editor = author.url
    clean(author)

    author.get_by_role("link", name="Kop van de kaart bewerken").click()
    author.get_by_label("Titel", exact=True).fill(TITLE)
    author.get_by_label("Samenvatting").fill("Post op naam van vreemden in een gang. Wat doe je met wat je ziet?")
    author.get_by_role("button", name="Kop opslaan").click()
    expect(author.get_by_text("Kop opgeslagen om")).to_be_visible()
    clean(author)
    # A second kader rule, added in place: the card of the issue has three steps, two endings and its rules.
    author.get_by_role("button", name="Regel toevoegen").click()
    rule = author.locator("#regel-2")
    rule.get_by_label("Naam van de regel").fill("Post op naam van een ander")
    rule.get_by_label("Bij welke stappen (namen, met komma's)").fill("begin")
    rule.get_by_label("Uitleg").fill("Je mag vragen van wie de post is. Je mag niet zelf in de post kijken.")
    rule.get_by_label("Bron (wet of richtlijn, met artikel)").fill("Wetboek van Strafrecht, artikel 139c")
    author.get_by_role("button", name="Kop opslaan").click()
    expect(author.get_by_text("Kop opgeslagen om")).to_be_visible()

    # Two more steps, each reached from the one before through the step form's "Leidt naar".
    for new_step, from_step in (("stap-2", "begin"), ("stap-3", "stap-2")):
        author.goto(editor)
        author.get_by_role("button", name="Stap toevoegen").click()
        expect(author.get_by_text("Er staat een nieuwe stap na de laatste stap.")).to_be_visible()
        author.get_by_role("link", name=f"Bewerk stap {from_step} met het formulier").click()
        author.locator("#optie-1").get_by_label("Leidt naar").select_option(new_step)
        author.get_by_role("button", name="Stap opslaan").click()
        expect(author.get_by_text("Stap opgeslagen om")).to_be_visible()
    author.goto(editor)
    expect(author.locator(".step-list").first.locator("li")).to_have_count(3)
    expect(author.locator(".step-list").nth(1).locator("li")).to_have_count(2)

    author.goto(editor)
    author.get_by_role("link", name="Bewerk stap begin met het formulier").click()
    situation = author.get_by_label("Situatie")
    situation.fill(SITUATION + " Zijn nummer is 06-12345678.")
    author.get_by_role("button", name="Stap opslaan").click()
    expect(situation).to_have_attribute("aria-invalid", "true")
    expect(author.locator("#situatie-fout")).to_contain_text("telefoonnummer")
    expect(situation).to_have_value(SITUATION + " Zijn nummer is 06-12345678.")  # nothing typed is lost
    clean(author, "stap-fout-1366")
    situation.fill(SITUATION)
    author.get_by_role("button", name="Stap opslaan").click()
    expect(author.get_by_text("Stap opgeslagen om")).to_be_visible()
    clean(author)

    author.goto(editor)
    expect(author.get_by_text("Geen fouten gevonden.")).to_be_visible()
    author.get_by_role("link", name="Bekijk zoals een lezer het ziet").click()
    expect(author.get_by_role("heading", level=1)).to_contain_text(TITLE)
    clean(author)
    author.get_by_role("link", name="Loop de kaart alleen").click()
    expect(author.get_by_text("stapels post")).to_be_visible()
    clean(author)
    author.get_by_role("link", name="B. Je wacht af.").click()
    clean(author)

    author.goto(editor)
    author.get_by_role("link", name=re.compile("Bekijk zoals de zaal het ziet")).click()
    clean(author)
    voting = author.locator("a[href$='/begin/stemmen/telefoon']").get_attribute("href")
    small = view(browser, 390, 844)
    small.context.add_cookies(author.context.cookies())
    small.goto(live_server + voting)
    expect(small.get_by_text("druk op een optie")).to_be_visible()
    clean(small)
    small.get_by_role("button", name="Optie B: Je wacht af.").click()
    expect(small.get_by_role("button", name="Optie B: Je wacht af.")).to_have_attribute("aria-pressed", "true")
    expect(small.get_by_role("button", name="Optie B: Je wacht af.")).to_be_focused()  # where the press left it
    expect(small.locator("[data-stem-status]")).to_have_text(
        "Je stem is binnen: B. Je kunt nog wisselen tot de stemming sluit.")
    clean(small, "voorbeeld-telefoon-gestemd-390")
    small.context.close()

    author.goto(editor)
    author.get_by_role("button", name="Ter beoordeling aanbieden").click()
    expect(author.get_by_text("De tekst is ter beoordeling aangeboden.")).to_be_visible()
    return editor


def review_with_a_return(author: Page, colleague: Page, editor: str) -> None:
    """The colleague returns the card with a remark at the step; the author fixes it; approved and published."""
    colleague.goto(editor)
    clean(colleague)
    colleague.get_by_label("Bij welke regel of welk onderdeel?").fill("stap begin")
    colleague.get_by_label("Opmerking", exact=True).fill("Maak de vraag concreter: wat doe je vandaag nog?")
    colleague.get_by_role("button", name="Opmerking plaatsen").click()
    colleague.get_by_role("button", name="Terugsturen met opmerkingen").click()
    expect(colleague.locator("h1 .tag")).to_have_text("teruggestuurd")

    author.goto(editor)
    expect(author.locator("#opmerkingen")).to_contain_text("Maak de vraag concreter")
    clean(author, "teruggestuurd-1366")
    author.get_by_role("link", name="Bewerk stap begin met het formulier").click()
    author.get_by_label("Vraag").fill("Wat doe je vandaag nog?")
    author.get_by_role("button", name="Stap opslaan").click()
    expect(author.get_by_text("Stap opgeslagen om")).to_be_visible()
    author.goto(editor)
    author.get_by_role("button", name="Ter beoordeling aanbieden").click()
    expect(author.get_by_text("De tekst is ter beoordeling aangeboden.")).to_be_visible()

    colleague.goto(editor)
    colleague.get_by_role("button", name="Goedkeuren").click()
    colleague.get_by_role("button", name="Publiceren").click()
    expect(colleague.get_by_text("Versie 1 is gepubliceerd.")).to_be_visible()
    clean(colleague)


def play_live(browser: Browser, live_server: str) -> None:
    """A facilitator plans a session with the card and plays its step with one phone."""
    console = desk(browser, live_server, "begeleider@example.org")
    new_plan(console, live_server, "Ochtend met een eigen kaart")
    add_to_plan(console, "dilemma", SLUG, 20)
    clean(console)
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    uil = view(browser, 390, 844)  # joins as browsing.phone does, with axe on each page on the way
    uil.goto(f"{live_server}/meedoen")
    clean(uil)
    uil.get_by_label("Code van de sessie").fill(code.lower())
    uil.get_by_role("button", name="Verder").click()
    clean(uil)
    uil.get_by_label("Bijnaam").fill("Uil")
    uil.get_by_role("button", name="Doe mee").click()
    expect(uil.get_by_text("Jij: Uil")).to_be_visible()
    clean(uil)
    for label in ("Naar het volgende onderdeel", "Open de stemming"):
        expect(console.locator("[data-primary]")).to_contain_text(label, timeout=LIVE)
        console.keyboard.press("ArrowRight")
    expect(uil.locator(".live-view[data-fase='stemmen']")).to_be_visible(timeout=LIVE)
    expect(uil.locator(".live-view")).to_contain_text("Wat doe je vandaag nog?")
    cast(uil, "A", "Je bespreekt het met een collega.")
    expect(console.locator("[data-stemmen]").first).to_have_text("1", timeout=LIVE)
    clean(console, "live-console-1366")
    clean(uil)
    expect(console.locator("[data-primary]")).to_contain_text("Sluit en toon de uitslag", timeout=LIVE)
    console.keyboard.press("ArrowRight")
    expect(uil.locator(".live-view[data-fase='uitslag']")).to_be_visible(timeout=LIVE)
    expect(uil.locator(".bar-chart")).to_contain_text("1 (100%)")
    clean(uil)
    expect(console.locator("[data-primary]")).to_contain_text("Volg A", timeout=LIVE)
    console.keyboard.press("ArrowRight")
    expect(uil.locator(".live-view[data-fase='gevolg']")).to_be_visible(timeout=LIVE)
    expect(uil.locator(".consequences")).to_contain_text("Wat merkt de cliënt hiervan?")
    clean(uil, "live-gevolg-390")
    console.context.close()
    uil.context.close()


def walk_alone(browser: Browser, live_server: str) -> None:
    """A deelnemer of Proefdorp walks the card alone on a phone."""
    reader = view(browser, 390, 844)
    reader.set_default_timeout(10_000)
    login(reader, live_server, "lezer@example.org")
    reader.goto(f"{live_server}/dilemmas/{SLUG}")
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)  # its own organisation's: no origin
    clean(reader)
    reader.get_by_role("button", name="Begin met de kaart").click()
    clean(reader)
    reader.get_by_label("Je bespreekt het met een collega.").check()
    for _ in range(3):  # begin, stap-2, stap-3: each first option leads on, the last to an ending
        if reader.get_by_role("radio").count():
            reader.get_by_role("radio").first.check()
        reader.get_by_role("button", name="Kies deze optie").click()
        clean(reader)
        reader.get_by_role("button", name=re.compile("Naar het einde|Verder naar de volgende stap")).click()
    expect(reader.get_by_role("heading", name="Samen kijken")).to_be_visible()
    clean(reader, "alleen-einde-390")
    reader.context.close()


def share(author: Page, browser: Browser, live_server: str) -> None:
    """Offered by the author, a reviewer from Reisdorp named by the platform accepts it, Reisdorp sees its origin."""
    author.goto(f"{live_server}/eigen/delen/")
    author.get_by_role("button", name=f"Aanbieden {SLUG} versie 1").click()
    expect(author.get_by_text("aangeboden, wacht op beoordeling")).to_be_visible()
    clean(author)

    platform = desk(browser, live_server, "platform@example.org")
    platform.goto(f"{live_server}/platform/")
    platform.get_by_label("Organisatie van de beoordelaar").select_option(label=OTHER)
    platform.get_by_label("E-mailadres van de beoordelaar").fill("reis-b@example.org")
    platform.get_by_role("button", name="Maak beoordelaar").click()
    expect(platform.get_by_text("reis-b@example.org beoordeelt nu de gedeelde bibliotheek.")).to_be_visible()
    expect(platform.get_by_role("row", name=re.compile(f"reis-b@example.org {OTHER}"))).to_be_visible()
    clean(platform, "beoordelaars-1366")
    platform.context.close()

    other = desk(browser, live_server, "reis-b@example.org")
    other.get_by_role("link", name="Gedeelde bibliotheek").click()
    clean(other)
    other.get_by_role("link", name=SLUG).click()
    expect(other.get_by_role("heading", level=1)).to_contain_text(TITLE)
    clean(other)
    other.get_by_role("button", name="Accepteren voor alle organisaties").click()
    expect(other.get_by_text("is opgenomen in de gedeelde bibliotheek")).to_be_visible()
    clean(other)
    other.goto(f"{live_server}/dilemmas/")
    card = other.locator("li.card", has=other.get_by_role("link", name=TITLE))
    expect(card.locator(".origin")).to_have_text("Van Gemeente Proefdorp")
    clean(other)
    card.screenshot(path=str(SHOTS / "reis-gedeeld-lijst-1366.png"))
    card.get_by_role("link", name=TITLE).click()
    expect(other).to_have_url(f"{live_server}/dilemmas/proefdorp--{SLUG}")
    expect(other.get_by_role("heading", level=1)).to_have_text(f"{TITLE} Van Gemeente Proefdorp")
    clean(other, "gedeeld-kaart-1366")
    other.context.close()


def test_an_own_card_from_its_first_word_to_another_organisations_library(browser: Browser, live_server):
    people(live_server.app)
    try:
        author = desk(browser, live_server, "reis-auteur@example.org")
        editor = write_and_preview(author, browser, live_server)
        colleague = desk(browser, live_server, "beheer@example.org")
        review_with_a_return(author, colleague, editor)
        colleague.context.close()
        play_live(browser, live_server)
        walk_alone(browser, live_server)
        share(author, browser, live_server)
        author.context.close()
    finally:
        leave_as_found(live_server.app)
