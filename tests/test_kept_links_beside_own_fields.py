"""A resource whose one object is its HAL links (`_links` beside its own fields, tests/published_specs/
links-beside-own-fields/) is read back as made: made by a 201 answering only its Location and read as one of
several kinds, it was read with its example's names and e-mail address, what was sent having been taken for
its links' (its list, a page of objects, showed it as sent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

SLUG = "links-beside-own-fields"
LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / SLUG,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, SLUG)


def test_a_member_made_by_its_location_is_read_as_sent(client):
    sent = {"givenName": "Grace", "familyName": "Hopper", "email": "grace@navy.example", "type": "guest",
            "companyName": "Compilers Inc"}
    made = client.post("/members", json=sent)
    assert made.status_code == 201, made.text
    member_id = made.headers["location"].rsplit("/", 1)[-1]
    read = client.get(f"/members/{member_id}")
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["id"] == member_id
    assert {key: body.get(key) for key in sent} == sent, body
    assert not set(sent) & set(body["_links"]), body["_links"]
    listed = client.get("/members").json()["_embedded"]["members"]
    assert [{key: item.get(key) for key in sent} for item in listed if item["id"] == member_id] == [sent]
