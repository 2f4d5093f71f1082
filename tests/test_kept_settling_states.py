"""A resource made in a state it leaves by itself (tests/published_specs/settling-states: a letter `queued`, whose
enum goes on to `sending`, `sent`, `delivered`, as Twilio's message does) is read settled once the sandbox clock has
passed its settle time (2 s): `delivered`, `date_sent` and `date_updated` then. It was read `queued` for ever, and a
client polling for its delivery never saw it; its list filtered by state, or by the day it was sent, sees what its read sees. A resource only a client's action moves (`pending`) stays."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "settling-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "settling-states")


def _advance(admin, seconds: int) -> None:
    moved = admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": seconds})
    assert moved.status_code == 200, moved.text


def test_a_queued_letter_is_read_delivered_after_the_settle_time(client, admin):
    made = client.post("/letters", json={"to": "+15550002222"}).json()
    assert (made["status"], made["date_sent"]) == ("queued", None), made
    assert client.get(f"/letters/{made['sid']}").json()["status"] == "queued"
    _advance(admin, 3)
    read = client.get(f"/letters/{made['sid']}").json()
    assert read["status"] == "delivered", read
    settled = datetime.fromisoformat(made["date_created"].replace("Z", "+00:00")) + timedelta(seconds=2)
    assert datetime.fromisoformat(read["date_sent"].replace("Z", "+00:00")) == settled, read
    assert read["date_updated"] == read["date_sent"], read
    listed = client.get("/letters").json()["letters"]
    assert [(letter["sid"], letter["status"]) for letter in listed if letter["sid"] == made["sid"]] == [
        (made["sid"], "delivered")], listed
    assert client.get(f"/letters/{made['sid']}").json() == read  # every read says the same


def test_a_list_filtered_by_state_sees_it_settled(client, admin):
    made = client.post("/letters", json={"to": "+15550004444"}).json()
    assert [letter["sid"] for letter in client.get("/letters", params={"Status": "queued"}).json()["letters"]
            ].count(made["sid"]) == 1
    _advance(admin, 3)
    delivered = client.get("/letters", params={"Status": "delivered"}).json()["letters"]
    assert [(letter["sid"], letter["status"]) for letter in delivered if letter["sid"] == made["sid"]] == [
        (made["sid"], "delivered")], delivered
    assert made["sid"] not in [letter["sid"] for letter in client.get("/letters", params={"Status": "queued"}).json()["letters"]]


def test_a_list_asked_for_a_day_lists_those_sent_on_it(client, admin):
    made = client.post("/letters", json={"to": "+15550005555"}).json()
    _advance(admin, 3)
    sent = datetime.fromisoformat(client.get(f"/letters/{made['sid']}").json()["date_sent"].replace("Z", "+00:00"))
    on_the_day = client.get("/letters", params={"DateSent": sent.date().isoformat()}).json()["letters"]
    assert made["sid"] in [letter["sid"] for letter in on_the_day], on_the_day
    the_day_before = (sent - timedelta(days=1)).date().isoformat()
    assert made["sid"] not in [letter["sid"] for letter in client.get("/letters", params={"DateSent": the_day_before}).json()["letters"]]


def test_a_pending_parcel_stays_pending(client, admin):
    made = client.post("/parcels", json={"to": "+15550003333"}).json()
    assert made["status"] == "pending", made
    _advance(admin, 3)
    assert client.get(f"/parcels/{made['id']}").json()["status"] == "pending"
