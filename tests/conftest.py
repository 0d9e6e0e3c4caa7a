"""Shared fixtures: the app on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), clients and users."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bril import security
from sqlalchemy import create_engine, select

from bril.models import Organisation, User, db
from bril.content import Library
from support import PASSWORD, Client, close_app, make_app
from support.databases import empty_tables, reset_postgresql, worker_database
from support.library import BUNDLED_CONTENT, FIXTURE_CONTENT
from support.sessions import login, make_plan

CONTENT = Path(__file__).parent / "content"
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_collection_modifyitems(items):
    """The slow tests run after the rest, so that a mistake the quick ones find shows in seconds."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is not None)


@pytest.fixture(scope="session")
def content_library() -> Library:
    """The fixture library every test app serves (tests/content/library), parsed once for the whole run and
    frozen: tests read it, none can change it."""
    return FIXTURE_CONTENT.load()


@pytest.fixture(scope="session")
def empty_sqlite(tmp_path_factory) -> Path:
    """An SQLite file with every table and no rows, made once: copying it is ten times faster than creating the
    tables for each test."""
    path = tmp_path_factory.mktemp("leeg") / "leeg.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    db.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(params=DATABASES)
def database(request, tmp_path) -> str:
    """The address of this test's own database, SQLite (a new file) or PostgreSQL, in whatever state it is."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return worker_database(os.environ["TEST_DATABASE_URL"])


@pytest.fixture
def database_url(database) -> str:
    """A fresh, empty database for each test: no tables (the test makes them, e.g. by migrating)."""
    if database.startswith("postgresql"):
        reset_postgresql(database)
    return database


@pytest.fixture
def app(request, database, content_library):
    """The app on a database with every table and no rows, serving the fixture library."""
    if database.startswith("sqlite:///"):
        shutil.copyfile(request.getfixturevalue("empty_sqlite"), database.removeprefix("sqlite:///"))
    else:
        empty_tables(database)
    app = make_app(database)
    yield app
    close_app(app)


@pytest.fixture
def bundled_app(database_url):
    """An app serving the bundled stories and cards (stories/, dilemmas/), parsed once per run: only for the tests
    of that content; every other test uses the fixture library, so that an edit of a card never breaks them."""
    app = make_app(database_url, BUNDLED_CONTENT)
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


@pytest.fixture
def two_organisations(app, make_user) -> dict[str, tuple[int, int]]:
    """A beheerder and a procesbegeleider in each of two organisations ("a-…" in testgemeente, "b-…" in
    andere-gemeente) and one running session in each: per prefix, the plan's id and the session's id."""
    for org, prefix in (("testgemeente", "a"), ("andere-gemeente", "b")):
        make_user(f"{prefix}-beheer@example.org", role="beheerder", org=org)
        make_user(f"{prefix}-begeleider@example.org", role="procesbegeleider", org=org)
    sessions = {}
    for prefix in ("a", "b"):
        begeleider = login(app, f"{prefix}-begeleider@example.org")
        plan_id = make_plan(app, f"{prefix}-begeleider@example.org")
        response = begeleider.submit(f"/sessies/plannen/{plan_id}/start", page=f"/sessies/plannen/{plan_id}")
        sessions[prefix] = (plan_id, int(response.location.rsplit("/", 1)[1]))
    return sessions


@pytest.fixture(scope="session")
def identity_provider():
    """A real OpenID Connect provider process on loopback, shared by the tests that sign in through it."""
    from servers import IdentityProviderProcess
    provider = IdentityProviderProcess().start()
    yield provider
    provider.stop()
