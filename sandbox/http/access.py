"""Who is calling a bank API, and may they: the first steps of every bank request.

    auth (credential, connector, consent, scopes) -> plan -> capacity -> the bank's binding -> the log

`Gate` is the security handler Connexion calls for each scheme of an operation's security
requirements, exactly as the spec declares them: alternatives (any one passing is enough), schemes
ANDed within one requirement, per-operation overrides, scopes. Whatever the scheme, the credential is
one the sandbox issued:

- OAuth 2.0, OpenID Connect and HTTP bearer: `Authorization: Bearer <access token>`, or, for a token
  bound to the connector's key, `Authorization: DPoP <access token>` with a proof in the `DPoP`
  header (RFC 9449); a bank whose binding says `security_profile: fapi2` takes only bound tokens;
- an API key (in a header, a query parameter or a cookie, under the name the spec gives): the access
  token itself (`x-access-token: <access token>`);
- HTTP basic: the connector's client id and secret, calling as the connector itself (as its
  client-credentials token would).

The gate turns the credential into the caller (workspace, connector, the accounts it reaches) or
refuses with a canonical error that the bank renders in its own dialect. Plan and capacity are
checked once per request, however many schemes the requirement names. `Governed` wraps every bank
request: it adds the RateLimit headers and writes the request log once the answer has gone.

An operation the spec declares open (`security: []`) runs as the development caller. An operation of
a spec that declares no security at all runs only with `open_access` on (a setting, off by default);
then a request without credentials passes as the development caller, naming its workspace in a
header, while a request with credentials is still checked.
"""

from __future__ import annotations

import base64
import binascii
import http.cookies
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from connexion.exceptions import ProblemException
from connexion.security import NO_VALUE, AbstractSecurityHandler

from ..actions import accounts as account_actions
from ..bindings.about import posted_authorization
from ..bindings.headers import RATE_LIMIT
from ..bindings.jws import carries_json
from ..bindings.security import body_pair, operation_mode, place, scope_missing
from ..bindings.security import schemes as security_schemes
from ..domain.calendar import JST
from ..domain.errors import CANONICAL_ERRORS, SandboxError
from ..governance import Entry, Governance, ProofError
from ..governance.keys import ALGORITHMS, self_signed_claims
from ..workspaces import Workspaces
from . import abuse

EXTENSION = "sandbox"


class Refusal(ProblemException):
    """A canonical refusal raised before the binding runs; rendered in the bank's dialect."""

    def __init__(self, code: str, detail: str, headers: dict | None = None):
        status, title = CANONICAL_ERRORS[code]
        super().__init__(status=status, title=title, detail=detail, headers=headers)
        self.code = code


def request_state(scope: dict) -> dict:
    """What the gate, the view and the log share about one request (kept in the ASGI scope)."""
    return scope.setdefault("extensions", {}).setdefault(EXTENSION, {})


@dataclass(frozen=True)
class Credential:
    """What one security scheme found in a request: an access token, or a client id and secret."""

    kind: str  # "token", "client", or "assertion" (a bearer JWT its connector signed)
    value: str
    secret: str | None = None
    scheme: str = "Bearer"  # how a token came: "Bearer", "DPoP" (RFC 9449) or "apiKey"


@dataclass(frozen=True)
class Caller:
    """Whom a credential names. `scopes` is None for a connector calling with its own client secret."""

    workspace: str
    connector_id: str
    connector_status: str
    grant: object | None
    scopes: frozenset | None


