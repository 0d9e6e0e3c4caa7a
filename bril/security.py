"""Password hashing, login throttling and the security headers of every response."""
from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Response, current_app, request
from sqlalchemy import delete, func, select

from .models import LoginAttempt, db, utcnow

# OWASP ASVS 5.0 appendix C: argon2id with at least 19 MiB memory, 2 iterations, 1 lane.
hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return hasher.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    """True when the password matches the stored hash."""
    if not stored:
        hasher.hash(password)  # spend the same time, so timing does not reveal unknown accounts
        return False
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def add_headers(response: Response) -> Response:
    """Add the Content-Security-Policy and related headers.

    Nothing but the static files may be kept by a browser or a proxy: pages, downloads (a session
    report, a user's own data) and live state may hold what only this user should see.
    """
    policy = response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if "frame-ancestors 'none'" in policy:  # for browsers that know only the older header; an LTI page in the
        response.headers.setdefault("X-Frame-Options", "DENY")  # portal's frame names the portal instead
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        # Served over HTTPS (the cookies say so): tell the browser never to use plain HTTP here again.
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def login_keys(email: str, address: str | None) -> list[str]:
    """What failed logins are counted against: the account and the network address."""
    return [f"email:{email.strip().lower()}", f"ip:{address or 'onbekend'}"]


def seconds_to_wait(keys: list[str], limit: int | None = None) -> int:
    """How long a login must wait after too many failures in a row; 0 when allowed.

    After the allowed number of failures the wait starts at one minute and
    doubles with every further failure, up to the length of the window.
    """
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    now = utcnow()
    longest = 0
    for key in keys:
        # Addresses are shared by whole offices, so they may fail more often than one account.
        allowed = limit or current_app.config["LOGIN_MAX_FAILURES"] * (1 if key.startswith("email:") else 4)
        since_success = select(func.max(LoginAttempt.at)).where(LoginAttempt.key == key,
                                                                 LoginAttempt.succeeded).scalar_subquery()
        failures = db.session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                LoginAttempt.key == key, ~LoginAttempt.succeeded, LoginAttempt.at > now - window,
                LoginAttempt.at > func.coalesce(since_success, now - window))).one()
        count, last = failures
        if count >= allowed and last is not None:
            wait = min(60 * 2 ** (count - allowed), int(window.total_seconds()))
            remaining = int((last + timedelta(seconds=wait) - now).total_seconds()) + 1
            longest = max(longest, remaining)
    return max(longest, 0)


def forget_login_attempts(email: str) -> None:
    """Delete the failed and successful logins counted against an e-mail address (with its account)."""
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == login_keys(email, None)[0]))


def record_login(keys: list[str], succeeded: bool) -> None:
    """Store a login attempt for each key and forget attempts older than a day."""
    now = utcnow()
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=1)))
    db.session.add_all(LoginAttempt(key=key, succeeded=succeeded, at=now) for key in keys)
    db.session.commit()
