"""This tool's own RSA key pairs: kept in the database (every worker and server signs with the same key), their
public halves published as a JWKS for the portals.

The first key is made on first use. To rotate, `flask lti new-key` adds a key: from then on the newest signs, and
the older ones stay in /lti/sleutels.json, so that a portal can still check what they signed and finds the new one
when it fetches the set again. `flask lti retire-keys` then takes the older ones out of the set."""
from __future__ import annotations

import secrets
import time
import uuid

from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..models import LtiToolKey, db

FIRST_ROW = 1  # the first key's id: two workers making it at once agree on the first one stored
ALGORITHM = "RS256"


def tool_key() -> RSAKey:
    """The private key that signs: the newest, the first made on first use."""
    row = newest()
    if row is None:
        try:
            db.session.add(new_row(FIRST_ROW))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        row = newest()
    return RSAKey.import_key(row.private_jwk)


def newest() -> LtiToolKey | None:
    return db.session.scalar(select(LtiToolKey).order_by(LtiToolKey.id.desc()).limit(1))


def new_row(row_id: int) -> LtiToolKey:
    key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex, "use": "sig", "alg": ALGORITHM})
    return LtiToolKey(id=row_id, kid=key.kid, private_jwk=key.as_dict(private=True))


def add_key() -> str:
    """A new key that signs from now on (the older ones stay published); its kid."""
    tool_key()  # the first, when there was none: a rotation always leaves the old key beside the new
    row = new_row(newest().id + 1)
    db.session.add(row)
    db.session.commit()
    return row.kid


def retire_keys() -> list[str]:
    """Take every key but the newest out of the published set; the kids taken out."""
    tool_key()
    keep = newest()
    old = list(db.session.scalars(select(LtiToolKey).where(LtiToolKey.id != keep.id)))
    for row in old:
        db.session.delete(row)
    db.session.commit()
    return [row.kid for row in old]


def public_jwks() -> dict:
    """The public key set the portals check this tool's signatures with: the key that signs and any not retired."""
    tool_key()
    rows = db.session.scalars(select(LtiToolKey).order_by(LtiToolKey.id.desc()))
    return {"keys": [RSAKey.import_key(row.private_jwk).as_dict(private=False) for row in rows]}


def sign(claims: dict, lifetime: int = 300) -> str:
    """A JWT signed with the tool's key, valid for `lifetime` seconds, with its own id."""
    key = tool_key()
    now = int(time.time())
    body = {"iat": now, "exp": now + lifetime, "jti": secrets.token_urlsafe(16), **claims}
    return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}, body, key, algorithms=[ALGORITHM])
