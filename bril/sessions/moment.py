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

from ..content import Dilemma, Library
from ..content.dilemmas import Choice, Ending, Step
from ..models import Agreement, ParkingPost, Participant, Workshop, db, utcnow
from .agenda import AgendaItem, items
from .cache import VersionCache
from .changes import current_item, position, tally, vote_count


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
class ParticipantView:
    """A participant as the console lists them."""

    id: int
    nickname: str
    role: str | None
    removed: bool


ROSTER_SIZE = 50


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
    phase: str  # welkom, verhaal, stap, einde, afsluiting, afspraken or afgelopen
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
    agreements: tuple[Agreement, ...] = field(default_factory=tuple)
    built_at: float = field(default_factory=time.time, compare=False)

    @property
    def voting(self) -> bool:
        """A vote is possible at this moment."""
        return self.step is not None and self.vote == "open" and not self.ended

    def pieces_for(self, role: str | None) -> tuple[tuple[str, Markup], ...]:
        return tuple((r, piece) for r, piece in self.pieces if r == role)


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
    parking = tuple((p.text, p.by_facilitator) for p in db.session.scalars(
        select(ParkingPost).filter_by(workshop_id=workshop.id).order_by(ParkingPost.id)))
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
        count=vote_count(workshop.id, workshop.item, step.id if step else None, workshop.round),
        prompt=prompts[workshop.prompt % len(prompts)] if prompts else None, pieces_shown=workshop.pieces_shown,
        pieces=step.pieces if step and workshop.pieces_shown else (), speaker=workshop.speaker,
        timer=Timer(workshop.timer_seconds, workshop.timer_used, workshop.timer_started_at),
        locked=workshop.locked, ended=workshop.ended_at is not None, present=sum(n for _, n in roles),
        roles=tuple(sorted((role, n) for role, n in roles if role)), removed_ids=removed, parking=parking,
        agreements=agreements)


def phase_of(workshop: Workshop, item: AgendaItem, step: Step | None, ending: Ending | None) -> str:
    if workshop.ended_at is not None:
        return "afgelopen"
    if item.is_card:
        return "stap" if step else "einde" if ending else "welkom"
    return item.kind


def scene_view(content: Library, item: AgendaItem, number: int) -> SceneView | None:
    story = content.stories.get(item.ref) if item.is_story else None
    if story is None or not 1 <= number <= len(story.scenes):
        return None
    scene = story.scenes[number - 1]
    prose = Markup("").join(Markup("<p>") + Markup(" ").join(p.html for p in paragraph) + Markup("</p>")
                            for paragraph in scene.paragraphs)
    passages = {p.key: p.html for p in scene.passages}
    return SceneView(story.title, number, len(story.scenes), scene.title, prose,
                     tuple((Markup(passages[s.passage]), Markup(s.explanation)) for s in scene.signals))


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
