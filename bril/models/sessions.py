"""Team sessions: plans, the live session's row, and what its participants send (votes, marks, answers, ...)."""
from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import JSON, ColumnElement, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import db, utcnow


class SessionPlan(db.Model):
    """A facilitator's agenda for a team session, to be run (and copied) again and again."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # [{"soort": "welkom"|"verhaal"|"dilemma"|"afsluiting"|"afspraken", "ref": slug, "scenes": [..], "minuten": n}]
    items: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SessionPlan {self.id} {self.title!r}>"


def token_hash(token: str) -> str:
    """What a participant's secret token is stored as: the database never holds the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class Workshop(db.Model):
    """A live team session started from a plan; the database row is the single source of truth."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    agenda: Mapped[list] = mapped_column(JSON, default=list)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    locked: Mapped[bool] = mapped_column(default=False)
    item: Mapped[int] = mapped_column(default=0)
    # Within a story item: the scene number; within a dilemma item: the group's route so far.
    scene: Mapped[int] = mapped_column(default=1)
    route: Mapped[list] = mapped_column(JSON, default=list)
    vote: Mapped[str] = mapped_column(String(12), default="dicht")
    round: Mapped[int] = mapped_column(default=1)
    pieces_shown: Mapped[bool] = mapped_column(default=False)
    prompt: Mapped[int] = mapped_column(default=0)
    speaker: Mapped[str | None] = mapped_column(String(60))
    # The participant the speaker is (no foreign key: only their own phone is told "jij bent gevraagd").
    speaker_id: Mapped[int | None]
    timer_seconds: Mapped[int] = mapped_column(default=0)
    timer_started_at: Mapped[datetime | None]
    timer_used: Mapped[float] = mapped_column(default=0.0)
    # When the current agenda item began (for "je loopt 6 minuten uit"), and whether entering an item
    # starts its timer with the plan's minutes by itself.
    item_started_at: Mapped[datetime | None]
    auto_timer: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A moment too long for one screen (an ending with what to do next) is shown in pages.
    page: Mapped[int] = mapped_column(default=0, server_default="0")
    # The Leiden question round is open: "Wat zou jij doen? Wat houdt je tegen?"
    asking: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A large hall: people join without choosing a nickname, and screens count people instead of naming them.
    hall: Mapped[bool] = mapped_column(default=False, server_default=false())
    # An open vote with a countdown closes at this time: a later vote is refused (hotpath.cast_vote).
    vote_deadline: Mapped[datetime | None]
    # The question round's answers listed by how many said "ik ook" (most first) instead of by time.
    by_support: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Raised on every change; clients compare it to know they are in step.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # insight: per quarter
    ended_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    # A rehearsal ("oefensessie"): a facilitator tries a plan alone with simulated participants
    # (sessions/rehearsal.py). It never counts in any figure of the organisation: see `counted`.
    rehearsal: Mapped[bool] = mapped_column(default=False, server_default=false())
    simulated: Mapped[int] = mapped_column(default=0, server_default="0")  # how many simulated participants
    simulated_roles: Mapped[list | None] = mapped_column(JSON)  # the roles they take, in turn
    simulated_at: Mapped[datetime | None]  # the last tick of the simulation: one tick at a time

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.code}>"

    @classmethod
    def counted(cls) -> ColumnElement[bool]:
        """The sessions that count in an organisation's figures (reach, insight): never a rehearsal."""
        return cls.rehearsal.is_(False)


class Participant(db.Model):
    """Someone in the room, known only by a nickname and a secret token."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nickname: Mapped[str] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(60))
    removed: Mapped[bool] = mapped_column(default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Participant {self.id} in {self.workshop_id}>"


class Vote(db.Model):
    """One participant's choice at one step in one round; only totals are ever shown."""

    __table_args__ = (UniqueConstraint("workshop_id", "item", "step", "round", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    item: Mapped[int]
    step: Mapped[str] = mapped_column(String(100))
    round: Mapped[int]
    # Kept as NULL once participant data is purged, so the totals in the report stay.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"),
                                                      index=True)  # the purge empties it (migration 0021)
    option: Mapped[int]  # 0 is "pas"
    role: Mapped[str | None] = mapped_column(String(60))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Vote {self.workshop_id} {self.step}#{self.round}={self.option}>"


class SceneMark(db.Model):
    """The sentences one participant marked as a signal in one scene of a story ("Wat zie jij?" together)."""

    __table_args__ = (UniqueConstraint("workshop_id", "item", "scene", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    item: Mapped[int]
    scene: Mapped[int]
    # Kept as NULL once participant data is purged, so the totals in the report stay.
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"),
                                                      index=True)  # the purge empties it (migration 0021)
    passages: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SceneMark {self.workshop_id} {self.item}#{self.scene}>"


class Answer(db.Model):
    """A short anonymous answer in the question round; the facilitator shows it on the projector or not."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    item: Mapped[int]
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"),
                                                      index=True)  # the purge empties it (migration 0021)
    text: Mapped[str] = mapped_column(Text)
    shown: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Answer {self.id}>"


class Support(db.Model):
    """One participant's "ik ook" on an answer or a parked question; counted, never shown by name."""

    __table_args__ = (UniqueConstraint("kind", "target_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # "antwoord" or "parkeer"
    target_id: Mapped[int]
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"),
                                                      index=True)  # the purge empties it (migration 0021)

    def __repr__(self) -> str:
        return f"<Support {self.kind} {self.target_id}>"


class PathChoice(db.Model):
    """The option the group followed at a step, and whether the facilitator overrode the majority."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    item: Mapped[int]
    step: Mapped[str] = mapped_column(String(100))
    option: Mapped[int]
    majority: Mapped[int | None]
    overridden: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<PathChoice {self.workshop_id} {self.step}->{self.option}>"


class ParkingPost(db.Model):
    """A question or remark parked for later; anonymous in every view and in the report."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    by_facilitator: Mapped[bool] = mapped_column(default=False)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"),
                                                      index=True)  # the purge empties it (migration 0021)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered: Mapped[bool] = mapped_column(default=False, server_default=false())  # the facilitator marked it

    def __repr__(self) -> str:
        return f"<ParkingPost {self.id}>"


class Agreement(db.Model):
    """What the team agreed: what, who (as a role), by when, and which reporting route it concerns."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(60))
    by_when: Mapped[str] = mapped_column(String(100))
    meldroute: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Agreement {self.id}>"
