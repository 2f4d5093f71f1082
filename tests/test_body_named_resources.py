"""Kept resources of an RPC-style API that names them in JSON bodies, never in paths
(tests/published_specs/body-named-resources/, as Plaid's `/transfer/create`, `/transfer/get {transfer_id}`,
`/transfer/list`, `/transfer/cancel` and `/payment_initiation/payment/create` answering only `{payment_id}`): a
parcel made is read back by the `parcel_id` a read's body sends, listed, paged by the body's `count` and
`offset`, and cancelled by the action's body; a voucher made answering its id alone is read back with what was
sent, and listed. Read by paths alone, such calls kept nothing: the read answered a drawn parcel, the list never
held the one made and the cancel left it pending."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "body-named-resources",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "body-named-resources")


@pytest.fixture(scope="module")
def parcels(client):
    made = []
    for weight in ("3.50", "4.75"):
        answer = client.post("/parcel/create", json={"weight": weight, "destination": "Elm Row 4"})
        assert answer.status_code == 200, answer.text
        made.append(answer.json()["parcel"])
    return made


def test_a_parcel_made_is_read_back_by_the_id_the_body_names(client, parcels):
    read = client.post("/parcel/get", json={"parcel_id": parcels[0]["id"]})
    assert read.status_code == 200, read.text
    assert read.json()["parcel"]["id"] == parcels[0]["id"] and read.json()["parcel"]["weight"] == "3.50"


def test_the_list_holds_what_was_made_paged_by_its_body(client, parcels):
    listed = client.post("/parcel/list", json={"count": 25}).json()["parcels"]
    assert [parcel["id"] for parcel in listed] == [parcel["id"] for parcel in parcels]
    second = client.post("/parcel/list", json={"count": 1, "offset": 1}).json()["parcels"]
    assert [parcel["id"] for parcel in second] == [parcels[1]["id"]]


def test_a_cancel_naming_a_parcel_cancels_it(client, parcels):
    assert client.post("/parcel/cancel", json={"parcel_id": parcels[1]["id"]}).status_code == 200
    read = client.post("/parcel/get", json={"parcel_id": parcels[1]["id"]}).json()["parcel"]
    assert read["status"] == "cancelled" and read["weight"] == "4.75"
    assert client.post("/parcel/get", json={"parcel_id": parcels[0]["id"]}).json()["parcel"]["status"] != "cancelled"


def test_a_voucher_made_answering_its_id_alone_is_read_and_listed(client):
    made = client.post("/shipping/voucher/create", json={"holder": "Ines Moreau", "value": 42.5})
    assert made.status_code == 200, made.text
    voucher_id = made.json()["voucher_id"]
    read = client.post("/shipping/voucher/get", json={"voucher_id": voucher_id}).json()
    assert (read["voucher_id"], read["holder"], read["value"]) == (voucher_id, "Ines Moreau", 42.5)
    listed = client.post("/shipping/voucher/list", json={"count": 10}).json()["vouchers"]
    assert voucher_id in [voucher["voucher_id"] for voucher in listed]


def test_a_list_between_two_dates_holds_what_was_made_between(client, parcels):
    """`start_date`/`end_date` name no field of the parcel's: they bound when each was made, not the first field
    ending in `date` (`expected_arrival_date`, drawn in 2019: every parcel made today was left out)."""
    made = datetime.fromisoformat(parcels[0]["created"].replace("Z", "+00:00"))
    window = {"start_date": (made - timedelta(days=1)).isoformat(), "end_date": (made + timedelta(days=1)).isoformat()}
    listed = client.post("/parcel/list", json={**window, "count": 25}).json()["parcels"]
    assert [parcel["id"] for parcel in listed] == [parcel["id"] for parcel in parcels]
    later = {"start_date": (made + timedelta(days=1)).isoformat(), "count": 25}
    assert client.post("/parcel/list", json=later).json()["parcels"] == []
