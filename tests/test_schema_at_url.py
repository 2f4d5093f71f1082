"""A schema named by a URL (tests/published_specs/schema-at-url/) is served as one that takes any value, with a
warning, and the rest of the spec is served as written. Refused as a reference outside the folder, the ePayment
API's whole spec went unserved for its one `receipt` field, described in another API's published document."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.check import check_folders

FOLDER = Path(__file__).parent / "published_specs" / "schema-at-url"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "schema-at-url")


def test_a_schema_at_a_url_is_served_as_any_value_with_a_warning():
    report = check_folders([FOLDER])
    assert report["errors"] == 0 and not report["unavailable"]
    (bank,) = report["banks"]
    assert any("receipts.example.test" in warning and "takes any value" in warning for warning in bank["warnings"])


def test_the_rest_of_the_spec_is_served_and_checked(client):
    made = client.post("/orders", json={"total": 1200, "receipt": {"shop": "Tea house", "vatPercent": 25}})
    assert made.status_code == 201, made.text
    read = client.get(f"/orders/{made.json()['id']}").json()
    assert read["total"] == 1200 and read["receipt"] == {"shop": "Tea house", "vatPercent": 25}
    assert client.post("/orders", json={"total": 0}).status_code == 400  # (what the spec itself declares is checked)
