"""An organisation's learning portal as this tool reaches it: its registration, and its public keys fetched
through the outbound checks (public addresses only, no redirects) and kept a while per process."""
from __future__ import annotations

import threading
import time

from flask import current_app
from joserfc.jwk import KeySet
from sqlalchemy import select

from ..models import LtiPlatform, db
from ..outbound import CheckedSession, address_problem

WHO = "het leerportaal"
# How long a portal's keys are trusted before they are fetched again; an unknown key id fetches them at once.
KEYS_SECONDS = 600
FRESH_SECONDS = 60
_keys: dict[str, tuple[float, KeySet]] = {}
_keys_lock = threading.Lock()


def loopback_allowed() -> bool:
    """True when a portal on this machine may be used (LTI_HTTP_LOOPBACK: tests, demonstrations)."""
    return bool(current_app.config.get("LTI_HTTP_LOOPBACK"))


def url_problem(url: str) -> str | None:
    """Why this server may not call a portal's address, in Dutch; None when it may."""
    return address_problem(url, loopback_allowed(), WHO)


def connection() -> CheckedSession:
    return CheckedSession(loopback_allowed(), WHO)


def registered(issuer: str, client_id: str | None) -> LtiPlatform | None:
    """The switched-on portal with this issuer (and client id, when the portal names it)."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.active.is_(True))
    if client_id:
        return db.session.scalar(query.where(LtiPlatform.client_id == client_id))
    found = db.session.scalars(query.limit(2)).all()
    return found[0] if len(found) == 1 else None  # two registrations of one issuer: the client id must say which


def platform_keys(platform: LtiPlatform, kid: str | None, fresh: bool = False) -> KeySet:
    """The portal's public keys; fetched again when they are old, do not hold the key id asked for, or `fresh`
    is asked (a signature that failed on kept keys: the portal may have changed its key) and they are over a
    minute old (so forged tokens cannot make this server fetch them again and again)."""
    url = platform.jwks_url
    with _keys_lock:
        cached = _keys.get(url)
    limit = FRESH_SECONDS if fresh else KEYS_SECONDS
    if cached and time.monotonic() - cached[0] < limit and holds(cached[1], kid):
        return cached[1]
    with connection() as http:
        response = http.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        keys = KeySet.import_key_set(response.json())
    with _keys_lock:
        _keys[url] = (time.monotonic(), keys)
    return keys


def holds(keys: KeySet, kid: str | None) -> bool:
    return kid is None or any(key.kid == kid for key in keys.keys)
