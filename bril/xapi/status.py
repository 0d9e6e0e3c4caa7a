"""What waits for an organisation's record store and what failed: read by the beheerder's page and by
`flask xapi status`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ..models import FAILED, SENT, WAITING, QueuedStatement, db

# How many waiting and failed statements the page lists (the counts cover all of them).
SHOWN = 20


@dataclass(frozen=True)
class Overview:
    waiting: int
    sent: int
    failed: int
    last_sent: datetime | None
    open_rows: list[QueuedStatement]

    @property
    def problem(self) -> str | None:
        """The newest error among what waits or failed, in Dutch."""
        return next((row.last_error for row in self.open_rows if row.last_error), None)


def overview(organisation_id: int) -> Overview:
    """Counts per state and the newest statements that still wait or failed."""
    counts = dict(db.session.execute(select(QueuedStatement.state, func.count())
                                     .where(QueuedStatement.organisation_id == organisation_id)
                                     .group_by(QueuedStatement.state)).all())
    last_sent = db.session.scalar(select(func.max(QueuedStatement.sent_at))
                                  .where(QueuedStatement.organisation_id == organisation_id))
    open_rows = list(db.session.scalars(
        select(QueuedStatement).where(QueuedStatement.organisation_id == organisation_id,
                                      QueuedStatement.state.in_((WAITING, FAILED)))
        .order_by(QueuedStatement.state.desc(), QueuedStatement.created_at.desc()).limit(SHOWN)))
    return Overview(counts.get(WAITING, 0), counts.get(SENT, 0), counts.get(FAILED, 0), last_sent, open_rows)
