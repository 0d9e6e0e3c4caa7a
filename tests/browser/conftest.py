"""Browser fixtures: the real app on a live server, and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import shutil
import threading

import pytest
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from bril import security
from bril.models import Organisation, User, db
from support import PASSWORD
from support.library import BUNDLED_CONTENT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # The in-process test server leaves a static file open when the browser drops the download
            # (a page that moves on while live.js still loads); gunicorn, in production, closes it.
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Exception ignored in. <_io.FileIO name=.*/static/:pytest.PytestUnraisableExceptionWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore:unclosed file <_io.BufferedReader name=.*/static/"))


class Served(str):
    """The live server's address, which also knows its app: a test may put rows in its database first."""

    def __new__(cls, address: str, app):
        served = super().__new__(cls, address)
        served.app = app
        return served


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the app on a free port on 127.0.0.1, with an organisation and an account of every role."""
    folder = tmp_path_factory.mktemp("live")
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-tests", "OIDC_HTTP_LOOPBACK": True,
                      **BUNDLED_CONTENT.config, "LIBRARY": BUNDLED_CONTENT.load(),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.sqlite3'}"})
    with app.app_context():
        db.create_all()
        organisation = Organisation(name="Gemeente Proefdorp", slug="proefdorp")
        db.session.add(organisation)
        db.session.flush()
        for email, role in (("lezer@example.org", "deelnemer"), ("beheer@example.org", "beheerder"),
                            ("begeleider@example.org", "procesbegeleider"), ("platform@example.org", "platformbeheerder")):
            db.session.add(User(email=email, role=role, password_hash=security.hash_password(PASSWORD),
                                organisation_id=None if role == "platformbeheerder" else organisation.id))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium ontbreekt: installeer Debian's pakket 'chromium' (scripts/test doet dat).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def nojs_page(browser) -> Page:
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
