"""A resource just made starts in its first state where its status is named for its kind
(tests/published_specs/kinds-of-status/: `shipmentStatus`), as in a bare `status`. PolishAPI's payment made by
`/payments/v2_1_1.1/domestic` answered a drawn `generalStatus` (`done`, `rejected`, `cancelled`) and was read back
so; it is made `submitted`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kinds-of-status",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kinds-of-status")


def test_shipments_just_made_are_pending_and_read_back_so(client):
    made = [client.post("/shipments", json={"parcel": f"p-{n}"}).json() for n in range(6)]
    assert [shipment["shipmentStatus"] for shipment in made] == ["pending"] * 6, made
    read = client.get(f"/shipments/{made[0]['shipmentId']}").json()
    assert (read["shipmentStatus"], read["parcel"]) == ("pending", "p-0"), read
