"""A list filtered by a field leaves out the kept resources holding no value for it
(tests/published_specs/unheld-filter-fields/): `?foreignID=x` listed every account made without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "unheld-filter-fields",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "unheld-filter-fields")


def test_a_filter_leaves_out_resources_without_the_field(client):
    tagged = client.post("/accounts", json={"name": "a", "foreignID": "crm-1"}).json()
    client.post("/accounts", json={"name": "b"})
    assert [a["accountID"] for a in client.get("/accounts", params={"foreignID": "crm-1"}).json()] == [tagged["accountID"]]
    assert client.get("/accounts", params={"foreignID": "crm-2"}).json() == []
    assert len(client.get("/accounts").json()) == 2
