"""A creation retried under its idempotency key is answered what the first request was
(tests/published_specs/replayed-drawn-dates/).

Brex's transfers answer days the client does not send (`process_date`, `estimated_delivery_date`): a retry under
the same `Idempotency-Key` was answered them drawn again, other days than the first answer and than the
transfer read back, so a connector that retried after a lost answer kept dates the transfer never had.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "replayed-drawn-dates",)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "replayed-drawn-dates", self_use_token(live.url, admin))


@pytest.mark.parametrize("key", [f"retry-{n}" for n in range(3)])
def test_a_retry_under_the_key_is_answered_as_the_first_request_was(client, key):
    body = {"amount": 12345, "memo": "invoice 42"}
    first = client.post("/remittances", json=body, headers={"Idempotency-Key": key})
    again = client.post("/remittances", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200, (first.text, again.text)
    assert again.json() == first.json()
    read = client.get(f"/remittances/{first.json()['id']}")
    assert read.status_code == 200 and read.json() == first.json(), (read.text, first.text)
