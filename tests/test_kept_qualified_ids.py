"""A kept resource whose own id is named for its kind (`GadgetID`, Xero's `ContactID`) and that holds an object
(`Terms`, Xero's `PaymentTerms`) the list's example leaves out is listed under its own id and fields: that object is no envelope of it.
Before, the list answered the made gadget under the example's id (tests/published_specs/kept-qualified-ids/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-qualified-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-qualified-ids")


def test_a_resource_with_a_qualified_id_is_listed_under_its_own_id(client):
    made = client.post("/Gadgets", json={"Name": "Mine"})
    assert made.status_code == 201, made.text
    gadget = made.json()["GadgetID"]
    assert client.get(f"/Gadgets/{gadget}").json()["GadgetID"] == gadget
    listed = client.get("/Gadgets")
    assert listed.status_code == 200, listed.text
    assert [(g["GadgetID"], g["Name"]) for g in listed.json()["Gadgets"]] == [(gadget, "Mine")]
