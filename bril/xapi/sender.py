"""Send the queued statements to each organisation's record store, in batches, never in a user's request.

The queue is an outbox (bril/outbox.py: claiming with a lease, waiting longer after each failure). Sending a statement
twice is harmless: its id is fixed, and a record store refuses or ignores an id it knows. Errors are written in Dutch
here and never repeat what the record store answered.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from flask import Flask, current_app
from sqlalchemy import delete

from .. import outbox
from ..models import FAILED, SENT, WAITING, QueuedStatement, RecordStore, db, utcnow
from ..outbound import AddressRefused, CheckedSession
from ..outbox import Outcome

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Address:
    """Where one organisation's statements go, read before sending so no transaction waits on the network."""

    endpoint: str
    key: str
    secret: str


def claim(now: datetime) -> dict[Address, list[dict]]:
    """Take the due statements of organisations that send (oldest first); the statements per record store."""
    batches: dict[Address, list[dict]] = defaultdict(list)
    for address, statement in outbox.claim(
            QueuedStatement, RecordStore, now,
            lambda queued, store: (Address(store.endpoint, store.key, store.secret), queued.statement),
            QueuedStatement.created_at):
        batches[address].append(statement)
    return batches


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """One round: claim what is due, send it per record store, store what became of it. How many were
    claimed, and how many of those arrived."""
    batches = claim(now or utcnow())
    outcomes: dict[str, Outcome] = {}
    for address, statements in batches.items():
        outcomes.update(post(address, statements))
    return outbox.settle(QueuedStatement, outcomes, now or utcnow())


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
    return outbox.try_again(QueuedStatement, organisation_id, (WAITING, FAILED))


def purge_sent(days: int = KEEP_SENT_DAYS) -> int:
    """Forget statements the store has had for `days` days (the store keeps them); the number."""
    result = db.session.execute(delete(QueuedStatement).where(QueuedStatement.state == SENT,
                                                              QueuedStatement.sent_at < utcnow() - timedelta(days=days)))
    db.session.commit()
    return result.rowcount


def run_forever(app: Flask) -> None:
    """The sender of one worker process (gunicorn.conf.py starts it); sent statements are forgotten once an hour."""
    outbox.run_forever(app, send_due, "XAPI_IDLE_SECONDS", "versturen naar de leeromgeving mislukt", purge_sent)
