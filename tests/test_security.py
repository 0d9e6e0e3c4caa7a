"""CSRF on every form, and the security headers on every page."""
from __future__ import annotations

import pytest

from support import PASSWORD
from support.library import STORY

PAGES = ["/", "/verhalen/", f"/verhalen/{STORY}", f"/verhalen/{STORY}/scene/1", f"/verhalen/{STORY}/afsluiting",
         "/wie-is-hiervan", "/inloggen", "/bestaat-niet"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_strict_content_security_policy(client, url):
    response = client.get(url)
    policy = response.headers["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'self'" in script and "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", PAGES[:-1])
def test_pages_carry_no_inline_script_or_style(client, url):
    html = client.get(url).get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert "onclick=" not in html


@pytest.mark.parametrize("url,data", [
    ("/inloggen", {"email": "consulent@example.org", "password": PASSWORD}),
    (f"/verhalen/{STORY}/scene/1", {"zin": "1"}),
    (f"/verhalen/{STORY}/afsluiting", {"body": "een reflectie"}),
    ("/account/wachtwoord", {"current": PASSWORD, "password": PASSWORD + "x", "confirm": PASSWORD + "x"}),
    ("/account/verwijderen", {"current": PASSWORD}),
    ("/beheer/gebruikers", {"email": "x@example.org", "role": "beheerder", "method": "uitnodiging"}),
    ("/uitloggen", {}),
])
def test_forms_without_csrf_token_are_refused(client, auth, make_user, url, data):
    make_user(role="beheerder")
    auth.login()
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Formulier verlopen" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user()
    response = client.post("/inloggen", data={"email": "consulent@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Mijn voortgang" not in client.get("/").get_data(as_text=True)


def test_post_only_page_opened_by_link_gets_a_dutch_explanation(client):
    response = client.get("/uitloggen")
    assert response.status_code == 405 and "Dit kan zo niet" in response.get_data(as_text=True)


def test_behind_a_proxy_failed_logins_count_per_client_address(database_url):
    from sqlalchemy import select

    from bril.models import LoginAttempt, db
    from support import close_app, make_app
    app = make_app(database_url, PROXY_COUNT=1)
    client = app.test_client()
    client.submit("/inloggen", {"email": "a@example.org", "password": "fout"},
                  headers={"X-Forwarded-For": "192.0.2.7"})
    with app.app_context():
        keys = set(db.session.scalars(select(LoginAttempt.key)))
    close_app(app)
    assert "ip:192.0.2.7" in keys
