"""Ids a spec's examples show masked (tests/published_specs/masked-example-ids/): `k_**********`, as
fincode's reference writes every id. A masking character is drawn again like a letter or digit, so two
creations get two ids. Every creation had answered the example's one id, and the workspace kept all of
them as one resource: five customers made, one listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "masked-example-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "masked-example-ids")


def test_each_creation_gets_an_id_of_its_own_in_the_examples_shape(client):
    ids = []
    for name in ("rex", "fido", "spot"):
        made = client.post("/v1/kennels", json={"name": name})
        assert made.status_code == 200, made.text
        ids.append(made.json()["id"])
    assert len(set(ids)) == 3, ids
    assert all(i.startswith("k_") and len(i) == len("k_**********") and "*" not in i for i in ids), ids
    for kennel_id, name in zip(ids, ("rex", "fido", "spot")):
        assert client.get(f"/v1/kennels/{kennel_id}").json()["name"] == name
    listed = client.get("/v1/kennels").json()["list"]
    assert [k["name"] for k in listed] == ["rex", "fido", "spot"]


def test_the_same_key_still_answers_the_same_id(client):
    headers = {"Idempotency-Key": "masked-1"}
    first = client.post("/v1/kennels", json={"name": "a"}, headers=headers).json()["id"]
    again = client.post("/v1/kennels", json={"name": "a"}, headers=headers).json()["id"]
    other = client.post("/v1/kennels", json={"name": "a"}, headers={"Idempotency-Key": "masked-2"}).json()["id"]
    assert first == again and other != first
