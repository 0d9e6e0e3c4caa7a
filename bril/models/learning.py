"""Self-study: a reader's progress through stories, their marks, reflections and walks through cards."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Computed, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.types import Text as TextType

from .base import db, new_token, utcnow

if TYPE_CHECKING:  # the tables refer to each other by name; SQLAlchemy's registry joins them
    from .accounts import User


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
    # Insight reads a story's answers per period, and per scene from the index by scene alone: it holds the marks
    # (PostgreSQL cannot put JSON in an index key; there they are carried beside it, which SQLite cannot).
    __table_args__ = (UniqueConstraint("user_id", "story", "scene"),
                      Index("ix_scene_answer_story", "story", "answered_at"),
                      Index("ix_scene_answer_scene", "story", "scene", "user_id", "chosen").ddl_if(dialect="sqlite"),
                      Index("ix_scene_answer_scene_marks", "story", "scene", "user_id",
                            postgresql_include=["chosen"]).ddl_if(dialect="postgresql"))

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


class FirstDecision(ColumnElement):
    """The first element of the walk's `decisions` as JSON text (NULL before the first choice), in each database's
    own words: the expression of the generated column `first_choice`."""

    type = TextType()
    inherit_cache = True


@compiles(FirstDecision, "sqlite")
def _first_decision_sqlite(element, compiler, **kw) -> str:
    return "json_extract(decisions, '$[0]')"


@compiles(FirstDecision, "postgresql")
def _first_decision_postgresql(element, compiler, **kw) -> str:
    return "(decisions -> 0)::text"


class DilemmaWalk(db.Model):
    """One walk through a dilemma card, by a logged-in user or an anonymous reader."""

    # Insight finds each person's first finished walk and the first quarter with any walk (bril/insight), and counts
    # the first choices per card from the index on (first choice, card, user, start) alone, also within a period,
    # without reading the walks. The first choice leads: with the card first, SQLite would take it for one card's
    # walks and read them out of order.
    __table_args__ = (Index("ix_dilemma_walk_user_ended", "user_id", "ended_at"),
                      Index("ix_dilemma_walk_first_choice", "first_choice", "dilemma", "user_id", "started_at"))

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
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(index=True)
    # Kept by the database from `decisions`, never written: nothing can make it disagree with the route.
    first_choice: Mapped[str | None] = mapped_column(Text, Computed(FirstDecision(), persisted=True))

    user: Mapped[User | None] = relationship(back_populates="walks")

    def __repr__(self) -> str:
        return f"<DilemmaWalk {self.id} {self.dilemma}>"
