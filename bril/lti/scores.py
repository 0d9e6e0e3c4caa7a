"""Send due grades to the portals' grade books (Assignment and Grade Services 2.0), never in a user's request.

Like the xAPI sender (bril/xapi/sender.py): a round claims due grades (`FOR UPDATE SKIP LOCKED`), leases them
and commits before anything is sent; each portal gives an access token for the client-credentials grant with
a JWT signed by this tool's key (private_key_jwt); the score goes to the line item's /scores. A failure waits
longer each time; a score sent twice is harmless (the portal keeps the newest score per person).
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

import requests
from flask import Flask
from sqlalchemy import select

from ..models import FAILED, SENT, WAITING, LtiGrade, LtiPlatform, db, utcnow
from ..outbound import AddressRefused
from ..xapi.sender import BATCH, IDLE_SECONDS, LEASE, MAX_ATTEMPTS, backoff
from . import claims as lti
from .keys import sign
from .platforms import connection

log = logging.getLogger(__name__)

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
UNREACHABLE = "Het leerportaal gaf geen antwoord. Het platform probeert het later opnieuw."
NO_TOKEN = "Het leerportaal gaf geen toegang tot het cijferboek (fout {code}). Controleer de koppeling."
REFUSED = "Het leerportaal weigert het cijfer (fout {code})."


@dataclass(frozen=True)
class Due:
    grade_id: int
    platform_token_url: str
    client_id: str
    lineitem: str
    subject: str
    completed_at: datetime


def claim(now: datetime) -> list[Due]:
    rows = db.session.execute(
        select(LtiGrade, LtiPlatform).join(LtiPlatform, LtiPlatform.organisation_id == LtiGrade.organisation_id)
        .where(LtiPlatform.active.is_(True), LtiGrade.state == WAITING, LtiGrade.next_attempt_at <= now)
        .order_by(LtiGrade.next_attempt_at).limit(BATCH).with_for_update(skip_locked=True, of=LtiGrade)).all()
    due = []
    for grade, platform in rows:
        grade.next_attempt_at = now + LEASE
        due.append(Due(grade.id, platform.token_url, platform.client_id, grade.lineitem, grade.subject,
                       grade.completed_at or now))
    db.session.commit()
    return due


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """One round: claim, send, write down what became of each; how many were claimed and how many arrived."""
    due = claim(now or utcnow())
    tokens: dict[tuple[str, str], str] = {}
    outcomes = {item.grade_id: send(item, tokens) for item in due}
    for grade in db.session.scalars(select(LtiGrade).where(LtiGrade.id.in_(list(outcomes)))):
        settle(grade, outcomes[grade.id], now or utcnow())
    db.session.commit()
    return len(outcomes), sum(error is None for error in outcomes.values())


def settle(grade: LtiGrade, error: str | None, now: datetime) -> None:
    grade.attempts += 1
    if error is None:
        grade.state, grade.sent_at, grade.last_error = SENT, now, None
        return
    grade.last_error = error
    if grade.attempts >= MAX_ATTEMPTS:
        grade.state = FAILED
    else:
        grade.next_attempt_at = now + backoff(grade.attempts)


def send(item: Due, tokens: dict[tuple[str, str], str]) -> str | None:
    """Post one score; None when the portal took it, else the Dutch reason."""
    try:
        with connection() as http:
            key = (item.platform_token_url, item.client_id)
            if key not in tokens:
                tokens[key] = access_token(http, item)
            response = http.post(scores_url(item.lineitem), data=score_body(item),
                                 headers={"Content-Type": SCORE_TYPE, "Authorization": f"Bearer {tokens[key]}"})
            response.close()
            return None if response.status_code in (200, 201, 204) else REFUSED.format(code=response.status_code)
    except TokenRefused as refusal:
        return str(refusal)
    except AddressRefused as refusal:
        return str(refusal)
    except requests.RequestException:
        return UNREACHABLE


class TokenRefused(Exception):
    pass


def access_token(http, item: Due) -> str:
    """An access token for the score scope: the client-credentials grant with a signed JWT (private_key_jwt)."""
    assertion = sign({"iss": item.client_id, "sub": item.client_id, "aud": item.platform_token_url})
    response = http.post(item.platform_token_url, data={
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion, "scope": lti.SCORE_SCOPE})
    try:
        token = response.json().get("access_token") if response.status_code == 200 else None
    except ValueError:
        token = None
    if not isinstance(token, str) or not token:
        raise TokenRefused(NO_TOKEN.format(code=response.status_code))
    return token


def scores_url(lineitem: str) -> str:
    """The line item's /scores (a line item may carry a query string, which stays at the end)."""
    parts = urlsplit(lineitem)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


def score_body(item: Due) -> str:
    stamp = item.completed_at.replace(tzinfo=timezone.utc).isoformat(timespec="milliseconds")
    return json.dumps({"userId": item.subject, "scoreGiven": 1, "scoreMaximum": 1, "timestamp": stamp,
                       "activityProgress": "Completed", "gradingProgress": "FullyGraded"})


def run_forever(app: Flask) -> None:
    """A worker's sender of grades (start it beside the xAPI one: gevent.spawn(run_forever, worker.wsgi))."""
    while True:
        claimed = 0
        with app.app_context():
            try:
                claimed, _ = send_due()
            except Exception:  # the sender must outlive a database or network hiccup; it logs and goes on
                log.exception("cijfers naar het leerportaal sturen mislukt")
                db.session.rollback()
            finally:
                db.session.remove()
        time.sleep(0.1 if claimed == BATCH else app.config.get("LTI_IDLE_SECONDS", IDLE_SECONDS))
