"""Wie is hiervan?: the organisation's reporting routes."""
from __future__ import annotations

from flask import Blueprint, render_template

from .extensions import library

bp = Blueprint("meldroute", __name__)


@bp.route("/wie-is-hiervan")
def index():
    """Show every reporting route, with the stories that point to it."""
    stories = library().stories.values()
    linked = {key: [s for s in stories if key in s.meldroutes] for key in library().meldroutes.routes}
    return render_template("meldroute/index.html", book=library().meldroutes, linked=linked)
