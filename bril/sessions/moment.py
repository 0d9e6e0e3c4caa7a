"""The room's moment: everything the three screens of a session show at one version, computed once.

The phones, the projector and the console all render from the same `Moment`. It is computed from the
database the first time a version is asked for in a process and then kept (a version never changes),
so a change costs a handful of queries per worker however many screens follow it.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from flask import current_app
from markupsafe import Markup
from sqlalchemy import func, select

from ..content import Dilemma, Library, Meldroute
from ..content.dilemmas import Choice, Ending, Step
from ..content.stories import Scene
from ..reporting import book_of_session
from ..models import Agreement, Answer, ParkingPost, Participant, SceneMark, Support, Workshop, db, utcnow
from . import sheets as sheets_of
from .agenda import AgendaItem, items
from .cache import VersionCache
from .changes import CONSEQUENCE, current_item, marks, position, tally, vote_count
from .sheets import Sheets


@dataclass(frozen=True)
class RoundResult:
    """How the room voted in one round: totals per option (0 is pass), per role where two or more voted."""

    totals: Counter
    by_role: dict[str, Counter]

    @property
    def count(self) -> int:
        return sum(self.totals.values())


@dataclass(frozen=True)
class SceneView:
    """A scene of a story as the room reads it, with its signals for the facilitator."""

    story: str
    number: int
    of: int
    title: str
    html: Markup
    signals: tuple[tuple[Markup, Markup], ...]
    paragraphs: tuple[tuple[tuple[str, Markup], ...], ...] = ()  # (passage key, sentence) per paragraph
    signal_keys: tuple[str, ...] = ()  # the passages that are real signals, in order

    def is_signal(self, key: str) -> bool:
        return key in self.signal_keys


@dataclass(frozen=True)
class Timer:
    """The clock of the current agenda item."""

    seconds: int
    used: float
    started_at: datetime | None

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def remaining(self, now: datetime | None = None) -> int:
        used = self.used
        if self.started_at is not None:
            used += ((now or utcnow()) - self.started_at).total_seconds()
        return int(round(self.seconds - used))

    @property
    def deadline(self) -> float | None:
        """When a running timer reaches zero, as a Unix time (the browser counts down to it)."""
        if self.started_at is None:
            return None
        started = self.started_at.replace(tzinfo=timezone.utc).timestamp()
        return started + self.seconds - self.used


@dataclass(frozen=True)
class Posted:
    """An anonymous text in the room (an answer, a parked question) and how many said "ik ook"."""

    id: int
    text: str
    shown: bool
    supports: int


@dataclass(frozen=True)
class ParticipantView:
    """A participant as the console lists them."""

    id: int
    nickname: str
    role: str | None
    removed: bool


ROSTER_SIZE = 50


def support_counts(workshop_id: int) -> Counter:
    """How many said "ik ook", per (kind, answer or parked question), counted by the database."""
    return Counter({(kind, target): n for kind, target, n in db.session.execute(
        select(Support.kind, Support.target_id, func.count()).filter_by(workshop_id=workshop_id)
        .group_by(Support.kind, Support.target_id))})


def recent_answers(workshop_id: int, item: int, size: int = ROSTER_SIZE, shown_only: bool = False) -> tuple[Posted, ...]:
    """The latest answers of the question round (for the console), or those on the projector, with "ik ook"."""
    supports = support_counts(workshop_id)
    query = select(Answer).filter_by(workshop_id=workshop_id, item=item)
    if shown_only:
        query = query.filter_by(shown=True)
    rows = db.session.scalars(query.order_by(Answer.id.desc()).limit(size)).all()
    return tuple(Posted(a.id, a.text, a.shown, supports[("antwoord", a.id)]) for a in reversed(rows))


def answer_count(workshop_id: int, item: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer).filter_by(workshop_id=workshop_id,
                                                                                item=item)) or 0


def roster(workshop_id: int, size: int = ROSTER_SIZE) -> tuple[ParticipantView, ...]:
    """The most recent participants (removed ones first, so they can be let back in), for the console."""
    rows = db.session.execute(select(Participant.id, Participant.nickname, Participant.role, Participant.removed)
                              .filter_by(workshop_id=workshop_id)
                              .order_by(Participant.removed.desc(), Participant.id.desc()).limit(size)).all()
    return tuple(ParticipantView(*row) for row in rows)


@dataclass(frozen=True)
class Moment:
    """One state of the room: agenda item, card, step, phase, results, counts, pieces, speaker, timer."""

    workshop_id: int
    code: str
    title: str
    version: int
    item_index: int
    agenda: tuple[AgendaItem, ...]
    item: AgendaItem
    # welkom, verhaal, markeringen, signalen, situatie, stemmen, gesloten, uitslag, gevolg, einde, afsluiting,
    # afspraken or afgelopen
    phase: str
    card: Dilemma | None
    step: Step | None
    ending: Ending | None
    route: tuple[Choice, ...]
    scene: SceneView | None
    vote: str
    round: int
    results: dict[int, RoundResult]
    count: int
    prompt: Markup | None
    pieces_shown: bool
    pieces: tuple[tuple[str, Markup], ...]
    speaker: str | None
    timer: Timer
    locked: bool
    ended: bool
    present: int = 0  # participants not removed
    roles: tuple[tuple[str, int], ...] = field(default_factory=tuple)  # how many present per role
    removed_ids: frozenset[int] = frozenset()
    parking: tuple[tuple[str, bool], ...] = field(default_factory=tuple)
    parked: tuple[Posted, ...] = field(default_factory=tuple)  # the parked questions with their "ik ook"
    asking: bool = False  # the question round is open
    answer_count: int = 0  # answers given in this agenda item's question round
    hall: bool = False  # a large hall: joining without a nickname
    answers: tuple[Posted, ...] = field(default_factory=tuple)  # the answers on the projector now
    agreements: tuple[Agreement, ...] = field(default_factory=tuple)
    started_at: datetime | None = None  # when the session began
    item_started_at: datetime | None = None  # when the current agenda item began
    auto_timer: bool = False
    page: int = 0  # which page of a long moment (the ending, the signals) is on the projector
    sheets: Sheets = ((),)  # the projector's pages of this moment: names of the blocks on each (sheets.py)
    extra_marked: tuple[tuple[Markup, int], ...] = ()  # marked sentences that are no signal, most marked first
    marks: Counter = field(default_factory=Counter)  # in a scene: how many marked each sentence
    markers: int = 0  # in a scene: how many participants marked at all
    meldroutes: tuple[Meldroute, ...] = field(default_factory=tuple)  # the card's routes (Wie is hiervan?)
    built_at: float = field(default_factory=time.time, compare=False)

    @property
    def sheet(self) -> tuple[str, ...]:
        """The blocks on the projector's current page."""
        return self.sheets[min(self.page, len(self.sheets) - 1)]

    @property
    def extra_on_screen(self) -> tuple[tuple[Markup, int], ...]:
        """The marked sentences that are no signal which the projector lists: the most marked."""
        return self.extra_marked[:sheets_of.EXTRA_SENTENCES]

    @property
    def more_sheets(self) -> bool:
        return self.page < len(self.sheets) - 1

    @property
    def choice(self) -> Choice | None:
        """The last option the group followed: what the room sees in the `gevolg` phase."""
        return self.route[-1] if self.route else None

    @property
    def at_step(self) -> bool:
        """The room is at a step of a card (situation, vote or result), not at its consequence or ending."""
        return self.step is not None and self.phase in STEP_PHASES.values()

    @property
    def voting(self) -> bool:
        """A vote is possible at this moment."""
        return self.step is not None and self.vote == "open" and not self.ended

    def pieces_for(self, role: str | None) -> tuple[tuple[str, Markup], ...]:
        return tuple((r, piece) for r, piece in self.pieces if r == role)

    @property
    def is_last_item(self) -> bool:
        return self.item_index >= len(self.agenda) - 1

    def minutes_on_item(self, now: datetime | None = None) -> int:
        """Minutes spent on the current agenda item so far."""
        if self.item_started_at is None:
            return 0
        return int(((now or utcnow()) - self.item_started_at).total_seconds() // 60)

    def minutes_behind(self, now: datetime | None = None) -> int:
        """How far the session runs behind its plan (negative: ahead), counting to the end of this item."""
        if self.started_at is None:
            return 0
        planned = sum(item.minutes for item in self.agenda[:self.item_index + 1])
        spent = ((now or utcnow()) - self.started_at).total_seconds() / 60
        return int(spent - planned)


def compute(workshop: Workshop, content: Library) -> Moment:
    """Read the room from the database: the route is replayed once, each table read once."""
    item = current_item(workshop)
    card = content.dilemmas.get(item.ref) if item.is_card else None
    where = position(workshop, content)
    step = card.steps.get(where.node) if card else None
    ending = card.endings.get(where.node) if card and step is None else None
    results = {}
    if step is not None and workshop.vote == "onthuld":
        for round_ in range(1, workshop.round + 1):
            results[round_] = RoundResult(*tally(workshop.id, workshop.item, step.id, round_))
    prompts = step.prompts if step else ()
    # Counts, not the list: a hall of three thousand would make every moment as big as the hall.
    roles = db.session.execute(select(Participant.role, func.count()).filter_by(workshop_id=workshop.id, removed=False)
                               .group_by(Participant.role)).all()
    removed = frozenset(db.session.scalars(select(Participant.id).filter_by(workshop_id=workshop.id, removed=True)))
    posts = db.session.scalars(select(ParkingPost).filter_by(workshop_id=workshop.id).order_by(ParkingPost.id)).all()
    parking = tuple((p.text, p.by_facilitator) for p in posts)
    # Only what the screens show: a hall of three thousand answers must not make every moment that big.
    supports = support_counts(workshop.id)
    given = tuple(Posted(a.id, a.text, a.shown, supports[("antwoord", a.id)]) for a in db.session.scalars(
        select(Answer).filter_by(workshop_id=workshop.id, item=workshop.item, shown=True).order_by(Answer.id)))
    answers_given = answer_count(workshop.id, workshop.item)
    marked, markers = marks(workshop.id, workshop.item, workshop.scene) if item.is_story else (Counter(), 0)
    story_scene = scene_of(content, item, workshop.scene)
    extra = sheets_of.extra_marked(story_scene, marked) if story_scene else ()
    book = book_of_session(workshop)
    sheets = (sheets_of.for_ending(card, ending, where.route, book) if ending is not None and card else
              sheets_of.for_signals(story_scene, marked) if story_scene and workshop.vote == "onthuld" else ((),))
    agreements = tuple(db.session.scalars(select(Agreement).filter_by(workshop_id=workshop.id)
                                          .order_by(Agreement.id)))
    for agreement in agreements:
        db.session.expunge(agreement)
    return Moment(
        workshop_id=workshop.id, code=workshop.code, title=workshop.title, version=workshop.version,
        item_index=workshop.item, agenda=tuple(items(workshop.agenda)), item=item,
        phase=phase_of(workshop, item, step, ending), card=card, step=step, ending=ending,
        route=where.route if where else (), scene=scene_view(content, item, workshop.scene),
        vote=workshop.vote, round=workshop.round, results=results,
        count=answers(workshop.id, workshop.item, item.is_story and workshop.scene, step.id if step else None,
                      workshop.round),
        prompt=prompts[workshop.prompt % len(prompts)] if prompts else None, pieces_shown=workshop.pieces_shown,
        pieces=step.pieces if step and workshop.pieces_shown else (), speaker=workshop.speaker,
        timer=Timer(workshop.timer_seconds, workshop.timer_used, workshop.timer_started_at),
        locked=workshop.locked, ended=workshop.ended_at is not None, present=sum(n for _, n in roles),
        roles=tuple(sorted((role, n) for role, n in roles if role)), removed_ids=removed, parking=parking,
        agreements=agreements, started_at=workshop.created_at, item_started_at=workshop.item_started_at,
        auto_timer=workshop.auto_timer, page=workshop.page, asking=workshop.asking, hall=workshop.hall, answers=given,
        answer_count=answers_given,
        parked=tuple(Posted(p.id, p.text, True, supports[("parkeer", p.id)]) for p in posts),
        marks=marked, markers=markers, sheets=sheets, extra_marked=extra,
        meldroutes=tuple(book.routes[key] for key in card.meldroutes if key in book.routes) if card else ())


STEP_PHASES = {"dicht": "situatie", "open": "stemmen", "gesloten": "gesloten", "onthuld": "uitslag"}


STORY_PHASES = {"dicht": "verhaal", "gesloten": "markeringen", "onthuld": "signalen"}


def answers(workshop_id: int, item: int, scene: int | bool, step: str | None, round_: int) -> int:
    """How many answered now: participants who marked sentences in a scene, or votes at a step."""
    if scene:
        return db.session.scalar(select(func.count()).select_from(SceneMark).filter_by(
            workshop_id=workshop_id, item=item, scene=scene)) or 0
    return vote_count(workshop_id, item, step, round_)


def answers_now(moment: Moment) -> int:
    """The live count for the projector and console: it changes without a new version."""
    return answers(moment.workshop_id, moment.item_index, moment.item.is_story and moment.scene and moment.scene.number,
                   moment.step.id if moment.step else None, moment.round)


def phase_of(workshop: Workshop, item: AgendaItem, step: Step | None, ending: Ending | None) -> str:
    """What the room is doing now, in one word."""
    if workshop.ended_at is not None:
        return "afgelopen"
    if item.is_story:
        return STORY_PHASES.get(workshop.vote, "verhaal")
    if item.is_card:
        if workshop.vote == CONSEQUENCE and workshop.route:
            return "gevolg"
        if step is not None:
            return STEP_PHASES.get(workshop.vote, "situatie")
        return "einde" if ending else "welkom"
    return item.kind


def scene_of(content: Library, item: AgendaItem, number: int) -> Scene | None:
    """The scene of the story in this agenda item, if it has one with that number."""
    story = content.stories.get(item.ref) if item.is_story else None
    return story.scenes[number - 1] if story is not None and 1 <= number <= len(story.scenes) else None


def scene_view(content: Library, item: AgendaItem, number: int) -> SceneView | None:
    scene = scene_of(content, item, number)
    if scene is None:
        return None
    story = content.stories[item.ref]
    prose = Markup("").join(Markup("<p>") + Markup(" ").join(p.html for p in paragraph) + Markup("</p>")
                            for paragraph in scene.paragraphs)
    passages = {p.key: p.html for p in scene.passages}
    return SceneView(story.title, number, len(story.scenes), scene.title, prose,
                     tuple((Markup(passages[s.passage]), Markup(s.explanation)) for s in scene.signals),
                     tuple(tuple((p.key, p.html) for p in paragraph) for paragraph in scene.paragraphs),
                     tuple(s.passage for s in scene.signals))


def moments() -> VersionCache[Moment]:
    return current_app.extensions.setdefault("bril.moments", VersionCache(64))


def moment_for(workshop: Workshop, content: Library) -> Moment:
    """The moment of the version just read, computed once per process."""
    return moments().get((workshop.id, workshop.version), lambda: compute(workshop, content))


def moment_at(workshop_id: int, version: int, content: Library) -> Moment:
    """The moment of a version named elsewhere (a vote's query, a broker message), read once per process.

    When a thousand streams hear of the same version at once, one reads the database and the others
    wait for its result. When the session has moved on meanwhile, the newer moment is returned, and it
    is kept only under its own version.
    """
    def build() -> Moment:
        workshop = db.session.get(Workshop, workshop_id)
        if workshop.version == version:
            return compute(workshop, content)
        return moment_for(workshop, content)

    return moments().get((workshop_id, version), build, keep=lambda moment: moment.version == version)
