"""A spec that documents its one error shape for a single status (Up's `{errors: [...]}` only on a 401) answers
its other errors in that shape, not RFC 7807; a token written after words and colons (`up:yeah:`) is the token."""

from __future__ import annotations

import json

import pytest

from sandbox.bindings import load_bank
from sandbox.bindings.fallback import Refusal, error_reply
from sandbox.governance.tokens import _PREFIXED

ERRORS = {"type": "object", "required": ["errors"], "properties": {"errors": {"type": "array", "items": {
    "type": "object", "required": ["status", "title", "detail"],
    "properties": {"status": {"type": "string"}, "title": {"type": "string"}, "detail": {"type": "string"}}}}}}
OK = {"description": "", "content": {"application/json": {"schema": {"type": "object"}}}}
SPEC = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
    "/ping": {"get": {"responses": {"200": OK, "401": {"description": "", "content": {
        "application/json": {"schema": ERRORS}}}}}},
    "/things": {"get": {"responses": {"200": OK}}}}}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oneshape")
    (folder / "openapi.json").write_text(json.dumps(SPEC), encoding="utf-8")
    return load_bank(folder)


@pytest.mark.parametrize("status", [400, 404, 422, 429])
def test_an_error_no_operation_declares_takes_the_shape_of_another_of_its_class(api, status):
    operation_id = next(op_id for op_id, _, path, _ in api.spec_operations() if path == "/things")
    reply = error_reply(api, operation_id, status, {"headers": {}, "path": {}, "query": {}, "body": None},
                        Refusal("invalid_request", "bad page[size]", status, "The request is malformed"))
    assert reply is not None and reply.status == status
    assert reply.body["errors"][0]["status"] == str(status), reply.body


@pytest.mark.parametrize("written", ["up:yeah:", "up:demo:", "test_", "sk_test_"])
def test_a_token_after_words_and_colons_is_the_token(written):
    token = "ab" * 32
    assert _PREFIXED.fullmatch(written + token).group(1) == token
