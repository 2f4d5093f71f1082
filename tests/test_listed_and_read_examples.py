"""A resource the list shows by example reads as listed (tests/published_specs/listed-and-read-examples):
NextGenPSD2's account list showed `3dc3d5b3-...80f` with the IBAN DE2310010010123456789, and its read answered
the same account with the read example's FR7612345987650123456789014; a client that listed, then read, saw one
account two ways. What the list does not show (the owner's name) is the read's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "listed-and-read-examples",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "listed-and-read-examples")


def test_a_listed_resource_reads_as_listed(client):
    listed = client.get("/v1/pockets")
    assert listed.status_code == 200, listed.text
    for item in listed.json()["pockets"]:
        read = client.get(f"/v1/pockets/{item['resourceId']}")
        assert read.status_code == 200, read.text
        pocket = read.json()["pocket"]
        assert {key: pocket.get(key) for key in item} == item, read.text
        assert pocket.get("ownerName") == "Ida Berg"
