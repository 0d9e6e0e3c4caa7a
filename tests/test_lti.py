"""Launches from the learning portal (LTI 1.3) against a real platform (tests/lti_platform.py): registering the
portal, a resource link launch, and every forged or replayed launch refused with a Dutch page and no sign-in.
Deep linking and grades are in test_lti_grades.py."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bril import authoring
from bril.models import LtiAccount, LtiHandOver, LtiPlatform, User, db
from lti_platform import INSTRUCTOR, LearningPortal, id_token_form, launch, register
from support import PASSWORD

CARD_URL = "http://localhost/dilemmas/voordeur"
STORY_URL = "http://localhost/verhalen/tim"
PAGE = "/beheer/leerportaal/lti"


@pytest.fixture(scope="module")
def running_portal():
    portal = LearningPortal().start()
    yield portal
    portal.stop()


@pytest.fixture
def portal(app, make_org, running_portal):
    """The portal, registered for testgemeente."""
    running_portal.scores.clear()
    register(app, running_portal, make_org())
    return running_portal


def accounts(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(select(User).join(LtiAccount, LtiAccount.user_id == User.id)))


def signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_a_learner_launch_signs_in_a_pseudonymous_account_and_shows_the_card(app, client, portal):
    response = launch(client, portal, target=CARD_URL, email="jan@gemeente.nl")
    assert response.status_code == 303 and response.location == "/dilemmas/voordeur"
    assert "Een niet-pluisgevoel bij de voordeur" in client.get(response.location).get_data(as_text=True)
    assert signed_in(client)
    [user] = accounts(app)
    assert user.role == "deelnemer" and user.email.endswith("@leerportaal.invalid") and "jan" not in user.email
    assert user.password_hash is None
    # The same person again: the same account, from another browser too.
    other = app.test_client()
    assert launch(other, portal, target=STORY_URL).status_code == 303
    assert [u.id for u in accounts(app)] == [user.id]


def test_teaching_roles_become_procesbegeleider_and_a_kept_address_is_used(app, client, portal, make_org):
    register(app, portal, make_org(), keep_email=True)
    assert launch(client, portal, target=CARD_URL, sub="docent-1", roles=[INSTRUCTOR],
                  email="Docent@Gemeente.nl").status_code == 303
    [user] = accounts(app)
    assert user.role == "procesbegeleider" and user.email == "docent@gemeente.nl"


def test_a_kept_address_never_links_to_an_existing_account(app, client, portal, make_org, make_user):
    beheerder = make_user("beheer@gemeente.nl", role="beheerder")
    register(app, portal, make_org(), keep_email=True)
    assert launch(client, portal, target=CARD_URL, email="beheer@gemeente.nl").status_code == 303
    [user] = accounts(app)
    assert user.id != beheerder.id and user.role == "deelnemer" and user.email.endswith("@leerportaal.invalid")


@pytest.mark.parametrize("misbehave, words", [
    ("andere-sleutel", "handtekening"),
    ("andere-audience", "ander programma"),
    ("verlopen", "verlopen"),
    ("onbekende-deployment", "deployment"),
    ("andere-uitgever", "ander leerportaal"),
])
def test_a_forged_launch_is_refused_in_dutch_and_signs_no_one_in(app, client, portal, misbehave, words):
    response = launch(client, portal, target=CARD_URL, misbehave={misbehave})
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and words in page and "Je bent niet ingelogd" in page
    assert accounts(app) == [] and not signed_in(client)


def test_a_replayed_launch_is_refused(app, client, portal):
    form = id_token_form(client, portal, portal.prepare(target=CARD_URL))
    assert client.post("/lti/start", data=form).status_code == 303
    thief = app.test_client()
    again = thief.post("/lti/start", data=form)
    assert again.status_code == 403 and "al gebruikt" in again.get_data(as_text=True)
    # The same id_token with a fresh state of its own: the nonce does not match that state.
    fresh = id_token_form(thief, portal, portal.prepare(target=CARD_URL))
    replayed = thief.post("/lti/start", data={"id_token": form["id_token"], "state": fresh["state"]})
    assert replayed.status_code == 403 and "al gebruikt" in replayed.get_data(as_text=True)
    assert not signed_in(thief) and len(accounts(app)) == 1


def test_a_launch_for_another_organisation_is_refused(app, client, portal, make_org):
    """B registered the same portal under its own client id: a token made for B never signs anyone in at A."""
    with app.app_context():
        db.session.add(LtiPlatform(organisation_id=make_org("andere-gemeente"), active=True, keep_email=False,
                                   **{**portal.registration(), "client_id": "client-van-b"}))
        db.session.commit()
    response = launch(client, portal, target=CARD_URL, claims={"aud": "client-van-b"})
    assert response.status_code == 403 and "ander programma" in response.get_data(as_text=True)
    assert accounts(app) == []


@pytest.mark.parametrize("target", ["http://localhost/dilemmas/bestaat-niet",
                                    "https://elders.example/dilemmas/voordeur", "http://localhost/beheer/gebruikers"])
def test_a_launch_to_a_page_that_is_no_story_or_card_here_is_refused(app, client, portal, target):
    response = launch(client, portal, target=target)
    assert response.status_code == 403 and "leerportaal" in response.get_data(as_text=True)
    assert accounts(app) == [] and not signed_in(client)


def test_a_card_of_another_organisation_cannot_be_launched(app, client, portal, make_org):
    """B's own published card is in B's library only: A's portal cannot launch it, B's can."""
    text = (Path(__file__).parent / "content" / "library" / "dilemmas" / "voordeur.md").read_text(encoding="utf-8")
    other = make_org("andere-gemeente")
    with app.app_context():
        draft = authoring.create_draft(other, "dilemma", "eigen-b", text, None)
        db.session.commit()
        authoring.publish(draft, None, reviewed=False)
        db.session.commit()
    refused = launch(client, portal, target="http://localhost/dilemmas/eigen-b")
    assert refused.status_code == 403 and "niet (meer) voor je organisatie" in refused.get_data(as_text=True)
    assert accounts(app) == []
    with app.app_context():  # the same portal now belongs to B (one registration per issuer and client id)
        db.session.delete(db.session.get(LtiPlatform, make_org()))
        db.session.commit()
    register(app, portal, other)
    assert launch(client, portal, target="http://localhost/dilemmas/eigen-b").location == "/dilemmas/eigen-b"


def test_an_unknown_portal_or_a_switched_off_one_cannot_start(app, client, portal, make_org):
    unknown = client.post("/lti/inloggen", data={**portal.login_initiation(portal.prepare(target=CARD_URL)),
                                                 "iss": "https://onbekend.example"})
    assert unknown.status_code == 400 and "niet gekoppeld" in unknown.get_data(as_text=True)
    form = id_token_form(client, portal, portal.prepare(target=CARD_URL))
    with app.app_context():
        db.session.get(LtiPlatform, make_org()).active = False
        db.session.commit()
    assert client.post("/lti/start", data=form).status_code == 403 and accounts(app) == []


def test_the_tool_publishes_its_public_key_only(client, app):
    keys = client.get("/lti/sleutels.json").get_json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and "d" not in keys[0] and keys[0]["kid"]
    assert client.get("/lti/sleutels.json").get_json() == {"keys": keys}  # made once, then kept


def test_the_beheerder_registers_the_portal_and_sees_the_addresses_to_paste(client, auth, make_user, app):
    make_user("beheer@example.org", role="beheerder")
    auth.login("beheer@example.org")
    page = client.get(PAGE).get_data(as_text=True)
    assert "http://localhost/lti/inloggen" in page and "http://localhost/lti/start" in page
    assert "http://localhost/lti/sleutels.json" in page
    form = {"issuer": "https://leren.gemeente.nl", "client_id": "abc", "deployments": "1\n2",
            "auth_login_url": "https://10.0.0.5/auth", "token_url": "http://leren.gemeente.nl/token",
            "jwks_url": "https://127.0.0.1/keys", "active": "y"}
    refused = client.submit(PAGE, form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "intern netwerk" in text and "begint met https://" in text
    assert 'value="https://leren.gemeente.nl"' in text and 'value="abc"' in text  # what was typed stays
    app.config["LTI_HTTP_LOOPBACK"] = True
    saved = client.submit(PAGE, {**form, "auth_login_url": "http://127.0.0.1:9/auth",
                                 "token_url": "http://127.0.0.1:9/token", "jwks_url": "http://127.0.0.1:9/keys"})
    assert saved.status_code == 302
    with app.app_context():
        platform = db.session.scalar(select(LtiPlatform))
        assert platform.deployment_ids == ["1", "2"] and platform.active and platform.client_id == "abc"


def test_one_portal_registration_belongs_to_one_organisation(client, auth, make_user, app, make_org):
    with app.app_context():
        db.session.add(LtiPlatform(organisation_id=make_org("andere-gemeente"), active=True, issuer="https://l.nl",
                                   client_id="abc", deployment_ids=["1"], auth_login_url="https://l.nl/a",
                                   token_url="https://l.nl/t", jwks_url="https://l.nl/k"))
        db.session.commit()
    make_user("beheer@example.org", role="beheerder")
    auth.login("beheer@example.org")
    assert "https://l.nl/a" not in client.get(PAGE).get_data(as_text=True)  # B's registration is not shown
    app.config["LTI_HTTP_LOOPBACK"] = True
    response = client.submit(PAGE, {"issuer": "https://l.nl", "client_id": "abc", "deployments": "1",
                                    "auth_login_url": "http://127.0.0.1:9/a", "token_url": "http://127.0.0.1:9/t",
                                    "jwks_url": "http://127.0.0.1:9/k"})
    assert response.status_code == 422 and "andere organisatie" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LtiPlatform)) == 1


def test_the_command_registers_the_portal(runner, app, make_org, running_portal):
    make_org()
    app.config["LTI_HTTP_LOOPBACK"] = True
    registration = running_portal.registration()
    result = runner.invoke(args=["lti", "platform", "--org", "testgemeente", "--issuer", registration["issuer"],
                                 "--client-id", "bril-tool", "--deployment", "d1", "--deployment", "d2",
                                 "--auth-login-url", registration["auth_login_url"],
                                 "--token-url", registration["token_url"], "--jwks-url", registration["jwks_url"],
                                 "--on"])
    assert result.exit_code == 0, result.output
    assert "starten staat aan" in result.output
    bad = runner.invoke(args=["lti", "platform", "--org", "testgemeente", "--jwks-url", "https://10.1.2.3/k"])
    assert bad.exit_code != 0 and "intern netwerk" in bad.output
    with app.app_context():
        platform = db.session.scalar(select(LtiPlatform))
        assert platform.deployment_ids == ["d1", "d2"] and platform.jwks_url == registration["jwks_url"]


def test_the_portals_role_follows_until_a_beheerder_sets_one_by_hand(app, client, portal, make_user):
    """At each launch the account takes the role the portal gives, as long as it still has the role the portal gave
    last; once a beheerder chose another role by hand, that role stays, whatever the portal says."""
    assert launch(client, portal, target=CARD_URL, sub="leerling-1").status_code == 303
    [user] = accounts(app)
    assert user.role == "deelnemer"
    other = app.test_client()
    assert launch(other, portal, target=CARD_URL, sub="leerling-1", roles=[INSTRUCTOR]).status_code == 303
    assert accounts(app)[0].role == "procesbegeleider"  # the portal's new role: nobody changed it here
    make_user("beheer@example.org", role="beheerder")
    beheer = app.test_client()
    beheer.submit("/inloggen", {"email": "beheer@example.org", "password": PASSWORD})
    beheer.submit(f"/beheer/gebruikers/{user.id}/rol", {"role": "beheerder"}, page="/beheer/gebruikers")
    assert accounts(app)[0].role == "beheerder"
    for roles in ([], [INSTRUCTOR]):  # a learner's launch, then a teacher's: the role set by hand stays
        assert launch(app.test_client(), portal, target=CARD_URL, sub="leerling-1", roles=roles).status_code == 303
        assert accounts(app)[0].role == "beheerder"
    settings = beheer.get("/beheer/leerportaal/lti").get_data(as_text=True)
    assert "Kies je zelf een andere rol" in settings


IN_A_FRAME = {"Sec-Fetch-Dest": "iframe"}  # what a browser sends for a page loaded in a frame


def in_frame(client, portal, **prepared):
    form = id_token_form(client, portal, portal.prepare(**prepared))
    return client.post("/lti/start", data=form, headers=IN_A_FRAME)


def test_a_launch_in_the_portals_frame_goes_on_in_a_window_of_its_own_once(app, client, portal):
    framed = in_frame(client, portal, target=CARD_URL)
    page = framed.get_data(as_text=True)
    assert framed.status_code == 200 and "Een niet-pluisgevoel bij de voordeur" in page
    # Only the portal may show this page in its frame, and it signed no one in (the frame may refuse the cookie).
    assert f"frame-ancestors {portal.issuer}" in framed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in framed.headers and not signed_in(client)
    link = re.search(r'href="(/lti/verder/[^"]+)" target="_blank" rel="noopener">Open in een nieuw venster', page)
    window = app.test_client()  # the new window: the site's own, so its cookie holds
    opened = window.get(link.group(1))
    assert opened.status_code == 303 and opened.location == "/dilemmas/voordeur" and signed_in(window)
    again = app.test_client().get(link.group(1))
    assert again.status_code == 410 and "al gebruikt of verlopen" in again.get_data(as_text=True)
    # Every other page still refuses every frame.
    other = window.get("/dilemmas/voordeur")
    assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]
    assert other.headers["X-Frame-Options"] == "DENY"


def test_a_hand_over_older_than_five_minutes_signs_no_one_in(app, client, portal):
    link = re.search(r'href="(/lti/verder/[^"]+)"', in_frame(client, portal, target=STORY_URL).get_data(as_text=True))
    with app.app_context():
        for row in db.session.scalars(select(LtiHandOver)):
            row.created_at -= timedelta(minutes=6)
        db.session.commit()
    late = client.get(link.group(1))
    assert late.status_code == 410 and not signed_in(client)


def test_picking_content_in_the_portals_frame_says_to_open_it_in_a_new_window(client, portal):
    framed = in_frame(client, portal, message_type="LtiDeepLinkingRequest", roles=[INSTRUCTOR])
    assert framed.status_code == 200 and "Openen in een nieuw venster" in framed.get_data(as_text=True)
    assert f"frame-ancestors {portal.issuer}" in framed.headers["Content-Security-Policy"]
    assert not signed_in(client)
