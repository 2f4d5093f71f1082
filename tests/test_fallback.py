"""An API no binding names is still served, from its own schema (sandbox/bindings/fallback.py).

- a published spec the sandbox was not written for (the Petstore examples, fetched from the npm registry
  by tests/foreign_specs.py) answers every operation over HTTP with a documented status and
  a body its own response schema accepts;
- the same request gets the same answer;
- `Prefer: code=NNN` and `Prefer: example=NAME` pick another documented response or a named example; an
  undocumented error status is still answered, an undocumented success status or example is refused;
- generated values honour formats, patterns, enums, bounds, lengths, $ref, allOf and array sizes;
- refusals of a spec without an error table come in the shape the spec declares for their status.
"""

from __future__ import annotations

import base64
import copy
import itertools
import json
import random
import re
import uuid
from datetime import date, datetime, timezone
from pathlib import Path
from xml.etree import ElementTree

import httpx
import jsonschema
import pytest
import yaml

import foreign_specs
import live_server
from sandbox.bindings import fallback, load_bank
from sandbox.bindings.examples import coerce
from sandbox.bindings.fallback import deref, generate, respond, with_error
from sandbox.bindings.jws import detached_jws
from sandbox.bindings.schemas import Schemas
from sandbox.bindings.loader import METHODS

FOREIGN = foreign_specs.NAMES
PUBLISHED = Path(__file__).parent / "published_specs"


def _third_party() -> Path:
    """The fetched specs folder; the calling test skips when it cannot be fetched."""
    folder, why = foreign_specs.fetch()
    if folder is None:
        pytest.skip(why)
    return folder


# --- validating against an OpenAPI document's own schemas ------------------------------------------------


def _json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema draft 4 (`nullable` becomes a null alternative)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key not in ("nullable", "example", "xml")}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


# The checks of JSON Schema 2020-12's own formats (RFC 3339's `date`, `time` with its offset, `date-time`,
# `uuid`, `email`...): an independent reading of what a drawn value must be.
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def validate(spec: dict, schema: dict, value) -> None:
    """Raise jsonschema.ValidationError unless `value` is valid against `schema` of `spec` (formats checked)."""
    if str(spec.get("openapi", "3.0")).startswith("3.0"):
        document = {"allOf": [_json_schema(schema)], "components": _json_schema(spec.get("components", {}))}
        validator = jsonschema.Draft4Validator(document, format_checker=FORMATS)
    else:
        document = {"allOf": [schema], "components": spec.get("components", {})}
        validator = jsonschema.Draft202012Validator(document, format_checker=FORMATS)
    jsonschema.validators.validator_for(document, default=type(validator)).check_schema(document)
    validator.validate(value)


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method], [*item.get("parameters", []), *item[method].get("parameters", [])]


def _request(spec: dict, path: str, operation: dict, parameters: list, rng: random.Random, everything: bool):
    """A request valid for the operation: path parameters, required (or all) query parameters, the body."""
    query = {}
    for parameter in (deref(spec, p) for p in parameters):
        value = generate(spec, parameter.get("schema", {}), rng)
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query" and (parameter.get("required") or everything):
            query[parameter["name"]] = ",".join(map(str, value)) if isinstance(value, list) else value
    body = None
    content = deref(spec, operation.get("requestBody", {})).get("content", {})
    if "application/json" in content:
        schema = content["application/json"].get("schema", {})
        body = generate(spec, schema, rng)
        validate(spec, schema, body)  # the request itself follows the spec
    return path, query, body


def _documented(spec: dict, operation: dict, status: int):
    responses = {str(code): response for code, response in operation["responses"].items()}
    response = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
    assert response is not None, f"{status} is not documented"
    return deref(spec, response)


def check_answer(spec: dict, operation: dict, response: httpx.Response) -> None:
    """The status is documented and the body is what that response's schema describes."""
    documented = _documented(spec, operation, response.status_code)
    content = documented.get("content") or {}
    if not content:
        if response.is_success and response.request.method not in ("DELETE", "HEAD") and response.status_code != 204:
            # A success documented without content: the empty object a JSON API sends.
            assert response.json() == {} and "json" in response.headers["content-type"], response.text
            return
        assert response.content == b"", response.text
        assert "content-type" not in response.headers
        return
    media_type = next(m for m in content if "json" in m)
    assert response.headers["content-type"].startswith(media_type)
    validate(spec, content[media_type].get("schema", {}), response.json())


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    server = live_server.start(tmp_path_factory.mktemp("fallback"), specs=(_third_party(),))
    yield server
    server.stop()


def _spec(name: str) -> dict:
    return yaml.safe_load((_third_party() / name / "openapi.yaml").read_text(encoding="utf-8"))


# --- (a) a spec the code was not written for ------------------------------------------------------------------


def test_fallback_third_party_data_is_the_published_spec():
    assert FOREIGN == ["petstore", "petstore-expanded"]
    for name in FOREIGN:
        text = (_third_party() / name / "openapi.yaml").read_text(encoding="utf-8")
        spec = yaml.safe_load(text)
        assert spec["openapi"].startswith("3.0") and spec["info"]["title"] == "Swagger Petstore"
        assert not (_third_party() / name / "binding.yaml").exists()  # served from its schema alone


@pytest.mark.parametrize("name", FOREIGN)
def test_fallback_third_party_spec_is_listed_and_documented(foreign, name):
    index = httpx.get(f"{foreign.url}/", timeout=30).json()
    assert {"slug": name, "base": f"/banks/{name}", "bank_code": None}.items() <= next(
        api for api in index["apis"] if api["slug"] == name).items()
    assert httpx.get(f"{foreign.url}/banks/{name}/openapi.json", timeout=30).status_code == 200
    assert httpx.get(f"{foreign.url}/banks/{name}/ui/", timeout=30).status_code == 200


@pytest.mark.parametrize("everything", [False, True], ids=["required-parameters", "all-parameters"])
@pytest.mark.parametrize("name", FOREIGN)
def test_fallback_third_party_spec_answers_every_operation(foreign, name, everything):
    spec = _spec(name)
    rng = random.Random(7)
    answered = []
    with httpx.Client(base_url=f"{foreign.url}/banks/{name}", timeout=30) as client:
        for method, path, operation, parameters in _operations(spec):
            url, query, body = _request(spec, path, operation, parameters, rng, everything)
            response = client.request(method.upper(), url, params=query, json=body)
            shown = f"{method.upper()} {url} {query} {body} -> {response.status_code} {response.text[:300]}"
            documented = sorted(code for code in map(str, operation["responses"]) if code[0].isdigit())
            successes = [code for code in documented if code.startswith("2")]
            others = [code for code in documented if code[0] in "13"]
            # The first documented success; else a documented redirect; else 200 (a `default` answer, or an
            # empty object where only errors are documented: the call broke no rule).
            assert response.status_code == int((successes or others or ["200"])[0]), shown
            if successes or others or "default" in operation["responses"]:
                check_answer(spec, operation, response)
            else:
                assert response.json() == {}, shown
            answered.append(operation["operationId"])
    assert answered == [operation["operationId"] for _, _, operation, _ in _operations(spec)]


def test_fallback_third_party_spec_answers_by_its_own_names(foreign):
    # The Petstore's operationId "find pet by id" has spaces; its id is an int64 path parameter.
    with httpx.Client(base_url=f"{foreign.url}/banks/petstore-expanded", timeout=30) as client:
        pet = client.get("/pets/42")
        deleted = client.delete("/pets/42")
        created = client.post("/pets", json={"name": "Pochi", "tag": "dog"})
    assert pet.status_code == 200 and set(pet.json()) >= {"id", "name"} and isinstance(pet.json()["id"], int)
    assert deleted.status_code == 204 and deleted.content == b""
    assert created.status_code == 200 and isinstance(created.json()["id"], int)


