"""Optimistic concurrency (tests/published_specs/versioned-changes/): a resource that keeps a whole-number `version`
is at the next one after each change, and a change sending a version other than the one kept (at the top of its
body or in the object it sends) is refused 409 in the API's own error form, changing nothing (Square's customers,
orders and catalog objects: every update answered the version it was sent, and a stale one overwrote the newer)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "versioned-changes",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "versioned-changes")


def test_a_change_is_the_next_version_and_a_stale_one_is_refused(client):
    member = client.post("/members", json={"nickname": "ann"}).json()["member"]
    changed = client.put(f"/members/{member['id']}", json={"nickname": "bea", "version": member["version"]})
    assert changed.status_code == 200 and changed.json()["member"]["version"] == member["version"] + 1
    stale = client.put(f"/members/{member['id']}", json={"nickname": "cid", "version": member["version"]})
    assert stale.status_code == 409, stale.text
    assert stale.json()["errors"][0]["code"] == "VERSION_MISMATCH"
    read = client.get(f"/members/{member['id']}").json()["member"]
    assert (read["nickname"], read["version"]) == ("bea", member["version"] + 1)
    unsaid = client.put(f"/members/{member['id']}", json={"nickname": "dee"}).json()["member"]
    assert unsaid["version"] == member["version"] + 2


def test_a_version_sent_in_the_object_is_checked_too(client):
    basket = client.post("/baskets", json={"basket": {"note": "a"}}).json()["basket"]
    at = basket["version"]
    changed = client.put(f"/baskets/{basket['id']}", json={"basket": {"note": "b", "version": at}}).json()["basket"]
    assert (changed["note"], changed["version"]) == ("b", at + 1)
    assert client.put(f"/baskets/{basket['id']}", json={"basket": {"note": "c", "version": at}}).status_code == 409
    assert client.get(f"/baskets/{basket['id']}").json()["basket"]["note"] == "b"
