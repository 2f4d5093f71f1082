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
from connexion.lifecycle import ConnexionResponse
from connexion.options import SwaggerUIOptions
from connexion.resolver import Resolver
from connexion.security import BearerSecurityHandler
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from ..bindings import discover
from ..domain.calendar import JST
from ..domain.clock import FixedClock, SystemClock
from ..resources import data_dir
from ..settings import Settings, admin_token
from ..workspaces import Workspaces
from .banks import STATUS_CODES, BankMount
from .control import ControlPlane
from .problems import problem_body
from .validation import VALIDATORS

CONTROL_BASE = "/sandbox/v1"


def create_app(settings: Settings, clock=None) -> connexion.AsyncApp:
    # Bank specs declare OAuth2 schemes that the sandbox does not enforce until connectors get tokens;
    # Connexion would warn once per operation about the missing token-info function.
    logging.getLogger("connexion.security").setLevel(logging.ERROR)
    token, _ = admin_token(settings)
    clock = clock or clock_from(settings)
    workspaces = Workspaces(settings.data_dir, clock)
    apis = discover((*settings.specs, data_dir("specs")))
    app = connexion.AsyncApp(__name__)

    control = ControlPlane(workspaces)
    app.add_api(
        data_dir("specs") / "control-plane.yaml",
        base_path=CONTROL_BASE,
        name="control-plane",
        resolver=Resolver(control.resolve),
        security_map={"bearer": _admin_bearer(token)},
        validator_map=VALIDATORS,
        validate_responses=settings.validate_responses,
        swagger_ui_options=SwaggerUIOptions(swagger_ui=True, swagger_ui_path="/ui"),
    )
    mounts = [BankMount(api, workspaces, settings.workspace_header, settings.default_workspace) for api in apis]
    for mount in mounts:
        mount.add_to(app, settings.validate_responses)

    index = _index(mounts)

    async def healthz(request):
        return JSONResponse({"status": "ok"})

    async def root(request):
        return JSONResponse(index)

    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/", "index", root)
    for kind in (ProblemException, HTTPException):
        app.add_error_handler(kind, _errors_in_dialect(mounts))
    app.sandbox = SimpleNamespace(settings=settings, workspaces=workspaces, apis=apis, admin_token=token, clock=clock)
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


def _errors_in_dialect(mounts):
    """Refusals raised before a handler ran: in the bank's own format on bank paths, else problem+json."""

    def handler(request, exc: HTTPException):
        path = request.url.path
        detail = getattr(exc, "detail", None)
        for mount in mounts:
            if path == mount.api.mount or path.startswith(mount.api.mount + "/"):
                if mount.api.errors and not path.startswith(mount.api.mount + "/ui"):
                    response = mount.render_http_error(request, exc.status_code, detail)
                    if response is not None:
                        return response
                break
        title = getattr(exc, "title", None) or _TITLES.get(exc.status_code, "Error")
        code = STATUS_CODES.get(exc.status_code)
        body = problem_body(exc.status_code, title, detail if isinstance(detail, str) else None, code)
        headers = dict(getattr(exc, "headers", None) or {})
        return ConnexionResponse(status_code=exc.status_code, content_type="application/problem+json",
                                 body=json.dumps(body).encode(), headers=headers)

    return handler


_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           415: "Unsupported Media Type", 500: "Internal Server Error"}


def _index(mounts) -> dict:
    return {
        "name": "bank-sandbox",
        "health": "/healthz",
        "control_plane": {"base": CONTROL_BASE, "ui": f"{CONTROL_BASE}/ui/"},
        "apis": [{"slug": m.api.slug, "title": m.api.title, "base": m.api.mount, "ui": f"{m.api.mount}/ui/",
                  "bank_code": m.api.bank_code} for m in mounts],
    }
