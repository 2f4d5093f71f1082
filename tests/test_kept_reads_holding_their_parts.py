"""A read that names its resource by the path's own parameter and holds a list of the resource's parts
(tests/published_specs/reads-holding-their-parts/): Enable Banking's `GET /payments/{payment_id}` had been
taken for a page of the payment's lines, so a payment made was read back as the example's, and an unknown one
answered 200."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "reads-holding-their-parts",)}

LINE = {"instructed_amount": {"currency": "EUR", "amount": "12.30"}, "creditor_name": "Alice Example"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "reads-holding-their-parts")


def test_a_read_naming_its_own_id_reads_the_resource_made(client):
    made = client.post("/payments", json={"payment_details": {"credit_transfer_transaction": [LINE]}})
    assert made.status_code == 200, made.text
    payment_id = made.json()["payment_id"]
    read = client.get(f"/payments/{payment_id}")
    assert read.status_code == 200, read.text
    assert read.json()["payment_id"] == payment_id
    lines = read.json()["payment_details"]["credit_transfer_transaction"]
    assert [line["instructed_amount"] for line in lines] == [LINE["instructed_amount"]], read.text
    assert client.get(f"/payments/{payment_id}").json() == read.json()


def test_a_read_of_an_unknown_resource_is_the_spec_404(client):
    read = client.get("/payments/00000000-0000-4000-8000-000000000000")
    assert read.status_code == 404, read.text
    assert set(read.json()) >= {"code", "message"}
