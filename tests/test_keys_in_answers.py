"""A resource whose schema holds the idempotency key it was made under (tests/published_specs/keys-in-answers/:
`idempotency_key`, as Stainless-made specs write it) answers the key its creation's `Idempotency-Key` header
sent, and keeps it: it was answered null (the example's), so a client's list filtered by its key found nothing
and one that reconciles on the key it chose could not."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "keys-in-answers",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "keys-in-answers")


def test_the_key_a_creation_was_sent_under_is_answered_kept_and_filtered_by(client):
    made = client.post("/remittances", json={"amount": 250, "memo": "Rent"}, headers={"Idempotency-Key": "rent-2026-12"})
    assert made.status_code == 200, made.text
    assert made.json()["idempotency_key"] == "rent-2026-12"
    other = client.post("/remittances", json={"amount": 90, "memo": "Fees"}, headers={"Idempotency-Key": "fees-2026-12"}).json()
    assert other["idempotency_key"] == "fees-2026-12" and other["id"] != made.json()["id"]
    assert client.get(f"/remittances/{made.json()['id']}").json()["idempotency_key"] == "rent-2026-12"
    listed = client.get("/remittances", params={"idempotency_key": "rent-2026-12"}).json()["data"]
    assert [item["id"] for item in listed] == [made.json()["id"]]


def test_a_creation_sent_without_a_key_answers_none(client):
    plain = client.post("/remittances", json={"amount": 5, "memo": "no key"})
    assert plain.status_code == 200, plain.text
    assert plain.json()["idempotency_key"] is None


def test_a_key_reused_with_another_request_is_refused_in_the_shape_the_error_choice_keeps_for_it(client):
    """The creation documents only a `default` error, a choice of shapes each with its own status: a reused key
    was refused 400 `malformed_request_error`; the shape for it says 409 `idempotency_key_already_used_error`."""
    assert client.post("/remittances", json={"amount": 7}, headers={"Idempotency-Key": "twice"}).status_code == 200
    again = client.post("/remittances", json={"amount": 8}, headers={"Idempotency-Key": "twice"})
    assert again.status_code == 409, again.text
    assert again.json()["type"] == "idempotency_key_already_used_error" and again.json()["status"] == 409
