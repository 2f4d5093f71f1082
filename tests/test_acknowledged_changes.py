"""A change answered only with an acknowledgement (`{ok, note}`, no `data`), where the resource's other
answers wrap it in `data` (Paystack's plan and transfer-recipient updates): the resource read back is the one
made, changed. Before, the acknowledgement was kept as the resource, and every read after the update answered
a drawn plan. The folder is tests/published_specs/acknowledged-changes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "acknowledged-changes",)}
TARIFF = "/banks/acknowledged-changes/tariff"


@pytest.fixture
def headers(live, admin):
    return {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}


def test_a_change_answered_with_an_acknowledgement_is_read_back_changed(live, headers):
    made = httpx.post(f"{live.url}{TARIFF}", headers=headers, json={"title": "monthly", "cents": 500}, timeout=30)
    assert made.status_code == 200, made.text
    tariff = made.json()["data"]
    changed = httpx.put(f"{live.url}{TARIFF}/{tariff['id']}", headers=headers, json={"title": "weekly", "cents": 150},
                        timeout=30)
    assert changed.status_code == 200 and "data" not in changed.json(), changed.text
    read = httpx.get(f"{live.url}{TARIFF}/{tariff['id']}", headers=headers, timeout=30)
    assert read.status_code == 200, read.text
    assert read.json()["data"] == {"id": tariff["id"], "title": "weekly", "cents": 150}, read.text
