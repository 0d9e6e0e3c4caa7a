"""Walking a dilemma card alone: one walk per start, kept for logged-in and anonymous walkers alike.

The route is stored as decisions and replayed against the card, so the card stays the source of truth.
Every place on a walk has its own address (step n, the consequence of decision n, the ending), so the
browser's Back shows an earlier step as it was; choosing something else there walks on from that step.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import session
from flask_login import current_user
from sqlalchemy import select

from .content import Dilemma
from .content.routes import Choice, Position, replay
from .models import DilemmaWalk, User, db, utcnow
from .lti import grades
from .xapi import record

# Totals of other walkers are shown only from this many finished walks, so no single choice stands out.
MIN_WALKS_FOR_TOTALS = 5


@dataclass(frozen=True)
class WalkState:
    """What a walker sees now: a step to choose at, the consequences of a choice, or an ending."""

    walk: DilemmaWalk
    position: Position
    reviewing: bool


def find_walk(dilemma: Dilemma) -> DilemmaWalk | None:
    """The walker's latest walk through this card."""
    if current_user.is_authenticated:
        return db.session.scalar(select(DilemmaWalk).filter_by(user_id=current_user.id, dilemma=dilemma.slug)
                                 .order_by(DilemmaWalk.started_at.desc(), DilemmaWalk.id.desc()).limit(1))
    token = session.get("walks", {}).get(dilemma.slug)
    return db.session.scalar(select(DilemmaWalk).filter_by(token=token, user_id=None)) if token else None


def start_walk(dilemma: Dilemma) -> DilemmaWalk:
    """Begin a fresh walk at the first step."""
    walk = DilemmaWalk(dilemma=dilemma.slug, decisions=[],
                       user_id=current_user.id if current_user.is_authenticated else None)
    db.session.add(walk)
    db.session.commit()
    if walk.user_id is None:
        session.setdefault("walks", {})[dilemma.slug] = walk.token
        session.modified = True
    return walk


@dataclass(frozen=True)
class StepCount:
    """"Stap 2 van ~4": the number of a decision and how many a route through here takes at most."""

    number: int
    total: int
    exact: bool


def count_steps(dilemma: Dilemma, route: tuple[Choice, ...], node: str) -> StepCount:
    """Count at `node`, reached by `route`. The total is the longest way on from here, so it only ever
    shrinks as the walker goes on; it is exact when every way on from here is as long."""
    lengths = routes_on(dilemma, node, frozenset(choice.step.id for choice in route)) or [1]
    return StepCount(len(route) + 1, len(route) + max(lengths), min(lengths) == max(lengths))


def routes_on(dilemma: Dilemma, node: str, visited: frozenset[str]) -> list[int]:
    """The number of decisions of every way from `node` to an ending that visits no step twice."""
    if node in dilemma.endings:
        return [0]
    if node in visited or node not in dilemma.steps:
        return []
    return [1 + length for option in dilemma.steps[node].options
            for length in routes_on(dilemma, option.target, visited | {node})]


def state(dilemma: Dilemma, walk: DilemmaWalk) -> WalkState:
    """Replay the walk against the card."""
    position = replay(dilemma, [(step, number) for step, number in walk.decisions])
    if len(position.route) < len(walk.decisions):
        # The card changed under this walk: continue from the last decision that still fits.
        walk.decisions = [[c.step.id, c.option.number] for c in position.route]
        walk.reviewing = False
        walk.ended_at = None
        db.session.commit()
    return WalkState(walk, position, walk.reviewing and bool(position.route))


def node_at(position: Position, number: int) -> str | None:
    """The step or ending where decision `number` (from 1) is taken on this route; None past its end."""
    if 1 <= number <= len(position.route):
        return position.route[number - 1].step.id
    return position.node if number == len(position.route) + 1 else None


def choose(dilemma: Dilemma, walk: DilemmaWalk, number: int, option: int) -> bool:
    """Take `option` as decision `number`; False when that is not possible there.

    At an earlier step (reached with Back) the same option keeps the rest of the route; another option
    drops the decisions after it, and the walk goes on from there.
    """
    position = state(dilemma, walk).position
    step = dilemma.steps.get(node_at(position, number) or "")
    if step is None or not 1 <= option <= len(step.options):
        return False
    if number <= len(position.route) and position.route[number - 1].option.number == option:
        return True
    walk.decisions = [*walk.decisions[:number - 1], [step.id, option]]
    walk.reviewing = True
    walk.ended_at = None
    record.step_answered(walk.user, dilemma, step, option)
    db.session.commit()
    return True


def proceed(dilemma: Dilemma, walk: DilemmaWalk) -> None:
    """Leave the consequences of the last decision and go on to the next step or the ending."""
    current = state(dilemma, walk)
    walk.reviewing = False
    if current.position.node in dilemma.endings and walk.ended_at is None:
        walk.ended_at = utcnow()
        record.card_completed(walk.user, dilemma, current.position.node)
        grades.finished(walk.user_id, "kaart", dilemma.slug)
    db.session.commit()


def choice_totals(dilemma: Dilemma) -> tuple[int, dict[str, Counter]] | None:
    """How all finished walks chose at each step; None while there are too few to stay anonymous."""
    rows = db.session.scalars(select(DilemmaWalk.decisions).where(DilemmaWalk.dilemma == dilemma.slug,
                                                                  DilemmaWalk.ended_at.is_not(None))).all()
    if len(rows) < MIN_WALKS_FOR_TOTALS:
        return None
    totals: dict[str, Counter] = {step: Counter() for step in dilemma.steps}
    for decisions in rows:
        for choice in replay(dilemma, [(s, n) for s, n in decisions]).route:
            totals[choice.step.id][choice.option.number] += 1
    return len(rows), totals


def adopt_anonymous_walks(user: User) -> None:
    """Give a reader who logs in the walks they made before."""
    tokens = list(session.pop("walks", {}).values())
    if tokens:
        for walk in db.session.scalars(select(DilemmaWalk).where(DilemmaWalk.token.in_(tokens),
                                                                 DilemmaWalk.user_id.is_(None))):
            walk.user_id = user.id
        db.session.commit()


def walks_of(user: User) -> list[DilemmaWalk]:
    """A user's walks, newest first."""
    return list(db.session.scalars(select(DilemmaWalk).filter_by(user_id=user.id)
                                   .order_by(DilemmaWalk.started_at.desc(), DilemmaWalk.id.desc())))
