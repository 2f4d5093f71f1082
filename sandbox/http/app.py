"""The composition root: builds the whole sandbox (control plane, banks, hub) from a Settings object.

`create_app(settings)` is what tests call with explicit settings; `app_from_env()` is what each
uvicorn worker calls, reading the settings the `serve` command put in the environment.
"""

from __future__ import annotations

import gc
import json
import logging
from datetime import datetime
from types import SimpleNamespace

import connexion
from connexion.exceptions import ProblemException
from a2wsgi import WSGIMiddleware
from connexion.lifecycle import ConnexionResponse
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from connexion.security import BasicSecurityHandler, BearerSecurityHandler
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from ..bindings import discover
from ..domain.calendar import JST
from ..domain.clock import FixedClock, SystemClock
from ..resources import data_dir
from ..governance import Governance
from ..settings import Settings, admin_token, signing_secret
from ..workspaces import Workspaces
from .access import Gate, Governed
from .banks import STATUS_CODES, BankMount
from .control import ControlPlane
from .console import create_console_app
from .oauth import create_oauth_app
from .problems import problem_body
from .validation import VALIDATORS
from .webhooks import lifespan

CONTROL_BASE = "/sandbox/v1"


def create_app(settings: Settings, clock=None) -> connexion.AsyncApp:
    logging.getLogger("connexion.security").setLevel(logging.ERROR)
    token, _ = admin_token(settings)
    clock = clock or clock_from(settings)
    workspaces = Workspaces(settings.data_dir, clock)
    governance = Governance(settings.data_dir, settings.plans_file)
    apis = discover((*settings.specs, data_dir("specs")))
    app = connexion.AsyncApp(__name__, lifespan=lifespan(workspaces, governance))  # starts the webhook dispatcher

    control = ControlPlane(workspaces, governance)
    app.add_api(
        data_dir("specs") / "control-plane.yaml",
        base_path=CONTROL_BASE,
        name="control-plane",
        resolver=Resolver(control.resolve),
        security_map={"bearer": _admin_bearer(token), "basic": _connector_basic(governance)},
        validator_map=VALIDATORS,
        validate_responses=settings.validate_responses,
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    gate = Gate(governance, workspaces, open_access=settings.open_access, workspace_header=settings.workspace_header,
                default_workspace=settings.default_workspace)
    mounts = [BankMount(api, workspaces) for api in apis]
    for mount in mounts:
        mount.add_to(app, settings.validate_responses, gate.security_map(mount))
    oauth = WSGIMiddleware(create_oauth_app(governance, workspaces, apis, signing_secret(settings)))
    app.add_middleware(_Mounted, position=MiddlewarePosition.BEFORE_EXCEPTION, inner=oauth,
                       prefixes=("/oauth/", "/.well-known/oauth-authorization-server"))
    console = WSGIMiddleware(create_console_app(signing_secret(settings)))
    app.add_middleware(_Mounted, position=MiddlewarePosition.BEFORE_EXCEPTION, inner=console, prefixes=("/console",))
    app.add_middleware(Governed, position=MiddlewarePosition.BEFORE_EXCEPTION, governance=governance, mounts=mounts,
                       log=settings.request_log)

    index = _index(mounts)

    async def healthz(request):
        return JSONResponse({"status": "ok"})

    async def root(request):
        return JSONResponse(index)

    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/", "index", root)
    for kind in (ProblemException, HTTPException):
        app.add_error_handler(kind, _errors_in_dialect(mounts))
    app.sandbox = SimpleNamespace(settings=settings, workspaces=workspaces, governance=governance, apis=apis,
                                  admin_token=token, clock=clock)
    # The parsed specs, validators and expressions live as long as the app: keep them out of the
    # collector's sight, so a full collection under load does not walk them (long pauses, high p99).
    gc.collect()
    gc.freeze()
    return app


def app_from_env() -> connexion.AsyncApp:
    """The app for a uvicorn worker (`factory=True`), configured from SANDBOX_* variables."""
    logging.getLogger("connexion").setLevel(logging.ERROR)
    return create_app(Settings.from_env())


def clock_from(settings: Settings):
    if not settings.clock:
        return SystemClock()
    moment = datetime.fromisoformat(settings.clock)
    return FixedClock(moment if moment.tzinfo else moment.replace(tzinfo=JST))


def _admin_bearer(token: str):
    """A Connexion bearer handler that accepts exactly the admin token."""
    import hmac

    def check(given, **_):
        return {"sub": "admin", "scope": ["admin"]} if hmac.compare_digest(given.encode(), token.encode()) else None

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


def _errors_in_dialect(mounts):
    """Refusals raised before a handler ran: in the bank's own format on bank paths, else problem+json."""

    def handler(request, exc: HTTPException):
        path = request.url.path
        detail = getattr(exc, "detail", None)
        for mount in mounts:
            if path == mount.api.mount or path.startswith(mount.api.mount + "/"):
                if mount.api.errors and not path.startswith(mount.api.mount + "/ui"):
                    response = mount.render_http_error(request, exc.status_code, detail, getattr(exc, "code", None),
                                                       getattr(exc, "headers", None))
                    if response is not None:
                        return response
                break
        title = getattr(exc, "title", None) or _TITLES.get(exc.status_code, "Error")
        code = getattr(exc, "code", None) or STATUS_CODES.get(exc.status_code)
        body = problem_body(exc.status_code, title, detail if isinstance(detail, str) else None, code)
        headers = dict(getattr(exc, "headers", None) or {})
        return ConnexionResponse(status_code=exc.status_code, content_type="application/problem+json",
                                 body=json.dumps(body).encode(), headers=headers)

    return handler


_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests",
           415: "Unsupported Media Type", 500: "Internal Server Error"}


def _index(mounts) -> dict:
    return {
        "name": "bank-sandbox",
        "health": "/healthz",
        "control_plane": {"base": CONTROL_BASE, "ui": f"{CONTROL_BASE}/ui/"},
        "apis": [{"slug": m.api.slug, "title": m.api.title, "base": m.api.mount, "ui": f"{m.api.mount}/ui/",
                  "bank_code": m.api.bank_code} for m in mounts],
    }


class _Mounted:
    """ASGI middleware handing the paths under `prefixes` to another app (the OAuth pages)."""

    def __init__(self, app, inner, prefixes: tuple[str, ...]):
        self.app, self.inner, self.prefixes = app, inner, prefixes

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            await self.inner(scope, receive, send)
        else:
            await self.app(scope, receive, send)
