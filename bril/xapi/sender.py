"""Send the queued statements to each organisation's record store, in batches, never in a user's request.

A round claims the statements that are due: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so the senders of
several workers never take the same rows; on SQLite there is one process. Claiming moves their next attempt
fifteen minutes on (a lease) and commits before anything is sent: no lock is held while another server
answers, and a sender that dies mid-send leaves rows that are simply due again after the lease. Sending a
statement twice is harmless: its id is fixed, and a record store refuses or ignores an id it knows.

A failure waits longer each time (`backoff`), and after `MAX_ATTEMPTS` the statement waits for a beheerder's
"Opnieuw proberen". Errors are written in Dutch here and never repeat what the record store answered.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from flask import Flask, current_app
from sqlalchemy import delete, select, update

from ..models import FAILED, SENT, WAITING, QueuedStatement, RecordStore, db, utcnow
from ..outbound import AddressRefused, CheckedSession

log = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 12
# Longer than the slowest round: a refused batch of 50 sent one by one, each waiting at most TIMEOUT.
LEASE = timedelta(minutes=15)
# How long an idle sender waits before it looks again; a new statement waits about this long (XAPI_IDLE_SECONDS).
IDLE_SECONDS = 10
# A sent statement is kept this long, for the beheerder's page; the record store has it.
KEEP_SENT_DAYS = 30
WHO = "de leeromgeving"
VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}

UNREACHABLE = "De leeromgeving gaf geen antwoord. Het platform probeert het later opnieuw."
REFUSED_KEY = ("De leeromgeving weigert de sleutel en het geheim (fout {code}). Controleer ze op de pagina "
               "Leerportaal.")
REFUSED_STATEMENT = "De leeromgeving weigert dit leerrecord (fout {code}). Opnieuw sturen helpt niet vanzelf."
STORE_ERROR = "De leeromgeving had een storing (fout {code}). Het platform probeert het later opnieuw."


def loopback_allowed() -> bool:
    """True when a record store on this machine may be used (XAPI_HTTP_LOOPBACK: tests, demonstrations)."""
    return bool(current_app.config.get("XAPI_HTTP_LOOPBACK"))


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 30 seconds, doubling, at most six hours."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


@dataclass(frozen=True)
class Outcome:
    """What became of one statement: sent, or the Dutch reason and whether trying again may help."""

    sent: bool
    error: str | None = None
    retry: bool = True


@dataclass(frozen=True)
class Address:
    """Where one organisation's statements go, read before sending so no transaction waits on the network."""

    endpoint: str
    key: str
    secret: str


def claim(now: datetime) -> dict[Address, list[dict]]:
    """Take the due statements of organisations that send, lease them to this sender and commit; the
    statements per record store."""
    rows = db.session.execute(
        select(QueuedStatement, RecordStore)
        .join(RecordStore, RecordStore.organisation_id == QueuedStatement.organisation_id)
        .where(RecordStore.active.is_(True), QueuedStatement.state == WAITING, QueuedStatement.next_attempt_at <= now)
        .order_by(QueuedStatement.next_attempt_at, QueuedStatement.created_at).limit(BATCH)
        .with_for_update(skip_locked=True, of=QueuedStatement)).all()
    batches: dict[Address, list[dict]] = defaultdict(list)
    for queued, store in rows:
        queued.next_attempt_at = now + LEASE
        batches[Address(store.endpoint, store.key, store.secret)].append(queued.statement)
    db.session.commit()
    return batches


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """One round: claim what is due, send it per record store, store what became of it. How many were
    claimed, and how many of those arrived."""
    batches = claim(now or utcnow())
    outcomes: dict[str, Outcome] = {}
    for address, statements in batches.items():
        outcomes.update(post(address, statements))
    for queued in db.session.scalars(select(QueuedStatement).where(QueuedStatement.id.in_(list(outcomes)))):
        settle(queued, outcomes[queued.id], now or utcnow())
    db.session.commit()
    return len(outcomes), sum(outcome.sent for outcome in outcomes.values())


