"""Where the room stands at one version: the agenda item, card, route, step, ending, phase and pages.

A version names one state of a session for ever, so its situation is worked out once: inside the change
that makes the version (changes.py), or by the first screen of a process that hears of it. The rules of
the server (actions.py) and the console read the same situation, so what the console offers and what
the server accepts cannot drift apart.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

from flask import current_app

from ..content import Dilemma, Library
from ..content.dilemmas import Ending, Step
from ..content.meldroutes import MeldrouteBook
from ..content.routes import Choice, replay
from ..content.stories import Scene
from ..models import Workshop, utcnow
from ..reporting import book_of_session
from . import queries, sheets as sheets_of
from .agenda import WELCOME, AgendaItem, items
from .cache import VersionCache
from .sheets import Sheets
from .vocabulary import AT_STEP, STEP_PHASES, STORY_PHASES, Phase, VoteState


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
        return unix_time(self.started_at) + self.seconds - self.used


def unix_time(moment: datetime | None) -> float | None:
    """A stored (naive UTC) time as a Unix time, which the browsers count down to."""
    return None if moment is None else moment.replace(tzinfo=timezone.utc).timestamp()


@dataclass(frozen=True)
class RoundResult:
    """How the room voted in one round: totals per option (0 is pass), per role where two or more voted."""

    totals: Counter
    by_role: dict[str, Counter]

    @property
    def count(self) -> int:
        return sum(self.totals.values())

    @property
    def majority(self) -> int | None:
        return queries.majority_option(self.totals)


@dataclass(frozen=True)
class Situation:
    """One state of a session, with everything derived from it that a rule or a screen needs."""

    workshop_id: int
    version: int
    agenda: tuple[AgendaItem, ...]
    item_index: int
    item: AgendaItem
    phase: Phase
    vote: VoteState
    round: int
    page: int
    sheets: Sheets  # the projector's pages of this moment (sheets.py)
    card: Dilemma | None = None
    route: tuple[Choice, ...] = ()
    step: Step | None = None
    ending: Ending | None = None
    story_scene: Scene | None = None
    scene_number: int = 1
    scenes: tuple[int, ...] = ()  # the scenes this story item reads, in order
    results: dict[int, RoundResult] = field(default_factory=dict)  # per round, once the result is shown
    marks: Counter = field(default_factory=Counter)  # in a scene: how many marked each sentence
    markers: int = 0  # in a scene: how many participants marked at all
    present: int = 0  # participants not removed
    roles: tuple[tuple[str, int], ...] = ()  # how many present per role
    prompt_index: int = 0
    pieces_shown: bool = False
    speaker: str | None = None
    speaker_id: int | None = None  # the participant chosen to speak (only their own phone is told)
    vote_deadline: float | None = None  # an open vote with a countdown closes then (a Unix time)
    by_support: bool = False  # the question round's answers listed by "ik ook", most first
    timer: Timer = Timer(0, 0.0, None)
    auto_timer: bool = False
    asking: bool = False  # the question round is open
    locked: bool = False
    hall: bool = False
    rehearsal: bool = False  # simulated participants take part (rehearsal.py): every screen says so
    ended: bool = False
    book: MeldrouteBook | None = None  # the reporting routes of the facilitator's organisation

    @property
    def countdown(self) -> float | None:
        """The deadline of the open vote, when it has a countdown."""
        return self.vote_deadline if self.phase == Phase.VOTING else None

    @property
    def at_step(self) -> bool:
        """The room is at a step of a card (situation, vote or result), not at its consequence or ending."""
        return self.step is not None and self.phase in AT_STEP

    @property
    def more_sheets(self) -> bool:
        return self.page < len(self.sheets) - 1

    @property
    def is_last_item(self) -> bool:
        return self.item_index >= len(self.agenda) - 1

    @property
    def next_scene(self) -> int | None:
        """The next scene of the story in this item, or None at its last."""
        return next((number for number in self.scenes if number > self.scene_number), None)

    @property
    def previous_scene(self) -> int | None:
        return next((number for number in reversed(self.scenes) if number < self.scene_number), None)

    @property
    def majority(self) -> int | None:
        """The option most voted for in the result on screen; None without a clear one."""
        return self.results[self.round].majority if self.round in self.results else None

    @property
    def leaves_card_unfinished(self) -> bool:
        """Going forward now would leave the card at a step, before any ending: the facilitator confirms that."""
        return self.at_step

    @property
    def can_go_forward(self) -> bool:
        return (self.phase == Phase.CONSEQUENCE or self.more_sheets or self.next_scene is not None
                or not self.is_last_item)

    @property
    def can_go_back(self) -> bool:
        return bool(self.page or self.previous_scene is not None or (self.card and self.route) or self.item_index)


def phase_of(workshop: Workshop, item: AgendaItem, step: Step | None, ending: Ending | None) -> Phase:
    if workshop.ended_at is not None:
        return Phase.ENDED
    vote = VoteState(workshop.vote)
    if item.is_story:
        return STORY_PHASES.get(vote, Phase.STORY)
    if item.is_card:
        if vote == VoteState.CONSEQUENCE and workshop.route:
            return Phase.CONSEQUENCE
        if step is not None:
            return STEP_PHASES.get(vote, Phase.SITUATION)
        return Phase.ENDING if ending else Phase.WELCOME
    return Phase(item.kind) if item.kind in {phase.value for phase in Phase} else Phase.WELCOME


def scene_of(content: Library, item: AgendaItem, number: int) -> Scene | None:
    """The scene of the story in this agenda item, if it has one with that number."""
    story = content.stories.get(item.ref) if item.is_story else None
    return story.scenes[number - 1] if story is not None and 1 <= number <= len(story.scenes) else None


def situate(workshop: Workshop, content: Library, version: int | None = None) -> Situation:
    """Work out the situation from the session's row: the route is replayed once, each count read once."""
    agenda = tuple(items(workshop.agenda))
    item = agenda[workshop.item] if agenda else WELCOME
    card = content.dilemmas.get(item.ref) if item.is_card else None
    where = replay(card, [(step, option) for step, option in workshop.route]) if card else None
    step = card.steps.get(where.node) if card else None
    ending = card.endings.get(where.node) if card and step is None else None
    phase = phase_of(workshop, item, step, ending)
    results = {}
    if step is not None and phase == Phase.RESULT:
        results = {round_: RoundResult(*queries.tally(workshop.id, workshop.item, step.id, round_))
                   for round_ in range(1, workshop.round + 1)}
    story = content.stories.get(item.ref) if item.is_story else None
    story_scene = scene_of(content, item, workshop.scene)
    scenes = (item.scenes or tuple(range(1, len(story.scenes) + 1))) if story else ()
    marked, markers = queries.marks(workshop.id, workshop.item, workshop.scene) if item.is_story else (Counter(), 0)
    book = book_of_session(workshop)
    sheets: Sheets = ((),)
    if ending is not None and phase == Phase.ENDING:
        sheets = sheets_of.for_ending(card, ending, where.route, book)
    elif story_scene is not None and phase == Phase.SIGNALS:
        sheets = sheets_of.for_signals(story_scene, marked)
    roles = queries.present_by_role(workshop.id)
    return Situation(
        workshop_id=workshop.id, version=workshop.version if version is None else version, agenda=agenda,
        item_index=workshop.item, item=item, phase=phase, vote=VoteState(workshop.vote), round=workshop.round,
        page=workshop.page, sheets=sheets, card=card, route=where.route if where else (), step=step, ending=ending,
        story_scene=story_scene, scene_number=workshop.scene, scenes=scenes, results=results, marks=marked, markers=markers,
        present=sum(n for _, n in roles), roles=tuple(sorted((role, n) for role, n in roles if role)),
        prompt_index=workshop.prompt, pieces_shown=workshop.pieces_shown, speaker=workshop.speaker,
        speaker_id=workshop.speaker_id, vote_deadline=unix_time(workshop.vote_deadline), by_support=workshop.by_support,
        timer=Timer(workshop.timer_seconds, workshop.timer_used, workshop.timer_started_at),
        auto_timer=workshop.auto_timer, asking=workshop.asking, locked=workshop.locked, hall=workshop.hall,
        rehearsal=workshop.rehearsal, ended=workshop.ended_at is not None, book=book)


def situations() -> VersionCache[Situation]:
    return current_app.extensions.setdefault("bril.situations", VersionCache(64))


def situation_of(workshop: Workshop, content: Library) -> Situation:
    """The situation of the version just read, worked out once per process."""
    return situations().get((workshop.id, workshop.version), lambda: situate(workshop, content))


def remember(situation: Situation) -> None:
    """Keep the situation a change worked out, once that change is committed under its version."""
    situations().get((situation.workshop_id, situation.version), lambda: situation)
