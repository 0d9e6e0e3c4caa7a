"""Organisations, their users and identity providers, login sessions and login throttling."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import db, new_token, utcnow

if TYPE_CHECKING:  # the tables refer to each other by name; SQLAlchemy's registry joins them
    from .learning import DilemmaWalk, Reflection, SceneAnswer, StoryProgress

ROLE_LABELS = {
    "deelnemer": "Deelnemer",
    "procesbegeleider": "Procesbegeleider",
    "beheerder": "Beheerder",
    "platformbeheerder": "Platformbeheerder",
}
# Roles within an organisation; a platformbeheerder belongs to none and manages the organisations.
ORGANISATION_ROLES = ("deelnemer", "procesbegeleider", "beheerder")


class Organisation(db.Model):
    """A municipality or other body on this installation: its own users, plans, sessions and reports."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Raised whenever one of its own cards or stories is published or withdrawn: with the id it names the
    # organisation's library, so a cached library is used until this number moves (bril/libraries.py).
    content_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class ReportingRoutes(db.Model):
    """An organisation's own "Wie is hiervan?", in the fields of wie-is-hiervan.yaml. Until a beheerder
    edits it, an organisation reads the file, which is the template every organisation starts from."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    introduction: Mapped[str] = mapped_column(Text, default="")
    # [{"sleutel": ..., "titel": ..., "wanneer": ..., "contacten": [{"wie": ..., "hoe": ...}], "let-op": ...}]
    routes: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IdentityProvider(db.Model):
    """An organisation's OpenID Connect provider: who may sign in through it, and with which role."""

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=False)
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(200))
    # Sent to the provider's token endpoint, so it is kept as it is (see docs/security.md).
    client_secret: Mapped[str] = mapped_column(String(500))
    # The claim in the ID token that holds the user's groups or roles, such as "groups" or "roles".
    role_claim: Mapped[str] = mapped_column(String(100), default="groups")
    # [[claim value, role], ...]; a user with several matching values gets the highest role.
    role_map: Mapped[list] = mapped_column(JSON, default=list)
    # The role of a user without any matching value; None: such a user may not sign in.
    default_role: Mapped[str | None] = mapped_column(String(20))
    passwords_allowed: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class User(UserMixin, db.Model):
    __table_args__ = (
        # An address is unique within an organisation, not over the installation: what one organisation
        # adds never blocks, links or reveals an account of another.
        Index("ix_user_organisation_email", "organisation_id", "email", unique=True),
        # A platformbeheerder belongs to no organisation: their addresses are unique among themselves.
        Index("ix_user_platform_email", "email", unique=True, sqlite_where=text("organisation_id IS NULL"),
              postgresql_where=text("organisation_id IS NULL")),
        # One account per person at a provider within an organisation: a subject is unique within its issuer.
        Index("ix_user_oidc_identity", "organisation_id", "oidc_issuer", "oidc_subject", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed on its own too: a password login looks the address up over all organisations.
    email: Mapped[str] = mapped_column(String(254), index=True)
    # Every user but a platformbeheerder belongs to one organisation and sees only its data.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="deelnemer")
    # Part of the login cookie: changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    invite_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set at the first sign-in through the organisation's identity provider.
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    # May write the organisation's own cards and stories (a beheerder always may): set by a beheerder.
    author: Mapped[bool] = mapped_column(default=False, server_default=false())
    # On the review board of the shared library (accepts or returns other organisations' offers): set by the
    # platformbeheerder, for a user of any organisation.
    shared_reviewer: Mapped[bool] = mapped_column(default=False, server_default=false())

    answers: Mapped[list[SceneAnswer]] = relationship(back_populates="user", cascade="all, delete-orphan")
    progress: Mapped[list[StoryProgress]] = relationship(back_populates="user", cascade="all, delete-orphan")
    reflections: Mapped[list[Reflection]] = relationship(back_populates="user", cascade="all, delete-orphan")
    walks: Mapped[list[DilemmaWalk]] = relationship(back_populates="user", cascade="all, delete-orphan")
    organisation: Mapped[Organisation | None] = relationship()
    logins: Mapped[list[LoginSession]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    # The login (LoginSession.id) this user object was loaded for; not a column.
    login_sid = None

    def get_id(self) -> str:
        # Stored in the session cookie and the remember cookie alike: both end with the login they belong to.
        return f"{self.id}:{self.session_token}:{self.login_sid or ''}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def writes(self) -> bool:
        """May write, review and publish the organisation's own cards and stories: an author or a beheerder."""
        return self.organisation_id is not None and (self.author or self.role == "beheerder")

    @property
    def reviews_shared(self) -> bool:
        """May accept or return offers to the shared library: the platformbeheerder, or a member of its review
        board (never for the member's own organisation: bril/sharing/rules.py)."""
        return self.role == "platformbeheerder" or (self.organisation_id is not None and self.shared_reviewer)

    def has_role(self, *roles: str) -> bool:
        """A beheerder may do what any role of the organisation may; a platformbeheerder only platform work."""
        return self.role in roles or (self.role == "beheerder" and "platformbeheerder" not in roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class LoginSession(db.Model):
    """One login on one device. Logging out deletes it, so a copied cookie of that login stops working."""

    id: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<LoginSession {self.user_id} {self.expires_at}>"


class LoginAttempt(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    succeeded: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<LoginAttempt {self.key} {self.succeeded}>"
