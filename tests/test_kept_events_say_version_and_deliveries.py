"""Each event says the API version it was written in and how many deliveries of it are still to make
(tests/published_specs/events-say-version-and-deliveries/): its `api_version` is the version the request named in
the version header the spec names (`Kennel-Version`), else the spec's own (`info.version`); its `pending_webhooks`
counts the calling connector's webhook endpoints that ask for it, 0 where none does, and falls as they have it
delivered. Drawn, every event listed at Stripe's `/v1/events` said `api_version: "sample"` and `pending_webhooks: 200`."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from live_server import bank_client
from oauth_flows import client_credentials, create_connector
from test_webhooks import Receiver

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "events-say-version-and-deliveries",)}
SLUG = "events-say-version-and-deliveries"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, SLUG)


def _event_of(client, name: str, **headers) -> dict:
    client.post("/v1/dogs", data={"name": name}, headers=headers)
    events = client.get("/v1/events", params={"limit": 100}).json()["data"]
    return next(event for event in events if event["data"]["object"]["name"] == name)


def test_an_event_says_the_version_its_request_named_else_the_apis(client):
    assert _event_of(client, "Rex", **{"Kennel-Version": "2023-10-16"})["api_version"] == "2023-10-16"
    assert _event_of(client, "Fido")["api_version"] == "2024-06-01"


def test_an_event_counts_the_endpoints_it_is_due_to(live, admin, client):
    assert _event_of(client, "Bello")["pending_webhooks"] == 0  # (a call of no connector: no endpoint)
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    token, connector_id = client_credentials(live.url, connector)["access_token"], connector["id"]
    for events in ([f"{SLUG}:dog.*"], [f"{SLUG}:*"], [f"{SLUG}:dog.deleted"]):
        made = admin.post(f"/sandbox/v1/connectors/{connector_id}/webhooks",
                          json={"url": "http://127.0.0.1:9/hook", "events": events})
        assert made.status_code == 201, made.text
    with httpx.Client(base_url=f"{live.url}/banks/{SLUG}", headers={"Authorization": f"Bearer {token}"}) as own:
        assert _event_of(own, "Rover")["pending_webhooks"] == 2


def test_an_event_delivered_to_each_endpoint_has_none_pending(live, admin, client):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    token = client_credentials(live.url, connector)["access_token"]
    receiver = Receiver()
    try:
        made = admin.post(f"/sandbox/v1/connectors/{connector['id']}/webhooks",
                          json={"url": receiver.url, "events": [f"{SLUG}:dog.created"]})
        assert made.status_code == 201, made.text
        with httpx.Client(base_url=f"{live.url}/banks/{SLUG}", headers={"Authorization": f"Bearer {token}"}) as own:
            event = _event_of(own, "Laika")
            assert event["pending_webhooks"] == 1
            receiver.wait_for(1)
            deadline = time.monotonic() + 10  # (the delivery is recorded just after the receiver answers)
            while time.monotonic() < deadline and own.get(f"/v1/events/{event['id']}").json().get("pending_webhooks") != 0:
                time.sleep(0.3)  # (slowly: a connector's calls are held to its plan's rate)
            assert own.get(f"/v1/events/{event['id']}").json()["pending_webhooks"] == 0
            listed = own.get("/v1/events", params={"limit": 100}).json()["data"]
            assert next(item for item in listed if item["id"] == event["id"])["pending_webhooks"] == 0
    finally:
        receiver.close()
