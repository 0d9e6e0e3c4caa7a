"""The start page."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

from .libraries import library_here

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """Explain the platform and lead to the stories."""
    return render_template("main/index.html", stories=list(library_here().stories.values()))


@bp.route("/favicon.ico")
def favicon():
    """The site's small icon, where browsers and other tools look for it without a link."""
    return send_from_directory(current_app.static_folder, "img/favicon.ico", mimetype="image/vnd.microsoft.icon")
