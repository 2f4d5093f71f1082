"""A list of kept resources filtered by a field the client sent that the answer holds under another name
(tests/published_specs/kept-sent-filters/).

Adyen's transfer is made with `balanceAccountId` and answered with a `balanceAccount` object;
`GET /transfers?balanceAccountId=...` listed every transfer kept, whichever account it was made from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-sent-filters",)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "kept-sent-filters", self_use_token(live.url, admin))


def test_a_list_filters_by_an_id_the_client_sent(client):
    mine = client.post("/moves", json={"sourceId": "SRC-ALPHA-0001", "amount": 5})
    assert mine.status_code == 200, mine.text
    other = client.post("/moves", json={"sourceId": "SRC-BRAVO-0002", "amount": 6})
    assert other.status_code == 200, other.text
    listed = client.get("/moves", params={"sourceId": "SRC-ALPHA-0001"})
    assert listed.status_code == 200, listed.text
    assert [m["id"] for m in listed.json()["data"]] == [mine.json()["id"]], listed.text


def test_the_object_named_by_the_id_sent_carries_that_id(client):
    """Answered and read back with `source.id` drawn: the transfer was about another source than the one named."""
    made = client.post("/moves", json={"sourceId": "SRC-CHARLIE-3", "amount": 7}).json()
    assert made["source"]["id"] == "SRC-CHARLIE-3"
    assert client.get(f"/moves/{made['id']}").json()["source"]["id"] == "SRC-CHARLIE-3"
