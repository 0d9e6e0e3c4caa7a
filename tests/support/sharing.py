"""An organisation's own card, published and ready to offer to the shared library: the start of the sharing and
review-board tests."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bril import authoring
from bril.models import Organisation, db

CARD = (Path(__file__).parent.parent / "content" / "library" / "dilemmas" / "voordeur.md").read_text(encoding="utf-8")


def published_own_card(app, organisation_slug: str) -> int:
    """Publish the fixture card as `eigen-voordeur` of that organisation; the version's id."""
    with app.app_context():
        organisation = db.session.scalar(select(Organisation.id).filter_by(slug=organisation_slug))
        draft = authoring.create_draft(organisation, "dilemma", "eigen-voordeur", CARD, None)
        db.session.commit()
        return authoring.publish(draft, None, reviewed=False).id
