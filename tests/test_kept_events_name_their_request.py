"""Each event names the request that caused it (tests/published_specs/events-name-their-request/): its
`request.id` is that request's id (the `X-Request-ID` it was sent with, as the request log shows it) and its
`request.idempotency_key` the key it was sent with, or null where it was sent with none. The event was drawn once
for every event, and all of them named one made-up request and key (Stripe's `/v1/events`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "events-name-their-request",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "events-name-their-request")


def test_each_event_names_the_request_that_caused_it(client):
    client.post("/v1/dogs", data={"name": "Rex"}, headers={"X-Request-ID": "req-one", "Idempotency-Key": "key-one"})
    client.post("/v1/dogs", data={"name": "Fido"}, headers={"X-Request-ID": "req-two"})
    events = client.get("/v1/events", params={"limit": 10}).json()["data"]
    named = sorted((event["data"]["object"]["name"], event["request"]["id"], event["request"]["idempotency_key"])
                   for event in events)
    assert named == [("Fido", "req-two", None), ("Rex", "req-one", "key-one")]
