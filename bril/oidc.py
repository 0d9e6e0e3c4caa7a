"""Sign in through an organisation's own identity provider (OpenID Connect, authorisation code flow).

Authlib does the protocol: PKCE (S256), state and nonce kept in the session, the code exchanged at the
token endpoint, and the ID token's signature (the provider's published keys), issuer, audience, expiry
and nonce checked. bril/providers.py reaches the provider (only at addresses that may be used); this
module decides what a valid sign-in means here: which organisation, which account, which role.
"""
from __future__ import annotations

import logging

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import OAuthError
from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from joserfc.errors import JoseError
from requests import RequestException
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .logins import SIGNED_IN_VIA, home_for, sign_out_everywhere, start_session
from .models import ORGANISATION_ROLES, IdentityProvider, Organisation, User, db
from .outbound import AddressRefused
from .providers import client_for
from .tenancy import identity_provider

log = logging.getLogger(__name__)
bp = Blueprint("oidc", __name__)

# Which organisation a sign-in under way is for: the callback address is the same for all of them.
PENDING = "oidc_organisation"
# What a visitor reads when the provider's settings name an address this server will not call.
MISCONFIGURED = ("De inlogdienst van je organisatie is niet goed ingesteld. Neem contact op met je beheerder. "
                 "Log zolang in met je wachtwoord als dat mag.")


class SignInRefused(Exception):
    """A valid answer from the provider that still does not give access here; the message is for the user."""


def groups_in(provider: IdentityProvider, claims: dict) -> set[str]:
    """The values of the provider's groups claim: a list of names, or one name as plain text. Anything else
    (a number, an object) is refused, so a provider set up wrongly never guesses a role."""
    values = claims.get(provider.role_claim)
    if values is None:
        return set()
    if isinstance(values, str):
        return {values}
    if isinstance(values, list) and all(isinstance(value, str) for value in values):
        return set(values)
    raise SignInRefused(f"Je organisatie geeft de groepen in '{provider.role_claim}' niet door als een lijst "
                        "met namen. Vraag je beheerder om dat na te kijken bij de identiteitsprovider.")


def role_for(provider: IdentityProvider, claims: dict) -> str | None:
    """The highest role the claim's values give, else the default role (None: no access)."""
    values = groups_in(provider, claims)
    granted = [role for value, role in provider.role_map if value in values and role in ORGANISATION_ROLES]
    if granted:
        return max(granted, key=ORGANISATION_ROLES.index)
    return provider.default_role if provider.default_role in ORGANISATION_ROLES else None


def email_verified(claims: dict) -> bool:
    """Only an explicit yes counts: Entra ID, for one, sends no such claim at all."""
    return claims.get("email_verified") in (True, "true")


def account_for(provider: IdentityProvider, claims: dict) -> User:
    """The account this sign-in belongs to, always within the provider's own organisation: found by the
    provider's issuer and subject, else an account with the same e-mail address linked when the provider
    vouches for that address, else created. Its role follows the provider at every sign-in."""
    organisation_id = provider.organisation_id
    email = (claims.get("email") or "").strip().lower()
    verified = email_verified(claims)
    role = role_for(provider, claims)
    here = select(User).where(User.organisation_id == organisation_id)
    user = db.session.scalar(here.where(User.oidc_issuer == claims["iss"], User.oidc_subject == claims["sub"]))
    if user is None:
        if not email:
            raise SignInRefused("Je organisatie gaf geen e-mailadres door. Vraag je beheerder om dat in te "
                                "stellen bij de identiteitsprovider.")
        user = db.session.scalar(here.where(User.email == email))
        if user is not None and user.oidc_subject:
            raise SignInRefused(f"Het account met {email} hoort bij een andere inlog van je organisatie. "
                                "Neem contact op met je beheerder.")
        if user is not None and not verified:
            raise SignInRefused(f"Er is al een account met {email}, maar je organisatie bevestigt niet dat dit "
                                "e-mailadres van jou is. Neem contact op met je beheerder.")
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
    if email and verified and email != user.email and not db.session.scalar(here.where(User.email == email)):
        user.email = email  # the organisation renamed the address: follow it, as long as no colleague has it
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
    except AddressRefused as error:
        log.warning("identiteitsprovider van %s geweigerd: %s", slug, error)
        return refused(organisation, MISCONFIGURED)
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
    except AddressRefused as error:
        log.warning("identiteitsprovider van %s geweigerd: %s", organisation.slug, error)
        return refused(organisation, MISCONFIGURED)
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


def refused(organisation: Organisation, message: str):
    """The login page with what went wrong, and a way to try again."""
    db.session.rollback()
    return render_template("auth/oidc_refused.html", organisation=organisation, message=message), 403
