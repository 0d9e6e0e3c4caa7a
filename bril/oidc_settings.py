"""The beheerder's page for signing in through their organisation's identity provider (OpenID Connect)."""
from __future__ import annotations

import requests
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms import BooleanField, PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import PasswordInput

from .auth import role_required
from .forms import Form
from .models import ORGANISATION_ROLES, IdentityProvider, Organisation, db
from .outbound import AddressRefused, CheckedSession
from .providers import NO_DESCRIPTION, description_problem, issuer_problem, loopback_allowed
from .tenancy import organisation_id

bp = Blueprint("oidc_settings", __name__)

# The separator between a group and its role on one line of the role list.
ROLE_SEPARATOR = "="


class ProviderForm(Form):
    """An organisation's provider as its beheerder fills it in, from what the provider's admin hands over."""

    active = BooleanField("Inloggen via de identiteitsprovider aanzetten")
    issuer = StringField("Adres van de identiteitsprovider (issuer)", validators=[
        DataRequired("Vul het adres van de identiteitsprovider in."), Length(max=300)])
    client_id = StringField("Client-ID", validators=[DataRequired("Vul de client-ID in."), Length(max=200)])
    # What was typed comes back after an error (nothing is lost); the stored secret never does (see edit).
    client_secret = PasswordField("Client-geheim", validators=[Length(max=500)], widget=PasswordInput(hide_value=False))
    role_claim = StringField("Claim met de groepen", default="groups", validators=[
        DataRequired("Vul de naam van de claim in, zoals groups."), Length(max=100)])
    role_map = TextAreaField("Welke groep geeft welke rol? (één per regel: groep = rol)")
    default_role = SelectField("Rol voor wie in geen van die groepen zit", choices=[
        SelectChoice("", "Geen toegang"), SelectChoice("deelnemer", "Deelnemer"),
        SelectChoice("procesbegeleider", "Procesbegeleider")])
    passwords_allowed = BooleanField("Inloggen met e-mailadres en wachtwoord blijft ook mogelijk", default=True)

    def __init__(self, *args, stored: IdentityProvider | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stored = stored

    def validate_issuer(self, field) -> None:
        field.data = field.data.strip()
        problem = issuer_problem(field.data) or discovery_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_client_secret(self, field) -> None:
        if not field.data and not (self.stored and self.stored.client_secret):
            raise ValidationError("Vul het client-geheim in. Je krijgt het van de beheerder van de "
                                  "identiteitsprovider.")

    def validate_role_map(self, field) -> None:
        problems = [problem for problem in (role_line_problem(n, line)
                                            for n, line in enumerate((field.data or "").splitlines(), 1)) if problem]
        if problems:
            raise ValidationError(" ".join(problems))

    def validate_passwords_allowed(self, field) -> None:
        # Without this, one mistake in the settings would lock every beheerder out of the organisation.
        if not field.data and not current_user.oidc_subject:
            raise ValidationError("Zet inloggen met een wachtwoord pas uit als je zelf één keer via je "
                                  "organisatie bent ingelogd. Zo sluit je jezelf niet buiten.")

    def pairs(self) -> list[list[str]]:
        """The role list as [group, role] pairs, in the order written."""
        lines = (line.rpartition(ROLE_SEPARATOR) for line in (self.role_map.data or "").splitlines() if line.strip())
        return [[group.strip(), role.strip().lower()] for group, _, role in lines]


def role_line_problem(number: int, line: str) -> str | None:
    """What is wrong with one line of the role list, in Dutch, naming the line."""
    if not line.strip():
        return None
    group, separator, role = line.rpartition(ROLE_SEPARATOR)
    if not separator or not group.strip():
        return f"Regel {number} mist een groep of een '='. Schrijf: groep = rol, zoals: team-zorg = deelnemer."
    if role.strip().lower() not in ORGANISATION_ROLES:
        return (f"Regel {number}: '{role.strip()}' is geen rol. Kies deelnemer, procesbegeleider of "
                "beheerder.")
    return None


def discovery_problem(issuer: str) -> str | None:
    """Ask the provider for its OpenID Connect description; say in Dutch what does not fit (never what the
    answer said: the address may lead somewhere only this server can see)."""
    address = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = CheckedSession(loopback_allowed()).get(address)
        response.raise_for_status()
        metadata = response.json()
    except AddressRefused as refusal:
        return str(refusal)
    except ValueError:  # before RequestException: requests' JSON error is both
        return NO_DESCRIPTION
    except requests.RequestException:
        return f"Het adres {address} geeft geen antwoord. Controleer het adres van de identiteitsprovider."
    return description_problem(metadata, issuer)


@bp.route("/beheer/inloggen", methods=["GET", "POST"])
@role_required("beheerder")
def edit():
    """The beheerder sets up signing in through the organisation's identity provider."""
    organisation = db.session.get(Organisation, organisation_id()) or abort(404)
    stored = db.session.get(IdentityProvider, organisation.id)
    form = ProviderForm(stored=stored, obj=stored)
    if not form.is_submitted():
        form.client_secret.data = ""  # the stored secret is never sent to the browser
        if stored:
            form.role_map.data = "\n".join(f"{group} {ROLE_SEPARATOR} {role}" for group, role in stored.role_map)
            form.default_role.data = stored.default_role or ""
    if form.validate_on_submit():
        provider = stored or IdentityProvider(organisation_id=organisation.id)
        provider.active, provider.issuer = form.active.data, form.issuer.data
        provider.client_id, provider.role_claim = form.client_id.data.strip(), form.role_claim.data.strip()
        provider.client_secret = form.client_secret.data or provider.client_secret
        provider.role_map, provider.default_role = form.pairs(), form.default_role.data or None
        provider.passwords_allowed = form.passwords_allowed.data
        db.session.add(provider)
        db.session.commit()
        flash("De instellingen voor inloggen via je organisatie zijn opgeslagen."
              + (" Inloggen via je organisatie staat aan." if provider.active else " Het staat nog uit."))
        return redirect(url_for(".edit"))
    return render_template("admin/sign_in.html", form=form, organisation=organisation, stored=stored,
                           callback=url_for("oidc.callback", _external=True),
                           start=url_for("oidc.start", slug=organisation.slug, _external=True)), \
        422 if form.errors else 200
