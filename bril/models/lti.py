"""Launches from an organisation's learning portal (LTI 1.3): the portal's registration, this tool's own key,
the launches under way, the accounts they sign in, and the grades on their way back."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import db, utcnow

# A grade's place in the queue: launched but not finished yet; then as a QueuedStatement (see models/xapi.py).
GRADE_OPEN = "open"


class LtiPlatform(db.Model):
    """An organisation's learning portal as registered here: who it is (issuer, client id, deployments) and
    where to reach it. Its issuer and client id name one organisation on this installation."""

    __table_args__ = (Index("ix_lti_platform_issuer_client", "issuer", "client_id", unique=True),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=False)
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(200))
    # The deployment ids this organisation's portal launches with; any other is refused.
    deployment_ids: Mapped[list] = mapped_column(JSON, default=list)
    auth_login_url: Mapped[str] = mapped_column(String(300))
    token_url: Mapped[str] = mapped_column(String(300))
    jwks_url: Mapped[str] = mapped_column(String(300))
    # Keep the e-mail address the portal sends on the account (else the account has a made-up address).
    keep_email: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<LtiPlatform {self.organisation_id} {self.issuer}>"


class LtiToolKey(db.Model):
    """This tool's own RSA key pair, made once: it signs deep-linking answers and token requests, and its public
    half is published at /lti/sleutels.json. In the database, so every worker and server signs alike."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64))
    private_jwk: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<LtiToolKey {self.kid}>"


class LtiLaunchState(db.Model):
    """A launch under way: the state and nonce sent to the portal at the login initiation, used once."""

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<LtiLaunchState {self.organisation_id}>"


class LtiHandOver(db.Model):
    """A launch that arrived inside the portal's frame, waiting to go on in a window of its own: there the browser
    keeps this site's sign-in (in a frame it may refuse another site's cookies). Used once, within minutes."""

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(200))  # "verhaal:<slug>" or "kaart:<slug>"
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<LtiHandOver {self.user_id} {self.target}>"


class LtiAccount(db.Model):
    """Which account a person of the portal (issuer + subject) has within the organisation."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300), primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The role the portal gave at the last launch that set it: while the account still has it, nobody changed the
    # role by hand, and the portal's next role follows (bril/lti/accounts.py). None: from before this was kept.
    portal_role: Mapped[str | None] = mapped_column(String(20))

    def __repr__(self) -> str:
        return f"<LtiAccount {self.organisation_id} {self.subject}>"


class LtiGrade(db.Model):
    """A line item in the portal's grade book that a launch named: opened at the launch, due once the person
    finishes the story or card, then sent (state as QueuedStatement's: wacht, verzonden, mislukt)."""

    __table_args__ = (Index("ix_lti_grade_user_lineitem", "user_id", "lineitem", unique=True),
                      Index("ix_lti_grade_due", "state", "next_attempt_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    # "verhaal" or "kaart", and its slug: what must be finished.
    kind: Mapped[str] = mapped_column(String(10))
    slug: Mapped[str] = mapped_column(String(100))
    lineitem: Mapped[str] = mapped_column(String(500))
    # The person as the portal knows them (the id token's sub): the score's userId.
    subject: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(12), default=GRADE_OPEN)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<LtiGrade {self.id} {self.state}>"
