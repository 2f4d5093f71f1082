"""A feed of events only listed (tests/published_specs/listed-feed-free-payload/: `GET /events`, no
`/events/{id}`, as Paddle's), whose events hold the entity in a free-form `data` object, tells each kept change
with that entity as it is: not the read's `{data, meta}` envelope, and not the list example's entity of another
kind. Paddle's SDK read every listed `product.created` as a product and failed (`KeyError: 'name'`): the event
held the example's transaction (the kept event held `{data: product, meta}`, and the listing overlaid its
fields on the drawn item's `data`, taken for the item's envelope)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "listed-feed-free-payload",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "listed-feed-free-payload")


def test_a_listed_event_holds_the_kept_entity_itself(client):
    made = client.post("/widgets", json={"name": "first"}).json()["data"]
    client.patch(f"/widgets/{made['id']}", json={"name": "second"})
    events = [e for e in client.get("/events", params={"per_page": 100}).json()["data"]
              if isinstance(e.get("data"), dict) and e["data"].get("id") == made["id"]]
    assert [event["event_type"] for event in events] == ["widget.created", "widget.updated"]
    assert events[0]["data"] == {**made, "name": "first"}
    assert events[1]["data"]["name"] == "second"
    assert all("meta" not in event["data"] and "total" not in event["data"] for event in events)
