"""Wie is hiervan?: the reader's organisation's reporting routes, and the beheerder's editor for them."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from . import reporting
from .auth import role_required
from .content.fields import SLUG
from .libraries import library_here
from .forms import ButtonForm, Form
from .models import Organisation, ReportingRoutes, db
from .reporting import book_here
from .tenancy import organisation_id

bp = Blueprint("meldroute", __name__)


@bp.route("/wie-is-hiervan")
def index():
    """Show the reader's organisation's reporting routes, with the stories that point to each."""
    book = book_here()
    stories = library_here().stories.values()
    linked = {key: [s for s in stories if key in s.meldroutes] for key in book.routes}
    return render_template("meldroute/index.html", book=book, linked=linked)


def prefix_of(key: str | None) -> str:
    """Each form on the editor has its own field names and ids: `route-<key>-title`, `nieuw-title`."""
    return f"route-{key}" if key else "nieuw"


class IntroductionForm(Form):
    """The text above the routes: what the page is for, and what to do first."""

    text = TextAreaField("Inleiding", validators=[Length(max=3000, message="Houd de inleiding korter dan 3000 tekens.")])


class RouteForm(Form):
    """One reporting route as a beheerder writes it; the same rules as in wie-is-hiervan.yaml."""

    key = StringField("Sleutel (kort, voor de kaarten)", validators=[
        DataRequired("Vul een sleutel in, zoals mensenhandel."), Length(max=60)])
    title = StringField("Titel", validators=[DataRequired("Vul een titel in."), Length(max=200)])
    when = TextAreaField("Wanneer?", validators=[DataRequired("Schrijf op wanneer deze route geldt."),
                                                Length(max=3000)])
    contacts = TextAreaField("Bij wie? (één contact per regel: wie, dubbele punt, hoe)", validators=[
        DataRequired("Schrijf minstens één contact op, zoals: Veilig Thuis: bel 0800-2000.")])
    caution = TextAreaField("Let op (niet verplicht)", validators=[Length(max=3000)])

    def validate_key(self, field) -> None:
        if not SLUG.match(field.data):
            raise ValidationError("Een sleutel heeft alleen kleine letters, cijfers en streepjes.")

    def validate_contacts(self, field) -> None:
        for line in filter(str.strip, field.data.splitlines()):
            who, colon, how = line.partition(":")
            if not (colon and who.strip() and how.strip()):
                raise ValidationError(f"Deze regel mist wie of hoe: '{line.strip()}'. Schrijf elk contact als: "
                                      "wie: hoe. Bijvoorbeeld: Veilig Thuis: bel 0800-2000.")

    def fields(self) -> dict:
        """The route in the fields of the file."""
        contacts = [dict(zip(("wie", "hoe"), (part.strip() for part in line.partition(":")[::2])))
                    for line in self.contacts.data.splitlines() if line.strip()]
        route = {"sleutel": self.key.data.strip(), "titel": self.title.data.strip(), "wanneer": self.when.data.strip(),
                 "contacten": contacts}
        caution = (self.caution.data or "").strip()
        return {**route, "let-op": caution} if caution else route

    @classmethod
    def of(cls, route: dict) -> RouteForm:
        return cls(formdata=None, prefix=prefix_of(route.get("sleutel")), key=route.get("sleutel"), title=route.get("titel"), when=route.get("wanneer"),
                   caution=route.get("let-op") or "",
                   contacts="\n".join(f"{c.get('wie')}: {c.get('hoe')}" for c in route.get("contacten") or []))


@bp.route("/beheer/meldroutes", methods=["GET", "POST"])
@role_required("beheerder")
def edit():
    """The beheerder's own routes: change, add, order and remove, checked as the file is."""
    organisation = db.session.get(Organisation, organisation_id()) or abort(404)
    fields = reporting.fields_of(organisation.id)
    routes = list(fields["routes"])
    keys = [route.get("sleutel") for route in routes]
    action, key = request.form.get("actie", ""), request.form.get("route", "")
    posted, problems, changed = None, [], False
    introduction = IntroductionForm(formdata=None, prefix="inleiding", text=fields["inleiding"])
    if request.method == "POST" and ButtonForm().validate_on_submit():
        changed = action in ("op", "neer", "weg") and key in keys
        if changed:
            index = keys.index(key)
            if action == "weg":
                routes.pop(index)
            else:
                other = index - 1 if action == "op" else index + 1
                if 0 <= other < len(routes):
                    routes[index], routes[other] = routes[other], routes[index]
        elif action == "inleiding":
            introduction = IntroductionForm(prefix="inleiding")
            changed = introduction.validate()
            if changed:
                fields = {**fields, "inleiding": (introduction.text.data or "").strip()}
        elif action in ("opslaan", "nieuw"):
            posted = RouteForm(prefix=prefix_of(key if action == "opslaan" else None))
            if posted.validate() and action == "nieuw" and posted.key.data in keys:
                posted.key.errors.append("Deze sleutel is al in gebruik. Kies een andere.")
            elif not posted.errors:
                if action == "nieuw":
                    routes.append(posted.fields())
                    changed = True
                elif key in keys:
                    routes[keys.index(key)] = {**posted.fields(), "sleutel": key}
                    changed = True
        if changed:
            problems = reporting.save(organisation, {**fields, "routes": routes})
            if not problems:
                flash({"weg": "De meldroute is verwijderd.", "inleiding": "De inleiding is opgeslagen."}.get(
                    action, "De meldroutes zijn opgeslagen."))
                anchor = "#inleiding" if action == "inleiding" else f"#route-{key}" if key and action != "weg" else ""
                return redirect(url_for(".edit") + anchor)
    forms = {route.get("sleutel"): RouteForm.of(route) for route in fields["routes"]}
    if posted is not None and action == "opslaan" and key in forms:
        forms[key] = posted
    used = {k: [d.title for d in library_here().dilemmas.values() if k in d.meldroutes] for k in forms}
    return render_template("meldroute/edit.html", organisation=organisation, forms=forms, used=used,
                           new=posted if action == "nieuw" else RouteForm(formdata=None, prefix=prefix_of(None)),
                           problems=problems, introduction=introduction,
                           own=db.session.get(ReportingRoutes, organisation.id) is not None,
                           action=ButtonForm()), \
        422 if (posted and posted.errors) or introduction.errors or problems else 200
