"""Joining a session and staying in step: the participant's screen, the live stream, polling and votes.

The protocol is written down in docs/live-protocol.md; live.js follows it exactly.
"""
from __future__ import annotations

import json
import threading
import time

from flask import (Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request,
                   stream_with_context, url_for)
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from . import broker, security
from . import session_state as state
from .content import ROLES
from .extensions import library
from .models import ParkingPost, Participant, Vote, Workshop, db
from .privacy import NoPersonalData

bp = Blueprint("live", __name__)

KEEPALIVE_SECONDS = 5
VIEWS = ("deelnemer", "scherm", "console")
# The kinds of change each view shows (see session_state.changed).
VIEW_KINDS = {"deelnemer": frozenset({"state"}), "scherm": frozenset({"state", "votes"}),
              "console": frozenset({"state", "votes", "console"})}
_cache_lock = threading.Lock()


class CodeForm(FlaskForm):
    code = StringField("Code van de sessie", validators=[DataRequired("Vul de code in die op het scherm staat.")])


class JoinForm(FlaskForm):
    nickname = StringField("Bijnaam", validators=[
        DataRequired("Kies een bijnaam. Dat mag een verzonnen naam zijn."),
        Length(max=40, message="Een bijnaam is hoogstens 40 tekens."), NoPersonalData()])
    role = SelectField("Jouw rol (niet verplicht)", default="",
                       choices=[SelectChoice("", "Ik kies geen rol")] + [SelectChoice(k, v) for k, v in ROLES.items()])


class ParkingForm(FlaskForm):
    text = TextAreaField("Zet iets op de parkeerplaats", validators=[
        DataRequired("Schrijf eerst iets op."), Length(max=500, message="Hoogstens 500 tekens."), NoPersonalData()])


def cookie_name(code: str) -> str:
    return f"bril_deelnemer_{code}"


def find_workshop(code: str) -> Workshop:
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == state.normalise_code(code)))
    if workshop is None:
        abort(404)
    return workshop


def me(workshop: Workshop) -> Participant | None:
    return state.participant_for(workshop, request.cookies.get(cookie_name(workshop.code)))


def may_watch(workshop: Workshop) -> bool:
    """The facilitator who owns the session, or a beheerder."""
    return current_user.is_authenticated and (current_user.id == workshop.owner_id or current_user.role == "beheerder")


def guess_keys() -> list[str]:
    return [f"code:{request.remote_addr or 'onbekend'}"]


def check_guessing() -> None:
    wait = security.seconds_to_wait(guess_keys(), limit=current_app.config["JOIN_MAX_FAILURES"])
    if wait:
        error = TooManyRequests("Je hebt te vaak een code ingevuld die niet bestaat. Wacht even en probeer het "
                                "dan opnieuw.")
        error.retry_after = wait
        raise error


@bp.route("/meedoen", methods=["GET", "POST"])
def enter_code():
    """Ask for the join code."""
    form = CodeForm()
    if form.validate_on_submit():
        check_guessing()
        code = state.normalise_code(form.code.data)
        if db.session.scalar(select(Workshop.id).where(Workshop.code == code, Workshop.ended_at.is_(None))):
            return redirect(url_for(".participant", code=code))
        security.record_login(guess_keys(), succeeded=False)
        form.code.errors.append("Deze code kennen we niet, of de sessie is al afgelopen. Kijk nog eens goed op "
                                "het scherm.")
    return render_template("live/enter_code.html", form=form)


