"""Events of what was made for a connected account name that account (tests/published_specs/
events-name-their-account/): where the event declares a field for it (Stripe Connect's event `account`), an event of
a member made under the `Platform-Account` header carries the account's id. Drawn, every event named the example's
account, and a Connect webhook handler routed each to an account that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "events-name-their-account",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "events-name-their-account")


def _told(client, member: str, headers: dict) -> list:
    return [event for event in client.get("/v1/events", params={"limit": 100}, headers=headers).json()["data"]
            if event["data"]["object"]["id"] == member]


def test_an_event_of_a_connected_account_names_it(client):
    account = client.post("/v1/accounts", data={"email": "c@example.test"}).json()["id"]
    acting = {"Platform-Account": account}
    member = client.post("/v1/members", data={"name": "theirs"}, headers=acting).json()["id"]
    client.post(f"/v1/members/{member}", data={"name": "theirs, renamed"}, headers=acting)
    told = _told(client, member, acting)
    assert [event["type"] for event in told] == ["member.created", "member.updated"]
    assert all(event["account"] == account for event in told)
    assert client.get(f"/v1/events/{told[0]['id']}", headers=acting).json()["account"] == account


def test_an_event_of_the_platforms_own_names_no_account(client):
    """The platform's own events leave the optional `account` out, listed and read alike: drawn, they named the
    example's account, and a Connect handler took the platform's events for a connected account's."""
    member = client.post("/v1/members", data={"name": "ours"}).json()["id"]
    told = _told(client, member, {})
    assert [event["type"] for event in told] == ["member.created"]
    assert "account" not in told[0]
    read = client.get(f"/v1/events/{told[0]['id']}").json()
    assert "account" not in read
    assert read == told[0]  # the event read back is the event listed (and told to webhooks)
