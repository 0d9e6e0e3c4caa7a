"""Joining a session and staying in step: the participant's screen, the live stream, polling and votes.

The protocol is written down in docs/live-protocol.md; live.js follows it exactly.
"""
from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request,
                   session, url_for)
from sqlalchemy import Connection, select
from werkzeug.exceptions import TooManyRequests

from .. import security
from ..libraries import session_library
from ..tenancy import may_manage
from ..models import Participant, SceneMark, Support, Vote, Workshop, db
from ..forms import ButtonForm, wants_json
from . import changes, hotpath, streams
from .forms import AnswerForm, CodeForm, HallJoinForm, JoinForm, ParkingForm
from .moment import Moment, answers_now, moment_at, moment_for, moments
from .screens import VIEWS, render_view, stand
from .vocabulary import Phase

bp = Blueprint("live", __name__)



def cookie_name(code: str) -> str:
    return f"bril_deelnemer_{code}"


def find_workshop(code: str) -> Workshop:
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == changes.normalise_code(code)))
    if workshop is None:
        abort(404)
    return workshop


def me(workshop: Workshop) -> Participant | None:
    return changes.participant_for(workshop, request.cookies.get(cookie_name(workshop.code)))


def may_watch(workshop: Workshop) -> bool:
    """The facilitator who owns the session, or a beheerder of the same organisation."""
    return may_manage(workshop)


def guess_keys() -> list[str]:
    """What a wrong code is counted against: the network address, and everyone together."""
    return [f"code:{request.remote_addr or 'onbekend'}", "code:*"]


def check_guessing() -> None:
    """Refuse with 429 once this address, or everyone together, typed too many unknown codes."""
    address, everyone = guess_keys()
    wait = max(security.seconds_to_wait([address], limit=current_app.config["JOIN_MAX_FAILURES"]),
               security.seconds_to_wait([everyone], limit=current_app.config["JOIN_MAX_FAILURES_TOTAL"]))
    if wait:
        error = TooManyRequests("Deze code kennen we niet. Er zijn hier te vaak codes ingevuld die niet bestaan. "
                                "Kijk nog eens goed naar de code op het scherm: de goede code werkt wel meteen.")
        error.retry_after = wait
        raise error


def wrong_code() -> None:
    """Count an unknown code against the address and everyone together, or refuse it with 429 after too many.

    Only unknown codes are refused: a valid code and a participant's own page are answered whatever came
    from the same address before, as a training room behind one NAT shares it. A GET counts nothing
    (reading never writes) but is refused as well over the limit; counting it would not slow a guesser
    down, since over the limit a valid code is still told apart from a 429.
    """
    check_guessing()
    if request.method == "POST":
        security.record_login(guess_keys(), succeeded=False)


@bp.route("/meedoen", methods=["GET", "POST"])
def enter_code():
    """Ask for the join code."""
    form = CodeForm()
    if form.validate_on_submit():
        code = changes.normalise_code(form.code.data)
        if db.session.scalar(select(Workshop.id).where(Workshop.code == code, Workshop.ended_at.is_(None))):
            return redirect(url_for(".participant", code=code))
        wrong_code()
        form.code.errors.append("Deze code kennen we niet, of de sessie is al afgelopen. Kijk nog eens goed op "
                                "het scherm.")
    return render_template("live/enter_code.html", form=form)


@bp.route("/meedoen/<code>", methods=["GET", "POST"])
def participant(code: str):
    """Join with a nickname and a role, or come back as the same participant."""
    if changes.normalise_code(code) != code:
        return redirect(url_for(".participant", code=changes.normalise_code(code)))
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == code))
    if workshop is None:
        wrong_code()
        abort(404)
    found = me(workshop)
    if found is not None:
        parking = ParkingForm()
        parking.text.data = session.pop(PARKING_DRAFT, None) or parking.text.data  # kept after a refusal
        return render_participant(workshop, found, parking)
    form = HallJoinForm() if workshop.hall else JoinForm()
    if workshop.ended_at is None and not workshop.locked and form.validate_on_submit():
        joined = changes.join(workshop, "" if workshop.hall else form.nickname.data, form.role.data)
        if joined:
            response = redirect(url_for(".participant", code=code))
            response.set_cookie(cookie_name(code), joined[1], max_age=12 * 3600, httponly=True, samesite="Lax",
                                secure=current_app.config["SESSION_COOKIE_SECURE"])
            return response
    return render_template("live/join.html", workshop=workshop, form=form)


PARKING_DRAFT = "parkeer-tekst"  # what a participant typed, kept across the redirect after a refusal