@bp.route("/meedoen/<code>", methods=["GET", "POST"])
def participant(code: str):
    """Join with a nickname and a role, or come back as the same participant."""
    if state.normalise_code(code) != code:
        return redirect(url_for(".participant", code=state.normalise_code(code)))
    check_guessing()
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == code))
    if workshop is None:
        security.record_login(guess_keys(), succeeded=False)
        abort(404)
    found = me(workshop)
    if found is not None:
        return render_participant(workshop, found, ParkingForm())
    form = JoinForm()
    if workshop.ended_at is None and not workshop.locked and form.validate_on_submit():
        joined, token = state.join(workshop, form.nickname.data, form.role.data)
        response = redirect(url_for(".participant", code=code))
        response.set_cookie(cookie_name(code), token, max_age=12 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response
    return render_template("live/join.html", workshop=workshop, form=form)


def render_participant(workshop: Workshop, participant: Participant, parking: ParkingForm) -> str:
    """The participant's page: the live view and the parking-lot form (with what was typed)."""
    return render_template("live/participant.html", workshop=workshop, me=participant, parking=parking,
                           fragment=render_view(workshop, "deelnemer", participant.role),
                           my_vote=my_vote(workshop, participant))


def my_vote(workshop: Workshop, participant: Participant) -> int | None:
    step = state.current_step_id(workshop, library())
    if step is None:
        return None
    return db.session.scalar(select(Vote.option).filter_by(workshop_id=workshop.id, item=workshop.item, step=step,
                                                           round=workshop.round, participant_id=participant.id))


@bp.route("/live/<code>/stem", methods=["POST"])
def vote(code: str):
    """Store or change a vote; the answer is the acknowledgement."""
    workshop = find_workshop(code)
    found = me(workshop)
    if found is None or found.removed:
        abort(403)
    choice = request.form.get("optie", "")
    stored = state.cast_vote(workshop, library(), found, int(choice)) if choice.isdigit() else None
    if wants_json():
        if stored is None:
            return jsonify(ok=False, melding="Stemmen kan nu niet: de stemming is niet open."), 409
        return jsonify(ok=True, optie=stored.option, ronde=stored.round, stap=stored.step, versie=workshop.version)
    if stored is None:
        flash("Stemmen kan nu niet: de stemming is niet open.", "fout")
    else:
        flash("Je stem is ontvangen. Je kunt hem veranderen tot de stemming sluit.")
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
    if form.validate_on_submit():
        db.session.add(ParkingPost(workshop_id=workshop.id, text=form.text.data.strip(),
                                   by_facilitator=found is None, participant_id=found.id if found else None))
        state.changed(workshop, "console")
        if wants_json():
            return jsonify(ok=True)
        flash("Je bericht staat op de parkeerplaats.")
    elif wants_json():
        return jsonify(ok=False, melding=" ".join(form.text.errors)), 422
    else:
        flash(" ".join(form.text.errors), "fout")
        if found is not None:
            return render_participant(workshop, found, form), 422
    return redirect(url_for("workshops.console", workshop_id=workshop.id) if found is None
                    else url_for(".participant", code=code))


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def viewer(workshop: Workshop) -> tuple[str, str | None, Participant | None]:
    """Which view the caller may see: participants their own, the owner the projector and console."""
    view = request.args.get("weergave", "deelnemer")
    if view not in VIEWS:
        abort(400)
    if view == "deelnemer":
        found = me(workshop)
        if found is None:
            abort(403)
        return view, found.role, found
    if not may_watch(workshop):
        abort(403)
    return view, None, None


@bp.route("/live/<code>/stand")
def snapshot(code: str):
    """The current state of one view, for polling and after a reconnect."""
    workshop = find_workshop(code)
    view, role, found = viewer(workshop)
    body = {"versie": workshop.version, "html": render_view(workshop, view, role),
            "stemmen": state.vote_count(workshop, library()), "afgelopen": workshop.ended_at is not None}
    if found is not None:
        body["mijn_stem"] = None if found.removed else my_vote(workshop, found)
        body["verwijderd"] = found.removed
    return jsonify(body)


@bp.route("/live/<code>/stroom")
def stream(code: str):
    """Server-Sent Events: the state at once, then every change, and a ping every few seconds."""
    workshop = find_workshop(code)
    view, role, found = viewer(workshop)
    workshop_id, participant_id = workshop.id, found.id if found else None
    db.session.remove()  # hold no database connection while the stream is open

    def events():
        subscription = broker.subscribe(workshop_id, VIEW_KINDS[view])
        try:
            yield sse("stand", current_state(workshop_id, view, role, participant_id))
            while True:
                message = subscription.get(KEEPALIVE_SECONDS)
                if message is None:
                    yield sse("ping", {"t": time.time()})
                    continue
                messages = [message, *subscription.drain(0.05)]
                kinds = {kind for kind, _ in messages}
                if kinds & {"state", "console"}:
                    announced = max(version for _, version in messages)
                    yield sse("stand", current_state(workshop_id, view, role, participant_id, announced))
                else:
                    yield sse("stemmen", current_count(workshop_id))
        finally:
            subscription.close()
            db.session.remove()

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(events()), mimetype="text/event-stream", headers=headers)


