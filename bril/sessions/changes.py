"""Every change to a team session, and the version that names it.

A change first takes the session's row (an `UPDATE ... SET version = version + 1 RETURNING version`:
a row lock on PostgreSQL, the write lock on SQLite), then reads the session afresh, applies its rule,
and commits; the broker announces the new version at that commit. Two changes on two workers can
therefore never write the same version, nor build on a state the other has already replaced. A rule
that refuses rolls back, so the version is not raised for nothing.

Votes are the exception: they do not change what the room sees until the result is shown, so they
raise no version. A vote is one atomic upsert (one row per participant, step and round), announced
as `votes` so that only the counts on the projector and the console move.
"""
from __future__ import annotations

import functools
import hashlib
import random
import secrets
from collections import Counter
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, func, or_, select, update

from ..content import Dilemma, Library
from ..content.dilemmas import Position, replay
from ..models import (Agreement, Answer, ParkingPost, Participant, PathChoice, SceneMark, SessionPlan, Vote,
                      Workshop, db, utcnow)
from .. import reporting
from . import broker, sheets
from .agenda import WELCOME, AgendaItem

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B
CODE_LENGTH = 6
VOTE_STATES = ("dicht", "open", "gesloten", "onthuld")
# After the group follows an option the room first sees what it means (for the client and the people
# around them) before it goes on: the vote field then says `gevolg`.
CONSEQUENCE = "gevolg"
PASS = 0


def new_code() -> str:
    """A join code no session uses."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(select(Workshop.id).where(Workshop.code == code)):
            return code


def normalise_code(text: str) -> str:
    """Accept codes typed with spaces, dashes or lower case."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def participant_for(workshop: Workshop, token: str | None) -> Participant | None:
    """The participant a token belongs to, in this session only."""
    if not token:
        return None
    participant = db.session.scalar(select(Participant).where(Participant.token_hash == token_hash(token)))
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant


# Where the session stands ---------------------------------------------------------------------------

def current_item(workshop: Workshop) -> AgendaItem:
    return AgendaItem.from_json(workshop.agenda[workshop.item]) if workshop.agenda else WELCOME


def current_card(workshop: Workshop, content: Library) -> Dilemma | None:
    item = current_item(workshop)
    return content.dilemmas.get(item.ref) if item.is_card else None


def position(workshop: Workshop, content: Library) -> Position | None:
    """The group's place in the current card (its route replayed once), or None outside a card."""
    card = current_card(workshop, content)
    return replay(card, [(step, option) for step, option in workshop.route]) if card else None


def current_step_id(workshop: Workshop, content: Library) -> str | None:
    """The step the group is at, or None outside a card or at an ending."""
    card, where = current_card(workshop, content), position(workshop, content)
    return where.node if card and where.node in card.steps else None


# How a change is made ----------------------------------------------------------------------------------

def lock(workshop: Workshop) -> int:
    """Take the session's row for one change and raise its version; the session is read afresh after."""
    db.session.commit()  # end any read transaction, so the change starts from what is stored now
    version = db.session.execute(update(Workshop).where(Workshop.id == workshop.id)
                                 .values(version=Workshop.version + 1).returning(Workshop.version)
                                 .execution_options(synchronize_session=False)).scalar_one()
    db.session.refresh(workshop)
    return version


def publish(workshop: Workshop, kind: str) -> None:
    broker.commit_and_publish(db.session, workshop.id, kind, workshop.version)


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
            publish(workshop, kind)
            return result
        return run
    return decorate


# Starting, joining, leaving ----------------------------------------------------------------------------

def start(plan: SessionPlan, owner_id: int) -> Workshop:
    """Open a session from a plan; the agenda is copied, so later plan changes do not touch it."""
    agenda = [AgendaItem.from_json(data).to_json() for data in plan.items]
    workshop = Workshop(owner_id=owner_id, title=plan.title, agenda=agenda, code=new_code(), item_started_at=utcnow())
    workshop.timer_seconds = 60 * (agenda[0]["minuten"] if agenda else 0)
    db.session.add(workshop)
    db.session.commit()
    return workshop


@change("console")
def join(workshop: Workshop, nickname: str, role: str | None) -> tuple[Participant, str] | bool:
    """Add a participant; the secret token is returned once and only its hash is kept."""
    if workshop.ended_at is not None or workshop.locked:
        return False
    token = secrets.token_urlsafe(24)
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


