"""Published specs as their official SDKs read them (Finix, Belvo), each trait in a spec written here: an
optional `next_cursor` is left out of the last page (Finix's SDK reads a null one as "more follow" and pages
forever), a required one stays null; an answer that fails only by fitting several alternatives of a `oneOf`
nested inside a one-alternative `oneOf` is served (Belvo's payment intents were a 500); a `pattern` written in
quotes, or escaped twice where the spec's own example says so, is read as meant (Belvo's payment links)."""

from __future__ import annotations

import json

import pytest

from sandbox.bindings import load_bank
from sandbox.bindings.fallback import respond

OPEN = [{"type": "object", "properties": {"card": {"type": "string"}}},
        {"type": "object", "properties": {"bank": {"type": "string"}}}]
SPEC = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
    "/things": {"get": {"operationId": "listThings", "responses": {"200": {"description": "", "content": {
        "application/json": {"schema": {"type": "object", "properties": {
            "page": {"type": "object", "properties": {"limit": {"type": "integer"},
                                                       "next_cursor": {"type": "string", "nullable": True}}},
            "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}},
            "example": {"page": {"limit": 2, "next_cursor": "TH9"}, "items": [{"id": "TH1"}]}}}}}}}},
    "/required": {"get": {"operationId": "listRequired", "responses": {"200": {"description": "", "content": {
        "application/json": {"schema": {"type": "object", "required": ["data", "next_cursor"], "properties": {
            "data": {"type": "array", "items": {"type": "object"}},
            "next_cursor": {"type": "string", "nullable": True}},
            "example": {"data": [{}], "next_cursor": "c1"}}}}}}}},
    "/intents/{id}": {"get": {"operationId": "getIntent",
                              "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                              "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                                  "oneOf": [{"type": "object", "required": ["id", "method"], "properties": {
                                      "id": {"type": "string"}, "method": {"oneOf": OPEN}}}]}}}}}}},
    "/links/{token}": {"get": {"operationId": "getLink",
                               "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}],
                               "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
                                   "type": "object", "required": ["expires_in"], "properties": {"expires_in": {
                                       "type": "string", "pattern": "\u2018^(\\\\d+)([mhd])$\u2019", "example": "7d"}}}}}}}}}}}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tolerances")
    (folder / "openapi.json").write_text(json.dumps(SPEC), encoding="utf-8")
    return load_bank(folder)


def _get(api, operation_id, path=None):
    return respond(api, operation_id, {"method": "GET", "headers": {}, "path": path or {}, "query": {}, "body": None})


def test_an_optional_next_cursor_is_left_out_of_the_last_page(api):
    reply = _get(api, "listThings")
    assert reply.status == 200 and "next_cursor" not in reply.body["page"], reply.body


def test_a_required_next_cursor_is_null_on_the_last_page(api):
    reply = _get(api, "listRequired")
    assert reply.status == 200 and reply.body["next_cursor"] is None, reply.body


def test_an_answer_fitting_several_alternatives_of_a_nested_one_of_is_served(api):
    reply = _get(api, "getIntent", {"id": "pi_1"})
    assert reply.status == 200 and reply.body["id"] == "pi_1", reply.body


def test_a_quoted_twice_escaped_pattern_is_read_as_its_example_says(api):
    reply = _get(api, "getLink", {"token": "t1"})
    assert reply.status == 200, reply.body
    assert api.spec["paths"]["/links/{token}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "properties"]["expires_in"]["pattern"] == "^(\\d+)([mhd])$"