def current_state(workshop_id: int, view: str, role: str | None, participant_id: int | None,
                  announced: int | None = None) -> dict:
    """The `stand` event of one view; shared by every stream in this process that shows the same thing.

    When 1000 phones hear the same change, the first builds the answer and the rest reuse it, so a
    change costs a few queries per process rather than a few per phone.
    """
    try:
        shared = shared_state(workshop_id, view, role, announced)
        body = {key: value for key, value in shared.items() if not key.startswith("_")}
        if participant_id is not None:
            body["verwijderd"] = participant_id in shared["_removed"]
        return body
    finally:
        db.session.remove()


def shared_state(workshop_id: int, view: str, role: str | None, announced: int | None) -> dict:
    cache = current_app.extensions.setdefault("bril.live_states", {})
    locks = current_app.extensions.setdefault("bril.live_state_locks", {})
    key = (workshop_id, announced, view, role)
    if announced is not None and key in cache:
        return cache[key]
    with _cache_lock:
        lock = locks.setdefault(key, threading.Lock())
    with lock:
        if announced is not None and key in cache:
            return cache[key]
        workshop = db.session.get(Workshop, workshop_id)
        body = {"versie": workshop.version, "html": render_view(workshop, view, role),
                "afgelopen": workshop.ended_at is not None}
        if view == "deelnemer":
            body["_removed"] = set(db.session.scalars(select(Participant.id).filter_by(workshop_id=workshop_id,
                                                                                       removed=True)))
        else:
            body["stemmen"] = state.vote_count(workshop, library())
        if announced is not None and view == "deelnemer":
            with _cache_lock:
                if len(cache) > 2000:
                    cache.clear()
                    locks.clear()
                cache[key] = body
        return body


def current_count(workshop_id: int) -> dict:
    try:
        workshop = db.session.get(Workshop, workshop_id)
        return {"versie": workshop.version, "stemmen": state.vote_count(workshop, library())}
    finally:
        db.session.remove()


def sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def render_view(workshop: Workshop, view: str, role: str | None) -> str:
    """The live part of a view as HTML; rendered once per version, view and role, then reused.

    Because one rendering serves everyone in the room, forms in it carry the placeholder `__CSRF__`,
    which the page (or live.js) replaces by the viewer's own form token.
    """
    cache = current_app.extensions.setdefault("bril.live_views", {})
    key = (workshop.id, workshop.code, workshop.version, view, role)
    with _cache_lock:
        cached = cache.get(key)
    if cached is not None:
        return cached
    html = render_template(f"live/_{view}.html", **view_context(workshop, view, role))
    with _cache_lock:
        if len(cache) > 2000:
            cache.clear()
        cache[key] = html
    return html


def view_context(workshop: Workshop, view: str, role: str | None) -> dict:
    """Everything a live view shows, read from the database."""
    content = library()
    item = state.current_item(workshop)
    card = state.current_card(workshop, content)
    step_id = state.current_step_id(workshop, content)
    step = card.steps[step_id] if card and step_id else None
    ending = None
    if card and step is None:
        ending = card.endings.get(state.replay(card, [(s, n) for s, n in workshop.route]).node)
    results = {}
    if step is not None and workshop.vote == "onthuld":
        for round_ in range(1, workshop.round + 1):
            totals, by_role = state.tally(workshop, workshop.item, step.id, round_)
            results[round_] = {"totals": totals, "by_role": by_role, "count": sum(totals.values())}
    prompts = list(step.prompts) if step else []
    pieces = [(r, piece) for r, piece in step.pieces] if step and workshop.pieces_shown else []
    if view == "deelnemer":
        pieces = [(r, piece) for r, piece in pieces if r == role]
    participants = db.session.scalars(select(Participant).filter_by(workshop_id=workshop.id)
                                      .order_by(Participant.joined_at)).all() if view == "console" else []
    parking = db.session.scalars(select(ParkingPost).filter_by(workshop_id=workshop.id)
                                 .order_by(ParkingPost.created_at)).all() if view != "deelnemer" else []
    return {"workshop": workshop, "item": item, "kind": item["soort"], "card": card, "step": step,
            "ending": ending, "results": results, "prompts": prompts,
            "prompt": prompts[workshop.prompt % len(prompts)] if prompts else None, "pieces": pieces,
            "scene": state.scene_html(content, item, workshop.scene) if item["soort"] == "verhaal" else None,
            "agenda_text": state.agenda_text(item["soort"]), "role": role, "participants": participants,
            "parking": parking, "remaining": state.remaining_seconds(workshop), "content": content,
            "count": state.vote_count(workshop, content), "present": len([p for p in participants if not p.removed])}