@pytest.mark.parametrize("method, url, send, status", [
    ("GET", "/pets/not-a-number", {}, 400),  # an int64 path parameter that is not a number
    ("POST", "/pets", {"json": {"tag": "no name"}}, 400),
    ("POST", "/pets", {"json": ["not", "an", "object"]}, 400),
    ("POST", "/pets", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400),
    ("GET", "/pets", {"params": {"limit": "many"}}, 400),
])
def test_fallback_third_party_spec_refuses_requests_that_break_it(foreign, method, url, send, status):
    # Request validation still stands before the fallback: a clear 4xx, never a 500, in the shape the spec
    # declares for it (its `default` response: an Error of an integer code and a message, as application/json).
    response = httpx.request(method, f"{foreign.url}/banks/petstore-expanded{url}", timeout=30, **send)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    validate(_spec("petstore-expanded"), {"$ref": "#/components/schemas/Error"}, response.json())
    assert response.json()["code"] == status and response.json()["message"]


def test_fallback_a_response_without_content_has_an_empty_body(foreign):
    pet = {"name": "Tama", "photoUrls": []}
    asked = httpx.put(f"{foreign.url}/banks/petstore/pet", json=pet, headers={"Prefer": "code=404"}, timeout=30)
    assert asked.status_code == 404  # documented without content
    assert asked.content == b""
    # Its only documented answers (400, 404, 405) are errors: a call that breaks no rule succeeds.
    updated = httpx.put(f"{foreign.url}/banks/petstore/pet", json=pet, timeout=30)
    assert updated.status_code == 200 and updated.json() == {}


def test_fallback_third_party_spec_unknown_paths_and_methods(foreign):
    base = f"{foreign.url}/banks/petstore"
    assert httpx.get(f"{base}/owners", timeout=30).status_code == 404
    assert httpx.get(f"{base}/pet", timeout=30).status_code == 405  # /pet takes PUT and POST only


# --- (b) determinism ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FOREIGN)
def test_fallback_same_request_same_answer(foreign, name):
    spec = _spec(name)
    with httpx.Client(base_url=f"{foreign.url}/banks/{name}", timeout=30) as client:
        for method, path, operation, parameters in _operations(spec):
            url, query, body = _request(spec, path, operation, parameters, random.Random(3), True)
            first = client.request(method.upper(), url, params=query, json=body)
            again = client.request(method.upper(), url, params=query, json=body)
            assert (first.status_code, first.content) == (again.status_code, again.content), f"{method} {url}"


def test_fallback_answers_do_not_depend_on_the_process_or_the_headers(foreign):
    # Seeded by the request, not by a process-wide random state: a fresh load of the spec agrees with the server.
    api = load_bank(_third_party() / "petstore-expanded")
    document = {"path": {"id": 42}, "query": {}, "body": None, "headers": {"x-anything": "else"}, "today": None}
    local = respond(api, "find pet by id", document)
    served = httpx.get(f"{foreign.url}/banks/petstore-expanded/pets/42", headers={"X-Anything": "other"}, timeout=30)
    assert served.json() == local.body
    assert respond(api, "find pet by id", copy.deepcopy(document)).body == local.body


def test_fallback_different_requests_get_their_own_answers(foreign):
    with httpx.Client(base_url=f"{foreign.url}/banks/petstore-expanded", timeout=30) as client:
        bodies = {str(client.get(f"/pets/{pet_id}").json()) for pet_id in range(1, 21)}
    assert len(bodies) > 1


# --- (c) Prefer: code=NNN and Prefer: example=NAME -------------------------------------------------------------

