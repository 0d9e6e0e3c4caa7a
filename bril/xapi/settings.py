"""The beheerder's page for sending results to the organisation's learning record store (/beheer/leerportaal):
the settings, what waits and what failed, and "Opnieuw proberen"."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from wtforms import BooleanField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import PasswordInput

from ..auth import role_required
from ..forms import Form
from ..models import ACTOR_EMAIL, ACTOR_PSEUDONYM, Organisation, RecordStore, db
from ..outbound import address_problem
from ..tenancy import organisation_id
from . import sender, status

bp = Blueprint("xapi_settings", __name__)


class RecordStoreForm(Form):
    """An organisation's record store as its beheerder fills it in, from what the store's admin hands over."""

    active = BooleanField("Resultaten naar het leerportaal sturen")
    endpoint = StringField("Adres van de leeromgeving (xAPI-endpoint)", validators=[
        DataRequired("Vul het adres van de leeromgeving in."), Length(max=300)])
    key = StringField("Sleutel (gebruikersnaam)", validators=[
        DataRequired("Vul de sleutel in. Je krijgt die van de beheerder van de leeromgeving."), Length(max=200)])
    # What was typed comes back after an error; the stored secret never does (see edit).
    secret = PasswordField("Geheim (wachtwoord)", validators=[Length(max=500)],
                           widget=PasswordInput(hide_value=False))
    actor = RadioField("Hoe heet een collega in de leeromgeving?", default=ACTOR_PSEUDONYM, choices=[
        SelectChoice(ACTOR_PSEUDONYM, "Met een schuilnaam: de leeromgeving ziet wat iemand deed, maar niet wie"),
        SelectChoice(ACTOR_EMAIL, "Met het e-mailadres: de leeromgeving ziet wie het is")])

    def __init__(self, *args, stored: RecordStore | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored = stored

    def validate_endpoint(self, field) -> None:
        field.data = field.data.strip()
        problem = address_problem(field.data, sender.loopback_allowed(), sender.WHO)
        if problem:
            raise ValidationError(problem)

    def validate_secret(self, field) -> None:
        if not field.data and not (self.stored and self.stored.secret):
            raise ValidationError("Vul het geheim in. Je krijgt het van de beheerder van de leeromgeving.")


def own_organisation() -> Organisation:
    return db.session.get(Organisation, organisation_id()) or abort(404)


@bp.route("/beheer/leerportaal", methods=["GET", "POST"])
@role_required("beheerder")
def edit():
    """The beheerder sets up sending results and sees what waits and what failed."""
    organisation = own_organisation()
    stored = db.session.get(RecordStore, organisation.id)
    form = RecordStoreForm(stored=stored, obj=stored)
    if not form.is_submitted():
        form.secret.data = ""  # the stored secret is never sent to the browser
    if form.validate_on_submit():
        store = stored or RecordStore(organisation_id=organisation.id)
        store.active, store.endpoint, store.key = form.active.data, form.endpoint.data, form.key.data.strip()
        store.secret = form.secret.data or store.secret
        store.actor = form.actor.data
        db.session.add(store)
        db.session.commit()
        flash("De instellingen voor het leerportaal zijn opgeslagen."
              + (" Resultaten gaan nu naar de leeromgeving." if store.active else " Versturen staat nog uit."))
        return redirect(url_for(".edit"))
    return render_template("admin/learning_portal.html", form=form, organisation=organisation, stored=stored,
                           overview=status.overview(organisation.id), keep_days=sender.KEEP_SENT_DAYS), 422 if form.errors else 200


@bp.route("/beheer/leerportaal/opnieuw", methods=["POST"])
@role_required("beheerder")
def retry():
    """Send what failed or waits at the next round, whatever its wait was."""
    organisation = own_organisation()
    count = sender.try_again(organisation.id)
    flash(f"{count} leerrecords gaan binnen een minuut opnieuw naar de leeromgeving." if count
          else "Er wacht niets. Alles is al verstuurd.")
    return redirect(url_for(".edit"))
