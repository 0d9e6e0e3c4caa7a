"""An organisation's own cards and stories: a draft (the file's text, as an author edits it), its review,
comments per field, and the immutable versions it was published as.

The Markdown file text is the one source of truth: a draft holds it whole and is checked by the same
parser as the files in stories/ and dilemmas/; a published version is a copy of that text that never
changes again. What a plan or a session plays is the number of such a version.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import db, utcnow


class ContentKind(StrEnum):
    """What a draft or version is: a dilemma card or a story (the folder its file belongs in)."""

    DILEMMA = "dilemma"
    STORY = "verhaal"

    @property
    def label(self) -> str:
        return {ContentKind.DILEMMA: "dilemmakaart", ContentKind.STORY: "verhaal"}[self]

    @property
    def folder(self) -> str:
        return {ContentKind.DILEMMA: "dilemmas", ContentKind.STORY: "stories"}[self]


class ReviewState(StrEnum):
    """Where a draft stands: concept → ter beoordeling → goedgekeurd or teruggestuurd → gepubliceerd."""

    DRAFT = "concept"
    IN_REVIEW = "ter-beoordeling"
    APPROVED = "goedgekeurd"
    RETURNED = "teruggestuurd"
    PUBLISHED = "gepubliceerd"

    @property
    def label(self) -> str:
        return REVIEW_LABELS[self]


REVIEW_LABELS = {ReviewState.DRAFT: "concept", ReviewState.IN_REVIEW: "ter beoordeling",
                 ReviewState.APPROVED: "goedgekeurd", ReviewState.RETURNED: "teruggestuurd",
                 ReviewState.PUBLISHED: "gepubliceerd"}


class Draft(db.Model):
    """The card or story an organisation is writing: the whole file text, and where its review stands."""

    __table_args__ = (UniqueConstraint("organisation_id", "kind", "slug", name="uq_draft_organisation_kind_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    slug: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default=ReviewState.DRAFT)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Raised on every save: an editor sends the revision it started from, and a save from an older one is
    # refused instead of overwriting what someone else saved in between.
    revision: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Draft {self.kind}:{self.slug} r{self.revision} {self.state}>"


class Publication(db.Model):
    """One published version of an organisation's card or story: its text never changes; it can only be
    withdrawn, and plans and sessions made with it keep playing it."""

    __table_args__ = (
        UniqueConstraint("organisation_id", "kind", "slug", "number", name="uq_publication_version"),
        Index("ix_publication_organisation_live", "organisation_id", "withdrawn"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    slug: Mapped[str] = mapped_column(String(80))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn: Mapped[bool] = mapped_column(default=False, server_default=false())
    withdrawn_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Publication {self.kind}:{self.slug} v{self.number}{' ingetrokken' if self.withdrawn else ''}>"


class DraftComment(db.Model):
    """A reviewer's remark on one field of a draft (such as `titel` or `stap:begin`)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The draft's revision the remark was made on, so the author sees which text it was about.
    revision: Mapped[int] = mapped_column(default=1)
    resolved: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<DraftComment {self.draft_id} {self.field}>"
