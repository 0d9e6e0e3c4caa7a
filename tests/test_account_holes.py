"""The account holes a probe found: open redirects after login, a logout that left a copied cookie valid,
ids too large for the database, downloads a browser could keep, HTTPS not insisted on, requests of any
size, and login attempts that outlived a deleted account."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bril.models import LoginAttempt, LoginSession, db
from support import PASSWORD, close_app, make_app
from support.sessions import join, start_session

LOGIN = {"email": "consulent@example.org", "password": PASSWORD}


@pytest.mark.parametrize("target", [
    "/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example", "%20//evil.example", "/\\evil.example",
    "\\\\evil.example", "//evil.example", "https://evil.example/", "https:evil.example", "/%2F/evil.example",
    "%00//evil.example", "javascript:alert(1)",
])
def test_login_never_sends_the_browser_to_another_site(client, make_user, target):
    make_user()
    response = client.submit(f"/inloggen?next={target}", LOGIN, page="/inloggen")
    assert response.status_code == 302
    location = response.location
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_login_follows_a_path_on_this_site_with_its_query(client, make_user):
    make_user()
    response = client.submit("/inloggen?next=/dilemmas/%3Frol%3Dwijkagent", LOGIN, page="/inloggen")
    assert response.location == "/dilemmas/?rol=wijkagent"


@pytest.mark.parametrize("remember", [False, True], ids=["sessie", "ingelogd-blijven"])
def test_logging_out_ends_the_login_for_a_copy_of_its_cookie_too(app, make_user, remember):
    make_user()
    client = app.test_client()
    client.submit("/inloggen", {**LOGIN, **({"remember": "y"} if remember else {})}, page="/inloggen")
    name = "remember_token" if remember else "session"
    copied = client.get_cookie(name).value
    thief = app.test_client()
    thief.set_cookie(name, copied)
    assert thief.get("/account/").status_code == 200  # the copy works while the login lasts
    client.submit("/uitloggen", page="/")
    assert thief.get("/account/").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_a_new_password_ends_every_other_login(app, make_user):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        device.submit("/inloggen", LOGIN, page="/inloggen")
    laptop.submit("/account/wachtwoord", {"current": PASSWORD, "password": PASSWORD + "x",
                                          "confirm": PASSWORD + "x"})
    assert laptop.get("/account/").status_code == 200 and phone.get("/account/").status_code == 302


@pytest.mark.parametrize("method,url", [
    ("GET", "/sessies/99999999999999999999999"), ("GET", "/sessies/2147483648/verslag"),
    ("GET", "/sessies/plannen/99999999999"), ("POST", "/sessies/plannen/99999999999/start"),
    ("POST", "/beheer/gebruikers/99999999999/verwijderen"),
])
def test_ids_too_large_for_the_database_are_not_found(facilitator, method, url):
    assert facilitator.open(url, method=method).status_code == 404
    assert facilitator.get(url.replace("9999999", "1", 1)).status_code != 500


def test_downloads_and_live_state_are_never_stored_by_the_browser(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Kwikstaart")
    urls = [f"/sessies/{workshop_id}/verslag.csv", f"/sessies/{workshop_id}/verslag.md", "/account/gegevens",
            f"/sessies/{workshop_id}/verslag"]
    for url in urls:
        response = facilitator.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", url
    assert phone.get(f"/live/{code}/stand").headers["Cache-Control"] == "no-store"
    static = facilitator.get("/static/css/bril.css")
    static.close()
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_https_is_insisted_on_wherever_cookies_are_secure(database_url):
    secure = make_app(database_url, SESSION_COOKIE_SECURE=True)
    try:
        assert secure.test_client().get("/").headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        close_app(secure)
    developer = make_app(database_url, SESSION_COOKIE_SECURE=False)
    try:
        assert "Strict-Transport-Security" not in developer.test_client().get("/").headers
    finally:
        close_app(developer)


def test_a_huge_request_is_refused_before_it_is_read(client):
    response = client.post("/inloggen", data={"email": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 413 and "te groot" in response.get_data(as_text=True)


def test_deleting_an_account_deletes_its_login_attempts(client, auth, make_user, app):
    make_user()
    auth.login(password="verkeerd wachtwoord")
    auth.login()
    client.submit("/account/verwijderen", {"current": PASSWORD})
    with app.app_context():
        keys = db.session.scalars(select(LoginAttempt.key)).all()
    assert keys and not any("consulent@example.org" in key for key in keys)


def test_a_beheerder_deleting_an_account_deletes_its_login_attempts(client, auth, make_user, app):
    user = make_user("weg@example.org")
    make_user("baas@example.org", role="beheerder")
    auth.login("weg@example.org", password="verkeerd wachtwoord")
    auth.login("baas@example.org")
    client.submit(f"/beheer/gebruikers/{user.id}/verwijderen", page="/beheer/gebruikers")
    with app.app_context():
        assert not any("weg@example.org" in key for key in db.session.scalars(select(LoginAttempt.key)))
