"""The room's moment: everything the three screens of a session show at one version, computed once.

A moment is the situation of a version (situation.py: item, card, step, phase, pages, results) plus
what only the screens need: the scene as the room reads it, the prompt, the parking lot, answers and
agreements. The phones, the projector and the console all render from the same `Moment`. It is
computed from the database the first time a version is asked for in a process and then kept (a version
never changes), so a change costs a handful of queries per worker however many screens follow it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from ..content import Library, Meldroute
from ..content.routes import Choice
from ..models import Agreement, ParkingPost, Workshop, db, utcnow
from . import queries, sheets as sheets_of
from .agenda import AgendaItem
from .cache import VersionCache
from .queries import Parked, Posted
from .situation import Situation, scene_of, situation_of
from .vocabulary import Phase


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
class Moment:
    """One state of the room as the screens show it: its situation, and the texts and counts around it.

    Whatever a moment does not hold itself (phase, card, step, route, results, timer, ...) it reads
    from its situation, so `m.phase` in a template is the situation's phase.
    """

    situation: Situation
    code: str
    title: str
    scene: SceneView | None = None
    count: int = 0  # votes or marks at this version (screens.py keeps it moving between versions)
    prompt: Markup | None = None
    pieces: tuple[tuple[str, Markup], ...] = ()  # what each role knows, while it is on the screens
    removed_ids: frozenset[int] = frozenset()
    parking: tuple[Parked, ...] = field(default_factory=tuple)  # the parked questions with their "ik ook"
    answer_count: int = 0  # answers given in this agenda item's question round
    answers: tuple[Posted, ...] = field(default_factory=tuple)  # the answers on the projector now
    agreements: tuple[Agreement, ...] = field(default_factory=tuple)
    started_at: datetime | None = None  # when the session began
    item_started_at: datetime | None = None  # when the current agenda item began
    extra_marked: tuple[tuple[Markup, int], ...] = ()  # marked sentences that are no signal, most marked first
    meldroutes: tuple[Meldroute, ...] = field(default_factory=tuple)  # the card's routes (Wie is hiervan?)
    origin: str = ""  # whose the card or story played is, when it comes from the shared library
    built_at: float = field(default_factory=time.time, compare=False)

    def __getattr__(self, name: str):
        if name == "situation":  # not set yet: never look it up in itself
            raise AttributeError(name)
        return getattr(self.situation, name)

    @property
    def workshop_id(self) -> int:
        return self.situation.workshop_id

    @property
    def sheet(self) -> tuple[str, ...]:
        """The blocks on the projector's current page."""
        return self.sheets[min(self.page, len(self.sheets) - 1)]

    @property
    def extra_on_screen(self) -> tuple[tuple[Markup, int], ...]:
        """The marked sentences that are no signal which the projector lists: the most marked."""
        return self.extra_marked[:sheets_of.EXTRA_SENTENCES]

    @property
    def choice(self) -> Choice | None:
        """The last option the group followed: what the room sees in the `gevolg` phase."""
        return self.route[-1] if self.route else None

    @property
    def voting(self) -> bool:
        """A vote is possible at this moment."""
        return self.phase == Phase.VOTING

    def pieces_for(self, role: str | None) -> tuple[tuple[str, Markup], ...]:
        return tuple((r, piece) for r, piece in self.pieces if r == role)

    def minutes_on_item(self, now: datetime | None = None) -> int:
        """Minutes spent on the current agenda item so far."""
        if self.item_started_at is None:
            return 0
        return int(((now or utcnow()) - self.item_started_at).total_seconds() // 60)

    def minutes_behind(self, now: datetime | None = None) -> int:
        """How far the session runs behind its plan (negative: ahead), counted up to where it is now.

        By the plan the room should have spent, by now, the planned minutes of the items it finished and,
        on the current item, the minutes spent there up to that item's own plan: an item that runs over
        puts the session behind, an item started early puts it ahead, and an item in progress on time
        changes nothing (counting to the end of the current item said "78 minuten voor" two minutes in)."""
        if self.started_at is None:
            return 0
        now = now or utcnow()
        done = sum(item.minutes for item in self.agenda[:self.item_index])
        on_item = (now - self.item_started_at).total_seconds() / 60 if self.item_started_at else 0.0
        expected = done + min(on_item, self.item.minutes)
        spent = (now - self.started_at).total_seconds() / 60
        return int(round(spent - expected))


def compute(workshop: Workshop, content: Library) -> Moment:
    """Read the room from the database: the situation once per version, each other table once."""
    now = situation_of(workshop, content)
    posts = db.session.scalars(select(ParkingPost).filter_by(workshop_id=workshop.id).order_by(ParkingPost.id)).all()
    # Only what the screens show: a hall of three thousand answers must not make every moment that big.
    supports = queries.support_counts(workshop.id)
    given = queries.recent_answers(workshop.id, workshop.item, shown_only=True, by_support=workshop.by_support)
    agreements = tuple(db.session.scalars(select(Agreement).filter_by(workshop_id=workshop.id)
                                          .order_by(Agreement.id)))
    for agreement in agreements:
        db.session.expunge(agreement)
    prompts = now.step.prompts if now.step else ()
    return Moment(
        situation=now, code=workshop.code, title=workshop.title, scene=scene_view(content, now.item, workshop.scene),
        count=answers(now), prompt=prompts[workshop.prompt % len(prompts)] if prompts else None,
        pieces=now.step.pieces if now.step and now.pieces_shown else (),
        removed_ids=queries.removed_ids(workshop.id),
        parking=tuple(Parked(p.id, p.text, p.by_facilitator, p.answered, supports[("parkeer", p.id)]) for p in posts),
        answer_count=queries.answer_count(workshop.id, workshop.item), answers=given, agreements=agreements,
        started_at=workshop.created_at, item_started_at=workshop.item_started_at,
        extra_marked=sheets_of.extra_marked(now.story_scene, now.marks) if now.story_scene else (),
        meldroutes=tuple(now.book.routes[key] for key in now.card.meldroutes if key in now.book.routes)
        if now.card else (), origin=now.item.origin_in(content))


def answers(now: Situation) -> int:
    """How many answered now: participants who marked sentences in a scene, or votes at a step."""
    return queries.answered(now.workshop_id, now.item_index, now.scene_number if now.item.is_story else None,
                            now.step.id if now.step else None, now.round)


def answers_now(moment: Moment) -> int:
    """The live count for the projector and console: it changes without a new version."""
    return answers(moment.situation)


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
