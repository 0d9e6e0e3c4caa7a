"""Insight in a real browser: a procesbegeleider's own sessions, and the beheerder's agreements, laptop and phone."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from markupsafe import Markup
from playwright.sync_api import Page, expect
from sqlalchemy import select

from bril.models import Agreement, Participant, User, Vote, Workshop, db, token_hash
from browsing import LIBRARY, SHOTS, axe_violations, login, no_sideways_scrolling

SIZES = {"laptop": (1366, 768), "telefoon": (390, 844)}
CARD = LIBRARY.dilemmas["tweehonderd-planten"]  # a card no other browser test plays or counts
ROUTES = list(LIBRARY.meldroutes.routes)
CODES = itertools.count(1)


@pytest.fixture(scope="module")
def own_sessions(live_server):
    """Six sessions of the procesbegeleider's on a card, voted in two rounds, each with agreements."""
    with live_server.app.app_context():
        owner = db.session.scalar(select(User).filter_by(email="begeleider@example.org"))
        step = next(iter(CARD.steps))
        for session in range(6):
            workshop = Workshop(owner_id=owner.id, title="Eigen", code=f"E{next(CODES):06d}",
                                agenda=[{"soort": "dilemma", "ref": CARD.slug, "minuten": 30}])
            db.session.add(workshop)
            db.session.flush()
            for number, (one, two) in enumerate([(1, 1)] * 4 + [(2, 1)] * 3 + [(2, 2)] * 2):
                participant = Participant(workshop_id=workshop.id, nickname=f"D{number}",
                                          token_hash=token_hash(f"{workshop.code}{number}"))
                db.session.add(participant)
                db.session.flush()
                for voted_round, option in ((1, one), (2, two)):
                    db.session.add(Vote(workshop_id=workshop.id, item=0, step=step, round=voted_round, option=option,
                                        participant_id=participant.id))
            db.session.add(Agreement(workshop_id=workshop.id, what="Geheim", who="team", by_when="morgen",
                                     meldroute=ROUTES[session % 2]))
        db.session.commit()


@pytest.mark.parametrize("size", SIZES)
def test_own_sessions_and_agreements_read_well_at_every_size(page: Page, live_server, own_sessions, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server, "begeleider@example.org")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inzicht", exact=True).click()
    expect(page.get_by_role("heading", name="Inzicht Mijn sessies")).to_be_visible()
    question = Markup(CARD.steps[next(iter(CARD.steps))].question).striptags()
    step = page.locator(".insight-step", has_text=question).first
    expect(step.locator("svg.insight-chart")).to_be_visible()
    expect(step.locator("table")).to_contain_text("Ronde 2")
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / f"inzicht-mijn-sessies-{size}.png"), full_page=False)
    with page.expect_download() as download:  # the same figures as a table for Excel
        page.get_by_role("link", name="Download deze cijfers als tabel (voor Excel)").click()
    assert download.value.suggested_filename == "inzicht-mijn-sessies.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("Wat;Aantal") and "Ronde 2" in text

    page.context.clear_cookies()
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/inzicht/")
    page.get_by_role("link", name="Hoeveel afspraken jullie teams maakten").click()
    expect(page.get_by_role("heading", name="Inzicht Afspraken en meldroutes")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Sessies met afspraken")
    assert "Geheim" not in page.content()
    assert no_sideways_scrolling(page)
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / f"inzicht-afspraken-{size}.png"), full_page=False)
