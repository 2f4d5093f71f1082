"""The sandbox's OAuth 2.0 authorization server (Authlib), with its bank sign-in and consent pages.

- client credentials: a self-use connector reaches its own company's accounts; a third-party
  connector gets a token that reaches no customer's account (for what it does for itself, such as
  creating a consent at a bank that asks for one first);
- authorization code for third-party connectors, with PKCE (S256 only; required on the FAPI 2.0
  profile, checked whenever sent): the customer signs in on the sandbox bank's page (documented test
  users), picks accounts and scopes;
- refresh tokens (rotated), revocation (RFC 7009), introspection (RFC 7662) and metadata (RFC 8414);
- the FAPI 2.0 profile for the connectors that follow it (PAR, private_key_jwt, DPoP; fapi.py).

Scopes are the union of the scopes every served bank declares in its spec: those of its OAuth2 flows
and any other its requirements name (an OpenID Connect scheme lists none of its own). A
suspended connector gets no token. Served as a small Flask app mounted beside the Connexion APIs.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlencode

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError, OAuth2Error
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from flask import Flask, g, jsonify, render_template, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import ImmutableMultiDict

from ..actions import accounts as account_actions
from ..actions import approvals as approval_actions
from ..actions import documents
from ..actions import transfers as transfer_actions
from ..bindings.remembered import consented
from ..bindings.security import STANDARD_SCOPES, scope_admitted, scope_value
from ..domain.errors import SandboxError
from ..governance import Connector, Governance, Token, test_users
from ..governance.tokens import CODE_TTL_S, opaque
from ..workspaces import Workspaces
from . import abuse, fapi
from .lockout import Lockout

AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
SECRET_METHODS = ("client_secret_basic", "client_secret_post")
SIGN_IN_TTL_S = 600


def bank_scopes(apis) -> dict[str, str]:
    """scope -> description: every scope a bank spec's OAuth2 flows declare or its requirements name, and
    those a binding lists for a spec that names its scopes only in prose (`BankApi.scopes`)."""
    scopes = {}
    for api in apis:
        for name, text in api.scopes.items():
            scopes.setdefault(name, text)
    return scopes


class Client:
    """A connector as Authlib's ClientMixin sees it."""

    def __init__(self, connector: Connector, scopes: dict, profile: str = "plain"):
        self.connector = connector
        self.client_id = connector.id
        self._scopes = scopes
        self.profile = profile  # "fapi2": private_key_jwt only, PAR, DPoP-bound tokens, short codes

    def get_client_id(self):
        return self.connector.id

    def get_default_redirect_uri(self):
        return self.connector.redirect_uris[0] if self.connector.redirect_uris else None

    def get_allowed_scope(self, scope):
        wanted = scope.split() if scope else list(self._scopes)
        return " ".join(s for s in dict.fromkeys(wanted) if scope_admitted(self._scopes, s) or s in STANDARD_SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.connector.redirect_uris

    def check_client_secret(self, client_secret):
        return self.connector.check_secret(client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        if method == "private_key_jwt":
            return bool(self.connector.jwks or self.connector.jwks_uri)
        return method in SECRET_METHODS and self.profile != "fapi2"

    def check_response_type(self, response_type):
        return response_type == "code" and self.connector.connector_class == "third-party"

    def check_grant_type(self, grant_type):
        if self.connector.connector_class == "self-use":
            return grant_type == "client_credentials"
        return grant_type in ("authorization_code", "refresh_token", "client_credentials")


class StoredToken:
    """A stored token as Authlib's TokenMixin sees it (for refresh, revocation, introspection)."""

    def __init__(self, token: Token):
        self.token = token

    def check_client(self, client):
        return client.get_client_id() == self.token.connector_id

    def get_scope(self):
        return self.token.scope

    def get_expires_in(self):
        return self.token.expires_in

    def is_expired(self):
        return self.token.expired()

    def is_revoked(self):
        return self.token.revoked

    def get_user(self):
        return self.token.grant


class PkceS256(CodeChallenge):
    """PKCE with S256 only (no `plain`): required of a connector on the FAPI 2.0 profile; a connector on the
    plain profile (always a confidential client: it proves itself with its secret or a signed assertion at
    the token endpoint) may leave it out, as RFC 6749 and many banks' own SDKs do (GMO Aozora's sends no
    code_challenge). A challenge that is sent is checked, and a verifier sent for a code asked for without
    one is refused (RFC 9700 4.8). The readiness report's `uses-pkce-s256` still marks its absence."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        payload = grant.request.payload.data
        client = getattr(grant.request, "client", None)
        if not payload.get("code_challenge") and not payload.get("code_challenge_method") and (
                client is not None and getattr(client, "profile", "plain") != "fapi2"):
            return
        if not payload.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge with code_challenge_method=S256")
        if payload.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256")
        return super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result):
        """A wrong or missing verifier burns the code: whoever intercepted it gets one guess, not many."""
        try:
            super().validate_code_verifier(grant, result)
        except OAuth2Error:
            grant.delete_authorization_code(grant.request.authorization_code)
            raise


def create_oauth_app(governance: Governance, workspaces: Workspaces, apis, secret: str,
                     lockout: Lockout) -> Flask:
    """The Flask app serving /oauth/* and /.well-known/oauth-authorization-server."""
    # Authlib refuses OAuth over plain HTTP except under a loopback name, and the refusal was a 500: a
    # sandbox is reached over HTTP under any name (a compose service `http://sandbox:8000`, a pod behind
    # an ingress that ends TLS, a vendor's host name pointed here). Whether to add TLS is the deployment's
    # choice (`serve --tls`, the ingress), not the token endpoint's.
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    scopes = bank_scopes(apis)
    app = Flask(__name__, template_folder=str(Path(__file__).parent / "templates"))
    app.config.update(OAUTH2_SCOPES_SUPPORTED=sorted(scopes), SECRET_KEY=secret)
    signer = URLSafeTimedSerializer(secret, salt="bank-sign-in")
    tokens = governance.tokens

    def query_client(client_id):
        connector = governance.connectors.find(client_id)
        if connector is None or connector.suspended:
            return None  # a suspended connector is refused as an unknown client: invalid_client
        return Client(connector, scopes, governance.connectors.profile(connector))

    def save_token(token, oauth_request):
        grant = oauth_request.user if oauth_request.payload.grant_type != "client_credentials" else None
        tokens.save_token(token, oauth_request.client.get_client_id(), grant.id if grant else None, fapi.bound(token))

    server = fapi.AuthorizationServer(app, query_client=query_client, save_token=save_token)
    server.register_client_auth_method("private_key_jwt", fapi.PrivateKeyJwt(governance))
    server.register_extension(fapi.Issuer())
    server.register_token_generator("default", BearerTokenGenerator(
        access_token_generator=lambda **_: opaque(32),
        refresh_token_generator=lambda **_: opaque(40),
        expires_generator=lambda client, grant_type: client.connector.token_ttl))

    class ClientCredentials(grants.ClientCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

        def validate_token_request(self):
            super().validate_token_request()
            fapi.require_binding(self.request.client)

    class AuthorizationCode(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS

        def validate_token_request(self):
            super().validate_token_request()
            fapi.require_binding(self.request.client)

        def save_authorization_code(self, code, oauth_request):
            payload = oauth_request.payload.data
            client = oauth_request.client
            tokens.save_code(code, client.get_client_id(), oauth_request.user.id,
                             oauth_request.payload.redirect_uri, oauth_request.user.scope,
                             payload.get("code_challenge"), payload.get("code_challenge_method"),
                             fapi.CODE_TTL_S if client.profile == "fapi2" else CODE_TTL_S)

        def query_authorization_code(self, code, client):
            found = tokens.code(code, client.get_client_id())
            return None if found is None else _Code(code, found)

        def delete_authorization_code(self, authorization_code):
            tokens.delete_code(authorization_code.code)

        def authenticate_user(self, authorization_code):
            grant = tokens.grant(authorization_code.grant_id)
            return grant if grant.active() else None

    class RefreshToken(grants.RefreshTokenGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
        INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: each refresh token works once

        def validate_token_request(self):
            super().validate_token_request()
            fapi.require_binding(self.request.client)

        def authenticate_refresh_token(self, refresh_token):
            token = tokens.by_refresh(refresh_token)
            if token is None or token.revoked or token.refresh_expired():
                return None
            return StoredToken(token)

        def authenticate_user(self, stored):
            grant = stored.token.grant
            return grant if grant is not None and grant.active() else None

        def revoke_old_credential(self, stored):
            tokens.revoke(stored.token)

    class Revocation(RevocationEndpoint):
        CLIENT_AUTH_METHODS = AUTH_METHODS

        def query_token(self, token_string, token_type_hint):
            return _stored(tokens, token_string, token_type_hint)

        def revoke_token(self, stored, oauth_request):
            tokens.revoke(stored.token)

    class Introspection(IntrospectionEndpoint):
        CLIENT_AUTH_METHODS = AUTH_METHODS

        def query_token(self, token_string, token_type_hint):
            return _stored(tokens, token_string, token_type_hint)

        def check_permission(self, stored, client, oauth_request):
            return stored.check_client(client)

        def introspect_token(self, stored):
            token = stored.token
            if token.problem() is not None or token.connector_status != "active":
                return {"active": False}
            info = {"active": True, "client_id": token.connector_id, "scope": token.scope,
                    "token_type": "DPoP" if token.jkt else "Bearer",
                    "exp": int(token.issued_at + token.expires_in), "iat": int(token.issued_at),
                    "workspace": token.workspace}
            if token.jkt:
                info["cnf"] = {"jkt": token.jkt}  # RFC 9449 section 6.2
            if token.grant is not None:
                info.update(sub=token.grant.customer_id, accounts=list(token.grant.accounts),
                            consent_expires_at=int(token.grant.expires_at))
            return info

    server.register_grant(ClientCredentials)
    server.register_grant(AuthorizationCode, [PkceS256(required=False)])
    server.register_grant(RefreshToken)
    server.register_endpoint(Revocation)
    server.register_endpoint(Introspection)

    @app.post("/oauth/token")
    def token_endpoint():
        _json_as_form()
        client_id = request.authorization.username if request.authorization else request.form.get("client_id")
        if locked := abuse.locked_client(governance, client_id):
            status, body, headers = locked
            return jsonify(body), status, headers
        g.dpop_jkt, refused = fapi.check_token_proof(governance)
        if refused:
            return refused
        if stopped := _suspended(governance, client_id):
            return jsonify(stopped), 401, {"WWW-Authenticate": 'Basic realm="bank-sandbox"', "Cache-Control": "no-store"}
        response = server.create_token_response()
        if response.status_code == 401 or (response.get_json(silent=True) or {}).get("error") == "invalid_grant":
            abuse.failed_token(governance, client_id)  # a wrong secret, or a guessed code or refresh token
        return response

    @app.post("/oauth/par")
    def par_endpoint():
        return fapi.push(server, governance, AUTH_METHODS)

    @app.post("/oauth/revoke")
    def revoke_endpoint():
        return server.create_endpoint_response(Revocation.ENDPOINT_NAME)

    @app.post("/oauth/introspect")
    def introspect_endpoint():
        return server.create_endpoint_response(Introspection.ENDPOINT_NAME)

    @app.get("/.well-known/oauth-authorization-server")
    @app.get("/oauth/.well-known/oauth-authorization-server")
    def metadata():
        base = request.host_url.rstrip("/")
        return jsonify({
            "issuer": base,
            "authorization_endpoint": f"{base}/oauth/authorize",
            "token_endpoint": f"{base}/oauth/token",
            "revocation_endpoint": f"{base}/oauth/revoke",
            "introspection_endpoint": f"{base}/oauth/introspect",
            "scopes_supported": sorted(scopes),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": AUTH_METHODS,
            "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
            "introspection_endpoint_auth_methods_supported": AUTH_METHODS,
            "service_documentation": f"{base}/sandbox/v1/ui/",
            **fapi.metadata(base),
        })

    @app.route("/oauth/authorize", methods=["GET", "POST"])
    def authorize():
        pushed, refused = fapi.authorization_request(server, governance)
        if refused:
            return render_template("oauth_error.html", error=refused[0], description=refused[1]), 400
        try:
            grant = server.get_consent_grant(pushed, end_user=None)
        except ValueError:  # Authlib cannot even word its refusal (control characters in a parameter)
            return render_template("oauth_error.html", error="invalid_request",
                                   description="a parameter holds characters no OAuth request may carry"), 400
        except OAuth2Error as error:
            # Without a verified redirect URI (unknown client, unregistered URI) nothing may be sent
            # anywhere: the customer sees the error on the page instead.
            if not getattr(error, "redirect_uri", None):
                return render_template("oauth_error.html", error=error.error, description=error.description), 400
            response = server.handle_error_response(None, error)
            fapi.Issuer().add_issuer_parameter(server, response)
            return response
        client: Client = grant.client
        workspace = client.connector.workspace
        requested = (grant.request.scope or client.get_allowed_scope(None)).split()
        query = urlencode(list(request.args.items(multi=True)))
        page = {"connector": client.connector, "scopes": [(s, scopes.get(s, s)) for s in requested],
                "query": query, "workspace": workspace}
        form = request.form
        if request.method == "GET":
            return render_template("oauth_sign_in.html", **page)
        if form.get("step") == "sign_in":
            if refused := _locked_out(lockout, "oauth_sign_in.html", **page):
                return refused
            customer, problem = _sign_in(workspaces, workspace, form.get("login_id", ""), form.get("password", ""),
                                         lockout)
            if problem:
                return render_template("oauth_sign_in.html", error=problem, **page), 401
            accounts = _accounts(workspaces, workspace, customer["id"])
            # The ticket is bound to this very authorization request: it approves nothing else.
            ticket = signer.dumps({"customer": customer["id"], "client": client.connector.id,
                                   "request": _request_digest(query)})
            return render_template("oauth_consent.html", customer=customer, accounts=accounts, ticket=ticket, **page)
        try:
            ticket = signer.loads(form.get("ticket", ""), max_age=SIGN_IN_TTL_S)
        except BadSignature:
            return render_template("oauth_sign_in.html", error="サインインの有効期限が切れました / Your sign-in expired",
                                   **page), 401
        if ticket.get("client") != client.connector.id or ticket.get("request") != _request_digest(query):
            return render_template("oauth_sign_in.html", error="サインインし直してください / Please sign in again",
                                   **page), 401
        named = _consent_named(grant.request.payload.data, scopes)
        now = workspaces.context(workspace).clock.now().isoformat(timespec="seconds")
        if form.get("decision") != "approve":
            if named:
                consented(apis, workspaces.context(workspace), named, False, now)
            return _answer(server, tokens, grant, None)
        owned = {a["id"] for a in _accounts(workspaces, workspace, ticket["customer"])}
        chosen = [a for a in form.getlist("accounts") if a in owned]
        allowed = [s for s in form.getlist("scopes") if s in requested]
        if not chosen or not allowed:
            customer = _customer(workspaces, workspace, ticket["customer"])
            return render_template("oauth_consent.html", customer=customer,
                                   accounts=_accounts(workspaces, workspace, ticket["customer"]), ticket=form["ticket"],
                                   error="口座と権限を1つ以上選んでください / Choose at least one account and one scope",
                                   **page), 400
        # The consent the bank's API made, which the request names, is the one granted, and the one its tokens are
        # for: they reach what it allows while it stays authorised (`remembered.consent_refusal`).
        kept = named if named and documents.kinds_of(workspaces.context(workspace), named) else None
        consent = tokens.create_grant(client.connector.id, workspace, ticket["customer"], chosen, " ".join(allowed),
                                      consent_id=kept)
        if kept:
            consented(apis, workspaces.context(workspace), named, True, now)
        return _answer(server, tokens, grant, consent)

    @app.route("/oauth/approve", methods=["GET", "POST"])
    def approve():
        """The bank's approval page: the paying customer (or the company's approver) approves a transfer."""
        workspace, transfer_id = request.values.get("workspace", ""), request.values.get("transfer", "")
        try:
            ctx = workspaces.context(workspace)
            waiting = approval_actions.pending(ctx, transfer_id)
        except SandboxError as error:  # no such workspace or transfer (404), or no names at all (400)
            return render_template("oauth_error.html", error=error.code, description=error.message), error.status
        page = {"workspace": workspace, "transfer": approval_actions.find(ctx, transfer_id) or waiting["preview"],
                "reasons": waiting["reasons"], "status": waiting["status"], "expires_at": waiting["expires_at"]}
        if request.method == "GET" or waiting["status"] != "pending":
            return render_template("oauth_approve.html", **page), 200 if waiting["status"] == "pending" else 409
        form = request.form
        if refused := _locked_out(lockout, "oauth_approve.html", **page):
            return refused
        customer, problem = _sign_in(workspaces, workspace, form.get("login_id", ""), form.get("password", ""),
                                     lockout)
        if problem is None and customer["id"] != waiting["customer_id"]:
            problem = "この振込を承認できるのは支払元のお客さまだけです / Only the paying customer can approve"
        if problem is None and form.get("decision") == "approve" and not test_users.one_time_code_ok(form.get("code", "")):
            problem = "ワンタイムパスワードが違います / Wrong one-time code"
        if problem:
            return render_template("oauth_approve.html", error=problem, **page), 401
        try:
            result = transfer_actions.approve(ctx, transfer_id, customer["id"], form.get("decision", "approve"))
        except SandboxError as error:
            return render_template("oauth_approve.html", error=f"{error.code}: {error.message}", **page), error.status
        return render_template("oauth_approved.html", transfer=result, workspace=workspace)

    return app


def _json_as_form() -> None:
    """A token request posted as a JSON object (`{"grant_type": "client_credentials"}`, as Efí's SDKs and several
    other banks' clients post it) read as the form RFC 6749 describes: the token endpoints those SDKs are made
    for take both, and refused as `unsupported_grant_type` the SDK never got a token. A form is read as before."""
    if request.form or not request.is_json:
        return
    sent = request.get_json(silent=True)
    if isinstance(sent, dict) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in sent.values()):
        request.form = ImmutableMultiDict({k: str(v) for k, v in sent.items()})


def token_exchanger(app: Flask):
    """A call of this server's /oauth/token in-process: (status, JSON answer, headers) for a form and headers. A
    bank spec's own token operation exchanges authorization codes through it (http/token_exchange.py), so
    a code is checked once, in one place, with every rule of the token endpoint."""
    client = app.test_client()

    def exchange(form: dict, headers: dict) -> tuple[int, dict, dict]:
        answer = client.post("/oauth/token", data=form, headers=headers)
        return answer.status_code, answer.get_json(silent=True) or {}, dict(answer.headers)
    return exchange


def _suspended(governance: Governance, client_id: str | None) -> dict | None:
    """The token endpoint's refusal of a suspended connector that proved its secret, saying why.

    Still `invalid_client` (no token, as for an unknown client), but a developer whose credentials are
    right learns that the kill switch is on, who turned it on and why, instead of hunting a typo.
    A caller without the secret learns nothing: it gets the ordinary refusal.
    """
    connector = governance.connectors.find(client_id) if client_id else None
    secret = request.authorization.password if request.authorization else request.form.get("client_secret")
    if connector is None or not connector.suspended or not connector.check_secret(secret):
        return None
    last = next((e for e in governance.connectors.audit(connector_id=connector.id, limit=20) if e["event"] == "suspended"),
                None)
    why = f" by {last['actor']}" + (f": {last['reason']}" if last["reason"] else "") if last else ""
    return {"error": "invalid_client",
            "error_description": f"The connector {connector.id} is suspended{why}. It gets no token until bank staff "
                                 "resume it."}


# A parameter or claim naming the consent an authorization request is for: UK Open Banking's
# `openbanking_intent_id` (a claim of its signed `request` object), `consent_id`, `consentId`, `intent_id`.
_CONSENT_NAMES = ("consentid", "intentid")


def _consent_named(params: dict, declared=()) -> str | None:
    """The id of the consent, made beforehand at a bank's API, that an authorization request names: a parameter
    (`consent_id`), a claim of its request object (JAR, RFC 9101: UK Open Banking's `openbanking_intent_id`, at the
    top or as `claims.id_token.openbanking_intent_id.value`; read, not verified, as it is the consent's id alone
    that is taken), an entry of its `authorization_details` (RFC 9396), or the value of a scope asked for whose
    `declared` form names a consent by its parameter (Brazil's `consent:consentId`, asked for as
    `consent:urn:bank:C1`, in the request or its request object: the only place Brazil's clients name it, and the
    consent had stayed awaiting authorisation); None when it names none."""
    def found(node, depth=0):
        if depth > 5:
            return None
        if isinstance(node, dict):
            for key, value in node.items():
                if re.sub(r"[^a-z]", "", str(key).lower()).endswith(_CONSENT_NAMES):
                    named = value.get("value") if isinstance(value, dict) else value
                    if isinstance(named, str) and named:
                        return named
            return next((hit for value in node.values() if (hit := found(value, depth + 1))), None)
        if isinstance(node, list):
            return next((hit for value in node if (hit := found(value, depth + 1))), None)
        return None

    sent = {key: value for key, value in params.items() if key not in ("request", "authorization_details")}
    claims = _unverified_claims(params.get("request"))
    try:
        details = json.loads(params.get("authorization_details") or "null")
    except ValueError:
        details = None
    return found(sent) or found(claims) or found(details) or next(
        (given[1] for asked in (params.get("scope"), (claims or {}).get("scope")) if isinstance(asked, str)
         for wanted in asked.split() if (given := scope_value(declared, wanted))
         and re.sub(r"[^a-z]", "", given[0].lower()).endswith(_CONSENT_NAMES)), None)


def _unverified_claims(request_object) -> dict | None:
    """The claims of a request object (a JWS, compact), or None where it is none."""
    parts = str(request_object or "").split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


def _answer(server, tokens, grant, consent):
    """The authorization answer (a code, or access_denied without a consent); a pushed request is used up."""
    response = server.create_authorization_response(grant_user=consent, grant=grant)
    if request_uri := request.args.get("request_uri"):
        tokens.drop_pushed(request_uri)
    return response


def _stored(tokens, token_string: str, hint: str | None):
    """The token a revocation or introspection request names: an access token, else a refresh token (RFC 7009)."""
    token = tokens.by_access(token_string) if hint != "refresh_token" else None
    if token is None and hint != "access_token":
        token = tokens.by_refresh(token_string)
    return StoredToken(token) if token else None


class _Code:
    """A stored authorization code as Authlib's AuthorizationCodeMixin sees it."""

    def __init__(self, code: str, stored):
        self.code = code
        self.grant_id = stored.grant_id
        self.code_challenge = stored.challenge
        self.code_challenge_method = stored.challenge_method
        self._stored = stored

    def get_redirect_uri(self):
        return self._stored.redirect_uri

    def get_scope(self):
        return self._stored.scope

    def is_expired(self):
        return self._stored.expires_at <= time.time()


def _sign_in(workspaces: Workspaces, workspace: str, login_id: str, password: str, lockout: Lockout):
    """(customer, None) for the documented test users, or (None, a message for the page).

    Failures count against the caller's address (the pages ask `_locked_out` before calling this).
    """
    customer = _customer(workspaces, workspace, login_id.strip())
    if customer is None or not test_users.password_ok(password):
        lockout.failed("customer", request.remote_addr)
        return None, "お客さま番号またはパスワードが違います / Unknown customer id or wrong password"
    return customer, None


def _locked_out(lockout: Lockout, template: str, **page):
    """The page refusing a sign-in (429 + Retry-After) from an address that failed too often, else None."""
    wait = lockout.wait("customer", request.remote_addr)
    if wait is None:
        return None
    error = f"失敗が続きました。{wait} 秒後にお試しください / Too many failed sign-ins: try again in {wait} s"
    return render_template(template, error=error, **page), 429, {"Retry-After": str(wait)}


def _request_digest(query: str) -> str:
    """A digest of an authorization request's parameters, binding a sign-in ticket to that request."""
    return hashlib.sha256(query.encode()).hexdigest()


def _customer(workspaces: Workspaces, workspace: str, customer_id: str) -> dict | None:
    try:
        return account_actions.customer(workspaces.context(workspace), customer_id)
    except SandboxError:
        return None


def _accounts(workspaces: Workspaces, workspace: str, customer_id: str) -> list[dict]:
    ctx = workspaces.context(workspace)
    return account_actions.list_accounts(ctx, customer_id=customer_id, limit=500)["accounts"]
