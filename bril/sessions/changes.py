"""Every change to a team session, and the version that names it.

A change first takes the session's row (an `UPDATE ... SET version = version + 1 RETURNING version`:
a row lock on PostgreSQL, the write lock on SQLite), then reads the session afresh, applies its rule,
and commits; the broker announces the new version at that commit. Two changes on two workers can
therefore never write the same version, nor build on a state the other has already replaced. A rule
that refuses rolls back, so the version is not raised for nothing.

The rules of the console's actions (`go`, `set_vote`, `follow`, ...) receive the situation of the
version they change and assume that actions.py has checked it; they only say no (a `Refusal`) for what
depends on the form sent. After a state change the new situation is worked out once, here, and kept.

What a whole room sends within seconds (votes, marks, answers, "ik ook") changes no version and takes
no lock: that is hotpath.py.
"""
from __future__ import annotations

import functools
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, or_, select, update

from ..libraries import session_library
from ..models import (Agreement, Answer, ParkingPost, Participant, PathChoice, SessionPlan, Workshop, db,
                      token_hash, utcnow)
from ..xapi import record
from . import broker, queries
from .agenda import AgendaItem
from .situation import Situation, remember, situate, situations
from .vocabulary import Phase, VoteState

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B
CODE_LENGTH = 6


@dataclass(frozen=True)
class Refusal:
    """Why a change did nothing, in Dutch; `confirm`: the facilitator may confirm to do it anyway."""

    message: str
    confirm: bool = False


def new_code() -> str:
    """A join code no session uses."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(select(Workshop.id).where(Workshop.code == code)):
            return code


def normalise_code(text: str) -> str:
    """Accept codes typed with spaces, dashes or lower case."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def participant_for(workshop: Workshop, token: str | None) -> Participant | None:
    """The participant a token belongs to, in this session only."""
    if not token:
        return None
    participant = db.session.scalar(select(Participant).where(Participant.token_hash == token_hash(token)))
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant


# How a change is made ----------------------------------------------------------------------------------

def lock(workshop: Workshop) -> int:
    """Take the session's row for one change and raise its version; the session is read afresh after."""
    db.session.commit()  # end any read transaction, so the change starts from what is stored now
    version = db.session.execute(update(Workshop).where(Workshop.id == workshop.id)
                                 .values(version=Workshop.version + 1).returning(Workshop.version)
                                 .execution_options(synchronize_session=False)).scalar_one()
    db.session.refresh(workshop)
    return version


def situation_before(workshop: Workshop, version: int) -> Situation:
    """The situation a locked change starts from: that of the version before it (kept, or worked out now)."""
    return situations().get((workshop.id, version - 1), lambda: situate(workshop, session_library(workshop.id), version - 1))


def publish(workshop: Workshop, kind: str) -> None:
    broker.commit_and_publish(db.session, workshop.id, kind, workshop.version)


def settle(workshop: Workshop, kind: str) -> None:
    """Commit and announce a change; after a change of state, work out its situation once and keep it."""
    after = situate(workshop, session_library(workshop.id)) if kind == "state" else None
    publish(workshop, kind)
    if after is not None:
        remember(after)


def change(kind: str = "state") -> Callable:
    """Make a rule a change: lock, apply, then commit and announce; roll back when the rule returns False."""
    def decorate(rule: Callable) -> Callable:
        @functools.wraps(rule)
        def run(workshop: Workshop, *args, **kwargs):
            lock(workshop)
            result = rule(workshop, *args, **kwargs)
            if result is False:
                db.session.rollback()
                db.session.refresh(workshop)
                return False
            settle(workshop, kind)
            return result
        return run
    return decorate


def apply(workshop: Workshop, check: Callable[[Situation], str | None],
          rule: Callable[[Workshop, Situation], Refusal | None]) -> Refusal | None:
    """Carry out one of the console's actions as a change: refused, and nothing changed, when `check`
    gives a reason for the situation the change starts from or the rule itself refuses."""
    version = lock(workshop)
    before = situation_before(workshop, version)
    reason = check(before)
    refusal = Refusal(reason) if reason else rule(workshop, before)
    if refusal is not None:
        db.session.rollback()
        db.session.refresh(workshop)
        return refusal
    settle(workshop, "state")
    return None


# Starting, joining, leaving ----------------------------------------------------------------------------

def start(plan: SessionPlan, owner_id: int, simulated: int = 0, roles: list[str] | None = None) -> Workshop:
    """Open a session from a plan; the agenda is copied, so later plan changes do not touch it.

    With `simulated` people it is a rehearsal (rehearsal.py): they take `roles` in turn, and it never counts.
    """
    agenda = [AgendaItem.from_json(data).to_json() for data in plan.items]
    workshop = Workshop(owner_id=owner_id, title=plan.title, agenda=agenda, code=new_code(), item_started_at=utcnow(),
                        rehearsal=simulated > 0, simulated=simulated, simulated_roles=list(roles or []))
    workshop.timer_seconds = 60 * (agenda[0]["minuten"] if agenda else 0)
    db.session.add(workshop)
    db.session.commit()
    return workshop


