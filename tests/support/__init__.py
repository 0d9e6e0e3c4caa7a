"""Helpers shared by the tests: the test password and a client that submits forms with their CSRF token."""
from __future__ import annotations

import re

from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from app import create_app
from bril.models import db
from support.library import FIXTURE_CONTENT, ContentSource
from support.databases import reset_postgresql  # noqa: F401  (tests import it from here)
from support.routing import share_rule_builders

share_rule_builders()

PASSWORD = "een lang wachtwoord voor tests"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client(FlaskClient):
    """A test client that submits forms the way a browser does: with the page's CSRF token."""

    def submit(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        """GET `page` (default: `url`, following redirects), take its CSRF token and POST `data` to `url`."""
        html = self.get(page or url, follow_redirects=True).get_data(as_text=True)
        match = CSRF_INPUT.search(html)
        assert match, f"geen formulier met CSRF-token op {page or url}"
        return self.post(url, data={"csrf_token": match.group(1), **(data or {})}, **kwargs)


class SharedTemplates(BytecodeCache):
    """Compiled templates kept in memory for the whole run: every test builds a new app, and compiling the
    templates again for each of them took as long as the test itself. A changed template is compiled anew (the
    cache checks each template's source)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


# One cache per kind of environment: the HTML pages and the plain-text overlay compile the same file differently.
HTML_TEMPLATES, TEXT_TEMPLATES = SharedTemplates(), SharedTemplates()


def make_app(database_url: str, content: ContentSource | None = FIXTURE_CONTENT, **config):
    """An app for tests on an empty database, serving `content` parsed once per run (None: the app parses the
    folders that `config` names itself)."""
    shared = {**content.config, "LIBRARY": content.load()} if content else {}
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                      **shared, **config})
    app.test_client_class = Client
    app.jinja_env.bytecode_cache = HTML_TEMPLATES
    app.extensions["bril.text"].bytecode_cache = TEXT_TEMPLATES
    with app.app_context():
        db.create_all()
    return app


def close_app(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
