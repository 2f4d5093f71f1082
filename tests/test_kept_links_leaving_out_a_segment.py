"""A link whose example leaves out one of its path's parameters (tests/published_specs/links-leaving-out-a-segment,
NextGenPSD2's `/psd2/v1/payments/1234-wertiq-983/status` for `/v1/{payment-service}/{payment-product}/{paymentId}/
status`) names the path in full, under the mount, with the values the request gave and the resource's own id: the
made payment's status link had read `.../payments/sepa-credit-transfers/status` (a path's own word taken for its
id), or been left at the vendor's prefix, and followed it was refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "links-leaving-out-a-segment",)}
MOUNT = "/banks/links-leaving-out-a-segment"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "links-leaving-out-a-segment")


def test_a_link_leaving_out_a_parameter_names_the_resource_in_full(client):
    made = client.post("/v1/payments/sepa-credit-transfers", json={"amount": "12.30"})
    assert made.status_code == 201, made.text
    payment, links = made.json()["paymentId"], made.json()["_links"]
    assert links["self"]["href"] == f"{MOUNT}/v1/payments/sepa-credit-transfers/{payment}", links
    assert links["status"]["href"] == f"{MOUNT}/v1/payments/sepa-credit-transfers/{payment}/status", links
    followed = client.get(links["status"]["href"].removeprefix(MOUNT))
    assert (followed.status_code, followed.json()["transactionStatus"]) == (200, "RCVD"), followed.text