def read_credential(request, scheme: dict) -> Credential | None:
    """The credential a request carries for one security scheme (None: it carries none for it).

    A malformed `Authorization` header for a scheme that reads it is refused at once.
    """
    kind = scheme.get("type")
    http_scheme = str(scheme.get("scheme", "")).lower()
    if kind == "apiKey":
        name, place = str(scheme.get("name", "")), scheme.get("in")
        if place == "header":
            value = request.headers.get(name)
            if value and name.lower() == "authorization" and value[:7].lower() == "bearer ":
                value = value[7:]  # an API key named Authorization that carries "Bearer <token>"
            elif value and name.lower() == "authorization" and value[:6].lower() == "basic ":
                # An API key named Authorization that carries "Basic <base64>", as APIs whose keys are sent
                # the HTTP Basic way write it (Codat: "Basic BASE_64_ENCODED(API_KEY)"): base64 of the
                # connector's client id and secret (as HTTP Basic), or of an access token.
                pair = basic_pair(value[6:])
                if pair is not None:
                    return Credential("client", *pair)
                try:
                    value = base64.b64decode(value[6:].strip(), validate=True).decode("ascii")
                except (binascii.Error, UnicodeDecodeError):
                    value = value[6:]  # the key itself after the word, not encoded
        elif place == "query":
            value = request.query_params.get(name)
        elif place == "cookie":
            jar = http.cookies.SimpleCookie()
            try:
                jar.load(request.headers.get("cookie") or "")
            except http.cookies.CookieError:
                return None  # a Cookie header it cannot read carries no credential
            value = jar[name].value if name in jar else None
        else:
            return None
        return Credential("token", value.strip(), scheme="apiKey") if value and value.strip() else None
    header = request.headers.get("authorization")
    if not header:
        return None
    given, _, value = header.partition(" ")
    if kind == "http" and http_scheme == "basic":
        if given.lower() != "basic":
            raise Refusal("unauthorized", "send the connector's client id and secret as 'Authorization: Basic ...'",
                          headers={"WWW-Authenticate": 'Basic realm="bank-sandbox"'})
        pair = basic_pair(value)
        if pair is None:
            raise Refusal("unauthorized", "the Basic credentials are not base64 of 'client_id:client_secret'",
                          headers={"WWW-Authenticate": 'Basic realm="bank-sandbox"'})
        if pair[0] and not pair[1]:
            # An API key as the user name and no password (`curl -u sk_test_...:`, as Stripe's, PAY.JP's and
            # Omise's specs and SDKs send it): the access token. No connector has an empty secret.
            return Credential("token", pair[0], scheme="Bearer")
        return Credential("client", *pair)
    if given.lower() not in ("bearer", "dpop") or not value.strip():
        raise Refusal("unauthorized", "send the access token as 'Authorization: Bearer <token>' (or, bound to a "
                                      "key, as 'Authorization: DPoP <token>' with a DPoP proof)",
                      headers={"WWW-Authenticate": 'Bearer error="invalid_request"'})
    return Credential("token", value.strip(), scheme="DPoP" if given.lower() == "dpop" else "Bearer")


def basic_pair(value: str) -> tuple[str, str] | None:
    """The client id and secret of HTTP Basic credentials (what follows `Basic `), or None when they are
    not base64 of 'client_id:client_secret'."""
    try:
        client_id, colon, secret = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (client_id, secret) if colon else None


def _api_key(request, where: tuple) -> str | None:
    """The value sent at an API key's place (in, name)."""
    found = read_credential(request, {"type": "apiKey", "in": where[0], "name": where[1]})
    return found.value if found else None


def _reads(request, scheme: dict) -> bool:
    """Whether `scheme` finds a credential of its own kind in the request."""
    return _read(request, scheme) is not None


def _read(request, scheme: dict) -> Credential | None:
    """`read_credential`, with a malformed credential read as none of this scheme's."""
    try:
        return read_credential(request, scheme)
    except Refusal:
        return None


def deferred_refusal(scope: dict, raised) -> "Refusal | None":
    """The refusal a scheme left to another alternative (`Gate._check`), when Connexion then found no
    credential at all to answer with (its bare 'No authorization token provided'); None otherwise."""
    deferred = request_state(scope).get("deferred")
    return deferred if deferred is not None and not isinstance(raised, Refusal) else None