def render_participant(workshop: Workshop, participant: Participant, parking: ParkingForm) -> str:
    """The participant's page: the live view and the parking-lot form (with what was typed)."""
    moment = moment_for(workshop, session_library(workshop.id))
    return render_template("live/participant.html", workshop=workshop, m=moment, me=participant, parking=parking,
                           fragment=render_view(moment, "deelnemer", participant.role),
                           my_vote=my_vote(moment, workshop, participant),
                           my_marks=my_marks(moment, workshop, participant))


def my_vote(moment: Moment, workshop: Workshop, participant: Participant) -> int | None:
    if moment.step is None:
        return None
    return db.session.scalar(select(Vote.option).filter_by(workshop_id=workshop.id, item=workshop.item,
                                                           step=moment.step.id, round=workshop.round,
                                                           participant_id=participant.id))


@bp.route("/live/<code>/stem", methods=["POST"])
def vote(code: str):
    """Store or change a vote; the answer is the acknowledgement."""
    code = changes.normalise_code(code)
    who, moment, connection = current_voter(code)
    choice = request.form.get("optie", "")
    step = moment.step if moment.version == who.version else None
    with connection:
        stored = choice.isdigit() and hotpath.cast_vote(connection, who, step.id if step else None,
                                                        len(step.options) if step else 0, int(choice))
    refused = ("De tijd is om: je stem kwam te laat en telt niet mee." if who.too_late() else
               "Stemmen kan nu niet: de stemming is niet open.")
    if wants_json():
        if not stored:
            return jsonify(ok=False, melding=refused), 409
        return jsonify(ok=True, optie=int(choice), ronde=moment.round, stap=step.id, versie=moment.version)
    if not stored:
        flash(refused, "fout")
    else:
        flash("Je stem is ontvangen. Je kunt hem veranderen tot de stemming sluit.")
    return redirect(url_for(".participant", code=code))


def current_voter(code: str) -> tuple[hotpath.Voter, Moment, Connection]:
    """The participant sending this request, the room's moment at the version just read (or 403), and
    the connection to write with: the caller closes it (`with connection:`).

    Usually the moment is built already and one connection does the read and the write. When it is not,
    no connection is held while it is built: on a fresh worker (after a restart) a room voting at once
    would otherwise hold every connection of the pool while waiting for the one request that builds the
    moment, and that request would wait for a connection until the pool's timeout.
    """
    connection = hotpath.autocommit()
    try:
        for _ in range(2):  # the session may move on between reading it and its moment: then read it again
            who = hotpath.voter(connection, code, request.cookies.get(cookie_name(code)))
            if who is None or who.removed:
                abort(403)
            moment = moments().peek((who.workshop_id, who.version))
            if moment is None:
                connection.close()
                moment = moment_at(who.workshop_id, who.version, session_library(who.workshop_id))
                db.session.remove()  # the connection the build used
                connection = hotpath.autocommit()
            if moment.version == who.version:
                break
    except BaseException:
        connection.close()
        raise
    return who, moment, connection


@bp.route("/live/<code>/zinnen", methods=["POST"])
def mark(code: str):
    """Store the sentences a participant sees as signals in the scene the room reads ("Wat zie jij?")."""
    code = changes.normalise_code(code)
    who, moment, connection = current_voter(code)
    scene = moment.scene if moment.phase == Phase.STORY and moment.version == who.version else None
    valid = {key for paragraph in scene.paragraphs for key, _ in paragraph} if scene else set()
    chosen = [key for key in request.form.getlist("zin") if key in valid]
    with connection:
        stored = scene is not None and hotpath.mark(connection, who, scene.number, chosen)
    message = (f"Bewaard: je ziet {len(chosen)} {'signaal' if len(chosen) == 1 else 'signalen'}. Je kunt nog "
               "aanpassen tot de procesbegeleider de zinnen laat zien." if stored else
               "Aanvinken kan nu niet meer: de groep bespreekt de zinnen al.")
    if wants_json():
        return jsonify(ok=bool(stored), melding=message, zinnen=chosen), 200 if stored else 409
    flash(message, None if stored else "fout")
    return redirect(url_for(".participant", code=code))


def my_marks(moment: Moment, workshop: Workshop, participant: Participant) -> list[str]:
    """The sentences this participant marked in the scene on screen."""
    if moment.scene is None:
        return []
    return db.session.scalar(select(SceneMark.passages).filter_by(
        workshop_id=workshop.id, item=workshop.item, scene=moment.scene.number, participant_id=participant.id)) or []


@bp.route("/live/<code>/antwoord", methods=["POST"])
def answer(code: str):
    """A short anonymous answer in the question round, through the privacy guard."""
    code = changes.normalise_code(code)
    with hotpath.autocommit() as connection:
        who = participant_posting(connection, code)
        form = AnswerForm()
        if not form.validate_on_submit():
            return reply(False, " ".join(form.text.errors), code, 422)
        if not hotpath.answer(connection, who, form.text.data):
            return reply(False, "De vragenronde is gesloten.", code, 409)
    return reply(True, "Je antwoord is binnen. De procesbegeleider kiest welke antwoorden op het scherm komen.", code)


