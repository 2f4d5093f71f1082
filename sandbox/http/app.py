"""The composition root: builds the whole sandbox (control plane, banks, hub) from a Settings object.

`create_app(settings)` is what tests call with explicit settings; `app_from_env()` is what each
uvicorn worker calls, reading the settings the `serve` command put in the environment.
"""

from __future__ import annotations

import asyncio
import gc
import json
import re
import logging
from types import SimpleNamespace

import connexion
from connexion.exceptions import ProblemException
from a2wsgi import WSGIMiddleware
from connexion.lifecycle import ConnexionResponse
from connexion.middleware import ConnexionMiddleware, MiddlewarePosition
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from connexion.security import BasicSecurityHandler, BearerSecurityHandler
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..bindings import BindingError, Unavailable, declared_banks, security, survey, token_operations
from ..bindings.spec import parse as parse_spec_file, served_at, server_prefixes
from ..domain.clock import clock_at
from ..resources import data_dir
from ..governance import Governance
from ..settings import Settings, admin_token, signing_secret
from ..store.server import ServerStore
from ..workspaces import Workspaces
from .access import BodyCredentials, Gate, Governed, Refusal, deferred_refusal, request_state, routed_operation_id
from .banks import STATUS_CODES, BankMount, BankOperations
from .control import ControlPlane
from .console import create_console_app
from .hosts import VendorHosts, join_parts
from .intake import Intake
from .abuse import AlertSender
from .lockout import Lockout
from .oauth import create_oauth_app, token_exchanger
from .outage import OUTAGE_TYPES, error_handler as outage_handler, guard_flask
from .probes import readiness_view
from .twin_routes import TwinRoutes
from .spec_checks import cannot_load, check_each_document_once
from .problems import problem_body
from .validation import PARSED, VALIDATORS, CanonicalContentType, RequestChecks, ResponseChecks
from .webhooks import lifespan

CONTROL_BASE = "/sandbox/v1"


