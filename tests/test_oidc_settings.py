"""The beheerder's page for signing in through the organisation's identity provider (/beheer/inloggen)."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from bril.models import IdentityProvider, User, db

PAGE = "/beheer/inloggen"


@pytest.fixture
def beheerder(app, client, auth, make_user):
    app.config["OIDC_HTTP_LOOPBACK"] = True
    make_user("beheer@proefdorp.nl", role="beheerder", org="proefdorp")
    auth.login("beheer@proefdorp.nl")
    return client


def settings(identity_provider, **changes) -> dict:
    return {"issuer": identity_provider.url, "client_id": "bril-proefdorp", "client_secret": "s3cret",
            "role_claim": "groups", "role_map": "team-zorg = deelnemer\r\ntrainers = Procesbegeleider",
            "default_role": "", "passwords_allowed": "y", "active": "y", **changes}


def stored(app) -> IdentityProvider | None:
    with app.app_context():
        provider = db.session.query(IdentityProvider).one_or_none()
        if provider is not None:
            db.session.expunge(provider)
        return provider


def test_a_beheerder_sets_up_the_provider_and_the_page_shows_what_to_hand_over(app, beheerder, identity_provider):
    page = beheerder.get(PAGE).text
    assert "http://localhost/inloggen/terug" in page  # the redirect URI to register at the provider
    answer = beheerder.submit(PAGE, settings(identity_provider))
    assert answer.status_code == 302
    provider = stored(app)
    assert (provider.issuer, provider.client_id, provider.client_secret, provider.active) == (
        identity_provider.url, "bril-proefdorp", "s3cret", True)
    assert provider.role_map == [["team-zorg", "deelnemer"], ["trainers", "procesbegeleider"]]
    assert provider.default_role is None and provider.passwords_allowed
    page = beheerder.get(PAGE).text
    assert "trainers = procesbegeleider" in page and "Er is al een geheim opgeslagen" in page
    assert "s3cret" not in page  # the stored secret is never sent back to the browser
    assert "http://localhost/inloggen/via/proefdorp" in page


def test_saving_again_with_an_empty_secret_keeps_the_secret(app, beheerder, identity_provider):
    beheerder.submit(PAGE, settings(identity_provider))
    assert beheerder.submit(PAGE, settings(identity_provider, client_secret="", active="")).status_code == 302
    provider = stored(app)
    assert (provider.client_secret, provider.active) == ("s3cret", False)


@pytest.mark.parametrize("changes, message", [
    ({"issuer": "http://login.proefdorp.nl"}, "begint met https://"),
    ({"issuer": "http://127.0.0.1:9"}, "geeft geen antwoord"),
    ({"client_secret": ""}, "Vul het client-geheim in"),
    ({"role_map": "team-zorg = deelnemer\r\nbazen = baas\r\nzonder-rol"},
     "Regel 2: &#39;baas&#39; is geen rol. Kies deelnemer, procesbegeleider of beheerder. Regel 3 mist een groep"),
    ({"client_id": ""}, "Vul de client-ID in"),
    ({"passwords_allowed": ""}, "als je zelf één keer via je organisatie bent ingelogd"),
])
def test_a_mistake_gets_a_dutch_message_and_keeps_what_was_typed(app, beheerder, identity_provider, changes,
                                                                  message):
    answer = beheerder.submit(PAGE, settings(identity_provider, **changes))
    assert answer.status_code == 422
    assert message in answer.text
    assert 'value="bril-proefdorp"' in answer.text or changes.get("client_id") == ""
    assert "team-zorg = deelnemer" in answer.text
    assert 'value="s3cret"' in answer.text or changes.get("client_secret") == ""  # typed, so it comes back
    assert stored(app) is None


def test_an_issuer_that_names_itself_otherwise_is_refused(app, beheerder, identity_provider):
    answer = beheerder.submit(PAGE, settings(identity_provider, issuer=identity_provider.url + "/"))
    assert answer.status_code == 422 and "noemt zichzelf" in answer.text
    assert identity_provider.url in answer.text


def test_passwords_go_off_once_the_beheerder_signed_in_through_the_provider(app, beheerder, identity_provider):
    with app.app_context():
        db.session.execute(update(User).values(oidc_issuer=identity_provider.url, oidc_subject="beheer-1"))
        db.session.commit()
    assert beheerder.submit(PAGE, settings(identity_provider, passwords_allowed="")).status_code == 302
    assert stored(app).passwords_allowed is False


def test_the_organisation_page_links_to_the_sign_in_settings(beheerder):
    assert f'href="{PAGE}"' in beheerder.get("/beheer/organisatie").text