def _other_credential(request, scheme: dict, credential) -> bool:
    """Whether `scheme` finds a credential of its own kind in the request other than `credential`."""
    found = _read(request, scheme)
    return found is not None and (found.kind, found.value, found.secret) != (credential.kind, credential.value,
                                                                            credential.secret)


# The schemes a credential sent to an operation no scheme guards is read by, by its `Authorization` word.
_PRESENTED = {"bearer": {"type": "http", "scheme": "bearer"}, "dpop": {"type": "http", "scheme": "bearer"},
              "basic": {"type": "http", "scheme": "basic"}}


def _presented(request, mount=None) -> dict | None:
    """The scheme that reads the credential a request carries without any requirement asking for it: its
    `Authorization` header's word, else an API key of the spec's own schemes found where that scheme puts it (an
    SDK sends its `X-API-Key` on every call, also to the operations its spec left without a requirement, as
    Adyen's leaves its transfer limits); None without one."""
    found = _PRESENTED.get(request.headers.get("authorization", "").partition(" ")[0].lower())
    if found is not None or mount is None:
        return found
    for scheme in security_schemes(mount.api.spec).values():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and _reads(request, scheme):
            return scheme
    return None


class Gate:
    def __init__(self, governance: Governance, workspaces: Workspaces, *, open_access: bool, workspace_header: str,
                 default_workspace: str):
        self.governance = governance
        self.workspaces = workspaces
        self.open_access = open_access
        self.workspace_header = workspace_header
        self.default_workspace = default_workspace

    def security_map(self, mount) -> dict:
        """Connexion security handlers for one bank (Connexion instantiates them without arguments)."""
        gate = self

        class BankSecurity(AbstractSecurityHandler):
            def get_fn(self, security_scheme, required_scopes):
                flows = set((security_scheme.get("flows") or {}) if security_scheme.get("type") == "oauth2" else ())
                if not mount.tells_token_kinds_apart:
                    flows = set()  # any token the sandbox issued the connector, whatever its grant (`kinds_told_apart`)
                scopes = frozenset(required_scopes or ())

                def check(request):
                    return gate.check(request, mount, security_scheme, flows, scopes)

                return check

        return {kind: BankSecurity for kind in ("oauth2", "bearer", "basic", "apiKey", "openIdConnect")}

    def check(self, request, mount, scheme: dict, flows: set, required: frozenset):
        """One scheme of one requirement: the caller it names, or NO_VALUE when the request has none for it.

        Its token and its connector, both cached, are judged fresh against one reading of the governance
        database's version (`SharedStore.one_reading`), not one reading each."""
        with self.governance.store.one_reading():
            return self._check(request, mount, scheme, flows, required)

    def _check(self, request, mount, scheme: dict, flows: set, required: frozenset):
        state = request_state(request.scope)
        operation_id = routed_operation_id(request.scope)
        try:
            credential = self._paired(request, mount.client_pair(operation_id), scheme) or read_credential(request, scheme)
        except Refusal:
            # A credential of another kind (a Bearer token where this scheme wants Basic): if another
            # scheme of the operation reads it, that alternative answers for the request (a 429 of its
            # plan is not to be drowned by this one's 401, which Connexion would rank first).
            if any(other is not scheme and _reads(request, other) for other in mount.schemes(operation_id)):
                return NO_VALUE
            raise
        if credential is None:
            if self.open_access and not any(read_credential(request, s) for s in mount.schemes(operation_id)):
                return self.development(request)
            return NO_VALUE
        credential = _self_signed(credential, scheme)
        try:
            who = self._identify(state, credential, request, mount)
        except Refusal as refusal:
            # An unknown credential where the request carries another alternative's too (a wrong Basic pair
            # beside a valid API key): that alternative answers, so its plan's 429 is not drowned by this 401,
            # which Connexion would rank first. Should nothing else answer, this refusal is the one rendered
            # (`deferred_refusal`).
            if refusal.code == "unauthorized" and any(_other_credential(request, other, credential)
                                                      for other in mount.schemes(operation_id) if other is not scheme):
                state.setdefault("deferred", refusal)
                return NO_VALUE
            raise
        state["workspace"], state["connector"] = who.workspace, who.connector_id
        if who.connector_status == "suspended":
            raise Refusal("connector_suspended", f"connector {who.connector_id} is suspended; every call is refused "
                                                 f"until bank staff resume it")
        kind = "user" if who.grant is not None else "client"
        if flows and kind not in _kinds(flows):
            if kind in mount.token_kinds(operation_id):
                return NO_VALUE  # another of the operation's security alternatives takes this kind of token
            wanted = "a customer's token (authorization code)" if kind == "client" else "a client-credentials token"
            raise Refusal("forbidden", f"this operation takes {wanted}")
        missing = scope_missing(who.scopes, required) if who.scopes is not None else []
        if missing:
            raise Refusal("scope_missing", f"the token lacks the scope {' '.join(missing)}")
        return self._admit(state, who, mount, request, operation_id)

    def _paired(self, request, pair, scheme: dict) -> Credential | None:
        """The connector's client id and secret, sent in an API-key pair (`security.client_pair`) that
        `scheme` is a key of; None where the request does not carry such a pair (an access token in
        those keys is read as usual)."""
        if pair is None or scheme.get("type") != "apiKey" or place(scheme) not in pair[2]:
            return None
        values = [_api_key(request, where) for where in pair[:2]]
        if not all(values) or self.governance.connectors.find(values[0]) is None:
            return None
        return Credential("client", values[0], values[1])

    def development(self, request) -> dict:
        """The development caller: no connector, reaches every account of the workspace its header names."""
        workspace = request.headers.get(self.workspace_header) or self.default_workspace
        request_state(request.scope)["workspace"] = workspace
        return {"sub": "development", "scope": [], "workspace": workspace, "connector": None, "reach": None}

    def unguarded(self, request, mount, operation_id: str, bound: bool) -> dict:
        """The caller of an operation no scheme guards: open if the spec says so, else only with open access.

        A credential the request carries anyway (`Authorization: Bearer ...` or `Basic ...`) is checked as a
        declared scheme's is, as the bank whose spec left its security out (Marqeta's) or made it optional
        (NextGenPSD2's `security: [{}, {BearerAuthOAuth: []}]`) checks it: the call is its connector's
        (governed, and in its log), and an unknown token is a 401 a connector can rehearse. An operation that
        hands out tokens reads its credentials itself."""
        presented = _presented(request, mount)
        if presented is not None and not mount.issues_tokens(operation_id):
            return self.check(request, mount, presented, set(), frozenset())
        operation = mount.spec_operation(operation_id)
        if operation_mode(mount.api.spec, operation) == "open" or self.open_access:
            return self.development(request)
        if bound:
            raise SandboxError("unauthorized", "this API declares no security scheme: its operations are served "
                                               "only with open access (SANDBOX_OPEN_ACCESS), or once its binding "
                                               "says where the access token is (auth)")
        return {}

    def authorizing(self, body) -> dict:
        """The caller of an authorization request posted in a JSON body to an operation no scheme guards (PolishAPI's
        `POST .../auth/authorize`): the workspace of the connector its `client_id` names, which an authorization
        request names its client by alone (no credential, as at `/oauth/authorize`), reaching no account; {} for
        any other body, or a client not known or suspended. The consent the request is (`reach.keep_posted_consent`)
        is kept there, where the customer then grants it: served without a workspace, it had been kept nowhere."""
        asked = posted_authorization(body)
        connector = self.governance.connectors.find(asked["clientid"]) if asked else None
        if connector is None or connector.suspended:
            return {}
        return {"sub": "authorization", "scope": [], "workspace": connector.workspace, "connector": None,
                "reach": frozenset()}

    def presented(self, request, mount) -> Caller | None:
        """The connector a credential sent without any scheme asking for it names (`Authorization: Bearer` or
        `Basic`), None where none is sent; an unknown one is refused."""
        scheme = _presented(request, mount)
        credential = read_credential(request, scheme) if scheme is not None else None
        if credential is None:
            return None
        with self.governance.store.one_reading():
            return self._identify(request_state(request.scope), credential, request, mount)

    def _identify(self, state: dict, credential: Credential, request, mount) -> Caller:
        """The caller a credential names, or a refusal; read once per request and credential."""
        known = state.setdefault("callers", {})
        if credential not in known:
            if credential.kind == "token":
                try:
                    token = self.governance.tokens.by_access(credential.value)
                    who = self._token(token, state)
                    # Still its connector's call when the proof fails: the log shows whose it was.
                    state["workspace"], state["connector"] = who.workspace, who.connector_id
                    self._sender(credential, token, request, mount)
                    known[credential] = who
                except Refusal as refusal:  # the same answer for every alternative (a proof is used once)
                    known[credential] = refusal
            elif credential.kind == "assertion":
                try:
                    known[credential] = self._asserted(credential, mount)
                except Refusal as refusal:
                    known[credential] = refusal
            else:
                known[credential] = self._client(credential, mount)
        who = known[credential]
        if isinstance(who, Refusal):
            raise who
        first = state.setdefault("caller", who)
        if first.connector_id != who.connector_id:
            raise Refusal("unauthorized", "the request's credentials belong to different connectors")
        return who

    def _admit(self, state: dict, who: Caller, mount, request, operation_id) -> dict:
        """Plan, capacity and reach, once per request (later schemes of the same request reuse the answer)."""
        if "admitted" in state:
            if isinstance(state["admitted"], Exception):
                raise state["admitted"]
            return state["admitted"]
        try:
            state["admitted"] = self._admission(state, who, mount, request, operation_id)
        except Refusal as refusal:
            state["admitted"] = refusal
            raise
        return state["admitted"]

    def _admission(self, state: dict, who: Caller, mount, request, operation_id) -> dict:
        connector = self.governance.connectors.get(who.connector_id)
        ctx = state["ctx"] = self.workspaces.context(who.workspace, connector.id)
        now = ctx.now()
        today = now.date()
        state["day"] = today.isoformat()
        abuse.hold_back(self.governance.abuse, state, connector.id, Refusal)
        operation = mount.api.operations.get(operation_id)
        try:
            self.governance.plans.check(connector.plan, operation.action_name if operation else None,
                                        request.method, operation_id)
        except SandboxError as error:
            raise Refusal(error.code, error.message) from None
        capacity = self.governance.plans.get(connector.plan).capacity_on(today)
        midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), JST)
        decision = self.governance.capacity.take(connector.id, capacity, epoch=time.time(), today=today,
                                                 seconds_to_midnight=max(1, int((midnight - now).total_seconds())))
        state["capacity"] = decision
        if not decision.allowed:
            raise Refusal("rate_limited", f"connector {connector.id} used its capacity of {decision.limit} calls per "
                                          f"{decision.window}", headers=rate_headers(decision))
        if who.grant is not None:
            reach = frozenset(who.grant.accounts)
        elif connector.customer_id:
            reach = account_actions.account_ids(ctx, connector.customer_id)
        else:
            reach = frozenset()
        return {"sub": connector.id, "scope": sorted(who.scopes if who.scopes is not None else ()),
                "workspace": who.workspace, "connector": connector.id, "class": connector.connector_class,
                "reach": reach, "customer": who.grant.customer_id if who.grant is not None else connector.customer_id,
                "consent": who.grant.consent_id if who.grant is not None else None}

    def _token(self, token, state: dict) -> Caller:
        invalid = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        if token is None:
            raise Refusal("unauthorized", "the access token is not one this sandbox issued", headers=invalid)
        problem = token.problem()
        if problem is not None:
            # Still its connector's call: the log shows a connector that keeps using an expired token.
            state["workspace"], state["connector"] = token.workspace, token.connector_id
            raise Refusal("unauthorized", problem, headers=invalid)
        return Caller(token.workspace, token.connector_id, token.connector_status, token.grant, token.scopes)

    def _sender(self, credential: Credential, token, request, mount) -> None:
        """A DPoP-bound token comes with a valid proof, and a FAPI 2.0 bank takes no other token."""
        url = str(request.url) if token.jkt else ""  # a proof names the URL; an unbound token has none to check
        try:
            self.governance.proofs.check_presentation(
                credential.value, token.jkt, credential.scheme, request.headers.get("dpop"), request.method,
                url, required=mount.api.security_profile == "fapi2")
        except ProofError as error:
            description = str(error).replace('"', "'")
            raise Refusal("unauthorized", description, headers={"WWW-Authenticate": (
                f'DPoP error="{error.error}", error_description="{description}", algs="{" ".join(ALGORITHMS)}"')})

    def _asserted(self, credential: Credential, mount) -> Caller:
        """The connector a bearer JWT it signed itself names by its `kid` (its client id), as it calls with its
        client id and secret: verified with the keys it registered (`jwks`, `jwks_uri`)."""
        invalid = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        if mount.api.security_profile == "fapi2":
            raise Refusal("unauthorized", "this bank follows FAPI 2.0: call it with a DPoP-bound access token",
                          headers={"WWW-Authenticate": f'DPoP algs="{" ".join(ALGORITHMS)}"'})
        try:
            header = json.loads(base64.urlsafe_b64decode(credential.value.split(".")[0] + "=="))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            header = None
        kid = header.get("kid") if isinstance(header, dict) else None
        connector = self.governance.connectors.find(kid) if isinstance(kid, str) and kid else None
        if connector is None:
            raise Refusal("unauthorized", "the bearer JWT's kid names no connector of this sandbox (its client id)",
                          headers=invalid)
        keys = self.governance.public_keys.of(connector)
        if keys is None:
            raise Refusal("unauthorized", f"connector {connector.id} registered no public keys (jwks or jwks_uri) to "
                                          f"verify the JWT it signed", headers=invalid)
        try:
            self_signed_claims(keys, credential.value, time.time())
        except ValueError as error:
            raise Refusal("unauthorized", f"the bearer JWT does not verify: {error}", headers=invalid) from None
        return Caller(connector.workspace, connector.id, connector.status, None, None)

    def _client(self, credential: Credential, mount) -> Caller:
        if mount.api.security_profile == "fapi2":
            raise Refusal("unauthorized", "this bank follows FAPI 2.0: call it with a DPoP-bound access token",
                          headers={"WWW-Authenticate": f'DPoP algs="{" ".join(ALGORITHMS)}"'})
        connector = self.governance.connectors.find(credential.value)
        if connector is None or not connector.check_secret(credential.secret or ""):
            raise Refusal("unauthorized", "the client id and secret are not those of a connector of this sandbox",
                          headers={"WWW-Authenticate": 'Basic realm="bank-sandbox"'})
        return Caller(connector.workspace, connector.id, connector.status, None, None)


