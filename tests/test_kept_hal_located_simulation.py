"""HAL resources made with `Location` alone (tests/published_specs/hal-located-simulation, as Dwolla's customers
and transfers are): each listed item links to itself as its read does, and a test helper that processes what was
made (`POST /test-simulations`) moves each payout on from `pending`. Listed, the items held no `self`; the kept
payout held no state, so the simulation found none waiting and it was read `pending` for good."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "hal-located-simulation",)}
HAL = {"Content-Type": "application/vnd.heron.v1.hal+json"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "hal-located-simulation")


def _made(client, path: str, body: dict) -> str:
    made = client.post(path, json=body, headers=HAL)
    assert made.status_code == 201, made.text
    return made.headers["location"].rsplit("/", 1)[-1]


def test_each_listed_item_links_to_itself(client):
    made = [_made(client, "/payees", {"name": name}) for name in ("Ada", "Ben")]
    listed = client.get("/payees")
    assert listed.status_code == 200, listed.text
    items = {item["id"]: item for item in listed.json()["_embedded"]["payees"]}
    assert set(made) <= set(items), items
    for payee_id in made:
        href = items[payee_id]["_links"]["self"]["href"]
        assert href.endswith(f"/banks/hal-located-simulation/payees/{payee_id}"), items[payee_id]
        read = client.get(href.split("/banks/hal-located-simulation", 1)[1])
        assert read.status_code == 200 and read.json()["id"] == payee_id, read.text


def test_a_simulation_processes_payouts_made_without_a_body(client):
    payout_id = _made(client, "/payouts", {"amount": "12.34"})
    assert client.get(f"/payouts/{payout_id}").json()["status"] == "pending"
    listed = client.get("/payouts").json()["_embedded"]["payouts"]
    assert [item["_links"]["self"]["href"].rsplit("/", 1)[-1] for item in listed if item["id"] == payout_id] \
        == [payout_id], listed
    simulated = client.post("/test-simulations", headers=HAL)
    assert simulated.status_code == 200, simulated.text
    read = client.get(f"/payouts/{payout_id}").json()
    assert read["status"] == "processed", read
    assert payout_id in [item["id"] for item in client.get("/payouts", params={"status": "processed"}).json()
                         ["_embedded"]["payouts"]]
    client.post("/test-simulations", headers=HAL)  # (again: what is processed stays so)
    assert client.get(f"/payouts/{payout_id}").json()["status"] == "processed"


def test_an_item_listed_without_its_owner_links_no_template(client):
    payee_id = _made(client, "/payees", {"name": "Cy"})
    note_id = _made(client, f"/payees/{payee_id}/notes", {"text": "first"})
    listed = client.get("/notes")
    assert listed.status_code == 200, listed.text
    notes = [item for item in listed.json()["_embedded"]["notes"] if item["id"] == note_id]
    assert notes, listed.text
    hrefs = [link.get("href", "") for link in notes[0]["_links"].values()]
    assert not [href for href in hrefs if "{" in href], notes  # (its read's owner is not named by /notes)
