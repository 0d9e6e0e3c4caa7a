"""Logging in and out, and accepting an invitation.

One e-mail address may have an account in more than one organisation (each organisation keeps its own
users). The password decides which account logs in; when it fits more than one, the user chooses the
organisation (only someone who knows the password ever sees that choice).
"""
from __future__ import annotations

import re
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired

from . import security
from .extensions import login_manager
from .forms import Form, new_password_fields, valid_email
from .logins import end_login, home_for, sign_out_everywhere, start_session, valid_login
from .models import User, db, new_token, utcnow
from .providers import end_session_url
from .tenancy import identity_provider, organisations_with_sign_in

# How long an invitation (or a new link after a forgotten password) works.
INVITE_DAYS = 7

bp = Blueprint("auth", __name__)


class LoginForm(Form):
    email = StringField("E-mailadres", validators=[DataRequired("Vul je e-mailadres in."), valid_email])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul je wachtwoord in.")])
    # Only shown when the password fits accounts in several organisations; the value is one of their ids.
    account = RadioField("Bij welke organisatie wil je inloggen?", choices=[], validate_choice=False)
    remember = BooleanField("Ingelogd blijven op deze computer")


class InvitationForm(Form):
    password, confirm = new_password_fields()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Find the user of a session or remember cookie: "id:token:login". A changed session token (a new
    password) or a deleted login (logged out) ends it, also for a copy of the cookie."""
    number, token, sid = (user_id.split(":") + ["", ""])[:3]
    if not number.isdigit() or len(number) > 9:
        return None
    user = db.session.get(User, int(number))
    if not valid_login(user, token, sid):
        return None
    user.login_sid = sid
    return user


def accounts_with_password(email: str, password: str) -> list[User]:
    """The accounts with this e-mail address that this password opens (in several organisations at most)."""
    users = db.session.scalars(select(User).where(User.email == email).order_by(User.id)).all()
    if not users:
        security.check_password(None, password)  # the same time as a wrong password for a known address
    return [user for user in users if security.check_password(user.password_hash, password)]


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
        matching = accounts_with_password(form.email.data, form.password.data)
        chosen = [user for user in matching if str(user.id) == form.account.data] or matching
        if len(chosen) > 1:
            form.account.choices = [(str(user.id), user.organisation.name if user.organisation else "Platformbeheer")
                                    for user in chosen]
            form.account.errors = ["Je hebt met dit e-mailadres een account bij meer dan één organisatie. Kies "
                                   "bij welke je wilt inloggen en vul je wachtwoord nog een keer in."]
            return render_template("auth/login.html", form=form, organisations=organisations_with_sign_in())
        if chosen:
            user = chosen[0]
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
    """Let an invited user choose a password and log in; where the organisation signs in only through its
    own provider, send them there instead (a password would pass its checks, such as MFA)."""
    user = db.session.scalar(select(User).where(User.invite_token == token))
    if user is None or user.invite_expires is None or user.invite_expires < utcnow():
        abort(404)
    provider = identity_provider(user.organisation_id)
    if provider is not None and not provider.passwords_allowed:
        return render_template("auth/invitation_via_provider.html", user=user, organisation=user.organisation)
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
