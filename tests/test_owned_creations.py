"""A creation under an owner's path (Codat's `POST /companies/{c}/connections/{id}/.../bankFeedAccounts`) is
not read by its owner's read (`GET /companies/{c}/connections/{id}`): its id was redrawn from the owner's
parameter, overwriting the id the client sent with the owner's example (tests/published_specs/owned-creations/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "owned-creations",)}
OWNER = "11111111-2222-4333-8444-555555555555"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "owned-creations")


def test_a_creation_keeps_the_id_its_client_sent(client):
    made = client.post(f"/owners/{OWNER}/things", json={"id": "thing-42", "name": "x"})
    assert made.status_code == 200 and made.json()["id"] == "thing-42", made.text


def test_a_creation_is_not_given_its_owners_id(client):
    made = [client.post(f"/owners/{OWNER}/things", json={"name": name}).json()["id"] for name in ("a", "b")]
    assert "2e9d2c44-f675-40ba-8049-353bfcb5e171" not in made and OWNER not in made, made
