"""The beheerder's user management."""
from __future__ import annotations

from sqlalchemy import select

from bril.models import User, db
from support import PASSWORD


def test_only_a_beheerder_manages_users(client, auth, make_user):
    make_user(role="procesbegeleider")
    auth.login()
    assert client.get("/beheer/gebruikers").status_code == 403
    auth.logout()
    assert client.get("/beheer/gebruikers").status_code == 302


def test_beheerder_invites_a_user_with_a_link(client, auth, make_user, app):
    make_user(role="beheerder")
    auth.login()
    response = client.submit("/beheer/gebruikers", {"email": "Nieuw@Example.org", "role": "procesbegeleider",
                                                    "method": "uitnodiging"})
    html = response.get_data(as_text=True)
    assert "Uitnodiging klaar" in html
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nieuw@example.org"))
        assert user.role == "procesbegeleider" and user.password_hash is None
        assert f"/uitnodiging/{user.invite_token}" in html


def test_beheerder_creates_a_user_with_a_password(client, auth, make_user):
    make_user(role="beheerder")
    auth.login()
    response = client.submit("/beheer/gebruikers", {"email": "direct@example.org", "role": "deelnemer",
                                                    "method": "wachtwoord", "password": PASSWORD})
    assert response.status_code == 302
    auth.logout()
    assert auth.login("direct@example.org").status_code == 302


def test_bad_new_user_form_keeps_what_was_typed(client, auth, make_user):
    make_user(role="beheerder")
    auth.login()
    response = client.submit("/beheer/gebruikers", {"email": "consulent@example.org", "role": "procesbegeleider",
                                                    "method": "wachtwoord", "password": ""})
    html = response.get_data(as_text=True)
    assert "Er is in je organisatie al een account met dit e-mailadres" in html
    assert "Kies een wachtwoord, of kies voor een uitnodigingslink" in html
    assert 'value="consulent@example.org"' in html
    assert '<option selected value="procesbegeleider">' in html


def test_beheerder_sets_a_role_but_not_away_from_the_last_beheerder(client, auth, make_user, app):
    admin = make_user(role="beheerder")
    other = make_user("ander@example.org")
    auth.login()
    client.submit(f"/beheer/gebruikers/{other.id}/rol", {"role": "procesbegeleider"}, page="/beheer/gebruikers")
    response = client.submit(f"/beheer/gebruikers/{admin.id}/rol", {"role": "deelnemer"},
                             page="/beheer/gebruikers", follow_redirects=True)
    assert "Dit is de laatste beheerder" in response.get_data(as_text=True)
    with app.app_context():
        roles = dict(db.session.execute(select(User.email, User.role)).all())
    assert roles == {"consulent@example.org": "beheerder", "ander@example.org": "procesbegeleider"}


def test_beheerder_deletes_another_user(client, auth, make_user, app):
    make_user(role="beheerder")
    other = make_user("weg@example.org")
    auth.login()
    client.submit(f"/beheer/gebruikers/{other.id}/verwijderen", page="/beheer/gebruikers")
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.id == other.id)) is None


def test_a_user_who_forgot_their_password_gets_a_new_link_that_ends_their_other_logins(app, client, auth,
                                                                                      make_user):
    make_user("beheer@example.org", role="beheerder")
    forgetful = make_user("vergeten@example.org")
    elsewhere = app.test_client()
    elsewhere.submit("/inloggen", {"email": "vergeten@example.org", "password": PASSWORD})
    assert elsewhere.get("/account/").status_code == 200
    auth.login("beheer@example.org")
    answer = client.submit(f"/beheer/gebruikers/{forgetful.id}/nieuwe-link", {}, page="/beheer/gebruikers")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Nieuwe link voor vergeten@example.org" in html
    with app.app_context():
        token = db.session.get(User, forgetful.id).invite_token
    assert f"/uitnodiging/{token}" in html
    # Until the link is used, the old password and the open login keep working.
    assert elsewhere.get("/account/").status_code == 200
    newcomer = app.test_client()
    page = newcomer.get(f"/uitnodiging/{token}").get_data(as_text=True)
    assert "Kies een nieuw wachtwoord" in page
    new = "een heel nieuw wachtwoord"
    assert newcomer.submit(f"/uitnodiging/{token}", {"password": new, "confirm": new}).status_code == 302
    assert newcomer.get("/account/").status_code == 200
    assert elsewhere.get("/account/").status_code == 302  # the other login has ended
    assert newcomer.get(f"/uitnodiging/{token}").status_code == 404  # the link works once
    again = app.test_client()
    assert again.submit("/inloggen", {"email": "vergeten@example.org", "password": PASSWORD}).status_code == 200
    assert again.submit("/inloggen", {"email": "vergeten@example.org", "password": new}).status_code == 302


def test_a_beheerder_gets_no_new_link_for_themselves(app, client, auth, make_user):
    me = make_user("beheer@example.org", role="beheerder")
    auth.login("beheer@example.org")
    answer = client.submit(f"/beheer/gebruikers/{me.id}/nieuwe-link", {}, page="/beheer/gebruikers")
    assert answer.status_code == 302
    assert "Je eigen wachtwoord wijzig je via Mijn account." in client.get("/beheer/gebruikers").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, me.id).invite_token is None
