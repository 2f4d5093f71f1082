"""A batch API that takes a creation as one bare object and answers its envelope of a list, as Xero's accounting
API does a payment (`PUT /Payments` sends a Payment, answers {"Payments": [...]}), and lists filtered by
comma-separated lists named in the plural (tests/published_specs/single-into-batch/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs" / "single-into-batch"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "single-into-batch")


def test_a_bare_creation_is_answered_in_its_envelope_as_sent_and_read_back(client):
    made = client.put("/Gadgets", json={"Amount": 100.0, "Reference": "PAY-1"})
    assert made.status_code == 200, made.text
    [gadget] = made.json()["Gadgets"]
    assert (gadget["Amount"], gadget["Reference"]) == (100.0, "PAY-1"), gadget
    assert gadget["GadgetID"] != "61ed71fc-01bf-4eb8-8419-8a18789ff45f", gadget
    [read] = client.get(f"/Gadgets/{gadget['GadgetID']}").json()["Gadgets"]
    assert (read["GadgetID"], read["Amount"], read["Reference"]) == (gadget["GadgetID"], 100.0, "PAY-1"), read
    # (a field of the envelope's own name sent too: the payment's `Status` beside the answer's `"Status": "OK"`)
    [voided] = client.put("/Gadgets", json={"Amount": 2.5, "Status": "VOIDED"}).json()["Gadgets"]
    assert (voided["Amount"], voided["Status"]) == (2.5, "VOIDED"), voided

