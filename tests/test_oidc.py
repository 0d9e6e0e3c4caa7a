"""Signing in through an organisation's identity provider: the whole flow against a real provider process.

The platform runs in the Flask test client; the provider (tests/oidc_provider.py, Authlib's server side)
runs in its own process. The test plays the browser between them: it follows the redirect to the provider,
logs in there, and brings the code back. The platform exchanges the code with the provider over HTTP and
checks the ID token itself.
"""
from __future__ import annotations

import html
import re
import urllib.parse
import uuid

import pytest
import requests
from sqlalchemy import select

from bril import oidc, outbound, providers
from bril.models import IdentityProvider, LoginSession, User, db
from servers import record_outgoing
from support import PASSWORD

SECRET = "geheim-van-de-test"


@pytest.fixture
def org_with_provider(app, make_org, identity_provider):
    """Organisation "proefdorp" signing in through the provider, with its own client at the provider."""
    app.config["OIDC_HTTP_LOOPBACK"] = True
    client_id = f"bril-{uuid.uuid4().hex[:8]}"  # the provider process is shared: a client per test
    identity_provider.client(client_id, SECRET, "http://localhost/inloggen/terug")
    org_id = make_org("proefdorp", "Gemeente Proefdorp")
    with app.app_context():
        db.session.add(IdentityProvider(
            organisation_id=org_id, active=True, issuer=identity_provider.url, client_id=client_id,
            client_secret=SECRET, role_claim="groups",
            role_map=[["team-zorg", "deelnemer"], ["trainers", "procesbegeleider"], ["ict-beheer", "beheerder"]],
            default_role=None, passwords_allowed=True))
        db.session.commit()
    return org_id


def person(identity_provider, **changes) -> str:
    """A person at the provider with a fresh username and subject; their username."""
    username = f"p{uuid.uuid4().hex[:10]}"
    details = {"sub": f"sub-{username}", "email": f"{username}@proefdorp.nl", "groups": ["team-zorg"], **changes}
    identity_provider.person(username, **details)
    return username


