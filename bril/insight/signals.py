"""Which signals of a story an organisation's people saw and which they missed, alone and in sessions.

Alone, a reader's marks in a scene are a `SceneAnswer` (the passages they picked); in a session, a
participant's marks are a `SceneMark` on the session's agenda item of the story. Whoever marked a scene
saw a signal when its sentence is among their marks, and missed it otherwise. Each signal is a table of
two rows (this organisation, the others) by two columns (seen, missed), suppressed like every table here.
The people who marked the scene are the same in every signal's table, so a total hidden in one is hidden
in all of them: else another signal's table would give it back.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import and_, case, func, literal, select, tuple_, union_all

from ..content.stories import Scene, Story
from ..models import Participant, SceneAnswer, SceneMark, User, Workshop, db
from .figures import OTHERS, OURS, Comparison, Period, agenda_items, in_period, quarter_of
from .jsonsql import as_text, on_postgresql
from .suppression import Figure, Table, suppress


@dataclass(frozen=True)
class SignalFigures(Comparison):
    """A scene's signals, seen and missed, ours beside everyone's; `ours`/`everyone` are the seen counts, so that
    the chart draws the share of people who saw each signal (charts.comparison_svg) as for a step's options."""

    ours_missed: tuple[Figure, ...] = ()
    everyone_missed: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class SceneSignals:
    number: int
    title: str
    alone: SignalFigures
    teams: SignalFigures


# Per scene, organisation and quarter: how many marked it, and per passage key how many picked it.
Marks = dict[tuple[int, int | None, int], tuple[int, Counter]]


def story_signals(organisation_id: int, story: Story, period: Period, role: str = "",
                  marks: tuple[Marks, Marks] | None = None) -> list[SceneSignals]:
    """Per scene: its signals seen and missed. With a role: only participants in that role (alone is empty).
    `marks` (alone, in sessions) from `story_marks`, when the caller has them already."""
    alone, teams = marks or story_marks(story, period, role)
    return [SceneSignals(scene.number, scene.title, figures_of(scene, alone, organisation_id),
                         figures_of(scene, teams, organisation_id)) for scene in story.scenes]


def story_marks(story: Story, period: Period, role: str = "", periods: list[Period] = (),
                in_sessions: bool = True) -> tuple[Marks, Marks]:
    """The marks alone and in sessions per scene, organisation and quarter of `periods` (`in_sessions` False:
    the caller knows no counted session read the story)."""
    signals = {scene.number: [signal.passage for signal in scene.signals] for scene in story.scenes}
    alone = marks_alone(story.slug, signals, period, periods) if not role else {}
    return alone, marks_in_sessions(story.slug, signals, period, role, periods) if in_sessions else {}


def marks_alone(story: str, signals: dict[int, list[str]], period: Period, periods: list[Period] = ()) -> Marks:
    def scene_query(number: int | None, picks: list, *by):
        """The answers of one scene, or (None) of every scene grouped by scene (and by `by`)."""
        return (select((SceneAnswer.scene if number is None else literal(number)).label("scene"),
                       User.organisation_id.label("org"), quarter_of(SceneAnswer.answered_at, periods),
                       func.count().label("people"), *picks)
                .select_from(SceneAnswer).join(User, User.id == SceneAnswer.user_id)
                .where(SceneAnswer.story == story, *([SceneAnswer.scene == number] if number is not None else []),
                       *in_period(SceneAnswer.answered_at, period))
                .group_by(*([SceneAnswer.scene] if number is None else []), "org", "quarter", *by))
    if on_postgresql():
        return counted_at_once(scene_query, as_text(SceneAnswer.chosen), signals)
    return counted(scene_query, as_text(SceneAnswer.chosen), signals)


def marks_in_sessions(story: str, signals: dict[int, list[str]], period: Period, role: str = "",
                      periods: list[Period] = ()) -> Marks:
    items = agenda_items("verhaal", story, period)
    if on_postgresql():
        # The marks in the story's agenda items as a semi-join, the organisation and quarter from their session: joined
        # with the items, PostgreSQL expected a few hundred rows of 70,000 and sorted them (three times as slow).
        org, created = User.organisation_id, Workshop.created_at

        def marks_in_items(query):
            return (query.select_from(SceneMark).join(Workshop, Workshop.id == SceneMark.workshop_id)
                    .join(User, User.id == Workshop.owner_id)
                    .where(tuple_(SceneMark.workshop_id, SceneMark.item).in_(select(items.c.workshop_id, items.c.item))))
    else:
        org, created = items.c.org, items.c.created_at

        def marks_in_items(query):
            return query.select_from(SceneMark).join(
                items, and_(items.c.workshop_id == SceneMark.workshop_id, items.c.item == SceneMark.item))

    def scene_query(number: int | None, picks: list, *by):
        """The marks of one scene, or (None) of every scene grouped by scene (and by `by`)."""
        query = marks_in_items(select((SceneMark.scene if number is None else literal(number)).label("scene"),
                                      org.label("org"), quarter_of(created, periods), func.count().label("people"),
                                      *picks)).where(*([SceneMark.scene == number] if number is not None else []))
        if role:
            query = query.join(Participant, Participant.id == SceneMark.participant_id).where(Participant.role == role)
        return query.group_by(*([SceneMark.scene] if number is None else []), "org", "quarter", *by)
    if on_postgresql():  # one pass for all scenes: a pass per scene would hash all marks again for each
        return counted_at_once(scene_query, as_text(SceneMark.passages), signals)
    return counted(scene_query, as_text(SceneMark.passages), signals)


