"""Login sessions: starting one, checking one, ending one or all; shared by password and provider sign-in.

A login is a row (`LoginSession`) beside the session cookie, so logging out, a new password or a
removed group ends it on the server, also for a copy of the cookie.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import session, url_for
from flask_login import login_user
from sqlalchemy import delete

from . import progress, walks
from .libraries import library_for
from .models import LoginSession, User, db, new_token, utcnow

# How long one login lasts at most, with or without "Ingelogd blijven" (then also the remember cookie).
LOGIN_DAYS = 30
# The organisation through whose provider this login was made (for logging out there too).
SIGNED_IN_VIA = "oidc_signed_in_via"


def start_session(user: User, remember: bool) -> None:
    """Log a user in under a brand-new session, so no earlier session id survives."""
    keep = {key: session[key] for key in ("reading", "walks") if key in session}
    session.clear()
    session.update(keep)
    session["sid"] = secrets.token_hex(16)
    user.last_login_at = utcnow()
    login = LoginSession(user_id=user.id, expires_at=utcnow() + timedelta(days=LOGIN_DAYS))
    db.session.add(login)
    db.session.commit()
    user.login_sid = login.id
    login_user(user, remember=remember, duration=timedelta(days=LOGIN_DAYS))
    progress.adopt_anonymous_answers(user, library_for(user.organisation_id).stories)
    walks.adopt_anonymous_walks(user)


def sign_out_everywhere(user: User) -> None:
    """Invalidate every session of a user (after a password change)."""
    user.session_token = new_token()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def end_login(user: User) -> None:
    """Forget the login this request belongs to."""
    if user.login_sid:
        db.session.execute(delete(LoginSession).where(LoginSession.id == user.login_sid))
        db.session.commit()


def valid_login(user: User | None, token: str, sid: str) -> bool:
    """True when a cookie's token and login still hold: not signed out everywhere, not logged out, not expired."""
    if user is None or not sid or not secrets.compare_digest(user.session_token, token):
        return False
    login = db.session.get(LoginSession, sid)
    return login is not None and login.user_id == user.id and login.expires_at > utcnow()


def home_for(user: User) -> str:
    """Where a user lands after logging in: a procesbegeleider at their sessions, a platformbeheerder at the
    organisations, anyone else at their account."""
    if user.role == "procesbegeleider":
        return url_for("workshops.index")
    return url_for("platform.index") if user.role == "platformbeheerder" else url_for("account.overview")
