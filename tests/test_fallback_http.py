"""Published specs served from their schemas over real HTTP: never a 500, never an answer the spec refuses.

The bank folders under tests/published_specs/ are hand-written specs with one trait each:
- `bad-examples/`: examples that break their own schemas are repaired or replaced (and named once in a
  warning at load), so every answer still fits the schema the author published;
- `required-headers/`: an open-banking style spec whose every response requires `x-fapi-interaction-id`
  and `x-jws-signature` (and more), and whose payment consents come in seven media types;
- `declared-errors/`: refusals in the shapes the spec declares (`{error: {code, message}}`, its own error
  media type, plain text), not problem+json, for validation, auth, routing and scenario errors, read
  back by a client generated from the spec;
- `bound-headers/`: a bound operation whose binding sets no headers gets the required ones, and reads
  bodies of every declared media type (text as text, forms parsed, bytes as base64);
- `undeclared-required/`: properties listed in `required` but not in `properties` are answered too;
- `error-vocabularies/`: error bodies carry the refusal's kind (the closest enum value), status and
  message, without optional extras or placeholder text; `Prefer` for what an operation does not document.
Each answer is checked against the published file (read here, not through the sandbox's loader).
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import unquote

import httpx
import jsonschema
import pytest
import yaml

import live_server
import test_fallback
from sandbox.bindings import load_bank
from sandbox.bindings.headers import declared

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": tuple(SPECS / name for name in (
    "bad-examples", "bodiless-successes", "bound-headers", "code-list-errors", "dated-lists", "declared-errors",
    "discriminated-split", "discriminated-subtypes", "documented-range-ends", "error-vocabularies", "hal-payments",
    "interaction-ids", "json-api-lists", "named-errors", "no-content-with-schema", "overlapping-answers",
    "paged-by-flag", "required-headers", "simulated-actions", "terse-errors", "undeclared-required"))}
V1 = "/sandbox/v1"


def _published(name: str) -> dict:
    return yaml.safe_load((SPECS / name / "openapi.yaml").read_text(encoding="utf-8"))


def _schema(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _valid(spec: dict, schema: dict, value) -> None:
    try:
        test_fallback.validate(spec, schema, value)
    except jsonschema.ValidationError as error:
        pytest.fail(f"{value!r} does not fit the published schema: {error.message}")


@pytest.fixture(scope="module")
def bank(live):
    clients = {}

    def client(name: str) -> httpx.Client:
        if name not in clients:
            clients[name] = httpx.Client(base_url=f"{live.url}/banks/{name}", timeout=30)
        return clients[name]

    yield client
    for opened in clients.values():
        opened.close()


# --- bad examples ------------------------------------------------------------------------------------------

BAD = [
    "#/paths/~1counters/get/responses/200/content/application~1json/example",
    "#/paths/~1branches~1{code}/get/responses/200/headers/X-Branch-Count/example",
    "#/paths/~1branches~1{code}/get/responses/200/content/application~1json/examples/closed/value",
    "#/components/examples/Renamed/value",
    "#/paths/~1branches~1{code}/get/responses/404/content/application~1json/example",
    "#/components/schemas/Rates/properties/ordinary/example",
    "#/components/schemas/Rates/properties/updated/example",
    "#/components/schemas/Rates/properties/tiers/example",
]


def test_fallback_http_bad_examples_are_named_once_at_load():
    warnings = load_bank(SPECS / "bad-examples").warnings
    named = [w.split(": ", 1)[0].removeprefix("openapi.yaml") for w in warnings if w.startswith("openapi.yaml#")]
    assert sorted(named) == sorted(BAD), warnings
    assert any("coerced" in w for w in warnings) and any("replaced" in w for w in warnings)
    assert not any("head_office" in w for w in warnings)  # a good example (and a null for a nullable field) is left alone


def test_fallback_http_a_coercible_example_is_served_coerced(bank):
    counters = bank("bad-examples").get("/counters")
    assert counters.status_code == 200
    assert counters.json() == {"count": "1", "limit": 5000, "active": True, "note": None}
    spec = _published("bad-examples")
    _valid(spec, spec["paths"]["/counters"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
           counters.json())


@pytest.mark.parametrize("example", [None, "head_office", "closed", "renamed"])
def test_fallback_http_every_named_example_fits_its_schema(bank, example):
    spec = _published("bad-examples")
    answer = bank("bad-examples").get("/branches/001", headers={"Prefer": f"example={example}"} if example else {})
    assert answer.status_code == 200, answer.text
    _valid(spec, _schema("Branch"), answer.json())
    if example in (None, "head_office"):  # a good example is served exactly as written
        assert answer.json() == {"code": "001", "name": "本店", "status": "open", "opened": "1950-04-01"}
    assert 1 <= int(answer.headers["x-branch-count"]) <= 500  # its example ('many') was replaced


def test_fallback_http_bad_schema_examples_do_not_reach_answers(bank):
    spec = _published("bad-examples")
    rates = bank("bad-examples").get("/rates")
    missing = bank("bad-examples").get("/branches/001", headers={"Prefer": "code=404"})
    assert rates.status_code == 200 and missing.status_code == 404
    _valid(spec, _schema("Rates"), rates.json())
    _valid(spec, _schema("Problem"), missing.json())


# --- required headers --------------------------------------------------------------------------------------

JWS = re.compile(r"^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$")


def _signed(response: httpx.Response) -> None:
    """The response carries the interaction id and a detached JWS whose protected header is JSON."""
    assert response.headers["x-fapi-interaction-id"]
    signature = response.headers["x-jws-signature"]
    assert JWS.match(signature), signature
    protected = signature.split("..")[0]
    assert json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))["alg"]


def test_fallback_http_required_headers_are_produced(bank):
    spec = _published("required-headers")
    accounts = bank("required-headers").get("/accounts")
    assert accounts.status_code == 200, accounts.text
    _signed(accounts)
    uuid.UUID(accounts.headers["x-fapi-interaction-id"])  # none was sent: one is made
    assert 0 <= int(accounts.headers["x-rate-limit-remaining"]) <= 1000
    _valid(spec, _schema("AccountList"), accounts.json())
    balance = bank("required-headers").get("/accounts/1234567/balances")
    assert balance.status_code == 200
    _signed(balance)
    _valid(spec, _schema("Balance"), balance.json())


def test_fallback_http_header_values_are_printable_ascii(bank):
    named = bank("required-headers").get("/accounts")
    assert unquote(named.headers["x-bank-name"]) == "星空信用金庫"  # its example, percent-encoded
    for number in range(1234560, 1234580):  # generated values (the generator also writes kana) stay ASCII
        balance = bank("required-headers").get(f"/accounts/{number}/balances")
        assert balance.status_code == 200, balance.text
        assert re.fullmatch(r"[\x20-\x7e]+", balance.headers["x-branch-name"])


def test_fallback_http_interaction_id_is_echoed(bank):
    sent = "abc-123-interaction"
    echoed = bank("required-headers").get("/accounts", headers={"x-fapi-interaction-id": sent})
    refused = bank("required-headers").get("/accounts/12/balances", headers={"x-fapi-interaction-id": sent})
    assert echoed.headers["x-fapi-interaction-id"] == sent
    assert refused.status_code == 400 and refused.headers["x-fapi-interaction-id"] == sent


def test_fallback_http_a_header_declared_both_ways_is_answered_as_asked(bank):
    """CDR's `x-v`: the version asked for is the version served, where the answer's schema takes it."""
    asked = bank("required-headers").get("/products", headers={"x-v": "3", "x-min-v": "1"})
    assert asked.status_code == 200, asked.text
    assert asked.headers["x-v"] == "3"
    assert bank("required-headers").get("/products").status_code == 400  # x-v is required
    assert bank("required-headers").get("/products", headers={"x-v": "v3"}).status_code == 400  # not its pattern


@pytest.mark.parametrize("method, path, send, status", [
    ("GET", "/accounts/12/balances", {}, 400),
    ("POST", "/payment-consents", {"json": {"Data": {}}}, 400),
    ("GET", "/nowhere", {}, 404),
    ("DELETE", "/accounts", {}, 405),
    ("POST", "/payment-consents", {"content": b"x", "headers": {"Content-Type": "image/png"}}, 415),
    ("GET", "/accounts", {"headers": {"Prefer": "code=500"}}, 500),
])
def test_fallback_http_refusals_carry_the_required_headers(bank, method, path, send, status):
    spec = _published("required-headers")
    refused = bank("required-headers").request(method, path, **send)
    assert refused.status_code == status, refused.text
    _signed(refused)
    # a refusal names no resource: a `Location` its shared response declares, unrequired, is left out (it was
    # the example's, pointing at the bank's own host)
    assert "location" not in refused.headers, refused.headers
    if status == 405:  # declared without content
        assert refused.content == b""
        return
    assert refused.headers["content-type"].startswith("application/json")
    _valid(spec, _schema("ErrorResponse"), refused.json())
    if status < 500:
        assert refused.json()["Code"] == {404: "not_found", 415: "unsupported_media_type"}.get(status, "invalid_request")
        assert refused.json()["Message"]


CONSENT = {"Data": {"InstructedAmount": {"Amount": "1200", "Currency": "JPY"}, "CreditorAccount": "1234567"}}
MEDIA = [
    ("application/json", {"json": CONSENT}),
    ("application/jose+jwe", {"content": b"eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn"}),
    ("application/x-www-form-urlencoded", {"data": {"amount": "1200", "creditor": "1234567"}}),
    ("multipart/form-data", {"data": {"amount": "1200", "creditor": "1234567"}, "files": {"doc": ("a.txt", b"memo")}}),
    ("application/xml", {"content": "<consent><amount>1200</amount></consent>".encode()}),
    ("text/plain", {"content": "振込 1200".encode()}),
    ("application/octet-stream", {"content": bytes(range(256))}),
]


@pytest.mark.parametrize("media_type, send", MEDIA, ids=[m for m, _ in MEDIA])
def test_fallback_http_request_bodies_in_every_declared_media_type(bank, media_type, send):
    spec = _published("required-headers")
    headers = {"Content-Type": media_type} if "content" in send else {}
    created = bank("required-headers").post("/payment-consents", headers=headers, **send)
    assert created.status_code == 201, created.text
    _signed(created)
    assert created.headers["location"].startswith("https://")
    _valid(spec, _schema("Consent"), created.json())


# Nine levels of entities, each ten of the one before: "ha" a billion times, from half a kilobyte.
LAUGHS = b'<!DOCTYPE l [<!ENTITY l0 "ha">' + b"".join(
    b'<!ENTITY l%d "%s">' % (n, b"&l%d;" % (n - 1) * 10) for n in range(1, 10)) + b"]><l>&l9;</l>"


@pytest.mark.parametrize("content_type, content, status", [
    ("application/pdf", b"%PDF-1.7", 415),
    ("multipart/form-data", b"no boundary", 400),
    ("application/x-www-form-urlencoded", b"amount=lots&creditor=1234567", 400),
    ("application/json", b"{not json", 400),
    ("application/xml", b"<<consent", 400),
    ("application/xml", LAUGHS, 400),
])
def test_fallback_http_unreadable_or_undeclared_bodies_are_refused(bank, content_type, content, status):
    spec = _published("required-headers")
    refused = bank("required-headers").post("/payment-consents", content=content, headers={"Content-Type": content_type})
    assert refused.status_code == status, refused.text
    _signed(refused)
    # a refusal names no resource: a `Location` its shared response declares, unrequired, is left out (it was
    # the example's, pointing at the bank's own host)
    assert "location" not in refused.headers, refused.headers
    _valid(spec, _schema("ErrorResponse"), refused.json())


BOUND = [
    # (media type, request options, what the binding received)
    ("application/json", {"json": {"text": "振込"}}, {"text": "振込"}),
    ("application/jose", {"content": b"eyJhbGciOiJQUzI1NiJ9.eyJ0ZXh0Ijoi5oyv6L68In0.c2ln"},
     "eyJhbGciOiJQUzI1NiJ9.eyJ0ZXh0Ijoi5oyv6L68In0.c2ln"),
    ("application/x-www-form-urlencoded", {"data": {"text": "振込"}}, {"text": "振込"}),
    ("multipart/form-data", {"data": {"text": "振込"}, "files": {"attachment": ("a.bin", b"\x00\x01")}}, {"text": "振込"}),
    ("application/xml", {"content": "<text>振込</text>".encode()}, "<text>振込</text>"),
    ("text/plain", {"content": "振込".encode()}, "振込"),
    ("text/plain; charset=shift_jis", {"content": "振込".encode("shift_jis")}, "振込"),  # decoded in its charset
    ("application/octet-stream", {"content": b"\xff\x00\xfe"}, base64.b64encode(b"\xff\x00\xfe").decode()),
]


@pytest.mark.parametrize("media_type, send, received", BOUND, ids=[m for m, _, _ in BOUND])
def test_fallback_http_a_binding_reads_every_declared_media_type_and_gets_the_required_headers(
        bank, media_type, send, received):
    headers = {"Content-Type": media_type} if "content" in send else {}
    answer = bank("bound-headers").post("/messages", headers=headers, **send)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": received}  # text as text, forms parsed, bytes as base64
    _signed(answer)  # the binding sets no headers; the spec requires these two


@pytest.mark.parametrize("content_type, content", [
    ("text/plain", b""),  # required, and empty
    ("text/plain", "x".encode() * 201),  # past the declared maxLength
    ("application/jose", b"not a jws"),
    ("text/plain", b"\xff\xfe"),  # not UTF-8
    ("application/x-www-form-urlencoded", b"text="),
])
def test_fallback_http_a_bound_operation_refuses_bodies_its_spec_refuses(bank, content_type, content):
    refused = bank("bound-headers").post("/messages", content=content, headers={"Content-Type": content_type})
    assert refused.status_code == 400, refused.text
    assert refused.json()["Code"] == "invalid_request"  # through the binding's own error table
    _signed(refused)


def test_fallback_http_an_undeclared_media_type_is_a_415(bank):
    refused = bank("bound-headers").post("/messages", content=b"%PDF", headers={"Content-Type": "application/pdf"})
    assert refused.status_code == 415, refused.text
    assert refused.json()["Code"] == "unsupported_media_type"  # the table renders it, with the status it carries


# --- declared error shapes ---------------------------------------------------------------------------------

ENVELOPE = ("application/json", "ErrorEnvelope")
REFUSAL = ("application/vnd.declared.error+json", "Refusal")
DECLARED = [
    # (method, path, request options, status, (media type, schema), canonical code expected in the body)
    ("GET", "/accounts/12", {}, 400, ENVELOPE, "invalid_request"),
    ("GET", "/accounts/1234567", {"params": {"limit": "0"}}, 400, ENVELOPE, "invalid_request"),
    ("POST", "/transfers", {"json": {"from": "1234567", "to": "7654321", "amount": 0}}, 400, ENVELOPE, "invalid_request"),
    ("POST", "/transfers", {"content": b"{bad", "headers": {"Content-Type": "application/json"}}, 400, ENVELOPE,
     "invalid_request"),
    ("GET", "/accounts/1234567", {"headers": {"Authorization": "Bearer not-a-token"}}, 401, ENVELOPE, "unauthorized"),
    ("GET", "/accounts/1234567", {"headers": {"Authorization": "Basic c2FuZGJveA=="}}, 401, ENVELOPE, "unauthorized"),
    ("POST", "/transfers", {"content": b"a=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 415,
     REFUSAL, None),
    ("PUT", "/transfers", {}, 405, REFUSAL, None),
    ("GET", "/nowhere", {}, 404, REFUSAL, None),
]


@pytest.mark.parametrize("method, path, send, status, declared, code", DECLARED,
                         ids=[f"{row[3]}-{row[0]}-{row[1]}-{i}" for i, row in enumerate(DECLARED)])
def test_fallback_http_refusals_come_in_the_declared_shape(bank, method, path, send, status, declared, code):
    spec = _published("declared-errors")
    media_type, schema = declared
    refused = bank("declared-errors").request(method, path, **send)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"].split(";")[0] == media_type
    body = refused.json()
    _valid(spec, _schema(schema), body)
    if code is not None:
        assert body["error"]["code"] == code and body["error"]["message"]
    else:  # the integer fields take the status, the reason takes the message
        assert body["status"] == status and body["errorCode"] == status and body["reason"]
    if status == 401:
        assert "bearer" in refused.headers["www-authenticate"].lower()


@pytest.mark.slow
def test_fallback_http_a_client_generated_from_the_spec_reads_its_refusals(live, tmp_path):
    # What the declared shapes are for: openapi-python-client's client parses each refusal into the spec's model.
    out = tmp_path / "client"
    made = subprocess.run([str(Path(sys.executable).parent / "bank-sandbox"), "sdk", "python", "--bank", "declared-errors",
                           "--out", str(out), "--base-url", live.url, "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "SANDBOX_SPECS": str(SPECS)})
    assert made.returncode == 0, made.stdout + made.stderr
    sys.path.insert(0, str(out))
    try:
        client_module = importlib.import_module("declared_errors_client.client")
        get_account = importlib.import_module("declared_errors_client.api.default.get_account")
        models = importlib.import_module("declared_errors_client.models")
    finally:
        sys.path.remove(str(out))
    client = client_module.Client(base_url=f"{live.url}/banks/declared-errors")
    invalid = get_account.sync_detailed(client=client, account_id="12")
    assert invalid.status_code == 400 and isinstance(invalid.parsed, models.ErrorEnvelope)
    assert invalid.parsed.error.code == "invalid_request" and "does not match" in invalid.parsed.error.message
    refused = get_account.sync_detailed(client=client_module.AuthenticatedClient(
        base_url=f"{live.url}/banks/declared-errors", token="not-a-token"), account_id="1234567")
    assert refused.status_code == 401 and refused.parsed.error.code == "unauthorized"
    found = get_account.sync_detailed(client=client, account_id="1234567")
    assert found.status_code == 200 and isinstance(found.parsed, models.Account)


def test_fallback_http_scenario_errors_come_in_the_declared_shape(bank, admin):
    spec = _published("declared-errors")
    rules = [{"match": {"operation": "getAccount"}, "effect": {"type": "error", "code": "insufficient_funds"}},
             {"match": {"operation": "createTransfer"}, "effect": {"type": "maintenance"}}]
    try:
        for rule in rules:
            added = admin.post(f"{V1}/workspaces/default/scenarios", json=rule)
            assert added.status_code in (200, 201), added.text
        funds = bank("declared-errors").get("/accounts/1234567")
        down = bank("declared-errors").post("/transfers", json={"from": "1234567", "to": "7654321", "amount": 5})
    finally:
        assert admin.delete(f"{V1}/workspaces/default/scenarios").status_code == 200
    assert funds.status_code == 422 and funds.headers["content-type"].startswith(REFUSAL[0])
    _valid(spec, _schema("Refusal"), funds.json())
    assert funds.json()["status"] == 422
    assert down.status_code == 503 and down.headers["content-type"].startswith("text/plain")  # the `default` answer
    assert down.text.strip() and not down.text.startswith("{") and down.headers["retry-after"] == "600"
    assert bank("declared-errors").get("/accounts/1234567").status_code == 200  # normal again


def test_fallback_http_answers_are_valid_and_never_5xx(bank):
    spec = _published("declared-errors")
    account = bank("declared-errors").get("/accounts/1234567")
    created = bank("declared-errors").post("/transfers", json={"from": "1234567", "to": "7654321", "amount": 5})
    assert account.status_code == 200 and created.status_code == 201
    _valid(spec, _schema("Account"), account.json())
    assert created.json()["status"] in ("accepted", "executed")


# --- required properties `properties` does not declare (undeclared-required/) -----------------------------------


def test_fallback_http_required_but_undeclared_properties_are_answered(bank):
    spec = _published("undeclared-required")
    forms = bank("undeclared-required").get("/forms", params={"company_id": 1})
    assert forms.status_code == 200, forms.text
    assert all("approver_count" in form for form in forms.json()["forms"])
    payment = bank("undeclared-required").post("/payments", json={})
    assert payment.status_code == 200, payment.text
    assert "verdict" in payment.json()["payment"]["risk"]
    counters = bank("undeclared-required").get("/counters")  # the example kept, the missing key generated
    assert counters.status_code == 200 and counters.json()["open"] == 3
    assert isinstance(counters.json()["total"], int) and counters.json()["total"] >= 1
    for response, path, method in ((forms, "/forms", "get"), (payment, "/payments", "post"), (counters, "/counters", "get")):
        _valid(spec, spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"], response.json())


def test_fallback_http_an_example_lacking_a_required_key_is_completed_at_load():
    warnings = [w for w in load_bank(SPECS / "undeclared-required").warnings if "declares no security" not in w]
    assert len(warnings) == 1 and "'total' is a required property; completed" in warnings[0], warnings


# --- error bodies filled with the refusal's meaning (error-vocabularies/) ----------------------------------------

PLACEHOLDERS = ("sample", "ｻﾝﾌﾟﾙ")


def test_fallback_http_error_kind_and_status_come_from_the_refusal(bank):
    refused = bank("error-vocabularies").post("/orders", json={})
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["kind"] == "invalid_request_error" and error["code"] == "invalid_request"
    assert error["status"] == 400 and "amount" in error["message"]
    # Optional extras that carry nothing of the error are left out; required ones are still there; the field
    # naming what was refused is there when the refusal names one (Stripe's `param`).
    assert not {"help_url", "related_order"} & set(error) and error["request_id"]
    assert error["param"] == "amount", error


def test_fallback_http_error_lists_take_the_closest_code_and_the_message(bank):
    refused = bank("error-vocabularies").get("/orders/o-1")  # the required X-Request-ID is missing
    assert refused.status_code == 400, refused.text
    body = refused.json()
    assert "links" not in body
    notice = body["notices"][0]
    assert notice["category"] == "ERROR" and notice["code"] == "PAYLOAD_FORMAT_ERROR"
    assert "X-Request-ID" in notice["text"]


def test_fallback_http_plural_messages_and_integer_status(bank):
    refused = bank("error-vocabularies").put("/records/2026-01-05", json={"company_id": "abc"})
    assert refused.status_code == 400, refused.text
    body = refused.json()
    assert body["status_code"] == 400
    entry = body["errors"][0]
    assert entry["type"] == "invalid_request" and len(entry["messages"]) == 1 and "company_id" in entry["messages"][0]
    assert not any(word in json.dumps(body, ensure_ascii=False) for word in PLACEHOLDERS)


def test_fallback_http_prefer_code_fills_the_error_of_that_status(bank):
    asked = bank("error-vocabularies").post("/orders", json={"amount": 5}, headers={"Prefer": "code=400"})
    assert asked.status_code == 400 and asked.headers["preference-applied"] == "code=400"
    error = asked.json()["error"]
    assert error["status"] == 400 and error["kind"] == "invalid_request_error" and "Prefer: code=400" in error["message"]


# --- Prefer for what the operation does not document ------------------------------------------------------------


def test_fallback_http_prefer_an_undocumented_error_status_is_answered_in_the_spec_shape(bank):
    spec = _published("error-vocabularies")
    # putRecord documents 200 and 400: a 503 comes in the spec's `default` error shape (createOrder's).
    asked = bank("error-vocabularies").put("/records/2026-01-05", json={"company_id": 1}, headers={"Prefer": "code=503"})
    assert asked.status_code == 503 and asked.headers["preference-applied"] == "code=503"
    _valid(spec, _schema("Envelope"), asked.json())
    assert asked.json()["error"]["status"] == 503 and "does not document" in asked.json()["error"]["message"]
    # A spec that declares no error shape at all: RFC 7807.
    plain = bank("undeclared-required").get("/counters", headers={"Prefer": "code=500"})
    assert plain.status_code == 500 and plain.headers["content-type"].startswith("application/problem+json")
    assert plain.json()["status"] == 500 and "Prefer: code=500" in plain.json()["detail"]


def test_fallback_http_prefer_an_undocumented_success_or_example_is_refused(bank):
    success = bank("error-vocabularies").put("/records/2026-01-05", json={"company_id": 1}, headers={"Prefer": "code=201"})
    assert success.status_code == 400 and "preference-applied" not in success.headers
    assert "documents 200, 400" in success.json()["errors"][0]["messages"][0]
    example = bank("undeclared-required").get("/counters", headers={"Prefer": "example=busy"})
    assert example.status_code == 400 and "example=busy" in example.json()["detail"]


def test_an_answer_no_value_can_fit_is_named_in_the_log(tmp_path, caplog):
    """A spec that requires a property its own schema forbids: no answer can fit, response validation
    answers 500, and the log says which call and what of the answer the spec refuses."""
    folder = tmp_path / "specs" / "contradiction"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text("""
