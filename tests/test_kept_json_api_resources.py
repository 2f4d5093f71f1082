"""A JSON:API bank (tests/published_specs/json-api-resources/, after the banking-as-a-service APIs that answer
`{data: {type, id, attributes, relationships}, included: [...]}`): an account opened is the one read back and
listed, with what was sent, in its first state. Its read side-loads related resources in `included`; that list
was taken for a page of another kind, and the read answered a drawn account."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.roles import address

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "json-api-resources",
))}
JSON_API = {"Content-Type": "application/vnd.api+json"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "json-api-resources")


def _open(client, tag: str) -> dict:
    made = client.post("/accounts", headers=JSON_API, json={"data": {
        "type": "depositAccount", "attributes": {"depositProduct": "checking", "tags": {"purpose": tag}},
        "relationships": {"customer": {"data": {"type": "customer", "id": "100"}}}}})
    assert made.status_code == 201, made.text
    return made.json()["data"]


def test_an_account_opened_is_the_one_read_back(client):
    made = _open(client, "rent")
    read = client.get(f"/accounts/{made['id']}")
    assert read.status_code == 200, read.text
    data = read.json()["data"]
    assert data["id"] == made["id"] and data["attributes"] == made["attributes"], (made, data)
    assert data["attributes"]["tags"] == {"purpose": "rent"} and data["attributes"]["depositProduct"] == "checking"
    assert data["relationships"]["customer"]["data"]["id"] == "100", data


def test_a_read_that_side_loads_related_resources_is_a_read(live):
    api = next(api for api in live.app.sandbox.apis if api.slug == "json-api-resources")
    found = address(api, "getAccount")
    assert found is not None and found.role == "read" and found.kind == "/accounts/{accountId}", found


def test_accounts_opened_are_listed(client):
    made = [_open(client, f"list-{n}")["id"] for n in range(2)]
    listed = client.get("/accounts", params={"page[limit]": 100})
    assert listed.status_code == 200, listed.text
    assert set(made) <= {item["id"] for item in listed.json()["data"]}, listed.text
    # (its count is of its `data`, not of the resources it side-loads beside them: it was drawn)
    assert listed.json()["meta"]["pagination"]["total"] == len(listed.json()["data"]), listed.json()["meta"]


def test_a_payment_of_a_subtype_its_closed_base_maps_answers_what_was_sent(client, live):
    """`Payment` says `additionalProperties: false` over its type and id while its subtypes add attributes: every
    payment was refused by it, and answered `{}`."""
    made = client.post("/payments", headers=JSON_API, json={"data": {
        "type": "bookPayment", "attributes": {"amount": 1234, "description": "rent"}}})
    assert made.status_code == 201, made.text
    data = made.json()["data"]
    assert data["type"] == "bookPayment" and data["attributes"]["amount"] == 1234, data
    assert data["attributes"]["description"] == "rent", data
    assert client.get(f"/payments/{data['id']}").json()["data"] == data
    api = next(api for api in live.app.sandbox.apis if api.slug == "json-api-resources")
    assert any("Payment: additionalProperties: false, but the subtypes its discriminator maps add attributes" in w
               for w in api.warnings), api.warnings


def test_a_refusal_is_a_json_api_error_document(client):
    """The spec writes its errors as the bare list of error objects; JSON:API's document holds them as `errors`,
    which the SDKs read (answered a bare list, each refusal raised a TypeError in the client)."""
    refused = client.post("/accounts", headers=JSON_API, json={"data": {"type": "depositAccount", "attributes": {}}})
    assert refused.status_code == 400, refused.text
    errors = refused.json()["errors"]
    assert errors and errors[0]["status"] == "400" and errors[0]["detail"], errors


def test_an_account_opened_is_in_its_first_state_without_the_reason_of_another(client):
    """A JSON:API resource's state is in its `attributes`: the account was opened `Frozen` or `Closed` as drawn, and
    then `Open` with a drawn `closeReason`."""
    for n in range(3):
        attributes = _open(client, f"state-{n}")["attributes"]
        assert attributes["status"] == "Open" and "closeReason" not in attributes, attributes


def test_a_body_refused_by_a_choice_of_shapes_is_told_what_is_wrong_in_the_shape_it_meant(client):
    """A book payment sent with a field only other kinds take was refused as "not valid under any of the given
    schemas", which named neither the field nor the shape."""
    refused = client.post("/payments", headers=JSON_API, json={"data": {
        "type": "bookPayment", "attributes": {"amount": 5, "description": "rent", "direction": "Credit"}}})
    assert refused.status_code == 400, refused.text
    detail = refused.json()["errors"][0]["detail"]
    assert "'direction' was unexpected" in detail and "data.attributes" in detail, detail


def test_a_body_naming_no_shape_of_the_choice_is_refused_as_fitting_none(client):
    """Where no alternative's fixed values match (a kind of payment the API does not take), none is the one meant:
    the refusal says the body fits none of them."""
    refused = client.post("/payments", headers=JSON_API, json={"data": {
        "type": "wirePayment", "attributes": {"amount": 5, "description": "rent"}}})
    assert refused.status_code == 400, refused.text
    assert "is not valid under any of the given schemas" in refused.json()["errors"][0]["detail"], refused.text
