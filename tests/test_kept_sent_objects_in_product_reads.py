"""An object sent whole to make a resource read as one of several products (a `oneOf` of shapes: NextGenPSD2's
payment read) is read back as sent (tests/published_specs/sent-objects-in-product-reads): the payment made with a
`debtorAccount` of an IBAN alone was read with a BBAN, a PAN, a masked PAN and an MSISDN drawn beside it, as if
the account were referred to by all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "sent-objects-in-product-reads",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "sent-objects-in-product-reads")


def test_an_account_reference_sent_is_read_as_sent(client):
    sent = {"amount": "10.00", "payerAccount": {"iban": "DE89370400440532013000"},
            "payeeAccount": {"msisdn": "+49 170 5550101"}}
    made = client.post("/v1/remittances", json=sent)
    assert made.status_code == 201, made.text
    read = client.get(f"/v1/remittances/{made.json()['remittanceId']}")
    assert read.status_code == 200, read.text
    assert read.json()["payerAccount"] == sent["payerAccount"], read.text
    assert read.json()["payeeAccount"] == sent["payeeAccount"], read.text
    assert read.json()["amount"] == "10.00"
