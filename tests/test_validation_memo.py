"""Connexion's request and response checks, with what depends only on an operation worked out once
(sandbox.http.validation's RequestChecks, ResponseChecks; sandbox.http.app's routing that remembers):
each request and each answer is still judged on its own, whatever came before it."""

from __future__ import annotations

import connexion
import pytest
from connexion.resolver import Resolver

from sandbox.http.app import MIDDLEWARES
from sandbox.http.validation import VALIDATORS

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "checks", "version": "1"},
    "paths": {
        "/things/{n}": {
            "parameters": [{"name": "n", "in": "path", "required": True, "schema": {"type": "integer", "maximum": 100}}],
            "post": {
                "operationId": "answer",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["say"], "additionalProperties": False,
                    "properties": {"say": {"type": "string", "enum": ["good", "bad", "text"]}}}}}},
                "responses": {"200": {
                    "description": "what was asked",
                    "headers": {"X-Count": {"required": True, "schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": {
                        "type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}}}}},
            },
        },
    },
}


def answer(n, body):
    if body["say"] == "bad":
        return {"n": "not a number"}, 200, {"X-Count": "1"}
    if body["say"] == "text":
        return connexion.lifecycle.ConnexionResponse(status_code=200, body="plain", content_type="text/plain",
                                                     headers={"X-Count": "1"})
    return {"n": n}, 200, ({"X-Count": "1"} if n != 13 else {})


@pytest.fixture(scope="module")
def client():
    app = connexion.AsyncApp(__name__, middlewares=list(MIDDLEWARES))
    app.add_api(SPEC, resolver=Resolver(lambda operation_id: answer), validator_map=VALIDATORS, validate_responses=True)
    return app.test_client()


def test_each_request_and_answer_is_judged_on_its_own_after_the_operation_was_seen(client):
    for _ in range(3):  # the first round works it all out, the next ones find it remembered
        assert client.post("/things/7", json={"say": "good"}).json() == {"n": 7}
        assert client.post("/things/8", json={"say": "good"}).json() == {"n": 8}  # each path its own parameter
        assert client.post("/things/101", json={"say": "good"}).status_code == 400  # the parameter still checked
        assert client.post("/things/7", json={"say": "louder"}).status_code == 400
        assert client.post("/things/7", content=b'{"say": "good"}', headers={"Content-Type": "text/plain"}).status_code == 415
        latin = client.post("/things/9", content='{"say": "good"}'.encode("utf-16"),
                            headers={"Content-Type": "application/json;charset=utf-16"})
        assert latin.json() == {"n": 9}  # each Content-Type read in its own charset
        assert client.post("/things/9", content=b'{"say": "good"}', headers={"Content-Type": "application/json"}).json() == {"n": 9}
        assert client.post("/things/7", json={"say": "bad"}).status_code == 500  # an answer off its schema
        assert client.post("/things/7", json={"say": "text"}).status_code == 500  # of a type the operation has not
        assert client.post("/things/13", json={"say": "good"}).status_code == 500  # a required header missing
        assert client.get("/things/7").status_code == 405


def test_the_compiled_check_of_a_body_leaves_out_the_specs_components_and_annotations():
    """Connexion hands a body's schema over with the spec's whole `components` beside it (its refs are resolved
    already); compiled with them, each error site of the generated code carried all of them (a large
    payments spec's body took 1.6 s to compile on its operation's first call)."""
    from sandbox.http.validation import json_schema

    components = {"schemas": {f"S{n}": {"type": "object", "properties": {"x": {"type": "string"}}} for n in range(50)}}
    body = {"type": "object", "required": ["id"], "x-examples": {"one": {"id": "a"}}, "components": components,
            "properties": {"id": {"type": "string", "x-internal": True},
                           "components": {"type": "integer"}}}  # a property so named is a property, kept
    assert json_schema(body) == {"type": "object", "required": ["id"],
                                 "properties": {"id": {"type": "string"}, "components": {"type": "integer"}}}
