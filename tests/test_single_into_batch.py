"""A batch API that takes a creation as one bare object and answers its envelope of a list, as Xero's accounting
API does a payment (`PUT /Payments` sends a Payment, answers {"Payments": [...]}), and lists filtered by
comma-separated lists named in the plural: `IDs` of the items' own ids (named `GadgetID`) and `Statuses` of their
`Status` were ignored, and every gadget was listed (tests/published_specs/single-into-batch/)."""

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


def test_a_list_is_filtered_by_its_own_ids_and_states_sent_as_comma_separated_plurals(client):
    made = [client.put("/Gadgets", json={"Amount": amount, "Status": status}).json()["Gadgets"][0]
            for amount, status in ((1.5, "AUTHORISED"), (2.5, "VOIDED"), (3.5, "AUTHORISED"))]
    ids = [gadget["GadgetID"] for gadget in made]
    listed = client.get("/Gadgets", params={"IDs": f"{ids[0]},{ids[1]}"}).json()["Gadgets"]
    assert sorted(g["GadgetID"] for g in listed) == sorted(ids[:2]), listed
    listed = client.get("/Gadgets", params={"IDs": ids[2], "Statuses": "AUTHORISED,DELETED"}).json()["Gadgets"]
    assert [g["GadgetID"] for g in listed] == ids[2:], listed
    listed = client.get("/Gadgets", params={"Statuses": "VOIDED"}).json()["Gadgets"]
    assert ids[1] in [g["GadgetID"] for g in listed] and {g["Status"] for g in listed} == {"VOIDED"}, listed
