"""The facilitator's side of a team session: start, console, projector, controls and the report."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth import role_required
from ..tenancy import own_or_404
from ..extensions import library
from ..models import Participant, SessionPlan, Workshop, db
from . import changes, reports
from .forms import AgreementForm, EmptyForm, ParkingForm
from .moment import moment_for
from .screens import render_view

bp = Blueprint("workshops", __name__, url_prefix="/sessies")


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
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not plan.items:
        flash("Voeg eerst een onderdeel toe aan het plan.", "fout")
        return redirect(url_for("plans.edit", plan_id=plan.id))
    workshop = changes.start(plan, current_user.id)
    return redirect(url_for(".console", workshop_id=workshop.id))


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
    moment = moment_for(workshop, library())
    return render_template("workshops/console.html", workshop=workshop, m=moment,
                           fragment=render_view(moment, "console"), parking=ParkingForm(), agreement=agreement)


@bp.route("/<int:workshop_id>/scherm")
@role_required("procesbegeleider")
def projector(workshop_id: int):
    """The projector view: large type for the back of the room."""
    workshop = own_workshop(workshop_id)
    moment = moment_for(workshop, library())
    return render_template("workshops/projector.html", workshop=workshop, m=moment,
                           fragment=render_view(moment, "scherm"))


@bp.route("/<int:workshop_id>/qr.svg")
@role_required("procesbegeleider")
def qr(workshop_id: int):
    """The join link as a QR code, drawn here (no outside service)."""
    workshop = own_workshop(workshop_id)
    buffer = io.BytesIO()
    link = url_for("live.participant", code=workshop.code, _external=True)
    segno.make(link, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False, svgns=True,
                                     title=f"QR-code om mee te doen met code {workshop.code}")
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


ACTIONS = {
    "volgende": lambda w, c: changes.go(w, c, forward=True, confirmed=request.form.get("bevestig") == "ja"),
    "vorige": lambda w, c: changes.go(w, c, forward=False),
    "stemming-open": lambda w, c: changes.set_vote_state(w, c, "open"),
    "stemming-dicht": lambda w, c: changes.set_vote_state(w, c, "gesloten"),
    "stemming-onthul": lambda w, c: changes.set_vote_state(w, c, "onthuld"),
    "tweede-ronde": changes.second_round,
    "timer-start": lambda w, c: changes.timer(w, "start"),
    "timer-pauze": lambda w, c: changes.timer(w, "pauze"),
    "timer-reset": lambda w, c: changes.timer(w, "reset"),
    "spreker": lambda w, c: changes.pick_speaker(w),
    "puzzelstukjes": lambda w, c: changes.toggle(w, "pieces_shown"),
    "slot": lambda w, c: changes.toggle(w, "locked"),
    "volgende-vraag": lambda w, c: changes.next_prompt(w),
    "auto-tijd": lambda w, c: changes.toggle(w, "auto_timer"),
    "vragenronde": lambda w, c: changes.toggle(w, "asking"),
    "grote-zaal": lambda w, c: changes.toggle(w, "hall"),
}


@bp.route("/<int:workshop_id>/actie/<name>", methods=["POST"])
@role_required("procesbegeleider")
def act(workshop_id: int, name: str):
    """Carry out one control of the console; JSON for the console's script, a redirect for a plain form."""
    workshop = own_workshop(workshop_id)
    if not EmptyForm().validate_on_submit() or workshop.ended_at:
        abort(400)
    if name not in ACTIONS and name not in ("volg", "einde"):
        abort(404)
    leaving = name == "volgende" and changes.leaves_card_unfinished(workshop, library())
    if name == "volg":
        option = request.form.get("optie", "")
        done = changes.follow(workshop, library(), int(option) if option.isdigit() and option != "0" else None)
    elif name == "einde":
        done = changes.end(workshop)
    else:
        done = ACTIONS[name](workshop, library())
    message, confirm = refusal(name, leaving) if done is False else (None, False)
    report = url_for(".report", workshop_id=workshop.id) if name == "einde" and done is not False else None
    if wants_json():
        return jsonify(ok=done is not False, melding=message, bevestig=confirm, versie=workshop.version, naar=report)
    if report:
        return redirect(report)
    if message:
        flash(message, "bevestig-verder" if confirm else "fout")
    return redirect(url_for(".console", workshop_id=workshop.id))


def refusal(name: str, leaving: bool) -> tuple[str, bool]:
    """Why an action did nothing, in Dutch, and whether the facilitator may confirm to do it anyway."""
    if leaving:
        return ("De groep is nog niet aan het einde van deze kaart. Wil je toch naar het volgende onderdeel?",
                True)
    if name == "volg":
        return "Er is geen duidelijke meerderheid. Kies zelf welke optie de groep volgt.", False
    return "Dat kan nu niet.", False


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/<int:workshop_id>/antwoord/<int:answer_id>/<action>", methods=["POST"])
@role_required("procesbegeleider")
def show_answer(workshop_id: int, answer_id: int, action: str):
    """Show an answer of the question round on the projector, or hide it."""
    workshop = own_workshop(workshop_id)
    if action not in ("toon", "verberg") or not EmptyForm().validate_on_submit():
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
    if EmptyForm().validate_on_submit():
        changes.set_access(workshop, participant, removed=action == "verwijder")
    return redirect(url_for(".console", workshop_id=workshop.id) + "#deelnemers")


@bp.route("/<int:workshop_id>/afspraak", methods=["POST"])
@role_required("procesbegeleider")
def agree(workshop_id: int):
    """Record an agreement (through the privacy guard)."""
    workshop = own_workshop(workshop_id)
    form = AgreementForm()
    if form.validate_on_submit():
        changes.agree(workshop, form.what.data, form.who.data, form.by_when.data, form.meldroute.data)
        flash("De afspraak is vastgelegd.")
        return redirect(url_for(".console", workshop_id=workshop.id) + "#afspraken")
    return render_console(workshop, form), 422


@bp.route("/<int:workshop_id>/verslag")
@role_required("procesbegeleider")
def report(workshop_id: int):
    """The report of the session: plan as run, votes per round, path, parking lot, agreements."""
    workshop = own_workshop(workshop_id)
    return render_template("workshops/report.html", workshop=workshop, report=reports.build(workshop, library()))


@bp.route("/<int:workshop_id>/verslag.md")
@role_required("procesbegeleider")
def report_markdown(workshop_id: int):
    """The report as a Markdown file."""
    workshop = own_workshop(workshop_id)
    return download(reports.markdown(reports.build(workshop, library())), "text/markdown",
                    f"verslag-{workshop.code}.md")


@bp.route("/<int:workshop_id>/verslag.csv")
@role_required("procesbegeleider")
def report_csv(workshop_id: int):
    """The vote distributions as CSV."""
    workshop = own_workshop(workshop_id)
    return download(reports.csv_text(reports.build(workshop, library())), "text/csv", f"stemmen-{workshop.code}.csv")


def download(body: str, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"})
