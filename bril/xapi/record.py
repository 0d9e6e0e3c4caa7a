"""The statements this site makes, and how they join the queue: in the same transaction as the change the
user made, so a statement exists exactly when the change does. Nothing is sent here.

Who the statements are about: a person with an account, named by a pseudonym per person and organisation
(an HMAC with the site's secret key, so the record store can follow one learner but cannot tell who it is,
nor link them to another organisation), or by their e-mail address when the organisation chose so.
Anonymous readers and the participants of a live session have no account, and produce no statement.

"Session attended": a live session's participants are anonymous by promise (they join under a nickname,
their votes cannot be traced to anyone), so no statement ever names one. The one person with an account in
the room is the procesbegeleider who ran it: when they end a session that is not a rehearsal, the store
hears that they attended (led) it. A rehearsal's simulated people never produce a statement either.
"""
from __future__ import annotations

import hashlib
import hmac
import uuid

from flask import current_app, has_request_context, url_for
from markupsafe import Markup

from ..content import Dilemma, Step, Story
from ..models import ACTOR_EMAIL, QueuedStatement, RecordStore, User, Workshop, db, utcnow

VERBS = {
    "completed": "voltooide",
    "answered": "beantwoordde",
    "attended": "was bij",
}
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
LANGUAGE = "nl-NL"


def store_of(user: User | None) -> RecordStore | None:
    """The record store results of this user go to; None when there is none or sending is off."""
    if user is None or user.organisation_id is None:
        return None
    store = db.session.get(RecordStore, user.organisation_id)
    return store if store is not None and store.active else None


def home_page() -> str:
    """The site's own address, the home page of every pseudonymous account."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/") + "/"
    return url_for("main.index", _external=True) if has_request_context() else "https://ondermijningsbril.invalid/"


def site_url(path: str) -> str:
    return home_page().rstrip("/") + path


def pseudonym(user: User) -> str:
    """The same name for one person in one organisation, and nothing that tells who they are."""
    message = f"xapi:{user.organisation_id}:{user.id}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:32]


def actor(user: User, store: RecordStore) -> dict:
    if store.actor == ACTOR_EMAIL:
        return {"objectType": "Agent", "mbox": f"mailto:{user.email}"}
    return {"objectType": "Agent", "account": {"homePage": home_page(), "name": pseudonym(user)}}


def text(value: str | Markup) -> str:
    return Markup(value).striptags() if isinstance(value, Markup) else str(value)


def name(value: str | Markup) -> dict:
    return {LANGUAGE: text(value)[:500]}


def activity(path: str, kind: str, title: str | Markup, **definition) -> dict:
    return {"objectType": "Activity", "id": site_url(path),
            "definition": {"type": ADL_ACTIVITIES + kind, "name": name(title), **definition}}


def record(user: User | None, verb: str, target: dict, summary: str, result: dict | None = None,
           parent: dict | None = None) -> QueuedStatement | None:
    """Add one statement to the queue in the caller's transaction (the caller commits); None when this
    user's organisation does not send."""
    store = store_of(user)
    if store is None:
        return None
    statement_id = str(uuid.uuid4())
    context: dict = {"platform": "Ondermijningsbril", "language": LANGUAGE}
    if parent is not None:
        context["contextActivities"] = {"parent": [parent]}
    now = utcnow()
    statement = {"id": statement_id, "actor": actor(user, store),
                 "verb": {"id": ADL_VERBS + verb, "display": {LANGUAGE: VERBS[verb]}},
                 "object": target, "context": context,
                 "timestamp": now.isoformat(timespec="milliseconds") + "Z"}
    if result is not None:
        statement["result"] = result
    queued = QueuedStatement(id=statement_id, organisation_id=store.organisation_id, user_id=user.id,
                             statement=statement,
                             summary=summary[:300], created_at=now, next_attempt_at=now)
    db.session.add(queued)
    return queued


def story_activity(story: Story) -> dict:
    return activity(f"/verhalen/{story.slug}", "module", story.title)


def card_activity(dilemma: Dilemma) -> dict:
    return activity(f"/dilemmas/{dilemma.slug}", "simulation", dilemma.title)


def story_completed(user: User | None, story: Story) -> None:
    """A reader finished a story (every scene answered, the closing page reached)."""
    record(user, "completed", story_activity(story), f"Verhaal uitgelezen: {story.title}",
           result={"completion": True})


def card_completed(user: User | None, dilemma: Dilemma, ending: str) -> None:
    """A walker reached an ending of a card, alone."""
    record(user, "completed", card_activity(dilemma), f"Dilemmakaart afgerond: {dilemma.title}",
           result={"completion": True, "response": ending})


def step_answered(user: User | None, dilemma: Dilemma, step: Step, option: int) -> None:
    """A walker chose an option at a step: a choice interaction without a correct answer (there is none)."""
    choices = [{"id": choice.letter, "description": name(choice.label)} for choice in step.options]
    chosen = step.options[option - 1].letter
    target = activity(f"/dilemmas/{dilemma.slug}#stap-{step.id}", "cmi.interaction", step.title,
                      description=name(step.question), interactionType="choice", choices=choices)
    record(user, "answered", target, f"Keuze {chosen} bij '{text(step.title)}' ({dilemma.title})",
           result={"response": chosen}, parent=card_activity(dilemma))


def session_attended(workshop: Workshop) -> None:
    """A procesbegeleider ended a session they ran; a rehearsal never counts (see the module's docstring)."""
    if workshop.rehearsal:
        return
    owner = db.session.get(User, workshop.owner_id)
    record(owner, "attended", activity(f"/sessies/{workshop.id}", "meeting", workshop.title),
           f"Teamsessie geleid: {workshop.title}")
