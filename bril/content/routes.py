"""A walk through a card: the decisions taken, replayed against the card, so the card stays the source of truth.

Self-study walks, live sessions and reports all keep a route as (step id, option number) pairs and
read it back through `replay`.
"""
from __future__ import annotations

from dataclasses import dataclass

from .dilemmas import Dilemma, Option, Step


@dataclass(frozen=True)
class Choice:
    """One decision on a route: the step and the option taken there."""

    step: Step
    option: Option


@dataclass(frozen=True)
class Position:
    """Where a walk through a card stands after a list of decisions."""

    route: tuple[Choice, ...]
    node: str

    @property
    def last(self) -> Choice | None:
        return self.route[-1] if self.route else None


def replay(dilemma: Dilemma, decisions: list[tuple[str, int]]) -> Position:
    """Follow (step id, option number) decisions from the start; stop at the first that no longer fits.

    Cards can change after a walk began; a decision that no longer matches the card ends the replay
    there, so a walker simply continues from the last valid point.
    """
    node = dilemma.start
    route: list[Choice] = []
    for step_id, number in decisions:
        step = dilemma.steps.get(node)
        if step is None or step_id != node or not 1 <= number <= len(step.options):
            break
        option = step.options[number - 1]
        route.append(Choice(step, option))
        node = option.target
    return Position(tuple(route), node)
