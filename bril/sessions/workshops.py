"""The facilitator's side of a team session: start, console, projector, controls and the report."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..addresses import external_url
from ..auth import role_required
from ..tenancy import own_or_404
from ..libraries import session_library
from ..content.dilemmas import LETTERS
from ..models import Participant, SessionPlan, Workshop, db
from . import actions, changes, plans, rehearsal, reports
from ..forms import ButtonForm, wants_json
from .forms import AgreementForm, RehearsalForm
from .moment import moment_for
from .screens import render_view
from .vocabulary import Phase, VoteState, who_label

bp = Blueprint("workshops", __name__, url_prefix="/sessies")


@bp.record_once
def vocabulary(state) -> None:
    """The words of a session for every template and macro: `m.phase == Phase.RESULT`, an option's letter."""
    state.app.jinja_env.globals.update(Phase=Phase, VoteState=VoteState, LETTERS=LETTERS, who_label=who_label)


def own_workshop(workshop_id: int) -> Workshop:
    """A session the current user may run: their own, or any for a beheerder."""
    return own_or_404(Workshop, workshop_id)


@bp.route("/")
@role_required("procesbegeleider")
def index():
    """The facilitator's sessions, running and ended."""
    sessions = db.session.scalars(select(Workshop).filter_by(owner_id=current_user.id)
                                  .order_by(Workshop.created_at.desc())).all()
    return render_template("workshops/index.html", sessions=sessions)


