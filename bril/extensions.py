"""The floor every feature module stands on: the unbound extensions, the content library and the text
renderer. It imports nothing of the features; bril/wiring.py binds it all to an app."""
from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask, current_app
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from .content import ContentInvalid, Library, format_report, load_library

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Log in om deze pagina te zien."
login_manager.session_protection = "basic"
csrf = CSRFProtect()


class DatabaseId(IntegerConverter):
    """<int:...> in a route is a database id: a number too large for the column is simply not found (404),
    instead of an error from the database."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def load_content(app: Flask) -> Library:
    """Parse all content once at start; refuse to start when anything is wrong."""
    library, problems = load_library(Path(app.config["STORIES_DIR"]), Path(app.config["DILEMMAS_DIR"]),
                                     Path(app.config["MELDROUTE_FILE"]), Path(app.root_path))
    if library is None:
        print(format_report(problems), file=sys.stderr)
        raise ContentInvalid(problems)
    return library


def library() -> Library:
    """The content library of the running app."""
    return current_app.extensions["bril.library"]


def render_text(template: str, **context) -> str:
    """Render a plain-text template (not HTML: every value escapes itself through a filter such as |md)."""
    return current_app.extensions["bril.text"].get_template(template).render(**context)
