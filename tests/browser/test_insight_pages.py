"""Insight in a real browser: a beheerder's card page with charts and their tables, at laptop and phone size."""
from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bril.models import DilemmaWalk, Participant, SceneMark, User, Vote, Workshop, db, token_hash
from browsing import LIBRARY, SHOTS, axe_violations, login, no_sideways_scrolling

SIZES = {"laptop": (1366, 768), "telefoon": (390, 844)}
CARD = LIBRARY.dilemmas["zwart-werk-of-fraude"]  # a card no other browser test plays: its figures are these alone
CODES = itertools.count(1)  # session codes are unique: a counter, never a random clash
# The roles the participants chose, in turn: 11, 11 and 9 of them. Roles no other browser test gives a phone
# (they share this server and its organisation), so the count per role is these sessions' alone.
ROLES = ("leerkracht", "boa", "wmo-consulent")


@pytest.fixture(scope="module")
def rooms(live_server):
    """Two sessions of the beheerder's organisation on the card, and walkers alone, with a small count among them."""
    app = live_server.app
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email="begeleider@example.org"))
        step = next(iter(CARD.steps))
        for votes in ([1] * 8 + [2] * 6 + [3] * 3, [1] * 5 + [2] * 9):
            workshop = Workshop(owner_id=owner.id, title="Inzicht", code=f"I{next(CODES):06d}",
                                agenda=[{"soort": "dilemma", "ref": CARD.slug, "minuten": 30}])
            db.session.add(workshop)
            db.session.flush()
            for number, option in enumerate(votes):
                participant = Participant(workshop_id=workshop.id, nickname=f"D{number}",
                                          token_hash=token_hash(f"{workshop.code}{number}"), role=ROLES[number % 3])
                db.session.add(participant)
                db.session.flush()
                db.session.add(Vote(workshop_id=workshop.id, item=0, step=step, round=1, option=option,
                                    participant_id=participant.id))
        for option in [1] * 7 + [2] * 12:
            db.session.add(DilemmaWalk(dilemma=CARD.slug, decisions=[[step, option]]))
        db.session.commit()


@pytest.mark.parametrize("size", SIZES)
def test_a_beheerder_sees_charts_with_their_tables_and_hidden_small_counts(page: Page, live_server, rooms, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/inzicht/")
    expect(page.get_by_role("heading", name="Inzicht", exact=True)).to_be_visible()
    page.screenshot(path=str(SHOTS / f"inzicht-overzicht-{size}.png"), full_page=False)  # the filter, each under its label
    by_role = page.locator("table", has=page.locator("caption", has_text="Sessies en deelnemers per rol"))
    expect(by_role.locator("tr", has_text="Leerkracht")).to_contain_text("11")
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    by_role.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"inzicht-per-rol-{size}.png"), full_page=False)
    page.get_by_role("link", name=CARD.title).click()
    first = page.locator(".insight-step").first
    expect(first.locator("svg.insight-chart").first).to_be_visible()
    expect(first.locator("table").first).to_contain_text("verborgen")  # the 3 votes for C
    # A (8 + 5) or B (6 + 9) is hidden too, so that C's 3 cannot be worked out from the total of 31; the other shows.
    table = first.locator("table").first.inner_text()
    assert ("13 (" in table) != ("15 (" in table) and "31" in table
    assert first.locator("svg.insight-chart rect").count() >= 2
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / f"inzicht-kaart-{size}.png"), full_page=False)


STORY = LIBRARY.stories["tristan"]  # a story no other browser test marks or answers


@pytest.fixture(scope="module")
def marked(live_server):
    """Two sessions of the beheerder's organisation that read the story, marking the first scene's signals."""
    app = live_server.app
    scene = STORY.scenes[0]
    keys = [signal.passage for signal in scene.signals]
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email="begeleider@example.org"))
        for marks in ([keys] * 6 + [keys[:1]] * 5 + [[]] * 2, [keys[:1]] * 9):
            workshop = Workshop(owner_id=owner.id, title="Signalen", code=f"I{next(CODES):06d}",
                                agenda=[{"soort": "verhaal", "ref": STORY.slug, "minuten": 20}])
            db.session.add(workshop)
            db.session.flush()
            for number, passages in enumerate(marks):
                participant = Participant(workshop_id=workshop.id, nickname=f"D{number}",
                                          token_hash=token_hash(f"{workshop.code}{number}"))
                db.session.add(participant)
                db.session.flush()
                db.session.add(SceneMark(workshop_id=workshop.id, item=0, scene=scene.number, passages=passages,
                                         participant_id=participant.id))
        db.session.commit()


@pytest.mark.parametrize("size", SIZES)
def test_a_beheerder_sees_which_signals_were_seen_and_missed(page: Page, live_server, marked, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/inzicht/")
    page.get_by_role("link", name=STORY.title).click()
    first = page.locator(".insight-step").first
    expect(first.locator("svg.insight-chart").first).to_be_visible()
    table = first.locator("table").first
    expect(table).to_contain_text("22")  # everyone who marked the scene in a session
    expect(table).to_contain_text("verborgen")  # the 2 who saw nothing, and what would give them away
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    expect(page.locator("svg.trend-chart")).to_be_visible()  # per quarter, with its table
    signals = len(STORY.scenes[0].signals)  # 6 saw all, 14 the first only, 2 none: of 22 people
    seen = round(100 * (6 * signals + 14) / (22 * signals))
    expect(page.locator("#per-kwartaal + p + .chart-and-table table")).to_contain_text(f"{seen}% gezien")
    page.screenshot(path=str(SHOTS / f"inzicht-verhaal-{size}.png"), full_page=True)


def test_the_summary_prints_on_paper_without_the_filter(page: Page, live_server, rooms, marked):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/inzicht/")
    page.get_by_role("link", name="Samenvatting op één pagina (om af te drukken)").click()
    expect(page.get_by_role("link", name=STORY.title)).to_be_visible()
    expect(page.get_by_role("link", name=CARD.title)).to_be_visible()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "inzicht-samenvatting-laptop.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("form.insight-filter")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "inzicht-samenvatting-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(b"/Type /Page ") <= 2
