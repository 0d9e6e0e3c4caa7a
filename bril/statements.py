"""The statements a Dutch public body publishes about its site: accessibility and privacy.

Both read their figures from the running configuration (how long data is kept, who to contact), so the
page says what the site really does.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

from .extensions import library
from .logins import LOGIN_DAYS
from .models import RecordStore, db
from .tenancy import reader_organisation
from .xapi.sender import KEEP_SENT_DAYS

bp = Blueprint("statements", __name__)


def contact() -> dict[str, str | None]:
    """Who answers questions about this site: the reader's organisation (or the only one there is) with its
    own address, else the installation's name and CONTACT_EMAIL."""
    found = reader_organisation()
    return {"organisation": found.name if found else library().meldroutes.organisation,
            "email": (found.contact_email if found else None) or current_app.config.get("CONTACT_EMAIL")}


@bp.route("/toegankelijkheid")
def accessibility():
    """The toegankelijkheidsverklaring, after the government's model."""
    return render_template("statements/accessibility.html", contact=contact())


@bp.route("/privacy")
def privacy():
    """What the site stores, why, how long, and how to have it removed."""
    organisation = reader_organisation()
    portal = db.session.get(RecordStore, organisation.id) if organisation else None
    return render_template("statements/privacy.html", contact=contact(), login_days=LOGIN_DAYS,
                           retention_days=current_app.config["WORKSHOP_RETENTION_DAYS"],
                           portal=portal if portal and portal.active else None, keep_sent_days=KEEP_SENT_DAYS)