def create_app(settings: Settings, clock=None) -> connexion.AsyncApp:
    logging.getLogger("connexion.security").setLevel(logging.ERROR)
    check_each_document_once()
    token, _ = admin_token(settings)
    server = ServerStore(settings.data_dir, settings.database_url)  # sessions, failed sign-ins, readiness runs
    lockout = Lockout(server, settings.failed_auth_limit)
    clock = clock or clock_from(settings)
    apis, unavailable = survey((*settings.specs, data_dir("specs")))
    if unavailable and settings.strict:
        raise BindingError(unavailable[0].reason)
    for folder in unavailable:  # served without it; `GET /`, the serve banner and `bank-sandbox banks` say why
        logging.getLogger("sandbox").warning("bank folder %s is not served: %s", folder.folder, folder.reason)
    workspaces = Workspaces(settings.data_dir, clock, extra_banks=declared_banks(apis), database_url=settings.database_url)
    governance = Governance(settings.data_dir, settings.plans_file, settings.database_url)
    governance.abuse.attach(workspaces.context, enabled=settings.abuse_rules, on_alert=AlertSender(governance.abuse))
    app = connexion.AsyncApp(__name__, lifespan=lifespan(workspaces, governance),  # starts the webhook dispatcher
                             middlewares=list(MIDDLEWARES))  # a list of its own: Connexion inserts into it

    control = ControlPlane(workspaces, governance, server)
    app.add_api(
        parse_spec_file(data_dir("specs") / "control-plane.yaml"),  # with libyaml: Connexion's own read is pure Python
        base_path=CONTROL_BASE,
        name="control-plane",
        resolver=Resolver(control.resolve),
        security_map={"bearer": _admin_bearer(token, lockout), "basic": _connector_basic(governance)},
        validator_map=VALIDATORS,
        validate_responses=settings.validate_responses,
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    gate = Gate(governance, workspaces, open_access=settings.open_access, workspace_header=settings.workspace_header,
                default_workspace=settings.default_workspace)
    mounts = []
    for api in apis:
        mount = BankMount(api, workspaces)
        try:
            mount.add_to(app, settings.validate_responses, gate)
        except Exception as error:  # noqa: BLE001 - whatever Connexion cannot take leaves this bank out, not the server
            if settings.strict:
                raise BindingError(cannot_load(api.folder, error)) from error
            unavailable.append(Unavailable(api.folder, cannot_load(api.folder, error)))
            logging.getLogger("sandbox").warning("bank folder %s is not served: %s", api.folder, unavailable[-1].reason)
            continue
        mounts.append(mount)
    apis = [mount.api for mount in mounts]
    control.apis = apis  # (a consent its customer answers in the provider's own app is refused there)
    for mount in mounts:
        mount.served = apis
    join_parts(apis)  # (specs that are parts of one API share what their clients made: roles.kept_as)
    # Outermost (first added): a flood or an oversized body is refused before anything else runs.
    app.add_middleware(Intake, position=MiddlewarePosition.BEFORE_EXCEPTION, render=_refusal_renderer(mounts),
                       max_body_bytes=settings.max_body_bytes, max_in_flight=settings.max_in_flight,
                       max_queue_ms=settings.max_queue_ms, bulk_paths=_bulk_paths(apis),
                       max_bulk_body_bytes=settings.max_bulk_body_bytes)
    oauth_app = create_oauth_app(governance, workspaces, apis, signing_secret(settings), lockout)
    for mount in mounts:  # a spec's own token operation exchanges authorization codes at /oauth/token
        mount.code_exchange = token_exchanger(oauth_app)
    oauth = WSGIMiddleware(guard_flask(oauth_app))
    console = WSGIMiddleware(guard_flask(create_console_app(signing_secret(settings), token,
                                                            server, lockout)))
    app.add_middleware(_Mounted, position=MiddlewarePosition.BEFORE_EXCEPTION, inners=(
        (("/oauth/", "/.well-known/oauth-authorization-server"), oauth), (("/console",), console)),
        token_urls={mount.api.mount.rstrip("/") + path: oauth for mount in mounts
                    for path in token_operations.unserved_token_paths(mount.api.spec)},
        prefixes={mount.api.mount.rstrip("/") + prefix: mount.api.mount.rstrip("/") for mount in mounts
                  for prefix in server_prefixes(mount.api.spec)}, hosts=VendorHosts(mounts))
    # Before the security checks, which read no Content-Type: Connexion places a middleware only next to
    # one of its own classes, and MIDDLEWARES has the validation's in their place.
    app.add_middleware(CanonicalContentType, position=MiddlewarePosition.BEFORE_SECURITY)
    app.add_middleware(BodyCredentials, position=MiddlewarePosition.BEFORE_SECURITY, mounts=mounts)
    # Innermost: a bank operation, routed, checked and validated, is answered here (banks.py).
    app.add_middleware(BankOperations, position=MiddlewarePosition.BEFORE_CONTEXT, mounts=mounts)
    app.add_middleware(Governed, position=MiddlewarePosition.BEFORE_EXCEPTION, governance=governance, mounts=mounts,
                       log=settings.request_log)

    index = _index(mounts, unavailable, settings.open_access)

    async def healthz(request):
        return JSONResponse({"status": "ok"})

    async def root(request):
        return JSONResponse(index)

    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readiness_view(settings))  # the store reachable (probes.py)
    app.add_url_rule("/", "index", root)
    for mount in mounts:
        app.add_url_rule(f"{mount.api.mount}/openapi.json", f"{mount.api.slug}_spec", _spec_view(mount.api))
    for kind in (ProblemException, HTTPException):
        app.add_error_handler(kind, _body_read_first(_errors_in_dialect(mounts), mounts))
    for kind in OUTAGE_TYPES:  # the database out of reach: 503 + Retry-After in the caller's dialect
        app.add_error_handler(kind, outage_handler(_errors_in_dialect(mounts)))
    app.sandbox = SimpleNamespace(settings=settings, workspaces=workspaces, governance=governance, apis=apis, unavailable=unavailable,
                                  admin_token=token, clock=clock)
    return app


def for_life(app: connexion.AsyncApp) -> connexion.AsyncApp:
    """`app`, as the one app its process serves until it exits (`serve`'s workers).

    The parsed specs, validators and expressions live as long as the app: they are kept out of the
    collector's sight, so a full collection under load does not walk them (long pauses, high p99).
    Not for a process that makes apps in turn (the pytest plugin's servers, one per test module): what
    is frozen is never collected, so each app dropped would stay, with its open database files.
    """
    gc.collect()
    gc.freeze()
    return app


def app_from_env() -> connexion.AsyncApp:
    """The app for a uvicorn worker (`factory=True`), configured from SANDBOX_* variables."""
    logging.getLogger("connexion").setLevel(logging.ERROR)
    return for_life(create_app(Settings.from_env()))


