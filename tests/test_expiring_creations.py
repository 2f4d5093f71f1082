"""What a creation makes expires after it was made (tests/published_specs/expiring-creations): a payment link,
a checkout session or a payment just made had been answered with the example's expiry of years ago (Adyen's
payment link `active` with `expiresAt: 2022-10-28T09:16:22Z`, Mollie's open payment expiring in 2024), which
a connector reads as already expired. The example's lifetime (its expiry after its making) is kept, else a
day; an expiry the client sent stays as sent."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "expiring-creations",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "expiring-creations")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_pass_made_now_expires_a_day_after_its_making_as_the_example_says(client):
    made = client.post("/passes", json={"plate": "SH-42"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert _moment(body["expiresAt"]) - _moment(body["createdAt"]) == timedelta(days=1), body
    assert client.get(f"/passes/{body['id']}").json()["expiresAt"] == body["expiresAt"]


def test_an_expiry_sent_stays_as_sent(client):
    sent = "2031-01-01T00:00:00Z"
    assert client.post("/passes", json={"plate": "SH-43", "expiresAt": sent}).json()["expiresAt"] == sent


def test_an_expiry_in_epoch_seconds_is_after_now(client):
    made = client.post("/tickets", json={"bay": "B2"})
    assert made.status_code == 200, made.text
    now = datetime.fromisoformat(made.headers["x-sandbox-time"]).timestamp()
    assert made.json()["expires_at"] > now, made.json()
