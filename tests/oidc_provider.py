"""A real OpenID Connect provider for the tests, built on Authlib's server side.

Run it as its own process: `python tests/oidc_provider.py PORT`. It serves discovery, a login page, the
authorisation endpoint (code flow, PKCE S256 required, nonce required), the token endpoint and its keys.

Only the test controls are extra (`/test/...`): register the client, and add or change people. A person
can be set to misbehave, so the provider hands out an ID token that a careful client must refuse: for
another audience, expired, with another nonce or issuer, signed with another key, or changed after signing.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.models import AuthorizationCodeMixin, ClientMixin
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey

MISBEHAVIOURS = ("andere-audience", "verlopen", "andere-nonce", "andere-uitgever", "andere-sleutel", "vervalst")


@dataclass
class Person:
    sub: str
    email: str
    groups: object = field(default_factory=list)  # anything JSON: a careful client refuses what is no list
    email_verified: bool | None = True  # None: the claim is left out, as Entra ID does
    misbehave: str = ""


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    username: str  # the person's subject
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class Provider:
    """Everything the provider knows, in memory: one process per test run."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.key = RSAKey.generate_key(2048, parameters={"kid": "sleutel-1", "use": "sig", "alg": "RS256"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "sleutel-1", "alg": "RS256"})
        self.clients: dict[str, Client] = {}
        self.people: dict[str, Person] = {}
        self.codes: dict[str, Code] = {}
        self.nonces: set[str] = set()
        self.fetched = {"discovery": 0, "jwks": 0}  # how often a client asked, for the tests
        # What a test changed in the discovery document, or where discovery sends a client instead.
        self.discovery_changes: dict = {}
        self.discovery_redirect: str | None = None


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def create_provider_app(issuer: str) -> Flask:
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(16)
    state = Provider(issuer)

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code, request):
            state.nonces.add(request.payload.data.get("nonce"))
            state.codes[code] = Code(code, request.client.client_id, request.payload.redirect_uri,
                                     request.payload.scope, request.user.sub, request.payload.data.get("nonce"),
                                     request.payload.data.get("code_challenge"),
                                     request.payload.data.get("code_challenge_method"))

        def query_authorization_code(self, code, client):
            found = state.codes.get(code)
            return found if found and found.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code):
            state.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code):
            return next((p for p in state.people.values() if p.sub == authorization_code.username), None)

    class IdToken(OpenIDCode):
        def exists_nonce(self, nonce, request):
            return nonce in state.nonces  # a nonce that already got a code is a replay

        def resolve_client_private_key(self, client):
            return state.key

        def get_client_claims(self, client):
            return {"iss": state.issuer, "aud": [client.get_client_id()]}

        def generate_user_info(self, person, scope):
            claims = {"sub": person.sub, "email": person.email, "email_verified": person.email_verified,
                      "groups": person.groups}
            return UserInfo({key: value for key, value in claims.items() if value is not None})

        def encode_id_token(self, token, request):
            honest = super().encode_id_token(token, request)
            mode = request.user.misbehave
            if not mode:
                return honest
            header, payload, signature = honest.split(".")
            claims = json.loads(unb64(payload))
            if mode == "vervalst":  # the signature of the honest token over changed claims
                claims["groups"] = ["beheerders"]
                return ".".join((header, b64(json.dumps(claims).encode()), signature))
            now = int(time.time())
            # Another audience, although azp names this client: only a check of aud itself catches it.
            changes = {"andere-audience": {"aud": ["een-andere-toepassing"], "azp": claims["aud"][0]},
                       "verlopen": {"iat": now - 7200, "exp": now - 3600, "auth_time": now - 7200},
                       "andere-nonce": {"nonce": "niet-de-nonce-van-dit-verzoek"},
                       "andere-uitgever": {"iss": "https://nep-provider.example"}}
            claims.update(changes.get(mode, {}))
            key = state.other_key if mode == "andere-sleutel" else state.key
            return jwt.encode({"alg": "RS256", "kid": "sleutel-1"}, claims, key)

    server = AuthorizationServer(app, query_client=state.clients.get, save_token=lambda token, request: None)
    server.register_grant(CodeGrant, [CodeChallenge(required=True), IdToken(require_nonce=True)])

    @app.get("/.well-known/openid-configuration")
    def discovery():
        state.fetched["discovery"] += 1
        if state.discovery_redirect:
            return redirect(state.discovery_redirect)
        return jsonify({**dict(
            issuer=issuer, authorization_endpoint=f"{issuer}/authorize", token_endpoint=f"{issuer}/token",
            jwks_uri=f"{issuer}/jwks", end_session_endpoint=f"{issuer}/uitloggen", response_types_supported=["code"],
            subject_types_supported=["public"], id_token_signing_alg_values_supported=["RS256"],
            code_challenge_methods_supported=["S256"], scopes_supported=["openid", "email", "profile"],
            token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"]),
            **state.discovery_changes})

    @app.route("/omleiding", methods=["GET", "POST"])
    def elsewhere():
        """An address that sends the client on, to where a test says (a careful client does not follow)."""
        return redirect(request.args.get("naar", "http://169.254.169.254/latest/meta-data/"), 307)

    @app.get("/jwks")
    def jwks():
        state.fetched["jwks"] += 1
        return jsonify(keys=[state.key.as_dict(private=False)])

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        if request.method == "GET":
            try:
                server.get_consent_grant(end_user=None)
            except Exception as error:  # noqa: BLE001 - show the refusal as the page, as a provider does
                return f"<p>Ongeldig verzoek: {error}</p>", 400
            return ('<!doctype html><html lang="nl"><title>Testprovider</title><main><h1>Testprovider</h1>'
                    '<form method="post"><label for="u">Gebruikersnaam</label> <input id="u" name="username">'
                    '<button type="submit">Inloggen bij de provider</button></form></main></html>')
        person = state.people.get(request.form.get("username", ""))
        return server.create_authorization_response(grant_user=person)

    @app.get("/uitloggen")
    def end_session():
        """RP-initiated logout: this provider keeps no sessions, so it only sends the user back."""
        client = state.clients.get(request.args.get("client_id", ""))
        back = request.args.get("post_logout_redirect_uri", "")
        if client is None or urlsplit(back).hostname != urlsplit(client.redirect_uris[0]).hostname:
            return "<p>Onbekende client of terugkeeradres.</p>", 400
        return redirect(f"{back}?state={request.args.get('state', '')}")

    @app.post("/token")
    def token():
        return server.create_token_response()

    @app.get("/test/fetched")
    def fetched():
        return jsonify(state.fetched)

    @app.post("/test/discovery")
    def set_discovery():
        data = request.get_json()
        state.discovery_changes, state.discovery_redirect = data.get("changes", {}), data.get("redirect")
        return jsonify(ok=True)

    @app.post("/test/client")
    def set_client():
        data = request.get_json()
        state.clients[data["client_id"]] = Client(data["client_id"], data["client_secret"], data["redirect_uris"])
        return jsonify(ok=True)

    @app.post("/test/person")
    def set_person():
        data = request.get_json()
        username = data.pop("username")
        state.people[username] = Person(**data)
        return jsonify(ok=True)

    return app


if __name__ == "__main__":
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on loopback, for the tests only
    port = int(sys.argv[1])
    create_provider_app(f"http://127.0.0.1:{port}").run(host="127.0.0.1", port=port, threaded=True)
