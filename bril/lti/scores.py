"""Send due grades to the portals' grade books (Assignment and Grade Services 2.0), never in a user's request.

The grades wait in an outbox, as the xAPI statements do (bril/outbox.py: claiming with a lease, waiting longer after
each failure). Each portal gives an access token for the client-credentials grant with a JWT signed by this tool's
key (private_key_jwt); the score goes to the line item's /scores. A score sent twice is harmless (the portal keeps
the newest score per person).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

import requests
from flask import Flask

from .. import outbox
from ..models import LtiGrade, LtiPlatform, utcnow
from ..outbound import AddressRefused
from ..outbox import Outcome
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
    return outbox.claim(LtiGrade, LtiPlatform, now, lambda grade, platform: Due(
        grade.id, platform.token_url, platform.client_id, grade.lineitem, grade.subject, grade.completed_at or now))


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """One round: claim, send, write down what became of each; how many were claimed and how many arrived."""
    due = claim(now or utcnow())
    tokens: dict[tuple[str, str], str] = {}
    return outbox.settle(LtiGrade, {item.grade_id: send(item, tokens) for item in due}, now or utcnow())


def send(item: Due, tokens: dict[tuple[str, str], str]) -> Outcome:
    """Post one score: taken, or the Dutch reason."""
    try:
        with connection() as http:
            key = (item.platform_token_url, item.client_id)
            if key not in tokens:
                tokens[key] = access_token(http, item)
            response = http.post(scores_url(item.lineitem), data=score_body(item),
                                 headers={"Content-Type": SCORE_TYPE, "Authorization": f"Bearer {tokens[key]}"})
            response.close()
            taken = response.status_code in (200, 201, 204)
            return Outcome(True) if taken else Outcome(False, REFUSED.format(code=response.status_code))
    except (TokenRefused, AddressRefused) as refusal:
        return Outcome(False, str(refusal))
    except requests.RequestException:
        return Outcome(False, UNREACHABLE)


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
    """A worker's sender of grades (gunicorn.conf.py starts it beside the xAPI one)."""
    outbox.run_forever(app, send_due, "LTI_IDLE_SECONDS", "cijfers naar het leerportaal sturen mislukt")
