"""The shared library's pages: an organisation offers and withdraws its published versions (/eigen/delen/),
the platformbeheerder and the review board read the offers and decide (/platform/gedeeld/); only the
platformbeheerder takes an accepted one out again. Thin views over `rules` and `reads`."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms import TextAreaField
from wtforms.validators import Length

from ..authoring import Refused
from ..content.single import DILEMMA
from ..dilemma_map import draw_map
from ..drafts import may_write
from ..extensions import library
from ..forms import ButtonForm, Form
from ..models import ContentKind
from ..tenancy import organisation_id
from . import reads, rules

bp = Blueprint("sharing", __name__)


def sentence(refused: Refused) -> str:
    """A rule's reason as a sentence on the page."""
    text = str(refused)
    return text[:1].upper() + text[1:]


def reviewer_required(view):
    """Allow a view only to whoever reviews the shared library: the platformbeheerder and the review board."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.reviews_shared:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def writer_required(view):
    """Allow a view only to an author or beheerder of an organisation (they offer its work)."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not may_write():
            abort(403)
        return view(*args, **kwargs)
    return wrapped


class DecisionForm(Form):
    """The platform's decision on an offer: accept, or return with what must change."""

    opmerking = TextAreaField("Opmerking voor de organisatie (verplicht bij terugsturen)",
                              validators=[Length(max=4000, message="Schrijf hooguit 4000 tekens.")])


class WithdrawForm(Form):
    """The platform's reason to take an accepted card or story out of the shared library."""

    reden = TextAreaField("Waarom haal je dit uit de gedeelde bibliotheek?",
                          validators=[Length(max=4000, message="Schrijf hooguit 4000 tekens.")])


def offers_page(refusal: tuple[int, list[str]] | None = None, status: int = 200):
    """The organisation's published versions with their sharing state (and a refusal beside its version)."""
    return render_template("sharing/offers.html", rows=reads.versions_of(organisation_id()), refusal=refusal,
                           action=ButtonForm(), kinds=ContentKind), status


@bp.route("/eigen/delen/")
@writer_required
def offers():
    """List the organisation's published versions and what became of each offer to the shared library."""
    return offers_page()


@bp.route("/eigen/delen/<int:version_id>/aanbieden", methods=["POST"])
@writer_required
def offer(version_id: int):
    """Offer one published version to every organisation; refused with every reason, at the version."""
    version = reads.version_here_or_404(organisation_id(), version_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        rules.offer(version, current_user)
    except Refused as refused:
        return offers_page((version.id, getattr(refused, "reasons", None) or [sentence(refused)]), 422)
    flash(f"Versie {version.number} van {version.slug} is aangeboden. "
          "De platformbeheerder of een beoordelaar beoordeelt hem.")
    return redirect(url_for(".offers"))


@bp.route("/eigen/delen/<int:version_id>/intrekken", methods=["POST"])
@writer_required
def withdraw(version_id: int):
    """Take an offer back; plans already made with it keep their version."""
    version = reads.version_here_or_404(organisation_id(), version_id)
    row = next((r for r in reads.versions_of(organisation_id()) if r.version.id == version.id), None)
    if row is None or row.offer is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        rules.withdraw(row.offer, current_user)
    except Refused as refused:
        return offers_page((version.id, [sentence(refused)]), 422)
    flash(f"Versie {version.number} van {version.slug} is ingetrokken uit de gedeelde bibliotheek.")
    return redirect(url_for(".offers"))


@bp.route("/platform/gedeeld/")
@reviewer_required
def review_list():
    """The offers to the shared library: those waiting first."""
    return render_template("sharing/review_list.html", rows=reads.offers(), kinds=ContentKind,
                           decision_problem=rules.decision_problem)


def review_page(row: reads.Row, form: DecisionForm, withdraw_form: WithdrawForm, status: int = 200):
    """One offer, the card or story as a reader would see it, and the decision forms."""
    item = reads.as_read(row)
    # Addresses stay within their organisation (models/accounts.py): the platformbeheerder reads who offered and
    # who decided; a review board member, of another organisation, reads only which organisation offered it.
    people = reads.names_of({row.offer.offered_by_id, row.offer.decided_by_id}) \
        if current_user.role == "platformbeheerder" else None
    drawing = draw_map(item) if item is not None and row.version.kind == DILEMMA else None
    return render_template("sharing/review.html", row=row, item=item, drawing=drawing, form=form,
                           withdraw_form=withdraw_form, stories=library().stories, kinds=ContentKind,
                           problem=rules.decision_problem(row.offer, current_user),
                           removal_problem=rules.removal_problem(row.offer, current_user),
                           people=people), status


@bp.route("/platform/gedeeld/<int:version_id>", methods=["GET", "POST"])
@reviewer_required
def review(version_id: int):
    """Read an offered card or story; accept it, or return it with a comment."""
    row = reads.offer_or_404(version_id)
    form = DecisionForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return review_page(row, form, WithdrawForm(formdata=None), 422)
        accept = request.form.get("besluit") == "accepteren"
        try:
            rules.decide(row.offer, current_user, accept, form.opmerking.data or "")
        except Refused as refused:
            form.opmerking.errors = [sentence(refused)]
            return review_page(row, form, WithdrawForm(formdata=None), 422)
        flash(f"{row.version.slug} van {row.organisation.name} is "
              + ("opgenomen in de gedeelde bibliotheek." if accept else "teruggestuurd met je opmerking."))
        return redirect(url_for(".review_list"))
    return review_page(row, form, WithdrawForm(formdata=None))


@bp.route("/platform/gedeeld/<int:version_id>/intrekken", methods=["POST"])
@reviewer_required
def platform_withdraw(version_id: int):
    """Take an accepted card or story out of the shared library, with a reason (the platformbeheerder, or a reviewer
    of another organisation)."""
    row = reads.offer_or_404(version_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            rules.remove(row.offer, current_user, form.reden.data or "")
        except Refused as refused:
            form.reden.errors = [sentence(refused)]
        else:
            flash(f"{row.version.slug} van {row.organisation.name} is uit de gedeelde bibliotheek gehaald.")
            return redirect(url_for(".review_list"))
    return review_page(row, DecisionForm(formdata=None), form, 422)
