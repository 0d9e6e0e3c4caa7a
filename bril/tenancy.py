"""One installation, many organisations. Every query of an organisation's data goes through here, so a
user of one organisation can never reach another's, by URL, by id, by join code or by stream.

Users carry the organisation; plans and sessions belong to it through their owner (`own_or_404`).
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from .models import IdentityProvider, Organisation, User, db


def organisation_id() -> int | None:
    """The organisation of the logged-in user (None for a platformbeheerder or nobody)."""
    return current_user.organisation_id if current_user.is_authenticated else None


def the_only_organisation() -> Organisation | None:
    """The organisation of an installation that has exactly one (the usual case, and the Quick start's)."""
    found = db.session.scalars(select(Organisation).limit(2)).all()
    return found[0] if len(found) == 1 else None


def reader_organisation() -> Organisation | None:
    """The organisation whose pages a reader sees: their own, or for a visitor without an account the only
    one there is (None on an installation with several)."""
    own = organisation_id()
    return db.session.get(Organisation, own) if own else the_only_organisation()


def users_here() -> Select:
    """The users of the current organisation."""
    return select(User).where(User.organisation_id == organisation_id())


def user_here_or_404(user_id: int) -> User:
    """A user of the current organisation; any other is not found."""
    user = db.session.get(User, user_id)
    if user is None or user.organisation_id != organisation_id() or user.role == "platformbeheerder":
        abort(404)
    return user


def may_manage(row) -> bool:
    """Its owner, or a beheerder of the owner's organisation."""
    if not current_user.is_authenticated:
        return False
    if row.owner_id == current_user.id:
        return True
    owner = db.session.get(User, row.owner_id)
    return (current_user.role == "beheerder" and owner is not None
            and owner.organisation_id == current_user.organisation_id)


def own_or_404(model: type, ident: int):
    """A row (with `owner_id`) the current user may manage; a row of anyone else is not found."""
    row = db.session.get(model, ident)
    if row is None or not may_manage(row):
        abort(404)
    return row


def identity_provider(organisation_id: int | None) -> IdentityProvider | None:
    """An organisation's identity provider when it is switched on (see bril/oidc.py)."""
    provider = db.session.get(IdentityProvider, organisation_id) if organisation_id else None
    return provider if provider is not None and provider.active else None


def organisations_with_sign_in() -> list[Organisation]:
    """Organisations whose users can sign in through their own identity provider, for the login page."""
    return list(db.session.scalars(
        select(Organisation).join(IdentityProvider, IdentityProvider.organisation_id == Organisation.id)
        .where(IdentityProvider.active).order_by(Organisation.name)))
