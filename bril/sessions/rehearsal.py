"""Rehearsal ("oefenen"): simulated participants join, mark, vote, answer and say "ik ook", so that a
facilitator can try a plan alone, with the real console and projector, the day before.

Why a tick and not a background thread: production runs gunicorn with several gevent workers, maybe on
several machines. A thread in one process dies with its worker, runs twice with two workers, and keeps
what it did in memory that the other processes cannot see. Instead the console and the projector of a
rehearsal post `/sessies/<id>/oefen-tik` about once a second (static/js/rehearsal.js), and each tick lets
the simulated people act on where the session stands now (its `Situation`), through the same write paths
real phones use: `changes.join` to join, `hotpath` to mark, vote, answer and say "ik ook". When nobody
has the console or projector open, nothing happens, as in a room where nobody talks.

Nothing is remembered between ticks; the rows decide:
- Who is simulated: person i's token is derived from the app's secret, the session and i (an HMAC), so
  every worker finds them by the hash `join` stored; a real phone (a colleague trying along) is never one.
- What they did: a vote at this step and round, a mark in this scene, an answer in this item, an "ik ook"
  is read back from its table before they act.
- One tick at a time: a tick first claims the session with one conditional UPDATE of `simulated_at`; two
  tabs or two workers ticking within the same second: one does the work, the other nothing.
- Twice is harmless: a person joins once (their token hash is unique), votes and marks are upserts,
  "ik ook" is unique per person; a person answers only while no answer of theirs is in the item (only
  two ticks overlapping, one taking over a second, could both see none: the price is one answer twice,
  as when a real phone sends twice).

The spread: each person has a temperament drawn from a generator seeded by the session and their number
(how sharp they spot signals, how fast they act, how often they pass, how talkative they are). What they
do in a tick is drawn from a generator seeded by the session, the version and the person, so no two
people act alike and not all at once: a room fills in over a few seconds, votes lean to one option
without being unanimous, some pass, a few answer from a small bank of neutral texts without personal data
(they pass the same privacy guard as a phone's answer, tests/test_rehearsal.py) and others say "ik ook".
"""
from __future__ import annotations

import hashlib
import hmac
import random
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from ..libraries import session_library
from ..models import Answer, ParkingPost, Participant, SceneMark, Support, Vote, Workshop, db, token_hash, utcnow
from . import changes, hotpath
from .situation import Situation, situation_of
from .vocabulary import PASS, Phase

TICK_SECONDS = 0.8  # a tick claims the session for this long: ticks of two tabs a second apart both act

NICKNAMES = ("Noor", "Daan", "Sanne", "Milan", "Fleur", "Sem", "Lotte", "Bram", "Iris", "Thijs", "Yara", "Ruben",
             "Eva", "Jesse", "Lina", "Mohamed", "Femke", "Joost", "Amira", "Kevin", "Esther", "Hamza", "Anouk",
             "Wouter", "Inge", "Tim", "Fatima", "Gerrit", "Roos", "Stefan", "Naima", "Bas", "Marloes", "Youssef",
             "Hanneke", "Rik", "Samira", "Pieter", "Demi", "Erik", "Ilse", "Omar", "Marieke", "Luuk", "Petra",
             "Sven", "Zeynep", "Koen", "Mirjam", "Rachid", "Linda", "Jeroen", "Charlotte", "Dennis", "Ayse",
             "Martijn", "Nienke", "Hugo", "Wendy", "Karim")
# Answers to the question round ("Wat zou jij doen? Wat houdt je tegen?"): plain, neutral, no names or numbers.
ANSWERS = (
    "Ik zou eerst met een collega overleggen.",
    "Ik twijfel of ik dit mag delen. Dat houdt me tegen.",
    "Ik breng het in bij het teamoverleg.",
    "Ik vraag de aandachtsfunctionaris om advies.",
    "Ik wil het vertrouwen van de cliënt niet kwijtraken.",
    "Ik ga vaker op huisbezoek en kijk goed om me heen.",
    "Ik ben bang dat ik het verkeerd zie.",
    "Ik schrijf op wat ik zie en waarom ik twijfel.",
    "Ik bel de wijkagent en vraag wat hij weet.",
    "Ik weet niet wie hiervan is. Dat wil ik graag weten.",
    "Ik vraag de cliënt gewoon hoe het echt gaat.",
    "Ik heb te weinig tijd om goed door te vragen.",
    "Is hij dader of slachtoffer? Dat vind ik lastig.",
    "Ik vraag Veilig Thuis om advies, zonder naam.",
    "Ik let op wie er nog meer in huis komen.",
    "Ik ken de regels over privacy niet goed genoeg.",
)


@dataclass(frozen=True)
class Person:
    """A simulated participant: who they are and how they behave, the same in every tick and worker."""

    index: int
    token: str
    nickname: str
    role: str | None
    sharp: float  # how likely they mark a real signal
    pace: float  # how likely they act in a tick once they can
    passing: float  # how likely they pass a vote
    talkative: float  # how likely they answer in a question round at all

    @property
    def token_hash(self) -> str:
        return token_hash(self.token)