@change()
def end(workshop: Workshop) -> bool | None:
    """End the session: nobody joins, votes or parks any more."""
    if workshop.ended_at is not None:
        return False
    workshop.ended_at = utcnow()
    workshop.locked = True
    workshop.vote = "dicht" if workshop.vote == "open" else workshop.vote


# The agenda ---------------------------------------------------------------------------------------

def page_count(workshop: Workshop, content: Library) -> int:
    """How many projector pages the room's moment has (see sheets.py)."""
    item = current_item(workshop)
    card = current_card(workshop, content)
    if card is not None and workshop.vote != CONSEQUENCE:
        where = position(workshop, content)
        ending = card.endings.get(where.node)
        return len(sheets.for_ending(card, ending, where.route, reporting.book_of_session(workshop))) if ending else 1
    story = content.stories.get(item.ref) if item.is_story else None
    if story is not None and workshop.vote == "onthuld" and 1 <= workshop.scene <= len(story.scenes):
        counts, _ = marks(workshop.id, workshop.item, workshop.scene)
        return len(sheets.for_signals(story.scenes[workshop.scene - 1], counts))
    return 1


def at_ending(workshop: Workshop, content: Library) -> bool:
    card, where = current_card(workshop, content), position(workshop, content)
    return card is not None and where.node in card.endings and workshop.vote != CONSEQUENCE


def leaves_card_unfinished(workshop: Workshop, content: Library) -> bool:
    """Going forward now would leave the card at a step, before any ending: the facilitator confirms that."""
    return current_step_id(workshop, content) is not None and workshop.vote != CONSEQUENCE


@change()
def go(workshop: Workshop, content: Library, forward: bool, confirmed: bool = False) -> bool | None:
    """Next or previous: through the scenes of a story, the steps of a card, then the agenda.

    Forward from a consequence goes to the step (or ending) it leads to; forward from a step, which
    would leave the card without an ending, happens only when `confirmed`.
    """
    item = current_item(workshop)
    if item.is_card and forward and workshop.vote == CONSEQUENCE:
        workshop.vote = "dicht"
        return None
    # A long moment (an ending, the signals of a scene) has pages on the projector: step through them first.
    if forward and workshop.page < page_count(workshop, content) - 1:
        workshop.page += 1
        return None
    if not forward and workshop.page > 0:
        workshop.page -= 1
        return None
    if forward and not confirmed and leaves_card_unfinished(workshop, content):
        return False
    if item.is_story:
        scenes = list(item.scenes)
        where = scenes.index(workshop.scene) if workshop.scene in scenes else 0
        target = where + (1 if forward else -1)
        if 0 <= target < len(scenes):
            workshop.scene = scenes[target]
            reset_step(workshop)
            return None
    if item.is_card and not forward and workshop.route:
        workshop.route = workshop.route[:-1]
        reset_step(workshop)
        return None
    target = workshop.item + (1 if forward else -1)
    if not 0 <= target < len(workshop.agenda):
        return False
    workshop.item = target
    entered = AgendaItem.from_json(workshop.agenda[target])
    workshop.route = []
    scenes = entered.scenes or (1,)
    workshop.scene = scenes[0] if forward else scenes[-1]
    workshop.timer_seconds = 60 * entered.minutes
    workshop.timer_used = 0.0
    workshop.item_started_at = utcnow()
    workshop.timer_started_at = workshop.item_started_at if workshop.auto_timer and entered.minutes else None
    reset_step(workshop)
    return None


def reset_step(workshop: Workshop) -> None:
    workshop.page = 0
    workshop.vote = "dicht"
    workshop.round = 1
    workshop.prompt = 0
    workshop.pieces_shown = False
    workshop.speaker = None


# Votes ---------------------------------------------------------------------------------------------

@change()
def set_vote_state(workshop: Workshop, content: Library, state: str) -> bool | None:
    """Open, close or reveal the vote at the current step; in a story: stop marking, show the signals."""
    story = current_item(workshop).is_story
    if state not in VOTE_STATES or workshop.ended_at or workshop.vote == CONSEQUENCE \
            or (current_step_id(workshop, content) is None and not story) or (story and state == "open"):
        return False
    workshop.vote = state
    return None


