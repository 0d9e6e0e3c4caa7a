"""A small LTI 1.3 platform (a learning portal) for the tests: a real HTTP server in a thread, with its own RSA
key pair, signing real tokens with joserfc.

It serves its public keys (/jwks), the auth endpoint that answers a login initiation with an id_token form post
(/auth), the token endpoint that checks the tool's signed client assertion (/token), line items whose /scores
record what they got, a deep-linking return address that records the tool's answer (/deeplinks), and a course
page that launches the tool from a browser (/cursus/<hint>).

A test prepares each launch (`prepare`): what it asks for, and how the platform should misbehave (sign with
another key, another audience or issuer, expired, an unknown deployment) so that the tool must refuse it.
"""
from __future__ import annotations

import html
import json
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from bril.lti.keys import public_jwks
from bril.models import LtiPlatform, db

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


@dataclass
class PreparedLaunch:
    """One launch the test asked for; `misbehave` names what the platform does wrong on purpose."""

    message_type: str = "LtiResourceLinkRequest"
    target: str = ""
    sub: str = "learner-1"
    roles: list[str] = field(default_factory=lambda: [LEARNER])
    email: str | None = None
    lineitem: bool = True
    misbehave: set[str] = field(default_factory=set)
    claims: dict = field(default_factory=dict)  # merged in last: anything else a test wants to change


class LearningPortal:
    """The platform, started with `start()` on a free port of 127.0.0.1."""

    def __init__(self, client_id: str = "bril-tool", deployment_id: str = "deployment-1") -> None:
        self.client_id, self.deployment_id = client_id, deployment_id
        self.key = RSAKey.generate_key(2048, parameters={"kid": "platform-key", "use": "sig", "alg": "RS256"})
        # A second key under the same key id: a token signed with it is a forgery.
        self.forger = RSAKey.generate_key(2048, parameters={"kid": "platform-key", "alg": "RS256"})
        self.launches: dict[str, PreparedLaunch] = {}
        self.scores: list[tuple[str, dict]] = []
        self.deep_link_answers: list[str] = []
        self.token_requests: list[dict] = []
        self.tokens: set[str] = set()
        self.tool_keys: KeySet | None = None  # the tool's public keys, handed in by the test
        self.tool_login_url = ""  # for the course page: where the tool's login initiation is
        self.down = False  # the line items and the token endpoint answer 503
        self.server: ThreadingHTTPServer | None = None

    # -- the platform's addresses
    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def url(self, path: str) -> str:
        return self.issuer + path

    def registration(self) -> dict:
        """What an administrator copies from the portal into the tool."""
        return {"issuer": self.issuer, "client_id": self.client_id, "deployment_ids": [self.deployment_id],
                "auth_login_url": self.url("/auth"), "token_url": self.url("/token"),
                "jwks_url": self.url("/jwks")}

    def prepare(self, **kwargs) -> str:
        """Keep a launch for the next login initiation; its lti_message_hint."""
        hint = secrets.token_urlsafe(8)
        self.launches[hint] = PreparedLaunch(**kwargs)
        return hint

    def login_initiation(self, hint: str) -> dict:
        """The form fields a portal sends to the tool's login initiation address."""
        prepared = self.launches[hint]
        return {"iss": self.issuer, "login_hint": prepared.sub, "target_link_uri": prepared.target,
                "lti_message_hint": hint, "client_id": self.client_id, "lti_deployment_id": self.deployment_id}

    # -- tokens
    def id_token(self, prepared: PreparedLaunch, nonce: str, hint: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "sub": prepared.sub, "nonce": nonce,
                  "iat": now, "exp": now + 300, LTI + "message_type": prepared.message_type,
                  LTI + "version": "1.3.0", LTI + "deployment_id": self.deployment_id,
                  LTI + "target_link_uri": prepared.target, LTI + "roles": prepared.roles,
                  LTI + "resource_link": {"id": f"link-{hint}"}, "name": "Naam Uit Het Portaal"}
        if prepared.email:
            claims["email"] = prepared.email
        if prepared.lineitem:
            claims[AGS] = {"scope": [SCORE_SCOPE], "lineitems": self.url("/lineitems"),
                           "lineitem": self.url(f"/lineitems/{hint}/lineitem?type_id=7")}
        if prepared.message_type == "LtiDeepLinkingRequest":
            claims[DL_SETTINGS] = {"deep_link_return_url": self.url("/deeplinks"), "accept_types": ["ltiResourceLink"],
                                   "accept_presentation_document_targets": ["window"], "data": f"data-{hint}",
                                   "accept_multiple": True}
            claims.pop(LTI + "target_link_uri")
        if "andere-audience" in prepared.misbehave:
            claims["aud"] = "een-ander-programma"
        if "verlopen" in prepared.misbehave:
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        if "onbekende-deployment" in prepared.misbehave:
            claims[LTI + "deployment_id"] = "deployment-onbekend"
        if "andere-uitgever" in prepared.misbehave:
            claims["iss"] = "https://ander-portaal.example"
        claims.update(prepared.claims)
        key = self.forger if "andere-sleutel" in prepared.misbehave else self.key
        return jwt.encode({"alg": "RS256", "kid": "platform-key"}, claims, key)

    def check_assertion(self, assertion: str) -> bool:
        """The tool's client assertion: signed with its published key, for this token endpoint."""
        try:
            token = jwt.decode(assertion, self.tool_keys, algorithms=["RS256"])
            jwt.JWTClaimsRegistry(iss={"essential": True, "value": self.client_id},
                                  sub={"essential": True, "value": self.client_id},
                                  aud={"essential": True, "value": self.url("/token")},
                                  exp={"essential": True}, jti={"essential": True}).validate(token.claims)
        except (JoseError, ValueError, TypeError):
            return False
        return True

    # -- running
    def start(self) -> LearningPortal:
        platform = self

        class Handler(PlatformHandler):
            owner = platform

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def auto_post(action: str, fields: dict) -> str:
    inputs = "".join(f'<input type="hidden" name="{html.escape(name)}" value="{html.escape(str(value))}">'
                     for name, value in fields.items())
    return (f'<!doctype html><html lang="nl"><head><title>Leerportaal</title></head><body>'
            f'<form method="post" action="{html.escape(action)}">{inputs}<button>Verder</button></form>'
            f'<script>document.forms[0].submit()</script></body></html>')


