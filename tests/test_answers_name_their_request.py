"""Every answer of a bank names its request in `X-Request-Id` (its interaction id: the client's `X-Request-ID`,
else the sandbox's, as the request log shows it), a refusal too, where the answer's headers name it in none of
theirs (tests/published_specs/errors-shown-enveloped/). Without it, Recurly's client, which adds the header's
value to each refusal's message, raised a TypeError in place of its NotFoundError."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "errors-shown-enveloped",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "errors-shown-enveloped")


def test_an_answer_and_a_refusal_name_their_request(client):
    assert client.get("/gadgets/g-1", headers={"X-Request-ID": "req-41"}).headers["x-request-id"] == "req-41"
    assert client.get("/gadgets", params={"limit": "x"}, headers={"X-Request-ID": "req-42"}).headers["x-request-id"] == "req-42"
    drawn = client.get("/gizmos").headers.get("x-request-id")
    assert drawn and drawn != client.get("/gizmos").headers.get("x-request-id")