def counted(scene_query, picked, signals: dict[int, list[str]]) -> Marks:
    """Per scene: how many marked it and how many picked each of its signals, in one statement of one select per
    scene (UNION ALL), so that each list of marks is searched for its own scene's signals only (a third of the work of
    asking every list about every signal, on SQLite). A list is JSON text like `["2", "5"]`: a key in quotes is that
    key only (keys are numbers, so they hold no wildcard). Scenes with fewer signals fill their row up with zeros."""
    width = max(map(len, signals.values()), default=0)
    selects = [scene_query(number, [func.sum(case((picked.like(f'%"{key}"%'), 1), else_=0)) for key in keys]
                           + [literal(0)] * (width - len(keys))) for number, keys in signals.items()]
    if not selects:
        return {}
    return {(scene, org, quarter): (people, Counter({key: int(n or 0) for key, n in zip(signals[scene], sums)}))
            for scene, org, quarter, people, *sums in db.session.execute(union_all(*selects))}


def counted_at_once(scene_query, picked, signals: dict[int, list[str]]) -> Marks:
    """The same counts from one select over every scene (PostgreSQL). It first counts the people per distinct list of
    marks, by hashing: people pick a few of a scene's sentences, so the lists repeat and are far fewer than the
    marks. Then it searches each distinct list once for each signal of its scene, and adds up its people."""
    lists = scene_query(None, [picked.label("marks")], picked).subquery()
    keys = [(number, key) for number, found in signals.items() for key in found]
    picks = [func.sum(case((and_(lists.c.scene == number, lists.c.marks.like(f'%"{key}"%')), lists.c.people),
                           else_=0)) for number, key in keys]
    query = (select(lists.c.scene, lists.c.org, lists.c.quarter, func.sum(lists.c.people), *picks)
             .group_by(lists.c.scene, lists.c.org, lists.c.quarter))
    return {(number, org, quarter): (int(people), Counter({key: int(n or 0) for (of, key), n in zip(keys, sums)
                                                           if of == number}))
            for number, org, quarter, people, *sums in db.session.execute(query)}


def figures_of(scene: Scene, marks: Marks, organisation_id: int) -> SignalFigures:
    people, seen = [0, 0], [Counter(), Counter()]
    for (number, org, _), (count, picked) in marks.items():
        if number == scene.number:
            side = OURS if org == organisation_id else OTHERS
            people[side] += count
            seen[side].update(picked)
    tables = suppressed_alike([[[seen[OURS][signal.passage], people[OURS] - seen[OURS][signal.passage]],
                                [seen[OTHERS][signal.passage], people[OTHERS] - seen[OTHERS][signal.passage]]]
                               for signal in scene.signals])
    sentences = {passage.key: Markup(passage.html).striptags() for passage in scene.passages}
    return SignalFigures(
        labels=tuple(sentences[signal.passage] for signal in scene.signals),
        ours=tuple(t.cells[OURS][0] for t in tables), everyone=tuple(t.column_totals[0] for t in tables),
        ours_missed=tuple(t.cells[OURS][1] for t in tables), everyone_missed=tuple(t.column_totals[1] for t in tables),
        our_total=tables[0].row_totals[OURS] if tables else Figure(people[OURS]),
        total=tables[0].total if tables else Figure(sum(people)))


def suppressed_alike(grids: list[list[list[int]]]) -> list[Table]:
    """Suppress each signal's table so that all hide the same row totals and total (the same people): when one
    hides a total, all are suppressed again with it hidden, until they agree."""
    hidden: frozenset = frozenset()
    while True:
        tables = [suppress(grid, hidden_totals=hidden) for grid in grids]
        found = frozenset(name for table in tables for name in hidden_totals_of(table))
        if found == hidden:
            return tables
        hidden = found


def hidden_totals_of(table: Table) -> set[tuple]:
    names = {("rij", r) for r, figure in enumerate(table.row_totals) if not figure.shown}
    return names | ({("totaal",)} if not table.total.shown else set())