def settle(row: QueuedStatement, outcome: Outcome, now: datetime) -> None:
    row.attempts += 1
    if outcome.sent:
        row.state, row.sent_at, row.last_error = SENT, now, None
        return
    row.last_error = outcome.error
    if not outcome.retry or row.attempts >= MAX_ATTEMPTS:
        row.state = FAILED
    else:
        row.next_attempt_at = now + backoff(row.attempts)


def connection(store: Address) -> CheckedSession:
    session = CheckedSession(loopback_allowed(), WHO)
    session.auth = (store.key, store.secret)
    session.headers.update(VERSION_HEADER)
    return session


def statements_url(store: Address) -> str:
    return store.endpoint.rstrip("/") + "/statements"


def post(store: Address, statements: list[dict]) -> dict[str, Outcome]:
    """Send a batch in one request; when the store refuses the batch (it knows one of the ids, dislikes one
    statement, or finds the batch too large), send them one by one, so each gets its own answer. A store says
    so with 409, 400 or 413, or, as ralph's file backend does, with a 500 for the whole batch."""
    try:
        with connection(store) as http:
            response = http.post(statements_url(store), json=statements)
            code = response.status_code
            response.close()  # its body is never read: it may come from anywhere
            if code in (200, 204):
                return {statement["id"]: Outcome(True) for statement in statements}
            if code in (400, 409, 413, 500) and len(statements) > 1:
                return {statement["id"]: put(http, store, statement) for statement in statements}
            outcome = answer(code)
    except AddressRefused as refusal:
        outcome = Outcome(False, str(refusal))
    except requests.RequestException:
        outcome = Outcome(False, UNREACHABLE)
    return {statement["id"]: outcome for statement in statements}


def put(http: CheckedSession, store: Address, statement: dict) -> Outcome:
    """Send one statement under its own id: stored now (204) or already there (409) both mean it arrived."""
    try:
        response = http.put(statements_url(store), params={"statementId": statement["id"]}, json=statement)
    except AddressRefused as refusal:
        return Outcome(False, str(refusal))
    except requests.RequestException:
        return Outcome(False, UNREACHABLE)
    response.close()
    return Outcome(True) if response.status_code in (200, 204, 409) else answer(response.status_code)


def answer(code: int) -> Outcome:
    """What a refusing status means for the statements it answered."""
    if code in (401, 403):
        return Outcome(False, REFUSED_KEY.format(code=code))
    if 400 <= code < 500 and code not in (408, 429):
        return Outcome(False, REFUSED_STATEMENT.format(code=code), retry=False)
    return Outcome(False, STORE_ERROR.format(code=code))


def try_again(organisation_id: int) -> int:
    """Put an organisation's given-up and waiting statements up for the next round; the number."""
    result = db.session.execute(
        update(QueuedStatement).where(QueuedStatement.organisation_id == organisation_id,
                                      QueuedStatement.state.in_((WAITING, FAILED)))
        .values(state=WAITING, next_attempt_at=utcnow(), attempts=0).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def purge_sent(days: int = KEEP_SENT_DAYS) -> int:
    """Forget statements the store has had for `days` days (the store keeps them); the number."""
    result = db.session.execute(delete(QueuedStatement).where(QueuedStatement.state == SENT,
                                                              QueuedStatement.sent_at < utcnow() - timedelta(days=days)))
    db.session.commit()
    return result.rowcount


def run_forever(app: Flask) -> None:
    """The sender of one worker process: a round, then a pause unless a full batch suggests more is due
    (a greenlet under gunicorn's gevent worker, see gunicorn.conf.py)."""
    purged_at = 0.0
    while True:
        claimed = 0
        with app.app_context():
            try:
                claimed, _ = send_due()
                if time.monotonic() - purged_at > 3600:
                    purge_sent()
                    purged_at = time.monotonic()
            except Exception:  # the sender must outlive a database or network hiccup; it logs and goes on
                log.exception("versturen naar de leeromgeving mislukt")
                db.session.rollback()
            finally:
                db.session.remove()
        time.sleep(0.1 if claimed == BATCH else app.config.get("XAPI_IDLE_SECONDS", IDLE_SECONDS))