openapi: 3.0.3
info: {title: A contradiction, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: Things
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [count, total]
                properties:
                  count: {type: integer}
""", encoding="utf-8")
    with live_server.running(tmp_path / "data", specs=(tmp_path / "specs",)) as server, caplog.at_level("WARNING"):
        answer = httpx.get(f"{server.url}/banks/contradiction/things", timeout=30)
    assert answer.status_code == 500
    logged = [r.getMessage() for r in caplog.records if "/banks/contradiction/things" in r.getMessage()]
    assert logged and "total" in logged[0], [r.getMessage() for r in caplog.records]


def test_fallback_http_a_declared_framing_header_is_never_sent(bank):
    """PolishAPI declares `Content-Encoding` on its answers: a plain JSON body said `gzip` (or `sample`), and
    clients failed to decode it."""
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
    response = {"description": "ok", "headers": {
        "Content-Encoding": {"schema": {"type": "string", "example": "gzip"}},
        "Content-Length": {"required": True, "schema": {"type": "integer", "example": 12}},
        "Transfer-Encoding": {"schema": {"type": "string", "example": "chunked"}},
        "X-JWS-SIGNATURE": {"schema": {"type": "string"}}}}
    out = {name.lower() for name in declared(spec, response, {"headers": {}}, {"a": 1})}
    assert out == {"x-jws-signature"}
    answer = bank("paged-by-flag").get("/statements")
    assert answer.status_code == 200 and "content-encoding" not in answer.headers, answer.headers


def test_fallback_http_a_page_drawn_from_an_example_is_the_last(bank):
    """GMO Aozora's `hasNext: true` with a `nextItemKey`, PolishAPI's `pageInfo.nextPage`: drawn from the
    example, every page said another followed, and a client paging `while hasNext` never stopped."""
    body = bank("paged-by-flag").get("/statements").json()
    assert body["hasNext"] is False and "nextItemKey" not in body, body
    assert "nextPage" not in body.get("pageInfo", {}), body


@pytest.mark.parametrize("page", [1, 3, 2 ** 62])
def test_fallback_http_page_counters_say_the_page_asked_for_is_the_last(bank, page):
    """Xero's bank feeds drew `pageCount: 210` with 3 items a page: a client looping `while page < pageCount`
    made 210 calls."""
    answer = bank("paged-by-flag").get("/feeds", params={"page": page, "pageSize": 10})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    counters = body["pagination"]
    if page > 2 ** 60:  # a count past 64 bits stays as drawn (it cannot be written as an integer)
        return
    assert counters["page"] == counters["pageCount"] == page, counters
    assert counters["pageSize"] == 10 and counters["itemCount"] == len(body["items"]) + (page - 1) * 10, body


@pytest.mark.parametrize("given, status", [("gzip", 200), ("gzip, deflate", 200), ("deflate, gzip, br, zstd", 200),
                                           ("br;q=1.0, gzip;q=0.8", 200), ("br", 400), ("br, zstd", 400)])
def test_fallback_http_a_negotiated_header_is_a_list_of_choices(bank, given, status):
    """PolishAPI declares `Accept-Encoding` with an enum: the usual list (`gzip, deflate`) was refused 400."""
    answer = bank("required-headers").get("/products", headers={"x-v": "1", "Accept-Encoding": given})
    assert answer.status_code == status, answer.text


def test_fallback_http_a_next_page_cursor_in_a_header_is_empty_or_absent(bank):
    """Modern Treasury's SDK pages on an `X-After-Cursor` header: a drawn one sent it round forever."""
    answer = bank("paged-by-flag").get("/feeds")
    assert "x-after-cursor" not in answer.headers
    assert answer.headers["x-next-page-token"] == ""  # required by the spec: present, and no page after


def test_fallback_http_a_named_error_carries_its_name_and_the_requests_debug_id(bank):
    """PayPal's clients branch on an error's `name` and quote its `debug_id` to support: both were empty."""
    refused = bank("named-errors").post("/v2/orders", json={}, headers={"x-request-id": "req-7f3a"})
    assert refused.status_code == 400, refused.text
    assert refused.json()["name"] == "INVALID_REQUEST" and refused.json()["debug_id"] == "req-7f3a", refused.text
    missing = bank("named-errors").get("/v2/orders/O1", headers={"Prefer": "code=404"})
    assert missing.status_code == 404 and missing.json()["name"] == "RESOURCE_NOT_FOUND", missing.text
    assert missing.json()["debug_id"]  # the request's own interaction id, also without one sent


def test_fallback_http_a_simulation_under_a_prefix_answers_about_the_resource_it_acts_on(bank):
    """Increase's `POST /simulations/ach_transfers/{id}/settle` (its SDK sends an idempotency key) answered
    another transfer: the read is `GET /ach_transfers/{id}`, a suffix of the action's path."""
    for headers in ({}, {"Idempotency-Key": "k-1"}):
        settled = bank("simulated-actions").post("/simulations/transfers/transfer_zz999/settle", headers=headers)
        assert settled.status_code == 200 and settled.json()["id"] == "transfer_zz999", settled.text


def test_fallback_http_an_id_of_several_words_keeps_its_prefix_under_a_new_key(bank):
    """`account_number_v18n...` was redrawn as `account_xxxjjd_...`, an account's id by its prefix."""
    made = [bank("simulated-actions").post("/account_numbers", json={"name": "a"}, headers={"Idempotency-Key": key})
            for key in ("k-1", "k-2")]
    ids = [answer.json()["id"] for answer in made]
    assert all(value.startswith("account_number_") for value in ids) and ids[0] != ids[1], ids


def test_fallback_http_an_optional_debug_id_is_in_every_refusal(bank):
    """PayPal's `debug_id` is optional in its error schemas: the lean draw left it out of every refusal."""
    refused = bank("simulated-actions").post("/orders", json={"intent": "X"}, headers={"x-request-id": "req-9"})
    assert refused.status_code == 400 and refused.json().get("debug_id") == "req-9", refused.text


def test_fallback_http_a_status_no_error_shape_takes_gets_the_shape_of_its_class(bank):
    """Increase declares no 503 shape: a maintenance refusal said `api_method_not_found_error`, status 404."""
    refused = bank("simulated-actions").post("/simulations/transfers/t1/settle", headers={"Prefer": "code=503"})
    assert refused.status_code == 503 and refused.json()["type"] == "internal_server_error", refused.text


def test_fallback_http_a_created_id_is_one_its_read_takes(bank):
    """PayPal's order create documents 200 (a replay) and 201: answered 200 with a lower-case drawn id, which
    every read, capture and patch of the order (`^[A-Z0-9]+$`) then refused. Under idempotency keys too."""
    for key in (None, "k-1", "k-2"):
        made = bank("named-errors").post("/v2/orders", json={"intent": "CAPTURE"},
                                         headers={"Idempotency-Key": key} if key else {})
        assert made.status_code == 201 and made.json()["status"] == "CREATED", made.text
        assert re.fullmatch(r"[A-Z0-9]+", made.json()["id"]), made.text
        read = bank("named-errors").get(f"/v2/orders/{made.json()['id']}")
        assert read.status_code == 200 and read.json()["id"] == made.json()["id"], (made.text, read.text)


def test_fallback_http_a_created_id_drawn_from_its_pattern_is_as_long_as_an_id(bank):
    """PayPal's orders (`^[A-Z0-9]+$`, no example) were made with ids of two characters (`Q8`, `TF`), one of
    1,296: each is at least six characters long, and those made apart."""
    ids = [bank("named-errors").post("/v2/orders", json={"intent": "CAPTURE"}).json()["id"] for _ in range(12)]
    assert all(re.fullmatch(r"[A-Z0-9]{6,36}", value) for value in ids) and len(set(ids)) == len(ids), ids


def test_fallback_http_a_base_schema_is_drawn_as_the_subtype_its_discriminator_maps(bank):
    """Unit's `Account` maps `depositAccount` to `DepositAccount` (the base and its `attributes`): drawn as the
    base alone, every account lacked `attributes`, and the SDK reading them failed on every call."""
    answer = bank("discriminated-subtypes").get("/accounts/a-1")
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert data["type"] == "depositAccount" and set(data["attributes"]) >= {"name", "balance"}, data
    assert data["id"] == "a-1"



def test_fallback_http_the_ends_of_a_range_documented_apart_are_drawn_in_order(bank):
    """Brex's statement `period` describes `start_date` and `end_date` each in words of its own: read as fields of
    two kinds, their drawn days were left as they came, and statements ended before they started."""
    for ledger in range(8):
        answer = bank("documented-range-ends").get(f"/ledgers/l-{ledger}/periods")
        assert answer.status_code == 200, answer.text
        for item in answer.json()["items"]:
            assert item["period"]["start_date"] <= item["period"]["end_date"], item


def test_fallback_http_a_discriminator_mapping_in_another_file_names_its_subtypes(bank):
    """Unit's spec is split over files, and its mappings are relative to the file they stand in: read from
    the root they named nothing, and every account, card and customer lacked its `attributes`."""
    answer = bank("discriminated-split").get("/cards/c-1")
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert data["type"] == "individualDebitCard" and "last4Digits" in data["attributes"], data


def test_fallback_http_an_idempotency_key_reused_with_another_request_is_refused(bank):
    """Stripe, Square and Increase refuse a key sent again with other parameters: the sandbox answered each
    request on its own, so a connector retrying with a changed body under the old key never learnt it."""
    numbers = bank("simulated-actions")
    first = numbers.post("/account_numbers", json={"name": "savings"}, headers={"Idempotency-Key": "reuse-1"})
    again = numbers.post("/account_numbers", json={"name": "savings"}, headers={"Idempotency-Key": "reuse-1"})
    assert first.status_code == again.status_code == 200 and first.json() == again.json(), (first.text, again.text)
    changed = numbers.post("/account_numbers", json={"name": "other"}, headers={"Idempotency-Key": "reuse-1"})
    assert changed.status_code == 400, changed.text  # no 409, 422 or 400 documented: 400, as Stripe answers it
    fresh = numbers.post("/account_numbers", json={"name": "other"}, headers={"Idempotency-Key": "reuse-2"})
    assert fresh.status_code == 200 and fresh.json()["id"] != first.json()["id"], fresh.text
    # The key is held per operation, and a request id only tells requests apart.
    settled = numbers.post("/simulations/transfers/t-7/settle", headers={"Idempotency-Key": "reuse-1"})
    assert settled.status_code == 200, settled.text
    huge = {"name": "x", "note": 2 ** 70}  # past 64 bits: the record of the key must still be written
    assert [numbers.post("/account_numbers", json=huge, headers={"Idempotency-Key": "reuse-3"}).status_code
            for _ in range(2)] == [200, 200]
    for name in ("t-8", "t-9"):
        told = numbers.post(f"/simulations/transfers/{name}/settle", headers={"X-Request-ID": "same-request-id"})
        assert told.status_code == 200, told.text


def test_fallback_http_a_reused_key_is_refused_in_the_status_the_operation_documents(bank):
    """An operation documenting no 409 but its 400 (PayPal's, Square's) gets the refusal in that shape."""
    orders = bank("named-errors")
    made = orders.post("/v2/orders", json={"intent": "CAPTURE"}, headers={"Idempotency-Key": "order-reuse"})
    assert made.status_code == 201, made.text
    changed = orders.post("/v2/orders", json={"intent": "AUTHORIZE"}, headers={"Idempotency-Key": "order-reuse"})
    assert changed.status_code == 400, changed.text
    assert changed.json()["name"] and "order-reuse" in changed.json()["message"], changed.text
    assert "different request" in changed.json()["message"], changed.text


@pytest.mark.parametrize("method, path, headers, status, body", [
    ("POST", "/sessions/close", {}, 200, {}),
    ("POST", "/pings", {"Accept": "application/json"}, 202, {}),
    ("POST", "/pings", {"Accept": "text/plain"}, 202, None),  # no JSON accepted: nothing sent
    ("DELETE", "/things/t-1", {}, 200, None),  # a delete answers nothing
    ("GET", "/reports/r-1", {}, 200, None),  # the operation answers XML only
])
def test_fallback_http_a_success_documented_without_content_is_an_empty_json_object(bank, method, path, headers,
                                                                                     status, body):
    """Currencycloud's `close_session` documents its 200 without content; its server answers JSON and its SDK
    reads every answer as JSON: the empty answer broke the SDK's logout."""
    answer = bank("bodiless-successes").request(method, path, headers=headers)
    assert answer.status_code == status, answer.text
    if body is None:
        assert answer.content == b"", answer.text
    else:
        assert answer.json() == body and answer.headers["content-type"].startswith("application/json"), answer.headers


@pytest.mark.parametrize("method, path", [("POST", "/sessions"), ("DELETE", "/keys/k-1")])
def test_fallback_http_a_204_documented_with_content_is_sent_without_a_body(bank, method, path):
    """Marqeta's login and Codat's key delete document content for a 204: the answer, rightly sent without a
    body, was held to that content's schema, and every call answered 500."""
    answer = bank("no-content-with-schema").request(method, path)
    assert answer.status_code == 204 and answer.content == b"", (answer.status_code, answer.text)


def test_fallback_http_an_answer_to_overlapping_alternatives_is_served_not_a_500(bank):
    """NextGenPSD2's four SCA updates answer a `oneOf` of open objects that all require `scaStatus`: every
    answer fits several, and every call answered 500."""
    answer = bank("overlapping-answers").put("/consents/c-1/authorisations/a-1", json={"psuData": {"password": "x"}})
    assert answer.status_code == 200 and answer.json()["scaStatus"] in ("psuAuthenticated", "scaMethodSelected"), answer.text


def test_fallback_http_an_error_shape_without_a_message_field_says_what_was_wrong_in_its_code(bank):
    """Codat's errors have no message field, only a free-text `error`: every refusal read `invalid_request`."""
    refused = bank("terse-errors").post("/companies", json={})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"].startswith("invalid_request: ") and "name" in refused.json()["error"], refused.text


def test_fallback_http_a_list_of_errors_carries_the_requests_id_in_the_form_its_pattern_takes(bank):
    """Belvo's errors are a list, each with the request's id as 32 hex digits: every one showed the example's."""
    sent = "0f8fad5b-d9cb-469f-a165-70867728950e"
    refused = bank("terse-errors").post("/links", json={}, headers={"X-Request-ID": sent})
    assert refused.status_code == 400, refused.text
    assert refused.json()[0]["request_id"] == sent.replace("-", ""), refused.text


def test_fallback_http_a_list_asked_for_between_two_dates_is_dated_within_them(bank):
    """NextGenPSD2's `dateFrom`/`dateTo` (Brazil's `fromBookingDate`): the transactions of November were
    answered dated 2017, and a client checking that nothing falls outside its window failed."""
    asked = bank("dated-lists").get("/v1/accounts/a-1/transactions", params={"dateFrom": "2026-11-01", "dateTo": "2026-11-30"})
    assert asked.status_code == 200, asked.text
    items = [*asked.json()["transactions"]["booked"], *asked.json()["transactions"]["pending"]]
    dates = [value for item in items for key, value in item.items() if key.endswith(("Date", "DateTime"))]
    assert dates and all("2026-11-01" <= value[:10] <= "2026-11-30" for value in dates), items
    assert items[2]["entryDateTime"].endswith("T09:30:00+01:00"), items  # a moment keeps its time and zone
    unbounded = bank("dated-lists").get("/v1/accounts/a-1/transactions").json()["transactions"]["booked"]
    assert unbounded[0]["bookingDate"] == "2017-10-25"  # no window asked for: the example as written


def test_fallback_http_an_error_declared_without_content_takes_the_json_shape_declared_elsewhere(bank):
    """Paystack's transfers declare their errors as `default: {description: Server error}`: a 400 came with no
    body, and its SDK's exception said nothing; its other operations declare a JSON error shape."""
    refused = bank("terse-errors").post("/transfers", json={})
    assert refused.status_code == 400 and "amount" in refused.json()["error"], refused.text


def test_fallback_http_interaction_ids_tell_writes_apart_and_come_back_on_refusals(bank):
    """Brazil's consents: two POSTs under two interaction ids were one consent, and a refusal (its spec declares
    the header on successes only, but says every answer carries it) came back without it."""
    made = [bank("interaction-ids").post("/consents", json={"permissions": ["ACCOUNTS_READ"]},
                                         headers={"x-fapi-interaction-id": name}) for name in ("i-1", "i-2")]
    assert [answer.headers["x-fapi-interaction-id"] for answer in made] == ["i-1", "i-2"]
    assert made[0].json()["consentId"] != made[1].json()["consentId"], [answer.text for answer in made]
    refused = bank("interaction-ids").get("/accounts", params={"page": 0}, headers={"x-fapi-interaction-id": "i-3"})
    assert refused.status_code == 400 and refused.headers["x-fapi-interaction-id"] == "i-3", refused.headers


def test_fallback_http_a_json_api_list_relates_to_what_its_path_names_and_its_sums_are_numbers(bank):
    """Up's transactions of `/accounts/{accountId}/transactions` related to another account, and each
    amount's `value` was "sample"."""
    listed = bank("json-api-lists").get("/accounts/acc-123/transactions")
    assert listed.status_code == 200, listed.text
    for item in listed.json()["data"]:
        assert item["relationships"]["account"]["data"]["id"] == "acc-123", item
        money = item["attributes"]["amount"]
        assert float(money["value"]) > 0 and money["valueInBaseUnits"] == round(float(money["value"]) * (
            1 if money["currencyCode"] == "JPY" else 100)), money


def test_fallback_http_an_idempotency_key_that_is_no_key_is_refused_as_bad_input(bank):
    """A key of more than 255 characters is refused as the core refuses it: a 400 naming it, not the 422 the
    operation documents for a conflict."""
    refused = bank("hal-payments").post("/payments", json={"amount": 5}, headers={"Idempotency-Key": "k" * 300})
    assert refused.status_code == 400 and "idempotency key" in refused.text, refused.text


# --- an error's list of codes (code-list-errors/) ----------------------------------------------------------------


def test_fallback_http_a_list_of_error_codes_says_what_was_wrong(bank):
    refused = bank("code-list-errors").post("/payments", json={})
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["error_type"] == "invalid_request"
    assert len(body["error_codes"]) == 1 and "amount" in body["error_codes"][0], body