@change("console")
def join(workshop: Workshop, nickname: str, role: str | None,
         token: str | None = None) -> tuple[Participant, str] | bool:
    """Add a participant; the secret token is returned once and only its hash is kept.

    A rehearsal's simulated participant brings its own token (derived, see rehearsal.py); a phone gets a new one.
    """
    if workshop.ended_at is not None or workshop.locked:
        return False
    token = token or secrets.token_urlsafe(24)
    # In a large hall nobody needs a nickname: a number is enough to tell people apart in the console.
    nickname = nickname.strip() or f"Deelnemer {secrets.randbelow(9000) + 1000}"
    participant = Participant(workshop_id=workshop.id, token_hash=token_hash(token), nickname=nickname,
                              role=role or None)
    db.session.add(participant)
    return participant, token


@change()
def set_access(workshop: Workshop, participant: Participant, removed: bool) -> None:
    """Remove a participant from the session, or let them back in."""
    participant.removed = removed


# The console's actions: each rule runs after actions.py has checked the situation -------------------------

def end(workshop: Workshop, now: Situation) -> None:
    """End the session: nobody joins, votes or parks any more."""
    workshop.ended_at = utcnow()
    workshop.locked = True
    workshop.asking = False
    workshop.vote = VoteState.CLOSED if workshop.vote == VoteState.OPEN else workshop.vote
    workshop.vote_deadline = None
    record.session_attended(workshop)


def go(workshop: Workshop, now: Situation, forward: bool, confirmed: bool = False) -> Refusal | None:
    """Next or previous: through the pages of a long moment, the scenes of a story, the steps of a card,
    then the agenda. Forward from a step, which would leave the card without an ending, asks to confirm."""
    if forward and now.phase == Phase.CONSEQUENCE:
        reset_step(workshop)  # on to the step or ending the option leads to, its vote in round 1
        return None
    if not forward and now.phase == Phase.CONSEQUENCE:
        # Back to the result the group chose from (its round kept), not to the step with the vote closed.
        workshop.route = workshop.route[:-1]
        workshop.page = 0
        workshop.vote = VoteState.REVEALED
        return None
    if forward and now.more_sheets:
        workshop.page += 1
        return None
    if not forward and now.page:
        workshop.page -= 1
        return None
    if forward and now.leaves_card_unfinished and not confirmed:
        return Refusal("De groep is nog niet aan het einde van deze kaart. Wil je toch naar het volgende onderdeel?",
                       confirm=True)
    scene = now.next_scene if forward else now.previous_scene
    if scene is not None:
        workshop.scene = scene
        reset_step(workshop)
        return None
    if not forward and now.card is not None and now.route:
        workshop.route = workshop.route[:-1]
        reset_step(workshop)
        return None
    enter(workshop, now.item_index + (1 if forward else -1), forward)
    return None


def enter(workshop: Workshop, target: int, forward: bool) -> None:
    """Go to another item of the agenda: its first scene (its last, going back), its own time."""
    workshop.item = target
    entered = AgendaItem.from_json(workshop.agenda[target])
    workshop.route = []
    scenes = entered.scenes or (1,)
    if not forward and entered.is_story and not entered.scenes:
        story = session_library(workshop.id).stories.get(entered.ref)
        scenes = (len(story.scenes),) if story else (1,)
    workshop.scene = scenes[0] if forward else scenes[-1]
    workshop.timer_seconds = 60 * entered.minutes
    workshop.timer_used = 0.0
    workshop.item_started_at = utcnow()
    workshop.timer_started_at = workshop.item_started_at if workshop.auto_timer and entered.minutes else None
    workshop.asking = False  # a question round belongs to its item
    reset_step(workshop)


def reset_step(workshop: Workshop) -> None:
    workshop.page = 0
    workshop.vote = VoteState.CLOSED
    workshop.round = 1
    workshop.prompt = 0
    workshop.pieces_shown = False
    workshop.speaker = None
    workshop.speaker_id = None
    workshop.vote_deadline = None


def set_vote(state: VoteState) -> Callable[[Workshop, Situation], None]:
    """Close or reveal the vote at a step; in a story: stop marking, show the signals."""
    def rule(workshop: Workshop, now: Situation) -> None:
        workshop.vote = state
        workshop.vote_deadline = None
    return rule


def open_vote(workshop: Workshop, now: Situation, seconds: int | None) -> None:
    """Open the vote at a step; with `seconds`, it closes by itself after that countdown."""
    workshop.vote = VoteState.OPEN
    workshop.vote_deadline = utcnow() + timedelta(seconds=seconds) if seconds else None


