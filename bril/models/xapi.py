"""An organisation's learning record store (xAPI) and the queue of statements on their way to it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import db, utcnow

# How the person behind a statement is named to the record store.
ACTOR_PSEUDONYM = "pseudoniem"
ACTOR_EMAIL = "e-mailadres"

# A statement's place in the queue: waiting to be sent (again), in the store, or given up until a
# beheerder presses "Opnieuw proberen".
WAITING = "wacht"
SENT = "verzonden"
FAILED = "mislukt"


class RecordStore(db.Model):
    """Where an organisation's learning record store is, how to sign in there and how people are named."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=False)
    # The statements resource's base ("xAPI endpoint"), such as https://lrs.gemeente.nl/xAPI/.
    endpoint: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(200))
    # Sent as HTTP Basic authentication, so it is kept as it is; never shown back.
    secret: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(20), default=ACTOR_PSEUDONYM)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<RecordStore {self.organisation_id} {self.active}>"


class QueuedStatement(db.Model):
    """One xAPI statement, stored with the user's change that made it, and sent later by the sender.

    Its id is the statement's own id, fixed when it was made: sending it twice never makes two statements,
    because a record store refuses or ignores an id it knows.
    """

    __table_args__ = (Index("ix_queued_statement_due", "state", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    # Whom it is about: a deleted account takes what still waits with it (and what was sent, which the store has).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    statement: Mapped[dict] = mapped_column(JSON)
    # A short Dutch description for the beheerder's list ("Verhaal uitgelezen: Jeffrey").
    summary: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(12), default=WAITING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Dutch, written here: never a copy of what the record store answered.
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<QueuedStatement {self.id} {self.state}>"
