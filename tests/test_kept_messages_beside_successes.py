"""A success answer carries no message to its client that nothing said (tests/published_specs/messages-beside-
successes, NextGenPSD2's optional `tppMessages: [{category, code, text}]` beside a payment): made, read back, or read
never made. Drawn, the payment was read with a message of category `ERROR` and code `WARNING`, which a client
checking its messages takes for a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "messages-beside-successes",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "messages-beside-successes")


def test_a_success_carries_no_drawn_messages(client):
    made = client.post("/plover/v1/payments", json={"amount": "12.30"})
    assert made.status_code == 201, made.text
    answers = [made, client.get(f"/plover/v1/payments/{made.json()['paymentId']}")]
    answers += [client.get(f"/plover/v1/payments/pay-{n}") for n in range(5)]
    for answer in answers:
        assert answer.status_code in (200, 201), answer.text
        assert not answer.json().get("tppMessages"), answer.text