class PlatformHandler(BaseHTTPRequestHandler):
    owner: LearningPortal

    def log_message(self, *args) -> None:  # quiet
        pass

    def answer(self, code: int, body: str = "", content_type: str = "text/html; charset=utf-8") -> None:
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))

    def do_GET(self) -> None:  # noqa: N802
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        platform = self.owner
        if parts.path == "/jwks":
            return self.answer(200, json.dumps({"keys": [platform.key.as_dict(private=False)]}), "application/json")
        if parts.path == "/auth":
            prepared = platform.launches.get(query.get("lti_message_hint", ""))
            if (prepared is None or query.get("client_id") != platform.client_id
                    or query.get("response_type") != "id_token" or query.get("response_mode") != "form_post"
                    or query.get("scope") != "openid" or not query.get("nonce") or not query.get("state")
                    or query.get("login_hint") != prepared.sub):
                return self.answer(400, "ongeldige aanvraag")
            token = platform.id_token(prepared, query["nonce"], query["lti_message_hint"])
            return self.answer(200, auto_post(query["redirect_uri"], {"id_token": token, "state": query["state"]}))
        if parts.path.startswith("/cursus-in-kader/"):  # a course page that opens the tool in its own frame
            hint = parts.path.rsplit("/", 1)[1]
            return self.answer(200, '<!doctype html><html lang="nl"><head><title>Leerportaal</title></head><body>'
                                    f'<h1>Cursus</h1><iframe src="/cursus/{hint}" title="Les" width="100%" '
                                    'height="600"></iframe></body></html>')
        if parts.path.startswith("/cursus/"):
            hint = parts.path.rsplit("/", 1)[1]
            return self.answer(200, auto_post(platform.tool_login_url, platform.login_initiation(hint)))
        return self.answer(404, "niet gevonden")

    def do_POST(self) -> None:  # noqa: N802
        parts = urllib.parse.urlsplit(self.path)
        platform = self.owner
        if parts.path == "/deeplinks":
            platform.deep_link_answers.append(self.form().get("JWT", ""))
            return self.answer(200, "<!doctype html><title>Leerportaal</title><p>Ontvangen</p>")
        if platform.down:
            return self.answer(503, "storing")
        if parts.path == "/token":
            fields = self.form()
            platform.token_requests.append(fields)
            if (fields.get("grant_type") != "client_credentials" or SCORE_SCOPE not in fields.get("scope", "")
                    or fields.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                    or not platform.check_assertion(fields.get("client_assertion", ""))):
                return self.answer(401, json.dumps({"error": "invalid_client"}), "application/json")
            token = secrets.token_urlsafe(16)
            platform.tokens.add(token)
            return self.answer(200, json.dumps({"access_token": token, "token_type": "Bearer", "expires_in": 3600,
                                                "scope": SCORE_SCOPE}), "application/json")
        if parts.path.startswith("/lineitems/") and parts.path.endswith("/lineitem/scores"):
            bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            if bearer not in platform.tokens:
                return self.answer(401, "geen toegang")
            if self.headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
                return self.answer(415, "verkeerd type")
            length = int(self.headers.get("Content-Length") or 0)
            platform.scores.append((self.path, json.loads(self.rfile.read(length))))
            return self.answer(200, "{}", "application/json")
        return self.answer(404, "niet gevonden")


# -- helpers for the tests that use the platform with the Flask test client

ID_TOKEN_FORM = re.compile(r'name="(id_token|state)" value="([^"]*)"')


def register(app, portal: LearningPortal, organisation_id: int, **changes) -> None:
    """Register the portal for an organisation, switched on; the tool's keys are handed to the portal."""
    app.config["LTI_HTTP_LOOPBACK"] = True
    with app.app_context():
        db.session.merge(LtiPlatform(organisation_id=organisation_id,
                                     **{"active": True, "keep_email": False, **portal.registration(), **changes}))
        db.session.commit()
        portal.tool_keys = KeySet.import_key_set(public_jwks())


def id_token_form(client, portal: LearningPortal, hint: str) -> dict[str, str]:
    """Run the login initiation and the portal's auth endpoint: the form the browser would post to the tool."""
    start = client.post("/lti/inloggen", data=portal.login_initiation(hint))
    assert start.status_code == 302, start.get_data(as_text=True)
    page = requests.get(start.location, timeout=5)
    assert page.status_code == 200, page.text
    return dict(ID_TOKEN_FORM.findall(html.unescape(page.text)))


def launch(client, portal: LearningPortal, **prepared):
    """A whole launch through the test client: the tool's answer to the id_token post."""
    form = id_token_form(client, portal, portal.prepare(**prepared))
    return client.post("/lti/start", data=form)
