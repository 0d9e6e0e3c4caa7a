"""Sign in through an organisation's own identity provider (OpenID Connect, authorisation code flow).

Authlib does the protocol: PKCE (S256), state and nonce kept in the session, the code exchanged at the
token endpoint, and the ID token's signature (the provider's published keys), issuer, audience, expiry
and nonce checked. This module decides what a valid sign-in means here: which organisation, which
account, which role.
"""
from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .auth import home_for, sign_out_everywhere, start_session
from .models import ORGANISATION_ROLES, IdentityProvider, Organisation, User, db
from .tenancy import identity_provider

log = logging.getLogger(__name__)
bp = Blueprint("oidc", __name__)

# Seconds to wait for the provider; a sign-in should fail clearly rather than hang.
PROVIDER_TIMEOUT = 10
# Which organisation a sign-in under way is for: the callback address is the same for all of them.
PENDING = "oidc_organisation"
# The organisation through whose provider this login was made (for logging out there too).
SIGNED_IN_VIA = "oidc_signed_in_via"


class SignInRefused(Exception):
    """A valid answer from the provider that still does not give access here; the message is for the user."""


def issuer_problem(issuer: str) -> str | None:
    """Why an issuer address cannot be used, in Dutch; None when it can."""
    parts = urlsplit(issuer)
    if parts.scheme == "https" and parts.hostname:
        return None
    loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")
    if loopback and current_app.config.get("OIDC_HTTP_LOOPBACK"):
        return None  # a provider on this machine, for tests and demonstrations
    return "Het adres van de identiteitsprovider begint met https://, zoals https://login.gemeente.nl."


# One Authlib client per organisation, which keeps the provider's discovery document and keys, so a sign-in
# does not fetch them again each time. Saved settings make a new one, and so does the next hour (a provider
# may move its endpoints; a key it rotates is fetched at once by Authlib when a token names it).
_clients: dict[int, tuple[tuple, FlaskOAuth2App]] = {}
METADATA_SECONDS = 3600


