"""A creation's answer holds no free text its client could have sent and did not (tests/published_specs/
unsent-free-text/): a voucher made without a memo or a label answers, and reads back, none (a label that takes null,
null), while what it sent stays as sent, and its number, state and moments are the server's; a read with an example
of its own holds none of that example's text the creation did not answer. Xero's invoice made without a Reference
answered, and read back, the example's `Website Design`; SumUp's checkout made without a description was read back
with its read's example's `Purchase`. A field the answer requires and takes null for is null where it was not sent,
an id naming another resource too: PAY.JP's payment flow made without a description or a customer answered
`description: sample` and the id of a customer never made."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "unsent-free-text",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "unsent-free-text")


def test_free_text_not_sent_is_not_the_examples(client):
    made = client.put("/Vouchers", json={"Vouchers": [{"Amount": 25.0}]}).json()["Vouchers"][0]
    assert "Memo" not in made and "Description" not in made and made["Label"] is None and made["DueDate"], made
    assert made["VoucherNumber"] and made["Status"] in ("DRAFT", "AUTHORISED") and made["Amount"] == 25.0
    read = client.get(f"/Vouchers/{made['VoucherID']}").json()["Vouchers"][0]
    assert "Memo" not in read and read["Label"] is None, read


def test_free_text_sent_stays_as_sent(client):
    sent = {"Amount": 25.0, "Memo": "PO 12", "Label": "Autumn", "DueDate": "2026-12-01"}
    made = client.put("/Vouchers", json={"Vouchers": [sent]}).json()["Vouchers"][0]
    assert {key: made[key] for key in sent} == sent, made


def test_a_read_with_an_example_of_its_own_holds_none_of_it_the_creation_did_not(client):
    made = client.post("/passes", json={"amount": 25.0}).json()
    assert "note" not in made, made
    read = client.get(f"/passes/{made['id']}").json()
    assert read == made, read


def test_a_required_field_taking_null_is_null_where_it_was_not_sent(client):
    made = client.post("/tabs", json={"amount": 500})
    assert made.status_code == 200, made.text
    assert made.json()["note"] is None and made.json()["holder_id"] is None, made.json()
    assert made.json()["status"] in ("open", "closed") and made.json()["amount"] == 500
    read = client.get(f"/tabs/{made.json()['id']}").json()
    assert read["note"] is None and read["holder_id"] is None, read
    sent = client.post("/tabs", json={"amount": 500, "note": "table 4", "holder_id": "hol_1"}).json()
    assert sent["note"] == "table 4" and sent["holder_id"] == "hol_1", sent
