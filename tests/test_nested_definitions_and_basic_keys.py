"""Specs that refer into a schema's own `definitions`, into an allOf member or by escaped pointers into
operations, and API keys named Authorization that carry `Basic <base64>` (as Codat publishes them)."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

import pytest
from starlette.requests import Request

from sandbox.bindings.fallback import generate
from sandbox.bindings.pointers import deref
from sandbox.bindings.spec import SpecError, read
from sandbox.http.access import read_credential

OK = {"description": "ok"}


def _folder(tmp_path: Path, document: dict) -> Path:
    (tmp_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    return tmp_path


def _spec(tmp_path):
    return {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{thingId}/settings": {"post": {
                "parameters": [{"$ref": "#/components/parameters/thingId"}],
                "requestBody": {"content": {"application/json": {"schema": {"allOf": [{
                    "properties": {"thingId": {"type": "string", "format": "uuid"}}}]}}}},
                "responses": {"200": OK}}},
            "/things/{thingId}": {"get": {
                "parameters": [{"$ref": "#/components/parameters/thingId"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
            "/things": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Things"}}}}}}},
        },
        "components": {
            "parameters": {"thingId": {"name": "thingId", "in": "path", "required": True, "schema": {
                "$ref": "#/paths/~1things~1%7BthingId%7D~1settings/post/requestBody/content/application~1json/schema/allOf/0/properties/thingId"}}},
            "schemas": {
                "Thing": {"type": "object", "required": ["status"],
                          "properties": {"status": {"$ref": "#/components/schemas/Thing/definitions/status"}},
                          "definitions": {"status": {"type": "string", "enum": ["Pending", "Done"]}}},
                "Paging": {"type": "object", "required": ["pageNumber"],
                           "properties": {"pageNumber": {"type": "integer"}},
                           "examples": [{"pageNumber": 1}]},
                "Things": {"allOf": [
                    {"type": "object", "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}},
                    {"$ref": "#/components/schemas/Listing/allOf/0"}]},
                "Listing": {"allOf": [{"$ref": "#/components/schemas/Paging"}]},
            }}}


def test_a_reference_into_a_schemas_own_definitions_names_that_definition(tmp_path):
    published = read(_folder(tmp_path, _spec(tmp_path)))
    assert not [w for w in published.warnings if "points at no schema" in w]
    status = deref(published.document, published.document["components"]["schemas"]["Thing"]["properties"]["status"])
    assert status["enum"] == ["Pending", "Done"]


def test_an_escaped_pointer_into_an_operation_is_a_named_schema_connexion_resolves(tmp_path):
    published = read(_folder(tmp_path, _spec(tmp_path)))
    schema = published.document["components"]["parameters"]["thingId"]["schema"]
    assert schema["$ref"].count("/") == 3  # #/components/schemas/<name>
    assert deref(published.document, schema) == {"type": "string", "format": "uuid"}


def test_deref_follows_a_pointer_through_a_list(tmp_path):
    spec = {"components": {"schemas": {"A": {"allOf": [{"type": "string"}, {"type": "object"}]}}}}
    assert deref(spec, {"$ref": "#/components/schemas/A/allOf/1"}) == {"type": "object"}


def test_an_allof_members_example_is_not_the_example_of_the_whole(tmp_path):
    document = read(_folder(tmp_path, _spec(tmp_path))).document
    body = generate(document, document["components"]["schemas"]["Things"], random.Random(1))
    assert isinstance(body["pageNumber"], int) and body["results"] and body["results"][0]["status"] in ("Pending", "Done")


def _request(value: str) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [(b"authorization", value.encode())]})


def test_an_api_key_named_authorization_takes_basic_with_a_key_or_a_client_pair():
    scheme = {"type": "apiKey", "in": "header", "name": "Authorization"}
    token = "abc123DEF456abc123DEF456"
    found = read_credential(_request("Basic " + base64.b64encode(token.encode()).decode()), scheme)
    assert (found.kind, found.value) == ("token", token)
    found = read_credential(_request("Basic " + base64.b64encode(b"cn_1:s3cret").decode()), scheme)
    assert (found.kind, found.value, found.secret) == ("client", "cn_1", "s3cret")
    assert read_credential(_request("Bearer " + token), scheme).value == token
    assert read_credential(_request(token), scheme).value == token


def _shared_parameter_spec() -> dict:
    """One operation's query parameter named again by another through an escaped pointer into the first (Codat's
    `create-bank-transactions` names `get`'s `page` so), and a schema written under `type` in a schema of nothing
    else (Codat's `itemType: {type: {enum: [...], type: string}}`)."""
    listed = "#/paths/~1accounts~1%7BaccountId%7D~1transactions/get/parameters/1"
    return {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/accounts/{accountId}/transactions": {
            "get": {"parameters": [{"name": "accountId", "in": "path", "required": True, "schema": {"type": "string"}},
                                   {"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"kind": {"$ref": "#/components/schemas/Item/definitions/kind"}}}}}}}},
            "post": {"parameters": [{"name": "accountId", "in": "path", "required": True, "schema": {"type": "string"}},
                                    {"$ref": listed}],
                     "responses": {"200": OK}}}},
        "components": {"schemas": {"Item": {"type": "object", "definitions": {
            "kind": {"type": {"description": "the kind", "enum": ["Inventory", "Service"], "type": "string"}}}}}}}


def test_a_parameter_named_by_a_pointer_into_another_operation_is_a_copy_of_it(tmp_path):
    published = read(_folder(tmp_path, _shared_parameter_spec()))
    post = published.document["paths"]["/accounts/{accountId}/transactions"]["post"]
    assert post["parameters"][1] == {"name": "page", "in": "query", "required": True, "schema": {"type": "integer"}}
    assert not any(schema.get("in") == "query" for schema in published.document["components"]["schemas"].values())


def test_a_schema_written_under_type_is_that_schema(tmp_path):
    published = read(_folder(tmp_path, _shared_parameter_spec()))
    get = published.document["paths"]["/accounts/{accountId}/transactions"]["get"]
    kind = deref(published.document, get["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["kind"])
    assert kind == {"description": "the kind", "enum": ["Inventory", "Service"], "type": "string"}
    assert any("a schema where a type's name belongs" in w and "read as that schema" in w for w in published.warnings)


def test_a_schema_under_type_beside_other_keywords_is_left_out_and_the_rest_stands(tmp_path):
    document = _shared_parameter_spec()
    document["components"]["schemas"]["Item"]["definitions"]["kind"] = {
        "type": {"enum": ["Inventory"], "type": "string"}, "maxLength": 12}
    published = read(_folder(tmp_path, document))
    get = published.document["paths"]["/accounts/{accountId}/transactions"]["get"]
    kind = deref(published.document, get["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["kind"])
    assert kind == {"maxLength": 12}
    assert any("a schema where a type's name belongs; left out (any type)" in w for w in published.warnings)


def test_a_parameter_pointing_at_nothing_in_another_operation_is_refused_by_name(tmp_path):
    document = _shared_parameter_spec()
    document["paths"]["/accounts/{accountId}/transactions"]["post"]["parameters"][1] = {
        "$ref": "#/paths/~1accounts~1%7BaccountId%7D~1transactions/get/parameters/7"}
    with pytest.raises(SpecError, match="parameters/7"):
        read(_folder(tmp_path, document))
