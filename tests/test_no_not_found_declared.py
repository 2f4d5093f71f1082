"""An id never made, in a spec declaring no answer for what it cannot find (tests/published_specs/no-not-found-declared/:
each call declares 400 and 422 only), is refused as the bad input it is once one of its kind is made, in the API's
own error object: Adyen's `GET /paymentLinks/{linkId}` of an id never made answered a drawn link, 200."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "no-not-found-declared",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "no-not-found-declared")


def test_an_id_never_made_is_refused_once_one_is_made(client):
    assert client.get("/links/LKNEVERMADE00001").status_code == 200  # (nothing made yet: drawn, as before)
    made = client.post("/links", json={"amount": 5, "ref": "a"}).json()
    assert client.get(f"/links/{made['id']}").json()["amount"] == 5
    refused = client.get("/links/LKNEVERMADE00002")
    assert refused.status_code == 400, refused.text
    assert {"status", "errorCode", "message", "errorType"} <= set(refused.json()) and refused.json()["status"] == 400
