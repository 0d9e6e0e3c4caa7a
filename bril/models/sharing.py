"""The shared library: an organisation offers one published version of its own card or story to every
organisation, and the platformbeheerder accepts it or returns it with a comment. Withdrawing follows the
same road. One row per offered version; the version's text itself stays in `Publication` and never changes.
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import db, utcnow


class ShareState(StrEnum):
    """Where an offered version stands: aangeboden → geaccepteerd or teruggestuurd; ingetrokken at any time."""

    OFFERED = "aangeboden"
    ACCEPTED = "geaccepteerd"
    RETURNED = "teruggestuurd"
    WITHDRAWN = "ingetrokken"

    @property
    def label(self) -> str:
        return SHARE_LABELS[self]


SHARE_LABELS = {ShareState.OFFERED: "aangeboden, wacht op beoordeling", ShareState.ACCEPTED: "geaccepteerd",
                ShareState.RETURNED: "teruggestuurd met opmerkingen", ShareState.WITHDRAWN: "ingetrokken"}
NOT_OFFERED = "niet aangeboden"


class SharedOffer(db.Model):
    """One published version offered to every organisation, and what became of the offer."""

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    # Whose it is, as other organisations read it beside the title ("Van Gemeente X"): the offering
    # organisation's name when it offered this version. A later new name reaches the next version offered.
    origin: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default=ShareState.OFFERED, index=True)
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    # Set once when the platform accepts, never cleared: plans made while it was in the shared library may keep
    # playing it after it is withdrawn; a version that was never accepted can never be pinned.
    accepted_at: Mapped[datetime | None]
    # The platform's comment when it returns an offer, or the reason it gives for withdrawing an accepted one.
    comment: Mapped[str | None] = mapped_column(Text)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None]

    @property
    def share_state(self) -> ShareState:
        return ShareState(self.state)

    def __repr__(self) -> str:
        return f"<SharedOffer publication={self.publication_id} {self.state}>"
