"""Team sessions: the rules of a live workshop and the state every view shows.

Every change goes through a function here that writes the database first and then announces the
new version through the broker; views only ever read the database, so nothing lives in memory alone.
"""
from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter
from datetime import datetime

from sqlalchemy import func, select

from . import broker
from .content import Dilemma, Library
from .content.dilemmas import replay
from .models import PathChoice, Participant, SessionPlan, Vote, Workshop, db, utcnow

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B
CODE_LENGTH = 6
VOTE_STATES = ("dicht", "open", "gesloten", "onthuld")
PASS = 0
MIN_ROLE_GROUP = 2


def new_code() -> str:
    """A join code no running session uses."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(select(Workshop.id).where(Workshop.code == code)):
            return code


def normalise_code(text: str) -> str:
    """Accept codes typed with spaces, dashes or lower case."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(plan: SessionPlan, owner_id: int) -> Workshop:
    """Open a session from a plan; the agenda is copied, so later plan changes do not touch it."""
    workshop = Workshop(owner_id=owner_id, title=plan.title, agenda=list(plan.items), code=new_code())
    workshop.timer_seconds = 60 * (plan.items[0].get("minuten", 0) if plan.items else 0)
    db.session.add(workshop)
    db.session.commit()
    return workshop


def join(workshop: Workshop, nickname: str, role: str | None) -> tuple[Participant, str]:
    """Add a participant; the secret token is returned once and only its hash is kept."""
    token = secrets.token_urlsafe(24)
    participant = Participant(workshop_id=workshop.id, token_hash=token_hash(token), nickname=nickname.strip(),
                              role=role or None)
    db.session.add(participant)
    changed(workshop, "console")
    return participant, token


def participant_for(workshop: Workshop, token: str | None) -> Participant | None:
    """The participant a token belongs to, in this session only."""
    if not token:
        return None
    participant = db.session.scalar(select(Participant).where(Participant.token_hash == token_hash(token)))
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant


def changed(workshop: Workshop, kind: str = "state") -> None:
    """Store a change and tell the views.

    `state` is for everyone; `console` (someone joined, a parking-lot post) only for the facilitator's
    console; `votes` (a vote came in) only for the counts on the projector and the console.
    """
    if kind != "votes":
        workshop.version += 1
    broker.commit_and_publish(db.session, workshop.id, kind, workshop.version)


# The agenda ---------------------------------------------------------------------------------------

def current_item(workshop: Workshop) -> dict:
    return workshop.agenda[workshop.item] if workshop.agenda else {"soort": "welkom", "minuten": 0}


def current_card(workshop: Workshop, content: Library) -> Dilemma | None:
    item = current_item(workshop)
    return content.dilemmas.get(item.get("ref")) if item["soort"] == "dilemma" else None


def current_step_id(workshop: Workshop, content: Library) -> str | None:
    """The step the group is at, or None outside a card or at an ending."""
    card = current_card(workshop, content)
    if card is None:
        return None
    node = replay(card, [(s, n) for s, n in workshop.route]).node
    return node if node in card.steps else None


def go(workshop: Workshop, content: Library, forward: bool) -> None:
    """Next or previous: through the scenes of a story, the steps of a card, then the agenda."""
    item = current_item(workshop)
    if item["soort"] == "verhaal":
        scenes = item.get("scenes") or []
        position = scenes.index(workshop.scene) if workshop.scene in scenes else 0
        target = position + (1 if forward else -1)
        if 0 <= target < len(scenes):
            workshop.scene = scenes[target]
            reset_step(workshop)
            changed(workshop)
            return
    if item["soort"] == "dilemma" and not forward and workshop.route:
        workshop.route = workshop.route[:-1]
        reset_step(workshop)
        changed(workshop)
        return
    target = workshop.item + (1 if forward else -1)
    if 0 <= target < len(workshop.agenda):
        workshop.item = target
        entered = workshop.agenda[target]
        workshop.route = []
        scenes = entered.get("scenes") or [1]
        workshop.scene = scenes[0] if forward else scenes[-1]
        workshop.timer_seconds = 60 * entered.get("minuten", 0)
        workshop.timer_used = 0.0
        workshop.timer_started_at = None
        reset_step(workshop)
        changed(workshop)


def reset_step(workshop: Workshop) -> None:
    workshop.vote = "dicht"
    workshop.round = 1
    workshop.prompt = 0
    workshop.pieces_shown = False
    workshop.speaker = None


# Votes ---------------------------------------------------------------------------------------------

def set_vote_state(workshop: Workshop, content: Library, state: str) -> bool:
    """Open, close or reveal the vote at the current step."""
    if state not in VOTE_STATES or current_step_id(workshop, content) is None:
        return False
    workshop.vote = state
    changed(workshop)
    return True


def second_round(workshop: Workshop, content: Library) -> bool:
    """Vote again on the same step, after discussion; round 1 stays for the comparison."""
    if current_step_id(workshop, content) is None or workshop.round >= 2 or workshop.vote != "onthuld":
        return False
    workshop.round = 2
    workshop.vote = "open"
    changed(workshop)
    return True


def cast_vote(workshop: Workshop, content: Library, participant: Participant, option: int) -> Vote | None:
    """Store or change a participant's vote; None when the vote is not open or the option is not there."""
    step_id = current_step_id(workshop, content)
    card = current_card(workshop, content)
    if workshop.vote != "open" or step_id is None or participant.removed or workshop.ended_at:
        return None
    if not (option == PASS or 1 <= option <= len(card.steps[step_id].options)):
        return None
    vote = db.session.scalar(select(Vote).filter_by(workshop_id=workshop.id, item=workshop.item, step=step_id,
                                                    round=workshop.round, participant_id=participant.id))
    if vote is None:
        vote = Vote(workshop_id=workshop.id, item=workshop.item, step=step_id, round=workshop.round,
                    participant_id=participant.id, option=option, role=participant.role)
        db.session.add(vote)
    vote.option = option
    participant.last_seen_at = utcnow()
    changed(workshop, "votes")
    return vote