EXAMPLES_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Examples bank", "version": "1"},
    "paths": {
        "/branches/{code}": {
            "get": {
                "operationId": "getBranch",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}}],
                "responses": {
                    "200": {"description": "a branch", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Branch"},
                        "examples": {
                            "head_office": {"value": {"code": "001", "name": "本店", "kana": "ﾎﾝﾃﾝ", "opened": "1950-04-01"}},
                            "station": {"$ref": "#/components/examples/Station"},
                        },
                    }}},
                    "404": {"description": "no such branch", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Problem"},
                        "examples": {"closed": {"value": {"code": "E404", "message": "閉店しました"}},
                                     "never": {"value": {"code": "E404", "message": "no such branch"}}},
                    }}},
                    "4XX": {"description": "refused", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                    "503": {"$ref": "#/components/responses/Maintenance"},
                },
            },
            "delete": {
                "operationId": "closeBranch",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "closed"}, "409": {"description": "busy", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}}},
            },
        },
        "/rates": {
            "get": {
                "operationId": "getRates",
                "responses": {
                    "200": {"description": "rates", "content": {"application/json": {
                        "schema": {"type": "object", "required": ["ordinary"], "properties": {"ordinary": {"type": "number"}},
                                   "example": {"ordinary": 0.02}}}}},
                    "default": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                },
            },
        },
        "/count": {
            "get": {
                "operationId": "getCount",
                # Unquoted in YAML, so an int key: the same response as "200" to the spec's author.
                "responses": {200: {"description": "a count", "content": {"application/json": {
                    "schema": {"type": "integer", "minimum": 5, "maximum": 5}}}}},
            },
        },
        "/ping": {
            "get": {
                "operationId": "ping",
                "responses": {"200": {"description": "pong", "content": {"text/plain": {"schema": {"type": "string"}, "example": "pong"}}}},
            },
        },
        "/any": {
            "get": {
                "operationId": "getAny",
                # A media range, as some generators write it: the answer still carries a real media type.
                "responses": {"200": {"description": "any", "content": {"*/*": {"schema": {
                    "type": "object", "required": ["n"], "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 3}}}}}}},
            },
        },
        "/digits": {
            "get": {
                "operationId": "getDigits",
                # Text that reads as a number when parsed as JSON: still the string the schema asks for.
                "responses": {"200": {"description": "digits", "content": {"text/plain": {"schema": {
                    "type": "string", "pattern": "^[0-9]{3}$"}}}}},
            },
        },
        "/branches/{code}/card": {
            "get": {
                "operationId": "getBranchCard",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "a branch as XML", "content": {
                    "application/xml": {"schema": {"$ref": "#/components/schemas/BranchCard"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/BranchCard"}}}}},
            },
        },
    },
    "components": {
        "schemas": {
            "Branch": {"type": "object", "required": ["code", "name", "kana"], "properties": {
                "code": {"type": "string", "pattern": "^[0-9]{3}$"}, "name": {"type": "string"},
                "kana": {"type": "string", "maxLength": 15}, "opened": {"type": "string", "format": "date"}}},
            "Problem": {"type": "object", "required": ["code", "message"], "properties": {
                "code": {"type": "string", "pattern": "^E[0-9]{3}$"}, "message": {"type": "string", "minLength": 1},
                "retry_after": {"type": "integer", "minimum": 1, "maximum": 3600, "nullable": True}}},
            "BranchCard": {"type": "object", "xml": {"name": "Branch"}, "required": ["code", "names"], "properties": {
                "code": {"type": "string", "pattern": "^[0-9]{3}$", "xml": {"attribute": True}},
                "names": {"type": "array", "minItems": 2, "maxItems": 2, "xml": {"wrapped": True},
                          "items": {"type": "string", "xml": {"name": "name"}}}}},
        },
        "examples": {"Station": {"summary": "a station branch", "value": {"code": "002", "name": "駅前支店", "kana": "ｴｷﾏｴ"}}},
        "responses": {"Maintenance": {"description": "maintenance", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Problem"},
            "example": {"code": "E503", "message": "メンテナンス中", "retry_after": 600}}}}},
    },
}


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    work = tmp_path_factory.mktemp("examples")
    (work / "specs" / "examples").mkdir(parents=True)
    (work / "specs" / "examples" / "openapi.yaml").write_text(yaml.safe_dump(EXAMPLES_SPEC, allow_unicode=True), encoding="utf-8")
    server = live_server.start(work / "data", specs=(work / "specs",))
    client = httpx.Client(base_url=f"{server.url}/banks/examples", timeout=30)
    yield client
    client.close()
    server.stop()


def _examples_operation(operation_id: str) -> dict:
    return next(op for _, _, op, _ in _operations(EXAMPLES_SPEC) if op["operationId"] == operation_id)


BRANCH = EXAMPLES_SPEC["paths"]["/branches/{code}"]["get"]["responses"]
STATION = EXAMPLES_SPEC["components"]["examples"]["Station"]["value"]
PREFER = [
    # (Prefer header, status, exact body or None when generated from the schema)
    (None, 200, BRANCH["200"]["content"]["application/json"]["examples"]["head_office"]["value"]),
    ("example=station", 200, STATION),
    ('example="station"', 200, STATION),
    ("example=head_office", 200, BRANCH["200"]["content"]["application/json"]["examples"]["head_office"]["value"]),
    ("code=404", 404, BRANCH["404"]["content"]["application/json"]["examples"]["closed"]["value"]),
    ("code=404, example=never", 404, BRANCH["404"]["content"]["application/json"]["examples"]["never"]["value"]),
    ("code=404; example=never", 404, BRANCH["404"]["content"]["application/json"]["examples"]["never"]["value"]),
    ("code=409", 409, None),  # not documented itself: the 4XX response, with the status asked for
    ("code=503", 503, EXAMPLES_SPEC["components"]["responses"]["Maintenance"]["content"]["application/json"]["example"]),
    ("code=default", 200, None),
    ("code=4XX", 200, None),
    ("code=abc", 200, None),
    ("code=", 200, None),
    ("nonsense", 200, None),
    ("return=minimal", 200, None),
]


@pytest.mark.parametrize("prefer, status, body", PREFER, ids=[str(row[0]) for row in PREFER])
def test_fallback_prefer_picks_a_documented_response(examples, prefer, status, body):
    response = examples.get("/branches/001", headers={"Prefer": prefer} if prefer else {})
    assert response.status_code == status, response.text
    check_answer(EXAMPLES_SPEC, _examples_operation("getBranch"), response)
    if body is not None:
        assert response.json() == body
    if status == 200:  # without a named example, the first documented one
        assert response.json() in (STATION, BRANCH["200"]["content"]["application/json"]["examples"]["head_office"]["value"])


def test_fallback_prefer_says_what_it_applied_and_refuses_what_is_not_documented(examples):
    chosen = examples.get("/branches/001", headers={"Prefer": "code=404, example=never"})
    assert chosen.headers["preference-applied"] == "code=404, example=never"
    assert "preference-applied" not in examples.get("/branches/001").headers
    # An error status nobody documents: answered in the spec's error shape (the `default` of /rates).
    failed = examples.get("/branches/001", headers={"Prefer": "code=500"})
    assert failed.status_code == 500 and failed.headers["preference-applied"] == "code=500"
    validate(EXAMPLES_SPEC, {"$ref": "#/components/schemas/Problem"}, failed.json())
    assert "Prefer: code=500" in failed.json()["message"]
    # A success status or an example it does not document: refused, naming what is documented.
    created = examples.get("/branches/001", headers={"Prefer": "code=201"})
    assert created.status_code == 400 and "200, 404, 4XX, 503" in created.json()["message"]
    unknown = examples.get("/branches/001", headers={"Prefer": "example=no_such_example"})
    assert unknown.status_code == 400 and "head_office, station" in unknown.json()["message"]


def test_fallback_prefer_code_on_an_operation_without_a_body(examples):
    assert examples.delete("/branches/001").status_code == 204
    busy = examples.delete("/branches/001", headers={"Prefer": "code=409"})
    assert busy.status_code == 409
    check_answer(EXAMPLES_SPEC, _examples_operation("closeBranch"), busy)


def test_fallback_schema_example_and_default_response(examples):
    rates = examples.get("/rates")
    assert rates.status_code == 200 and rates.json() == {"ordinary": 0.02}
    for code in (400, 404, 418, 503):  # only `default` is documented: it answers any code asked for
        refused = examples.get("/rates", headers={"Prefer": f"code={code}"})
        assert refused.status_code == code
        check_answer(EXAMPLES_SPEC, _examples_operation("getRates"), refused)


def test_fallback_refusals_take_the_declared_shape_and_its_example(examples):
    # An unknown path: the spec's first 404 declaration (getBranch's, with its example), in the refusal's words.
    missing = examples.get("/nowhere")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/json")
    assert missing.json() == {"code": "E404", "message": "Not Found"}  # 'not_found' does not fit ^E[0-9]{3}$
    # A path parameter that breaks its pattern: the operation's 4XX, generated, with the validator's message.
    invalid = examples.get("/branches/12")
    assert invalid.status_code == 400
    validate(EXAMPLES_SPEC, {"$ref": "#/components/schemas/Problem"}, invalid.json())
    assert "does not match" in invalid.json()["message"]


def test_fallback_status_codes_written_as_numbers(examples):
    count = examples.get("/count")
    assert count.status_code == 200 and count.json() == 5


def test_fallback_a_text_response_is_sent_as_text(examples):
    pong = examples.get("/ping")
    assert pong.status_code == 200 and pong.headers["content-type"].startswith("text/plain")
    assert pong.text == "pong"
    digits = examples.get("/digits")  # response validation reads it as text too: no 500
    assert digits.status_code == 200 and re.fullmatch(r"[0-9]{3}", digits.text), digits.text


def test_fallback_a_declared_media_range_is_answered_in_a_real_media_type(examples):
    answer = examples.get("/any")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    assert 1 <= answer.json()["n"] <= 3


def test_fallback_an_xml_response_is_xml_and_json_when_asked(examples):
    card = examples.get("/branches/001/card", headers={"Accept": "application/xml"})
    assert card.status_code == 200 and card.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(card.content)
    assert root.tag == "Branch" and re.fullmatch(r"[0-9]{3}", root.get("code"))
    assert [child.tag for child in root] == ["names"] and [n.tag for n in root.find("names")] == ["name", "name"]
    as_json = examples.get("/branches/001/card")  # JSON first when the client names no type
    assert as_json.headers["content-type"].startswith("application/json")
    validate(EXAMPLES_SPEC, {"$ref": "#/components/schemas/BranchCard"}, as_json.json())


def test_fallback_prefer_on_the_third_party_spec(foreign):
    spec = _spec("petstore-expanded")
    operation = spec["paths"]["/pets/{id}"]["get"]
    with httpx.Client(base_url=f"{foreign.url}/banks/petstore-expanded", timeout=30) as client:
        missing = client.get("/pets/7", headers={"Prefer": "code=404"})
        default = client.get("/pets/7", headers={"Prefer": "code=default"})
    assert missing.status_code == 404  # documented through its `default` response
    check_answer(spec, operation, missing)
    assert set(missing.json()) == {"code", "message"}
    assert default.status_code == 200
    check_answer(spec, operation, default)


# --- (d) generated values honour the schema --------------------------------------------------------------------

GENERATED_SPEC = {
    "openapi": "3.0.3",
    "components": {"schemas": {
        "Account": {"type": "object", "required": ["id", "type", "holder"], "properties": {
            "id": {"type": "string", "pattern": "^acc_[0-9a-f]{8}$"},
            "type": {"type": "string", "enum": ["1", "2", "4", "9"]},
            "holder": {"$ref": "#/components/schemas/Holder"},
            "opened": {"type": "string", "format": "date"}}},
        "Holder": {"type": "object", "required": ["kana", "email"], "properties": {
            "kana": {"type": "string", "pattern": "^[ｱ-ﾝﾞﾟ ]+$", "maxLength": 30},
            "email": {"type": "string", "format": "email"},
            "address": {"$ref": "#/components/schemas/Address"}}},
        "Address": {"type": "object", "required": ["postcode"], "properties": {
            "postcode": {"type": "string", "pattern": "^[0-9]{3}-[0-9]{4}$"}}},
        "Money": {"type": "object", "required": ["amount", "currency"], "properties": {
            "amount": {"type": "integer", "minimum": 1, "maximum": 99999999}, "currency": {"type": "string", "enum": ["JPY"]}}},
        "Tree": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}},
    }},
}

GENERATED = [
    ("date", {"type": "string", "format": "date"}),
    ("date-time", {"type": "string", "format": "date-time"}),
    ("time", {"type": "string", "format": "time"}),
    ("uuid", {"type": "string", "format": "uuid"}),
    ("email", {"type": "string", "format": "email"}),
    ("email with maxLength", {"type": "string", "format": "email", "maxLength": 10}),
    ("ipv4", {"type": "string", "format": "ipv4"}),
    ("pattern", {"type": "string", "pattern": "^[0-9]{4}-[A-Z]{3}$"}),
    ("pattern unanchored", {"type": "string", "pattern": "[a-z]+@[0-9]+"}),
    ("pattern \\d", {"type": "string", "pattern": "^\\d{7}$"}),
    ("pattern alternatives", {"type": "string", "pattern": "^(ordinary|current|savings)$"}),
    ("pattern with length bounds", {"type": "string", "pattern": "^[a-z]+$", "minLength": 3, "maxLength": 5}),
    ("pattern with a long minLength", {"type": "string", "pattern": "^[A-Z0-9]*$", "minLength": 20}),
    ("half-width kana pattern", {"type": "string", "pattern": "^[ｦ-ﾟ0-9A-Z ().\\-/]+$", "maxLength": 30}),
    ("enum string", {"type": "string", "enum": ["scheduled", "executed", "failed"]}),
    ("enum integer", {"type": "integer", "enum": [1, 2, 4, 9]}),
    ("enum nullable", {"type": "string", "enum": ["a", None], "nullable": True}),
    ("integer bounds", {"type": "integer", "minimum": 10, "maximum": 20}),
    ("integer maximum only", {"type": "integer", "maximum": -5}),
    ("integer large minimum", {"type": "integer", "format": "int64", "minimum": 10000000000}),
    ("integer exclusive (3.0)", {"type": "integer", "minimum": 10, "maximum": 12, "exclusiveMinimum": True, "exclusiveMaximum": True}),
    ("integer multipleOf", {"type": "integer", "minimum": 1, "maximum": 100, "multipleOf": 7}),
    ("number bounds", {"type": "number", "minimum": 0.5, "maximum": 0.75}),
    ("number tight bounds", {"type": "number", "minimum": 0.001, "maximum": 0.002}),
    ("number exclusive (3.0)", {"type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": True, "exclusiveMaximum": True}),
    ("number multipleOf 0.1", {"type": "number", "minimum": 0, "maximum": 10, "multipleOf": 0.1}),
    ("number multipleOf 0.01", {"type": "number", "minimum": 0, "maximum": 1000, "multipleOf": 0.01}),
    ("minLength and maxLength", {"type": "string", "minLength": 8, "maxLength": 10}),
    ("maxLength below the sample", {"type": "string", "maxLength": 2}),
    ("long minLength", {"type": "string", "minLength": 40}),
    ("boolean", {"type": "boolean"}),
    ("nullable string", {"type": "string", "nullable": True, "maxLength": 4}),
    ("nested $ref", {"$ref": "#/components/schemas/Account"}),
    ("recursive $ref", {"$ref": "#/components/schemas/Tree"}),
    ("allOf of $refs", {"allOf": [{"$ref": "#/components/schemas/Money"}, {"$ref": "#/components/schemas/Holder"}]}),
    ("allOf with its own properties", {"allOf": [{"$ref": "#/components/schemas/Money"}], "required": ["memo"],
                                       "properties": {"memo": {"type": "string", "maxLength": 3}}}),
    ("allOf of strings", {"allOf": [{"type": "string"}, {"minLength": 2}, {"maxLength": 3}]}),
    ("allOf nested", {"allOf": [{"allOf": [{"$ref": "#/components/schemas/Money"}]}, {"type": "object", "required": ["ok"],
                                                                                      "properties": {"ok": {"type": "boolean"}}}]}),
    ("oneOf", {"oneOf": [{"type": "string", "format": "date"}, {"type": "integer"}]}),
    ("anyOf with null first", {"anyOf": [{"type": "object", "nullable": True, "properties": {}}, {"type": "string", "maxLength": 3}]}),
    ("array minItems", {"type": "array", "minItems": 3, "items": {"$ref": "#/components/schemas/Money"}}),
    ("array minItems and maxItems", {"type": "array", "minItems": 2, "maxItems": 4, "items": {"type": "integer"}}),
    ("array maxItems 0", {"type": "array", "maxItems": 0, "items": {"type": "integer"}}),
    ("array uniqueItems", {"type": "array", "minItems": 2, "uniqueItems": True, "items": {"type": "string", "enum": ["x", "y"]}}),
    ("array uniqueItems booleans", {"type": "array", "minItems": 2, "uniqueItems": True, "items": {"type": "boolean"}}),
    ("array of arrays", {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 2, "items": {"type": "string", "format": "uuid"}}}),
    ("map", {"type": "object", "additionalProperties": {"type": "integer", "minimum": 3}, "minProperties": 2}),
    ("maxProperties", {"type": "object", "maxProperties": 1, "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}),
    ("closed object", {"type": "object", "additionalProperties": False, "required": ["a"], "properties": {"a": {"type": "integer"}}}),
    ("deep required chain", {"type": "object", "required": ["a"], "properties": {"a": {"type": "object", "required": ["b"], "properties": {
        "b": {"type": "object", "required": ["c"], "properties": {"c": {"type": "object", "required": ["d"], "properties": {
            "d": {"type": "object", "required": ["e"], "properties": {"e": {"type": "string", "format": "uuid"}}}}}}}}}}}),
    ("untyped with properties", {"required": ["x"], "properties": {"x": {"type": "string", "format": "date"}}}),
    ("schema example wins", {"type": "string", "format": "date", "example": "2026-11-05"}),
]


@pytest.mark.parametrize("label, schema", GENERATED, ids=[row[0] for row in GENERATED])
def test_fallback_generate_honours_the_schema(label, schema):
    for seed in range(50):
        value = generate(GENERATED_SPEC, schema, random.Random(seed), today="2026-11-05")
        try:
            validate(GENERATED_SPEC, schema, value)
        except jsonschema.ValidationError as error:
            pytest.fail(f"seed {seed}: {value!r} is not valid: {error.message}")


def test_fallback_generate_formats_are_real_values():
    rng = random.Random(1)
    for _ in range(50):
        day = generate({}, {"type": "string", "format": "date"}, rng, today="2026-11-05")
        assert date.fromisoformat(day) <= date(2026, 11, 5)  # days up to the sandbox's today
        moment = datetime.fromisoformat(generate({}, {"type": "string", "format": "date-time"}, rng, today="2026-11-05"))
        assert moment.utcoffset() is not None and moment.date().isoformat() == "2026-11-04"  # (the day before: past)
        assert uuid.UUID(generate({}, {"type": "string", "format": "uuid"}, rng)).version == 4
        assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", generate({}, {"type": "string", "format": "email"}, rng))


def test_fallback_generate_draws_epoch_seconds_under_a_unix_time_format():
    """Stripe's invoice item `date` (`integer`, `format: unix-time`) was drawn 22: a sync by it skipped every item."""
    for seed in range(10):
        moment = generate({}, {"type": "integer", "format": "unix-time"}, random.Random(seed), today="2026-11-05",
                          name="date")
        assert datetime.fromtimestamp(moment, timezone.utc).date().isoformat() in ("2026-11-05", "2026-11-04")


def test_fallback_generate_names_a_currency_code_under_a_vendor_format():
    """PayPal's `currency_code` carries a vendor format of three letters: it was drawn as "sam"."""
    code = {"type": "string", "format": "ppaas_common_currency_code_v2", "minLength": 3, "maxLength": 3}
    assert generate({}, code, random.Random(1), name="currency_code") == "JPY"
    assert generate({}, {"type": "string"}, random.Random(1), name="currencyCode") == "JPY"


def test_fallback_generate_writes_a_microsoft_json_date_where_the_spec_marks_one():
    """Xero marks its dates `x-is-msdate` and its SDK parses `/Date(ms+0000)/`: an ISO date failed it."""
    drawn = generate({}, {"type": "string", "x-is-msdate": True}, random.Random(1), today="2026-11-05", name="Date")
    assert re.fullmatch(r"/Date\(\d{13}\+0000\)/", drawn), drawn


def test_fallback_generate_is_deterministic_and_varied():
    schema = {"$ref": "#/components/schemas/Account"}
    first = [generate(GENERATED_SPEC, schema, random.Random(seed)) for seed in range(20)]
    again = [generate(GENERATED_SPEC, schema, random.Random(seed)) for seed in range(20)]
    assert first == again
    assert len({value["id"] for value in first}) > 10


def test_fallback_generate_reads_an_untyped_schema_by_its_other_keywords():
    """A HAL `_links` written as `additionalProperties: {$ref: Link}` alone was drawn as "sample"."""
    spec = {"components": {"schemas": {"Link": {"type": "object", "required": ["href"],
                                                "properties": {"href": {"type": "string"}}}}}}
    links = {"additionalProperties": {"$ref": "#/components/schemas/Link"}, "minProperties": 1}
    drawn = generate(spec, links, random.Random(1))
    assert isinstance(drawn, dict) and drawn and all("href" in link for link in drawn.values()), drawn
    assert isinstance(generate(spec, {"required": ["a"]}, random.Random(1)), dict)
    assert isinstance(generate(spec, {"minItems": 2}, random.Random(1)), list)
    assert isinstance(generate(spec, {"description": "anything"}, random.Random(1)), str)


def test_fallback_generate_survives_schemas_it_cannot_follow():
    odd = [{}, True, None, {"$ref": "#/components/schemas/Missing"}, {"$ref": "other.yaml#/Pet"},
           {"type": "string", "pattern": "(?<=a)b"}, {"type": "string", "pattern": "[unclosed"},
           {"type": "integer", "minimum": 5, "maximum": 1}, {"type": "array", "minItems": 3, "maxItems": 1},
           {"type": "array", "uniqueItems": True, "minItems": 3, "items": {"type": "boolean"}},
           {"not": {"type": "string"}}, {"type": ["null"]}, {"enum": []}, {"oneOf": []}]
    for schema, seed in itertools.product(odd, range(5)):
        generate(GENERATED_SPEC, schema, random.Random(seed))  # an answer, whatever it is, and no exception


# --- (e) examples that break their schema, errors in the declared shape, declared headers -----------------------


COERCIONS = [
    # (schema, example, repaired) - coerced only where nothing is lost
    ({"type": "string"}, 1, "1"),
    ({"type": "string"}, True, "true"),
    ({"type": "integer"}, "5000", 5000),
    ({"type": "integer"}, 3.0, 3),
    ({"type": "number"}, "0.02", 0.02),
    ({"type": "boolean"}, "TRUE", True),
    ({"type": "string", "nullable": True}, None, None),
    ({"type": ["integer", "null"]}, "7", 7),
    ({"type": "object", "properties": {"n": {"type": "string"}, "m": {"type": "integer"}}}, {"n": 1, "m": "2", "x": 3},
     {"n": "1", "m": 2, "x": 3}),
    ({"type": "array", "items": {"type": "integer"}}, ["1", 2], [1, 2]),
    ({"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]}, {"a": 9}, {"a": "9"}),
    # Nothing safe to do: left as it is (the loader then replaces it with a generated value).
    ({"type": "integer"}, "many", "many"),
    ({"type": "integer"}, 2.5, 2.5),
    ({"type": "boolean"}, "yes", "yes"),
    ({"type": "object"}, [1], [1]),
]


@pytest.mark.parametrize("schema, example, repaired", COERCIONS, ids=[repr(row[1]) for row in COERCIONS])
def test_fallback_examples_coerce_only_what_loses_nothing(schema, example, repaired):
    assert coerce({}, schema, example) == repaired


def test_fallback_examples_read_openapi30_and_31_schemas(tmp_path):
    old = Schemas({"openapi": "3.0.3", "components": {"schemas": {"N": {"type": "string", "nullable": True, "format": "date"}}}})
    new = Schemas({"openapi": "3.1.0", "components": {"schemas": {"N": {"type": ["string", "null"], "format": "date"}}}})
    for schemas in (old, new):
        assert schemas.fits({"$ref": "#/components/schemas/N"}, None)
        assert schemas.fits({"$ref": "#/components/schemas/N"}, "2026-11-05")
        assert "date" in schemas.problem({"$ref": "#/components/schemas/N"}, "yesterday")
        assert not schemas.fits({"$ref": "#/components/schemas/N"}, 5)
    # A 3.1 folder, converted to 3.0 in memory, has its examples checked against the converted schemas.
    (tmp_path / "modern").mkdir()
    (tmp_path / "modern" / "openapi.yaml").write_text(yaml.safe_dump({
        "openapi": "3.1.0", "info": {"title": "modern", "version": "1"},
        "paths": {"/n": {"get": {"operationId": "n", "responses": {"200": {"description": "n", "content": {
            "application/json": {"schema": {"type": "object", "required": ["note", "count"], "properties": {
                "note": {"type": ["string", "null"]}, "count": {"type": "integer", "examples": ["3"]}}},
                "example": {"note": None, "count": 3}}}}}}}},
    }), encoding="utf-8")
    api = load_bank(tmp_path / "modern")
    warnings = [w for w in api.warnings if "declares no security" not in w]
    assert len(warnings) == 1 and "'3' is not of type 'integer'; coerced to 3" in warnings[0], api.warnings
    answer = respond(api, "n", {"path": {}, "query": {}, "body": None, "headers": {}})
    assert answer.body == {"note": None, "count": 3}


def test_fallback_errors_fill_code_and_message_only_where_they_fit():
    schemas = Schemas(GENERATED_SPEC)
    schema = {"type": "object", "properties": {
        "errorCode": {"type": "string", "enum": ["E1", "E2"]}, "code": {"type": "integer"},
        "status": {"type": "integer"}, "Message": {"type": "string", "maxLength": 10}, "title": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {"error_code": {"type": "string"}}}}}}
    body = {"errorCode": "E1", "code": 0, "status": 0, "Message": "x", "title": "t", "errors": [{"error_code": "?"}]}
    filled = with_error(body, lambda value: schemas.fits(schema, value), "insufficient_funds", "far too long a message",
                        422, "The account balance is not sufficient")
    assert filled == {"errorCode": "E1", "code": 422, "status": 422, "Message": "x",  # enum and maxLength kept theirs
                      "title": "The account balance is not sufficient", "errors": [{"error_code": "insufficient_funds"}]}
    assert with_error("sample", lambda value: True, "maintenance", "down for a while", 503, "t") == "down for a while"


def test_fallback_headers_detached_signature_is_well_formed():
    signature = detached_jws({"Data": {"ConsentId": "pc-1"}})
    protected, empty, tail = signature.split(".")
    assert empty == "" and re.fullmatch(r"[A-Za-z0-9_-]+", protected + tail)
    assert json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))["alg"] == "PS256"
    assert detached_jws({"Data": {"ConsentId": "pc-1"}}) == signature != detached_jws({"Data": {"ConsentId": "pc-2"}})


# --- (e) required properties `properties` does not declare, values by field name, error vocabularies ------------------


def test_fallback_generates_required_properties_the_schema_does_not_declare():
    schemas = Schemas({"openapi": "3.1.0"})
    cases = [
        {"type": "object", "required": ["a", "b"], "properties": {"a": {"type": "string"}}},
        {"type": "object", "required": ["n"], "additionalProperties": {"type": "integer", "minimum": 7, "maximum": 7}},
        {"type": "object", "required": ["x_count"], "additionalProperties": False,
         "patternProperties": {"^x_": {"type": "boolean"}}},
        {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["id", "kind"], "properties": {"id": {}}}},
    ]
    for schema in cases:
        for seed in range(5):
            value = generate({}, schema, random.Random(seed))
            assert schemas.fits(schema, value), (schema, value)
    assert generate({}, cases[1], random.Random(0)) == {"n": 7}
    assert isinstance(generate({}, cases[2], random.Random(0))["x_count"], bool)