@dataclass
class Tick:
    """What the simulated people did in one tick."""

    joined: int = 0
    marked: int = 0
    voted: int = 0
    answered: int = 0
    supported: int = 0
    skipped: bool = False  # another tab or worker ticked within the last second
    stamp: str = ""  # the tick's time: with the version and the person it seeds what they do

    def as_json(self) -> dict:
        return {"overgeslagen": self.skipped, "erbij": self.joined, "aangevinkt": self.marked, "gestemd": self.voted,
                "antwoorden": self.answered, "ikook": self.supported}


def simulated_token(workshop_id: int, index: int) -> str:
    """The secret token of simulated person `index` of a session: derived, so every worker knows it."""
    key = current_app.config["SECRET_KEY"]
    digest = hmac.new(key.encode() if isinstance(key, str) else key, f"oefen:{workshop_id}:{index}".encode(),
                      hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:24]).decode()


def nickname(index: int) -> str:
    """A first name that says it is simulated: "Noor (oefen)", then "Noor 2 (oefen)" after sixty."""
    name, lap = NICKNAMES[index % len(NICKNAMES)], index // len(NICKNAMES)
    return f"{name} {lap + 1} (oefen)" if lap else f"{name} (oefen)"


def people(workshop: Workshop) -> list[Person]:
    """The simulated participants of a rehearsal, each with their own temperament."""
    roles = list(workshop.simulated_roles or [])
    crowd = []
    for index in range(workshop.simulated):
        draw = random.Random(f"persoon:{workshop.id}:{index}")
        crowd.append(Person(
            index=index, token=simulated_token(workshop.id, index), nickname=nickname(index),
            role=roles[index % len(roles)] if roles and draw.random() < 0.9 else None,
            sharp=draw.uniform(0.25, 0.9), pace=draw.uniform(0.2, 0.6),
            passing=0.3 if draw.random() < 0.15 else 0.02, talkative=draw.random()))
    return crowd


def claim(workshop_id: int, now: datetime) -> bool:
    """Take this tick for one tab and worker: False when another ticked the session less than a second ago."""
    before = now - timedelta(seconds=current_app.config.get("REHEARSAL_TICK_SECONDS", TICK_SECONDS))
    with hotpath.autocommit() as connection:
        taken = connection.execute(
            update(Workshop).where(Workshop.id == workshop_id, Workshop.rehearsal.is_(True),
                                   Workshop.ended_at.is_(None),
                                   or_(Workshop.simulated_at.is_(None), Workshop.simulated_at <= before))
            .values(simulated_at=now))
        return taken.rowcount == 1


def tick(workshop: Workshop, now: datetime | None = None) -> Tick:
    """Let the simulated people of a rehearsal act once on where the session stands now."""
    now = now or utcnow()
    done = Tick(stamp=now.isoformat())
    if not claim(workshop.id, now):
        done.skipped = True
        return done
    db.session.refresh(workshop)
    crowd = people(workshop)
    joined = dict(db.session.execute(select(Participant.token_hash, Participant.id).where(
        Participant.workshop_id == workshop.id, Participant.token_hash.in_([p.token_hash for p in crowd]))).all())
    present = [person for person in crowd if person.token_hash in joined]
    where = situation_of(workshop, session_library(workshop.id))
    act(workshop, where, present, {person.index: joined[person.token_hash] for person in present}, done)
    db.session.commit()  # end the reads before the joins take the session's row
    join_some(workshop, [person for person in crowd if person.token_hash not in joined], done)
    return done


def draw_for(workshop: Workshop, now: Situation, person: Person, what: str, done: Tick) -> random.Random:
    """What a person does in this tick at this version: their own draw, so no two act alike."""
    return random.Random(f"{what}:{workshop.id}:{now.version}:{person.index}:{done.stamp}")


def join_some(workshop: Workshop, waiting: list[Person], done: Tick) -> None:
    """Some of those not yet in the room join, through the same path as a phone."""
    for person in waiting:
        if workshop.ended_at is not None or workshop.locked:
            return
        if random.Random(f"erbij:{workshop.id}:{person.index}:{done.stamp}").random() >= 0.6 * (person.pace + 0.1):
            continue
        try:
            if changes.join(workshop, "" if workshop.hall else person.nickname, person.role, token=person.token):
                done.joined += 1
        except IntegrityError:  # an overlapping tick let them in just now (their token is unique): so be it
            db.session.rollback()


def act(workshop: Workshop, now: Situation, present: list[Person], ids: dict[int, int], done: Tick) -> None:
    """Mark, vote, answer or say "ik ook", as the moment allows, each person at their own pace."""
    if now.ended or not present:
        return
    if now.phase == Phase.STORY and now.story_scene is not None:
        mark(workshop, now, present, ids, done)
    if now.phase == Phase.VOTING and now.step is not None:
        vote(workshop, now, present, ids, done)
    if now.asking:
        answer(workshop, now, present, ids, done)
    support(workshop, now, present, ids, done)


