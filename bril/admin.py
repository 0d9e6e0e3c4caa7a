"""The beheerder's user management: create or invite users of their own organisation and set their role."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from . import security
from .auth import INVITE_DAYS, invite, role_required
from .forms import MIN_PASSWORD, ButtonForm, Form, valid_email
from .platform import OrganisationNameForm
from .models import ORGANISATION_ROLES, ROLE_LABELS, Organisation, User, db
from .tenancy import organisation_id, user_here_or_404, users_here

bp = Blueprint("admin", __name__, url_prefix="/beheer")


ROLE_CHOICES = [SelectChoice(key, ROLE_LABELS[key]) for key in ORGANISATION_ROLES]


class NewUserForm(Form):
    email = StringField("E-mailadres", validators=[DataRequired("Vul een e-mailadres in."), valid_email])
    role = SelectField("Rol", choices=ROLE_CHOICES, default="deelnemer")
    method = RadioField("Hoe krijgt de gebruiker toegang?", default="uitnodiging", choices=[
        SelectChoice("uitnodiging", f"Met een uitnodigingslink (geldig {INVITE_DAYS} dagen)"),
        SelectChoice("wachtwoord", "Ik kies nu een wachtwoord"),
    ])
    password = PasswordField("Wachtwoord (alleen als je nu een wachtwoord kiest)")

    def validate_email(self, field) -> None:
        # Only this organisation's accounts count: another's are neither an obstacle nor anyone's business here.
        if db.session.scalar(users_here().with_only_columns(User.id).where(User.email == field.data)):
            raise ValidationError("Er is in je organisatie al een account met dit e-mailadres.")

    def validate_password(self, field) -> None:
        if self.method.data != "wachtwoord":
            return
        if not field.data:
            raise ValidationError("Kies een wachtwoord, of kies voor een uitnodigingslink.")
        if not MIN_PASSWORD <= len(field.data) <= 128:
            raise ValidationError(f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.")


class RoleForm(Form):
    role = SelectField("Rol", choices=ROLE_CHOICES)


@bp.route("/gebruikers", methods=["GET", "POST"])
@role_required("beheerder")
def users():
    """List users and create a new one."""
    form = NewUserForm()
    if form.validate_on_submit():
        user = User(email=form.email.data, role=form.role.data, organisation_id=organisation_id())
        link = invite(user) if form.method.data == "uitnodiging" else None
        if link is None:
            user.password_hash = security.hash_password(form.password.data)
        db.session.add(user)
        db.session.commit()
        if link is None:
            flash(f"Het account voor {user.email} is gemaakt.")
            return redirect(url_for(".users"))
        return users_page(NewUserForm(formdata=None), link)
    return users_page(form)


@bp.route("/gebruikers/<int:user_id>/nieuwe-link", methods=["POST"])
@role_required("beheerder")
def new_link(user_id: int):
    """A new link for a user who forgot their password: they choose a new one with it, and every other
    login of theirs ends then. Until it is used, the old password keeps working."""
    user = user_here_or_404(user_id)
    if not ButtonForm().validate_on_submit():
        return redirect(url_for(".users"))
    if user.id == current_user.id:
        flash("Je eigen wachtwoord wijzig je via Mijn account.", "fout")
        return redirect(url_for(".users"))
    link = invite(user)
    db.session.commit()
    return users_page(NewUserForm(formdata=None), link, invited=user)


def users_page(form: NewUserForm, invite_link: str | None = None, invited: User | None = None):
    """The user list with the form for a new user, and the link just made (for a new or an existing user)."""
    everyone = db.session.scalars(users_here().order_by(User.email)).all()
    return render_template("admin/users.html", form=form, users=everyone, invite_link=invite_link, invited=invited,
                           invite_days=INVITE_DAYS, roles={key: ROLE_LABELS[key] for key in ORGANISATION_ROLES},
                           action=ButtonForm())


@bp.route("/gebruikers/<int:user_id>/rol", methods=["POST"])
@role_required("beheerder")
def set_role(user_id: int):
    """Change a user's role; the last beheerder keeps theirs."""
    user = user_here_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        if user.role == "beheerder" and form.role.data != "beheerder" and beheerder_count() == 1:
            flash("Dit is de laatste beheerder. Maak eerst iemand anders beheerder.", "fout")
        else:
            user.role = form.role.data
            db.session.commit()
            flash(f"{user.email} is nu {user.role_label.lower()}.")
    return redirect(url_for(".users"))


@bp.route("/gebruikers/<int:user_id>/auteur", methods=["POST"])
@role_required("beheerder")
def set_author(user_id: int):
    """Let a user write the organisation's own cards and stories, or stop them (a beheerder always may)."""
    user = user_here_or_404(user_id)
    if ButtonForm().validate_on_submit():
        user.author = request.form.get("auteur") == "ja"
        db.session.commit()
        flash(f"{user.email} is nu {'auteur' if user.author else 'geen auteur meer'}.")
    return redirect(url_for(".users"))


@bp.route("/gebruikers/<int:user_id>/verwijderen", methods=["POST"])
@role_required("beheerder")
def delete_user(user_id: int):
    """Delete another user's account and their data."""
    user = user_here_or_404(user_id)
    if ButtonForm().validate_on_submit():
        if user.id == current_user.id:
            flash("Je eigen account verwijder je via Mijn account.", "fout")
        else:
            security.forget_login_attempts(user.email)
            db.session.delete(user)
            db.session.commit()
            flash(f"Het account van {user.email} is verwijderd.")
    return redirect(url_for(".users"))


def beheerder_count() -> int:
    return db.session.scalar(select(func.count()).select_from(users_here().where(User.role == "beheerder").subquery()))


class OwnOrganisationForm(OrganisationNameForm):
    """What an organisation says about itself: its name, and where questions about the site go."""

    name = StringField("Naam van de organisatie", validators=[DataRequired("Vul een naam in.")])
    contact_email = StringField("E-mailadres voor vragen over privacy en toegankelijkheid",
                                validators=[Optional(), Length(max=254), valid_email])


@bp.route("/organisatie", methods=["GET", "POST"])
@role_required("beheerder")
def organisation():
    """The beheerder edits their organisation's name and contact address (shown in the statements)."""
    own = db.session.get(Organisation, organisation_id()) or abort(404)
    form = OwnOrganisationForm(obj=own, renaming=own.id)
    if form.validate_on_submit():
        own.name = form.name.data.strip()
        own.contact_email = (form.contact_email.data or "").strip().lower() or None
        db.session.commit()
        flash("De gegevens van je organisatie zijn opgeslagen.")
        return redirect(url_for(".organisation"))
    return render_template("admin/organisation.html", form=form, organisation=own), 422 if form.errors else 200
