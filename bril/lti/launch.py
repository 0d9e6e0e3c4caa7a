"""The two halves of a launch: the login initiation (a state and nonce kept on the server) and the id_token
that comes back, checked before anyone is signed in.

Why the state lives on the server and not in a cookie: the id_token arrives as a cross-site POST from the
portal, often inside an iframe. A cookie would need SameSite=None and survives no browser that blocks
third-party cookies (Safari, Firefox, Chrome's plans), so such launches would fail for no reason the user can
fix. The state is a random row, valid ten minutes, deleted the moment it is used: a replayed id_token finds no
state (and its nonce, kept only on that row, is gone with it). The risk this leaves (someone making another
person's browser complete a launch they started) signs that person into a pseudonymous learner account of the
same organisation, which holds no one's data; LTI's own answer, the platform storage API, needs the portal's
help and can come later.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from joserfc import jwt
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jws import extract_compact
from requests import RequestException
from sqlalchemy import delete, select

from ..libraries import library_for
from ..models import LtiHandOver, LtiLaunchState, LtiPlatform, db, utcnow
from ..outbound import AddressRefused
from . import claims as lti
from .platforms import platform_keys

STATE_MINUTES = 10
# Seconds of clock difference allowed between the portal and this server.
LEEWAY = 60
TARGET_PATH = re.compile(r"^/(verhalen|dilemmas)/([a-z0-9][a-z0-9-]*)/?$")
KINDS = {"verhalen": "verhaal", "dilemmas": "kaart"}

NOT_VALID = ("Het leerportaal stuurde een aanmelding die niet klopt ({why}). Je bent niet ingelogd. Start de les "
             "opnieuw vanuit het leerportaal. Gebeurt dit weer, meld het dan aan de beheerder van het leerportaal.")


class LaunchRefused(Exception):
    """A launch that must not sign anyone in; the message is Dutch and for the user."""


@dataclass(frozen=True)
class Launch:
    """A checked launch: the portal, what it asked for and the claims it vouched for."""

    platform: LtiPlatform
    message_type: str
    claims: dict


def begin(platform: LtiPlatform) -> tuple[str, str]:
    """Keep a new state and nonce for a login initiation; both, to send to the portal."""
    row = LtiLaunchState(state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
                         organisation_id=platform.organisation_id)
    db.session.execute(delete(LtiLaunchState).where(LtiLaunchState.created_at < utcnow() - timedelta(
        minutes=STATE_MINUTES)))
    db.session.add(row)
    db.session.commit()
    return row.state, row.nonce


def take_state(state: str) -> LtiLaunchState:
    """The launch this state belongs to, removed so it is used once; refused when unknown, used or old."""
    row = db.session.get(LtiLaunchState, state) if state else None
    if row is None:
        raise LaunchRefused("Deze aanmelding is al gebruikt of verlopen. Je bent niet ingelogd. Start de les "
                            "opnieuw vanuit het leerportaal.")
    taken = db.session.execute(delete(LtiLaunchState).where(LtiLaunchState.state == state)).rowcount
    db.session.commit()
    if taken != 1 or row.created_at < utcnow() - timedelta(minutes=STATE_MINUTES):
        raise LaunchRefused("Deze aanmelding is al gebruikt of verlopen. Je bent niet ingelogd. Start de les "
                            "opnieuw vanuit het leerportaal.")
    return row


HAND_OVER_MINUTES = 5


def hand_over(user_id: int, kind: str, slug: str) -> str:
    """Keep a launch that arrived in the portal's frame for its window of its own; the token that opens it there."""
    db.session.execute(delete(LtiHandOver).where(LtiHandOver.created_at < utcnow() - timedelta(
        minutes=HAND_OVER_MINUTES)))
    row = LtiHandOver(token=secrets.token_urlsafe(32), user_id=user_id, target=f"{kind}:{slug}")
    db.session.add(row)
    db.session.commit()
    return row.token


def take_hand_over(token: str) -> tuple[int, str, str]:
    """(user, kind, slug) of a launch handed over from the frame, removed so it opens once; refused when unknown,
    used or older than a few minutes."""
    row = db.session.get(LtiHandOver, token) if token else None
    taken = db.session.execute(delete(LtiHandOver).where(LtiHandOver.token == token)).rowcount if row else 0
    db.session.commit()
    if row is None or taken != 1 or row.created_at < utcnow() - timedelta(minutes=HAND_OVER_MINUTES):
        raise LaunchRefused("Deze link is al gebruikt of verlopen. Je bent niet ingelogd. Start de les opnieuw "
                            "vanuit het leerportaal.")
    kind, slug = row.target.split(":", 1)
    return row.user_id, kind, slug


