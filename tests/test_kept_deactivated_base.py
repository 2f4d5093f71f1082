"""A DELETE answering the base schema its read builds on (`allOf: [Session, {...}]`) answers the resource
deactivated, in its enum's expired state, and the read answers it so after (tests/published_specs/
deactivated-base-answer/). Before, the DELETE deleted it: the SDK's `deactivate` then read a 404."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "deactivated-base-answer",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "deactivated-base-answer")


def test_a_delete_answering_the_reads_base_schema_deactivates(client):
    made = client.post("/sessions", json={"reference": "r1", "total": 5}).json()
    assert made["state"] == "OPEN"
    gone = client.delete(f"/sessions/{made['id']}")
    assert gone.status_code == 200 and gone.json()["id"] == made["id"] and gone.json()["state"] == "EXPIRED"
    read = client.get(f"/sessions/{made['id']}")
    assert read.status_code == 200, read.text
    assert read.json()["state"] == "EXPIRED" and read.json()["reference"] == "r1"