def tally(workshop: Workshop, item: int, step: str, round_: int) -> tuple[Counter, dict[str, Counter]]:
    """Totals per option, and per role where a role holds at least two votes (so no vote stands alone)."""
    rows = db.session.execute(select(Vote.option, Vote.role).filter_by(workshop_id=workshop.id, item=item,
                                                                       step=step, round=round_)).all()
    totals = Counter(option for option, _ in rows)
    by_role: dict[str, Counter] = {}
    for option, role in rows:
        if role:
            by_role.setdefault(role, Counter())[option] += 1
    return totals, {role: counts for role, counts in by_role.items() if sum(counts.values()) >= MIN_ROLE_GROUP}


def vote_count(workshop: Workshop, content: Library) -> int:
    step_id = current_step_id(workshop, content)
    if step_id is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(Vote).filter_by(
        workshop_id=workshop.id, item=workshop.item, step=step_id, round=workshop.round)) or 0


def follow(workshop: Workshop, content: Library, option: int | None) -> bool:
    """Move the group on along an option: the majority by default, or the facilitator's choice (logged)."""
    step_id = current_step_id(workshop, content)
    card = current_card(workshop, content)
    if step_id is None:
        return False
    totals, _ = tally(workshop, workshop.item, step_id, workshop.round)
    majority = majority_option(totals)
    chosen = option or majority
    if chosen is None or not 1 <= chosen <= len(card.steps[step_id].options):
        return False
    # Without a clear majority (a tie, or no votes) the choice is the facilitator's: log it as such.
    db.session.add(PathChoice(workshop_id=workshop.id, item=workshop.item, step=step_id, option=chosen,
                              majority=majority, overridden=(majority is None) or chosen != majority))
    workshop.route = [*workshop.route, [step_id, chosen]]
    reset_step(workshop)
    changed(workshop)
    return True


def majority_option(totals: Counter) -> int | None:
    """The option with most votes (passes do not count); None on a tie or without votes."""
    ranked = [(count, option) for option, count in totals.items() if option != PASS]
    if not ranked:
        return None
    ranked.sort(reverse=True)
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None
    return ranked[0][1]


# Facilitation tools --------------------------------------------------------------------------------

def timer(workshop: Workshop, action: str) -> None:
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
    changed(workshop)


def remaining_seconds(workshop: Workshop, now: datetime | None = None) -> int:
    used = workshop.timer_used
    if workshop.timer_started_at is not None:
        used += ((now or utcnow()) - workshop.timer_started_at).total_seconds()
    return int(round(workshop.timer_seconds - used))


def pick_speaker(workshop: Workshop) -> str | None:
    """A random participant of the session who has not been removed."""
    present = db.session.scalars(select(Participant.nickname).filter_by(workshop_id=workshop.id, removed=False)).all()
    workshop.speaker = random.choice(present) if present else None
    changed(workshop)
    return workshop.speaker






def agenda_text(kind: str) -> str:
    """What the room sees during the items without a story or card."""
    texts = {
        "welkom": "Welkom! Doe mee met de code op het scherm. Kies een bijnaam en, als je wilt, je rol. "
                  "Alles wat je stemt is anoniem.",
        "afsluiting": "Afsluitende ronde: wat neem je mee uit deze sessie? Wat ga je morgen anders doen?",
        "afspraken": "We maken afspraken: wat doen we, wie (welke rol) doet het, wanneer, en waar hoort het "
                     "signaal (Wie is hiervan?).",
    }
    return texts.get(kind, "")


def scene_html(content: Library, item: dict, number: int) -> dict | None:
    story = content.stories.get(item.get("ref"))
    if story is None or not 1 <= number <= len(story.scenes):
        return None
    scene = story.scenes[number - 1]
    prose = "".join("<p>" + " ".join(str(p.html) for p in paragraph) + "</p>" for paragraph in scene.paragraphs)
    return {"story": story.title, "number": number, "of": len(story.scenes), "title": scene.title,
            "html": prose, "signals": [{"passage": str(next(p.html for p in scene.passages if p.key == s.passage)),
                                        "explanation": str(s.explanation)} for s in scene.signals]}




def toggle(workshop: Workshop, attribute: str) -> None:
    """Flip a yes/no setting: puzzle pieces shown, joining locked."""
    setattr(workshop, attribute, not getattr(workshop, attribute))
    changed(workshop)


def next_prompt(workshop: Workshop) -> None:
    """Put the next discussion prompt of the step on the screens."""
    workshop.prompt += 1
    changed(workshop)


def purge_expired(days: int, now: datetime | None = None) -> int:
    """Delete the participants (nicknames, tokens) of sessions older than `days`; the report stays."""
    from datetime import timedelta

    from sqlalchemy import delete, or_
    cutoff = (now or utcnow()) - timedelta(days=days)
    expired = db.session.scalars(select(Workshop).where(
        Workshop.purged_at.is_(None),
        or_(Workshop.ended_at < cutoff, Workshop.ended_at.is_(None) & (Workshop.created_at < cutoff)))).all()
    for workshop in expired:
        db.session.execute(delete(Participant).where(Participant.workshop_id == workshop.id))
        workshop.purged_at = now or utcnow()
        workshop.locked = True
        if workshop.ended_at is None:
            workshop.ended_at = now or utcnow()
    db.session.commit()
    return len(expired)