def clock_from(settings: Settings):
    return clock_at(settings.clock)


def _admin_bearer(token: str, lockout: Lockout):
    """A Connexion bearer handler that accepts exactly the admin token; an address that keeps guessing waits."""
    import hmac

    def check(given, request=None, **_):
        address = request.client.host if request is not None and request.client else None
        wait = lockout.wait("admin", address)
        if wait is not None:
            raise ProblemException(status=429, title="Too Many Requests", headers={"Retry-After": str(wait)},
                                   detail=f"too many failed admin authentications from this address; retry in {wait} s")
        if hmac.compare_digest(given.encode(), token.encode()):
            return {"sub": "admin", "scope": ["admin"]}
        lockout.failed("admin", address)
        return None

    class AdminBearer(BearerSecurityHandler):
        def _resolve_func(self, security_scheme):
            return check

    return AdminBearer


def _connector_basic(governance: Governance):
    """A Connexion basic-auth handler that accepts a connector's client id and secret (its self-service calls)."""

    def check(client_id, secret, **_):
        connector = governance.connectors.find(client_id)
        if connector is None or not connector.check_secret(secret):
            return None
        return {"sub": connector.id, "connector": connector.id, "scope": []}

    class ConnectorBasic(BasicSecurityHandler):
        def _resolve_func(self, security_scheme):
            return check

    return ConnectorBasic


def _bulk_paths(apis) -> tuple[str, ...]:
    """Path patterns of the bound operations that take a bulk submission (they get the bulk body limit)."""
    patterns = []
    for api in apis:
        for operation_id, method, path, _ in api.spec_operations():
            operation = api.operations.get(operation_id)
            if method == "post" and operation and any((case.action_name or "").startswith("bulk_transfers.create")
                                                      for case in operation.cases):
                template = re.escape(api.mount + path)
                patterns.append(re.sub(r"\\\{[^/]*?\\\}", "[^/]+", template))
    return tuple(patterns)


def _refusal_renderer(mounts):
    """Intake's refusals (413, 503), rendered like every other early refusal: in the bank's dialect."""
    handler = _errors_in_dialect(mounts)

    async def render(scope, status: int, detail: str, headers: dict) -> Response:
        answer = handler(Request(scope), HTTPException(status, detail=detail, headers=headers))
        body = answer.body
        if answer.status_code != status and "problem+json" in (answer.content_type or ""):
            body = json.dumps({**json.loads(body), "status": status}, ensure_ascii=False).encode()
        # The bank's body for the refusal, under the status that names it (a bank may file 413 under 400).
        return Response(body, status_code=status, headers=answer.headers)

    return render


# How much of a refused request's body is read to echo the ids it sent (`_body_read_first`), and for how long.
_REFUSED_BODY_BYTES, _REFUSED_BODY_SECONDS = 64 * 1024, 2.0


def _body_read_first(handler, mounts):
    """`handler`, after reading the JSON body of a bank's request refused for its credentials before request
    validation read it (a 401, a 403), so that the refusal echoes the ids it sent, as every other refusal does: India's
    Account Aggregator's refusal of a wrong `client_api_key` answered the example's `txnid`, and a client matching
    answers to requests by txnid lost it. A body too large, not JSON or not there in time is left unread."""

    async def read_first(request, exc):
        state = request_state(request.scope)
        length = request.headers.get("content-length") or ""
        if getattr(exc, "status_code", None) in (401, 403) and PARSED not in state and length.isdigit() \
                and 0 < int(length) <= _REFUSED_BODY_BYTES and "json" in (request.headers.get("content-type") or "") \
                and any(request.url.path.startswith(mount.api.mount + "/") for mount in mounts):
            try:
                state[PARSED] = json.loads(await asyncio.wait_for(request.body(), _REFUSED_BODY_SECONDS))
            except (asyncio.TimeoutError, ValueError, RuntimeError):
                pass
        return await run_in_threadpool(handler, request, exc)

    return read_first


