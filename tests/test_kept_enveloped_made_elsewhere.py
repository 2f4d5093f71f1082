"""A resource made at a path naming another noun and read by its id elsewhere, its answers envelopes holding it
in `data` (tests/published_specs/enveloped-made-elsewhere/, as Straddle's paykey made by
`POST /v1/bridge/bank_account`, read at `/v1/paykeys/{id}`): it is kept, read back and listed as made."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "enveloped-made-elsewhere",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "enveloped-made-elsewhere")


def test_what_is_made_elsewhere_is_read_back_and_listed_and_nothing_else_is(client):
    holders = [str(uuid.uuid4()), str(uuid.uuid4())]
    made = [client.post("/v1/linking/bank_account", json={"holder_id": holder, "account_number": "000123456789"})
            for holder in holders]
    assert [answer.status_code for answer in made] == [201, 201], [answer.text for answer in made]
    passes = [answer.json()["data"] for answer in made]
    assert passes[0]["id"] != passes[1]["id"] and [p["holder_id"] for p in passes] == holders, passes
    read = client.get(f"/v1/passes/{passes[0]['id']}")
    assert read.status_code == 200 and read.json()["data"] == passes[0], read.text
    listed = client.get("/v1/passes", params={"holder_id": holders[1]}).json()["data"]
    assert [p["id"] for p in listed] == [passes[1]["id"]], listed
    assert client.get(f"/v1/passes/{uuid.uuid4()}").status_code == 404
