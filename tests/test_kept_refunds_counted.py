"""What a charge says was refunded of it (tests/published_specs/refunds-counted/): a refund made naming the charge
by its id adds its amount to the charge's `amount_refunded`, and the charge is `refunded` once all of its amount
is; a new charge has had nothing refunded, whatever its example says. Left as made, Stripe's charge refunded in full
still answered `amount_refunded: 0` and `refunded: false`, and a new one a drawn `amount_refunded: 4`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "refunds-counted",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "refunds-counted")


def test_refunds_add_up_in_their_charge(client):
    charge = client.post("/charges", data={"amount": "2000", "currency": "usd"}).json()
    assert (charge["amount"], charge["amount_refunded"], charge["refunded"]) == (2000, 0, False)
    client.post("/refunds", data={"charge": charge["id"], "amount": "500"})
    read = client.get(f"/charges/{charge['id']}").json()
    assert (read["amount_refunded"], read["refunded"]) == (500, False)
    client.post("/refunds", data={"charge": charge["id"], "amount": "1500"})
    read = client.get(f"/charges/{charge['id']}").json()
    assert (read["amount_refunded"], read["refunded"]) == (2000, True)


def test_a_refund_sent_without_an_amount_gives_back_what_is_left_of_its_charge(client):
    # A refund naming its charge in its body, with no amount, is of what the charge has not had back yet
    # (Stripe's `POST /v1/refunds charge=...` after 500 of 2000: 1500), not the whole charge again.
    charge = client.post("/charges", data={"amount": "2000", "currency": "usd"}).json()
    client.post("/refunds", data={"charge": charge["id"], "amount": "500"})
    rest = client.post("/refunds", data={"charge": charge["id"]}).json()
    assert rest["amount"] == 1500 and rest["charge"] == charge["id"]
    read = client.get(f"/charges/{charge['id']}").json()
    assert (read["amount_refunded"], read["refunded"]) == (2000, True)
