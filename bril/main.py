"""The start page."""
from __future__ import annotations

from flask import Blueprint, render_template

from .libraries import library_here

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    """Explain the platform and lead to the stories."""
    return render_template("main/index.html", stories=list(library_here().stories.values()))