def test_fallback_generates_realistic_values_by_field_name_within_the_schema():
    rng = random.Random(3)
    value = generate({}, {"type": "object", "properties": {
        "currency": {"type": "string"}, "default_currency": {"type": "string"}, "country": {"type": "string"},
        "created": {"type": "integer"}, "updated_at": {"type": "integer"}, "livemode": {"type": "boolean"},
        "short_currency": {"type": "string", "maxLength": 2}, "lower_currency": {"type": "string", "pattern": "^[a-z]{3}$"},
        "bounded_created": {"type": "integer", "minimum": 1, "maximum": 9}}}, rng, today="2026-11-05")
    assert value["currency"] == value["default_currency"] == "JPY" and value["country"] == "JP"
    for moment in (value["created"], value["updated_at"]):
        assert datetime.fromtimestamp(moment, timezone.utc).date().isoformat() == "2026-11-04"
    assert value["livemode"] is False
    assert len(value["short_currency"]) <= 2 and re.fullmatch(r"[a-z]{3}", value["lower_currency"])
    assert 1 <= value["bounded_created"] <= 9


def test_fallback_generates_contact_details_where_the_field_name_says_so():
    value = generate({}, {"type": "object", "properties": {
        "email": {"type": "string"}, "billing_email_address": {"type": "string"}, "website": {"type": "string"},
        "phone": {"type": "string"}, "phoneNumber": {"type": "string"}, "tiny_email": {"type": "string", "maxLength": 3},
        "description": {"type": "string"}}}, random.Random(5), today="2026-11-05")
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", value["email"]) and "@" in value["billing_email_address"]
    assert value["website"].startswith("https://")
    assert re.fullmatch(r"0\d-\d{4}-\d{4}", value["phone"]) and re.fullmatch(r"0\d-\d{4}-\d{4}", value["phoneNumber"])
    assert len(value["tiny_email"]) <= 3  # the schema's bounds win over the name
    assert value["description"] in ("sample", "ｻﾝﾌﾟﾙ")


