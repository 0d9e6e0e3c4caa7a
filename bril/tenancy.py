"""One installation, many organisations. Every query of an organisation's data goes through here, so a
user of one organisation can never reach another's, by URL, by id, by join code or by stream.

Users carry the organisation; plans and sessions belong to it through their owner.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from .models import User, db


def organisation_id() -> int | None:
    """The organisation of the logged-in user (None for a platformbeheerder or nobody)."""
    return current_user.organisation_id if current_user.is_authenticated else None


def users_here() -> Select:
    """The users of the current organisation."""
    return select(User).where(User.organisation_id == organisation_id())


def owned_here(model: type) -> Select:
    """The rows of `model` (a plan, a session) whose owner belongs to the current organisation."""
    return select(model).join(User, model.owner_id == User.id).where(User.organisation_id == organisation_id())


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
