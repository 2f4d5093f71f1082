"""Running one request through a bank's binding: request → input → action → output, or an error.

The request arrives as a plain document (see docs/bindings.md); the reply leaves as a status, headers
and a JSON body. Refusals of the core (`SandboxError`) are rendered through the bank's error table,
so a connector always meets the bank's own error format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jmespath.exceptions import JMESPathError

from ..actions import Context
from ..domain.errors import SandboxError
from . import fallback
from .functions import OPTIONS
from .loader import BankApi, Expression, Rendering


@dataclass
class Reply:
    status: int
    body: object
    headers: dict = field(default_factory=dict)
    error_code: str | None = None


def handle(api: BankApi, operation_id: str, request: dict, ctx: Context | None) -> Reply:
    """Answer `request` for `operation_id` of `api`; `ctx` is None only for unbound operations."""
    operation = api.operations.get(operation_id)
    if operation is None:
        return fallback.respond(api, operation_id, request)
    try:
        try:
            kwargs = operation.input.search(request, OPTIONS) if operation.input else {}
        except JMESPathError as error:  # e.g. a function given a value of the wrong type by the client
            raise SandboxError("invalid_request", f"the request cannot be read: {error}") from None
        if not isinstance(kwargs, dict):
            raise SandboxError("invalid_request", "the request does not carry the fields this operation needs")
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        result = operation.action(ctx, **kwargs) if operation.action else None
    except SandboxError as error:
        return render_error(api, error, request)
    document = {"result": result, "request": request, "now": request.get("now"), "today": request.get("today"),
                "bank": request.get("bank")}
    return _render(operation.output, document)


def render_error(api: BankApi, error: SandboxError, request: dict) -> Reply:
    """Render a canonical error in the bank's own status and body (the hub's defaults if unbound)."""
    rendering = api.errors.get(error.code) or api.errors.get("default")
    document = {
        "error": {"code": error.code, "message": error.message, "status": error.status, "details": error.details or None,
                  "title": error.title},
        "request": request, "now": request.get("now"), "today": request.get("today"), "bank": request.get("bank"),
    }
    if rendering is None:
        return Reply(error.status, _problem(error), {"Content-Type": "application/problem+json"}, error.code)
    reply = _render(rendering, document)
    reply.error_code = error.code
    return reply


def _render(rendering: Rendering, document: dict) -> Reply:
    status = rendering.status
    if isinstance(status, Expression):
        status = int(status.search(document, OPTIONS))
    body = rendering.body.search(document, OPTIONS) if rendering.body else None
    headers = {}
    for name, expression in rendering.headers.items():
        value = expression.search(document, OPTIONS)
        if value is not None:
            headers[name] = str(value)
    return Reply(status, body, headers)


def _problem(error: SandboxError) -> dict:
    return {"type": f"urn:bank-sandbox:error:{error.code}", "title": error.title, "status": error.status,
            "detail": error.message, "code": error.code, "details": error.details or None}
