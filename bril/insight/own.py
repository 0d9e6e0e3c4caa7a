"""A procesbegeleider's view of their own sessions: how many, how many took part, and per card and step how the
group voted in round 1 and in round 2, summed over their sessions.

Only the facilitator's own counted sessions (never a rehearsal). The votes at a step form one table of two rows
(round 1, round 2) by the options, suppressed like every table of insight: a count about fewer than five people
is hidden, and so is whatever would give it back.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import and_, func, select

from ..content import Library
from ..models import Participant, Vote, Workshop, db
from ..sessions.vocabulary import PASS
from .figures import Comparison, Period, in_period
from .jsonsql import list_items
from .suppression import Figure, suppress

FIRST, SECOND = 0, 1


@dataclass(frozen=True)
class StepRounds:
    question: str
    rounds: Comparison  # `ours` is round 1, `everyone` round 2; `our_total` and `total` their totals


@dataclass(frozen=True)
class CardRounds:
    title: str
    steps: list[StepRounds]


@dataclass(frozen=True)
class OwnSessions:
    sessions: int  # a number of sessions is about no one: always shown
    participants: Figure
    cards: list[CardRounds]


def own_sessions(owner_id: int, library: Library, span: Period) -> OwnSessions:
    mine = (Workshop.owner_id == owner_id, Workshop.counted(), *in_period(Workshop.created_at, span))
    sessions = db.session.scalar(select(func.count(Workshop.id)).where(*mine)) or 0
    joined = db.session.scalar(select(func.count(Participant.id)).join(Workshop, Workshop.id == Participant.workshop_id)
                               .where(*mine, Participant.removed.is_(False))) or 0
    return OwnSessions(sessions, suppress([[joined]]).cells[0][0], card_rounds(vote_counts(mine), library))


def vote_counts(mine: tuple) -> Counter:
    """(card, step, round, option) -> votes in the facilitator's sessions; the agenda says which item is which card."""
    number, soort, reference = list_items(Workshop.agenda, "soort", "ref")
    items = (select(Workshop.id.label("workshop_id"), number.label("item"), reference.label("ref"))
             .where(*mine, soort == "dilemma").cte("own_item"))
    rows = db.session.execute(
        select(items.c.ref, Vote.step, Vote.round, Vote.option, func.count(Vote.id))
        .select_from(Vote).join(items, and_(items.c.workshop_id == Vote.workshop_id, items.c.item == Vote.item))
        .where(Vote.round.in_((1, 2)))
        .group_by(items.c.ref, Vote.step, Vote.round, Vote.option)).all()
    return Counter({(ref, step, voted_round, option): n for ref, step, voted_round, option, n in rows})


def card_rounds(votes: Counter, library: Library) -> list[CardRounds]:
    """Per card the facilitator's groups voted at (by title), per step with votes: round 1 beside round 2."""
    result = []
    for card in sorted(library.dilemmas.values(), key=lambda card: card.title):
        steps = []
        for step in card.steps.values():
            keys = (PASS, *(option.number for option in step.options))
            counts = [[votes[(card.slug, step.id, voted_round, key)] for key in keys] for voted_round in (1, 2)]
            if not any(map(any, counts)):
                continue
            table = suppress(counts)
            labels = ("Pas", *(f"{option.letter}: {option.label}" for option in step.options))
            steps.append(StepRounds(Markup(step.question).striptags(), Comparison(
                labels, table.cells[FIRST], table.cells[SECOND], table.row_totals[FIRST], table.row_totals[SECOND])))
        if steps:
            result.append(CardRounds(card.title, steps))
    return result
