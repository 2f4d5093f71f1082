"""A resource made as a list's one item (`{data: [{...}]}`) starts in its enum's first state, without the reason of a
state it has not reached: Brazil's Pix payment, whose states are ISO 20022 codes in the order of its life (`RCVD`
first), was made `PDNG`, its example, with a drawn `rejectionReason` (`SALDO_INSUFICIENTE`) told only of a
rejected one (`RJCT`), and read back so (tests/published_specs/made-as-one-item-states)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "made-as-one-item-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "made-as-one-item-states")


def test_a_transfer_made_as_one_item_starts_received_with_no_reason_of_rejection(client):
    for amount in ("100.12", "7.00"):
        made = client.post("/transfers", json={"data": [{"amount": amount}]})
        assert made.status_code == 201, made.text
        (transfer,) = made.json()["data"]
        assert transfer["status"] == "RCVD" and "rejectionReason" not in transfer, transfer
        read = client.get(f"/transfers/{transfer['transferId']}")
        assert read.status_code == 200, read.text
        assert read.json()["data"]["status"] == "RCVD" and "rejectionReason" not in read.json()["data"], read.text
