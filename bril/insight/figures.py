"""What an organisation's people chose at each step of a card, in sessions and alone, beside everyone else.

Each figure is a count of people: in a session, the participants whose round-1 vote at a step was this
option (or "pas"); alone, the walkers who took this option at the step. Beside the organisation's own
count stands the same count over all organisations. The two are suppressed together as one table of
two rows (this organisation, the others) so that "all" minus "ours" never gives away a small count of
another organisation. Rehearsals never count (`Workshop.counted()`); data removed under the retention
rules is gone from here too, because everything is read from the rows that remain.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import and_, case, func, literal, select

from ..content import Dilemma
from ..models import DilemmaWalk, Participant, StoryProgress, User, Vote, Workshop, db, utcnow
from ..sessions.vocabulary import PASS
from .jsonsql import as_text, list_items
from .suppression import Figure, suppress

OURS, OTHERS = 0, 1


@dataclass(frozen=True)
class Period:
    """A quarter (`2026-4`) or everything; `start` inclusive, `end` exclusive."""

    key: str
    label: str
    start: datetime | None = None
    end: datetime | None = None

    @classmethod
    def parse(cls, key: str | None) -> Period:
        try:
            year, quarter = (int(part) for part in (key or "").split("-"))
            if not (1 <= quarter <= 4 and 2000 <= year <= 2100):
                raise ValueError
        except ValueError:
            return cls("", "alle tijd")
        start = datetime(year, 3 * quarter - 2, 1)
        end = datetime(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return cls(f"{year}-{quarter}", f"{quarter}e kwartaal van {year}", start, end)


@dataclass(frozen=True)
class Comparison:
    """One step's options (pass first when it counts) with our count and everyone's, suppressed together."""

    labels: tuple[str, ...]
    ours: tuple[Figure, ...]
    everyone: tuple[Figure, ...]
    our_total: Figure
    total: Figure

    @property
    def empty(self) -> bool:
        return self.total.value == 0


@dataclass(frozen=True)
class StepFigures:
    step_id: str
    question: str
    teams: Comparison
    alone: Comparison


def compare(labels: tuple[str, ...], ours: Counter, others: Counter, keys: tuple[int, ...]) -> Comparison:
    table = suppress([[ours[k] for k in keys], [others[k] for k in keys]])
    return Comparison(labels, table.cells[OURS], table.column_totals, table.row_totals[OURS], table.total)


def card_figures(organisation_id: int, card: Dilemma, period: Period, role: str = "",
                 counts: tuple[Counter, Counter] | None = None, first_only: bool = False) -> list[StepFigures]:
    """Per step of the card: how teams voted and how people alone chose, ours beside everyone's.

    With a role: only the votes of participants in that role; nobody alone has a role, so alone is empty.
    `counts` (votes, walks) per quarter from `card_counts`, when the caller has them already; `first_only`: the
    first step alone (each step's table is suppressed on its own, so it is the same as in the full list)."""
    votes, walked = counts or card_counts(card, period, role)
    result = []
    for step in list(card.steps.values())[:1] if first_only else card.steps.values():
        numbers = tuple(option.number for option in step.options)
        letters = tuple(f"{option.letter}: {option.label}" for option in step.options)
        team = [Counter(), Counter()]
        for (step_id, org, option, _), n in votes.items():
            if step_id == step.id:
                team[OURS if org == organisation_id else OTHERS][option] += n
        solo = [Counter(), Counter()]
        for (step_id, org, option, _), n in walked.items():
            if step_id == step.id:
                solo[OURS if org == organisation_id else OTHERS][option] += n
        result.append(StepFigures(
            step.id, Markup(step.question).striptags(),  # a heading and a CSV cell: the words only
            compare(("Pas",) + letters, team[OURS], team[OTHERS], (PASS,) + numbers),
            compare(letters, solo[OURS], solo[OTHERS], numbers)))
    return result


def in_period(column, period: Period) -> list:
    conditions = []
    if period.start is not None:
        conditions.append(column >= period.start)
    if period.end is not None:
        conditions.append(column < period.end)
    return conditions


def agenda_items(kind: str, ref: str | None, period: Period):
    """(workshop_id, item, org, created_at, ref): the agenda items of counted sessions in the period that are this
    card or story (or, without `ref`, any of its kind)."""
    number, soort, reference = list_items(Workshop.agenda, "soort", "ref")
    return (select(Workshop.id.label("workshop_id"), number.label("item"), User.organisation_id.label("org"),
                   Workshop.created_at.label("created_at"), reference.label("ref"))
            .join(User, User.id == Workshop.owner_id)
            .where(Workshop.counted(), soort == kind, *([reference == ref] if ref is not None else []),
                   *in_period(Workshop.created_at, period))
            # Materialised first: else SQLite reads every session's agenda once per vote or mark it joins.
            .cte("agenda_item").prefix_with("MATERIALIZED"))


def card_counts(card: Dilemma, period: Period, role: str = "", periods: list[Period] = ()) -> tuple[Counter, Counter]:
    """The votes and the walks alone at the card, per step, organisation, option and quarter of `periods`."""
    return (vote_counts(card.slug, set(card.steps), period, role, periods),
            walk_counts(card.slug, period, periods) if not role else Counter())


def vote_counts(card: str, steps: set[str], period: Period, role: str = "", periods: list[Period] = ()) -> Counter:
    """(step, organisation, option, quarter) -> people who voted so in round 1 at this card, in counted sessions.

    A vote names its agenda item and step, not its card (step ids repeat over cards): the session's agenda
    says which items were this card. All of it is counted in the database."""
    items = agenda_items("dilemma", card, period)
    rows = db.session.execute(
        select(Vote.step.label("step"), items.c.org, Vote.option.label("option"),
               quarter_of(items.c.created_at, periods), func.count(Vote.id))
        .select_from(Vote).join(items, and_(items.c.workshop_id == Vote.workshop_id, items.c.item == Vote.item))
        .where(Vote.round == 1, Vote.step.in_(steps), *([Vote.role == role] if role else []))
        .group_by("step", items.c.org, "option", "quarter")).all()
    return Counter({(step, org, option, quarter): n for step, org, option, quarter, n in rows})


def walk_counts(card: str, period: Period, periods: list[Period] = ()) -> Counter:
    """(step, organisation, option, quarter) -> walkers who took that option there; anonymous walkers count as
    others.

    The database counts the walks per route, organisation and quarter; the few distinct routes are opened here.
    A route visits no step twice (going back drops what came after), so a walker counts once per choice."""
    route = as_text(DilemmaWalk.decisions).label("route")
    rows = db.session.execute(
        select(route, User.organisation_id.label("org"), quarter_of(DilemmaWalk.started_at, periods), func.count())
        .select_from(DilemmaWalk).outerjoin(User, User.id == DilemmaWalk.user_id)
        .where(DilemmaWalk.dilemma == card, *in_period(DilemmaWalk.started_at, period))
        .group_by("route", "org", "quarter")).all()
    counts: Counter = Counter()
    for decisions, org, quarter, n in rows:
        for step, option in json.loads(decisions or "[]"):
            counts[(step, org, option, quarter)] += n
    return counts


REST = -1  # the quarter of a moment in none of the quarters asked about


def quarter_of(column, periods: list[Period]):
    """The index in `periods` of the quarter a moment falls in, or REST (a column labelled "quarter")."""
    if not periods:
        return literal(REST).label("quarter")
    return case(*((and_(column >= p.start, column < p.end), index) for index, p in enumerate(periods)),
                else_=REST).label("quarter")


def trend_periods(span: Period, most: int = 8) -> list[Period]:
    """The quarters with data within the span, the last `most` at most, oldest first."""
    periods = [p for p in quarters_with_data() if (span.start is None or p.start >= span.start)
               and (span.end is None or p.end <= span.end)]
    return periods[:most][::-1]


def quarters_with_data() -> list[Period]:
    """The quarters in which anything was voted or walked, newest first, for the filter."""
    firsts = [db.session.scalar(select(func.min(Workshop.created_at)).where(Workshop.counted())),  # no rehearsal
              db.session.scalar(select(func.min(DilemmaWalk.started_at)))]
    first = min((d for d in firsts if d is not None), default=None)
    if first is None:
        return []
    now = utcnow()
    periods, year, quarter = [], now.year, (now.month - 1) // 3 + 1
    while (year, quarter) >= (first.year, (first.month - 1) // 3 + 1):
        periods.append(Period.parse(f"{year}-{quarter}"))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return periods


@dataclass(frozen=True)
class Reach:
    """One measure of reach per quarter, oldest first, with its total; counts of people suppressed."""

    label: str
    per_quarter: tuple[Figure, ...]
    total: Figure


QUARTERS_SHOWN = 4


def recent_reach(organisation_id: int, span: Period | None = None) -> tuple[list[Period], list[Reach]]:
    """The quarters with data within `span` (the last four by default), oldest first, and the reach in each."""
    periods = quarters_with_data()
    if span is not None and span.key:
        periods = [p for p in periods if (span.start is None or p.start >= span.start)
                   and (span.end is None or p.end <= span.end)]
    else:
        periods = periods[:QUARTERS_SHOWN]
    return periods[::-1], reach(organisation_id, periods)


def reach(organisation_id: int, periods: list[Period]) -> list[Reach]:
    """Sessions held, their participants, cards walked alone to the end and stories read to the end."""
    periods = periods[::-1]
    owned = select(User.id).where(User.organisation_id == organisation_id)
    # Each row one session, one participant or one person, with the moment of its first time. A session and its
    # participants have one moment: the session's. A person's first walk or story finished is looked up in the index
    # of their own rows, one person at a time: grouping all walks by walker would read and sort every walk.
    sessions = select(Workshop.created_at).where(Workshop.counted(), Workshop.owner_id.in_(owned))
    joined = (select(Workshop.created_at).join(Participant, Participant.workshop_id == Workshop.id)
              .where(Workshop.counted(), Workshop.owner_id.in_(owned), Participant.removed.is_(False)))
    walks = select(select(func.min(DilemmaWalk.ended_at)).where(DilemmaWalk.user_id == User.id).scalar_subquery()
                   ).where(User.organisation_id == organisation_id)
    stories = select(select(func.min(StoryProgress.finished_at)).where(StoryProgress.user_id == User.id)
                     .scalar_subquery()).where(User.organisation_id == organisation_id)
    result = []
    # Each measure counts different things (sessions, participants, people), so each is its own table.
    for label, query, people in (("Sessies gehouden", sessions, False), ("Deelnemers in sessies", joined, True),
                                 ("Nieuw: mensen die voor het eerst alleen een kaart uitspeelden", walks, True),
                                 ("Nieuw: mensen die voor het eerst een verhaal uitlazen", stories, True)):
        counts, everyone = first_times_per_quarter(query, periods)
        if people:
            # The last cell: those not in any quarter shown (earlier), so the total adds up and hides nothing.
            table = suppress([counts + [max(0, everyone - sum(counts))]])
            figures, total = table.cells[0][:-1], table.total
        else:  # a number of sessions is not about people
            figures, total = tuple(Figure(n) for n in counts), Figure(everyone)
        result.append(Reach(label, tuple(figures), total))
    return result


def first_times_per_quarter(query, periods: list[Period]) -> tuple[list[int], int]:
    """Everyone (or every session) once, in the quarter of their first time, so the quarters add up to the total.

    `query` selects one moment per one: the first time, or none (never)."""
    # Materialised: each quarter's sum reads it, and PostgreSQL would look everyone's first time up again for each.
    firsts = query.cte("firsts").prefix_with("MATERIALIZED")
    first = firsts.c[0]
    per_quarter = [func.coalesce(func.sum(case((and_(first >= p.start, first < p.end), 1), else_=0)), 0)
                   for p in periods]
    row = db.session.execute(select(func.count(first), *per_quarter).select_from(firsts)).one()
    return [int(n) for n in row[1:]], int(row[0])
