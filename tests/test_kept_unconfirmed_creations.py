"""A creation not confirmed is made in the state saying what it waits for
(tests/published_specs/unconfirmed-creations/): a purchase sent `confirm=false`, or none where it "defaults to
`false`", waits for the funding source it was not sent, else for its confirmation, a manual capture too (it
is not held before it is confirmed); a completing flag inside an envelope, left out, is its default there (a sale
of `{sale: {autocomplete}}`, "Defaults to `false`", is APPROVED). Stripe's payment intent sent `confirm=false` was
made `requires_action`, and with `capture_method=manual` `requires_capture`; Square-style flags nested in the
body were read only when sent. Confirmed, a purchase captured by hand (as it was made, or as its confirmation
says) waits for its capture: PAY.JP's payment flow made with `capture_method: manual` was confirmed `succeeded`,
and its capture refused as already done."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "unconfirmed-creations",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "unconfirmed-creations")


def test_a_purchase_not_confirmed_waits_for_what_it_lacks_else_its_confirmation(client):
    bare = client.post("/purchases", data={"amount": "100", "confirm": "false"}).json()
    assert bare["status"] == "requires_funding_source", bare
    assert client.get(f"/purchases/{bare['id']}").json()["status"] == "requires_funding_source"
    funded = client.post("/purchases", data={"amount": "100", "funding_source": "fs_1"}).json()
    assert funded["status"] == "requires_confirmation", funded
    manual = client.post("/purchases", data={"amount": "100", "funding_source": "fs_1", "confirm": "false",
                                             "capture_method": "manual"}).json()
    assert manual["status"] == "requires_confirmation", manual
    held = client.post("/purchases", data={"amount": "100", "funding_source": "fs_1", "confirm": "true",
                                           "capture_method": "manual"}).json()
    assert held["status"] == "requires_capture", held


def test_a_completing_flag_left_out_of_an_envelope_is_its_default_there(client):
    made = client.post("/sales", json={"sale": {"amount": 100}}).json()["sale"]
    assert made["status"] == "APPROVED", made
    done = client.post("/sales", json={"sale": {"amount": 100, "autocomplete": True}}).json()["sale"]
    assert done["status"] == "COMPLETED", done


def test_a_confirmation_holds_what_is_captured_by_hand_for_its_capture(client):
    manual = client.post("/purchases", data={"amount": "100", "funding_source": "fs_1",
                                             "capture_method": "manual"}).json()
    confirmed = client.post(f"/purchases/{manual['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "requires_capture", confirmed.json()
    assert client.get(f"/purchases/{manual['id']}").json()["status"] == "requires_capture"
    assert client.post(f"/purchases/{manual['id']}/capture").json()["status"] == "succeeded"
    automatic = client.post("/purchases", data={"amount": "100", "funding_source": "fs_1",
                                                "capture_method": "automatic"}).json()
    assert client.post(f"/purchases/{automatic['id']}/confirm").json()["status"] == "succeeded"
    told = client.post("/purchases", data={"amount": "100", "funding_source": "fs_1",
                                           "capture_method": "automatic"}).json()
    held = client.post(f"/purchases/{told['id']}/confirm", data={"capture_method": "manual"}).json()
    assert held["status"] == "requires_capture", held
