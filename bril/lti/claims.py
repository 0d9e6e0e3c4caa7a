"""The names LTI 1.3 gives its claims and messages, and what a launch's roles mean here."""
from __future__ import annotations

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
TARGET_LINK_URI = LTI + "target_link_uri"
RESOURCE_LINK = LTI + "resource_link"
ROLES = LTI + "roles"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"
DEEP_LINKING_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
DEEP_LINKING_RESPONSE = "LtiDeepLinkingResponse"
LTI_VERSION = "1.3.0"

# The LIS roles (context, institution or system) that may choose content and lead sessions: they become a
# procesbegeleider. Everyone else is a deelnemer; a portal never makes anyone beheerder here.
TEACHING_ROLES = {"Instructor", "ContentDeveloper", "Administrator", "TeachingAssistant", "Mentor"}


def role_for(roles: object) -> str:
    """The role here for the LTI roles of a launch (full URIs such as ...membership#Instructor)."""
    names = {str(role).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for role in roles} if isinstance(roles, list) else set()
    return "procesbegeleider" if names & TEACHING_ROLES else "deelnemer"


def grade_endpoint(claims: dict) -> str | None:
    """The line item a launch may post a score to: only when the portal offers the score scope."""
    endpoint = claims.get(AGS_ENDPOINT)
    if not isinstance(endpoint, dict) or SCORE_SCOPE not in (endpoint.get("scope") or []):
        return None
    lineitem = endpoint.get("lineitem")
    return lineitem if isinstance(lineitem, str) and lineitem else None


def grades_offered(claims: dict) -> bool:
    """The portal can keep grades for what is picked now (deep linking with the AGS claim)."""
    return isinstance(claims.get(AGS_ENDPOINT), dict)
