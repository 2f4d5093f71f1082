"""Serving bank APIs with Connexion: each spec mounted with its binding, and their errors in dialect.

This is the only place that turns an HTTP request into the plain request document bindings read, and a
binding's reply back into an HTTP response. Views are coroutines that run the (short, local) SQLite
work inline on the event loop: a thread hop per request would cost more than the work itself.
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import re

from connexion.decorators.parameter import get_arguments, sanitized
from connexion.http_facts import FORM_CONTENT_TYPES
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.middleware.abstract import RoutedAPI, RoutedMiddleware
from starlette.requests import Request
from starlette.responses import Response
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolution, Resolver

from ..bindings import BankApi, handle, handles, render_error, required_headers, security, token_operations
from ..bindings.fallback import NO_BODY, deref, said_status, says_misfit
from ..bindings.headers import version_refusal
from ..bindings.jws import SIGNED_BODY, carries_json, payload_of
from ..bindings.remembered import consent_refusal, consumed
from ..bindings.spec import json_aliases, routing_order
from ..domain.errors import SandboxError
from ..domain.identifiers import new_uuid
from ..governance.webhooks import Webhooks
from ..store import batches
from ..workspaces import Workspaces
from . import abuse, negotiation, serialization, token_exchange
from . import scenarios as scenario_stage
from .access import caller, kinds_told_apart, request_state, routed_operation_id, token_kinds
from .hosts import SERVED_UNDER
from .validation import BANK_VALIDATORS, PARSED, json_body, sent

STATUS_CODES = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 406: "invalid_request", 413: "invalid_request", 415: "unsupported_media_type",
                429: "rate_limited", 503: "maintenance"}


# Methods that read (RFC 9110 9.2.1): their handlers run directly; another method's may write.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class OperationResolver(Resolver):
    """Resolves every operation of one bank to a view bound to that bank (no import by name)."""

    def __init__(self, view_for):
        super().__init__()
        self.view_for = view_for

    def resolve(self, operation):
        operation_id = operation.operation_id or f"{operation.method.upper()} {operation.path}"
        return Resolution(self.view_for(operation_id), operation_id)


class BankMount:
    """One bank API: its binding, and how its requests and replies cross into and out of Flask."""

    def __init__(self, api: BankApi, workspaces: Workspaces):
        self.api = api
        self.workspaces = workspaces
        self.served: list = []  # every API served beside it (a consent one keeps binds tokens used at another)
        self.params = {op_id: _parameters(api.spec, op) for op_id, _, _, op in api.spec_operations()}
        # Per operation and media type, what fills the body's declared defaults (None: nothing to fill).
        self._defaults = {op_id: {media: defaults_filler(api.spec, schema)
                                  for media, schema in _body_schemas(api.spec, op).items()}
                          for op_id, _, _, op in api.spec_operations()}
        self._token_kinds = {op_id: token_kinds(api.spec, op) for op_id, _, _, op in api.spec_operations()}
        self.tells_token_kinds_apart = kinds_told_apart(api.spec)
        self._operations = {op_id: op for op_id, _, _, op in api.spec_operations()}
        declared = security.schemes(api.spec)
        self._schemes = {op_id: [declared[name] for requirement in security.requirements(api.spec, op)
                                 for name in requirement if isinstance(declared.get(name), dict)]
                         for op_id, op in self._operations.items()}
        self._pairs = {op_id: security.client_pair(api.spec, op) for op_id, op in self._operations.items()}
        # Operations of the spec that hand out tokens, answered with real ones (http/token_exchange.py),
        # carrying every scope the spec declares.
        self._token_operations = {op_id: found for op_id, found in token_operations.find(api.spec, api.spec_operations()).items()
                                  if op_id not in api.operations}
        self._revocations = {op_id: field for op_id, field in token_operations.revocations(api.spec, api.spec_operations()).items()
                             if op_id not in api.operations}
        # Operations that answer facts about a token (Square's token status, an RFC 7662 introspection): about
        # the real one (http/token_exchange.py), not the example's.
        self._inspections = {op_id: found for op_id, found in token_operations.inspections(api.spec, api.spec_operations()).items()
                             if op_id not in api.operations and op_id not in self._token_operations
                             and op_id not in self._revocations}
        # The headers an API key scheme of the API reads a token from (a session ended revokes the one sent).
        self._token_headers = [str(scheme.get("name")) for scheme in security.schemes(api.spec).values()
                               if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header"]
        self._scopes = " ".join(api.scopes)
        self.code_exchange = None  # (form, headers) -> (status, answer, headers) of /oauth/token, set by the app factory
        # Each path template of the spec as a pattern (a group a parameter), its parameters' names, and its
        # operations by method: for a 405's Allow, and to tell a 404 of a parameter of the wrong type.
        operations: dict = {}
        for op_id, method, path, _ in api.spec_operations():
            operations.setdefault(path, {})[method.upper()] = op_id
        self._paths = [(re.compile("^" + re.sub(r"\\\{[^/]*?\\\}", "([^/]+)", re.escape(path)) + "$"),
                        re.findall(r"{([^/]*?)}", path), found) for path, found in operations.items()]

    def _templates(self, path: str) -> list:
        """(parameter values by name, operations by method) of the spec paths the request path fits, the
        most literal ones only: `/pet/findByStatus` is that path's, not `/pet/{petId}`'s, as routing has it."""
        inner = path[len(self.api.mount):] or "/"
        fits = [(names, matched, operations) for pattern, names, operations in self._paths
                if (matched := pattern.match(inner))]
        fewest = min((len(names) for names, _, _ in fits), default=0)
        return [(dict(zip(names, matched.groups())), operations) for names, matched, operations in fits
                if len(names) == fewest]

    def allowed(self, path: str) -> list[str]:
        """The methods the spec declares for a request path under the mount (HEAD with GET), sorted."""
        found = set().union(*(set(operations) for _, operations in self._templates(path)))
        return sorted(found | ({"HEAD"} if "GET" in found else set()))

    def directory(self, request) -> ConnexionResponse | None:
        """A `GET` of the API's root, a path above every path of the spec that names no operation (Belvo's
        `<mount>/api/`): 200 with the paths below it, as the frameworks banks run on answer it. SDKs call it to
        check their credentials (Belvo's logs in so), which are checked when sent (a Refusal). None for any
        other request (a collection no GET reads stays a 404)."""
        inner = request.url.path[len(self.api.mount):].rstrip("/") + "/"
        paths = sorted(self.api.spec.get("paths") or {})
        if request.method not in ("GET", "HEAD") or not paths or not all(path.startswith(inner) for path in paths):
            return None
        below = paths
        self.gate.presented(request, self)
        body = json.dumps({"paths": [self.api.mount + path for path in below]}).encode()
        return ConnexionResponse(status_code=200, content_type="application/json", body=body)

    def misfit(self, path: str, method: str) -> tuple[str, str] | None:
        """Why a request path that found no route does not fit its operation, and that operation: a path
        parameter declared a number that is not one (routing matched it as a number, so it reached no
        operation: a 404)."""
        for values, operations in self._templates(path):
            operation_id = operations.get(method.upper())
            schemas = self.params.get(operation_id, {})
            for name, value in values.items():
                kind = (schemas.get(("path", name)) or {}).get("type")
                if kind in ("integer", "number") and serialization.coerce(value, {"type": kind}) == value:
                    article = "an" if kind == "integer" else "a"
                    return f"the path parameter {name!r} must be {article} {kind}: {value!r}", operation_id
        return None

    def client_pair(self, operation_id: str) -> tuple | None:
        """The places of an API-key client id and secret the operation takes (`security.client_pair`)."""
        return self._pairs.get(operation_id)

    def token_kinds(self, operation_id: str) -> set:
        return self._token_kinds.get(operation_id, {"user", "client"})

    def issues_tokens(self, operation_id: str) -> bool:
        """Whether the operation hands out or revokes tokens (it reads the caller's credentials itself)."""
        return operation_id in self._token_operations or operation_id in self._revocations

    def spec_operation(self, operation_id: str) -> dict:
        return self._operations.get(operation_id, {})

    def schemes(self, operation_id: str) -> list[dict]:
        """Every security scheme some requirement of the operation names (where its credentials may be)."""
        return self._schemes.get(operation_id, [])

    def challenge(self, operation_id: str | None) -> str | None:
        """`WWW-Authenticate` for a call without credentials (RFC 9110 section 11.6.1): a challenge for each
        kind of credential the operation takes (an API key's names where it goes)."""
        found = []
        for scheme in self.schemes(operation_id) if operation_id else ():
            kind, http = scheme.get("type"), str(scheme.get("scheme", "")).lower()
            if kind == "apiKey":
                challenge = f'ApiKey realm="bank-sandbox", in="{scheme.get("in")}", name="{scheme.get("name")}"'
            else:
                challenge = f'{"Basic" if kind == "http" and http == "basic" else "Bearer"} realm="bank-sandbox"'
            found.append(challenge)
        return ", ".join(dict.fromkeys(found)) or None

    def add_to(self, app, validate_responses: bool, gate) -> None:
        self.gate = gate
        self.webhooks = Webhooks(gate.governance.store)  # what an event says of its deliveries (feeds.py)
        # A token operation asking for the token it hands out is served open (security.token_free), and the
        # router tries literal paths before templated ones (spec.routing_order); a body declared only in
        # vendor JSON types is taken as application/json too (spec.json_aliases).
        spec = security.token_free(self.api.spec, self.api.spec_operations(), self._token_operations)
        spec = security.credentials_as_issued(spec, self.api.spec_operations(), self._token_operations)
        app.add_api(
            {**spec, "paths": json_aliases(routing_order(spec["paths"]), lambda found: deref(spec, found))},
            base_path=self.api.mount,
            name=self.api.slug,
            resolver=OperationResolver(self.view_for),
            validate_responses=validate_responses,
            security_map=gate.security_map(self),
            validator_map=BANK_VALIDATORS,
            uri_parser_class=serialization.SpecSerialization,
            # <mount>/openapi.json is served by the app factory, from the spec as the sandbox reads it
            swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui", serve_spec=False),
        )

    def view_for(self, operation_id: str):
        async def view(*_, **__):  # never called: BankOperations answers every operation of a bank
            raise RuntimeError(f"{operation_id} reached Connexion's own view; BankOperations is missing")

        view.__name__ = f"{self.api.slug}_{operation_id}".replace(" ", "_")
        return view

    async def serve(self, operation_id: str, request: Request, body, query: dict) -> Response:
        """Answer one request; `query` is its query string as the spec's parameters read it."""
        who = caller(request.scope)
        proven = who.get("connector")  # by the operation's own security (not the development caller of an open one)
        workspace = who.get("workspace")
        state = request_state(request.scope)
        plan = scenario_stage.Plan()
        try:
            bound = operation_id in self.api.operations
            if not who:  # no scheme guards the operation
                who = self.gate.unguarded(request, self, operation_id, bound) or self.gate.authorizing(body)
                workspace = who.get("workspace")
            ctx = state.pop("ctx", None) or self._context(workspace, who.get("connector"), required=bound)
            if ctx is not None:
                ctx.bank_code = self.api.bank_code
                ctx.reach = who.get("reach")
                ctx.connector_class = who.get("class")
                ctx.customer_id = who.get("customer")
                ctx.delivered = functools.partial(self.webhooks.delivered, ctx.workspace)
            document = self.document(operation_id, request, body, query, workspace, ctx)
            document["consent"] = who.get("consent")  # (what its token reaches: `reach.consented_accounts`)
            refused = version_refusal(self.api, operation_id, document) or \
                consent_refusal(self.api, ctx, operation_id, document, who.get("consent"), self.served)
            if refused is not None:  # (a version the endpoint does not serve; another consent than the token's, or its own no longer authorised)
                raise refused
            if ctx is not None and ctx.connector_id is not None:
                ctx.watch = abuse.watcher(self.gate.governance.abuse, ctx, document["interaction_id"])
                ctx.endpoints = functools.partial(self.webhooks.wanting, ctx.connector_id)
            plan = await scenario_stage.before(self.api, ctx, operation_id, document, who.get("connector"))
            bound = ctx if bound else None
            if plan.reply:
                reply = plan.reply
            elif operation_id in self._token_operations:
                reply = token_exchange.exchange(self.gate.governance, self._scopes, self.api, operation_id,
                                                self._operations[operation_id], self._token_operations[operation_id],
                                                document, authenticated=proven, code_exchange=self.code_exchange)
                handles.issued(self.api, operation_id, document, reply, ctx)  # (what its token stands for: Plaid's item)
            elif operation_id in self._revocations:
                token_exchange.revoke(self.gate.governance, document, self._revocations[operation_id], self._sent(request))
                reply = handle(self.api, operation_id, document, bound)  # the spec's own success answer
            elif operation_id in self._inspections:
                reply = token_exchange.inspect(self.gate.governance, self.api, operation_id, self._operations[operation_id],
                                               self._inspections[operation_id], document, self._sent(request))
            elif bound is not None and request.method not in SAFE_METHODS and batches.batchable(bound.db):
                # Its writes may share a commit with the requests served beside it (store/batches.py).
                reply = await batches.bridged(handle, self.api, operation_id, document, bound)
            else:  # reads, answers from the spec alone, PostgreSQL: nothing to batch (a greenlet costs 20 µs)
                reply = handle(self.api, operation_id, document, ctx)  # an answer from the spec holds its key in ctx
            reply = scenario_stage.after(self.api, plan, reply, document)
            # (a consent given for one payment is used by it: `remembered.consumed`)
            consumed(self.api, ctx, operation_id, document, reply.status, who.get("consent"), self.served)
        except SandboxError as error:  # the workspace itself was refused
            document = self.document(operation_id, request, body, query, workspace, None)
            reply = render_error(self.api, error, document)
        state["error_code"] = reply.error_code
        state["interaction_id"] = document["interaction_id"]
        state["scenario"] = ", ".join(plan.names) or None
        if plan.fail_after and plan.fail_after.get("drop") and reply.error_code == "gateway_timeout":
            state["drop"] = True  # the request log's middleware breaks the connection mid-answer
        return self.respond(reply, document, state)

    def _sent(self, request) -> list:
        """The values of the headers that may carry the caller's own token: `Authorization: Bearer <token>`,
        then the API key headers of the spec's schemes."""
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return [value or scheme, *(request.headers.get(name, "") for name in self._token_headers)]

    def _context(self, workspace, connector, required: bool):
        """The workspace's context; an operation served from its schema alone also runs without one."""
        try:
            return self.workspaces.context(workspace, connector)
        except SandboxError:
            if required:
                raise
            return None

    def document(self, operation_id: str, request, body, query: dict, workspace: str, ctx) -> dict:
        now = (ctx.clock if ctx else self.workspaces.clock).now()
        params = self.params.get(operation_id, {})
        headers = {k.lower(): v for k, v in request.headers.items()}
        bank = None
        if ctx is not None and self.api.bank_code:
            info = ctx.bank(self.api.bank_code)
            bank = {"code": info["code"], "slug": info["slug"], "name": info["name"]} if info else None
        # What the spec does not declare is passed as sent (its last value), for the binding to read.
        query = {k: v if ("query", k) in params or not isinstance(v, list) else v[-1] for k, v in query.items()}
        defaulted = []  # what the spec declares as a default applies (though the client
        #              asked for nothing: addresses.sent_query leaves these out of what an answer echoes)
        for (where, name), schema in params.items():
            if where == "query" and name not in query and isinstance(schema, dict) and "default" in schema:
                query[name] = copy.deepcopy(schema["default"])
                defaulted.append(name)
        content_type = request.headers.get("content-type")
        return {
            "path": {k: serialization.coerce(v, params.get(("path", k))) for k, v in request.path_params.items()},
            "query": query,
            "defaulted": defaulted,
            "headers": headers,
            "body": self._with_defaults(operation_id, content_type, _readable(body, content_type)),
            "bank": bank,
            "workspace": workspace,
            "connector": ctx.connector_id if ctx else None,
            "now": now.isoformat(timespec="seconds"),
            "today": now.date().isoformat(),
            "interaction_id": _interaction_id(headers),
            "operation_id": operation_id,
            "method": request.method,
            **self._served(request, headers),
        }

    def _served(self, request, headers: dict) -> dict:
        """Where this request reached the API, for the URLs its answer carries (links, `Location`): `origin`,
        the scheme and host it was sent to (None without a Host), and `prefix`, the path the API answers
        under there: the mount, or the vendor's own base path where it came by the vendor's host name
        (hosts.py). The scheme is the connection's (https under `serve --tls`), or a proxy's
        `X-Forwarded-Proto`."""
        host = headers.get("host")
        scheme = headers.get("x-forwarded-proto") or request.scope.get("scheme") or "http"
        return {"origin": f"{scheme}://{host}" if host else None,
                "prefix": request.scope.get(SERVED_UNDER, self.api.mount)}

    def _with_defaults(self, operation_id: str, content_type: str | None, body):
        fill = self._defaults.get(operation_id, {}).get(_media(content_type))
        return body if fill is None else fill(body)

    def respond(self, reply, document: dict, state: dict | None = None) -> Response:
        headers = dict(reply.headers)
        headers["X-Sandbox-Time"] = document["now"]
        for name in self.api.echo_headers:
            headers[name] = document["headers"].get(name.lower()) or document["interaction_id"]
        headers.update(required_headers(self.api, document.get("operation_id"), reply.status, document, reply.body, headers))
        headers.update(_request_named(headers, document["interaction_id"]))
        content_type = self.declared(headers.pop("Content-Type", None) or ("application/json" if reply.body is not None else None))
        if reply.body is None or reply.status in NO_BODY:  # no body at all, not JSON null (nor one a 204 cannot carry)
            return Response(status_code=reply.status, headers=headers)
        if isinstance(reply.body, (str, bytes)) and not carries_json(content_type, signed=False):
            return Response(reply.body, status_code=reply.status, headers=headers, media_type=content_type)
        body, exact = json_body(reply.body)  # serialised once: response validation reads `sent`
        response = Response(body, status_code=reply.status, headers=headers, media_type=content_type)
        if state is not None:  # (not `exact`: as the client reads the standard library's bytes, an integer past
            sent(state, response.body, reply.body if exact else json.loads(body))  # 64 bits whole, not orjson's float)
        return response

    def declared(self, content_type: str | None) -> str | None:
        """The media type as the spec declares it, parameters and all (`application/json;charset=UTF-8`)."""
        if not content_type:
            return content_type
        return self.api.media_types.get(content_type.split(";")[0].strip().lower(), content_type)

    def render_http_error(self, request, status: int, detail: str | None, code: str | None = None,
                          extra_headers: dict | None = None, operation_id: str | None = None,
                          misfit: bool = False) -> ConnexionResponse:
        """Render a refusal raised before the binding ran (auth, validation, routing) in the bank's format
        (of `operation_id`, where routing did not name the operation); `misfit`: a 400 for a body that was read
        but does not fit its schema."""
        code = code or STATUS_CODES.get(status, "invalid_request" if status < 500 else None)
        headers = {k.lower(): v for k, v in request.headers.items()}
        routed = routed_operation_id(request.scope) or operation_id
        # (`now` the server's, no workspace's yet: an answer saying when it answered says it, `moments.answered_at`)
        now = self.workspaces.clock.now().isoformat(timespec="seconds")
        # (the body as validation read it, where it was: a refusal echoes the ids the request sent in it)
        parsed = request_state(request.scope).get(PARSED)
        document = {"path": {}, "query": dict(request.query_params), "headers": headers, "body": parsed, "bank": None,
                    "workspace": None, "connector": None, "now": now, "today": None, "operation_id": routed,
                    "interaction_id": _interaction_id(headers), **self._served(request, headers)}
        if code is None:
            return None
        error = SandboxError(code, detail or None)
        if not self.api.errors:
            # No table to choose a status: the refusal keeps its own (404, 405, 415, ...); a request the
            # checks refused is the 422 an operation declares for it where it declares no 400, and a body read
            # but not fitting its schema is where it declares both, 400 left for what could not be read (Recurly's
            # "400: Bad request, perhaps invalid JSON?" beside "422: Invalid parameters": its client raised a
            # BadRequestError for a field of the wrong type, in place of its ValidationError).
            # A refusal of the caller's keys is at the status whose codes name it where the operation declares no
            # 401 (a 400 listing `INVALID_API_KEYS`): its client raised what the spec says for a wrong secret.
            # Where both are declared, the misfit goes to the one whose codes can say so: Brazil's consents answer
            # 400 with a code of free text and 422 with business codes only (`PERMISSOES_PJ_INCORRETAS`, ...), and a
            # date longer than its maxLength was a 422 naming business permissions.
            responses = self._operations.get(routed, {}).get("responses") or {}
            error.status = 422 if status == 400 and "422" in responses and ("400" not in responses or misfit and (
                says_misfit(self.api, responses["422"]) >= says_misfit(self.api, responses["400"]))) \
                else said_status(self.api, responses, code, status) if status == 401 else status
        reply = render_error(self.api, error, document)
        out = {name: document["headers"].get(name.lower()) or document["interaction_id"] for name in self.api.echo_headers}
        content_type = self.declared(reply.headers.pop("Content-Type", None) or ("application/json" if reply.body is not None else None))
        out.update(reply.headers)
        out.update(extra_headers or {})
        out.update(required_headers(self.api, routed, reply.status, document, reply.body, out))
        out.update(_request_named(out, document["interaction_id"]))
        state = request_state(request.scope)
        state["error_code"], state["interaction_id"] = code, document["interaction_id"]
        if reply.body is None:
            body = b""
        elif isinstance(reply.body, str) and not carries_json(content_type, signed=False):
            body = reply.body.encode()
        else:
            body = json.dumps(reply.body, ensure_ascii=False).encode()
        return ConnexionResponse(status_code=reply.status, content_type=content_type, body=body, headers=out)


def _request_named(headers: dict, interaction_id: str) -> dict:
    """`X-Request-Id` naming the request (its interaction id, the one the request log shows) where the answer's
    headers name it in none of theirs: APIs answer every call so, and SDKs read it into their errors (Recurly's
    client added it to each refusal's message, and raised a TypeError for its absence in place of the refusal)."""
    if any("requestid" in re.sub(r"[^a-z]", "", str(name).lower()) for name in headers):
        return {}
    return {"X-Request-Id": interaction_id}


class BankOperations(RoutedMiddleware):
    """ASGI middleware, last before Connexion's own app: runs a bank operation's view itself.

    Connexion's app decorates the view anew on every request (reading its signature, wrapping it
    three times), builds its request object and typed arguments the view does not use, and the view
    then read `connexion.request`, a proxy that built a new request object at every attribute. Here
    each operation is prepared once at start-up (`BankCall`), and a request is one Starlette `Request`
    handed to `BankMount.serve` with the body as Connexion would have passed it. Everything before
    this point (routing, security, request and response validation) is Connexion's, unchanged;
    the control plane and the pages pass through to Connexion's app.
    """

    def __init__(self, app, mounts):
        super().__init__(app)
        self.mounts = {mount.api.mount: mount for mount in mounts}

    def add_api(self, specification, *, base_path=None, **kwargs):
        mount = self.mounts.get(base_path)
        if mount is None:
            return None  # not a bank: its requests go on to Connexion's app
        api = _BankCalls(specification, next_app=self.app, base_path=base_path, mount=mount, **kwargs)
        self.apis[api.base_path].append(api)
        return api


class _BankCalls(RoutedAPI):
    """One bank's operations, each a `BankCall`."""

    def __init__(self, *args, mount: BankMount, **kwargs):
        super().__init__(*args, **kwargs)
        self.mount = mount
        self.add_paths()

    def make_operation(self, operation) -> "BankCall":
        return BankCall(self.mount, operation)


class BankCall:
    """One operation of a bank, ready to serve: its view's arguments worked out once, not per request."""

    def __init__(self, mount: BankMount, operation):
        self.mount = mount
        self.operation = operation
        self.operation_id = operation.operation_id
        self.uri_parser = operation.uri_parser_class(operation.parameters, operation.body_definition())
        self.takes_body = operation.is_request_body_defined and operation.method.upper() != "TRACE"
        self.body_names: dict = {}
        self.offered = negotiation.media_types(operation.responses)

    async def __call__(self, scope, receive, send) -> None:
        request = Request(scope, receive)
        accept = request.headers.get("accept")
        if accept and not negotiation.acceptable(accept, self.offered):
            detail = f"this operation answers {', '.join(sorted(self.offered))}; Accept: {accept} takes none of them"
            refused = self.mount.render_http_error(request, 406, detail)
            await Response(refused.body, status_code=refused.status_code, headers=refused.headers,
                           media_type=refused.content_type)(scope, receive, send)
            return
        given = ConnexionRequest.from_starlette_request(request, uri_parser=self.uri_parser)
        body = await self.body(request, given) if self.takes_body else None
        response = await self.mount.serve(self.operation_id, request, body, given.query_params)
        await response(scope, receive, send)

    async def body(self, request: Request, given: ConnexionRequest):
        """The body as Connexion hands it to a view: JSON parsed, a form typed, defaults filled, else bytes.

        A JSON body was already parsed by request validation (`PARSED`), and is not parsed again. A form
        is read and typed by the spec's serialization (`serialization.py`), nested fields and all.
        """
        mimetype = given.mimetype
        if mimetype in FORM_CONTENT_TYPES:
            return await given.form()
        state = request_state(request.scope)
        read = state.pop(PARSED) if PARSED in state else await given.get_body()
        arguments = get_arguments(self.operation, path_params={}, query_params={}, body=read, files={},
                                  arguments=[], has_kwargs=True, sanitize=sanitized, content_type=mimetype)
        if mimetype not in self.body_names:
            self.body_names[mimetype] = sanitized(self.operation.body_name(mimetype))
        return arguments.get(self.body_names[mimetype])


def _interaction_id(headers: dict) -> str:
    """The request's FAPI interaction id: the client's (or its X-Request-ID), else a new UUID."""
    return headers.get("x-fapi-interaction-id") or headers.get("x-request-id") or new_uuid()


def _parameters(spec: dict, operation: dict) -> dict:
    found = {}
    for param in operation.get("parameters") or []:
        param = deref(spec, param)
        if isinstance(param, dict) and "name" in param:
            found[(param.get("in"), param["name"])] = deref(spec, param.get("schema") or {})
    return found


def _body_schemas(spec: dict, operation: dict) -> dict:
    """The request body's schema by media type (without parameters)."""
    content = (deref(spec, operation.get("requestBody") or {}) or {}).get("content") or {}
    return {_media(media): entry.get("schema") for media, entry in content.items() if isinstance(entry, dict)}


def _media(content_type: str | None) -> str:
    return (content_type or "application/json").split(";")[0].strip().lower()


def defaults_filler(spec: dict, schema):
    """A function giving a value with the defaults `schema` declares filled in where a property is
    missing, or None when nothing under the schema declares a default (the common case: nothing to do).

    A spec's `default` is a promise to the client ("leave it out and it is 1"), so the binding must see
    the same document whether the client sent the default or left it out. Only objects the client sent
    are filled; a missing optional object stays missing. The schema is walked once, here, not at every
    request; a schema that refers to itself fills as deep as the value goes.
    """
    return _filler(spec, schema, {}) if _declares_default(spec, schema, set()) else None


def _declares_default(spec: dict, schema, seen: set) -> bool:
    """Whether any property under `schema` (through refs, allOf and items) declares a default."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict) or id(schema) in seen:
        return False
    seen.add(id(schema))
    for prop in (schema.get("properties") or {}).values():
        prop = deref(spec, prop)
        if isinstance(prop, dict) and "default" in prop or _declares_default(spec, prop, seen):
            return True
    return any(_declares_default(spec, part, seen) for part in schema.get("allOf") or []) or (
        bool(schema.get("items")) and _declares_default(spec, schema["items"], seen))


def _filler(spec: dict, schema, building: dict):
    schema = deref(spec, schema)
    if not isinstance(schema, dict):
        return None
    if id(schema) in building:  # a cycle: the filler being built, called once it is done
        cell = building[id(schema)]
        return lambda value: cell[0](value) if cell[0] is not None else value
    cell = building[id(schema)] = [None]
    parts = [f for f in (_filler(spec, part, building) for part in schema.get("allOf") or []) if f]
    properties = []
    for name, prop in (schema.get("properties") or {}).items():
        prop = deref(spec, prop)
        inner = _filler(spec, prop, building)
        has_default = isinstance(prop, dict) and "default" in prop
        if has_default or inner is not None:
            properties.append((name, has_default, prop.get("default") if has_default else None, inner))
    items = _filler(spec, schema["items"], building) if schema.get("items") else None
    if not (parts or properties or items):
        return None

    def fill(value):
        for part in parts:
            value = part(value)
        if isinstance(value, dict):
            for name, has_default, default, inner in properties:
                if name not in value:
                    if has_default:
                        value[name] = copy.deepcopy(default)
                elif inner is not None:
                    value[name] = inner(value[name])
        elif isinstance(value, list) and items is not None:
            return [items(item) for item in value]
        return value
    cell[0] = fill
    return fill


def _readable(body, content_type: str | None):
    """A body Connexion left as bytes (a media type that is neither JSON nor a form) as text for the binding.

    JOSE, XML and plain text are text, decoded in the charset the client named (UTF-8 if none), and a
    signed body (`application/jwt`) its JSON payload; bytes that are not text in it (an octet stream, an
    image) are passed as base64, so the request document stays JSON all the way through.
    """
    if not isinstance(body, (bytes, bytearray)):
        return body
    charset = next((part.split("=", 1)[1].strip().strip('"') for part in (content_type or "").split(";")[1:]
                    if part.strip().lower().startswith("charset=")), "utf-8")
    try:
        text = bytes(body).decode(charset)
    except (UnicodeDecodeError, LookupError):
        return base64.b64encode(body).decode("ascii")
    if SIGNED_BODY.match(_media(content_type)):  # a compact JWS of JSON: the binding reads its payload
        payload = payload_of(text)
        return text if payload is None else payload
    return text
