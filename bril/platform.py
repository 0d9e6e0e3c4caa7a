"""The platformbeheerder's work: organisations on this installation, each with a first beheerder, and the
review board of the shared library (users of any organisation who accept or return offers, bril/sharing/).

The same rules serve the page (/platform) and the command line (`flask orgs create`).
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import func, select
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from .auth import INVITE_DAYS, invite, role_required
from .content.fields import slugify
from .forms import ButtonForm, Form, valid_email
from .models import IdentityProvider, Organisation, User, Workshop, db
from .sharing import reads as sharing_reads, rules as sharing_rules

bp = Blueprint("platform", __name__, url_prefix="/platform")
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def name_problem(name: str, renaming: int | None = None) -> str | None:
    """Why an organisation cannot have this name, in Dutch; None when it can. `renaming`: the organisation
    whose own name it may keep."""
    if not 2 <= len(name.strip()) <= 200:
        return "Een naam heeft 2 tot 200 tekens."
    if db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.strip().lower(),
                                                       Organisation.id != renaming)):
        return "Er is al een organisatie met deze naam."
    return None


def slug_for(name: str) -> str:
    """The short name made from a name when none is given: `Gemeente Zuidwold` becomes `gemeente-zuidwold`."""
    return slugify(name)[:40].strip("-")


def slug_problem(slug: str) -> str | None:
    """Why an organisation cannot have this short name, in Dutch; None when it can."""
    if not SLUG.match(slug):
        return "Een korte naam heeft alleen kleine letters, cijfers en streepjes, zoals gemeente-voorbeeld."
    if db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        return "Deze korte naam is al in gebruik."
    return None


def create_organisation(name: str, slug: str | None = None) -> Organisation:
    """Add an organisation; the caller checked name and slug first."""
    organisation = Organisation(name=name.strip(), slug=slug or slug_for(name))
    db.session.add(organisation)
    db.session.commit()
    return organisation


class OrganisationForm(Form):
    name = StringField("Naam van de organisatie", validators=[DataRequired("Vul een naam in.")])
    # No Optional(): an empty short name is made from the name, and that one must be free too.
    slug = StringField("Korte naam (niet verplicht)", validators=[Length(max=40)])
    # No check against existing accounts: an address is unique within an organisation, and this one is new.
    email = StringField("E-mailadres van de eerste beheerder",
                        validators=[DataRequired("Vul het e-mailadres van de eerste beheerder in."), valid_email])

    def validate_name(self, field) -> None:
        problem = name_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_slug(self, field) -> None:
        if not (field.data or self.name.data):
            return  # no name either: the name's own message says so
        problem = slug_problem(field.data or slug_for(self.name.data))
        if problem:
            raise ValidationError(problem)


class ReviewerForm(Form):
    """A user of any organisation, named to the shared library's review board by organisation and address."""

    organisation = SelectField("Organisatie van de beoordelaar", coerce=int)
    email = StringField("E-mailadres van de beoordelaar",
                        validators=[DataRequired("Vul het e-mailadres in."), valid_email])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, prefix="beoordelaar", **kwargs)
        self.organisation.choices = [(o.id, o.name) for o in db.session.scalars(
            select(Organisation).order_by(Organisation.name))]
        self.user: User | None = None

    def validate_email(self, field) -> None:
        self.user = db.session.scalar(select(User).where(User.organisation_id == self.organisation.data,
                                                         User.email == field.data))
        problem = sharing_rules.reviewer_problem(self.user)
        if problem:
            raise ValidationError(problem)


def index_page(form: OrganisationForm, reviewer_form: ReviewerForm, invitation=None):
    """The organisations with their counts, the review board, and the forms to add to either."""
    counts = dict(db.session.execute(select(User.organisation_id, func.count()).group_by(User.organisation_id)).all())
    # Sessions held, per organisation: a rehearsal never counts (Workshop.counted).
    sessions = dict(db.session.execute(select(User.organisation_id, func.count(Workshop.id))
                                       .join(User, Workshop.owner_id == User.id).where(Workshop.counted())
                                       .group_by(User.organisation_id)).all())
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    signing_in = set(db.session.scalars(select(IdentityProvider.organisation_id).where(IdentityProvider.active)))
    status = 422 if form.errors or reviewer_form.errors else 200
    return render_template("platform/index.html", form=form, organisations=organisations, counts=counts,
                           sessions=sessions, signing_in=signing_in, invite=invitation, invite_days=INVITE_DAYS,
                           reviewer_form=reviewer_form, board=sharing_reads.board()), status


@bp.route("/", methods=["GET", "POST"])
@role_required("platformbeheerder")
def index():
    """List the organisations and add one, with an invitation for its first beheerder."""
    form = OrganisationForm()
    invitation = None
    if form.validate_on_submit():
        organisation = create_organisation(form.name.data, form.slug.data or None)
        beheerder = User(email=form.email.data, role="beheerder", organisation_id=organisation.id)
        invitation = (organisation, invite(beheerder))
        db.session.add(beheerder)
        db.session.commit()
        form = OrganisationForm(formdata=None)
    return index_page(form, ReviewerForm(formdata=None), invitation)


@bp.route("/beoordelaars", methods=["POST"])
@role_required("platformbeheerder")
def add_reviewer():
    """Name a user of an organisation to the shared library's review board."""
    reviewer_form = ReviewerForm()
    if not reviewer_form.validate_on_submit():
        return index_page(OrganisationForm(formdata=None), reviewer_form)
    sharing_rules.set_reviewer(reviewer_form.user, True)
    flash(f"{reviewer_form.user.email} beoordeelt nu de gedeelde bibliotheek.")
    return redirect(url_for(".index", _anchor="beoordelaars"))


@bp.route("/beoordelaars/<int:user_id>/weg", methods=["POST"])
@role_required("platformbeheerder")
def remove_reviewer(user_id: int):
    """Take a user off the review board; what they decided stays decided."""
    user = db.session.get(User, user_id)
    if user is None or not user.shared_reviewer:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    sharing_rules.set_reviewer(user, False)
    flash(f"{user.email} beoordeelt de gedeelde bibliotheek niet meer.")
    return redirect(url_for(".index", _anchor="beoordelaars"))


class OrganisationNameForm(Form):
    """An existing organisation's name: any name no other organisation has."""

    name = StringField("Nieuwe naam", validators=[DataRequired("Vul een naam in.")])

    def __init__(self, *args, renaming: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.renaming = renaming

    def validate_name(self, field) -> None:
        problem = name_problem(field.data, renaming=self.renaming)
        if problem:
            raise ValidationError(problem)


@bp.route("/<int:organisation_id>", methods=["GET", "POST"])
@role_required("platformbeheerder")
def rename(organisation_id: int):
    """Give an organisation another name (after a merger, or a typo); its short name stays, so links keep
    working."""
    organisation = db.session.get(Organisation, organisation_id) or abort(404)
    form = OrganisationNameForm(renaming=organisation.id, name=organisation.name)
    if form.validate_on_submit():
        old, organisation.name = organisation.name, form.name.data.strip()
        db.session.commit()
        flash(f"{old} heet nu {organisation.name}.")
        return redirect(url_for(".index"))
    return render_template("platform/rename.html", form=form, organisation=organisation), 422 if form.errors else 200
