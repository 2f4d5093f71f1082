"""A list answered as the ids of its items (`{signOffIds: [...]}`) names the kept ones
(tests/published_specs/listed-by-ids/): NextGenPSD2's `GET .../{paymentId}/authorisations`, after an authorisation
was started, answered `authorisationIds: ["123auth456"]`, the example's, and not the one started."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "listed-by-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "listed-by-ids")


def test_a_list_of_ids_names_those_made_under_their_owner(client):
    parcel = client.post("/parcels", json={"weight": 2}).json()["parcelId"]
    other = client.post("/parcels", json={"weight": 5}).json()["parcelId"]
    started = [client.post(f"/parcels/{parcel}/sign-offs").json()["signOffId"] for _ in range(2)]
    client.post(f"/parcels/{other}/sign-offs")
    listed = client.get(f"/parcels/{parcel}/sign-offs")
    assert listed.status_code == 200, listed.text
    assert listed.json()["signOffIds"] == started
    assert all(client.get(f"/parcels/{parcel}/sign-offs/{one}").status_code == 200 for one in listed.json()["signOffIds"])
