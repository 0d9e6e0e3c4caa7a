"""Database models: accounts, login throttling, and self-study progress."""
from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLE_LABELS = {
    "deelnemer": "Deelnemer (zelfstudie)",
    "procesbegeleider": "Procesbegeleider",
    "beheerder": "Beheerder",
}


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
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="deelnemer")
    # Part of the login cookie: changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    invite_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    answers: Mapped[list[SceneAnswer]] = relationship(back_populates="user", cascade="all, delete-orphan")
    progress: Mapped[list[StoryProgress]] = relationship(back_populates="user", cascade="all, delete-orphan")
    reflections: Mapped[list[Reflection]] = relationship(back_populates="user", cascade="all, delete-orphan")
    walks: Mapped[list[DilemmaWalk]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles or self.role == "beheerder"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


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
