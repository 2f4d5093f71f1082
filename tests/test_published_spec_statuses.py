"""Statuses and headers as a payments platform's published spec declares them, over HTTP with a real token
(tests/published_specs/payments-statuses, no open access).

Each test failed on the code before: a 204 declared with JSON content was sent with a body, which broke
the connection it came on (the server logged a traceback; the next request on it failed); an
Idempotency-Key the spec answers as a response header came back as a made-up value; a request its checks
refused was a 400 in another operation's error shape where the operation declares its validation errors
as a 422; a wrong Basic pair beside a valid API key turned the plan's 429 into a 401.
"""

from __future__ import annotations

from pathlib import Path

import time

import httpx
import pytest

from oauth_flows import client_credentials, create_connector

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "payments-statuses",)}
BASE = "/banks/payments-statuses"


@pytest.fixture(scope="module")
def client(live, admin):
    connector = create_connector(admin, **{"class": "third-party"})
    token = client_credentials(live.url, connector)["access_token"]
    with httpx.Client(base_url=live.url + BASE, timeout=30, headers={"X-API-Key": token}) as client:
        yield client


def test_a_204_declared_with_content_has_no_body_and_keeps_the_connection(client):
    for _ in range(3):  # on one connection: a body after the 204 broke it for the next request
        gone = client.delete("/settings/S1")
        assert gone.status_code == 204 and gone.content == b"", gone.content
        assert "content-type" not in gone.headers
    assert client.post("/transfers", json={"amount": {"value": 5, "currency": "EUR"}}).status_code == 200


def test_an_idempotency_key_declared_as_a_response_header_is_answered_as_sent(client):
    paid = client.post("/transfers", json={"amount": {"value": 5, "currency": "EUR"}},
                       headers={"Idempotency-Key": "my-key-42"})
    assert paid.status_code == 200, paid.text
    assert paid.headers["Idempotency-Key"] == "my-key-42"


@pytest.mark.parametrize("body", [{}, {"amount": {"value": "lots", "currency": "EUR"}}], ids=["missing", "wrong-type"])
def test_a_refused_request_is_the_422_the_operation_declares_for_it(client, body):
    refused = client.post("/transfers", json=body)
    assert refused.status_code == 422, refused.text
    error = refused.json()
    assert error["status"] == 422 and "title" in error and "message" not in error, error
    other = client.post("/cashouts", json={"amount": "x"})
    assert other.status_code == 400 and set(other.json()) <= {"message", "kind"}, other.text


def test_a_wrong_basic_pair_beside_a_valid_api_key_leaves_the_answer_to_the_key(live, admin):
    connector = create_connector(admin, **{"class": "third-party", "plan": "standard"})
    token = client_credentials(live.url, connector)["access_token"]
    limit = admin.get(f"/sandbox/v1/connectors/{connector['id']}/capacity").json()["effective"]["per_second"]
    with httpx.Client(base_url=live.url + BASE, timeout=30, headers={"X-API-Key": token},
                      auth=("nobody", "wrong")) as client:
        time.sleep(1 - time.time() % 1 + 0.01)  # a burst inside one wall-clock second
        statuses = [client.delete("/settings/S1").status_code for _ in range(limit + 2)]
    assert statuses == [204] * limit + [429] * 2, statuses
    alone = httpx.delete(f"{live.url}{BASE}/settings/S1", auth=("nobody", "wrong"), timeout=30)
    assert alone.status_code == 401
