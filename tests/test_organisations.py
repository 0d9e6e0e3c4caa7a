"""One installation, many organisations: each sees and changes only its own users, plans and sessions;
the platformbeheerder adds organisations; an existing installation moves into one without loss."""
from __future__ import annotations

import re

from alembic import command
from sqlalchemy import func, select, text

from app import create_app
from bril.cli import alembic_config
from bril.models import Organisation, User, db
from support import PASSWORD, close_app
from support.sessions import login

OTHER = "andere-gemeente"


def test_a_beheerder_sees_and_manages_only_the_users_of_their_organisation(app, two_organisations):
    beheer = login(app, "a-beheer@example.org")
    html = beheer.get("/beheer/gebruikers").get_data(as_text=True)
    assert "a-begeleider@example.org" in html and "b-begeleider@example.org" not in html
    with app.app_context():
        other = db.session.scalar(select(User.id).where(User.email == "b-begeleider@example.org"))
    page = "/beheer/gebruikers"
    assert beheer.submit(f"/beheer/gebruikers/{other}/rol", {"role": "deelnemer"}, page=page).status_code == 404
    assert beheer.submit(f"/beheer/gebruikers/{other}/verwijderen", page=page).status_code == 404
    # A new account lands in the beheerder's own organisation; the platform role cannot be given.
    beheer.submit(page, {"email": "nieuw@example.org", "role": "procesbegeleider", "method": "uitnodiging"})
    refused = beheer.submit(page, {"email": "baas@example.org", "role": "platformbeheerder", "method": "uitnodiging"})
    assert refused.status_code == 200 and "Platformbeheerder" not in refused.get_data(as_text=True).split("<select")[1]
    with app.app_context():
        new = db.session.scalar(select(User).where(User.email == "nieuw@example.org"))
        assert new.organisation.slug == "testgemeente"
        assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "baas@example.org")) == 0


def test_nobody_reaches_a_plan_or_session_of_another_organisation(app, two_organisations):
    (_, session_a), (plan_b, session_b) = two_organisations["a"], two_organisations["b"]
    with app.app_context():
        from bril.models import Workshop
        code_b = db.session.get(Workshop, session_b).code
    for email in ("a-beheer@example.org", "a-begeleider@example.org"):
        client = login(app, email)
        for url in (f"/sessies/plannen/{plan_b}", f"/sessies/{session_b}", f"/sessies/{session_b}/scherm",
                    f"/sessies/{session_b}/verslag", f"/sessies/{session_b}/verslag.csv"):
            assert client.get(url).status_code == 404, (email, url)
        own = f"/sessies/{session_a}" if email.startswith("a-begeleider") else "/sessies/plannen/"
        assert client.submit(f"/sessies/{session_b}/actie/volgende", page=own).status_code == 404
        # Nor its live state by stream or poll, with the code in hand.
        for view in ("console", "scherm"):
            for kind in ("stand", "stroom"):
                assert client.get(f"/live/{code_b}/{kind}?weergave={view}").status_code == 403
    # Within the organisation a beheerder still helps out: the session of a's procesbegeleider opens.
    assert login(app, "a-beheer@example.org").get(f"/sessies/{session_a}").status_code == 200