def sign_in(client, username: str, slug: str = "proefdorp"):
    """Go to the provider, log in there as `username`, come back with the code; the platform's answer."""
    start = client.get(f"/inloggen/via/{slug}")
    assert start.status_code == 302, start.text
    at_provider = start.headers["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(at_provider).query)
    # What the platform asked for: the code flow with PKCE (S256), a state and a nonce.
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert query["state"][0] and query["nonce"][0] and len(query["code_challenge"][0]) == 43
    assert "openid" in query["scope"][0].split()
    assert "Gebruikersnaam" in requests.get(at_provider, timeout=10).text  # the provider's own login page
    back = requests.post(at_provider, data={"username": username}, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text
    returned = urllib.parse.urlsplit(back.headers["Location"])
    assert returned.path == "/inloggen/terug"
    return client.get(f"{returned.path}?{returned.query}")


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_first_sign_in_creates_the_account_in_the_organisation_with_the_mapped_role(app, client, org_with_provider,
                                                                                   identity_provider):
    username = person(identity_provider, groups=["trainers", "iets-anders"])
    answer = sign_in(client, username)
    assert answer.status_code == 302 and answer.headers["Location"] == "/sessies/"
    user = user_by_email(app, f"{username}@proefdorp.nl")
    assert (user.organisation_id, user.role, user.oidc_subject) == (org_with_provider, "procesbegeleider",
                                                                    f"sub-{username}")
    assert user.password_hash is None
    assert client.get("/account/").status_code == 200
    exported = client.get("/account/gegevens").json["account"]["inlogdienst_van_je_organisatie"]
    assert exported == {"adres": identity_provider.url, "kenmerk": f"sub-{username}"}


def test_the_highest_role_of_several_groups_wins_and_a_second_sign_in_finds_the_same_account(app, client,
                                                                                         org_with_provider,
                                                                                         identity_provider):
    username = person(identity_provider, groups=["team-zorg", "ict-beheer"])
    sign_in(client, username)
    client.submit("/uitloggen", page="/account/")
    sign_in(client, username)
    with app.app_context():
        users = db.session.scalars(select(User).where(User.email == f"{username}@proefdorp.nl")).all()
        assert [u.role for u in users] == ["beheerder"]
    # The beheerder's user list says that this role follows the groups, so a change by hand does not surprise.
    assert "Via de inlogdienst: de rol volgt de groepen" in client.get("/beheer/gebruikers").text


def test_a_removed_group_takes_the_role_away_at_the_next_sign_in(app, client, org_with_provider, identity_provider):
    username = person(identity_provider, groups=["trainers"])
    sign_in(client, username)
    assert user_by_email(app, f"{username}@proefdorp.nl").role == "procesbegeleider"
    identity_provider.person(username, sub=f"sub-{username}", email=f"{username}@proefdorp.nl", groups=["team-zorg"])
    other = app.test_client()
    sign_in(other, username)
    assert user_by_email(app, f"{username}@proefdorp.nl").role == "deelnemer"
    assert other.get("/sessies/").status_code == 403
    assert client.get("/sessies/").status_code == 403  # the older login has the lower role too


def test_without_any_mapped_group_there_is_no_account_and_a_removed_user_is_signed_out(app, client,
                                                                                    org_with_provider,
                                                                                    identity_provider):
    outsider = person(identity_provider, groups=["bezoekers"])
    answer = sign_in(client, outsider)
    assert answer.status_code == 403 and "geen toegang" in answer.text
    assert user_by_email(app, f"{outsider}@proefdorp.nl") is None

    leaver = person(identity_provider, groups=["team-zorg"])
    sign_in(client, leaver)
    identity_provider.person(leaver, sub=f"sub-{leaver}", email=f"{leaver}@proefdorp.nl", groups=[])
    answer = sign_in(app.test_client(), leaver)
    assert answer.status_code == 403 and "geen toegang meer" in answer.text
    assert client.get("/account/").status_code == 302  # the login still open elsewhere has ended
    with app.app_context():
        assert db.session.scalars(select(LoginSession)).all() == []


@pytest.mark.parametrize("misbehaviour, reason", [
    ("andere-audience", "Invalid claim: 'aud'"), ("verlopen", "expired"), ("andere-nonce", "Invalid claim: 'nonce'"),
    ("andere-uitgever", "Invalid claim: 'iss'"), ("andere-sleutel", "bad_signature"), ("vervalst", "bad_signature")])
def test_an_id_token_that_fails_a_check_never_signs_in(app, client, org_with_provider, identity_provider, caplog,
                                                       misbehaviour, reason):
    username = person(identity_provider, groups=["ict-beheer"], misbehave=misbehaviour)
    answer = sign_in(client, username)
    assert reason in caplog.text  # refused for this reason, not for another
    assert answer.status_code == 403
    assert "Het inloggen via je organisatie is niet gelukt" in answer.text
    assert user_by_email(app, f"{username}@proefdorp.nl") is None
    assert client.get("/account/").status_code == 302


def test_an_email_that_exists_in_another_organisation_neither_blocks_nor_links(app, client, make_user,
                                                                             org_with_provider, identity_provider,
                                                                             make_org):
    """Another organisation's beheerder made an account with this colleague's address first: it stays theirs,
    and the colleague gets their own account in their own organisation."""
    elsewhere = make_user("dubbel@proefdorp.nl", role="deelnemer", org="elders")
    username = person(identity_provider, email="dubbel@proefdorp.nl", groups=["ict-beheer"])
    assert sign_in(client, username).headers["Location"] == "/account/"
    with app.app_context():
        accounts = {user.organisation_id: user for user in
                    db.session.scalars(select(User).where(User.email == "dubbel@proefdorp.nl"))}
    assert (accounts[org_with_provider].role, accounts[org_with_provider].oidc_subject) == ("beheerder",
                                                                                            f"sub-{username}")
    other = accounts[make_org("elders")]
    assert (other.id, other.role, other.oidc_subject) == (elsewhere.id, "deelnemer", None)


def test_two_organisations_with_the_same_provider_each_get_their_own_account(app, client, org_with_provider,
                                                                            identity_provider, make_org):
    buurdorp = make_org("buurdorp", "Gemeente Buurdorp")
    client_id = f"bril-{uuid.uuid4().hex[:8]}"
    identity_provider.client(client_id, SECRET, "http://localhost/inloggen/terug")
    with app.app_context():
        db.session.add(IdentityProvider(organisation_id=buurdorp, active=True, issuer=identity_provider.url,
                                        client_id=client_id, client_secret=SECRET, role_claim="groups",
                                        role_map=[["team-zorg", "procesbegeleider"]], passwords_allowed=True))
        db.session.commit()
    username = person(identity_provider)
    assert sign_in(client, username).headers["Location"] == "/account/"
    assert sign_in(app.test_client(), username, slug="buurdorp").headers["Location"] == "/sessies/"
    with app.app_context():
        found = db.session.execute(select(User.organisation_id, User.role).where(
            User.oidc_subject == f"sub-{username}").order_by(User.organisation_id)).all()
    assert [tuple(row) for row in found] == [(org_with_provider, "deelnemer"), (buurdorp, "procesbegeleider")]


def test_an_existing_account_of_the_same_organisation_is_linked_by_email(app, client, make_user,
                                                                         org_with_provider, identity_provider):
    make_user("bestaand@proefdorp.nl", role="deelnemer", org="proefdorp")
    username = person(identity_provider, email="bestaand@proefdorp.nl", groups=["trainers"])
    assert sign_in(client, username).status_code == 302
    user = user_by_email(app, "bestaand@proefdorp.nl")
    assert (user.oidc_subject, user.role) == (f"sub-{username}", "procesbegeleider")


@pytest.mark.parametrize("verified", [False, None, "ja"], ids=["false", "afwezig", "tekst"])
def test_an_email_not_verified_does_not_take_over_an_existing_account(app, client, make_user, org_with_provider,
                                                                      identity_provider, verified):
    """Only `email_verified: true` links: Entra ID sends no such claim, and then nothing is linked."""
    make_user("bestaand@proefdorp.nl", role="deelnemer", org="proefdorp")
    username = person(identity_provider, email="bestaand@proefdorp.nl", groups=["ict-beheer"], email_verified=verified)
    answer = sign_in(client, username)
    assert answer.status_code == 403 and "bevestigt niet dat dit e-mailadres van jou is" in answer.text
    user = user_by_email(app, "bestaand@proefdorp.nl")
    assert (user.oidc_subject, user.role) == (None, "deelnemer")
    assert client.get("/account/").status_code == 302
    # Without an account to take over, an unverified address simply makes a new one.
    newcomer = person(identity_provider, email_verified=None)
    assert sign_in(app.test_client(), newcomer).status_code == 302
    assert user_by_email(app, f"{newcomer}@proefdorp.nl").oidc_subject == f"sub-{newcomer}"


@pytest.mark.parametrize("groups", [5, {"team-zorg": True}, ["team-zorg", {"naam": "trainers"}], True, [7]],
                         ids=["getal", "object", "object-in-lijst", "waar", "getal-in-lijst"])
def test_a_groups_claim_that_is_no_list_of_names_is_a_dutch_refusal(app, client, org_with_provider,
                                                                   identity_provider, groups):
    username = person(identity_provider, groups=groups)
    answer = sign_in(client, username)
    assert answer.status_code == 403 and "niet door als een lijst met namen" in answer.text
    assert user_by_email(app, f"{username}@proefdorp.nl") is None


def test_a_groups_claim_of_one_name_as_text_is_that_one_group(app, client, org_with_provider, identity_provider):
    username = person(identity_provider, groups="trainers")
    assert sign_in(client, username).headers["Location"] == "/sessies/"
    assert user_by_email(app, f"{username}@proefdorp.nl").role == "procesbegeleider"


def test_a_code_brought_back_twice_or_a_forged_state_does_not_sign_in(app, client, org_with_provider,
                                                                      identity_provider):
    username = person(identity_provider)
    start = client.get("/inloggen/via/proefdorp").headers["Location"]
    back = requests.post(start, data={"username": username}, allow_redirects=False, timeout=10).headers["Location"]
    returned = urllib.parse.urlsplit(back)
    forged = re.sub(r"state=[^&]+", "state=vervalst", returned.query)
    assert client.get(f"{returned.path}?{forged}").status_code == 403
    # The sign-in under way was used up by the forged attempt: the real answer now finds nothing pending.
    again = client.get(f"{returned.path}?{returned.query}")
    assert again.status_code == 302 and again.headers["Location"] == "/inloggen"
    assert client.get("/account/").status_code == 302


def test_a_callback_without_a_sign_in_under_way_says_so(client, org_with_provider):
    answer = client.get("/inloggen/terug?code=abc&state=def", follow_redirects=True)
    assert "Dit inloggen is verlopen of al afgerond" in answer.text


def test_passwords_can_be_switched_off_per_organisation(app, client, make_user, org_with_provider):
    make_user("wachtwoord@proefdorp.nl", org="proefdorp")
    with app.app_context():
        db.session.get(IdentityProvider, org_with_provider).passwords_allowed = False
        db.session.commit()
    answer = client.submit("/inloggen", {"email": "wachtwoord@proefdorp.nl", "password": PASSWORD})
    assert answer.status_code == 403
    assert "laat inloggen met een wachtwoord niet toe" in answer.text
    assert "Inloggen via Gemeente Proefdorp" in answer.text
    assert client.get("/account/").status_code == 302


def test_the_login_page_offers_each_organisation_with_an_active_provider(app, client, org_with_provider, make_org):
    make_org("zonder", "Gemeente Zonder")
    page = client.get("/inloggen").text
    assert 'href="/inloggen/via/proefdorp"' in page and "Inloggen via Gemeente Proefdorp" in page
    assert "Gemeente Zonder" not in page
    with app.app_context():
        db.session.get(IdentityProvider, org_with_provider).active = False
        db.session.commit()
    assert "Inloggen via Gemeente Proefdorp" not in client.get("/inloggen").text
    assert client.get("/inloggen/via/proefdorp").status_code == 404


def test_an_unreachable_provider_gives_a_dutch_message(app, client, org_with_provider):
    with app.app_context():
        db.session.get(IdentityProvider, org_with_provider).issuer = "http://127.0.0.1:9"
        db.session.commit()
    answer = client.get("/inloggen/via/proefdorp")
    assert answer.status_code == 403 and "niet bereikbaar" in answer.text


def test_an_unknown_organisation_in_the_address_is_not_found(client, org_with_provider):
    assert client.get("/inloggen/via/bestaat-niet").status_code == 404


def test_the_provider_description_and_keys_are_fetched_once_not_per_sign_in(app, org_with_provider,
                                                                            identity_provider):
    sign_in(app.test_client(), person(identity_provider))
    before = identity_provider.fetched()
    for _ in range(3):
        sign_in(app.test_client(), person(identity_provider))
    assert identity_provider.fetched() == before
    with app.app_context():  # saved settings start afresh
        db.session.get(IdentityProvider, org_with_provider).role_claim = "roles"
        db.session.commit()
    sign_in(app.test_client(), person(identity_provider))
    assert identity_provider.fetched() == {"discovery": before["discovery"] + 1, "jwks": before["jwks"] + 1}


def test_a_changed_email_at_the_provider_follows_at_the_next_sign_in(app, client, org_with_provider,
                                                                    identity_provider):
    username = person(identity_provider)
    sign_in(client, username)
    identity_provider.person(username, sub=f"sub-{username}", email=f"nieuw-{username}@proefdorp.nl",
                             groups=["team-zorg"])
    sign_in(app.test_client(), username)
    assert user_by_email(app, f"{username}@proefdorp.nl") is None
    assert user_by_email(app, f"nieuw-{username}@proefdorp.nl").oidc_subject == f"sub-{username}"


def test_when_another_tab_created_the_account_first_this_sign_in_uses_it(app, client, org_with_provider,
                                                                         identity_provider, monkeypatch):
    username = person(identity_provider, groups=["trainers"])
    real, calls = oidc.account_for, []

    def other_tab_wins_first(provider, claims):
        calls.append(claims["sub"])
        if len(calls) > 1:
            return real(provider, claims)
        # The other tab commits the same new account just after this one looked and found none ...
        with app.app_context():
            db.session.add(User(email=claims["email"], organisation_id=provider.organisation_id,
                                role="procesbegeleider", oidc_issuer=claims["iss"], oidc_subject=claims["sub"]))
            db.session.commit()
        # ... so this one's insert meets the unique e-mail and subject.
        db.session.add(User(email=claims["email"], organisation_id=provider.organisation_id, role="deelnemer",
                            oidc_issuer=claims["iss"], oidc_subject=claims["sub"]))
        db.session.flush()

    monkeypatch.setattr(oidc, "account_for", other_tab_wins_first)
    assert sign_in(client, username).status_code == 302
    assert len(calls) == 2
    with app.app_context():
        found = db.session.scalars(select(User).where(User.email == f"{username}@proefdorp.nl")).all()
        assert [u.role for u in found] == ["procesbegeleider"]


def test_logging_out_after_a_sign_in_through_the_provider_logs_out_there_too(app, client, auth, make_user,
                                                                           org_with_provider, identity_provider):
    sign_in(client, person(identity_provider))
    out = client.submit("/uitloggen", page="/account/")
    # A page that sends the browser on (the site's forms may only post to the site itself).
    assert out.status_code == 200 and "Je bent uitgelogd" in out.text
    url = html.unescape(re.search(r'http-equiv="refresh" content="0;url=([^"]+)"', out.text).group(1))
    assert f'href="{html.escape(url)}"' in out.text
    at_provider = urllib.parse.urlsplit(url)
    assert f"{at_provider.scheme}://{at_provider.netloc}{at_provider.path}" == f"{identity_provider.url}/uitloggen"
    query = urllib.parse.parse_qs(at_provider.query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/"] and query["client_id"][0].startswith("bril-")
    back = requests.get(url, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith("http://localhost/?state=")
    assert client.get("/account/").status_code == 302
    # A password login logs out here only, as before.
    make_user("wachtwoord@proefdorp.nl", org="proefdorp")
    other = app.test_client()
    other.submit("/inloggen", {"email": "wachtwoord@proefdorp.nl", "password": PASSWORD})
    assert other.submit("/uitloggen", page="/account/").headers["Location"] == "/"


def test_logging_out_works_when_the_provider_is_away(app, client, org_with_provider, identity_provider):
    sign_in(client, person(identity_provider))
    with app.app_context():
        db.session.get(IdentityProvider, org_with_provider).issuer = "http://127.0.0.1:9"
        db.session.commit()
    assert client.submit("/uitloggen", page="/account/").headers["Location"] == "/"
    assert client.get("/account/").status_code == 302


# --- What a sign-in may make the server call (the SSRF an outside probe found) ---

@pytest.fixture
def honest_provider(identity_provider):
    """The test provider's discovery document, honest again after the test changed it."""
    yield identity_provider
    identity_provider.discovery()


def test_a_description_that_now_names_an_internal_token_endpoint_stops_the_sign_in(app, client, org_with_provider,
                                                                                   honest_provider, monkeypatch):
    """Saved while honest, changed since: the code, the PKCE verifier and the secret never go inward."""
    username = person(honest_provider)
    honest_provider.discovery(token_endpoint="https://10.0.0.7/token")
    sent = record_outgoing(monkeypatch)
    answer = client.get("/inloggen/via/proefdorp")
    assert answer.status_code == 403 and "niet goed ingesteld" in answer.text
    assert not any("10.0.0.7" in url for _, url in sent)
    # The description changes between the start and the return (it is kept an hour, then fetched again).
    honest_provider.discovery()
    start = client.get("/inloggen/via/proefdorp").headers["Location"]
    honest_provider.discovery(token_endpoint="https://10.0.0.7/token")
    providers._clients.clear()
    back = requests.post(start, data={"username": username}, allow_redirects=False, timeout=10).headers["Location"]
    returned = urllib.parse.urlsplit(back)
    answer = client.get(f"{returned.path}?{returned.query}")
    assert answer.status_code == 403 and "niet goed ingesteld" in answer.text
    # The only POST is the test's own, playing the browser at the provider's login page.
    assert [url for method, url in sent if method == "POST" and not url.startswith(start.split("?")[0])] == []
    assert not any("10.0.0.7" in url for _, url in sent)
    assert client.get("/account/").status_code == 302


def test_a_provider_name_that_turns_inward_after_the_start_gets_nothing(app, client, org_with_provider,
                                                                       identity_provider, monkeypatch):
    """DNS rebinding, cheaply: every address is resolved again when it is used, not only when saved."""
    username = person(identity_provider)
    start = client.get("/inloggen/via/proefdorp").headers["Location"]
    back = requests.post(start, data={"username": username}, allow_redirects=False, timeout=10).headers["Location"]
    monkeypatch.setattr(outbound.socket, "getaddrinfo", lambda host, port, **kwargs: [
        (None, None, None, "", ("10.9.8.7", port))])
    sent = record_outgoing(monkeypatch)
    returned = urllib.parse.urlsplit(back)
    assert client.get(f"{returned.path}?{returned.query}").status_code == 403
    assert sent == []


def test_keys_behind_a_redirect_are_not_fetched(app, client, org_with_provider, honest_provider, monkeypatch):
    honest_provider.discovery(jwks_uri=f"{honest_provider.url}/omleiding")
    sent = record_outgoing(monkeypatch)
    answer = sign_in(client, person(honest_provider))
    assert answer.status_code == 403
    assert f"{honest_provider.url}/omleiding" in [url for _, url in sent]
    assert not any("169.254" in url for _, url in sent)
    assert client.get("/account/").status_code == 302