def test_fallback_errors_pick_the_closest_enum_value_whatever_the_operation():
    schema = {"type": "object", "required": ["kind", "status"], "properties": {
        "kind": {"type": "string", "enum": ["SANDBOX_ERROR", "ITEM_ERROR", "API_ERROR", "INVALID_INPUT", "INVALID_REQUEST",
                                            "RATE_LIMIT_EXCEEDED"]},
        "status": {"type": "integer", "nullable": True}, "message": {"type": "string"}}}
    schemas = Schemas(GENERATED_SPEC)
    enums = {"kind": schema["properties"]["kind"]["enum"]}
    picked = {}
    for code, message, status in (("invalid_request", "bad", 400), ("rate_limited", "slow down", 429),
                                  ("maintenance", "down", 503)):
        for seed in range(3):  # a body generated for another operation: the same kind
            body = generate(GENERATED_SPEC, schema, random.Random(seed))
            filled = with_error(body, lambda value: schemas.fits(schema, value), code, message, status, "t", enums=enums)
            assert filled["status"] == status and filled["message"] == message
            picked.setdefault(code, set()).add(filled["kind"])
    assert picked == {"invalid_request": {"INVALID_REQUEST"}, "rate_limited": {"RATE_LIMIT_EXCEEDED"},
                      "maintenance": {"API_ERROR"}}


