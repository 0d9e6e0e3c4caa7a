"""Who a launch signs in: one account per person of the portal (issuer + subject) within the portal's own
organisation, never linked to an existing account by e-mail address (a portal must not be able to take over
a colleague's or a beheerder's account by naming their address). Its role follows the launch's LTI roles, until a
beheerder gives the account another role by hand: that role stays, whatever the portal says at later launches."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..models import LtiAccount, LtiPlatform, User, db
from . import claims as lti

# Accounts the portal names no (kept) address for get one that can never receive mail (RFC 2606).
MADE_UP_DOMAIN = "leerportaal.invalid"


def pseudonym(platform: LtiPlatform, subject: str) -> str:
    message = f"lti:{platform.organisation_id}:{platform.issuer}:{subject}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:24]


def address_for(platform: LtiPlatform, claims: dict) -> str:
    """The portal's e-mail address when the organisation keeps it and no colleague has it; else a made-up one."""
    email = str(claims.get("email") or "").strip().lower()
    if platform.keep_email and "@" in email and len(email) <= 254 and not db.session.scalar(
            select(User.id).where(User.organisation_id == platform.organisation_id, User.email == email)):
        return email
    return f"lti-{pseudonym(platform, claims['sub'])}@{MADE_UP_DOMAIN}"


def account_for(platform: LtiPlatform, claims: dict) -> User:
    """The account of this launch's person, made at their first launch; its role follows the portal."""
    try:
        return _account_for(platform, claims)
    except IntegrityError:  # the same person's first launch in two tabs at once: the other one won
        db.session.rollback()
        return _account_for(platform, claims)


def _account_for(platform: LtiPlatform, claims: dict) -> User:
    subject = str(claims["sub"])[:255]
    link = db.session.get(LtiAccount, (platform.organisation_id, platform.issuer, subject))
    role = lti.role_for(claims.get(lti.ROLES))
    user = db.session.get(User, link.user_id) if link else None
    if user is None:
        user = User(email=address_for(platform, claims), organisation_id=platform.organisation_id, role=role)
        db.session.add(user)
        db.session.flush()
        link = LtiAccount(organisation_id=platform.organisation_id, issuer=platform.issuer, subject=subject,
                          user_id=user.id)
        db.session.add(link)
    if follows_portal(user, link):
        user.role = link.portal_role = role
    db.session.flush()
    return user


def follows_portal(user: User, link: LtiAccount) -> bool:
    """Does the account's role still come from the portal? Yes while it is the role the portal last gave (or was
    made before that was kept); no once a beheerder chose another by hand."""
    return link.portal_role is None or user.role == link.portal_role
