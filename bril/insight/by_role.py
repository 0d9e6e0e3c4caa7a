"""Reach per role: per role chosen in sessions, the sessions held with someone in it and its participants; per kind
of account, the people who finished a card alone.

A participant chooses a professional role when joining a session; someone practising alone chooses none, so the
walks alone are counted per kind of account (deelnemer, procesbegeleider, beheerder) instead. Each count of people
is one table of one column (the roles, with their total), suppressed like every table of insight. The number of
sessions with someone in a role is shown only where that role's participants are: else "2 sessies" would say that
the hidden number of, say, jurists is at least two. Rehearsals never count.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from ..content.roles import role_label
from ..models import DilemmaWalk, Participant, User, Workshop, db
from ..models.accounts import ROLE_LABELS
from .figures import Period, in_period
from .suppression import Figure, suppress

NO_ROLE = "Geen rol gekozen"


@dataclass(frozen=True)
class RoleLine:
    label: str
    sessions: Figure  # counted sessions with someone in this role: shown where `participants` is
    participants: Figure


@dataclass(frozen=True)
class AccountLine:
    label: str
    walkers: Figure  # people with this kind of account who finished a card alone


@dataclass(frozen=True)
class RoleReach:
    roles: list[RoleLine]
    participants: Figure
    accounts: list[AccountLine]
    walkers: Figure

    @property
    def empty(self) -> bool:
        return not self.roles and not self.accounts


def role_reach(organisation_id: int, span: Period) -> RoleReach:
    """The organisation's reach per role in the span."""
    owned = select(User.id).where(User.organisation_id == organisation_id)
    in_sessions = db.session.execute(
        select(Participant.role, func.count(Participant.id), func.count(distinct(Workshop.id)))
        .join(Workshop, Workshop.id == Participant.workshop_id)
        .where(Workshop.counted(), Workshop.owner_id.in_(owned), Participant.removed.is_(False),
               *in_period(Workshop.created_at, span))
        .group_by(Participant.role)).all()
    # The organisation's people with a walk finished in the span: one look in the index of each one's walks, where
    # counting the distinct walkers of all walks would read and sort every walk.
    finished = (select(DilemmaWalk.id).where(DilemmaWalk.user_id == User.id, DilemmaWalk.ended_at.is_not(None),
                                             *in_period(DilemmaWalk.ended_at, span)).exists())
    alone = db.session.execute(
        select(User.role, func.count()).where(User.organisation_id == organisation_id, finished)
        .group_by(User.role)).all()
    return lines_of(in_sessions, alone)


def lines_of(in_sessions: list[tuple[str | None, int, int]], alone: list[tuple[str, int]]) -> RoleReach:
    """The suppressed lines from (role, participants, sessions) and (kind of account, walkers), by label; the
    participants without a role last."""
    roles = sorted(in_sessions, key=lambda row: (row[0] is None, role_label(row[0] or "")))
    people, people_total = column([participants for _, participants, _ in roles])
    role_lines = [RoleLine(role_label(role) if role else NO_ROLE, Figure(sessions) if shown.shown else shown, shown)
                  for (role, _, sessions), shown in zip(roles, people)]
    accounts = sorted(alone, key=lambda row: ROLE_LABELS.get(row[0], row[0]))
    walkers, walkers_total = column([n for _, n in accounts])
    return RoleReach(role_lines, people_total,
                     [AccountLine(ROLE_LABELS.get(kind, kind), shown) for (kind, _), shown in zip(accounts, walkers)],
                     walkers_total)


def column(counts: list[int]) -> tuple[tuple[Figure, ...], Figure]:
    """A column of counts of people with its total, suppressed as one table."""
    if not counts:
        return (), Figure(0)
    table = suppress([[n] for n in counts])
    return tuple(row[0] for row in table.cells), table.total
