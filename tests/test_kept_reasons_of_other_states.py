"""A resource just made tells nothing of states it is not in (tests/published_specs/reasons-of-other-states/): no
reason, code or message named for another state (`failure_code`, `failure_message`, `cancellation_reason` of a
payment made pending or succeeded, which its example had drawn), and no moment of what a flag says it has not done
(`captured_at` beside `captured: false`). Read back, it says the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "reasons-of-other-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "reasons-of-other-states")


def test_a_new_payment_tells_no_reason_of_another_state(client):
    made = client.post("/v1/payments", data={"amount": "2000"})
    assert made.status_code == 200, made.text
    payment = made.json()
    assert payment["status"] != "failed", payment
    assert (payment["failure_code"], payment["failure_message"], payment["cancellation_reason"]) == (None, None, None), payment
    assert client.get(f"/v1/payments/{payment['id']}").json() == payment


def test_a_payment_not_captured_says_no_moment_of_its_capture(client):
    payment = client.post("/v1/payments", data={"amount": "2000", "capture": "false"}).json()
    assert (payment["captured"], payment["captured_at"]) == (False, None), payment