@bp.route("/plannen/<int:plan_id>/start", methods=["POST"])
@role_required("procesbegeleider")
def start(plan_id: int):
    """Open a session from a plan and go to its console."""
    plan = own_or_404(SessionPlan, plan_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not plan.items:
        flash("Voeg eerst een onderdeel toe aan het plan.", "fout")
        return redirect(url_for("plans.edit", plan_id=plan.id))
    workshop = changes.start(plan, current_user.id)
    return redirect(url_for(".console", workshop_id=workshop.id))


@bp.route("/plannen/<int:plan_id>/oefenen", methods=["POST"])
@role_required("procesbegeleider")
def rehearse(plan_id: int):
    """Open a rehearsal of a plan with simulated participants and go to its console."""
    plan = own_or_404(SessionPlan, plan_id)
    form = RehearsalForm()
    if not plan.items:
        flash("Voeg eerst een onderdeel toe aan het plan.", "fout")
        return redirect(url_for("plans.edit", plan_id=plan.id))
    if not form.validate_on_submit():
        return plans.render_edit(plan, rehearsal_form=form)
    workshop = changes.start(plan, current_user.id, simulated=form.people.data, roles=form.roles.data)
    return redirect(url_for(".console", workshop_id=workshop.id))


@bp.route("/<int:workshop_id>/oefen-tik", methods=["POST"])
@role_required("procesbegeleider")
def rehearsal_tick(workshop_id: int):
    """Let the simulated participants of a rehearsal act once (the console and projector call this every second)."""
    workshop = own_workshop(workshop_id)
    if not workshop.rehearsal:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if workshop.ended_at is not None:
        return jsonify(ok=True, klaar=True)
    return jsonify(ok=True, klaar=False, **rehearsal.tick(workshop).as_json())


@bp.route("/<int:workshop_id>")
@role_required("procesbegeleider")
def console(workshop_id: int):
    """The facilitator's console."""
    workshop = own_workshop(workshop_id)
    if workshop.ended_at:
        return redirect(url_for(".report", workshop_id=workshop.id))
    return render_console(workshop, AgreementForm())


def render_console(workshop: Workshop, agreement: AgreementForm) -> str:
    """The console page; the agreement form keeps what was typed when it was refused."""
    moment = moment_for(workshop, session_library(workshop.id))
    return render_template("workshops/console.html", workshop=workshop, m=moment,
                           fragment=render_view(moment, "console", agreement=agreement))


@bp.route("/<int:workshop_id>/scherm")
@role_required("procesbegeleider")
def projector(workshop_id: int):
    """The projector view: large type for the back of the room."""
    workshop = own_workshop(workshop_id)
    moment = moment_for(workshop, session_library(workshop.id))
    return render_template("workshops/projector.html", workshop=workshop, m=moment,
                           fragment=render_view(moment, "scherm"))


@bp.route("/<int:workshop_id>/qr.svg")
@role_required("procesbegeleider")
def qr(workshop_id: int):
    """The join link as a QR code, drawn here (no outside service)."""
    workshop = own_workshop(workshop_id)
    buffer = io.BytesIO()
    link = external_url("live.participant", code=workshop.code)
    segno.make(link, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
                                     title=f"QR-code om mee te doen met code {workshop.code}")
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.route("/<int:workshop_id>/actie/<name>", methods=["POST"])
@role_required("procesbegeleider")
def act(workshop_id: int, name: str):
    """Carry out one control of the console (actions.py says when it may); JSON for the console's script,
    a redirect for a plain form."""
    workshop = own_workshop(workshop_id)
    if name not in actions.ACTIONS:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    refusal = actions.perform(workshop, name, request.form)
    report = url_for(".report", workshop_id=workshop.id) if name == "einde" and refusal is None else None
    if wants_json():
        return jsonify(ok=refusal is None, melding=refusal.message if refusal else None,
                       bevestig=bool(refusal and refusal.confirm), versie=workshop.version, naar=report)
    if report:
        return redirect(report)
    if refusal:
        flash(refusal.message, "bevestig-verder" if refusal.confirm else "fout")
    return redirect(url_for(".console", workshop_id=workshop.id))


@bp.route("/<int:workshop_id>/antwoord/<int:answer_id>/<action>", methods=["POST"])
@role_required("procesbegeleider")
def show_answer(workshop_id: int, answer_id: int, action: str):
    """Show an answer of the question round on the projector, or hide it."""
    workshop = own_workshop(workshop_id)
    if action not in ("toon", "verberg") or not ButtonForm().validate_on_submit():
        abort(400)
    done = changes.show_answer(workshop, answer_id, action == "toon")
    if wants_json():
        return jsonify(ok=done is not False)
    return redirect(url_for(".console", workshop_id=workshop.id))


@bp.route("/<int:workshop_id>/deelnemer/<int:participant_id>/<action>", methods=["POST"])
@role_required("procesbegeleider")
def participant_access(workshop_id: int, participant_id: int, action: str):
    """Remove a participant, or let them back in."""
    workshop = own_workshop(workshop_id)
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id or action not in ("verwijder", "terug"):
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    changes.set_access(workshop, participant, removed=action == "verwijder")
    if wants_json():
        return jsonify(ok=True)
    return redirect(url_for(".console", workshop_id=workshop.id) + "#deelnemers")


@bp.route("/<int:workshop_id>/parkeer/<int:post_id>/<action>", methods=["POST"])
@role_required("procesbegeleider")
def parked_answered(workshop_id: int, post_id: int, action: str):
    """Mark a parked question as answered, or as open again."""
    workshop = own_workshop(workshop_id)
    if action not in ("beantwoord", "open") or not ButtonForm().validate_on_submit():
        abort(400)
    if changes.mark_answered(workshop, post_id, action == "beantwoord") is False:
        abort(404)
    if wants_json():
        return jsonify(ok=True)
    return redirect(url_for(".console", workshop_id=workshop.id) + "#parkeerplaats")


@bp.route("/<int:workshop_id>/afspraak", methods=["POST"])
@role_required("procesbegeleider")
def agree(workshop_id: int):
    """Record an agreement (through the privacy guard)."""
    workshop = own_workshop(workshop_id)
    form = AgreementForm()
    if form.validate_on_submit():
        changes.agree(workshop, form.what.data, form.who.data, form.by_when.data, form.meldroute.data)
        if wants_json():
            return jsonify(ok=True, melding="De afspraak is vastgelegd.")
        flash("De afspraak is vastgelegd.")
        return redirect(url_for(".console", workshop_id=workshop.id) + "#afspraken")
    if wants_json():  # the console's script shows each reason at its field and keeps what was typed
        return jsonify(ok=False, melding="De afspraak is nog niet vastgelegd. Kijk bij de velden met een melding.",
                       fouten={name: errors for name, errors in form.errors.items() if name != "csrf_token"}), 422
    return render_console(workshop, form), 422


@bp.route("/<int:workshop_id>/verslag")
@role_required("procesbegeleider")
def report(workshop_id: int):
    """The report of the session: plan as run, votes per round, path, parking lot, agreements."""
    workshop = own_workshop(workshop_id)
    return render_template("workshops/report.html", workshop=workshop, report=reports.build(workshop, session_library(workshop.id)))


@bp.route("/<int:workshop_id>/verslag.md")
@role_required("procesbegeleider")
def report_markdown(workshop_id: int):
    """The report as a Markdown file."""
    workshop = own_workshop(workshop_id)
    return download(reports.markdown(reports.build(workshop, session_library(workshop.id))), "text/markdown",
                    f"verslag-{workshop.code}.md")


@bp.route("/<int:workshop_id>/verslag.csv")
@role_required("procesbegeleider")
def report_csv(workshop_id: int):
    """The vote distributions as CSV."""
    workshop = own_workshop(workshop_id)
    return download(reports.csv_text(reports.build(workshop, session_library(workshop.id))), "text/csv", f"stemmen-{workshop.code}.csv")


def download(body: str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})