def _self_signed(credential: Credential, scheme: dict) -> Credential:
    """A bearer token that is a JWT, for a scheme saying `bearerFormat: JWT`, read as one its connector signed
    (`Gate._asserted`); the sandbox's own access tokens are letters and digits, never a JWT."""
    if credential.kind != "token" or credential.scheme != "Bearer" or scheme.get("type") != "http" \
            or str(scheme.get("bearerFormat", "")).upper() != "JWT" or credential.value.count(".") != 2:
        return credential
    return Credential("assertion", credential.value)


def _kinds(flows) -> set:
    """Which tokens an OAuth2 scheme takes: a customer's ("user") and/or the connector's own ("client")."""
    kinds = set()
    if "authorizationCode" in flows or "implicit" in flows:
        kinds.add("user")
    if "clientCredentials" in flows or "password" in flows:
        kinds.add("client")
    return kinds


def kinds_told_apart(spec: dict) -> bool:
    """Whether the spec tells a customer's token from the connector's own: its OAuth2 schemes offer both kinds of
    grant, so an operation that names one kind refuses the other (UK Open Banking's consents take client
    credentials and its account reads a customer's authorization code). A spec offering one kind only says how
    its vendor's documentation onboards a client, not which tokens its operations take: its resource server
    checks that the token is one its authorization server issued and carries the scopes, whatever the grant
    (Xero's spec declares only `authorizationCode`, and its custom connections call every operation with a
    client-credentials token)."""
    offered = set()
    for scheme in security_schemes(spec).values():
        if isinstance(scheme, dict) and scheme.get("type") == "oauth2":
            offered |= _kinds(scheme.get("flows") or {})
    return offered == {"user", "client"}


