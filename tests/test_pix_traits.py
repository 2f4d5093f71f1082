"""Traits of Brazil's Pix API (the central bank's spec, driven through Efí's official SDK), each in a spec written
here: a pattern written between slashes as a JavaScript literal (`/^\\d{11}$/`) refused every request holding the
field and answered 500 for every answer holding it (tests/published_specs/delimited-patterns/); an `allOf` whose
members both declare one property was drawn from the last member alone, without what the first required (500);
a kind made both by `PUT /charges/{ref}` (201) and `POST /charges` lost every charge the PUT made
(tests/published_specs/put-made-beside-post/); a client-credentials request posted as JSON, as Efí's SDK posts
it, was refused `unsupported_grant_type`."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest

from live_server import bank_client

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "delimited-patterns", "one-parameter-path", "put-made-beside-post",
))}


@pytest.fixture(scope="module")
def bills(live):
    yield from bank_client(live, "delimited-patterns")


@pytest.fixture(scope="module")
def charges(live):
    yield from bank_client(live, "put-made-beside-post")


def test_a_slash_delimited_pattern_takes_the_values_it_describes(bills):
    made = bills.post("/bills", json={"code": "ABC-1234", "schedule": {"dueOn": "2030-01-31", "madeOn": "2030-01-01"},
                                      "payer": {"name": "Ana", "taxNumber": "12345678909"}})
    assert made.status_code == 201, made.text
    assert bills.get("/bills", params={"taxNumber": "12345678909"}).status_code == 200
    refused = bills.get("/bills", params={"taxNumber": "1234"})
    assert refused.status_code == 400, refused.text


def test_answers_holding_a_slash_delimited_pattern_and_a_property_of_two_members_fit(bills):
    for path in ("/bills/XYZ-0001", "/bills"):
        answer = bills.get(path)
        assert answer.status_code == 200, answer.text
    bill = bills.get("/bills/XYZ-0001").json()
    assert {"dueOn", "madeOn"} <= set(bill["schedule"]), bill


def test_a_charge_made_by_put_is_read_changed_and_listed_beside_one_made_by_post(charges):
    ref = "a" * 30
    made = charges.put(f"/charges/{ref}", json={"amount": "12.34", "note": "first"})
    assert made.status_code == 201 and made.json()["ref"] == ref, made.text
    read = charges.get(f"/charges/{ref}").json()
    assert (read["ref"], read["amount"], read["note"]) == (ref, "12.34", "first"), read
    changed = charges.patch(f"/charges/{ref}", json={"note": "second"})
    assert changed.status_code == 200, changed.text
    read = charges.get(f"/charges/{ref}").json()
    assert (read["amount"], read["note"]) == ("12.34", "second"), read
    posted = charges.post("/charges", json={"amount": "1.00"}).json()
    listed = [c["ref"] for c in charges.get("/charges").json()["charges"]]
    assert ref in listed and posted["ref"] in listed, listed


def test_a_token_request_posted_as_json_gets_a_token(live, admin):
    connector = admin.post("/sandbox/v1/connectors", json={"workspace": "default", "name": "json-token",
                                                           "class": "self-use", "customer_id": _corporate(admin)}).json()
    answer = httpx.post(f"{live.url}/oauth/token", json={"grant_type": "client_credentials"},
                        auth=(connector["client_id"], connector["client_secret"]))
    assert answer.status_code == 200 and answer.json()["access_token"], answer.text
    wrong = httpx.post(f"{live.url}/oauth/token", json={"grant_type": "client_credentials"},
                       auth=(connector["client_id"], "not-the-secret"))
    assert wrong.status_code == 401, wrong.text
    for odd in ({"grant_type": {"nested": "object"}}, ["grant_type", "client_credentials"]):  # no form in it
        refused = httpx.post(f"{live.url}/oauth/token", json=odd, auth=(connector["client_id"], connector["client_secret"]))
        assert refused.status_code == 400 and refused.json()["error"] in ("unsupported_grant_type", "invalid_request"), \
            refused.text


def _corporate(admin) -> str:
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    return next(a["customer_id"] for a in accounts if a["customer_kind"] == "corporate")


def test_the_mounts_spec_is_served_beside_a_path_of_one_parameter(live):
    """`GET <mount>/openapi.json` was answered by `GET /{accessToken}` (a payload): no tester or generator could
    read the spec (tests/published_specs/one-parameter-path/)."""
    base = f"{live.url}/banks/one-parameter-path"
    spec = httpx.get(f"{base}/openapi.json", timeout=30)
    assert spec.status_code == 200 and spec.json()["openapi"].startswith("3.0"), spec.text[:200]
    assert "/{accessToken}" in spec.json()["paths"]
    payload = httpx.get(f"{base}/loc-123", timeout=30)
    assert payload.status_code == 200 and payload.headers["content-type"].startswith("application/jose"), payload.text
    # a compact JWS (RFC 7515's `application/jose`) of the payload: it was sent as a JSON object
    header, body, signature = payload.text.split(".")
    assert json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["amount"] == "100.00"
