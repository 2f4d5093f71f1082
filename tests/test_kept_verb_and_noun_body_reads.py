"""Kept resources of an RPC-style family whose read is named by a verb and its kind's noun, below a version segment
(tests/published_specs/verb-and-noun-body-reads/: `/transfers/v3_0/getTransfer {transferId}`), made by calls named
for what they make (`/transfers/v3_0/sepa`, answering the id and a status alone). As PolishAPI's `getPayment` of
what `/payments/v2_1_1.1/domestic` made: each was a drawn answer, the read of a payment just made answered another
`tppTransactionId` and a drawn `generalStatus` (`done`, `rejected`), and an id never made was read as if it were."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "verb-and-noun-body-reads",)}
HEADER = {"requestId": "r-1"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "verb-and-noun-body-reads")


@pytest.fixture(scope="module")
def made(client):
    answer = client.post("/transfers/v3_0/sepa", json={"header": HEADER, "creditorAccount": "DE02100100100006820101",
                                                       "amount": "12.50", "clientRef": "inv-7781", "mode": "Later"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _read(client, transfer_id):
    return client.post("/transfers/v3_0/getTransfer", json={"header": HEADER, "transferId": transfer_id})


def test_a_transfer_made_is_read_back_as_sent_in_its_first_state(client, made):
    assert made["status"] == "pending", made
    read = _read(client, made["transferId"])
    assert read.status_code == 200, read.text
    body = read.json()
    assert (body["transferId"], body["clientRef"], body["mode"], body["status"]) == \
        (made["transferId"], "inv-7781", "Later", "pending"), body


def test_a_transfer_never_made_is_refused_in_the_apis_own_error(client, made):
    answer = _read(client, "tr-never-made-1")
    assert answer.status_code == 400 and set(answer.json()) <= {"code", "message"}, answer.text


def test_a_transfer_cancelled_is_read_back_cancelled(client):
    other = client.post("/transfers/v3_0/instant", json={"header": HEADER, "creditorAccount": "DE02100100100006820101",
                                                         "amount": "3.00", "clientRef": "inv-7782"}).json()
    assert client.post("/transfers/v3_0/cancelTransfer", json={"header": HEADER, "transferId": other["transferId"]}).status_code == 200
    assert _read(client, other["transferId"]).json()["status"] == "cancelled"


def test_the_list_holds_the_transfers_made_and_a_batch_is_no_list_of_them(client, made):
    listed = client.post("/transfers/v3_0/getTransfers", json={"header": HEADER}).json()["transfers"]
    assert made["transferId"] in [t["transferId"] for t in listed], listed
    batch = client.post("/transfers/v3_0/getBatch", json={"batchId": "b-1"}).json()
    assert made["transferId"] not in [t["transferId"] for t in batch.get("transfers") or []], batch