def refuse(why: str) -> LaunchRefused:
    return LaunchRefused(NOT_VALID.format(why=why))


def verify(id_token: str, state: str) -> Launch:
    """Check an id_token against the launch it answers: signature (the portal's published keys), issuer,
    audience, times, nonce, deployment, message type and version."""
    started = take_state(state)
    platform = db.session.scalar(select(LtiPlatform).where(LtiPlatform.organisation_id == started.organisation_id,
                                                           LtiPlatform.active.is_(True)))
    if platform is None:
        raise refuse("dit leerportaal is hier niet (meer) ingesteld")
    claims = signed_claims(platform, id_token)
    registry = jwt.JWTClaimsRegistry(leeway=LEEWAY, iss={"essential": True, "value": platform.issuer},
                                     exp={"essential": True}, iat={"essential": True},
                                     sub={"essential": True}, nonce={"essential": True, "value": started.nonce})
    try:
        registry.validate(claims)
    except JoseError as error:
        field = getattr(error, "claim", "") or ""
        raise refuse({"iss": "het komt van een ander leerportaal", "exp": "de aanmelding is verlopen",
                      "nonce": "de aanmelding is al gebruikt"}.get(field, f"veld '{field or error.error}'")) from None
    check_audience(platform, claims)
    if claims.get(lti.DEPLOYMENT_ID) not in (platform.deployment_ids or []):
        raise refuse("deze koppeling (deployment) is hier niet bekend")
    if claims.get(lti.VERSION) != lti.LTI_VERSION:
        raise refuse("dit is geen LTI 1.3")
    message_type = claims.get(lti.MESSAGE_TYPE)
    if message_type not in (lti.RESOURCE_LINK_REQUEST, lti.DEEP_LINKING_REQUEST):
        raise refuse("dit soort bericht kent het platform niet")
    return Launch(platform, message_type, claims)


def signed_claims(platform: LtiPlatform, id_token: str) -> dict:
    """The token's claims once its signature is the portal's; its keys are fetched again once when the kept
    ones do not fit (a portal that changed its key)."""
    try:
        kid = extract_compact(id_token.encode()).headers().get("kid")
        for fresh in (False, True):
            try:
                return jwt.decode(id_token, platform_keys(platform, kid, fresh), algorithms=["RS256"]).claims
            except BadSignatureError:
                if fresh:
                    raise
    except (AddressRefused, RequestException, ValueError):
        raise LaunchRefused("De sleutels van het leerportaal zijn nu niet op te halen. Je bent niet ingelogd. "
                            "Probeer het later opnieuw.") from None
    except JoseError:
        pass
    raise refuse("de handtekening is niet van het leerportaal")


def check_audience(platform: LtiPlatform, claims: dict) -> None:
    """This tool's client id among the audiences; with several audiences, the token must be for us (azp)."""
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if platform.client_id not in audiences:
        raise refuse("de aanmelding is voor een ander programma bedoeld")
    if len(audiences) > 1 and claims.get("azp") != platform.client_id:
        raise refuse("de aanmelding is voor een ander programma bedoeld")


def target(launch: Launch, hosts: set[str]) -> tuple[str, str]:
    """The story or card a resource link launch asks for: ("verhaal" | "kaart", slug), from a link to this site
    (one of `hosts`), in the library of the portal's own organisation."""
    parts = urlsplit(str(launch.claims.get(lti.TARGET_LINK_URI) or ""))
    match = TARGET_PATH.match(parts.path)
    if parts.netloc not in hosts or not match:
        raise LaunchRefused("Het leerportaal vraagt een pagina die het platform niet kent. Vraag de beheerder van "
                            "het leerportaal om de les opnieuw te koppelen aan een verhaal of dilemmakaart.")
    kind, slug = KINDS[match.group(1)], match.group(2)
    library = library_for(launch.platform.organisation_id)
    if slug not in (library.stories if kind == "verhaal" else library.dilemmas):
        raise LaunchRefused("Dit verhaal of deze dilemmakaart is er niet (meer) voor je organisatie. Vraag de "
                            "beheerder van het leerportaal om de les opnieuw te koppelen.")
    return kind, slug
