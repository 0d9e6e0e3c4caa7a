"""A user's own account: progress, reflections, password, data export and deletion."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, ValidationError

from . import progress, security, walks
from .libraries import library_here
from .forms import ButtonForm, Form, new_password_fields
from .logins import sign_out_everywhere, start_session
from .models import Reflection, db, utcnow

bp = Blueprint("account", __name__, url_prefix="/account")


def current_password_matches(form, field) -> None:
    if not security.check_password(current_user.password_hash, field.data or ""):
        raise ValidationError("Dit is niet je huidige wachtwoord.")


class PasswordForm(Form):
    current = PasswordField("Huidig wachtwoord", validators=[DataRequired("Vul je huidige wachtwoord in."),
                                                             current_password_matches])
    password, confirm = new_password_fields()


class DeleteForm(Form):
    current = PasswordField("Je wachtwoord", validators=[DataRequired("Vul je wachtwoord in ter bevestiging."),
                                                         current_password_matches])


@bp.route("/")
@login_required
def overview():
    """Show progress per story and the user's reflections."""
    return render_template("account/overview.html",
                           summaries=progress.summaries(current_user, library_here().stories),
                           reflections=progress.reflections(current_user), stories=library_here().stories,
                           walks=walks.walks_of(current_user), dilemmas=library_here().dilemmas, form=ButtonForm())


@bp.route("/reflectie/<int:reflection_id>/verwijderen", methods=["POST"])
@login_required
def delete_reflection(reflection_id: int):
    """Delete one of the user's own reflections."""
    reflection = db.session.get(Reflection, reflection_id)
    if reflection is None or reflection.user_id != current_user.id:
        abort(404)
    if ButtonForm().validate_on_submit():
        db.session.delete(reflection)
        db.session.commit()
        flash("De reflectie is verwijderd.")
    return redirect(url_for(".overview") + "#reflecties")


@bp.route("/wachtwoord", methods=["GET", "POST"])
@login_required
def password():
    """Change the password; other sessions of this user end."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        user.password_hash = security.hash_password(form.password.data)
        sign_out_everywhere(user)
        db.session.commit()
        start_session(user, remember=False)
        flash("Je wachtwoord is gewijzigd. Op andere apparaten moet je opnieuw inloggen.")
        return redirect(url_for(".overview"))
    return render_template("account/password.html", form=form)


@bp.route("/gegevens")
@login_required
def download():
    """Download everything stored about the user as JSON."""
    data = progress.export(current_user)
    data["gedownload"] = utcnow().isoformat(timespec="seconds")
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=mijn-gegevens-ondermijningsbril.json"})


@bp.route("/verwijderen", methods=["GET", "POST"])
@login_required
def delete():
    """Delete the account and everything stored with it."""
    form = DeleteForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        logout_user()
        session.clear()
        security.forget_login_attempts(user.email)
        db.session.delete(user)
        db.session.commit()
        flash("Je account en al je gegevens zijn verwijderd.")
        return redirect(url_for("main.index"))
    return render_template("account/delete.html", form=form)
