"""The user's own account: password change, data download, account deletion."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bril.models import Reflection, SceneAnswer, User, db
from support import PASSWORD

NEW = "een ander lang wachtwoord"


def test_account_pages_need_a_login(client):
    for url in ("/account/", "/account/wachtwoord", "/account/gegevens", "/account/verwijderen"):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen" in response.location


def test_change_password_checks_the_current_one(client, auth, make_user):
    make_user()
    auth.login()
    response = client.submit("/account/wachtwoord", {"current": "verkeerd", "password": NEW, "confirm": NEW})
    assert "Dit is niet je huidige wachtwoord" in response.get_data(as_text=True)
    response = client.submit("/account/wachtwoord", {"current": PASSWORD, "password": NEW, "confirm": NEW + "!"})
    assert "niet hetzelfde" in response.get_data(as_text=True)
    response = client.submit("/account/wachtwoord", {"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    auth.logout()
    assert auth.login().status_code == 200
    assert auth.login(password=NEW).status_code == 302


def test_change_password_signs_out_other_sessions(app, make_user):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        device.submit("/inloggen", {"email": "consulent@example.org", "password": PASSWORD})
    laptop.submit("/account/wachtwoord", {"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302


def test_download_holds_all_of_the_users_data(client, auth, make_user, app):
    make_user()
    auth.login()
    client.submit("/verhalen/sanne/scene/1", {"zin": ["1"]})
    client.submit("/verhalen/sanne/afsluiting", {"body": "Ik ga vaker langs bij eenzame klanten."})
    response = client.get("/account/gegevens")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["e-mailadres"] == "consulent@example.org"
    assert data["antwoorden"][0]["verhaal"] == "sanne" and data["antwoorden"][0]["gekozen_zinnen"] == ["1"]
    assert data["reflecties"][0]["tekst"] == "Ik ga vaker langs bij eenzame klanten."
    assert data["voortgang"][0]["verhaal"] == "sanne"


def test_delete_account_removes_everything(client, auth, make_user, app):
    make_user()
    auth.login()
    client.submit("/verhalen/sanne/scene/1", {"zin": ["1"]})
    client.submit("/verhalen/sanne/afsluiting", {"body": "Een gedachte zonder namen."})
    response = client.submit("/account/verwijderen", {"current": "verkeerd"})
    assert "Dit is niet je huidige wachtwoord" in response.get_data(as_text=True)
    response = client.submit("/account/verwijderen", {"current": PASSWORD}, follow_redirects=True)
    assert "Je account en al je gegevens zijn verwijderd" in response.get_data(as_text=True)
    with app.app_context():
        for model in (User, SceneAnswer, Reflection):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0
    assert client.get("/account/").status_code == 302


def test_user_can_delete_own_reflection_but_not_anothers(client, auth, make_user, app):
    make_user()
    make_user("ander@example.org")
    auth.login("ander@example.org")
    client.submit("/verhalen/sanne/afsluiting", {"body": "Van de ander."})
    auth.logout()
    auth.login()
    client.submit("/verhalen/sanne/afsluiting", {"body": "Van mij."})
    with app.app_context():
        mine, theirs = (db.session.scalar(select(Reflection.id).where(Reflection.body == body))
                        for body in ("Van mij.", "Van de ander."))
    client.submit(f"/account/reflectie/{theirs}/verwijderen", page="/account/")
    client.submit(f"/account/reflectie/{mine}/verwijderen", page="/account/")
    with app.app_context():
        assert [r.body for r in db.session.scalars(select(Reflection))] == ["Van de ander."]
