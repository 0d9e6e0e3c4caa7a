"""An organisation's identity provider as this server reaches it: its address, its description (the
OpenID Connect discovery document) and the Authlib client that speaks to it.

Every address the provider's description names is checked before it is used (see bril/outbound.py), at
every sign-in and logout, not only when the beheerder saved the settings: the description is kept for an
hour, and a name can point elsewhere by then.
"""
from __future__ import annotations

import logging
import time

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, session, url_for
from requests import RequestException

from .logins import SIGNED_IN_VIA
from .models import IdentityProvider
from .outbound import TIMEOUT, AddressRefused, CheckedRequests, address_problem
from .tenancy import identity_provider

log = logging.getLogger(__name__)

# Every address a description may name; the first three it must name.
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint", "end_session_endpoint")
REQUIRED = ENDPOINTS[:3]
NO_DESCRIPTION = "Op dit adres staat geen beschrijving van een OpenID Connect-provider."
# Fixed messages: nothing of the provider's answer comes back to the page (it may be an internal one).
OTHER_NAME = ("De identiteitsprovider noemt zichzelf met een ander adres dan je invulde. Neem het adres precies "
              "over uit de gegevens van de provider, ook een / aan het eind.")
BAD_ENDPOINT = ("De beschrijving van de identiteitsprovider noemt een adres dat niet mag. Elk adres moet openbaar "
                "zijn en met https:// beginnen. Vraag de beheerder van de provider.")


def loopback_allowed() -> bool:
    """True when a provider on this machine may be used (OIDC_HTTP_LOOPBACK: tests, demonstrations)."""
    return bool(current_app.config.get("OIDC_HTTP_LOOPBACK"))


def issuer_problem(issuer: str) -> str | None:
    """Why an issuer address cannot be used, in Dutch; None when it can."""
    return address_problem(issuer, loopback_allowed())


def description_problem(metadata: object, issuer: str) -> str | None:
    """What in a provider's description does not fit, in Dutch and without repeating any of it; None when
    it fits. Every address in it is resolved now."""
    if not isinstance(metadata, dict):
        return NO_DESCRIPTION
    if metadata.get("issuer") != issuer:
        return OTHER_NAME
    missing = [key for key in REQUIRED if not metadata.get(key)]
    if missing:
        return (f"De beschrijving van de identiteitsprovider mist {', '.join(missing)}. Vraag de beheerder van de "
                "provider.")
    for key in ENDPOINTS:
        address = metadata.get(key)
        if address is not None and (not isinstance(address, str) or address_problem(address, loopback_allowed())):
            return BAD_ENDPOINT
    methods = metadata.get("code_challenge_methods_supported", ["S256"])
    if not isinstance(methods, list) or "S256" not in methods:
        return "Deze identiteitsprovider ondersteunt geen PKCE met S256. Dat is nodig om veilig in te loggen."
    return None


class ProviderSession(CheckedRequests, OAuth2Session):
    """Authlib's HTTP session, with every address checked and no redirect followed: discovery, keys,
    token and userinfo all go through here."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allow_loopback = loopback_allowed()


class ProviderClient(FlaskOAuth2App):
    client_cls = ProviderSession


# One Authlib client per organisation, which keeps the provider's discovery document and keys, so a sign-in
# does not fetch them again each time. Saved settings make a new one, and so does the next hour (a provider
# may move its endpoints; a key it rotates is fetched at once by Authlib when a token names it).
_clients: dict[int, tuple[tuple, ProviderClient]] = {}
METADATA_SECONDS = 3600


def client_for(provider: IdentityProvider) -> ProviderClient:
    """An Authlib client for this provider whose description was checked just now; AddressRefused when
    it names an address that may not be used."""
    key = (provider.issuer, provider.client_id, provider.client_secret, provider.updated_at,
           int(time.time() // METADATA_SECONDS))
    cached = _clients.get(provider.organisation_id)
    if cached is None or cached[0] != key:
        cached = _clients[provider.organisation_id] = (key, new_client(provider))
    try:
        metadata = cached[1].load_server_metadata()
    except (TypeError, AttributeError) as error:  # JSON, but not an object
        raise ValueError(NO_DESCRIPTION) from error
    problem = description_problem(metadata, provider.issuer)
    if problem:
        del _clients[provider.organisation_id]  # fetch it afresh next time
        raise AddressRefused(problem)
    return cached[1]


def new_client(provider: IdentityProvider) -> ProviderClient:
    return ProviderClient(
        FlaskIntegration(f"org{provider.organisation_id}"),
        name=f"org{provider.organisation_id}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "default_timeout": TIMEOUT},
    )


def end_session_url() -> str | None:
    """Where to send a user who signed in through their provider when they log out here: the provider's
    own logout (OpenID Connect RP-initiated logout), so the next person at a shared desk does not sign in
    as them with one click. None when they did not, or the provider offers no such address."""
    provider = identity_provider(session.get(SIGNED_IN_VIA))
    if provider is None:
        return None
    try:
        client = client_for(provider)
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        return client.create_logout_url(post_logout_redirect_uri=url_for("main.index", _external=True),
                                        client_id=provider.client_id)["url"]
    except (AuthlibBaseError, RequestException, ValueError, RuntimeError) as error:
        log.warning("uitloggen bij de identiteitsprovider overgeslagen: %s", error)
        return None  # logging out here must never fail because the provider is away