def _errors_in_dialect(mounts):
    """Refusals raised before a handler ran: in the bank's own format on bank paths, else problem+json.

    A bank's own format is its binding's error table, else the shape its spec declares for the status.
    """

    def handler(request, exc: HTTPException):
        path = request.url.path
        detail = getattr(exc, "detail", None)
        for mount in mounts:
            if path == mount.api.mount or path.startswith(mount.api.mount + "/"):
                if not path.startswith(mount.api.mount + "/ui"):
                    headers, status, operation_id = getattr(exc, "headers", None), exc.status_code, None
                    if status == 401 and (deferred := deferred_refusal(request.scope, exc)) is not None:
                        detail, headers = deferred.detail, deferred.headers
                    code = getattr(exc, "code", None)
                    if status == 404:  # an API's root, above its operations
                        try:
                            listing = mount.directory(request)
                        except Refusal as refusal:
                            listing, status, detail, headers, code = (None, refusal.status_code, refusal.detail,
                                                                      refusal.headers, refusal.code)
                        if listing is not None:
                            return listing
                    misfit = mount.misfit(path, request.method) if status == 404 else None
                    if misfit:  # a number the spec asks for in the path was not one: the client's 400
                        (detail, operation_id), status = misfit, 400
                    allowed = mount.allowed(path) if status == 405 else None
                    if allowed:  # Starlette names only the methods of the first route it matched (one operation's)
                        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
                    if status == 401 and "WWW-Authenticate" not in (headers or {}):  # no credential was sent
                        challenge = mount.challenge(routed_operation_id(request.scope))
                        headers = {**(headers or {}), **({"WWW-Authenticate": challenge} if challenge else {})}
                    code = None if misfit else code
                    response = mount.render_http_error(request, status, detail, code, headers, operation_id,
                                                       misfit=getattr(exc, "misfit", False))
                    if response is not None:
                        return response
                break
        title = getattr(exc, "title", None) or _TITLES.get(exc.status_code, "Error")
        code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code)
        body = problem_body(exc.status_code, title, detail if isinstance(detail, str) else None, code,
                            getattr(exc, "details", None))
        headers = dict(getattr(exc, "headers", None) or {})
        return ConnexionResponse(status_code=exc.status_code, content_type="application/problem+json",
                                 body=json.dumps(body).encode(), headers=headers)

    return handler


_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests",
           413: "Content Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error", 503: "Service Unavailable"}


def _spec_view(api):
    """`<mount>/openapi.json`: the spec every part of the sandbox reads (OpenAPI 3.0, `$ref`s kept), served from the mount.

    Connexion's own copy has its references resolved in place, which cannot be written as JSON once
    a schema contains itself (a tree of branches, a list of nested accounts).
    """

    async def view(request):
        root = request.scope.get("root_path", "").rstrip("/")  # behind a proxy that strips a prefix
        served = served_at(api.spec, f"{root}{api.mount}")
        schemes = security.with_sandbox_oauth(security.schemes(api.spec), str(request.base_url).rstrip("/"))
        if schemes:
            served["components"] = {**api.spec["components"], "securitySchemes": schemes}
        return JSONResponse(served)

    return view


def _index(mounts, unavailable, open_access: bool) -> dict:
    # An API's `security`: declared (by its spec), binding (its binding says where the token is) or
    # undeclared (token-less callers get through only with `open_access`; refused otherwise).
    return {
        "name": "bank-sandbox",
        "health": "/healthz",
        "control_plane": {"base": CONTROL_BASE, "ui": f"{CONTROL_BASE}/ui/"},
        "apis": [{"slug": m.api.slug, "title": m.api.title, "base": m.api.mount, "ui": f"{m.api.mount}/ui/",
                  "bank_code": m.api.bank_code, "security": m.api.security_mode} for m in mounts],
        "open_access": open_access,
        "unavailable": [{"folder": u.folder.name, "path": str(u.folder), "reason": u.reason} for u in unavailable],
    }


class _Mounted:
    """ASGI middleware handing the paths under some prefixes to other apps (the OAuth server, the console)."""

    def __init__(self, app, inners: tuple[tuple[tuple[str, ...], object], ...], token_urls: dict | None = None,
                 prefixes: dict | None = None, hosts: VendorHosts | None = None):
        self.app, self.inners, self.token_urls = app, inners, token_urls or {}
        self.prefixes = prefixes or {}  # `<mount><server path>` -> `<mount>` (spec.server_prefixes)
        self.hosts = hosts or None  # a vendor's own host name -> its bank's mount (hosts.py)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            if self.hosts is not None:
                scope = self.hosts.route(scope) or scope
            for prefixed, mount in self.prefixes.items() if self.prefixes else ():
                if scope["path"].startswith(prefixed + "/"):  # `<mount>/v2/...` is `<mount>/...`
                    raw = scope.get("raw_path") or scope["path"].encode()
                    raw = mount.encode() + raw[len(prefixed.encode()):] if raw.startswith(prefixed.encode()) else raw
                    scope = {**scope, "path": mount + scope["path"][len(prefixed):], "raw_path": raw}
                    break
            # A token URL a spec declares on its own server, which no operation of it serves
            # (`tokenUrl: /v1/oauth2/token`): its SDK fetches tokens there, and gets /oauth/token's.
            inner = self.token_urls.get(scope["path"].rstrip("/"))
            if inner is not None:
                return await inner({**scope, "path": "/oauth/token", "raw_path": b"/oauth/token"}, receive, send)
            for prefixes, inner in self.inners:
                if scope["path"].startswith(prefixes):
                    return await inner(scope, receive, send)
        await self.app(scope, receive, send)