def acting(workshop: Workshop, now: Situation, present: list[Person], ids: dict[int, int], finished: set[int],
           what: str, done: Tick):
    """Those who have not done `what` yet and who act in this tick, each with their draw and as a `Voter`."""
    with hotpath.autocommit() as connection:
        for person in present:
            if ids[person.index] in finished:
                continue
            draw = draw_for(workshop, now, person, what, done)
            if draw.random() >= person.pace:
                continue
            who = hotpath.voter(connection, workshop.code, person.token)
            if who is None or who.version != now.version:  # removed, or the room moved on meanwhile
                continue
            yield person, draw, who, connection


def mark(workshop: Workshop, now: Situation, present: list[Person], ids: dict[int, int], done: Tick) -> None:
    """Mark sentences of the scene: the sharp more often the real signals, now and then another sentence."""
    scene = now.story_scene
    finished = set(db.session.scalars(select(SceneMark.participant_id).filter_by(
        workshop_id=workshop.id, item=now.item_index, scene=scene.number)))
    for person, draw, who, connection in acting(workshop, now, present, ids, finished, "zinnen", done):
        chosen = [p.key for p in scene.passages
                  if draw.random() < (person.sharp if p.signal else 0.12 * (1 - person.sharp))]
        if chosen and hotpath.mark(connection, who, scene.number, chosen):
            done.marked += 1


def leaning(now: Situation) -> int:
    """The option this room leans to at a step: the same for every person and every tick."""
    digest = hashlib.sha256(f"{now.workshop_id}:{now.item_index}:{now.step.id}".encode()).digest()
    return 1 + digest[0] % len(now.step.options)


def choose(now: Situation, person: Person, draw: random.Random) -> int:
    """A vote: a lean to one option, the others now and then, sometimes "Ik pas"."""
    if draw.random() < person.passing:
        return PASS
    options = range(1, len(now.step.options) + 1)
    lean = leaning(now)
    weights = [(4 if option == lean else 1) + (1 if now.round == 2 and option == lean else 0) for option in options]
    return draw.choices(list(options), weights)[0]


def vote(workshop: Workshop, now: Situation, present: list[Person], ids: dict[int, int], done: Tick) -> None:
    finished = set(db.session.scalars(select(Vote.participant_id).filter_by(
        workshop_id=workshop.id, item=now.item_index, step=now.step.id, round=now.round)))
    for person, draw, who, connection in acting(workshop, now, present, ids, finished, "stem", done):
        if hotpath.cast_vote(connection, who, now.step.id, len(now.step.options), choose(now, person, draw)):
            done.voted += 1


def answer(workshop: Workshop, now: Situation, present: list[Person], ids: dict[int, int], done: Tick) -> None:
    """The talkative answer the question round once each, from the bank of neutral texts."""
    finished = set(db.session.scalars(select(Answer.participant_id).filter_by(workshop_id=workshop.id,
                                                                              item=now.item_index)))
    finished |= {ids[person.index] for person in present if person.talkative < 0.65}
    for person, draw, who, connection in acting(workshop, now, present, ids, finished, "antwoord", done):
        if draw.random() < 0.5 and hotpath.answer(connection, who, draw.choice(ANSWERS)):
            done.answered += 1


def appeal(kind: str, target_id: int) -> float:
    """How many feel the same about an answer or a parked question: a few gather many "ik ook", most few."""
    return 0.03 + 0.35 * hashlib.sha256(f"{kind}:{target_id}".encode()).digest()[0] / 255


def support(workshop: Workshop, now: Situation, present: list[Person], ids: dict[int, int], done: Tick) -> None:
    """Say "ik ook" to answers of this item's round and to parked questions, each person to what appeals to them."""
    targets = [("antwoord", target, author) for target, author in db.session.execute(
        select(Answer.id, Answer.participant_id).filter_by(workshop_id=workshop.id, item=now.item_index))]
    targets += [("parkeer", target, author) for target, author in db.session.execute(
        select(ParkingPost.id, ParkingPost.participant_id).filter_by(workshop_id=workshop.id))]
    if not targets:
        return
    given = {tuple(row) for row in db.session.execute(select(Support.kind, Support.target_id, Support.participant_id)
                                   .filter_by(workshop_id=workshop.id))}
    with hotpath.autocommit() as connection:
        for person in present:
            mine = ids[person.index]
            wanted = [(kind, target) for kind, target, author in targets if author != mine
                      and (kind, target, mine) not in given
                      and random.Random(f"ikook:{person.index}:{kind}:{target}").random() < appeal(kind, target)]
            if not wanted or draw_for(workshop, now, person, "ikook", done).random() >= person.pace / 2:
                continue
            who = hotpath.voter(connection, workshop.code, person.token)
            kind, target = wanted[0]
            if who is not None and hotpath.support(connection, who, kind, target):
                done.supported += 1
