"""Against a real learning record store (ralph, tests/lrs.py): every statement arrives exactly once, also when
the store is away for a while and the server restarts in between, mid-send."""
from __future__ import annotations

from datetime import timedelta

import time

import pytest
from sqlalchemy import select

from bril import outbox
from bril.models import SENT, WAITING, Organisation, QueuedStatement, RecordStore, User, db, utcnow
from bril.security import hash_password
from bril.xapi import record, sender
from lrs import PASSWORD, USERNAME, RecordStoreProcess
from servers import Browserless, Server, flask, server_env
from support import PASSWORD as USER_PASSWORD
from support import close_app, make_app
from support.sessions import login
from support.walking import read_story, walk_card

pytestmark = pytest.mark.slow


@pytest.fixture
def lrs(tmp_path):
    store = RecordStoreProcess(tmp_path / "lrs").start()
    yield store
    store.stop()


def add_many(app, count: int, label: str) -> None:
    """`count` statements of one user, as if that many things were finished (more than one batch)."""
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.email == "consulent@example.org"))
        for number in range(count):
            record.record(user, "completed", record.activity(f"/verhalen/{label}-{number}", "module", label),
                          f"{label} {number}")
        db.session.commit()


def send_all(app, now=None) -> tuple[int, int]:
    """Rounds until nothing more is due; how many were claimed and sent in all."""
    claimed = sent = 0
    with app.app_context():
        while True:
            round_claimed, round_sent = sender.send_due(now)
            claimed, sent = claimed + round_claimed, sent + round_sent
            if round_claimed == 0:
                return claimed, sent


def queue(app) -> dict[str, str]:
    with app.app_context():
        return {row.id: row.state for row in db.session.scalars(select(QueuedStatement))}


def test_every_statement_arrives_once_across_a_store_outage_and_a_restart(app, database, make_user, lrs):
    make_user()
    with app.app_context():
        organisation_id = db.session.scalar(select(User.organisation_id))
        db.session.add(RecordStore(organisation_id=organisation_id, active=True, endpoint=lrs.endpoint,
                                   key=USERNAME, secret=PASSWORD, actor="pseudoniem"))
        db.session.commit()
    app.config["XAPI_HTTP_LOOPBACK"] = True
    reader = login(app, "consulent@example.org")
    walk_card(reader)
    read_story(reader)
    add_many(app, 70, "voor")
    first = queue(app)
    assert send_all(app) == (len(first), len(first))
    assert lrs.ids() == {statement_id: 1 for statement_id in first}

    lrs.stop()  # the store is away for a minute: what is made now waits, and nothing is lost
    add_many(app, 60, "tijdens")
    away = utcnow()
    # The senders' clock through that minute: a try at once, again after the first wait (30 s), and at the
    # end of the minute, when the second wait (60 s) has not passed yet.
    tries = [send_all(app, away + timedelta(seconds=seconds)) for seconds in (0, 31, 60)]
    assert tries == [(60, 0), (60, 0), (0, 0)]
    assert set(queue(app).values()) == {SENT, WAITING}

    lrs.start()
    with app.app_context():  # a sender claims a batch, sends it, and its process dies before it writes that down
        batches = sender.claim(away + timedelta(minutes=2))
        assert sum(len(statements) for statements in batches.values()) > 0
        for address, statements in batches.items():
            assert all(outcome.sent for outcome in sender.post(address, statements).values())
    close_app(app)

    restarted = make_app(database, XAPI_HTTP_LOOPBACK=True)  # the server starts again, on the same database
    try:
        later = away + outbox.LEASE + timedelta(minutes=2)
        send_all(restarted, later)
        final = queue(restarted)
        assert set(final.values()) == {SENT} and len(final) == len(first) + 60
        assert lrs.ids() == {statement_id: 1 for statement_id in final}
    finally:
        close_app(restarted)


def test_a_wrong_secret_is_explained_without_echoing_the_store(app, make_user, lrs):
    make_user()
    with app.app_context():
        organisation_id = db.session.scalar(select(User.organisation_id))
        db.session.add(RecordStore(organisation_id=organisation_id, active=True, endpoint=lrs.endpoint,
                                   key=USERNAME, secret="fout", actor="pseudoniem"))
        db.session.commit()
    app.config["XAPI_HTTP_LOOPBACK"] = True
    add_many(app, 3, "fout")
    assert send_all(app) == (3, 0)
    with app.app_context():
        errors = {row.last_error for row in db.session.scalars(select(QueuedStatement))}
    assert errors == {sender.REFUSED_KEY.format(code=401)}
    assert lrs.ids() == {}


def test_each_worker_of_the_real_server_sends_by_itself(tmp_path, lrs):
    database = f"sqlite:///{tmp_path / 'bril.sqlite3'}"
    env = server_env(database, FLASK_XAPI_HTTP_LOOPBACK="true", FLASK_XAPI_IDLE_SECONDS="0.5")
    flask(env, "db", "upgrade")
    setup = make_app(database)
    with setup.app_context():
        organisation = db.session.scalar(select(Organisation))  # the one a new installation has
        db.session.add(User(email="consulent@example.org", role="deelnemer", organisation_id=organisation.id,
                            password_hash=hash_password(USER_PASSWORD)))
        db.session.add(RecordStore(organisation_id=organisation.id, active=True, endpoint=lrs.endpoint,
                                   key=USERNAME, secret=PASSWORD, actor="pseudoniem"))
        db.session.commit()
    close_app(setup)
    server = Server(env).start()
    try:
        reader = Browserless(server.url)
        reader.submit("/inloggen", {"email": "consulent@example.org", "password": USER_PASSWORD})
        reader.submit("/dilemmas/voordeur/start", {}, page="/dilemmas/voordeur")
        reader.submit("/dilemmas/voordeur/kies", {"optie": "1"}, page="/dilemmas/voordeur/lopen")
        deadline = time.monotonic() + 15
        while not lrs.ids() and time.monotonic() < deadline:
            time.sleep(0.3)
        assert list(lrs.ids().values()) == [1]
    finally:
        server.stop()