class _SwaggerUI(SwaggerUIMiddleware):
    """Connexion's Swagger UI middleware, which a request that cannot be for it goes past at once.

    It matched every request against every API's UI and spec routes (a Starlette router over all the
    mounts) before handing it on; only a path with `/ui` in it or ending in a spec file can be its.
    """

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and "/ui" not in path and not path.endswith((".json", ".yaml")):
            await self.app(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


class _RememberedRoutes(RoutingMiddleware):
    """Connexion's routing, which remembers where each request line led.

    Connexion matches a path against every API's mount and then against each of that API's routes
    (regular expressions, in order) for every request: a sixth of a balance inquiry's own cost. What it
    finds depends only on the method and the path, and the routes do not change once the app is made:
    a request line routed to an operation before goes straight there, with the same path parameters
    and routing context. Lines that reach no operation (404, 405, the app's own pages) are routed each
    time, as they were; the memory keeps at most MAX_REMEMBERED lines and starts over when full.
    """

    MAX_REMEMBERED = 4096

    def __init__(self, app):
        super().__init__(self._remember)
        self._next = app
        self._routes: dict[tuple[str, str], tuple[dict, dict]] = {}
        self._twins = TwinRoutes()
        self._own_pages: set[str] = set()

    def add_api(self, specification, base_path=None, arguments=None, **kwargs) -> None:
        super().add_api(specification, base_path=base_path, arguments=arguments, **kwargs)
        self._twins.add(specification, base_path or "")
        # `<mount>/openapi.json` is the sandbox's page, not an operation's: a spec with a path of one parameter
        # (Pix's `GET /{pixUrlAccessToken}`) had it answered as a charge, and no client generator or tester
        # could read the spec
        self._own_pages.add(f"{base_path or ''}/openapi.json")

    async def _remember(self, scope, receive, send):
        routing = scope.get("extensions", {}).get(ROUTING_CONTEXT, {})
        if routing.get("operation_id") is not None:
            # A path two templates of one shape match goes to the one its values fit (twin_routes.py).
            chosen = self._twins.choose(routing.get("api_base_path", ""), routing["operation_id"],
                                        scope.get("path_params", {}))
            if chosen is not None:
                routing["operation_id"], scope["path_params"] = chosen
            if len(self._routes) >= self.MAX_REMEMBERED:
                self._routes.clear()
            self._routes[(scope["method"], scope["path"])] = (dict(routing), dict(scope.get("path_params", {})))
        await self._next(scope, receive, send)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            if scope["path"] in self._own_pages:  # routed to no operation: the app's own page
                scope = {**scope, "extensions": {**scope.get("extensions", {}), ROUTING_CONTEXT: {}}}
                await self._next(scope, receive, send)
                return
            known = self._routes.get((scope["method"], scope["path"]))
            if known is not None:
                routing, params = known
                scope = scope.copy()  # as Connexion hands on a copy of the request's scope
                scope["path_params"] = {**scope.get("path_params", {}), **params}
                extensions = scope.setdefault("extensions", {})
                extensions[ROUTING_CONTEXT] = {**extensions.get(ROUTING_CONTEXT, {}), **routing}
                await self._next(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


# Connexion's middleware stack, with the layers that do the same work faster in their place.
_REPLACED = {SwaggerUIMiddleware: _SwaggerUI, RoutingMiddleware: _RememberedRoutes,
             RequestValidationMiddleware: RequestChecks, ResponseValidationMiddleware: ResponseChecks}
MIDDLEWARES = tuple(_REPLACED.get(m, m) for m in ConnexionMiddleware.default_middlewares)
