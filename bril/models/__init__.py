"""Database models, one module per part of the site; everything is importable from `bril.models`."""
from .accounts import (ORGANISATION_ROLES, ROLE_LABELS, IdentityProvider, LoginAttempt, LoginSession, Organisation,
                       ReportingRoutes, User)
from .authoring import REVIEW_LABELS, ContentKind, Draft, DraftComment, Publication, ReviewState
from .base import Base, db, new_token, utcnow
from .learning import DilemmaWalk, Reflection, SceneAnswer, StoryProgress
from .lti import GRADE_OPEN, LtiAccount, LtiGrade, LtiHandOver, LtiLaunchState, LtiPlatform, LtiToolKey
from .sharing import NOT_OFFERED, SHARE_LABELS, SharedOffer, ShareState
from .sessions import (Agreement, Answer, ParkingPost, Participant, PathChoice, SceneMark, SessionPlan, Support, Vote,
                       Workshop, token_hash)
from .xapi import (ACTOR_EMAIL, ACTOR_PSEUDONYM, FAILED, SENT, WAITING, QueuedStatement,
                   RecordStore)

__all__ = ["ACTOR_EMAIL", "ACTOR_PSEUDONYM", "FAILED", "GRADE_OPEN", "LtiAccount", "LtiGrade", "LtiHandOver",
           "LtiLaunchState", "LtiPlatform", "LtiToolKey", "ORGANISATION_ROLES", "QueuedStatement", "RecordStore", "SENT",
           "WAITING", "REVIEW_LABELS", "ROLE_LABELS", "Agreement", "Answer", "Base", "ContentKind",
           "Draft", "DraftComment", "Publication", "ReviewState", "DilemmaWalk", "IdentityProvider",
           "LoginAttempt", "LoginSession", "Organisation", "ParkingPost", "Participant", "PathChoice", "Reflection",
           "ReportingRoutes", "SceneAnswer", "SceneMark", "SessionPlan", "StoryProgress", "Support", "User", "Vote",
           "Workshop", "db", "new_token", "token_hash", "utcnow",
           "NOT_OFFERED", "SHARE_LABELS", "SharedOffer", "ShareState"]
