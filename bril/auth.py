"""Logging in and out, and accepting an invitation."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import delete, select
from werkzeug.exceptions import TooManyRequests
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired

from . import progress, security, walks
from .extensions import library
from .forms import Form, new_password_fields, valid_email
from .models import LoginSession, User, db, new_token, utcnow
from .tenancy import identity_provider, organisations_with_sign_in

# How long one login lasts at most, with or without "Ingelogd blijven" (then also the remember cookie).
LOGIN_DAYS = 30
# How long an invitation (or a new link after a forgotten password) works.
INVITE_DAYS = 7

bp = Blueprint("auth", __name__)


class LoginForm(Form):
    email = StringField("E-mailadres", validators=[DataRequired("Vul je e-mailadres in."), valid_email])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul je wachtwoord in.")])
    remember = BooleanField("Ingelogd blijven op deze computer")


class InvitationForm(Form):
    password, confirm = new_password_fields()


@bp.route("/inloggen", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password; slow down repeated failures."""
    form = LoginForm()
    if form.validate_on_submit():
        keys = security.login_keys(form.email.data, request.remote_addr)
        wait = security.seconds_to_wait(keys)
        if wait:
            minutes = max(1, round(wait / 60))
            error = TooManyRequests(f"Je hebt te vaak een verkeerd wachtwoord ingevuld. Wacht {minutes} "
                                    f"{'minuut' if minutes == 1 else 'minuten'} en probeer het dan opnieuw.")
            error.retry_after = wait
            raise error
        user = db.session.scalar(select(User).where(User.email == form.email.data))
        if security.check_password(user.password_hash if user else None, form.password.data):
            security.record_login(keys[:1], succeeded=True)
            provider = identity_provider(user.organisation_id)
            if provider is not None and not provider.passwords_allowed:
                form.password.errors.append(f"{user.organisation.name} laat inloggen met een wachtwoord niet "
                                            "toe. Log in via je organisatie, met de knop hieronder.")
                return render_template("auth/login.html", form=form,
                                       organisations=[user.organisation]), 403
            start_session(user, form.remember.data)
            flash("Je bent ingelogd.")
            return redirect(safe_next(request.args.get("next")) if request.args.get("next") else home_for(user))
        security.record_login(keys, succeeded=False)
        form.password.errors.append("Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en "
                                    "probeer het opnieuw.")
    return render_template("auth/login.html", form=form, organisations=organisations_with_sign_in())


@bp.route("/uitloggen", methods=["POST"])
@login_required
def logout():
    """Log out and end this login on the server, so a copy of its cookie no longer works; a login made
    through the organisation's provider ends there too."""
    from .oidc import end_session_url  # oidc builds on this module, so it is imported here
    at_provider, organisation = end_session_url(), current_user.organisation
    end_login(current_user._get_current_object())
    logout_user()
    session.clear()
    if at_provider:
        return render_template("auth/logged_out.html", url=at_provider, organisation=organisation)
    flash("Je bent uitgelogd.")
    return redirect(url_for("main.index"))


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Let an invited user choose a password and log in."""
    user = db.session.scalar(select(User).where(User.invite_token == token))
    if user is None or user.invite_expires is None or user.invite_expires < utcnow():
        abort(404)
    form = InvitationForm()
    if form.validate_on_submit():
        user.password_hash = security.hash_password(form.password.data)
        user.invite_token = None
        user.invite_expires = None
        sign_out_everywhere(user)  # a new password (a link after a forgotten one) ends every other login
        db.session.commit()
        start_session(user, remember=False)
        flash("Welkom! Je wachtwoord is opgeslagen.")
        return redirect(home_for(user))
    return render_template("auth/invitation.html", form=form, user=user)


def invite(user: User) -> str:
    """Give a user a fresh invitation: a link that works once, for INVITE_DAYS, to choose a password.
    The caller commits; the link is returned to hand on."""
    user.invite_token = new_token()
    user.invite_expires = utcnow() + timedelta(days=INVITE_DAYS)
    return url_for("auth.accept_invitation", token=user.invite_token, _external=True)


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
    progress.adopt_anonymous_answers(user, library().stories)
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


# What a browser drops from an address before reading it (WHATWG URL standard): tabs and line breaks
# anywhere, control characters and spaces at both ends. `/%09/evil.example` becomes `//evil.example`.
DROPPED_ANYWHERE = re.compile(r"[\t\n\r]")
CONTROL_AND_SPACE = "".join(map(chr, range(0x21)))


def safe_next(target: str | None) -> str:
    """Only follow a `next` link that is a path on this site, read as the browser will read it."""
    path = DROPPED_ANYWHERE.sub("", target or "").strip(CONTROL_AND_SPACE).replace("\\", "/")
    parts = urlsplit(path)
    if (path.startswith("/") and not path.startswith("//") and not parts.scheme and not parts.netloc
            and not any(ord(c) < 0x20 or ord(c) == 0x7f for c in path)):
        return path
    return url_for("main.index") if not current_user.is_authenticated else url_for("account.overview")


def role_required(*roles: str):
    """Allow a view only to logged-in users with one of these roles (a beheerder may always)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
