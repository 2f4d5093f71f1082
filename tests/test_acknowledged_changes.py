"""A change answered only with an acknowledgement (`{ok, note}`, no `data`), where the resource's other
answers wrap it in `data` (Paystack's plan and transfer-recipient updates): the resource read back is the one
made, changed. Before, the acknowledgement was kept as the resource, and every read after the update answered
a drawn plan. The folder is tests/published_specs/acknowledged-changes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import client_credentials, create_connector

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS,)}
TARIFF = "/banks/acknowledged-changes/tariff"


@pytest.fixture
def headers(live, admin):
    accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
    company = next(a["customer_id"] for a in accounts["accounts"] if a["customer_kind"] == "corporate")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": company})
    return {"Authorization": f"Bearer {client_credentials(live.url, connector)['access_token']}"}


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
