"""Shared fixtures: the app on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), clients and users."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bril import security
from sqlalchemy import select

from bril.models import Organisation, User, db
from bril.content import Library
from support import PASSWORD, Client, close_app, make_app, reset_postgresql
from support.library import BUNDLED_CONTENT

CONTENT = Path(__file__).parent / "content"
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def content_library() -> Library:
    """The library every test app serves, parsed once for the whole run and frozen: tests read it, none can
    change it."""
    return BUNDLED_CONTENT.load()


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> str:
    """A fresh, empty database for each test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    url = os.environ["TEST_DATABASE_URL"]
    reset_postgresql(url)
    return url


@pytest.fixture
def app(database_url, content_library):
    app = make_app(database_url)
    yield app
    close_app(app)


@pytest.fixture
def client(app) -> Client:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_org(app):
    """Create (or find) an organisation by its short name; its id."""
    def make(slug: str = "testgemeente", name: str | None = None) -> int:
        with app.app_context():
            found = db.session.scalar(select(Organisation).filter_by(slug=slug))
            if found is None:
                found = Organisation(slug=slug, name=name or slug.replace("-", " ").title())
                db.session.add(found)
                db.session.commit()
            return found.id
    return make


@pytest.fixture
def make_user(app, make_org):
    """Create a user with a role and the test password, in the test organisation unless told otherwise."""
    def make(email: str = "consulent@example.org", role: str = "deelnemer", password: str = PASSWORD,
             org: str = "testgemeente") -> User:
        organisation_id = None if role == "platformbeheerder" else make_org(org)
        with app.app_context():
            user = User(email=email, role=role, password_hash=security.hash_password(password),
                        organisation_id=organisation_id)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user
    return make


class AuthActions:
    def __init__(self, client: Client) -> None:
        self.client = client

    def login(self, email: str = "consulent@example.org", password: str = PASSWORD, **extra):
        return self.client.submit("/inloggen", {"email": email, "password": password, **extra})

    def logout(self):
        return self.client.submit("/uitloggen", page="/")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def facilitator(client, auth, make_user) -> Client:
    """A logged-in procesbegeleider."""
    make_user("begeleider@example.org", role="procesbegeleider")
    auth.login("begeleider@example.org")
    return client


@pytest.fixture(scope="session")
def identity_provider():
    """A real OpenID Connect provider process on loopback, shared by the tests that sign in through it."""
    from servers import IdentityProviderProcess
    provider = IdentityProviderProcess().start()
    yield provider
    provider.stop()
