"""A refusal whose declared answer has no body says why in `X-Sandbox-Detail`, as text a header can carry: a
control character of what the client sent (`GET /notes/%1F`, an id `\\x1f`) is written escaped. Written as it
was, the header broke the response and the server dropped the connection without answering."""

from __future__ import annotations

from pathlib import Path

from sandbox.bindings.loader import load_bank
from sandbox.bindings.runner import DETAIL_HEADER, render_error
from sandbox.domain.errors import SandboxError

FOLDER = Path(__file__).parent / "published_specs" / "tenant-header-declared"


def test_a_control_character_of_the_reason_is_escaped_in_the_header():
    api = load_bank(FOLDER)
    reply = render_error(api, SandboxError("not_found", "No such resource: \x1f\x00é"), {"operation_id": "getNote"})
    assert reply.status == 404 and reply.body is None
    assert reply.headers[DETAIL_HEADER] == "No such resource: \\x1f\\x00\\xe9"
