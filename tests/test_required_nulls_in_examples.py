"""An example's null for a required field whose schema takes none (tests/published_specs/required-nulls-in-examples/).

Open Banking Nigeria's transfer answers write `errors: null, error: null` (both required text) beside the
transfer's status and reference: the whole example was replaced by one generated from the schema, so every
transfer answered `status: "sample"` where the spec shows `"00"` (approved), and a connector checking the code
took each one for a refusal. The nulls are drawn afresh as values of their fields; the rest of the example is kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token

FOLDER = Path(__file__).parent / "published_specs" / "required-nulls-in-examples"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live, admin):
    yield from bank_client(live, "required-nulls-in-examples", self_use_token(live.url, admin))


def test_an_answer_keeps_the_example_with_its_nulls_drawn(client):
    sent = client.post("/v1/remittances/send", json={"amount": 1000, "payee": "8000000054"})
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["status"] == "00" and body["message"] == "Enter the code sent to ****1412", body
    data = body["data"]
    assert data["remittanceRef"] == "RMT-0042" and data["expiryMinutes"] == 9, body
    assert isinstance(data["errors"], str) and isinstance(data["error"], str), body


def test_check_says_so():
    from sandbox.bindings.check import check_folders

    text = repr(check_folders([FOLDER]))
    assert "completed with values generated for the required fields it lacked or gave a null" in text, text
