"""How a card's or a story's figures change per quarter: this organisation beside all organisations.

A card's trend is how many people chose at its first step each quarter (votes in sessions and walks alone
together). The figures over the whole span and the trend come from one count, grouped by quarter in the
database. A story's trend is the share of its signals seen each quarter, beside how many people marked its
first scene. The counts of people form one table of two rows (this organisation, the others) by the quarters
shown plus one cell for the rest of the period, suppressed like every table here; a quarter whose count is
hidden shows no share either, so a share never rests on fewer than five people.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content import Dilemma
from ..content.stories import Story
from .figures import OTHERS, OURS, REST, Period, StepFigures, card_counts, card_figures, trend_periods
from .signals import Marks, SceneSignals, story_marks, story_signals
from .suppression import Figure, suppress


@dataclass(frozen=True)
class Trend:
    """Per quarter, oldest first: people (ours, everyone) and, for a story, the share of signals seen."""

    periods: tuple[Period, ...]
    ours: tuple[Figure, ...]
    everyone: tuple[Figure, ...]
    our_share: tuple[float | None, ...]
    everyone_share: tuple[float | None, ...]
    measure: str

    @property
    def empty(self) -> bool:
        return not any(figure.value for figure in self.everyone)


def card_insight(organisation_id: int, card: Dilemma, span: Period, role: str = "") -> tuple[list[StepFigures], Trend]:
    """The card's figures over the span and per quarter, from one count of the votes and walks."""
    periods = trend_periods(span)
    votes, walked = card_counts(card, span, role, periods)
    first_step = next(iter(card.steps))
    counts: dict[tuple[int, int], int] = {}
    for (step, org, _, quarter), n in (*votes.items(), *walked.items()):
        if step == first_step:
            key = (quarter, OURS if org == organisation_id else OTHERS)
            counts[key] = counts.get(key, 0) + n
    steps = card_figures(organisation_id, card, span, role, (votes, walked))
    ours, everyone = people(counts, periods, steps[0].teams, steps[0].alone)
    trend = Trend(tuple(periods), ours, everyone, (None,) * len(periods), (None,) * len(periods),
                  "mensen die bij de eerste stap kozen")
    return steps, trend


def story_insight(organisation_id: int, story: Story, span: Period,
                  role: str = "") -> tuple[list[SceneSignals], Trend]:
    """The story's signals over the span and per quarter, from one count of the marks."""
    periods = trend_periods(span)
    marks = story_marks(story, span, role, periods)
    scenes = story_signals(organisation_id, story, span, role, marks)
    return scenes, story_trend(organisation_id, story, periods, marks, scenes[0])


def story_trend(organisation_id: int, story: Story, periods: list[Period], marks: tuple[Marks, Marks],
                first_scene: SceneSignals) -> Trend:
    """People who marked the first scene per quarter, and the share of all signals seen by those who marked."""
    signals = {scene.number: len(scene.signals) for scene in story.scenes}
    first = story.scenes[0].number
    totals: dict[tuple[int, int], list[int]] = {}  # (quarter, side) -> [people, seen, chances]
    for found in marks:
        for (scene, org, quarter), (count, picked) in found.items():
            row = totals.setdefault((quarter, OURS if org == organisation_id else OTHERS), [0, 0, 0])
            row[0] += count if scene == first else 0
            row[1] += sum(picked.values())
            row[2] += count * signals.get(scene, 0)
    ours, everyone = people({key: row[0] for key, row in totals.items()}, periods, first_scene.teams,
                            first_scene.alone)

    def share(index: int, sides: tuple[int, ...], figure: Figure) -> float | None:
        seen = sum(totals.get((index, side), [0, 0, 0])[1] for side in sides)
        chances = sum(totals.get((index, side), [0, 0, 0])[2] for side in sides)
        return seen / chances if figure.value and chances else None

    return Trend(tuple(periods), ours, everyone,
                 tuple(share(i, (OURS,), f) for i, f in enumerate(ours)),
                 tuple(share(i, (OURS, OTHERS), f) for i, f in enumerate(everyone)), "signalen gezien")


def people(counts: dict[tuple[int, int], int], periods: list[Period], *tables) -> tuple[tuple[Figure, ...],
                                                                                     tuple[Figure, ...]]:
    """Ours and everyone's per quarter, suppressed as one table with the rest of the span as a last column.

    The quarters add up to the people counted in `tables` (in sessions and alone, each with `our_total` and
    `total`) over the span. Where those pages hide a total, the reader cannot know this table's total either,
    so it is hidden here from the start: else the quarters shown would add up to it and give it away."""
    hidden = set()
    if not all(table.our_total.shown for table in tables):
        hidden.add(("rij", OURS))
    if not all(table.total.shown for table in tables):
        hidden.add(("totaal",))
    if hidden:  # the others are everyone minus us
        hidden.add(("rij", OTHERS))
    columns = [*range(len(periods)), REST]
    table = suppress([[counts.get((quarter, side), 0) for quarter in columns] for side in (OURS, OTHERS)],
                     hidden_totals=frozenset(hidden))
    return table.cells[OURS][:-1], table.column_totals[:-1]
