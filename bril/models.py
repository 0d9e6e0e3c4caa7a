"""Database models: accounts, login throttling, and self-study progress."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event, false, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLE_LABELS = {
    "deelnemer": "Deelnemer",
    "procesbegeleider": "Procesbegeleider",
    "beheerder": "Beheerder",
    "platformbeheerder": "Platformbeheerder",
}
# Roles within an organisation; a platformbeheerder belongs to none and manages the organisations.
ORGANISATION_ROLES = ("deelnemer", "procesbegeleider", "beheerder")


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo so SQLite and PostgreSQL store it alike."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_token() -> str:
    return secrets.token_urlsafe(24)


@event.listens_for(Engine, "connect")
def set_sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    """Use WAL and enforce foreign keys on every SQLite connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # SQLite's advice for WAL: a commit survives a crash or restart of the server; only a power cut
        # can undo the last commits (synchronous=FULL would wait for the disk on every vote).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


class Organisation(db.Model):
    """A municipality or other body on this installation: its own users, plans, sessions and reports."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class ReportingRoutes(db.Model):
    """An organisation's own "Wie is hiervan?", in the fields of wie-is-hiervan.yaml. Until a beheerder
    edits it, an organisation reads the file, which is the template every organisation starts from."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    introduction: Mapped[str] = mapped_column(Text, default="")
    # [{"sleutel": ..., "titel": ..., "wanneer": ..., "contacten": [{"wie": ..., "hoe": ...}], "let-op": ...}]
    routes: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IdentityProvider(db.Model):
    """An organisation's OpenID Connect provider: who may sign in through it, and with which role."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=False)
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(200))
    # Sent to the provider's token endpoint, so it is kept as it is (see docs/security.md).
    client_secret: Mapped[str] = mapped_column(String(500))
    # The claim in the ID token that holds the user's groups or roles, such as "groups" or "roles".
    role_claim: Mapped[str] = mapped_column(String(100), default="groups")
    # [[claim value, role], ...]; a user with several matching values gets the highest role.
    role_map: Mapped[list] = mapped_column(JSON, default=list)
    # The role of a user without any matching value; None: such a user may not sign in.
    default_role: Mapped[str | None] = mapped_column(String(20))
    passwords_allowed: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class User(UserMixin, db.Model):
    __table_args__ = (
        # An address is unique within an organisation, not over the installation: what one organisation
        # adds never blocks, links or reveals an account of another.
        Index("ix_user_organisation_email", "organisation_id", "email", unique=True),
        # A platformbeheerder belongs to no organisation: their addresses are unique among themselves.
        Index("ix_user_platform_email", "email", unique=True, sqlite_where=text("organisation_id IS NULL"),
              postgresql_where=text("organisation_id IS NULL")),
        # One account per person at a provider within an organisation: a subject is unique within its issuer.
        Index("ix_user_oidc_identity", "organisation_id", "oidc_issuer", "oidc_subject", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed on its own too: a password login looks the address up over all organisations.
    email: Mapped[str] = mapped_column(String(254), index=True)
    # Every user but a platformbeheerder belongs to one organisation and sees only its data.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="deelnemer")
    # Part of the login cookie: changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    invite_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set at the first sign-in through the organisation's identity provider.
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))

    answers: Mapped[list[SceneAnswer]] = relationship(back_populates="user", cascade="all, delete-orphan")
    progress: Mapped[list[StoryProgress]] = relationship(back_populates="user", cascade="all, delete-orphan")
    reflections: Mapped[list[Reflection]] = relationship(back_populates="user", cascade="all, delete-orphan")
    walks: Mapped[list[DilemmaWalk]] = relationship(back_populates="user", cascade="all, delete-orphan")
    organisation: Mapped[Organisation | None] = relationship()
    logins: Mapped[list[LoginSession]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    # The login (LoginSession.id) this user object was loaded for; not a column.
    login_sid = None

    def get_id(self) -> str:
        # Stored in the session cookie and the remember cookie alike: both end with the login they belong to.
        return f"{self.id}:{self.session_token}:{self.login_sid or ''}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def has_role(self, *roles: str) -> bool:
        """A beheerder may do what any role of the organisation may; a platformbeheerder only platform work."""
        return self.role in roles or (self.role == "beheerder" and "platformbeheerder" not in roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One login on one device. Logging out deletes it, so a copied cookie of that login stops working."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<LoginSession {self.user_id} {self.expires_at}>"


class LoginAttempt(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<LoginAttempt {self.key} {self.succeeded}>"


class StoryProgress(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "story"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    story: Mapped[str] = mapped_column(String(100))
    # The step to resume at: a scene number, its reveal, or the closing page.
    resume_url: Mapped[str] = mapped_column(String(300))
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="progress")

    def __repr__(self) -> str:
        return f"<StoryProgress {self.user_id} {self.story}>"


class SceneAnswer(db.Model):
    __table_args__ = (UniqueConstraint("user_id", "story", "scene"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    story: Mapped[str] = mapped_column(String(100))
    scene: Mapped[int]
    chosen: Mapped[list[str]] = mapped_column(JSON, default=list)
    found: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="answers")

    def __repr__(self) -> str:
        return f"<SceneAnswer {self.user_id} {self.story}#{self.scene}>"


class Reflection(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    story: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="reflections")

    def __repr__(self) -> str:
        return f"<Reflection {self.id} {self.story}>"


class DilemmaWalk(db.Model):
    """One walk through a dilemma card, by a logged-in user or an anonymous reader."""

    id: Mapped[int] = mapped_column(primary_key=True)
    dilemma: Mapped[str] = mapped_column(String(100), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Anonymous walkers find their walk again through this token in their session.
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    # [[step id, option number], ...] in the order taken.
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    # True while the consequences of the last decision are on screen, before "Verder".
    reviewing: Mapped[bool] = mapped_column(default=False)
    reflection: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(index=True)

    user: Mapped[User | None] = relationship(back_populates="walks")

    def __repr__(self) -> str:
        return f"<DilemmaWalk {self.id} {self.dilemma}>"


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
    # Raised on every change; clients compare it to know they are in step.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Workshop {self.id} {self.code}>"


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
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
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
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    passages: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SceneMark {self.workshop_id} {self.item}#{self.scene}>"


class Answer(db.Model):
    """A short anonymous answer in the question round; the facilitator shows it on the projector or not."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    item: Mapped[int]
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
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
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))

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
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

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
