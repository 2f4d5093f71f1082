"""A creation whose answer names the resource's id after its read's noun (`remittance_run_id` of
`/remittances/{id}`, in a `header` object, as PayPal's payout batches carry `batch_header.payout_batch_id`), with
no `id` field: the resource is kept under that id, the one its client reads it back by. Before, it was kept under
an id of the sandbox's own that no client ever saw, and the read answered a drawn batch (its label, its time
drawn). The folder is tests/published_specs/noun-named-ids."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "noun-named-ids",)}
RUNS = "/banks/noun-named-ids/remittances"


@pytest.fixture
def headers(live, admin):
    return {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}


def test_a_resource_is_read_back_by_the_id_named_after_its_noun(live, headers):
    made = httpx.post(f"{live.url}{RUNS}", headers=headers, json={"label": "December payroll"}, timeout=30)
    assert made.status_code == 201, made.text
    header = made.json()["header"]
    assert header["label"] == "December payroll"
    read = httpx.get(f"{live.url}{RUNS}/{header['remittance_run_id']}", headers=headers, timeout=30)
    assert read.status_code == 200, read.text
    assert read.json()["header"] == header, read.text