def test_fallback_errors_prefer_a_synonym_said_whole_to_parts_of_several():
    # Visma's error types (one enum for every refusal): `InvalidApiVersion` says two words of "invalid api key",
    # `AuthenticationRequired` the whole of "authentication": a 401 is the second
    kinds = ["InternalSystemError", "AddonMissing", "InvalidParameter", "InvalidApiVersion", "AuthenticationRequired",
             "InsufficientApiScope", "PermissionDenied"]
    schema = {"type": "object", "properties": {"type": {"type": "string", "enum": kinds},
                                               "httpStatusCode": {"type": "integer"}}}
    schemas = Schemas(GENERATED_SPEC)
    picked = {}
    for code, status in (("unauthorized", 401), ("forbidden", 403), ("invalid_request", 400)):
        filled = with_error({"type": "InternalSystemError", "httpStatusCode": 0},
                            lambda value: schemas.fits(schema, value), code, "m", status, "t", enums={"type": kinds})
        picked[code] = filled["type"]
    assert picked == {"unauthorized": "AuthenticationRequired", "forbidden": "PermissionDenied",
                      "invalid_request": "InvalidParameter"}, picked


IMPOSSIBLE_SPEC = {
    "openapi": "3.0.3", "info": {"title": "impossible", "version": "1"},
    "paths": {"/locked": {"get": {"operationId": "getLocked", "responses": {"200": {"description": "locked", "content": {
        "application/json": {"schema": {"type": "object", "required": ["ghost"], "additionalProperties": False,
                                        "properties": {"id": {"type": "string"}}}}}}}}}},
}


def test_fallback_an_answer_no_value_can_fit_is_named_at_load_in_check_and_in_the_log(tmp_path, caplog):
    from sandbox.bindings.check import check_folders

    (tmp_path / "impossible").mkdir()
    (tmp_path / "impossible" / "openapi.yaml").write_text(yaml.safe_dump(IMPOSSIBLE_SPEC), encoding="utf-8")
    api = load_bank(tmp_path / "impossible")
    assert any("'ghost' is required but the schema allows no such property" in w for w in api.warnings), api.warnings
    row = check_folders([tmp_path / "impossible"])["banks"][0]["operations"][0]
    assert row["served_from"] == "unservable" and "'ghost' is a required property" in row["detail"], row
    with caplog.at_level("WARNING", logger="sandbox.bindings.fallback"):
        reply = respond(api, "getLocked", {"path": {}, "query": {}, "body": None, "headers": {}})
    assert reply.problem and any("getLocked" in r.getMessage() and "ghost" in r.getMessage() for r in caplog.records)