def test_the_platformbeheerder_adds_an_organisation_whose_beheerder_starts_empty(app, make_user):
    make_user("platform@example.org", role="platformbeheerder")
    make_user("a-beheer@example.org", role="beheerder")
    platform = login(app, "platform@example.org")
    assert platform.get("/beheer/gebruikers").status_code == 403 and platform.get("/sessies/").status_code == 403
    refused = platform.submit("/platform/", {"name": "", "slug": "Met Spaties", "email": "x"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Vul een naam in." in html and 'value="Met Spaties"' in html
    response = platform.submit("/platform/", {"name": "Gemeente Zuidwold", "email": "zw-beheer@example.org"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Gemeente Zuidwold is toegevoegd" in html
    link = re.search(r'value="(http[^"]+/uitnodiging/[^"]+)"', html).group(1)
    newcomer = app.test_client()
    path = link.split("localhost", 1)[1]
    newcomer.submit(path, {"password": PASSWORD, "confirm": PASSWORD})
    users = newcomer.get("/beheer/gebruikers").get_data(as_text=True)
    assert "zw-beheer@example.org" in users and "a-beheer@example.org" not in users
    assert login(app, "a-beheer@example.org").get("/platform/").status_code == 403
    # A long name gets a short name cut to 40 characters, not a refusal.
    long_name = "Samenwerkende gemeenten in de regio Noordoost-Friesland en omstreken"
    added = platform.submit("/platform/", {"name": long_name, "email": "lang@example.org"})
    assert added.status_code == 200 and f"{long_name} is toegevoegd" in added.get_data(as_text=True)
    # A name whose short name is taken gets a message, not an error page.
    clash = platform.submit("/platform/", {"name": "Gemeente-Zuidwold", "email": "clash@example.org"})
    assert clash.status_code == 422 and "Deze korte naam is al in gebruik." in clash.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Organisation.slug).where(Organisation.name == "Gemeente Zuidwold")) == \
            "gemeente-zuidwold"


def test_the_platformbeheerder_renames_an_organisation_and_its_users_see_the_new_name(app, make_user, make_org):
    make_user("platform@example.org", role="platformbeheerder")
    make_user("a-lezer@example.org", role="deelnemer", org="zuidwold")
    make_org("noordwold", "Gemeente Noordwold")
    with app.app_context():
        zuidwold = db.session.scalar(select(Organisation).where(Organisation.slug == "zuidwold"))
    platform = login(app, "platform@example.org")
    page = f"/platform/{zuidwold.id}"
    assert f'href="{page}"' in platform.get("/platform/").get_data(as_text=True)
    taken = platform.submit(page, {"name": "gemeente noordwold"})
    assert taken.status_code == 422 and "Er is al een organisatie met deze naam." in taken.get_data(as_text=True)
    assert 'value="gemeente noordwold"' in taken.get_data(as_text=True)
    assert platform.submit(page, {"name": zuidwold.name}).status_code == 302  # keeping its own name is fine
    done = platform.submit(page, {"name": "Gemeente Zuid-Wold"})
    assert done.status_code == 302
    assert "Gemeente Zuid-Wold" in platform.get("/platform/").get_data(as_text=True)
    assert "Gemeente Zuid-Wold" in login(app, "a-lezer@example.org").get("/privacy").get_data(as_text=True)
    assert platform.get("/platform/99999").status_code == 404


def test_an_installation_at_the_previous_revision_moves_into_one_organisation(database_url):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    try:
        with app.app_context():
            config = alembic_config(app)
            command.upgrade(config, "0005")
            rows = {
                '"user"': "INSERT INTO \"user\" (id, email, role, session_token, created_at) VALUES "
                          "(1, 'b@example.org', 'procesbegeleider', 't', '2026-01-01'), "
                          "(2, 'd@example.org', 'deelnemer', 't', '2026-01-01')",
                "session_plan": "INSERT INTO session_plan (id, owner_id, title, items, created_at, updated_at) "
                                "VALUES (1, 1, 'Plan', '[]', '2026-01-01', '2026-01-01')",
                "workshop": "INSERT INTO workshop (id, owner_id, title, agenda, code, locked, item, scene, route, "
                            "vote, round, pieces_shown, prompt, timer_seconds, timer_used, version, created_at) "
                            "VALUES (1, 1, 'Sessie', '[]', 'ABC234', false, 0, 1, '[]', 'dicht', 1, false, 0, 0, 0, "
                            "1, '2026-01-01')",
                "vote": "INSERT INTO vote (id, workshop_id, item, step, round, option, updated_at) VALUES "
                        "(1, 1, 0, 's', 1, 2, '2026-01-01')",
                "dilemma_walk": "INSERT INTO dilemma_walk (id, user_id, dilemma, decisions, reviewing, token, updated_at, "
                                "started_at) VALUES (1, 2, 'kaart', '[]', false, 'tok', '2026-01-01', '2026-01-01')",
                "reflection": "INSERT INTO reflection (id, user_id, story, body, created_at) VALUES "
                              "(1, 2, 'jeffrey', 'Mijn les.', '2026-01-01')",
            }
            with db.engine.begin() as connection:
                for statement in rows.values():
                    connection.execute(text(statement))
            command.upgrade(config, "head")
            with db.engine.connect() as connection:
                for table in rows:
                    assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() >= 1, table
                assert connection.execute(text("SELECT organisation_id FROM \"user\" ORDER BY id")).scalars().all() \
                    == [1, 1]
                assert connection.execute(text("SELECT slug FROM organisation")).scalars().all() == ["standaard"]
            # The next organisation gets the next id, also on PostgreSQL where the first was set by hand.
            db.session.add(Organisation(name="Tweede", slug="tweede"))
            db.session.commit()
            assert db.session.scalar(select(Organisation.id).where(Organisation.slug == "tweede")) == 2
    finally:
        close_app(app)


def test_each_organisation_names_its_own_contact_in_the_statements(app, two_organisations):
    beheer_a = login(app, "a-beheer@example.org")
    refused = beheer_a.submit("/beheer/organisatie", {"name": "andere gemeente", "contact_email": "geen adres"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Er is al een organisatie met deze naam." in html
    assert 'value="geen adres"' in html  # what was typed stays
    saved = beheer_a.submit("/beheer/organisatie", {"name": "Gemeente Oostwold", "contact_email": "AVG@oostwold.example"})
    assert saved.status_code == 302
    own = login(app, "a-begeleider@example.org").get("/privacy").get_data(as_text=True)
    assert "Gemeente Oostwold" in own and "mailto:avg@oostwold.example" in own
    other = login(app, "b-begeleider@example.org").get("/toegankelijkheid").get_data(as_text=True)
    assert "Gemeente Oostwold" not in other and "oostwold" not in other
    assert login(app, "a-begeleider@example.org").get("/beheer/organisatie").status_code == 403


# --- One address, several organisations: nothing blocks, links or reveals across them ---

def add_user(beheer, email: str):
    return beheer.submit("/beheer/gebruikers", {"email": email, "role": "deelnemer", "method": "uitnodiging"})


def test_an_address_of_another_organisation_neither_blocks_nor_reveals_anything(app, make_user):
    make_user("a-beheer@example.org", role="beheerder", org="testgemeente")
    make_user("b-beheer@example.org", role="beheerder", org=OTHER)
    beheer_a, beheer_b = login(app, "a-beheer@example.org"), login(app, "b-beheer@example.org")
    # B's beheerder adds A's colleague before A does: accepted exactly as an unknown address would be ...
    unknown = add_user(beheer_b, "nooit-gezien@example.org")
    taken_elsewhere = add_user(beheer_b, "naam@gemeente-a.nl")
    for answer in (unknown, taken_elsewhere):
        assert answer.status_code == 200 and "Uitnodiging klaar" in answer.text and "al een account" not in answer.text
    # ... and A's beheerder can still add the colleague to A.
    assert "Uitnodiging klaar" in add_user(beheer_a, "naam@gemeente-a.nl").text
    with app.app_context():
        homes = sorted(db.session.scalars(select(Organisation.slug).join(User, User.organisation_id == Organisation.id)
                                          .where(User.email == "naam@gemeente-a.nl")))
    assert homes == sorted(["testgemeente", OTHER])
    # Twice in one organisation is refused, and says so only about that organisation.
    again = add_user(beheer_a, "naam@gemeente-a.nl")
    assert again.status_code == 200 and "Er is in je organisatie al een account met dit e-mailadres" in again.text


def test_the_password_decides_which_of_two_accounts_with_one_address_logs_in(app, make_user, make_org):
    first = make_user("dubbel@example.org", org="testgemeente")
    second = make_user("dubbel@example.org", org=OTHER, password=PASSWORD + " bij de buren")
    for password, account in ((PASSWORD, first), (PASSWORD + " bij de buren", second)):
        client = app.test_client()
        assert client.submit("/inloggen", {"email": "dubbel@example.org", "password": password}).status_code == 302
        with app.app_context():
            logged_in = db.session.scalars(select(User.id).where(User.last_login_at.is_not(None))).all()
        assert account.id in logged_in and len(logged_in) == (1 if account is first else 2)
    wrong = app.test_client().submit("/inloggen", {"email": "dubbel@example.org", "password": "niet het goede hoor"})
    assert "horen niet bij elkaar" in wrong.text and "Bij welke organisatie" not in wrong.text


def test_one_password_for_two_accounts_lets_the_user_choose_the_organisation(app, make_user, make_org):
    first = make_user("dubbel@example.org", org="testgemeente")
    second = make_user("dubbel@example.org", org=OTHER)
    make_user("dubbel@example.org", org="derde-gemeente", password=PASSWORD + " anders")
    client = app.test_client()
    login_data = {"email": "dubbel@example.org", "password": PASSWORD}
    choice = client.submit("/inloggen", login_data)
    assert choice.status_code == 200 and "Bij welke organisatie wil je inloggen?" in choice.text
    assert f'value="{first.id}"' in choice.text and f'value="{second.id}"' in choice.text
    assert "Derde Gemeente" not in choice.text  # an account this password does not open is never named
    assert client.get("/account/").status_code == 302
    # A made-up choice (the third account, or any other id) only shows the choice again.
    third = app.test_client().submit("/inloggen", {**login_data, "account": str(second.id + 1)})
    assert third.status_code == 200 and "Bij welke organisatie" in third.text
    assert client.submit("/inloggen", {**login_data, "account": str(second.id)}).status_code == 302
    with app.app_context():
        assert db.session.get(User, second.id).last_login_at is not None
        assert db.session.get(User, first.id).last_login_at is None


def publish_own_card(app, org: str, title: str, slug: str = "eigen-voordeur") -> int:
    """Publish (through `flask content import --publish`) the fixture card `voordeur` as an organisation's own
    card under another name and title; the version's number."""
    from pathlib import Path
    import tempfile

    from bril.content_files import import_files
    source = Path(__file__).parent / "content" / "library" / "dilemmas" / "voordeur.md"
    with tempfile.TemporaryDirectory() as folder, app.app_context():
        path = Path(folder) / "dilemmas" / f"{slug}.md"
        path.parent.mkdir()
        path.write_text(source.read_text(encoding="utf-8").replace(
            "titel: Een niet-pluisgevoel bij de voordeur", f"titel: {title}"), encoding="utf-8")
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == org))
        result = import_files(organisation, [path], publish=True)
        assert result.problems == [] and len(result.published) == 1
        from bril.models import Publication
        return db.session.scalar(select(func.max(Publication.number)).where(Publication.slug == slug))


def test_an_own_card_is_seen_only_in_its_organisation_and_sessions_keep_their_version(app, two_organisations):
    from bril.models import Workshop
    from support.sessions import act
    assert publish_own_card(app, OTHER, "Onze eigen voordeur") == 1
    b_user, a_user = login(app, "b-begeleider@example.org"), login(app, "a-begeleider@example.org")
    assert "Onze eigen voordeur" in b_user.get("/dilemmas/").get_data(as_text=True)
    assert "Onze eigen voordeur" in b_user.get("/dilemmas/eigen-voordeur").get_data(as_text=True)
    for client in (a_user, login(app, "a-beheer@example.org"), app.test_client()):
        assert "Onze eigen voordeur" not in client.get("/dilemmas/").get_data(as_text=True)
        for url in ("/dilemmas/eigen-voordeur", "/dilemmas/eigen-voordeur/routes", "/dilemmas/eigen-voordeur/print"):
            assert client.get(url).status_code == 404, url
    refused = a_user.submit("/sessies/plannen/", {"title": "Poging", "card": "dilemma:eigen-voordeur"})
    assert refused.status_code == 422
    # B plans it: the plan keeps version 1, and so does the session started from it.
    made = b_user.submit("/sessies/plannen/", {"title": "Eigen kaart", "card": "dilemma:eigen-voordeur"})
    plan_id = int(made.location.rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        from bril.models import SessionPlan
        items = db.session.get(SessionPlan, plan_id).items
        assert [item.get("versie") for item in items if item["soort"] == "dilemma"] == [1]
    started = b_user.submit(f"/sessies/plannen/{plan_id}/start", page=f"/sessies/plannen/{plan_id}")
    workshop_id = int(started.location.rsplit("/", 1)[1])
    assert publish_own_card(app, OTHER, "De voordeur, tweede versie") == 2
    act(b_user, workshop_id, "volgende")
    projector = b_user.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert "Onze eigen voordeur" in projector and "tweede versie" not in projector
    assert "De voordeur, tweede versie" in b_user.get("/dilemmas/eigen-voordeur").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).agenda[1]["versie"] == 1
    # A's session never plays it: the name is not in A's library.
    assert a_user.get(f"/sessies/{two_organisations['a'][1]}/scherm").status_code == 200
