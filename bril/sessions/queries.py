"""What the room has said: votes, marks, answers, "ik ook" and who is present, read from the database.

Reads only. The rules that change a session live in changes.py, the phones' hot path in hotpath.py;
the situation, the moment, the console, the report and the streams stand on these queries.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from ..models import Answer, Participant, SceneMark, Support, Vote, db
from .vocabulary import PASS

ROSTER_SIZE = 50


@dataclass(frozen=True)
class Posted:
    """An anonymous text in the room (an answer, a parked question) and how many said "ik ook"."""

    id: int
    text: str
    shown: bool
    supports: int


@dataclass(frozen=True)
class Parked:
    """A post on the parking lot as the screens list it: anonymous, with its "ik ook" and whether it was answered."""

    id: int
    text: str
    by_facilitator: bool
    answered: bool
    supports: int


@dataclass(frozen=True)
class ParticipantView:
    """A participant as the console lists them."""

    id: int
    nickname: str
    role: str | None
    removed: bool


def marks(workshop_id: int, item: int, scene: int) -> tuple[Counter, int]:
    """How many participants marked each sentence of a scene, and how many marked at all."""
    rows = db.session.scalars(select(SceneMark.passages).filter_by(workshop_id=workshop_id, item=item,
                                                                   scene=scene)).all()
    return Counter(key for passages in rows for key in passages), len(rows)


def tally(workshop_id: int, item: int, step: str, round_: int) -> tuple[Counter, dict[str, Counter]]:
    """Totals per option, and per role where a role holds at least two votes (so no vote stands alone)."""
    rows = db.session.execute(select(Vote.option, Vote.role).filter_by(workshop_id=workshop_id, item=item,
                                                                       step=step, round=round_)).all()
    totals = Counter(option for option, _ in rows)
    by_role: dict[str, Counter] = {}
    for option, role in rows:
        if role:
            by_role.setdefault(role, Counter())[option] += 1
    return totals, {role: counts for role, counts in by_role.items() if sum(counts.values()) >= 2}


def majority_option(totals: Counter) -> int | None:
    """The option with most votes (passes do not count); None on a tie or without votes."""
    ranked = sorted(((count, option) for option, count in totals.items() if option != PASS and count),
                    reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def answered(workshop_id: int, item: int, scene: int | None, step: str | None, round_: int) -> int:
    """How many answered now: participants who marked sentences in a scene, or votes at a step."""
    if scene:
        return db.session.scalar(select(func.count()).select_from(SceneMark).filter_by(
            workshop_id=workshop_id, item=item, scene=scene)) or 0
    if step is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(Vote).filter_by(
        workshop_id=workshop_id, item=item, step=step, round=round_)) or 0


def present_by_role(workshop_id: int) -> list[tuple[str | None, int]]:
    """How many take part (not removed), per role; counts, not the list, however large the hall."""
    return list(db.session.execute(select(Participant.role, func.count())
                                   .filter_by(workshop_id=workshop_id, removed=False).group_by(Participant.role)))


def present_people(workshop_id: int) -> list[tuple[int, str]]:
    """Who takes part (not removed): id and nickname, to choose a speaker from."""
    return [tuple(row) for row in db.session.execute(
        select(Participant.id, Participant.nickname).filter_by(workshop_id=workshop_id, removed=False))]


def removed_ids(workshop_id: int) -> frozenset[int]:
    return frozenset(db.session.scalars(select(Participant.id).filter_by(workshop_id=workshop_id, removed=True)))


def support_counts(workshop_id: int) -> Counter:
    """How many said "ik ook", per (kind, answer or parked question), counted by the database."""
    return Counter({(kind, target): n for kind, target, n in db.session.execute(
        select(Support.kind, Support.target_id, func.count()).filter_by(workshop_id=workshop_id)
        .group_by(Support.kind, Support.target_id))})


def recent_answers(workshop_id: int, item: int, size: int = ROSTER_SIZE, shown_only: bool = False,
                   by_support: bool = False) -> tuple[Posted, ...]:
    """The latest answers of the question round (for the console), or those on the projector, with "ik ook";
    `by_support`: the most supported first (the database counts and sorts, so a large hall costs one query)."""
    supported = (select(func.count()).select_from(Support)
                 .where(Support.kind == "antwoord", Support.target_id == Answer.id).scalar_subquery())
    query = select(Answer.id, Answer.text, Answer.shown, supported).filter_by(workshop_id=workshop_id, item=item)
    if shown_only:
        query = query.filter_by(shown=True)
    if by_support:
        return tuple(Posted(*row) for row in db.session.execute(
            query.order_by(supported.desc(), Answer.id).limit(size)))
    rows = db.session.execute(query.order_by(Answer.id.desc()).limit(size)).all()
    return tuple(Posted(*row) for row in reversed(rows))


def answer_count(workshop_id: int, item: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer).filter_by(workshop_id=workshop_id,
                                                                                item=item)) or 0


def roster(workshop_id: int, size: int = ROSTER_SIZE) -> tuple[ParticipantView, ...]:
    """The most recent participants (removed ones first, so they can be let back in), for the console."""
    rows = db.session.execute(select(Participant.id, Participant.nickname, Participant.role, Participant.removed)
                              .filter_by(workshop_id=workshop_id)
                              .order_by(Participant.removed.desc(), Participant.id.desc()).limit(size)).all()
    return tuple(ParticipantView(*row) for row in rows)