# Two `allOf` members that disagree (as SendGrid's message answer does): each event requires `kind`, from
# enums with nothing in common, and the optional `tier` is `a` in one and `b` in the other.
DISAGREEING_SPEC = {
    "openapi": "3.0.3", "info": {"title": "disagreeing", "version": "1"},
    "paths": {"/messages/{id}": {"get": {"operationId": "getMessage", "parameters": [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "a message", "content": {"application/json": {"schema": {"allOf": [
            {"type": "object", "required": ["id", "events"], "properties": {
                "id": {"type": "string"}, "tier": {"type": "string", "enum": ["a"]},
                "events": {"type": "array", "items": {"type": "object", "required": ["kind"], "properties": {
                    "kind": {"type": "string", "enum": ["soft", "hard"]}}}}}},
            {"type": "object", "properties": {
                "tier": {"type": "string", "enum": ["b"]},
                "events": {"type": "array", "items": {
                    "type": "object", "required": ["kind"], "example": {"kind": "blocked", "at": "12:00"},
                    "properties": {"kind": {"type": "string", "enum": ["bounced", "blocked"]},
                                   "at": {"type": "string"}}}}}},
        ]}}}}}}}},
}


def test_fallback_leaves_out_what_disagreeing_members_make_impossible_and_keeps_what_they_ask(tmp_path):
    from sandbox.bindings.check import check_folders

    (tmp_path / "disagreeing").mkdir()
    (tmp_path / "disagreeing" / "openapi.yaml").write_text(yaml.safe_dump(DISAGREEING_SPEC), encoding="utf-8")
    api = load_bank(tmp_path / "disagreeing")
    reply = respond(api, "getMessage", {"path": {"id": "m1"}, "query": {}, "body": None, "headers": {}})
    assert reply.status == 200 and reply.problem is None, (reply.body, reply.problem)
    assert reply.body["events"] == [] and "tier" not in reply.body and isinstance(reply.body["id"], str), reply.body
    schema = api.spec["paths"]["/messages/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(reply.body, schema)
    row = check_folders([tmp_path / "disagreeing"])["banks"][0]["operations"][0]
    assert row["served_from"] != "unservable", row


def test_pruning_keeps_a_required_field_and_leaves_out_nothing_that_fits():
    from sandbox.bindings.schemas import Schemas

    schemas = Schemas({"openapi": "3.0.3"})
    closed = {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "string", "enum": ["x"]}, "note": {"type": "string"},
        "lines": {"type": "array", "items": {"type": "integer"}}}}
    # a required field that does not fit stays (its absence would be an error too): nothing fits better
    assert schemas.pruned(closed, {"id": "y"}) is None
    # what fits is kept whole; what does not is left out, the deepest part first (a line, not the list)
    assert schemas.pruned(closed, {"id": "x", "note": "n"}) == {"id": "x", "note": "n"}
    assert schemas.pruned(closed, {"id": "x", "note": 5, "lines": [1, "two", 3]}) == {"id": "x", "lines": [1, 3]}


def test_fallback_puts_the_two_ends_of_a_range_in_order():
    moment = {"type": "string", "format": "date-time"}
    for seed in range(20):
        value = generate({}, {"type": "object", "properties": {
            "TransactionFromDateTime": moment, "TransactionToDateTime": moment,
            "period_start": {"type": "string", "format": "date"}, "period_end": {"type": "string", "format": "date"},
            "clock_in_at": moment, "clock_out_at": moment, "min_amount": {"type": "integer"},
            "max_amount": {"type": "integer"}, "from_account": {"type": "string"}, "to_bank": {"type": "integer"}}},
            random.Random(seed), today="2026-11-05")
        assert value["TransactionFromDateTime"] <= value["TransactionToDateTime"]
        assert value["period_start"] <= value["period_end"] and value["clock_in_at"] <= value["clock_out_at"]
        assert value["min_amount"] <= value["max_amount"]


def test_fallback_an_answer_carries_what_the_request_sent_where_it_still_fits():
    from sandbox.bindings.echoes import echo as _echo

    schema = {"type": "object", "properties": {"count": {"type": "integer"}, "name": {"type": "string"},
                                               "meta": {"type": "object", "additionalProperties": {"type": "string"}},
                                               "owner": {"type": "object", "properties": {"city": {"type": "string"}}}}}
    fits = Schemas({}).fits
    body = {"count": 1, "name": "example", "meta": {}, "owner": {"city": "Osaka"}, "id": "x"}
    sent = {"count": "many", "name": "Hanako", "meta": {"order": "6735"}, "owner": {"city": "Sendai", "zip": "980"},
            "tags": ["a"], "big": 1 << 70}
    echoed = _echo(body, sent, lambda candidate: fits(schema, candidate))
    assert echoed == {"count": 1, "name": "Hanako", "meta": {"order": "6735"}, "owner": {"city": "Sendai"}, "id": "x"}
    assert body["name"] == "example"  # the documented answer itself is left as it was


def test_fallback_an_object_of_another_one_of_branch_is_echoed_whole_and_its_neighbours_field_by_field():
    """A SEPA transfer sent with an IBAN, drawn with a local account: the merge of the two fits no branch,
    and the whole counterparty (its holder's name too) was dropped."""
    from sandbox.bindings.echoes import echo as _echo

    local = {"type": "object", "required": ["type", "bsbCode"], "additionalProperties": False,
             "properties": {"type": {"enum": ["auLocal"]}, "bsbCode": {"type": "string"}}}
    iban = {"type": "object", "required": ["type", "iban"], "additionalProperties": False,
            "properties": {"type": {"enum": ["iban"]}, "iban": {"type": "string"}}}
    schema = {"type": "object", "properties": {"amount": {"type": "integer"}, "counterparty": {
        "type": "object", "properties": {"fullName": {"type": "string"}, "account": {"oneOf": [local, iban]},
                                         "country": {"type": "string", "maxLength": 2}}}}}
    fits = Schemas({}).fits
    body = {"amount": 1, "counterparty": {"fullName": "drawn", "account": {"type": "auLocal", "bsbCode": "x"},
                                          "country": "JP"}}
    sent = {"amount": 5, "counterparty": {"fullName": "A. Klaassen", "country": "Netherlands",
                                          "account": {"type": "iban", "iban": "NL91ABNA0417164300"}}}
    echoed = _echo(body, sent, lambda candidate: fits(schema, candidate))
    assert echoed == {"amount": 5, "counterparty": {"fullName": "A. Klaassen", "country": "JP",
                                                    "account": {"type": "iban", "iban": "NL91ABNA0417164300"}}}


