"""Who is calling a bank API, and may they: the first steps of every bank request.

    auth (token, connector, consent, scopes) -> plan -> capacity -> the bank's binding -> the log

`Gate` is the security handler Connexion calls for each operation's security requirement. It turns
a bearer token into the caller (workspace, connector, the accounts it reaches) or refuses with a
canonical error that the bank renders in its own dialect. `Governed` wraps every bank request: it
adds the RateLimit headers and writes the request log once the answer has gone.

With `open_access` on (a setting, off by default), a request without a token passes as the
development caller, naming its workspace in a header; a request with a token is still checked.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from connexion.exceptions import ProblemException
from connexion.security import NO_VALUE, AbstractSecurityHandler

from ..actions import accounts as account_actions
from ..domain.calendar import JST
from ..domain.errors import CANONICAL_ERRORS, SandboxError
from ..governance import Entry, Governance
from ..workspaces import Workspaces

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
                scopes = frozenset(required_scopes or ())

                def check(request):
                    return gate.check(request, mount, flows, scopes)

                return check

        return {kind: BankSecurity for kind in ("oauth2", "bearer", "basic", "apiKey", "openIdConnect")}

    def check(self, request, mount, flows: set, required: frozenset):
        state = request_state(request.scope)
        header = request.headers.get("authorization")
        if not header:
            if self.open_access:
                workspace = request.headers.get(self.workspace_header) or self.default_workspace
                state["workspace"] = workspace
                return {"sub": "development", "scope": sorted(required), "workspace": workspace, "connector": None,
                        "reach": None}
            return NO_VALUE
        if "token" not in state:
            state["token"] = self._token(header)
        token = state["token"]
        state["workspace"], state["connector"] = token.workspace, token.connector_id
        if token.connector_status == "suspended":
            raise Refusal("connector_suspended", f"connector {token.connector_id} is suspended; every call is refused "
                                                 f"until bank staff resume it")
        kind = "user" if token.grant is not None else "client"
        operation_id = _operation_id(request.scope)
        if flows and kind not in _kinds(flows):
            if kind in mount.token_kinds(operation_id):
                return NO_VALUE  # another of the operation's security alternatives takes this kind of token
            wanted = "a customer's token (authorization code)" if kind == "client" else "a client-credentials token"
            raise Refusal("forbidden", f"this operation takes {wanted}")
        missing = sorted(required - token.scopes)
        if missing:
            raise Refusal("scope_missing", f"the token lacks the scope {' '.join(missing)}")
        connector = self.governance.connectors.get(token.connector_id)
        ctx = state["ctx"] = self.workspaces.context(token.workspace, connector.id)
        now = ctx.now()
        today = now.date()
        state["day"] = today.isoformat()
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
        if token.grant is not None:
            reach = frozenset(token.grant.accounts)
        elif connector.customer_id:
            reach = account_actions.account_ids(ctx, connector.customer_id)
        else:
            reach = frozenset()
        return {"sub": connector.id, "scope": sorted(token.scopes), "workspace": token.workspace,
                "connector": connector.id, "class": connector.connector_class, "reach": reach}

    def _token(self, header: str):
        kind, _, value = header.partition(" ")
        if kind.lower() != "bearer" or not value.strip():
            raise Refusal("unauthorized", "send the access token as 'Authorization: Bearer <token>'",
                          headers={"WWW-Authenticate": 'Bearer error="invalid_request"'})
        token = self.governance.tokens.by_access(value.strip())
        invalid = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        if token is None:
            raise Refusal("unauthorized", "the access token is not one this sandbox issued", headers=invalid)
        problem = token.problem()
        if problem is not None:
            raise Refusal("unauthorized", problem, headers=invalid)
        return token


def _kinds(flows) -> set:
    """Which tokens an OAuth2 scheme takes: a customer's ("user") and/or the connector's own ("client")."""
    kinds = set()
    if "authorizationCode" in flows or "implicit" in flows:
        kinds.add("user")
    if "clientCredentials" in flows or "password" in flows:
        kinds.add("client")
    return kinds


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


def _operation_id(scope: dict) -> str | None:
    return (scope.get("extensions") or {}).get("connexion_routing", {}).get("operation_id")


def caller(context: dict) -> dict:
    """What the gate found out about a request that passed it: workspace, connector, class, reach."""
    return (context or {}).get("token_info") or {}


class Governed:
    """ASGI middleware: RateLimit headers on bank answers, and one request-log entry per bank call."""

    def __init__(self, app, governance: Governance, mounts, log: bool = True):
        self.app = app
        self.governance = governance
        self.log = log
        self.prefixes = [(m.api.mount, m.api.slug) for m in mounts]

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
                decision = state.get("capacity")
                if decision is not None and decision.allowed:
                    extra = [(k.lower().encode(), v.encode()) for k, v in rate_headers(decision).items()]
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if self.log:
                self._record(scope, state, bank, status[0], started)

    def _record(self, scope, state, bank, status, started) -> None:
        self.governance.log.record(Entry(
            at=datetime.now(timezone.utc).isoformat(timespec="milliseconds"), workspace=state.get("workspace"),
            connector_id=state.get("connector"), bank=bank, operation_id=_operation_id(scope),
            method=scope.get("method", ""), path=scope.get("path", ""), status=status,
            latency_ms=(time.perf_counter() - started) * 1000, error_code=state.get("error_code"),
            scenario=state.get("scenario"), interaction_id=state.get("interaction_id"), day=state.get("day")))
