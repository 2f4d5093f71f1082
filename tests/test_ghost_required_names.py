"""A request body that requires names it declares nowhere (tests/published_specs/ghost-required-names/): SDKs
generated from the spec can never send them, so the sandbox requires only what the body declares, and says so
at load; what it declares is still required, and an open map's requirement stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings import load_bank

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ghost-required-names",)}
FOLDER = Path(__file__).parent / "published_specs" / "ghost-required-names"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ghost-required-names")


def test_names_a_request_requires_but_never_declares_are_not_required(client):
    made = client.post("/customers", json={"reference_id": "r-1", "name": "Aiko"})
    assert made.status_code == 200 and made.json()["reference_id"] == "r-1"
    assert client.post("/customers", json={"name": "no reference"}).status_code == 400  # declared: still required


def test_an_open_maps_requirement_stays(client):
    assert client.post("/tags", json={"colour": "red"}).status_code == 400
    assert client.post("/tags", json={"label": "vip"}).status_code == 200


def test_the_load_names_what_it_stopped_requiring():
    warnings = load_bank(FOLDER).warnings
    assert any("client" in w and "entity" in w and "do not declare" in w for w in warnings)
