"""Logging in and out, throttling, sessions, invitations and roles."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bril import security
from bril.models import IdentityProvider, LoginAttempt, Organisation, User, db, utcnow
from support import PASSWORD


def test_login_and_logout(client, auth, make_user):
    make_user()
    response = auth.login()
    assert response.status_code == 302
    assert "Mijn voortgang" in client.get("/").get_data(as_text=True)
    response = auth.logout()
    assert response.status_code == 302
    assert "Inloggen" in client.get("/").get_data(as_text=True)
    assert client.get("/account/").status_code == 302


def test_wrong_password_keeps_email_and_explains_in_dutch(client, auth, make_user):
    make_user()
    response = auth.login(password="fout wachtwoord!!")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "horen niet bij elkaar" in html
    assert 'value="consulent@example.org"' in html
    assert "fout wachtwoord!!" not in html


def test_email_is_case_insensitive(client, auth, make_user):
    make_user()
    assert auth.login(email="  Consulent@Example.ORG ").status_code == 302


def test_sixth_wrong_password_in_a_row_is_slowed_down(client, auth, make_user):
    make_user()
    for _ in range(5):
        assert auth.login(password="niet het goede wachtwoord").status_code == 200
    response = auth.login(password="niet het goede wachtwoord")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "te vaak een verkeerd wachtwoord" in response.get_data(as_text=True)
    # Even the right password waits until the pause is over.
    assert auth.login().status_code == 429


def test_throttle_lifts_after_the_wait_and_resets_on_success(client, auth, make_user, app):
    make_user()
    for _ in range(5):
        auth.login(password="niet het goede wachtwoord")
    with app.app_context():
        for attempt in db.session.scalars(select(LoginAttempt)):
            attempt.at -= timedelta(minutes=2)
        db.session.commit()
    assert auth.login().status_code == 302
    auth.logout()
    assert auth.login(password="weer verkeerd, maar één keer").status_code == 200


def test_wait_doubles_with_every_further_failure(app, make_user):
    with app.test_request_context():
        keys = security.login_keys("x@example.org", "10.0.0.1")[:1]
        for _ in range(5):
            security.record_login(keys, succeeded=False)
        first = security.seconds_to_wait(keys)
        security.record_login(keys, succeeded=False)
        second = security.seconds_to_wait(keys)
    assert 55 <= first <= 61 and 115 <= second <= 121


def test_passwords_are_hashed_with_argon2id_at_owasp_strength(app, make_user):
    make_user()
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert "m=19456,t=2,p=1" in stored


def test_login_starts_a_fresh_session(client, auth, make_user):
    make_user()
    client.get("/inloggen")
    with client.session_transaction() as session:
        session["sid"] = "oude-sessie"
        session["iets"] = "van voor het inloggen"
    auth.login()
    with client.session_transaction() as session:
        assert session["sid"] != "oude-sessie" and len(session["sid"]) == 32
        assert "iets" not in session


def test_unknown_user_cannot_login(app, client, auth):
    answer = auth.login(email="niemand@example.org")
    assert answer.status_code == 200 and "horen niet bij elkaar" in answer.text
    assert client.get("/account/").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session
    with app.app_context():  # counted as a failure, for the address and for the computer it came from
        keys = set(db.session.scalars(select(LoginAttempt.key).where(LoginAttempt.succeeded.is_(False))))
    assert keys == {"email:niemand@example.org", "ip:127.0.0.1"}


def test_next_parameter_only_redirects_within_the_site(client, make_user):
    make_user()
    data = {"email": "consulent@example.org", "password": PASSWORD}
    response = client.submit("/inloggen?next=https://kwaad.example/", data, page="/inloggen")
    assert response.location == "/account/"
    client.submit("/uitloggen", page="/")
    response = client.submit("/inloggen?next=/verhalen/kitty", data, page="/inloggen")
    assert response.location == "/verhalen/kitty"


def test_invitation_lets_the_user_choose_a_password(client, app):
    with app.app_context():
        db.session.add(User(email="nieuw@example.org", invite_token="uitnodiging-123",
                            invite_expires=utcnow() + timedelta(days=1)))
        db.session.commit()
    response = client.submit("/uitnodiging/uitnodiging-123", {"password": "kort", "confirm": "kort"})
    assert "minstens 12 tekens" in response.get_data(as_text=True)
    response = client.submit("/uitnodiging/uitnodiging-123", {"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    assert client.get("/uitnodiging/uitnodiging-123").status_code == 404  # used once
    assert "Mijn voortgang" in client.get("/").get_data(as_text=True)


def test_expired_invitation_is_refused(client, app):
    with app.app_context():
        db.session.add(User(email="laat@example.org", invite_token="verlopen",
                            invite_expires=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert client.get("/uitnodiging/verlopen").status_code == 404


def test_session_cookie_is_httponly_samesite_and_secure_outside_development(database_url):
    from app import create_app
    production = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url})
    assert production.config["SESSION_COOKIE_SECURE"] and production.config["REMEMBER_COOKIE_SECURE"]
    assert production.config["SESSION_COOKIE_HTTPONLY"] and production.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_session_cookie_flags_on_the_wire(client, auth, make_user):
    make_user()
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_each_role_lands_where_its_work_is(client, make_user):
    make_user()
    make_user("begeleider@example.org", role="procesbegeleider")
    response = client.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD}, page="/inloggen")
    assert response.location == "/sessies/"
    client.submit("/uitloggen", page="/")
    response = client.submit("/inloggen", {"email": "consulent@example.org", "password": PASSWORD}, page="/inloggen")
    assert response.location == "/account/"
    assert "(deelnemer)." in client.get("/account/").get_data(as_text=True)


def passwords_off(app, slug: str = "testgemeente") -> None:
    """The organisation signs in only through its own provider (an address is enough: nobody signs in here)."""
    with app.app_context():
        organisation_id = db.session.scalar(select(Organisation.id).where(Organisation.slug == slug))
        db.session.add(IdentityProvider(organisation_id=organisation_id, active=True, issuer="https://login.example",
                                        client_id="bril", client_secret="geheim", passwords_allowed=False))
        db.session.commit()


def test_with_passwords_off_an_invitation_sends_the_user_to_the_provider(app, client, auth, make_user):
    """Setting a password would pass the organisation's own sign-in (its MFA, its offboarding)."""
    make_user("beheer@example.org", role="beheerder")
    auth.login("beheer@example.org")
    client.submit("/beheer/gebruikers", {"email": "nieuw@example.org", "role": "deelnemer", "method": "uitnodiging"})
    passwords_off(app)
    with app.app_context():
        token = db.session.scalar(select(User.invite_token).where(User.email == "nieuw@example.org"))
    invited = app.test_client()
    page = invited.get(f"/uitnodiging/{token}")
    assert page.status_code == 200 and "geen nieuw wachtwoord nodig" in page.text
    assert 'href="/inloggen/via/testgemeente"' in page.text and 'type="password"' not in page.text
    answer = invited.submit(f"/uitnodiging/{token}", {"password": PASSWORD, "confirm": PASSWORD}, page="/inloggen")
    assert answer.status_code == 200 and "Inloggen via Testgemeente" in answer.text
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.email == "nieuw@example.org")) is None
    assert invited.get("/account/").status_code == 302


def test_with_passwords_off_a_new_link_sets_no_password_either(app, client, auth, make_user):
    make_user("beheer@example.org", role="beheerder")
    forgetful = make_user("vergeten@example.org")
    auth.login("beheer@example.org")
    passwords_off(app)
    client.submit(f"/beheer/gebruikers/{forgetful.id}/nieuwe-link", {}, page="/beheer/gebruikers")
    with app.app_context():
        before = db.session.get(User, forgetful.id)
        token, old_hash = before.invite_token, before.password_hash
    other = app.test_client()
    new = "een heel nieuw wachtwoord"
    assert "Inloggen via Testgemeente" in other.get(f"/uitnodiging/{token}").text
    assert other.submit(f"/uitnodiging/{token}", {"password": new, "confirm": new}, page="/inloggen").status_code == 200
    with app.app_context():
        assert db.session.get(User, forgetful.id).password_hash == old_hash
    assert other.get("/account/").status_code == 302
