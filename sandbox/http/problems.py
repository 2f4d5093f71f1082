"""RFC 7807 problem documents for the control plane."""

from __future__ import annotations

import json

from starlette.responses import Response

from ..domain.errors import SandboxError


def problem_body(status: int, title: str, detail: str | None = None, code: str | None = None, details=None) -> dict:
    body = {"type": f"urn:bank-sandbox:error:{code}" if code else "about:blank", "title": title, "status": status,
            "detail": detail}
    if code:
        body["code"] = code
    if details:
        body["details"] = details
    return body


def problem(error: SandboxError) -> Response:
    body = problem_body(error.status, error.title, error.message, error.code, error.details or None)
    return Response(json.dumps(body, ensure_ascii=False), status_code=error.status, media_type="application/problem+json")
