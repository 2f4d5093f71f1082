"""A bank's own event feed reaches a connector's webhook endpoint (tests/published_specs/event-feed/): each event
the feed tells of what the connector made is POSTed as the bank writes it, signed under `Sandbox-Signature` and,
where the endpoint asks, under a header of the bank's own that is signed the same way (`Stripe-Signature`), so a
receiver written for that bank checks it unchanged. Receivers are real local HTTP servers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from oauth_flows import client_credentials, create_connector
from sandbox.governance.webhooks import verify
from test_webhooks import Receiver

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "event-feed",
))}
V1 = "/sandbox/v1"


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


def _connector(live, admin) -> tuple[str, httpx.Client]:
    """A self-use connector's id and a client of the event-feed bank carrying its token."""
    accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    token = client_credentials(live.url, connector)["access_token"]
    client = httpx.Client(base_url=f"{live.url}/banks/event-feed", headers={"Authorization": f"Bearer {token}"},
                          timeout=30)
    return connector["id"], client


@pytest.mark.slow
def test_a_banks_own_events_reach_the_connectors_endpoint_signed_its_way(live, admin, receiver):
    connector_id, plans = _connector(live, admin)
    registered = admin.post(f"{V1}/connectors/{connector_id}/webhooks", json={
        "url": receiver.url, "events": ["event-feed:plan.*"], "signature_header": "Stripe-Signature"})
    assert registered.status_code == 201, registered.text
    endpoint = registered.json()
    assert endpoint["signature_header"] == "Stripe-Signature" and endpoint["events"] == ["event-feed:plan.*"]
    plan = plans.post("/v1/plans", data={"nickname": "hooked"}).json()
    plans.post(f"/v1/plans/{plan['id']}", data={"nickname": "hooked again"})
    arrived = receiver.wait_for(2)
    bodies = [json.loads(request["body"]) for request in arrived]
    assert [body["type"] for body in bodies] == ["plan.created", "plan.updated"]
    assert all(body["data"]["object"]["id"] == plan["id"] for body in bodies)
    listed = {event["id"]: event for event in plans.get("/v1/events", params={"limit": 100}).json()["data"]}
    for request, body in zip(arrived, bodies):
        headers = {key.lower(): value for key, value in request["headers"].items()}
        # the bank's own event, as its list answers it (which draws what the event leaves out, an empty
        # `previous_attributes` of a creation)
        assert {**body, "data": body["data"]["object"]} == {**listed[body["id"]], "data": listed[body["id"]]["data"]["object"]}
        assert headers["stripe-signature"] == headers["sandbox-signature"]
        assert verify(endpoint["secret"], headers["stripe-signature"], request["body"], time.time())
        assert headers["sandbox-event-id"] == body["id"] and headers["sandbox-event-type"] == f"event-feed:{body['type']}"
    log = admin.get(f"{V1}/connectors/{connector_id}/webhook-deliveries", params={"type": "event-feed:plan.created"})
    assert log.status_code == 200 and [d["event_id"] for d in log.json()["deliveries"]] == [bodies[0]["id"]]


def test_events_no_endpoint_asked_for_are_not_sent(live, admin, receiver):
    connector_id, plans = _connector(live, admin)
    admin.post(f"{V1}/connectors/{connector_id}/webhooks", json={"url": receiver.url, "events": ["event-feed:plan.deleted"]})
    plan = plans.post("/v1/plans", data={"nickname": "short-lived"}).json()
    plans.delete(f"/v1/plans/{plan['id']}")
    arrived = receiver.wait_for(1)
    time.sleep(0.5)
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["plan.deleted"]
    assert "stripe-signature" not in {key.lower() for key in arrived[0]["headers"]}


@pytest.mark.parametrize("body, field", [
    ({"events": ["event-feed plan"]}, "events"),
    ({"events": ["event-feed:plan.*"], "signature_header": "Content-Type"}, "signature_header"),
    ({"events": ["event-feed:plan.*"], "signature_header": "Bad Header"}, "signature_header"),
], ids=["not a bank event", "a header HTTP reserves", "not a header name"])
def test_bad_bank_event_registrations_are_problems(live, admin, body, field):
    connector_id, _ = _connector(live, admin)
    response = admin.post(f"{V1}/connectors/{connector_id}/webhooks", json={"url": "http://127.0.0.1:9/h", **body})
    assert response.status_code == 400 and field in response.text, response.text
