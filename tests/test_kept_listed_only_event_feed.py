"""A spec whose events are only listed or searched, never read one by one (tests/published_specs/
listed-only-event-feed/: `POST /v3/events` and no `/v3/events/{id}`, as Square's events API), has a feed all the
same: what happens to kept resources is told there, each event naming its resource by id and kind and holding it
as its read answers it, paged by the search's own cursor. Found only through an events read, the feed was
none: the search answered drawn events about gadgets nobody made."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "listed-only-event-feed",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "listed-only-event-feed")


def _events(client, **body) -> dict:
    return client.post("/v3/events", json=body).json()


def test_what_happens_to_a_kept_resource_is_told_in_a_searched_feed(client):
    made = client.post("/v3/gadgets", json={"label": "first"}).json()["gadget"]
    client.put(f"/v3/gadgets/{made['id']}", json={"gadget": {"label": "second"}})
    client.delete(f"/v3/gadgets/{made['id']}")
    events = [e for e in _events(client, limit=100)["events"] if e["data"]["id"] == made["id"]]
    assert [event["type"] for event in events] == ["gadget.created", "gadget.updated", "gadget.deleted"]
    assert all(event["data"]["type"] == "gadget" for event in events)
    assert events[0]["data"]["object"] == {"gadget": {**made, "label": "first"}}
    assert events[1]["data"]["object"]["gadget"]["label"] == "second"
    assert events[2]["data"]["deleted"] is True and events[0]["data"]["deleted"] is False
    assert len({event["event_id"] for event in events}) == 3
    # each its own id, but one merchant's (drawn afresh for each, a filter by the merchant found one event of many)
    assert len({event["merchant_id"] for event in events}) == 1


def test_the_searched_feed_pages_by_its_cursor(client):
    for label in ("a", "b", "c"):
        client.post("/v3/gadgets", json={"label": label})
    everything = _events(client, limit=100)["events"]
    first = _events(client, limit=2)
    assert first["events"] == everything[:2] and first.get("cursor")
    second = _events(client, limit=2, cursor=first["cursor"])
    assert second["events"] == everything[2:4]