def token_kinds(spec: dict, operation: dict) -> set:
    """Every kind of token some security alternative of the operation takes (both when it has no OAuth2)."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    requirements = operation.get("security", spec.get("security")) or []
    kinds = set()
    for requirement in requirements:
        oauth = [schemes.get(name) or {} for name in requirement if (schemes.get(name) or {}).get("type") == "oauth2"]
        if not oauth:
            return {"user", "client"}
        for scheme in oauth:
            kinds |= _kinds(scheme.get("flows") or {})
    return kinds or {"user", "client"}


def rate_headers(decision) -> dict:
    headers = {"RateLimit-Limit": str(decision.limit), "RateLimit-Remaining": str(max(0, decision.remaining)),
               "RateLimit-Reset": str(decision.reset), "RateLimit-Policy": decision.policy}
    if not decision.allowed:
        headers["Retry-After"] = str(decision.retry_after)
    return headers


def with_rate_headers(headers: list, decision) -> list:
    """An answer's raw headers with the connector's rate-limit figures: the RateLimit headers once each (an
    answer drawn from a spec that declares them already carries drawn values, and a client reading the
    first of two got those), and the `X-RateLimit-*` kinds a spec declares saying the same figures."""
    figures = rate_headers(decision)
    counts = {"limit": figures["RateLimit-Limit"], "remaining": figures["RateLimit-Remaining"],
              "reset": figures["RateLimit-Reset"], "used": str(max(0, decision.limit - max(0, decision.remaining)))}
    ours = {name.lower() for name in figures}
    kept = []
    for key, value in headers:
        name = key.decode("latin-1").lower()
        if name in ours:
            continue
        counted = RATE_LIMIT.match(name)
        kept.append((key, counts[counted.group(1)].encode()) if counted else (key, value))
    return kept + [(name.lower().encode(), value.encode()) for name, value in figures.items()]


class BodyCredentials:
    """ASGI middleware, before the security checks: a client id and secret sent in a JSON body's fields where the
    spec declares them beside its API-key pair (`security.body_pair`) are read as that pair's headers, when the
    request carries neither header, so the gate checks them as it checks the headers (Plaid takes `client_id`
    and `secret` in either place). The body is read once and handed on as it came."""

    def __init__(self, app, mounts):
        self.app = app
        self.fields = {}
        for mount in mounts:
            for operation_id, _, _, operation in mount.api.spec_operations():
                pair, fields = mount.client_pair(operation_id), body_pair(mount.api.spec, operation)
                if pair is not None and fields is not None and pair[0][0] == pair[1][0] == "header":
                    self.fields[(mount.api.mount, operation_id)] = (pair[0][1], pair[1][1]), fields

    async def __call__(self, scope, receive, send):
        routing = (scope.get("extensions") or {}).get("connexion_routing") or {} if scope["type"] == "http" else {}
        found = self.fields.get((routing.get("api_base_path"), routing.get("operation_id")))
        sent = {name.decode("latin-1").lower(): value for name, value in scope.get("headers", [])} if found else {}
        if found is None or any(name in sent for name in found[0]) \
                or not carries_json(sent.get("content-type", b"").decode("latin-1"), signed=False):
            await self.app(scope, receive, send)
            return
        chunks, message = [], {"more_body": True}
        while message.get("more_body"):
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
        body = b"".join(chunks)
        try:
            document = json.loads(body) if body else None
        except ValueError:
            document = None
        values = [document.get(field) for field in found[1]] if isinstance(document, dict) else []
        if values and all(isinstance(value, str) and value for value in values):
            scope = {**scope, "headers": [*scope["headers"], *((name.encode("latin-1"), value.encode("utf-8"))
                                                               for name, value in zip(found[0], values))]}
        if message["type"] != "http.request":
            return  # the client went away before its body came
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def routed_operation_id(scope: dict) -> str | None:
    """The operation Connexion's routing found for the request, or None."""
    return (scope.get("extensions") or {}).get("connexion_routing", {}).get("operation_id")