@change()
def second_round(workshop: Workshop, content: Library) -> bool | None:
    """Vote again on the same step, after discussion; round 1 stays for the comparison."""
    if current_step_id(workshop, content) is None or workshop.round >= 2 or workshop.vote != "onthuld":
        return False
    workshop.round = 2
    workshop.vote = "open"
    return None


def marks(workshop_id: int, item: int, scene: int) -> tuple[Counter, int]:
    """How many participants marked each sentence of a scene, and how many marked at all."""
    rows = db.session.scalars(select(SceneMark.passages).filter_by(workshop_id=workshop_id, item=item,
                                                                   scene=scene)).all()
    return Counter(key for passages in rows for key in passages), len(rows)


def tally(workshop_id: int, item: int, step: str, round_: int) -> tuple[Counter, dict[str, Counter]]:
    """Totals per option, and per role where a role holds at least two votes (so no vote stands alone)."""
    rows = db.session.execute(select(Vote.option, Vote.role).filter_by(workshop_id=workshop_id, item=item,
                                                                       step=step, round=round_)).all()
    totals = Counter(option for option, _ in rows)
    by_role: dict[str, Counter] = {}
    for option, role in rows:
        if role:
            by_role.setdefault(role, Counter())[option] += 1
    return totals, {role: counts for role, counts in by_role.items() if sum(counts.values()) >= 2}


def vote_count(workshop_id: int, item: int, step: str | None, round_: int) -> int:
    if step is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(Vote).filter_by(
        workshop_id=workshop_id, item=item, step=step, round=round_)) or 0


def majority_option(totals: Counter) -> int | None:
    """The option with most votes (passes do not count); None on a tie or without votes."""
    ranked = sorted(((count, option) for option, count in totals.items() if option != PASS and count),
                    reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


@change()
def follow(workshop: Workshop, content: Library, option: int | None) -> bool | None:
    """Move the group on along an option: the majority by default, or the facilitator's choice (logged)."""
    step_id = current_step_id(workshop, content)
    if step_id is None:
        return False
    step = content.dilemmas[current_item(workshop).ref].steps[step_id]
    totals, _ = tally(workshop.id, workshop.item, step_id, workshop.round)
    majority = majority_option(totals)
    chosen = option or majority
    if chosen is None or not 1 <= chosen <= len(step.options):
        return False
    # Without a clear majority (a tie, or no votes) the choice is the facilitator's: log it as such.
    db.session.add(PathChoice(workshop_id=workshop.id, item=workshop.item, step=step_id, option=chosen,
                              majority=majority, overridden=(majority is None) or chosen != majority))
    workshop.route = [*workshop.route, [step_id, chosen]]
    reset_step(workshop)
    workshop.vote = CONSEQUENCE
    return None


# Facilitation tools --------------------------------------------------------------------------------

@change()
def timer(workshop: Workshop, action: str) -> bool | None:
    """Start, pause or reset the timer of the current agenda item."""
    now = utcnow()
    if action == "start" and workshop.timer_started_at is None:
        workshop.timer_started_at = now
    elif action == "pauze" and workshop.timer_started_at is not None:
        workshop.timer_used += (now - workshop.timer_started_at).total_seconds()
        workshop.timer_started_at = None
    elif action == "reset":
        workshop.timer_used = 0.0
        workshop.timer_started_at = None
    else:
        return False
    return None


def remaining_seconds(workshop: Workshop, now: datetime | None = None) -> int:
    used = workshop.timer_used
    if workshop.timer_started_at is not None:
        used += ((now or utcnow()) - workshop.timer_started_at).total_seconds()
    return int(round(workshop.timer_seconds - used))


@change()
def pick_speaker(workshop: Workshop) -> str | None:
    """A random participant of the session who has not been removed."""
    present = db.session.scalars(select(Participant.nickname).filter_by(workshop_id=workshop.id, removed=False)).all()
    workshop.speaker = random.choice(present) if present else None
    return workshop.speaker


@change()
def toggle(workshop: Workshop, attribute: str) -> None:
    """Flip a yes/no setting: puzzle pieces shown, joining locked, the timer starting by itself, the question round."""
    assert attribute in ("pieces_shown", "locked", "auto_timer", "asking", "hall")
    setattr(workshop, attribute, not getattr(workshop, attribute))


@change()
def next_prompt(workshop: Workshop) -> None:
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
