"""The FAPI 2.0 Security Profile of the authorization server: PAR, private_key_jwt, DPoP and `iss`.

A connector follows the profile when it or its plan says `security_profile: fapi2`; a bank folder
that says so takes only DPoP-bound tokens (the gate, access.py). For such a connector the one OAuth
server (oauth.py) asks for:

- pushed authorization requests (RFC 9126): `POST /oauth/par`, then `/oauth/authorize` with only
  `client_id` and the `request_uri` it answered, which works for one authorization answer;
- client authentication by `private_key_jwt` (RFC 7523) with the keys it registered; a client
  secret is refused as `invalid_client`;
- DPoP (RFC 9449): every token request carries a proof, and the access token is bound to its key
  (`token_type: DPoP`); a request without one is refused as `invalid_dpop_proof`;
- authorization codes that live 60 seconds.

Every connector may use PAR, DPoP and (once it registered keys) private_key_jwt without being held
to them, and every authorization answer carries `iss` (RFC 9207). Mutual TLS (RFC 8705) is not
offered. The Authlib pieces are here; the proofs and keys are governance's (dpop.py, keys.py).
"""

from __future__ import annotations

from authlib.integrations.flask_oauth2 import AuthorizationServer as FlaskAuthorizationServer
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Request
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidRequestError, InvalidScopeError, OAuth2Error
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc9207 import IssuerParameter
from flask import g, jsonify, request
from joserfc import jwt
from joserfc.errors import JoseError

from ..bindings.security import STANDARD_SCOPES, scope_admitted
from ..governance import Governance, ProofError
from ..governance.keys import ALGORITHMS
from ..governance.tokens import PUSHED_TTL_S

CODE_TTL_S = 60
# Sent by the client to authenticate itself, never part of the authorization request it pushes.
CLIENT_AUTH_FIELDS = ("client_id", "client_secret", "client_assertion", "client_assertion_type")


def issuer() -> str:
    """The authorization server's identifier: the URL it is reached at (the metadata's `issuer`)."""
    return request.host_url.rstrip("/")


class InvalidDpopProof(OAuth2Error):
    error = "invalid_dpop_proof"
    status_code = 400


class AuthorizationServer(FlaskAuthorizationServer):
    """Authlib's Flask server, which also takes an authorization request rebuilt from a pushed one."""

    def create_oauth2_request(self, oauth_request):
        if isinstance(oauth_request, OAuth2Request):
            return oauth_request
        return super().create_oauth2_request(oauth_request)

    def validate_requested_scope(self, scope):
        """Every scope asked for is supported, a parameterised one by any value (`security.scope_admitted`)."""
        if scope and self.scopes_supported and not all(
                scope_admitted(self.scopes_supported, s) or s in STANDARD_SCOPES for s in scope_to_list(scope)):
            raise InvalidScopeError()


class PushedRequest(FlaskOAuth2Request):
    """An authorization request whose parameters are the ones the connector pushed (RFC 9126)."""

    def __init__(self, flask_request, params: dict):
        super().__init__(flask_request)
        self.payload = BasicOAuth2Payload(params)

    @property
    def args(self):
        return self.payload.data


class Issuer(IssuerParameter):
    """RFC 9207: `iss` on every authorization answer, so a connector can tell which server answered."""

    def get_issuer(self) -> str:
        return issuer()


