"""Totals that add up (tests/published_specs/line-totals/): a line sent with how many at what price is answered
and kept with its amounts, their product; its document's sub-total and total are the sum of its lines (its tax
its lines' tax, none where its client sent none), and what is due its total less what was paid: in numbers
(`Quantity` 2 at `UnitAmount` 150 is a `LineAmount` of 300.0, as Xero's invoices) and in money objects of minor
units with a quantity in a string (`"2"` at `base_price_money` 15000 USD is `total_money` 30000 USD, as Square's
orders). A payment naming a bill by its id pays it: what was paid of it grows, what is due shrinks, and paid in full
it is in its enum's paid state, paid on the day (Xero's invoice paid in full stayed `AUTHORISED`). Lines whose
amounts include their tax (`LineAmountTypes: Inclusive`) make a sub-total of their sum less their tax and a total of
their sum (Xero's inclusive invoice of 115 with 15 of tax was answered a total of 130)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from live_server import BUSINESS_MORNING, bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "line-totals",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "line-totals")


def _lines(*parts) -> list:
    return [{"Description": f"line {n}", "Quantity": quantity, "UnitAmount": price}
            for n, (quantity, price) in enumerate(parts)]


def _adds_up(bill: dict, lines: list, paid: float = 0.0) -> None:
    assert [line["LineAmount"] for line in bill["Lines"]] == lines
    assert bill["SubTotal"] == sum(lines)
    assert [line["TaxAmount"] for line in bill["Lines"]] == [0] * len(lines) and bill["TotalTax"] == 0
    assert bill["Total"] == sum(lines)
    assert bill["AmountPaid"] == paid and bill["AmountDue"] == round(bill["Total"] - paid, 2)


def test_a_bill_of_numbers_adds_up_as_made_read_and_changed(client):
    made = client.post("/Bills", json={"Reference": "r1", "Lines": _lines((2, 150), (1, 40))})
    assert made.status_code == 200, made.text
    _adds_up(made.json(), [300.0, 40.0])
    read = client.get(f"/Bills/{made.json()['BillID']}").json()
    _adds_up(read, [300.0, 40.0])
    changed = client.post(f"/Bills/{read['BillID']}", json={"Lines": _lines((3, 2.5)), "AmountPaid": 5.0}).json()
    _adds_up(changed, [7.5], paid=5.0)
    _adds_up(client.get(f"/Bills/{read['BillID']}").json(), [7.5], paid=5.0)


def test_a_line_amount_the_client_sent_is_kept_as_sent(client):
    bill = client.post("/Bills", json={"Reference": "r2", "Lines": [{"Quantity": 2, "UnitAmount": 150, "LineAmount": 250}]}).json()
    assert bill["Lines"][0]["LineAmount"] == 250 and bill["SubTotal"] == 250
    taxed = client.post("/Bills", json={"Reference": "r3", "Lines": [{"Quantity": 2, "UnitAmount": 150, "TaxAmount": 30}]}).json()
    assert taxed["Lines"][0]["LineAmount"] == 300 and taxed["TotalTax"] == 30 and taxed["Total"] == 330


def test_a_ticket_of_money_objects_adds_up_in_minor_units(client):
    sent = {"idempotency_key": "k1", "ticket": {"line_items": [
        {"name": "a", "quantity": "2", "base_price_money": {"amount": 15000, "currency": "USD"}},
        {"name": "b", "quantity": "1", "base_price_money": {"amount": 4000, "currency": "USD"}}]}}
    made = client.post("/v2/tickets", json=sent)
    assert made.status_code == 200, made.text
    ticket = made.json()["ticket"]
    for line, amount in zip(ticket["line_items"], (30000, 4000)):
        assert line["total_money"] == line["gross_sales_money"] == {"amount": amount, "currency": "USD"}
        assert line["total_tax_money"]["amount"] == line["total_discount_money"]["amount"] == 0
    assert ticket["total_tax_money"]["amount"] == ticket["total_discount_money"]["amount"] == 0
    assert ticket["net_amounts"]["total_money"] == {"amount": 34000, "currency": "USD"}
    assert ticket["net_amounts"]["tax_money"]["amount"] == ticket["net_amounts"]["discount_money"]["amount"] == 0
    assert ticket["total_money"] == {"amount": 34000, "currency": "USD"}
    assert client.get(f"/v2/tickets/{ticket['id']}").json()["ticket"]["total_money"] == ticket["total_money"]


def test_a_payment_of_an_amount_totals_it_and_its_tip_in_its_currency(client):
    # (drawn, Square's payment of 1500 JPY was answered a `total_money` and an `approved_money` of 6176 USD)
    sent = {"source_id": "cnon:card-nonce-ok", "idempotency_key": "p1", "amount_money": {"amount": 1500, "currency": "JPY"},
            "tip_money": {"amount": 200, "currency": "JPY"}}
    payment = client.post("/v2/card-payments", json=sent).json()["payment"]
    assert payment["total_money"] == {"amount": 1700, "currency": "JPY"}, payment
    assert payment["approved_money"] == {"amount": 1500, "currency": "JPY"}, payment
    assert payment["app_fee_money"]["currency"] == "JPY", payment  # (its other money, drawn, in its currency)
    assert client.get(f"/v2/card-payments/{payment['id']}").json()["payment"]["total_money"] == payment["total_money"]
    untipped = client.post("/v2/card-payments", json={**{k: v for k, v in sent.items() if k != "tip_money"},
                                                      "idempotency_key": "p2"})
    assert untipped.json()["payment"]["total_money"] == {"amount": 1500, "currency": "JPY"}, untipped.text


def test_a_payment_naming_a_bill_pays_it(client):
    bill = client.post("/Bills", json={"Reference": "r4", "Lines": _lines((2, 150), (1, 40))}).json()
    paid = client.post("/Payments", json={"Bill": {"BillID": bill["BillID"]}, "Amount": 100.0})
    assert paid.status_code == 200, paid.text
    _adds_up(client.get(f"/Bills/{bill['BillID']}").json(), [300.0, 40.0], paid=100.0)
    second = client.post("/Payments", json={"Bill": {"BillID": bill["BillID"]}, "Amount": 240.0}).json()
    read = client.get(f"/Bills/{bill['BillID']}").json()
    assert read["AmountDue"] == 0
    # (each listed in the bill's payments, as Xero's invoice lists its `Payments`)
    assert read["Payments"] == [{"PaymentID": paid.json()["PaymentID"], "Amount": 100.0},
                                {"PaymentID": second["PaymentID"], "Amount": 240.0}]


def test_a_bill_paid_in_full_is_paid_on_the_day(client):
    bill = client.post("/Bills", json={"Reference": "r5", "Status": "AUTHORISED", "Lines": _lines((1, 80))}).json()
    client.post("/Payments", json={"Bill": {"BillID": bill["BillID"]}, "Amount": 30.0})
    part = client.get(f"/Bills/{bill['BillID']}").json()
    assert part["Status"] == "AUTHORISED" and part["AmountDue"] == 50.0
    client.post("/Payments", json={"Bill": {"BillID": bill["BillID"]}, "Amount": 50.0})
    whole = client.get(f"/Bills/{bill['BillID']}").json()
    assert (whole["Status"], whole["AmountPaid"], whole["AmountDue"]) == ("PAID", 80.0, 0.0)
    day = datetime.fromisoformat(BUSINESS_MORNING).timestamp() * 1000
    assert re.fullmatch(r"/Date\(\d+\+0000\)/", whole["FullyPaidOnDate"])
    assert abs(int(whole["FullyPaidOnDate"][6:-7]) - day) < 86_400_000, whole["FullyPaidOnDate"]


def test_lines_whose_amounts_include_their_tax_hold_it(client):
    lines = [{"Quantity": 1, "UnitAmount": 115, "TaxAmount": 15}, {"Quantity": 2, "UnitAmount": 23, "TaxAmount": 6}]
    inclusive = client.post("/Bills", json={"Reference": "r6", "LineAmountTypes": "Inclusive", "Lines": lines}).json()
    assert (inclusive["SubTotal"], inclusive["TotalTax"], inclusive["Total"]) == (140.0, 21.0, 161.0)
    assert inclusive["AmountDue"] == 161.0
    assert client.get(f"/Bills/{inclusive['BillID']}").json()["SubTotal"] == 140.0
    exclusive = client.post("/Bills", json={"Reference": "r7", "LineAmountTypes": "Exclusive", "Lines": lines}).json()
    assert (exclusive["SubTotal"], exclusive["TotalTax"], exclusive["Total"]) == (161.0, 21.0, 182.0)
    untaxed = client.post("/Bills", json={"Reference": "r8", "LineAmountTypes": "NoTax", "Lines": _lines((2, 10))}).json()
    assert (untaxed["SubTotal"], untaxed["TotalTax"], untaxed["Total"]) == (20.0, 0.0, 20.0)
