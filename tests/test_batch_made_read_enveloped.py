"""A resource made as a list's one item (`{data: [{...}]}`) and read in an envelope of one object (`{data: {...}}`)
is read back as it was made (tests/published_specs/batch-made-read-enveloped). Brazil's Pix payment, made now, read
back made at its example's moment of 2020, holding a remittance text it was never sent."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "batch-made-read-enveloped",)}


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=f"{live.url}/banks/batch-made-read-enveloped", timeout=30) as client:
        yield client


def test_a_resource_made_as_a_lists_one_item_is_read_back_as_made(client):
    made = client.post("/transfers", json={"data": [{"endToEndId": "E12345678202612070306abc", "amount": "100.12"}]})
    assert made.status_code == 201, made.text
    [item] = made.json()["data"]
    read = client.get(f"/transfers/{item['transferId']}")
    assert read.status_code == 200, read.text
    assert read.json()["data"] == item, (item, read.json())