def caller(scope: dict) -> dict:
    """What the gate found out about a request that passed it: workspace, connector, class, reach.

    A requirement that ANDs several schemes gives one answer per scheme (all the same caller).
    """
    context = (scope.get("extensions") or {}).get("connexion_context")
    info = (context or {}).get("token_info") or {}
    if info and "workspace" not in info:
        info = next((each for each in info.values() if isinstance(each, dict) and "workspace" in each), {})
    return info


class Governed:
    """ASGI middleware: RateLimit headers on bank answers, and one request-log entry per bank call."""

    def __init__(self, app, governance: Governance, mounts, log: bool = True):
        self.app = app
        self.governance = governance
        self.log = log
        self.prefixes = [(m.api.mount, m.api.slug) for m in mounts]
        self.bank_codes = {m.api.slug: m.api.bank_code for m in mounts}

    def _bank(self, path: str):
        for prefix, slug in self.prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                rest = path[len(prefix):]
                if rest.startswith("/ui") or rest == "/openapi.json":
                    return None
                return slug
        return None

    async def __call__(self, scope, receive, send):
        bank = self._bank(scope.get("path", "")) if scope["type"] == "http" else None
        if bank is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = request_state(scope)
        status = [500]

        async def send_with_headers(message):
            if state.get("drop") and message["type"] == "http.response.body":
                # A scenario's commit-then-fail: the books changed, and the connection breaks mid-answer.
                await send({**message, "body": message.get("body", b"")[:1], "more_body": True})
                raise ConnectionAbortedError("scenario: the connection dropped after the bank committed")
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                if status[0] in (429, 503):
                    state["retry_after"] = abuse.retry_after(message.get("headers", []))
                decision = state.get("capacity")
                if decision is not None and decision.allowed:
                    message = {**message, "headers": with_rate_headers(list(message.get("headers", [])), decision)}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if self.log:
                self._record(scope, state, bank, status[0], started)
            abuse.after_call(self.governance.abuse, state, self.bank_codes.get(bank), status[0])

    def _record(self, scope, state, bank, status, started) -> None:
        self.governance.log.record(Entry(
            at=datetime.now(timezone.utc).isoformat(timespec="milliseconds"), workspace=state.get("workspace"),
            connector_id=state.get("connector"), bank=bank, operation_id=routed_operation_id(scope),
            method=scope.get("method", ""), path=scope.get("path", ""), status=status,
            latency_ms=(time.perf_counter() - started) * 1000, error_code=state.get("error_code"),
            scenario=state.get("scenario"), interaction_id=state.get("interaction_id"), day=state.get("day")))
