"""A dry run on the local network (scripts/start --lan): the projector gives phones the network address, and the
facilitator sees a plain warning that this is for trying out, at the console's and the projector's sizes."""
from __future__ import annotations

import threading

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from app import create_app
from bril import security
from bril.models import Organisation, User, db
from browsing import axe_violations, login
from servers import Browserless
from support import PASSWORD
from support.library import BUNDLED_CONTENT

PUBLIC_URL = "http://192.168.1.20:5000"


@pytest.fixture(scope="module")
def trial_server(tmp_path_factory):
    """The site as scripts/start --lan serves it: PUBLIC_URL names the address phones use."""
    folder = tmp_path_factory.mktemp("proef")
    app = create_app({"TESTING": True, "SECRET_KEY": "browser-tests", **BUNDLED_CONTENT.config,
                      "LIBRARY": BUNDLED_CONTENT.load(), "PUBLIC_URL": PUBLIC_URL,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'proef.sqlite3'}"})
    with app.app_context():
        db.create_all()
        organisation = Organisation(name="Gemeente Proefdorp", slug="proefdorp")
        db.session.add(organisation)
        db.session.flush()
        db.session.add(User(email="begeleider@example.org", role="procesbegeleider", organisation_id=organisation.id,
                            password_hash=security.hash_password(PASSWORD)))
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_the_projector_gives_phones_the_network_address_and_the_facilitator_is_warned(page: Page, trial_server):
    facilitator = Browserless(trial_server)
    facilitator.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
    plan = facilitator.submit("/sessies/plannen/", {"title": "Proefsessie"}).url.split(trial_server)[1]
    facilitator.submit(plan, {"kind": "dilemma", "ref": "dilemma:hennep-op-zolder", "minutes": "30"})
    console = facilitator.submit(f"{plan}/start", {}, page=plan).url.split(trial_server)[1]

    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, trial_server, "begeleider@example.org")
    page.goto(f"{trial_server}/sessies/")
    notice = page.locator(".trial-notice")
    expect(notice).to_contain_text("Proefopstelling")
    expect(notice).to_contain_text("niet voor een echte sessie")
    assert axe_violations(page) == []
    page.goto(trial_server + console)
    expect(notice).to_be_visible()

    for size in ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720}):
        page.set_viewport_size(size)
        page.goto(f"{trial_server}{console}/scherm")
        expect(page.locator(".lobby-url")).to_have_text(f"{PUBLIC_URL}/meedoen")
        expect(page.locator(".trial-notice")).to_have_count(0)  # the room sees the session, not the warning
        assert axe_violations(page) == []

    phone = page.context.browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844}).new_page()
    phone.goto(f"{trial_server}/meedoen")
    expect(phone.locator(".trial-notice")).to_have_count(0)
    phone.context.close()
