"""A refusal of an operation that declares only its success is not answered in another operation's refusal
declared without content (tests/published_specs/bare-refusals-elsewhere/): a creation sent without its required
field answered that bare 400, an empty body, where the spec gives no shape to answer in; it answers RFC 7807."""

from __future__ import annotations

from pathlib import Path

from sandbox.bindings.loader import load_bank
from sandbox.bindings.runner import render_error
from sandbox.domain.errors import SandboxError

FOLDER = Path(__file__).parent / "published_specs" / "bare-refusals-elsewhere"


def test_a_refusal_of_an_operation_declaring_only_its_success_has_a_body():
    api = load_bank(FOLDER)
    reply = render_error(api, SandboxError("invalid_request", "'amount' is a required property"),
                         {"operation_id": "createOrder"})
    assert reply.status == 400 and reply.headers.get("Content-Type") == "application/problem+json", reply.headers
    assert reply.body["detail"] == "'amount' is a required property", reply.body


def test_a_refusal_the_operation_declares_without_content_stays_so():
    api = load_bank(FOLDER)
    reply = render_error(api, SandboxError("not_found", "No such order"), {"operation_id": "getOrder"})
    assert reply.status == 404 and reply.body is None
