"""What nothing kept says of a resource is drawn once for it (tests/published_specs/drawn-fields-kept/): a field
its creation did not answer and its client never sent is drawn from the resource's own seed, so its read, its
change and every page holding it agree, and two resources do not share one value (SumUp's reader answered a new
`service_account_id` at each read and change, and every reader listed had the page's one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "drawn-fields-kept",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "drawn-fields-kept")


def test_fields_no_answer_kept_are_the_resources_own_on_every_answer(client):
    made = [client.post("/terminals", json={"name": name}).json()["id"] for name in ("Front", "Back")]
    assert len(set(made)) == 2
    listed = {item["id"]: item for item in client.get("/terminals").json()["items"]}
    assert set(made) <= set(listed)
    first, second = (listed[terminal] for terminal in made)
    assert (first["fleet_key"], first["firmware"]) != (second["fleet_key"], second["firmware"])
    read = client.get(f"/terminals/{made[0]}").json()
    changed = client.patch(f"/terminals/{made[0]}", json={"name": "Lobby"}).json()
    again = client.get(f"/terminals/{made[0]}").json()
    assert changed["name"] == again["name"] == "Lobby"
    for answer in (read, changed, again, {i["id"]: i for i in client.get("/terminals").json()["items"]}[made[0]]):
        assert (answer["fleet_key"], answer["firmware"]) == (first["fleet_key"], first["firmware"]), answer
