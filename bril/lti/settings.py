"""The beheerder's page for launches from the organisation's learning portal (/beheer/leerportaal/lti): the
portal's registration, and this tool's addresses to paste into the portal. `flask lti ...` does the same."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..addresses import external_url
from ..auth import role_required
from ..forms import Form
from ..libraries import library_for
from ..models import LtiPlatform, Organisation, db
from ..tenancy import organisation_id
from . import grades
from .commands import new_key_command, platform_command, retire_keys_command, send_command
from .platforms import url_problem

bp = Blueprint("lti_settings", __name__, cli_group="lti")
bp.cli.add_command(platform_command)
bp.cli.add_command(send_command)
bp.cli.add_command(new_key_command)
bp.cli.add_command(retire_keys_command)
TAKEN = "Dit leerportaal (uitgever en client-id) is al gekoppeld aan een andere organisatie."


def deployment_list(text: str) -> list[str]:
    """Deployment ids as typed: one a line, or separated by commas."""
    return [part.strip() for line in (text or "").splitlines() for part in line.split(",") if part.strip()]


def taken_elsewhere(issuer: str, client_id: str, own_id: int) -> bool:
    return db.session.scalar(select(LtiPlatform.organisation_id).where(
        LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id,
        LtiPlatform.organisation_id != own_id)) is not None


class PlatformForm(Form):
    """The portal as its administrator describes it after adding this tool (an "LTI 1.3 tool")."""

    active = BooleanField("Starten vanuit het leerportaal toestaan")
    issuer = StringField("Uitgever (issuer / platform-ID)", validators=[
        DataRequired("Vul de uitgever in, zoals https://leren.gemeente.nl."), Length(max=300)])
    client_id = StringField("Client-ID", validators=[
        DataRequired("Vul de client-ID in. Het leerportaal geeft die als je het platform toevoegt."), Length(max=200)])
    deployments = TextAreaField("Deployment-ID's (één per regel)", validators=[
        DataRequired("Vul minstens één deployment-ID in."), Length(max=2000)])
    auth_login_url = StringField("Adres voor aanmelden (authentication request URL)", validators=[
        DataRequired("Vul het adres voor aanmelden in."), Length(max=300)])
    token_url = StringField("Adres voor toegangssleutels (access token URL)", validators=[
        DataRequired("Vul het adres voor toegangssleutels in."), Length(max=300)])
    jwks_url = StringField("Adres van de openbare sleutels (public keyset URL)", validators=[
        DataRequired("Vul het adres van de openbare sleutels in."), Length(max=300)])
    keep_email = BooleanField("Het e-mailadres uit het leerportaal bewaren (anders krijgt een collega een schuilnaam)")

    def __init__(self, *args, organisation_id: int = 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id

    def validate_issuer(self, field) -> None:
        field.data = field.data.strip()
        if not field.data.startswith(("https://", "http://")):
            raise ValidationError("De uitgever is een adres dat begint met https://.")

    def validate_client_id(self, field) -> None:
        field.data = field.data.strip()
        if taken_elsewhere(self.issuer.data.strip(), field.data, self.organisation_id):
            raise ValidationError(TAKEN)

    def validate_deployments(self, field) -> None:
        if any(len(value) > 255 for value in deployment_list(field.data)):
            raise ValidationError("Een deployment-ID is hooguit 255 tekens lang.")

    def validate_auth_login_url(self, field) -> None:
        check_url(field)

    def validate_token_url(self, field) -> None:
        check_url(field)

    def validate_jwks_url(self, field) -> None:
        check_url(field)


class SendAgainForm(Form):
    """Send failed grades again: one (its id) or, without one, all of the organisation's."""

    grade = IntegerField(validators=[Optional()])


def check_url(field) -> None:
    field.data = field.data.strip()
    problem = url_problem(field.data)
    if problem:
        raise ValidationError(problem)


def tool_addresses() -> dict[str, str]:
    """This tool's addresses, to paste into the portal."""
    return {"Adres om aan te melden (OpenID Connect login initiation URL)": external_url("lti.login_initiation"),
            "Adres om te starten (redirect / launch URL)": external_url("lti.launch"),
            "Adres om inhoud te kiezen (deep linking URL)": external_url("lti.launch"),
            "Openbare sleutels van het platform (public keyset URL)": external_url("lti.jwks")}


@bp.route("/beheer/leerportaal/lti", methods=["GET", "POST"])
@role_required("beheerder")
def edit():
    """The beheerder registers the organisation's learning portal and sees what to paste there."""
    organisation = db.session.get(Organisation, organisation_id()) or abort(404)
    stored = db.session.get(LtiPlatform, organisation.id)
    form = PlatformForm(obj=stored, organisation_id=organisation.id)
    if not form.is_submitted() and stored:
        form.deployments.data = "\n".join(stored.deployment_ids)
    if form.validate_on_submit():
        platform = stored or LtiPlatform(organisation_id=organisation.id)
        for name in ("active", "issuer", "client_id", "auth_login_url", "token_url", "jwks_url", "keep_email"):
            setattr(platform, name, form[name].data)
        platform.deployment_ids = deployment_list(form.deployments.data)
        db.session.add(platform)
        db.session.commit()
        flash("De koppeling met het leerportaal is opgeslagen."
              + (" Collega's kunnen nu starten vanuit het leerportaal." if platform.active else
                 " Starten vanuit het leerportaal staat nog uit."))
        return redirect(url_for(".edit"))
    return render_template("lti/settings.html", form=form, organisation=organisation, addresses=tool_addresses(),
                           grades=grades.overview(organisation.id), failed=grades.failed_grades(organisation.id),
                           titles=titles_of(organisation.id), again=SendAgainForm(),
                           shown=grades.FAILED_SHOWN), 422 if form.errors else 200


@bp.route("/beheer/leerportaal/lti/opnieuw", methods=["POST"])
@role_required("beheerder")
def send_again():
    """The beheerder sends failed grades again: the one chosen, or all of them."""
    form = SendAgainForm()
    if not form.validate_on_submit():
        abort(400)
    count = grades.send_again(organisation_id(), form.grade.data)
    flash(f"{count} {'cijfer gaat' if count == 1 else 'cijfers gaan'} opnieuw naar het leerportaal."
          if count else "Er was geen mislukt cijfer meer om te versturen.")
    return redirect(url_for(".edit", _anchor="cijfers"))


def titles_of(organisation_id: int) -> dict[tuple[str, str], str]:
    """(kind, slug) -> the title of the organisation's story or card, for the list of failed grades."""
    library = library_for(organisation_id)
    return {**{("kaart", slug): card.title for slug, card in library.dilemmas.items()},
            **{("verhaal", slug): story.title for slug, story in library.stories.items()}}
