"""Examples that break their schemas in one field, mended there (tests/published_specs/examples-mended-field-by-field/).

Open Banking Nigeria's `GET /v1/accounts/` example writes `data: {page_info, accounts}` where its schema says an
array of accounts: the whole example was replaced by one generated from the schema, so the list answered
`status: "sample"` where the spec shows `"00"`, and a connector checking the code took it for a refusal. Each
field that fits is kept; an object where an array is said is the array it holds (or the one item it is), and
only what fits in no way is drawn.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

FOLDER = Path(__file__).parent / "published_specs" / "examples-mended-field-by-field"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "examples-mended-field-by-field", self_use_token(live.url, admin))


def test_a_page_written_as_an_object_keeps_its_envelope_and_items(client):
    answer = client.get("/v1/depots/")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "00" and body["message"] == "Depots found", body
    assert [depot["depotCode"] for depot in body["data"]] == ["DPT-7", "DPT-9"], body
    assert body["data"][0]["bays"] == 12 and body["data"][1]["bays"] < 2 ** 31, body  # (only the count past int32 drawn)


def test_one_item_written_as_an_object_is_the_array_it_stands_for(client):
    body = client.get("/v1/depots/nearest").json()
    assert body["status"] == "00" and body["message"] == "Nearest depot", body
    assert body["data"] == [{"depotCode": "DPT-3", "depotName": "Canal Side", "bays": 4}], body


def test_check_says_so():
    from sandbox.bindings.check import check_folders

    assert "the fields that do not fit drawn afresh" in repr(check_folders([FOLDER]))
