"""A second kind an RPC-style family makes and reads, named by its noun (tests/published_specs/rpc-second-kind-by-noun:
`batch` answering a `batchId`, read by `getBatch {batchId}`, beside the family's own transfers). As PolishAPI's bundle
of payments (`/payments/v2_1_1.1/bundle`, `getBundle`): it was kept nowhere, `getBundle` answering any id, one never
made too, with a drawn bundle of another `tppBundleId`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "rpc-second-kind-by-noun",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "rpc-second-kind-by-noun")


def _batch(client, reference: str) -> dict:
    made = client.post("/transfers/v3/batch", json={"clientBatchId": reference, "total": "30.00",
                                                    "transfers": [{"clientRef": f"{reference}-1", "amount": "30.00"}]})
    assert made.status_code == 200, made.text
    return made.json()


def test_each_batch_is_kept_under_its_own_id_and_read_back_as_sent(client):
    first, second = _batch(client, "plover-batch-1"), _batch(client, "plover-batch-2")
    assert first["batchId"] and first["batchId"] != second["batchId"], (first, second)
    read = client.post("/transfers/v3/getBatch", json={"batchId": first["batchId"], "includeTransfers": False})
    assert read.status_code == 200, read.text
    assert read.json()["batchId"] == first["batchId"] and read.json()["clientBatchId"] == "plover-batch-1", read.json()
    assert read.json()["total"] == "30.00"


def test_a_batch_never_made_is_refused_as_the_api_refuses_what_it_cannot_find(client):
    _batch(client, "plover-batch-3")
    refused = client.post("/transfers/v3/getBatch", json={"batchId": "never-made-batch", "includeTransfers": False})
    assert refused.status_code == 400 and set(refused.json()) == {"code", "message"}, refused.text  # (no 404 declared)


def test_the_familys_own_kind_is_still_read_by_its_own_call(client):
    made = client.post("/transfers/v3/domestic", json={"clientRef": "plover-t-1", "amount": "12.00"})
    assert made.status_code == 200, made.text
    read = client.post("/transfers/v3/getTransfer", json={"transferId": made.json()["transferId"]})
    assert read.status_code == 200 and read.json()["transferId"] == made.json()["transferId"], read.text
    unknown = client.post("/transfers/v3/getTransfer", json={"transferId": "never-made-transfer"})
    assert unknown.status_code == 400, unknown.text
