"""What the sharing pages show: an organisation's published versions with their sharing state, and the offers
the platform decides on. Reads only; the changes are in `rules`."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import case, select

from ..content.problems import Problems
from ..libraries import parse_shared, shared_slug
from ..models import NOT_OFFERED, Organisation, Publication, SharedOffer, ShareState, User, db


@dataclass(frozen=True)
class Row:
    """One published version, the offer made of it (if any) and the organisation it belongs to."""

    version: Publication
    offer: SharedOffer | None
    organisation: Organisation

    @property
    def state_label(self) -> str:
        return self.offer.share_state.label if self.offer else NOT_OFFERED

    @property
    def may_offer(self) -> bool:
        return not self.version.withdrawn and (self.offer is None or self.offer.state in (
            ShareState.RETURNED, ShareState.WITHDRAWN))

    @property
    def may_withdraw(self) -> bool:
        return self.offer is not None and self.offer.state in (ShareState.OFFERED, ShareState.ACCEPTED)

    @property
    def shared_slug(self) -> str:
        return shared_slug(self.organisation.slug, self.version.slug)


def _rows(query) -> list[Row]:
    return [Row(*found) for found in db.session.execute(query)]


def versions_of(organisation_id: int) -> list[Row]:
    """Every published version of an organisation, newest first per card or story, with its offer."""
    return _rows(select(Publication, SharedOffer, Organisation)
                 .join(Organisation, Organisation.id == Publication.organisation_id)
                 .outerjoin(SharedOffer, SharedOffer.publication_id == Publication.id)
                 .where(Publication.organisation_id == organisation_id)
                 .order_by(Publication.kind, Publication.slug, Publication.number.desc()))


def version_here_or_404(organisation_id: int | None, version_id: int) -> Publication:
    """A published version of the caller's organisation; another organisation's is not found."""
    version = db.session.get(Publication, version_id)
    if version is None or not organisation_id or version.organisation_id != organisation_id:
        abort(404)
    return version


def offers() -> list[Row]:
    """Every offer for the platform: those waiting first (oldest first), then the rest, newest first."""
    waiting = case((SharedOffer.state == ShareState.OFFERED, 0), else_=1)
    return _rows(select(Publication, SharedOffer, Organisation)
                 .join(SharedOffer, SharedOffer.publication_id == Publication.id)
                 .join(Organisation, Organisation.id == Publication.organisation_id)
                 .order_by(waiting, SharedOffer.offered_at.desc(), SharedOffer.id.desc()))


def offer_or_404(version_id: int) -> Row:
    """An offered version for the platform; a version nobody offered is not found."""
    found = db.session.execute(select(Publication, SharedOffer, Organisation)
                               .join(SharedOffer, SharedOffer.publication_id == Publication.id)
                               .join(Organisation, Organisation.id == Publication.organisation_id)
                               .where(Publication.id == version_id)).first()
    if found is None:
        abort(404)
    return Row(*found)


def as_read(row: Row):
    """The card or story as other organisations would read it (its shared name, before its origin is added)."""
    return parse_shared(row.version.text, row.version.kind, row.shared_slug, Problems())


def names_of(ids: set[int | None]) -> dict[int, str]:
    """The e-mail addresses of the people named on an offer (who offered, who decided)."""
    ids = {i for i in ids if i}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all()) if ids else {}


def board() -> list[tuple[User, str]]:
    """The review board: each member with their organisation's name, by organisation and address."""
    return list(db.session.execute(select(User, Organisation.name)
                                   .join(Organisation, Organisation.id == User.organisation_id)
                                   .where(User.shared_reviewer.is_(True))
                                   .order_by(Organisation.name, User.email)).all())
