"""The portal's side of a launch (blueprint "lti", /lti/...): the login initiation, the launch itself, picking
content for deep linking, and this tool's public keys. The rules are in launch.py, accounts.py and grades.py."""
from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, abort, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..addresses import external_url
from ..extensions import csrf
from ..libraries import library_for
from ..logins import start_session
from ..models import LtiPlatform, User, db
from ..security import CSP
from . import claims as lti
from .accounts import account_for
from .grades import open_grade
from .keys import public_jwks, sign
from .launch import Launch, LaunchRefused, begin, hand_over, take_hand_over, target, verify
from .platforms import loopback_allowed, registered

log = logging.getLogger(__name__)
bp = Blueprint("lti", __name__, url_prefix="/lti")

# What a deep-linking launch asked for, kept in the (signed) session while the person picks.
PICKING = "lti_deep_link"


def refused(message: str, code: int = 403):
    """A Dutch page saying why this launch signs no one in."""
    db.session.rollback()
    return render_template("lti/refused.html", message=message), code


@bp.route("/inloggen", methods=["GET", "POST"])
@csrf.exempt
def login_initiation():
    """The portal starts a launch here (third-party initiated login): send the browser to its auth endpoint."""
    values = request.values
    platform = registered(values.get("iss", ""), values.get("client_id"))
    if platform is None or not values.get("login_hint"):
        return refused("Dit leerportaal is niet gekoppeld aan het platform. Vraag de beheerder van je organisatie "
                       "om de koppeling (LTI 1.3) in te stellen.", 400)
    state, nonce = begin(platform)
    query = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post", "prompt": "none",
             "client_id": platform.client_id, "redirect_uri": external_url("lti.launch"),
             "login_hint": values["login_hint"], "state": state, "nonce": nonce}
    if values.get("lti_message_hint"):
        query["lti_message_hint"] = values["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return redirect(platform.auth_login_url + separator + urlencode(query), 302)


@bp.route("/start", methods=["POST"])
@csrf.exempt
def launch():
    """The portal posts the id_token here: check it, sign the person in and show what was asked for."""
    try:
        checked = verify(request.form.get("id_token", ""), request.form.get("state", ""))
        if checked.message_type == lti.DEEP_LINKING_REQUEST:
            if in_a_frame():
                return framed(checked.platform, render_template("lti/pick_in_frame.html"))
            return start_picking(checked)
        kind, slug = target(checked, {request.host, urlsplit(external_url("main.index")).netloc})
        user = account_for(checked.platform, checked.claims)
        open_grade(user, checked.platform, checked.claims, kind, slug)
    except LaunchRefused as refusal:
        log.warning("LTI-start geweigerd: %s", refusal)
        return refused(str(refusal))
    if in_a_frame():
        return framed(checked.platform, render_template(
            "lti/in_frame.html", url=url_for(".resume", token=hand_over(user.id, kind, slug)),
            title=found(library_for(user.organisation_id), kind, slug).title))
    start_session(user, remember=False)
    return redirect(intro_url(kind, slug), 303)


def intro_url(kind: str, slug: str) -> str:
    return url_for("stories.intro" if kind == "verhaal" else "dilemmas.intro", slug=slug)


def in_a_frame() -> bool:
    """The portal opened the launch inside its own page (Fetch Metadata, which current browsers send)."""
    return request.headers.get("Sec-Fetch-Dest") in ("iframe", "frame")


def framed(platform: LtiPlatform, html: str):
    """A page the portal may show inside its own (the rest of the site refuses every frame)."""
    response = make_response(html)
    ancestors = " ".join(sorted({origin(platform.issuer), origin(platform.auth_login_url)}))
    response.headers["Content-Security-Policy"] = CSP.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")
    return response


@bp.route("/verder/<token>")
def resume(token: str):
    """A launch that arrived in the portal's frame, now in a window of its own: sign in and show what was asked for.

    In the frame the browser may refuse this site's sign-in cookie (it is another site's page there); here it is the
    site itself. The token opens once, within minutes, and only the person the launch was for had it."""
    try:
        user_id, kind, slug = take_hand_over(token)
    except LaunchRefused as refusal:
        return refused(str(refusal), 410)
    start_session(db.session.get(User, user_id), remember=False)
    return redirect(intro_url(kind, slug), 303)


def start_picking(checked: Launch):
    """A deep-linking launch: a teacher of the portal picks a story or card to put in a course."""
    settings = checked.claims.get(lti.DEEP_LINKING_SETTINGS)
    if not isinstance(settings, dict) or not settings.get("deep_link_return_url") or "ltiResourceLink" not in (
            settings.get("accept_types") or []):
        raise LaunchRefused("Het leerportaal vraagt om inhoud die het platform niet kan geven. Kies in het "
                            "leerportaal voor een 'LTI-link' (ltiResourceLink).")
    if not return_address_allowed(settings["deep_link_return_url"]):
        raise LaunchRefused("Het leerportaal gaf een adres om naar terug te gaan dat niet met https:// begint. "
                            "Meld dit aan de beheerder van het leerportaal.")
    if lti.role_for(checked.claims.get(lti.ROLES)) != "procesbegeleider":
        raise LaunchRefused("Alleen een docent of beheerder van het leerportaal kan een verhaal of dilemmakaart "
                            "kiezen. Vraag hen om de les te koppelen.")
    user = account_for(checked.platform, checked.claims)
    start_session(user, remember=False)
    session[PICKING] = {"organisation": checked.platform.organisation_id,
                        "return_url": settings["deep_link_return_url"], "data": settings.get("data"),
                        "multiple": settings.get("accept_multiple") is not False,
                        "deployment_id": checked.claims[lti.DEPLOYMENT_ID],
                        "grades": lti.grades_offered(checked.claims)}
    return redirect(url_for(".pick"), 303)


def return_address_allowed(url: object) -> bool:
    """The browser posts the answer there: https only (plain http on this machine with LTI_HTTP_LOOPBACK)."""
    parts = urlsplit(str(url))
    if parts.scheme == "http" and loopback_allowed():
        return parts.hostname in ("127.0.0.1", "localhost", "::1")
    return parts.scheme == "https" and bool(parts.netloc)


def picking() -> dict:
    """What the portal asked for, for the person signed in by that launch; else not found."""
    asked = session.get(PICKING)
    if not asked or not current_user.is_authenticated or current_user.organisation_id != asked["organisation"]:
        abort(404)
    return asked


@bp.route("/kiezen", methods=["GET", "POST"])
def pick():
    """Show the organisation's stories and cards; send what was picked back to the portal, signed."""
    asked = picking()
    library = library_for(asked["organisation"])
    chosen = [value.split(":", 1) for value in request.form.getlist("keuze") if ":" in value]
    chosen = [(kind, slug) for kind, slug in chosen
              if slug in (library.stories if kind == "verhaal" else library.dilemmas if kind == "kaart" else {})]
    if request.method == "POST" and chosen and (asked["multiple"] or len(chosen) == 1):
        platform = db.session.get(LtiPlatform, asked["organisation"]) or abort(404)
        session.pop(PICKING, None)
        items = [content_item(kind, slug, library, asked["grades"]) for kind, slug in chosen]
        response = make_response(render_template("lti/return.html", return_url=asked["return_url"],
                                                 jwt=deep_linking_response(platform, asked, items), items=items))
        # The site's policy lets forms post only here; this one form posts to the portal that asked.
        response.headers["Content-Security-Policy"] = CSP.replace(
            "form-action 'self'", f"form-action 'self' {origin(asked['return_url'])}")
        return response
    error = None
    if request.method == "POST":
        error = ("Kies één verhaal of dilemmakaart." if chosen else "Kies een verhaal of dilemmakaart.")
    return render_template("lti/pick.html", library=library, multiple=asked["multiple"], error=error,
                           chosen={f"{kind}:{slug}" for kind, slug in chosen}), 422 if error else 200


def content_item(kind: str, slug: str, library, grades: bool) -> dict:
    """One ltiResourceLink to a story or card, with a line item (completed = 1 of 1) when grades are kept."""
    title = found(library, kind, slug).title
    item = {"type": "ltiResourceLink", "title": str(title),
            "url": external_url("stories.intro" if kind == "verhaal" else "dilemmas.intro", slug=slug)}
    if grades:
        item["lineItem"] = {"scoreMaximum": 1, "label": str(title), "resourceId": f"{kind}:{slug}"}
    return item


def found(library, kind: str, slug: str):
    """The story ("verhaal") or card ("kaart") of the library."""
    return library.stories[slug] if kind == "verhaal" else library.dilemmas[slug]


def deep_linking_response(platform: LtiPlatform, asked: dict, items: list[dict]) -> str:
    claims = {"iss": platform.client_id, "aud": platform.issuer, "azp": platform.client_id,
              lti.MESSAGE_TYPE: lti.DEEP_LINKING_RESPONSE, lti.VERSION: lti.LTI_VERSION,
              lti.DEPLOYMENT_ID: asked["deployment_id"], lti.CONTENT_ITEMS: items}
    if asked.get("data") is not None:
        claims[lti.DEEP_LINKING_DATA] = asked["data"]
    return sign(claims)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@bp.route("/terug.js")
def auto_post():
    """Send the signed answer on to the portal without a click (the button stays for a browser without scripts)."""
    response = make_response("document.getElementById('lti-terug').submit();\n")
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    return response


@bp.route("/sleutels.json")
def jwks():
    """This tool's public key set, for the portals."""
    response = jsonify(public_jwks())
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
