"""Creations whose read takes a constrained id with an example (tests/published_specs/example-shaped-read-ids/).

Xendit's customers are read at `/customers/{id}`, `id` a `format: uuid` with an example, and answered with a
free-text `id`: the id made readable was drawn from the read's schema, which gave its example each time, so
every customer made had the example's id and each creation overwrote the one before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "example-shaped-read-ids",)}
EXAMPLE = "0b6a3c1e-2f4d-4e5a-9b7c-1d2e3f4a5b6c"


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "example-shaped-read-ids", self_use_token(live.url, admin))


def test_two_creations_get_two_readable_ids_and_both_read_back(client):
    first = client.post("/members", json={"handle": "ada"})
    second = client.post("/members", json={"handle": "bob"})
    assert first.status_code == 200 and second.status_code == 200, (first.text, second.text)
    one, two = first.json()["id"], second.json()["id"]
    assert one != two and EXAMPLE not in (one, two), (one, two)
    for made, handle in ((one, "ada"), (two, "bob")):
        read = client.get(f"/members/{made}")
        assert read.status_code == 200, read.text
        assert read.json()["handle"] == handle, read.text