def test_fallback_an_rpc_style_read_answers_about_what_its_body_named(tmp_path):
    """A read by POST names its object in the body (`{"institution_id": "ins_3"}`) and is answered in an
    envelope (`{"institution": {...}, "request_id": ...}`): the envelope is about that object."""
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/institutions/get_by_id": {"post": {
        "operationId": "getInstitution",
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
            "institution_id": {"type": "string"}, "country_codes": {"type": "array", "items": {"type": "string"}}}}}}},
        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {
            "type": "object", "required": ["institution", "request_id"], "properties": {
                "request_id": {"type": "string"},
                "institution": {"type": "object", "required": ["institution_id", "name"], "properties": {
                    "institution_id": {"type": "string", "example": "ins_109512"},
                    "name": {"type": "string"}}}}}}}}}}}}}
    (tmp_path / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    reply = respond(load_bank(tmp_path), "getInstitution",
                    {"headers": {}, "path": {}, "body": {"institution_id": "ins_3", "country_codes": ["US"]}})
    assert reply.body["institution"]["institution_id"] == "ins_3", reply.body


def test_generated_tokens_keys_and_ids_are_ascii_and_only_text_a_person_reads_may_be_kana():
    """A generated access token goes back to the bank in an Authorization header, where client libraries
    refuse what is not Latin-1 (an official SDK failed on `Bearer ｻﾝﾌﾟﾙ` before the request left)."""
    schema = {"type": "object", "properties": {name: {"type": "string"} for name in (
        "access", "refresh", "secret_key", "api_key", "reference", "accountName", "memo")}}
    drawn = [generate({}, schema, random.Random(seed)) for seed in range(200)]
    for name in ("access", "refresh", "secret_key", "api_key", "reference"):
        assert all(value[name].isascii() for value in drawn), name
    assert any(not value["accountName"].isascii() for value in drawn)  # names still meet kana now and then


def test_fallback_a_field_under_a_vendor_format_is_named_by_its_name_and_fits_its_pattern():
    """PayPal's e-mail fields carry a vendor format and a pattern of nested repeats: drawn from the pattern
    alone they were tens of thousands of characters of control codes, seconds a field (an order took 100 s)."""
    schema = load_bank(PUBLISHED / "token-url-only").spec["components"]["schemas"]["Order"]["properties"]["payer_email"]
    values = [fallback._string(schema, random.Random(seed), None, name="payer_email") for seed in range(20)]
    assert all(re.search(schema["pattern"], v) and 3 <= len(v) <= 254 for v in values), values
    assert all(v.isascii() and v.isprintable() for v in values), values  # an address a person could type


def test_fallback_an_example_that_breaks_format_uri_is_repaired_at_load():
    """Examples are checked with the formats responses are: `www.test.com` under `format: uri` (PayPal's
    invoicing) passed the load-time check and was then answered as a 500 by response validation."""
    api = load_bank(PUBLISHED / "token-url-only")
    assert any("website" in warning and "uri" in warning for warning in api.warnings), api.warnings


@pytest.mark.parametrize("schema, parse", [
    ({"type": "string", "format": "date-time"}, "%Y-%m-%dT%H:%M:%S.%f%z"),
    ({"type": "object", "properties": {"createdAt": {"type": "string"}}}, "%Y-%m-%dT%H:%M:%S.%f%z"),
    ({"type": "string", "format": "date-time", "pattern": r"\.\d{3}Z$"}, "%Y-%m-%dT%H:%M:%S.%fZ"),
    ({"type": "string", "format": "date-time", "pattern": r":\d\dZ$"}, "%Y-%m-%dT%H:%M:%SZ"),
])
def test_fallback_a_drawn_moment_has_milliseconds_unless_its_pattern_wants_another_form(schema, parse):
    """Unit's SDK parses its moments with `%S.%f%z`: whole seconds broke every answer it read."""
    value = generate({}, schema, random.Random(3), today="2026-12-04")
    value = value["createdAt"] if isinstance(value, dict) else value
    assert datetime.strptime(value, parse).date() in (date(2026, 12, 4), date(2026, 12, 3)), value


def test_fallback_an_action_on_an_id_whose_read_ends_in_a_slash_answers_that_id():
    """Nordigen's `PUT /agreements/enduser/{id}/accept/` (read at `.../{id}/`) answered the example's id, or a
    new one when a body was sent: the SDK's accepted agreement was another."""
    api = load_bank(Path(__file__).parent / "published_specs" / "trailing-slash-actions")
    agreement = "11111111-2222-4333-8444-555555555555"
    for body in (None, {"user_agent": "sdk"}):
        answer = respond(api, "accept_agreement", {"method": "PUT", "path": {"id": agreement}, "query": {}, "body": body,
                                                   "headers": {"content-type": "application/json"}})
        assert answer.body["id"] == agreement, (body, answer.body)


def test_field_error_items_name_the_field_and_value_refused():
    """`invalidFields: [{name, value, message}]`: the item names the refused field and value, not the code."""
    schema = {"type": "object", "required": ["errorCode", "detail"], "properties": {
        "errorCode": {"type": "string"}, "detail": {"type": "string"},
        "invalidFields": {"type": "array", "items": {"type": "object", "required": ["name", "value", "message"],
                          "properties": {"name": {"type": "string"}, "value": {"type": "string"},
                                         "message": {"type": "string"}}}}}}
    body = {"errorCode": "x", "detail": "x", "invalidFields": [{"name": "sample", "value": "sample", "message": "m"}]}
    message = "'ten' is not of type 'integer' - 'amount'"
    filled = with_error(body, lambda value: jsonschema.Draft7Validator(schema).is_valid(value), "invalid_request",
                        message, 422, "t")
    assert filled["errorCode"] == "invalid_request"
    assert filled["invalidFields"][0] == {"name": "amount", "value": "ten", "message": message}


@pytest.mark.parametrize("currency", [{"type": "string"}, {"type": "string", "enum": ["EUR"]}])
def test_fallback_a_money_object_is_one_sum(currency):
    """Up's `{currencyCode, value, valueInBaseUnits}`: `value` was "sample", and every client's Decimal(value)
    crashed; its minor units said another sum."""
    schema = {"type": "object", "required": ["currencyCode", "value", "valueInBaseUnits"], "properties": {
        "currencyCode": currency, "value": {"type": "string"}, "valueInBaseUnits": {"type": "integer"}}}
    for seed in range(5):
        money = generate({}, schema, random.Random(seed))
        exponent = 0 if money["currencyCode"] == "JPY" else 2
        assert round(float(money["value"]) * 10 ** exponent) == money["valueInBaseUnits"], money


def test_fallback_a_money_objects_referred_amount_keeps_its_pattern():
    """An amount declared by reference to a schema of its own (`Amount: {$ref: '#/components/schemas/Amount'}`,
    Revolut's Open Banking `^\\d{1,13}\\.\\d{1,5}$`) beside a currency drawn as yen kept the draw's pattern
    unread: "15173" was answered, its own schema refused it, and the operation was unservable."""
    spec = {"components": {"schemas": {
        "Amount": {"type": "string", "pattern": r"^\d{1,13}\.\d{1,5}$"},
        "Currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "Money": {"type": "object", "required": ["Amount", "Currency"], "properties": {
            "Amount": {"$ref": "#/components/schemas/Amount"}, "Currency": {"$ref": "#/components/schemas/Currency"}}}}}}
    schema = {"$ref": "#/components/schemas/Money"}
    for seed in range(5):
        money = generate(spec, schema, random.Random(seed))
        assert re.fullmatch(r"\d{1,13}\.\d{1,5}", money["Amount"]), money


def test_an_error_naming_no_field_leaves_the_examples_field_out():
    """Mollie's error example names `field: from` (a list's cursor): a reused idempotency key, a refusal about no
    field, was answered `field: from`, and a client showing the error beside the field blamed the cursor. Left
    out where the schema lets it; kept where it requires one."""
    schema = {"type": "object", "required": ["status", "title", "detail"], "properties": {
        "status": {"type": "integer"}, "title": {"type": "string"}, "detail": {"type": "string"},
        "field": {"type": "string"}}}
    message = "idempotency key 'k-1' was already used with a different request"

    def refused(schema):
        body = {"status": 422, "title": "Unprocessable Entity", "detail": "The 'from' field is after 'until'", "field": "from"}
        return with_error(body, lambda value: jsonschema.Draft7Validator(schema).is_valid(value), "idempotency_conflict",
                          message, 400, "Bad Request")
    assert "field" not in refused(schema)
    assert refused({**schema, "required": [*schema["required"], "field"]})["field"] == "from"
    named = with_error({"status": 422, "title": "x", "detail": "x", "field": "from"},
                       lambda value: jsonschema.Draft7Validator(schema).is_valid(value), "invalid_request",
                       "'ten' is not of type 'integer' - 'amount'", 400, "Bad Request")
    assert named["field"] == "amount"
