"""Answers Paystack's and Belvo's official Python SDKs read as meant, each trait in a spec written here: a deep required object is drawn with its required fields, a Django REST framework page's
`next` URL is null on the last page, an envelope's boolean `status` says a success succeeded, and a token
written after two words (`sk_test_`) is the token."""

from __future__ import annotations

import json

import pytest

from sandbox.bindings import load_bank
from sandbox.bindings.fallback import respond
from sandbox.governance.tokens import _PREFIXED


def _nested(depth: int) -> dict:
    node = {"type": "object", "required": ["exact", "pattern"],
            "properties": {"exact": {"type": "boolean"}, "pattern": {"type": "string"}}}
    for index in range(depth):
        node = {"type": "object", "required": [f"level{index}"], "properties": {f"level{index}": node}}
    return node


SPEC = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
    "/countries": {"get": {"operationId": "listCountries", "responses": {"200": {"description": "", "content": {
        "application/json": {"schema": _nested(10)}}}}}},
    "/links/": {"get": {"operationId": "listLinks", "responses": {"200": {"description": "", "content": {
        "application/json": {"schema": {"type": "object", "properties": {
            "count": {"type": "integer"},
            "next": {"type": "string", "nullable": True, "example": "https://api.example.com/links/?page=2"},
            "previous": {"type": "string", "nullable": True},
            "results": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}}}}}},
    "/customer": {"post": {"operationId": "createCustomer",
                           "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                           "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                               "type": "object", "required": ["status", "message", "data"], "properties": {
                                   "status": {"type": "boolean"}, "message": {"type": "string"},
                                   "data": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}}}}}}}}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("envelopes")
    (folder / "openapi.json").write_text(json.dumps(SPEC), encoding="utf-8")
    return load_bank(folder)


def _get(api, operation_id, body=None, query=None):
    return respond(api, operation_id, {"headers": {}, "path": {}, "query": query or {}, "body": body})


def test_a_deep_required_object_is_drawn_with_its_required_fields(api):
    reply = _get(api, "listCountries")
    assert reply.status == 200
    node = reply.body
    for index in reversed(range(10)):
        node = node[f"level{index}"]
    assert set(node) == {"exact", "pattern"}, reply.body


def test_a_django_rest_framework_page_has_no_next_url(api):
    reply = _get(api, "listLinks", query={"page": 1})
    assert reply.body.get("next") is None, reply.body


@pytest.mark.parametrize("email", [f"user{n}@example.com" for n in range(8)])
def test_a_success_envelope_says_it_succeeded(api, email):
    reply = respond(api, "createCustomer", {"headers": {}, "path": {}, "query": {}, "body": {"email": email}})
    assert reply.body["status"] is True, reply.body


@pytest.mark.parametrize("written", ["test_", "sk_test_", "sk_live_", "rk_test_", ""])
def test_a_token_after_words_of_the_clients_choosing_is_the_token(written):
    token = "ab" * 32
    found = _PREFIXED.fullmatch(written + token)
    assert (found.group(1) if found else token if not written else None) == token
