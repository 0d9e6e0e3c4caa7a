"""This tool's own RSA key pair: made once and kept in the database (every worker and server signs with the same
key), its public half published as a JWKS for the portals."""
from __future__ import annotations

import secrets
import time
import uuid

from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy.exc import IntegrityError

from ..models import LtiToolKey, db

# The one row: a second key would only be needed to rotate, which nothing here does yet.
KEY_ROW = 1
ALGORITHM = "RS256"


def tool_key() -> RSAKey:
    """The private key, made on first use; two workers making it at once agree on the first one stored."""
    row = db.session.get(LtiToolKey, KEY_ROW)
    if row is None:
        key = RSAKey.generate_key(2048, parameters={"kid": uuid.uuid4().hex, "use": "sig", "alg": ALGORITHM})
        try:
            db.session.add(LtiToolKey(id=KEY_ROW, kid=key.kid, private_jwk=key.as_dict(private=True)))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
        row = db.session.get(LtiToolKey, KEY_ROW)
    return RSAKey.import_key(row.private_jwk)


def public_jwks() -> dict:
    """The public key set the portals check this tool's signatures with."""
    return {"keys": [tool_key().as_dict(private=False)]}


def sign(claims: dict, lifetime: int = 300) -> str:
    """A JWT signed with the tool's key, valid for `lifetime` seconds, with its own id."""
    key = tool_key()
    now = int(time.time())
    body = {"iat": now, "exp": now + lifetime, "jti": secrets.token_urlsafe(16), **claims}
    return jwt.encode({"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}, body, key, algorithms=[ALGORITHM])