def client_for(provider: IdentityProvider) -> FlaskOAuth2App:
    """An Authlib client for this provider, configured from its discovery document."""
    key = (provider.issuer, provider.client_id, provider.client_secret, provider.updated_at,
           int(time.time() // METADATA_SECONDS))
    cached = _clients.get(provider.organisation_id)
    if cached is None or cached[0] != key:
        cached = _clients[provider.organisation_id] = (key, new_client(provider))
    return cached[1]


def new_client(provider: IdentityProvider) -> FlaskOAuth2App:
    return FlaskOAuth2App(
        FlaskIntegration(f"org{provider.organisation_id}"),
        name=f"org{provider.organisation_id}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                       "default_timeout": PROVIDER_TIMEOUT},
    )


def role_for(provider: IdentityProvider, claims: dict) -> str | None:
    """The highest role the claim's values give, else the default role (None: no access)."""
    values = claims.get(provider.role_claim) or []
    values = {values} if isinstance(values, str) else {str(value) for value in values}
    granted = [role for value, role in provider.role_map if value in values and role in ORGANISATION_ROLES]
    if granted:
        return max(granted, key=ORGANISATION_ROLES.index)
    return provider.default_role if provider.default_role in ORGANISATION_ROLES else None


def account_for(provider: IdentityProvider, claims: dict) -> User:
    """The account this sign-in belongs to: found by the provider's subject, else linked by e-mail in the
    same organisation, else created. Its role follows the provider at every sign-in."""
    organisation_id = provider.organisation_id
    email = (claims.get("email") or "").strip().lower()
    user = db.session.scalar(select(User).where(User.oidc_issuer == claims["iss"],
                                                User.oidc_subject == claims["sub"]))
    if user is not None and user.organisation_id != organisation_id:
        raise SignInRefused("Dit account hoort bij een andere organisatie. Log in via die organisatie.")
    role = role_for(provider, claims)
    if user is None:
        if not email:
            raise SignInRefused("Je organisatie gaf geen e-mailadres door. Vraag je beheerder om dat in te "
                                "stellen bij de identiteitsprovider.")
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None and user.organisation_id != organisation_id:
            raise SignInRefused(f"Het e-mailadres {email} hoort al bij een account van een andere organisatie "
                                "op dit platform. Neem contact op met je beheerder.")
        if user is not None and (user.oidc_subject or claims.get("email_verified") is False):
            raise SignInRefused(f"Het account met {email} hoort bij een andere inlog van je organisatie. "
                                "Neem contact op met je beheerder.")
        if user is None:
            if role is None:
                raise SignInRefused("Je hebt geen toegang tot dit platform. Vraag je beheerder om je toe te "
                                    "voegen aan de juiste groep.")
            user = User(email=email, organisation_id=organisation_id, role=role)
            db.session.add(user)
        user.oidc_issuer, user.oidc_subject = claims["iss"], claims["sub"]
    if role is None:
        sign_out_everywhere(user)  # the group was removed: end the logins that are still open too
        db.session.commit()
        raise SignInRefused("Je hebt geen toegang meer tot dit platform. Vraag je beheerder om je toe te "
                            "voegen aan de juiste groep.")
    if email and email != user.email and claims.get("email_verified") is not False \
            and not db.session.scalar(select(User.id).where(User.email == email)):
        user.email = email  # the organisation renamed the address: follow it, as long as no one else has it
    if user.role != role:
        log.info("rol van gebruiker %s volgt de identiteitsprovider: %s wordt %s", user.id, user.role, role)
        user.role = role
    user.invite_token = user.invite_expires = None
    db.session.flush()  # a new account needs its id before the login row points to it
    return user


@bp.route("/inloggen/via/<slug>")
def start(slug: str):
    """Send the user to their organisation's provider to sign in."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug)) or abort(404)
    provider = identity_provider(organisation.id) or abort(404)
    session[PENDING] = organisation.id
    try:
        return client_for(provider).authorize_redirect(url_for(".callback", _external=True))
    except (AuthlibBaseError, RequestException, ValueError, RuntimeError) as error:
        log.warning("identiteitsprovider van %s niet bereikbaar: %s", slug, error)
        return refused(organisation, "De inlogdienst van je organisatie is nu niet bereikbaar. Probeer het "
                                     "later opnieuw of log in met je wachtwoord als dat mag.")


@bp.route("/inloggen/terug")
def callback():
    """The provider sends the user back here with a code; exchange it and check the ID token."""
    organisation = db.session.get(Organisation, session.pop(PENDING, 0) or 0)
    provider = identity_provider(organisation.id) if organisation else None
    if provider is None:
        flash("Dit inloggen is verlopen of al afgerond. Begin opnieuw.", "fout")
        return redirect(url_for("auth.login"))
    try:
        # The issuer the beheerder entered, not only the one the discovery document names; and this
        # platform among the audiences (Authlib alone accepts a foreign audience when azp names us).
        token = client_for(provider).authorize_access_token(claims_options={
            "iss": {"essential": True, "values": [provider.issuer]},
            "aud": {"essential": True, "values": [provider.client_id]}})
        if "userinfo" not in token:  # no ID token, or none that Authlib could check against our nonce
            raise OAuthError(description="geen ID-token")
        try:
            user = account_for(provider, dict(token["userinfo"]))
        except IntegrityError:  # the same person's first sign-in in two tabs at once: the other one won
            db.session.rollback()
            user = account_for(provider, dict(token["userinfo"]))
    except SignInRefused as refusal:
        return refused(organisation, str(refusal))
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError) as error:
        # Wrong audience, expired, wrong nonce, bad signature, a state that does not match: never sign in.
        log.warning("inloggen via identiteitsprovider van %s geweigerd: %r %s", organisation.slug, error,
                    getattr(error, "description", ""))
        return refused(organisation, "Het inloggen via je organisatie is niet gelukt. Probeer het opnieuw. "
                                     "Lukt het weer niet, neem dan contact op met je beheerder.")
    start_session(user, remember=False)
    session[SIGNED_IN_VIA] = organisation.id
    flash("Je bent ingelogd.")
    return redirect(home_for(user))


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


def refused(organisation: Organisation, message: str):
    """The login page with what went wrong, and a way to try again."""
    db.session.rollback()
    return render_template("auth/oidc_refused.html", organisation=organisation, message=message), 403
