"""Actions asked for in an update's body (tests/published_specs/actions-sent-in-updates/): `PUT /v1/holds/{id}`
sending `capture_amount` captures the hold (SUCCEEDED, read back so), sending `void_me: true` voids it (`is_void`),
and either asked again of a hold done with it is refused (422, in the API's own error form) and changes nothing;
an update sending neither only changes its fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "actions-sent-in-updates",)}


@pytest.fixture(scope="module")
def holds(live):
    yield from bank_client(live, "actions-sent-in-updates")


def _hold(holds) -> dict:
    hold = holds.post("/v1/holds", json={"amount": 10000}).json()
    assert hold["state"] == "PENDING"
    return hold


def test_an_amount_named_for_a_capture_captures_once(holds):
    hold = _hold(holds)
    captured = holds.put(f"/v1/holds/{hold['id']}", json={"capture_amount": 10000})
    assert captured.status_code == 200 and captured.json()["state"] == "SUCCEEDED"
    assert holds.get(f"/v1/holds/{hold['id']}").json()["state"] == "SUCCEEDED"
    for again in ({"capture_amount": 10000}, {"void_me": True}):
        refused = holds.put(f"/v1/holds/{hold['id']}", json=again)
        assert refused.status_code == 422 and {"code", "message"} <= set(refused.json())
    read = holds.get(f"/v1/holds/{hold['id']}").json()
    assert read["state"] == "SUCCEEDED" and read.get("is_void") is not True


def test_a_flag_named_for_a_void_voids_once(holds):
    hold = _hold(holds)
    voided = holds.put(f"/v1/holds/{hold['id']}", json={"void_me": True})
    assert voided.status_code == 200 and voided.json()["is_void"] is True
    assert holds.get(f"/v1/holds/{hold['id']}").json()["is_void"] is True
    for again in ({"void_me": True}, {"capture_amount": 100}):
        assert holds.put(f"/v1/holds/{hold['id']}", json=again).status_code == 422
    assert holds.get(f"/v1/holds/{hold['id']}").json()["state"] != "SUCCEEDED"


def test_an_update_asking_no_action_changes_fields_only(holds):
    hold = _hold(holds)
    changed = holds.put(f"/v1/holds/{hold['id']}", json={"note": "later"}).json()
    assert changed["state"] == "PENDING" and changed["note"] == "later" and changed.get("is_void") is not True