def second_round(workshop: Workshop, now: Situation, seconds: int | None) -> None:
    """Vote again on the same step, after discussion; round 1 stays for the comparison."""
    workshop.round = 2
    open_vote(workshop, now, seconds)


def follow(workshop: Workshop, now: Situation, option: int | None) -> Refusal | None:
    """Move the group on along an option: the majority by default, or the facilitator's choice (logged)."""
    majority = now.majority
    chosen = option or majority
    if chosen is None:
        return Refusal("Er is geen duidelijke meerderheid. Kies zelf welke optie de groep volgt.")
    if not 1 <= chosen <= len(now.step.options):
        return Refusal("Deze optie hoort niet bij deze stap. Kies een van de opties op het scherm.")
    # Without a clear majority (a tie, or no votes) the choice is the facilitator's: log it as such.
    db.session.add(PathChoice(workshop_id=workshop.id, item=workshop.item, step=now.step.id, option=chosen,
                              majority=majority, overridden=(majority is None) or chosen != majority))
    workshop.route = [*workshop.route, [now.step.id, chosen]]
    round_ = workshop.round  # kept, so that going back shows the result of the round the group chose from
    reset_step(workshop)
    workshop.round = round_
    workshop.vote = VoteState.CONSEQUENCE
    return None




# Facilitation tools --------------------------------------------------------------------------------

def timer(action: str) -> Callable[[Workshop, Situation], None]:
    """Start, pause or reset the timer of the current agenda item."""
    def rule(workshop: Workshop, now: Situation) -> None:
        moment = utcnow()
        if action == "start":
            workshop.timer_started_at = moment
        elif action == "pauze":
            workshop.timer_used += (moment - workshop.timer_started_at).total_seconds()
            workshop.timer_started_at = None
        else:
            workshop.timer_used = 0.0
            workshop.timer_started_at = None
    return rule


def pick_speaker(workshop: Workshop, now: Situation) -> None:
    """A random participant of the session who has not been removed; their own phone is told."""
    workshop.speaker_id, workshop.speaker = random.choice(queries.present_people(workshop.id))


def toggle(attribute: str) -> Callable[[Workshop, Situation], None]:
    """Flip a yes/no setting: puzzle pieces shown, joining locked, the timer starting by itself, the question
    round, the large hall, the answers by "ik ook"."""
    assert attribute in ("pieces_shown", "locked", "auto_timer", "asking", "hall", "by_support")

    def rule(workshop: Workshop, now: Situation) -> None:
        setattr(workshop, attribute, not getattr(workshop, attribute))
    return rule


def next_prompt(workshop: Workshop, now: Situation) -> None:
    """Put the next discussion prompt of the step on the screens."""
    workshop.prompt += 1


@change()
def agree(workshop: Workshop, what: str, who: str, by_when: str, meldroute: str | None) -> None:
    """Record an agreement (the form has passed the privacy guard)."""
    db.session.add(Agreement(workshop_id=workshop.id, what=what.strip(), who=who, by_when=by_when.strip(),
                             meldroute=meldroute or None))


@change("console")
def park(workshop: Workshop, text: str, participant: Participant | None) -> bool | None:
    """Put a remark on the parking lot, from a participant or (without one) the facilitator."""
    if workshop.ended_at is not None:
        return False
    db.session.add(ParkingPost(workshop_id=workshop.id, text=text.strip(), by_facilitator=participant is None,
                               participant_id=participant.id if participant else None))
    return None


@change()
def mark_answered(workshop: Workshop, post_id: int, answered: bool) -> bool | None:
    """Mark a parked question as answered in the session, or as open again."""
    found = db.session.get(ParkingPost, post_id)
    if found is None or found.workshop_id != workshop.id:
        return False
    found.answered = answered
    return None


# The Leiden question round -------------------------------------------------------------------------------

@change()
def show_answer(workshop: Workshop, answer_id: int, shown: bool) -> bool | None:
    """Put an answer on the projector, or take it off."""
    found = db.session.get(Answer, answer_id)
    if found is None or found.workshop_id != workshop.id:
        return False
    found.shown = shown
    return None


def purge_expired(days: int, now: datetime | None = None) -> int:
    """Delete the participants (nicknames, tokens) of sessions older than `days`; the report stays."""
    now = now or utcnow()
    cutoff = now - timedelta(days=days)
    expired = db.session.scalars(select(Workshop).where(
        Workshop.purged_at.is_(None),
        or_(Workshop.ended_at < cutoff, Workshop.ended_at.is_(None) & (Workshop.created_at < cutoff)))).all()
    for workshop in expired:
        db.session.execute(delete(Participant).where(Participant.workshop_id == workshop.id))
        workshop.purged_at = now
        workshop.locked = True
        if workshop.ended_at is None:
            workshop.ended_at = now
        workshop.version = Workshop.version + 1
    db.session.commit()
    return len(expired)
