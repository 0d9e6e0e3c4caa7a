"""Agreements made in an organisation's sessions, and how often each of its reporting routes was named.

Counts only: the text of an agreement may hold anything (a name, a case), so it never reaches insight. Each
number is about sessions, and a number that fewer than five sessions stand behind is hidden, like a number
about fewer than five people elsewhere (complementary suppression included); the agreements made get a pass of
their own besides. Rehearsals never count.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ..models import Agreement, User, Workshop, db
from ..reporting import book_for
from .figures import Period, in_period, quarters_with_data
from .figures import QUARTERS_SHOWN
from .suppression import Figure, suppress
from .tables import count

OTHER_ROUTE = "Een route die niet meer in Wie is hiervan? staat"


@dataclass(frozen=True)
class Line:
    """One row per quarter shown (oldest first), with the total over the whole span."""

    label: str
    per_quarter: tuple[Figure, ...]
    total: Figure


@dataclass(frozen=True)
class AgreementFigures:
    periods: list[Period]
    sessions: Line  # counted sessions that made at least one agreement
    agreements: Line  # the agreements they made; shown only where the sessions behind them are
    routes: list[Line]  # per reporting route: in how many sessions an agreement named it

    @property
    def empty(self) -> bool:
        return not self.sessions.total.value


def shown_periods(span: Period) -> list[Period]:
    """The quarters with data within the span (the last four without one), oldest first."""
    periods = quarters_with_data()
    if span.key:
        periods = [p for p in periods if (span.start is None or p.start >= span.start)
                   and (span.end is None or p.end <= span.end)]
    else:
        periods = periods[:QUARTERS_SHOWN]
    return periods[::-1]


def column_of(moment, periods: list[Period]) -> int:
    """The index of the quarter shown that the moment falls in, or the last column (the rest of the span)."""
    return next((i for i, p in enumerate(periods) if p.start <= moment < p.end), len(periods))


def agreement_figures(organisation_id: int, span: Period) -> AgreementFigures:
    periods = shown_periods(span)
    width = len(periods) + 1  # the quarters shown and the rest of the span, so the totals add up
    rows = db.session.execute(
        select(Agreement.workshop_id, Workshop.created_at, Agreement.meldroute)
        .join(Workshop, Workshop.id == Agreement.workshop_id).join(User, User.id == Workshop.owner_id)
        .where(User.organisation_id == organisation_id, Workshop.counted(),
               *in_period(Workshop.created_at, span))).all()
    sessions: dict[int, set[int]] = defaultdict(set)  # column -> workshops
    agreements = [0] * width
    named: dict[str, list[set[int]]] = defaultdict(lambda: [set() for _ in range(width)])
    book = book_for(organisation_id).routes
    for workshop_id, created_at, route in rows:
        column = column_of(created_at, periods)
        sessions[column].add(workshop_id)
        agreements[column] += 1
        if route:
            named[route if route in book else ""][column].add(workshop_id)
    session_table = suppress([[len(sessions[c]) for c in range(width)]])
    session_cells = session_table.cells[0]
    total = session_table.total
    agreement_cells, agreement_total = agreement_line(agreements, session_cells, total)
    routes = [(route.title, key) for key, route in book.items()] + ([(OTHER_ROUTE, "")] if "" in named else [])
    # The page shows a total per route only: a session may name several routes or none, so a column's sum is no
    # number a reader knows, and it is left out of the equations (hidden from the start).
    unknown = frozenset({("totaal",), *(("kolom", c) for c in range(width))})
    route_table = suppress([[len(named[key][c]) if key in named else 0 for c in range(width)] for _, key in routes],
                           hidden_totals=unknown) if routes else None
    route_lines = [Line(title, route_table.cells[r][:-1], route_table.row_totals[r])
                   for r, (title, _) in enumerate(routes)]
    return AgreementFigures(
        periods, Line("Sessies met afspraken", session_cells[:-1], total),
        Line("Afspraken gemaakt", agreement_cells[:-1], agreement_total),
        route_lines)


def agreement_line(agreements: list[int], session_cells: tuple[Figure, ...],
                   session_total: Figure) -> tuple[tuple[Figure, ...], Figure]:
    """The agreements per column with their total, suppressed on their own (a count of 1 to 4, and whatever gives
    one away from the total), and hidden too wherever the sessions they were made in are: a number of agreements
    tells something about those sessions. Hiding more than a pass asks for never gives anything away."""
    own = suppress([agreements])

    def both(mine: Figure, theirs: Figure) -> Figure:
        return mine if not mine.shown else theirs if not theirs.shown else mine
    return tuple(map(both, own.cells[0], session_cells)), both(own.total, session_total)


def agreements_table(found: AgreementFigures) -> tuple[list[str], list[list]]:
    """The page's two tables as one CSV: the agreements, then a row per reporting route."""
    header = ["Wat", *(period.label for period in found.periods), "Totaal"]
    lines = [found.sessions, found.agreements,
             *(Line(f"Route genoemd (sessies): {line.label}", line.per_quarter, line.total) for line in found.routes)]
    return header, [[line.label, *map(count, line.per_quarter), count(line.total)] for line in lines]
