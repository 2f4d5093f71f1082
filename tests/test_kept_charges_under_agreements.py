"""A subscription's charges (tests/published_specs/charges-under-agreements/): the agreement accepted by the
test helper `PATCH .../accept` is active; a charge made answering only its id is read as made, though its read
holds its fields beside one object (`summary`) and a pattern bounded as `{10+}`; captured or refunded for part of
its amount it is in the state's partial form, for all of it in the state itself; cancelled by a `DELETE` that
answers nothing it is read `CANCELLED`. Before, the Recurring API's charge was read as the example (another
amount, another description, `PENDING` for good), its accepted agreement stayed `PENDING`, and a cancelled charge
was a 404."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "charges-under-agreements",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "charges-under-agreements")


@pytest.fixture
def agreement(client) -> str:
    made = client.post("/subs/v1/agreements", json={"productName": "Magazine", "price": 49900})
    assert made.status_code == 201, made.text
    return made.json()["agreementId"]


def _charge(client, agreement: str, amount: int = 49900, description: str = "December") -> str:
    made = client.post(f"/subs/v1/agreements/{agreement}/charges", json={"amount": amount, "description": description})
    assert made.status_code == 201, made.text
    return made.json()["chargeId"]


def test_an_agreement_accepted_is_active(client, agreement):
    assert client.get(f"/subs/v1/agreements/{agreement}").json()["status"] == "PENDING"
    assert client.patch(f"/subs/v1/agreements/{agreement}/accept").status_code == 204
    assert client.get(f"/subs/v1/agreements/{agreement}").json()["status"] == "ACTIVE"


def test_a_charge_is_read_as_made(client, agreement):
    charge = _charge(client, agreement)
    read = client.get(f"/subs/v1/agreements/{agreement}/charges/{charge}")
    assert read.status_code == 200, read.text
    assert (read.json()["id"], read.json()["amount"], read.json()["description"]) == (charge, 49900, "December")
    assert read.json()["transactionId"].isdigit()


@pytest.mark.parametrize("verb, part, whole", [("capture", "PARTIALLY_CAPTURED", "CHARGED"),
                                               ("refund", "PARTIALLY_REFUNDED", "REFUNDED")])
def test_a_charge_acted_on_for_part_or_all_of_its_amount(client, agreement, verb, part, whole):
    for amount, state in ((20000, part), (49900, whole)):
        charge = _charge(client, agreement)
        if verb == "refund":  # (what is refunded was captured first)
            client.post(f"/subs/v1/agreements/{agreement}/charges/{charge}/capture", json={"amount": 49900, "description": "all"})
        done = client.post(f"/subs/v1/agreements/{agreement}/charges/{charge}/{verb}",
                           json={"amount": amount, "description": verb})
        assert done.status_code == 204, done.text
        read = client.get(f"/subs/v1/agreements/{agreement}/charges/{charge}").json()
        assert (read["status"], read["amount"]) == (state, 49900)
        assert read["summary"][f"{verb}d" if verb.endswith("e") else f"{verb}ed"] == amount


def test_a_charge_is_refunded_no_more_than_was_captured(client, agreement):
    charge = _charge(client, agreement)
    path = f"/subs/v1/agreements/{agreement}/charges/{charge}"
    assert client.get(path).json()["summary"] == {"captured": 0, "refunded": 0}
    assert client.post(f"{path}/capture", json={"amount": 30000, "description": "part"}).status_code == 204
    refused = client.post(f"{path}/refund", json={"amount": 30100, "description": "too much"})
    assert refused.status_code == 400, refused.text
    assert client.post(f"{path}/capture", json={"amount": 19900, "description": "rest"}).status_code == 204
    assert client.post(f"{path}/capture", json={"amount": 100, "description": "past it"}).status_code == 400
    assert client.get(path).json()["summary"] == {"captured": 49900, "refunded": 0}


def test_a_charge_cancelled_by_delete_is_read_cancelled(client, agreement):
    charge = _charge(client, agreement, 1000, "January")
    assert client.delete(f"/subs/v1/agreements/{agreement}/charges/{charge}").status_code == 204
    read = client.get(f"/subs/v1/agreements/{agreement}/charges/{charge}")
    assert read.status_code == 200 and read.json()["status"] == "CANCELLED" and read.json()["amount"] == 1000
