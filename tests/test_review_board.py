"""The shared library's review board: the platformbeheerder names users of any organisation at /platform; they
accept or return offers at /platform/gedeeld/, never their own organisation's, and nothing else of /platform
opens for them. And the origin of a shared version as data: kept on the offer when it is offered, beside the
title on the pages, filled in by migration 0020 for offers made before it."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from bril.models import Organisation, SharedOffer, User, db
from support.sharing import published_own_card
from support import CSRF_INPUT
from support.sessions import login



@pytest.fixture
def board(app, make_org, make_user):
    """Gemeente Testdorp (A) with a published card its beheerder offers, Gemeente Anders (B) with a deelnemer,
    and the platformbeheerder; clients for each."""
    make_org("testgemeente", "Gemeente Testdorp")
    make_org("anders", "Gemeente Anders")
    make_user("a-beheer@example.org", role="beheerder", org="testgemeente")
    make_user("a-begeleider@example.org", role="procesbegeleider", org="testgemeente")
    make_user("b-lezer@example.org", role="deelnemer", org="anders")
    make_user("platform@example.org", role="platformbeheerder")
    version = published_own_card(app, "testgemeente")
    clients = {name: login(app, email) for name, email in (
        ("a", "a-beheer@example.org"), ("a_reviewer", "a-begeleider@example.org"), ("b", "b-lezer@example.org"),
        ("platform", "platform@example.org"))}
    assert clients["a"].submit(f"/eigen/delen/{version}/aanbieden", page="/eigen/delen/").status_code == 302
    return {"version": version, **clients}


def organisation_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).filter_by(slug=slug))


def name_reviewer(board, organisation: int, email: str):
    """The platformbeheerder's form at /platform: the reviewer's organisation and address."""
    token = CSRF_INPUT.search(board["platform"].get("/platform/").get_data(as_text=True)).group(1)
    return board["platform"].post("/platform/beoordelaars", data={
        "beoordelaar-csrf_token": token, "beoordelaar-organisation": str(organisation), "beoordelaar-email": email})


def offer_state(app) -> tuple[str, int | None]:
    with app.app_context():
        shared = db.session.scalar(select(SharedOffer))
        return shared.state, shared.decided_by_id


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).filter_by(email=email))


def test_a_named_reviewer_decides_on_other_organisations_offers_and_sees_nothing_else(app, board):
    b = organisation_id(app, "anders")
    assert board["b"].get("/platform/gedeeld/").status_code == 403
    assert "Gedeelde bibliotheek" not in board["b"].get("/").get_data(as_text=True)
    named = name_reviewer(board, b, " B-Lezer@Example.org ")
    assert named.status_code == 302 and named.location.endswith("/platform/#beoordelaars")
    page = board["platform"].get("/platform/").get_data(as_text=True)
    assert re.search(r"<th scope=\"row\">b-lezer@example.org</th><td>Gemeente Anders</td>", page)

    assert "Gedeelde bibliotheek" in board["b"].get("/").get_data(as_text=True)
    listing = board["b"].get("/platform/gedeeld/").get_data(as_text=True)
    assert "1 aanbod wacht op beoordeling" in listing and "van je eigen organisatie" not in listing
    assert 'href="/platform/"' not in listing  # the platform's crumbs are not theirs
    for address in ("/platform/", f"/platform/{b}"):
        assert board["b"].get(address).status_code == 403
    review = board["b"].get(f"/platform/gedeeld/{board['version']}").get_data(as_text=True)
    assert "Accepteren voor alle organisaties" in review
    # An address never leaves its organisation: the board reads which organisation offered, the platform who.
    assert "aangeboden door Gemeente Testdorp op" in review and "a-beheer@example.org" not in review
    platform_view = board["platform"].get(f"/platform/gedeeld/{board['version']}").get_data(as_text=True)
    assert "a-beheer@example.org" in platform_view
    decided = board["b"].submit(f"/platform/gedeeld/{board['version']}", {"besluit": "accepteren"})
    assert decided.status_code == 302
    assert offer_state(app) == ("geaccepteerd", user_id(app, "b-lezer@example.org"))
    # A reviewer of another organisation may take an accepted card out again, as the platformbeheerder may: with a
    # reason the organisation reads, never without one.
    after = board["b"].get(f"/platform/gedeeld/{board['version']}").get_data(as_text=True)
    assert "Intrekken" in after and "b-lezer@example.org" not in after and "· beoordeeld op" in after
    url, page = f"/platform/gedeeld/{board['version']}/intrekken", f"/platform/gedeeld/{board['version']}"
    without = board["b"].submit(url, {"reden": "  "}, page=page)
    assert without.status_code == 422 and offer_state(app)[0] == "geaccepteerd"
    assert "Schrijf op waarom je dit uit de gedeelde bibliotheek haalt." in without.get_data(as_text=True)
    assert board["b"].submit(url, {"reden": "De tweede stap klopt niet meer."}, page=page).status_code == 302
    assert offer_state(app)[0] == "ingetrokken"
    assert "De tweede stap klopt niet meer." in board["a"].get("/eigen/delen/").get_data(as_text=True)


def test_a_reviewer_never_decides_on_their_own_organisations_offer(app, board):
    assert name_reviewer(board, organisation_id(app, "testgemeente"), "a-begeleider@example.org").status_code == 302
    mine = board["a_reviewer"]
    assert "van je eigen organisatie: een ander beslist" in mine.get("/platform/gedeeld/").get_data(as_text=True)
    review = mine.get(f"/platform/gedeeld/{board['version']}").get_data(as_text=True)
    assert "Dit aanbod komt van je eigen organisatie." in review and "Accepteren voor alle organisaties" not in review
    refused = mine.submit(f"/platform/gedeeld/{board['version']}", {"besluit": "accepteren"},
                          page="/platform/gedeeld/")
    assert refused.status_code == 422 and "Dit aanbod komt van je eigen organisatie." in refused.get_data(as_text=True)
    assert offer_state(app) == ("aangeboden", None)
    # Once accepted (by the platform), their own organisation's card is not theirs to take out from here either.
    page = f"/platform/gedeeld/{board['version']}"
    assert board["platform"].submit(page, {"besluit": "accepteren"}).status_code == 302
    assert "Intrekken" not in mine.get(page).get_data(as_text=True)
    kept = mine.submit(f"{page}/intrekken", {"reden": "Weg ermee."}, page=page)
    assert kept.status_code == 422 and "Dit aanbod komt van je eigen organisatie." in kept.get_data(as_text=True)
    assert offer_state(app)[0] == "geaccepteerd"


def test_naming_an_unknown_address_or_a_reviewer_twice_is_refused_with_the_typed_address_kept(app, board):
    b = organisation_id(app, "anders")
    # The address exists, but in another organisation: not found in the one chosen.
    wrong = name_reviewer(board, b, "a-beheer@example.org")
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Er is geen account met dit e-mailadres in deze organisatie." in page
    assert 'value="a-beheer@example.org"' in page and 'aria-invalid="true"' in page
    assert name_reviewer(board, b, "b-lezer@example.org").status_code == 302
    twice = name_reviewer(board, b, "b-lezer@example.org")
    assert twice.status_code == 422 and "b-lezer@example.org is al beoordelaar." in twice.get_data(as_text=True)


def test_the_platform_takes_a_reviewer_off_the_board(app, board):
    assert name_reviewer(board, organisation_id(app, "anders"), "b-lezer@example.org").status_code == 302
    member = user_id(app, "b-lezer@example.org")
    taken = board["platform"].submit(f"/platform/beoordelaars/{member}/weg", page="/platform/")
    assert taken.status_code == 302
    assert "Er zijn nog geen beoordelaars" in board["platform"].get("/platform/").get_data(as_text=True)
    assert board["b"].get("/platform/gedeeld/").status_code == 403
    # Nobody to take off: not found.
    assert board["platform"].submit(f"/platform/beoordelaars/{member}/weg", page="/platform/").status_code == 404


def test_the_origin_is_the_name_the_organisation_had_when_it_offered(app, board):
    with app.app_context():
        assert db.session.scalar(select(SharedOffer.origin)) == "Gemeente Testdorp"
    board["platform"].submit(f"/platform/gedeeld/{board['version']}", {"besluit": "accepteren"})
    renamed = board["platform"].submit(f"/platform/{organisation_id(app, 'testgemeente')}",
                                       {"name": "Gemeente Nieuwdorp"})
    assert renamed.status_code == 302
    for page in ("", "/routes"):  # the card and its map
        card = board["b"].get(f"/dilemmas/testgemeente--eigen-voordeur{page}").get_data(as_text=True)
        assert '<span class="origin">Van Gemeente Testdorp</span>' in card


def test_migration_0020_gives_existing_offers_their_organisations_name(database_url):
    from alembic import command

    from app import create_app
    from bril.cli import alembic_config
    from support import close_app
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        command.upgrade(alembic_config(app), "0018")
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO organisation (id, name, slug, created_at, content_version) "
                                    "VALUES (5, 'Gemeente Oud', 'oud', '2026-01-01', 1)"))
            connection.execute(text("INSERT INTO publication (id, organisation_id, kind, slug, number, text, "
                                    "published_at, withdrawn) VALUES (3, 5, 'dilemma', 'kaart', 1, 'tekst', "
                                    "'2026-01-01', false)"))
            connection.execute(text("INSERT INTO shared_offer (publication_id, organisation_id, state, offered_at) "
                                    "VALUES (3, 5, 'geaccepteerd', '2026-01-02')"))
        command.upgrade(alembic_config(app), "head")
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT origin FROM shared_offer")).scalar() == "Gemeente Oud"
            assert connection.execute(text('SELECT count(*) FROM "user" WHERE shared_reviewer')).scalar() == 0
        command.downgrade(alembic_config(app), "0018")
    close_app(app)
