"""The beheerder's page for signing in through the organisation's identity provider (/beheer/inloggen)."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from bril import outbound
from bril.models import IdentityProvider, User, db
from servers import record_outgoing

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


def test_an_issuer_that_names_itself_otherwise_is_refused_without_repeating_the_answer(app, beheerder,
                                                                                         identity_provider):
    answer = beheerder.submit(PAGE, settings(identity_provider, issuer=identity_provider.url + "/"))
    assert answer.status_code == 422 and "noemt zichzelf met een ander adres" in answer.text
    assert f"{identity_provider.url}&#39;" not in answer.text and f"{identity_provider.url}'" not in answer.text


def test_passwords_go_off_once_the_beheerder_signed_in_through_the_provider(app, beheerder, identity_provider):
    with app.app_context():
        db.session.execute(update(User).values(oidc_issuer=identity_provider.url, oidc_subject="beheer-1"))
        db.session.commit()
    assert beheerder.submit(PAGE, settings(identity_provider, passwords_allowed="")).status_code == 302
    assert stored(app).passwords_allowed is False


def test_the_organisation_page_links_to_the_sign_in_settings(beheerder):
    assert f'href="{PAGE}"' in beheerder.get("/beheer/organisatie").text


# --- What the server may be made to call (the SSRF an outside probe found) ---

@pytest.fixture
def honest_provider(identity_provider):
    """The test provider's discovery document, honest again after the test changed it."""
    yield identity_provider
    identity_provider.discovery()


@pytest.mark.parametrize("issuer", [
    "https://127.0.0.1:{port}", "https://localhost:{port}", "https://[::1]:{port}",  # this machine, over https
    "https://10.0.0.1", "https://172.16.5.4", "https://192.168.1.10",  # private networks
    "https://169.254.169.254", "https://[fe80::1]", "https://[fc00::1]",  # link-local, the cloud's metadata, ULA
    "https://0.0.0.0", "https://224.0.0.1", "https://240.0.0.1", "https://[::ffff:10.0.0.1]",
    "http://10.0.0.1", "file:///etc/passwd", "https://user@login.example",
])
def test_an_issuer_on_an_internal_address_is_refused_before_any_request(app, beheerder, identity_provider,
                                                                        monkeypatch, issuer):
    app.config["OIDC_HTTP_LOOPBACK"] = False
    sent = record_outgoing(monkeypatch)
    answer = beheerder.submit(PAGE, settings(identity_provider, issuer=issuer.format(port=identity_provider.port)))
    assert answer.status_code == 422
    assert "intern netwerk" in answer.text or "begint met https://" in answer.text
    assert sent == [] and stored(app) is None


@pytest.mark.parametrize("issuer", ["https://10.0.0.1", "http://10.0.0.1", "https://169.254.169.254",
                                    "http://192.168.1.10:8080"])
def test_the_loopback_switch_allows_this_machine_and_nothing_else_internal(app, beheerder, identity_provider,
                                                                           monkeypatch, issuer):
    sent = record_outgoing(monkeypatch)
    assert beheerder.submit(PAGE, settings(identity_provider, issuer=issuer)).status_code == 422
    assert sent == []
    assert beheerder.submit(PAGE, settings(identity_provider)).status_code == 302  # the provider on loopback


@pytest.mark.parametrize("addresses", [["10.1.2.3"], ["93.184.215.14", "169.254.169.254"], ["fd12::1"]])
def test_a_name_that_resolves_to_an_internal_address_is_refused(app, beheerder, identity_provider, monkeypatch,
                                                                addresses):
    """Every address a name resolves to counts: one inward address among public ones is enough to refuse."""
    app.config["OIDC_HTTP_LOOPBACK"] = False
    monkeypatch.setattr(outbound.socket, "getaddrinfo", lambda host, port, **kwargs: [
        (None, None, None, "", (address, port)) for address in addresses])
    sent = record_outgoing(monkeypatch)
    answer = beheerder.submit(PAGE, settings(identity_provider, issuer="https://login.proefdorp.nl"))
    assert answer.status_code == 422 and "intern netwerk" in answer.text
    assert sent == []


def test_a_discovery_that_redirects_is_not_followed(app, beheerder, honest_provider, monkeypatch):
    honest_provider.discovery(redirect="http://169.254.169.254/latest/meta-data/iam/")
    sent = record_outgoing(monkeypatch)
    answer = beheerder.submit(PAGE, settings(honest_provider))
    assert answer.status_code == 422 and "stuurt door naar een ander adres" in answer.text
    assert [url for _, url in sent] == [f"{honest_provider.url}/.well-known/openid-configuration"]
    assert stored(app) is None


@pytest.mark.parametrize("endpoint", ["authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint",
                                      "end_session_endpoint"])
@pytest.mark.parametrize("address", ["https://10.0.0.7/{endpoint}", "http://169.254.169.254/{endpoint}",
                                     "http://login.proefdorp.nl/{endpoint}", "gopher://127.0.0.1:6379/_"])
def test_every_address_the_discovery_names_is_checked(app, beheerder, honest_provider, monkeypatch, endpoint,
                                                      address):
    honest_provider.discovery(**{endpoint: address.format(endpoint=endpoint)})
    sent = record_outgoing(monkeypatch)
    answer = beheerder.submit(PAGE, settings(honest_provider))
    assert answer.status_code == 422
    assert "noemt een adres dat niet mag" in answer.text and "10.0.0.7" not in answer.text
    assert len(sent) == 1 and stored(app) is None  # only the discovery document itself was fetched


def test_a_refusal_never_repeats_what_the_provider_answered(app, beheerder, honest_provider):
    honest_provider.discovery(issuer="https://intern.example/geheim-antwoord-123")
    answer = beheerder.submit(PAGE, settings(honest_provider))
    assert answer.status_code == 422 and "noemt zichzelf met een ander adres" in answer.text
    assert "geheim-antwoord-123" not in answer.text and "intern.example" not in answer.text