class PrivateKeyJwt(JWTBearerClientAssertion):
    """`private_key_jwt`: a JWT the connector signs with a key whose public half it registered."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self, governance: Governance):
        super().__init__(validate_jti=True)
        self.governance = governance

    def get_audiences(self):
        base = issuer()
        return [base, f"{base}/oauth/token", f"{base}/oauth/par"]

    def resolve_client_public_key(self, client):
        keys = self.governance.public_keys.of(client.connector)
        if keys is None:
            raise InvalidClientError(description="the connector registered no usable public keys (jwks or jwks_uri)")
        return keys

    def process_assertion_claims(self, assertion, resolve_key):
        try:
            claims = jwt.decode(assertion, resolve_key, algorithms=ALGORITHMS).claims
        except (JoseError, ValueError) as error:
            raise InvalidClientError(description=f"the client assertion does not verify: {error}") from None
        self.verify_claims(claims)
        return claims

    def validate_jti(self, claims, jti):
        return self.governance.seen_ids.first_use(f"assertion:{claims['sub']}:{jti}",
                                                  float(claims["exp"]) + self.leeway)


def check_token_proof(governance: Governance):
    """At the token endpoint: the key a DPoP proof binds the new token to (None without a proof).

    An invalid proof is refused before anything else: the answer to return, as the second value.
    """
    proof = request.headers.get("DPoP")
    if proof is None:
        return None, None
    try:
        return governance.proofs.check(proof, "POST", request.url), None
    except ProofError as error:
        return None, (jsonify(error="invalid_dpop_proof", error_description=str(error)), 400,
                      {"Cache-Control": "no-store"})


def require_binding(client) -> None:
    """A grant's last check: a FAPI 2.0 connector gets only DPoP-bound tokens."""
    if client.profile == "fapi2" and not g.get("dpop_jkt"):
        raise InvalidDpopProof("this connector follows FAPI 2.0: its tokens are DPoP-bound, send a DPoP proof")


def bound(token: dict) -> str | None:
    """The key a token being issued is bound to; marks the token `DPoP` (RFC 9449 section 5)."""
    jkt = g.get("dpop_jkt")
    if jkt:
        token["token_type"] = "DPoP"
    return jkt


def push(server: AuthorizationServer, governance: Governance, methods):
    """`POST /oauth/par`: check the authorization request as /oauth/authorize would, keep it, name it."""
    oauth_request = server.create_oauth2_request(None)
    try:
        client = server.authenticate_client(oauth_request, methods, endpoint="par")
    except OAuth2Error as error:
        return server.handle_error_response(oauth_request, error)
    params = {k: v for k, v in request.form.items() if k not in CLIENT_AUTH_FIELDS}
    named = request.form.get("client_id")
    try:
        if "request_uri" in params:
            raise InvalidRequestError("request_uri cannot be pushed")
        if any(ord(c) < 32 or ord(c) == 127 for value in params.values() for c in value):
            raise InvalidRequestError("a parameter holds control characters")
        if named is not None and named != client.client_id:
            raise InvalidRequestError("client_id is not the client that authenticated")
        server.get_consent_grant(PushedRequest(request, {**params, "client_id": client.client_id}))
    except OAuth2Error as error:
        return jsonify(error=error.error, error_description=error.description), 400, {"Cache-Control": "no-store"}
    request_uri = governance.tokens.push_request(client.client_id, params)
    return jsonify(request_uri=request_uri, expires_in=PUSHED_TTL_S), 201, {"Cache-Control": "no-store"}


def authorization_request(server: AuthorizationServer, governance: Governance):
    """The request /oauth/authorize serves: the pushed one its `request_uri` names, else the query itself.

    Answers (request, None), or (None, (error, description)) for the page to show: an unknown or
    expired request_uri, or a FAPI 2.0 connector that did not push its request.
    """
    client_id, request_uri = request.args.get("client_id", ""), request.args.get("request_uri")
    if request_uri is not None:
        params = governance.tokens.pushed(request_uri, client_id)
        if params is None:
            return None, ("invalid_request_uri", "the request_uri is unknown, used or expired: push the request again")
        return PushedRequest(request, {**params, "client_id": client_id}), None
    client = server.query_client(client_id)
    if client is not None and client.profile == "fapi2":
        return None, ("invalid_request", ("this connector follows FAPI 2.0: push the authorization request to "
                                          "/oauth/par first, then send only client_id and request_uri here"))
    return None, None


def metadata(base: str) -> dict:
    """What the server metadata (RFC 8414) says about the profile."""
    return {
        "pushed_authorization_request_endpoint": f"{base}/oauth/par",
        # Required of FAPI 2.0 connectors only (and of no one else), so not of every client.
        "require_pushed_authorization_requests": False,
        "token_endpoint_auth_signing_alg_values_supported": ALGORITHMS,
        "dpop_signing_alg_values_supported": ALGORITHMS,
        "authorization_response_iss_parameter_supported": True,
    }
