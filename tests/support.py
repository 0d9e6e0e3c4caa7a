"""Helpers shared by the tests: the test password and a client that submits forms with their CSRF token."""
from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from bril.models import db

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


def make_app(database_url: str, **config):
    """An app for tests on an empty database, with the bundled content unless `config` says otherwise."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
                      **config})
    app.test_client_class = Client
    with app.app_context():
        db.create_all()
    return app


def close_app(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def reset_postgresql(url: str) -> None:
    """Drop everything in the public schema so each test starts empty."""
    from app import database_url as normalise
    engine = create_engine(normalise(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
