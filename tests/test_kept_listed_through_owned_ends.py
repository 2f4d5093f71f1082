"""A list under an owner holds what names a resource that owner owns (tests/published_specs/listed-through-owned-ends):
a member's transfers, each naming only the URLs of wallets made under the member, were none."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "listed-through-owned-ends",)}
BASE = "https://api.wallets.example"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "listed-through-owned-ends")


def _made(answer) -> str:
    assert answer.status_code == 201, answer.text
    return answer.headers["location"].rstrip("/").rsplit("/", 1)[-1]


def test_a_members_transfers_are_those_from_or_to_its_wallets(client):
    ana = _made(client.post("/members", json={"name": "Ana"}))
    bo = _made(client.post("/members", json={"name": "Bo"}))
    cy = _made(client.post("/members", json={"name": "Cy"}))
    spending = _made(client.post(f"/members/{ana}/wallets", json={"name": "Spending"}))
    savings = _made(client.post(f"/members/{ana}/wallets", json={"name": "Savings"}))
    bos = _made(client.post(f"/members/{bo}/wallets", json={"name": "Bo's"}))
    own = _made(client.post("/transfers", json={"amount": "5.00", "_links": {
        "source": {"href": f"{BASE}/wallets/{spending}"}, "destination": {"href": f"{BASE}/wallets/{savings}"}}}))
    paid = _made(client.post("/transfers", json={"amount": "7.00", "_links": {
        "source": {"href": f"{BASE}/wallets/{savings}"}, "destination": {"href": f"{BASE}/wallets/{bos}"}}}))
    listed = client.get(f"/members/{ana}/transfers")
    assert listed.status_code == 200, listed.text
    assert {item["id"] for item in listed.json()["_embedded"]["transfers"]} == {own, paid}, listed.json()
    assert [item["id"] for item in client.get(f"/members/{bo}/transfers").json()["_embedded"]["transfers"]] == [paid]
    assert client.get(f"/members/{cy}/transfers").json()["_embedded"]["transfers"] == []