@bp.route("/live/<code>/ikook/<kind>/<int:target_id>", methods=["POST"])
def me_too(code: str, kind: str, target_id: int):
    """Say "ik ook" to an answer or a parked question, once."""
    code = changes.normalise_code(code)
    with hotpath.autocommit() as connection:
        who = participant_posting(connection, code)
        if not ButtonForm().validate_on_submit():
            abort(403)
        if not hotpath.support(connection, who, kind, target_id):
            counted = db.session.scalar(select(Support.id).filter_by(kind=kind, target_id=target_id,
                                                                     participant_id=who.participant_id))
            if counted is not None:  # a second tap: say so politely, it is no error
                return reply(False, "Je ‘ik ook’ telde al mee. Iedereen telt één keer.", code)
            return reply(False, "Dit kan nu niet meer: de sessie is afgelopen of het bericht is weg.", code, 409)
    return reply(True, "Genoteerd: jij ook. Je telt mee.", code)


def participant_posting(connection, code: str) -> hotpath.Voter:
    """The participant sending this post and where their session stands, in one query (or 403)."""
    who = hotpath.voter(connection, code, request.cookies.get(cookie_name(code)))
    if who is None or who.removed:
        abort(403)
    return who


def reply(ok: bool, message: str, code: str, status: int = 200):
    """The answer to a phone's small post: JSON for live.js, or a message on the page without it."""
    if wants_json():
        return jsonify(ok=ok, melding=message), status
    flash(message, None if ok else "fout")
    return redirect(url_for(".participant", code=code))


@bp.route("/live/<code>/parkeren", methods=["POST"])
def park(code: str):
    """Put a remark on the parking lot, from a participant or the facilitator."""
    workshop = find_workshop(code)
    found = me(workshop)
    owner = may_watch(workshop)
    if (found is None or found.removed) and not owner:
        abort(403)
    form = ParkingForm()
    if workshop.ended_at is not None:
        message = "De sessie is afgelopen. De parkeerplaats is dicht."
        if wants_json():
            return jsonify(ok=False, melding=message), 409
        flash(message, "fout")
    elif form.validate_on_submit():
        changes.park(workshop, form.text.data, found)
        if wants_json():
            return jsonify(ok=True, melding="Je bericht staat op de parkeerplaats.")
        flash("Je bericht staat op de parkeerplaats.")
    elif wants_json():
        return jsonify(ok=False, melding=" ".join(form.text.errors)), 422
    else:
        # Post/Redirect/Get: a reload of the phone must not send the refused text again; what was typed stays.
        flash(" ".join(form.text.errors), "fout")
        session[PARKING_DRAFT] = (form.text.data or "")[:2000]
    return redirect(url_for("workshops.console", workshop_id=workshop.id) if found is None
                    else url_for(".participant", code=code))


def viewer(workshop: Workshop) -> tuple[str, Participant | None]:
    """Which view the caller may see: participants their own, the owner the projector and console."""
    view = request.args.get("weergave", "deelnemer")
    if view not in VIEWS:
        abort(400)
    if view == "deelnemer":
        found = me(workshop)
        if found is None:
            abort(403)
        return view, found
    if not may_watch(workshop):
        abort(403)
    return view, None


@bp.route("/live/<code>/stand")
def snapshot(code: str):
    """The current state of one view, for polling and after a reconnect.

    A poll that names the version it shows (`sinds`) gets only `{"versie": n}` when nothing changed:
    one small answer instead of a page of HTML, so a room that polls costs little.
    """
    workshop = find_workshop(code)
    view, found = viewer(workshop)
    since = request.args.get("sinds", type=int)
    if since == workshop.version and view == "deelnemer":
        return jsonify(versie=workshop.version)
    moment = moment_for(workshop, session_library(workshop.id))
    body = stand(moment, view, found.role if found else None, answers_now(moment) if view != "deelnemer" else 0)
    if found is not None:
        body["mijn_stem"] = None if found.removed else my_vote(moment, workshop, found)
        body["mijn_zinnen"] = [] if found.removed else my_marks(moment, workshop, found)
        body["verwijderd"] = found.removed
        body["gekozen"] = not found.removed and moment.speaker_id == found.id
    return jsonify(body)


@bp.route("/live/<code>/stroom")
def stream(code: str):
    """Server-Sent Events: the state at once, then every change, and a ping every few seconds."""
    workshop = find_workshop(code)
    view, found = viewer(workshop)
    events = streams.follow(current_app._get_current_object(), request.environ, workshop.id, view,
                            found.role if found else None, found.id if found else None)
    db.session.remove()  # hold no database connection while the stream is open
    return Response(events, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
