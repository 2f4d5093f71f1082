"""A test helper that processes what was made, with no body and no id (tests/published_specs/simulated-processing:
`POST /test-simulations`, "Simulate wire processing", as Dwolla's `POST /sandbox-simulations` processes its bank
transfers), leaves each kept wire `pending` in the state its processing names, `processed`, a state its free-text
`status` is said to take only where its list filters by it. The transfer was read `pending` after it for good."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "simulated-processing",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "simulated-processing")


def test_a_simulation_processes_the_wires_made(client):
    made = client.post("/wires", json={"amount": "12.34"}).json()
    assert made["status"] == "pending", made
    simulated = client.post("/test-simulations")
    assert simulated.status_code == 200, simulated.text
    read = client.get(f"/wires/{made['id']}").json()
    assert read["status"] == "processed", read
    listed = client.get("/wires", params={"status": "processed"}).json()["wires"]
    assert made["id"] in [wire["id"] for wire in listed], listed
