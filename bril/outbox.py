"""A queue in the database of things to send to another organisation's server: what the xAPI statements (to a learning
record store, bril/xapi/sender.py) and the LTI grades (to a portal's grade book, bril/lti/scores.py) share.

Never sent in a user's request. A round claims the rows that are due: on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
the senders of several workers never take the same rows; on SQLite there is one process. Claiming moves their next
attempt fifteen minutes on (a lease) and commits before anything is sent: no lock is held while another server
answers, and a sender that dies mid-send leaves rows that are simply due again after the lease. A failure waits longer
each time (`backoff`); after `MAX_ATTEMPTS`, or when trying again cannot help, a row waits for a beheerder's
"Opnieuw proberen".
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from .models import FAILED, SENT, WAITING, db, utcnow

log = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 12
# Longer than the slowest round: a refused batch of 50 sent one by one, each waiting at most the outbound TIMEOUT.
LEASE = timedelta(minutes=15)
# How long an idle sender waits before it looks again; a new row waits about this long.
IDLE_SECONDS = 10


@dataclass(frozen=True)
class Outcome:
    """What became of one row: sent, or the Dutch reason and whether trying again may help."""

    sent: bool
    error: str | None = None
    retry: bool = True


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 30 seconds, doubling, at most six hours."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def claim(model, switch, now: datetime, take: Callable, *order) -> list:
    """Take the due rows of `model` whose organisation's `switch` (its record store or portal) is active, lease them to
    this sender and commit. `take(row, switch)` reads what is sent from each, before the commit: nothing is read from
    the database while another server answers. Oldest due first, then by `order`."""
    rows = db.session.execute(
        select(model, switch).join(switch, switch.organisation_id == model.organisation_id)
        .where(switch.active.is_(True), model.state == WAITING, model.next_attempt_at <= now)
        .order_by(model.next_attempt_at, *order).limit(BATCH).with_for_update(skip_locked=True, of=model)).all()
    taken = []
    for row, settings in rows:
        row.next_attempt_at = now + LEASE
        taken.append(take(row, settings))
    db.session.commit()
    return taken


def settle(model, outcomes: dict, now: datetime) -> tuple[int, int]:
    """Write down what became of each row sent (by id) and commit; how many were sent and how many arrived."""
    for row in db.session.scalars(select(model).where(model.id.in_(list(outcomes)))):
        outcome = outcomes[row.id]
        row.attempts += 1
        if outcome.sent:
            row.state, row.sent_at, row.last_error = SENT, now, None
            continue
        row.last_error = outcome.error
        if not outcome.retry or row.attempts >= MAX_ATTEMPTS:
            row.state = FAILED
        else:
            row.next_attempt_at = now + backoff(row.attempts)
    db.session.commit()
    return len(outcomes), sum(outcome.sent for outcome in outcomes.values())


def try_again(model, organisation_id: int, states: tuple[str, ...], *which) -> int:
    """Put an organisation's rows in `states` (only those `which` selects, when given) back in the queue: due now,
    with fresh attempts and no error from before; how many. The sender takes them on its next round."""
    result = db.session.execute(
        update(model).where(model.organisation_id == organisation_id, model.state.in_(states), *which)
        .values(state=WAITING, next_attempt_at=utcnow(), attempts=0, last_error=None)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def send_everything(send_due: Callable[[], tuple[int, int]]) -> tuple[int, int]:
    """Rounds until one claims less than a batch (for cron); how many were claimed and how many arrived."""
    claimed_total = sent_total = 0
    while True:
        claimed, sent = send_due()
        claimed_total, sent_total = claimed_total + claimed, sent_total + sent
        if claimed < BATCH:
            return claimed_total, sent_total


def run_forever(app: Flask, send_due: Callable[[], tuple[int, int]], idle_setting: str, failure: str,
                hourly: Callable[[], object] | None = None) -> None:
    """One worker's sender: a round, then a pause unless a full batch suggests more is due (a greenlet under
    gunicorn's gevent worker, see gunicorn.conf.py). `hourly`: a chore once an hour beside it."""
    done_hourly = 0.0
    while True:
        claimed = 0
        with app.app_context():
            try:
                claimed, _ = send_due()
                if hourly is not None and time.monotonic() - done_hourly > 3600:
                    hourly()
                    done_hourly = time.monotonic()
            except Exception:  # the sender must outlive a database or network hiccup; it logs and goes on
                log.exception(failure)
                db.session.rollback()
            finally:
                db.session.remove()
        time.sleep(0.1 if claimed == BATCH else app.config.get(idle_setting, IDLE_SECONDS))
