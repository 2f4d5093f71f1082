"""One resource the spec reads at two paths (tests/published_specs/one-kind-two-reads/: under its user, and
under the user's group): a change made at one path is read at the other, and a delete at one is a 404 at both."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "one-kind-two-reads",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "one-kind-two-reads")


def test_a_change_at_one_read_path_is_read_at_the_other_and_a_delete_reaches_both(client):
    made = client.post("/users/U1/wallets", json={"wallet": {"nickname": "Rent"}}).json()["wallet"]
    changed = client.put(f"/users/U1/groups/G1/wallets/{made['id']}", json={"wallet": {"nickname": "Rent", "hidden": True}})
    assert changed.status_code == 200 and changed.json()["wallet"]["hidden"] is True
    read = client.get(f"/users/U1/wallets/{made['id']}").json()["wallet"]
    assert (read["id"], read["nickname"], read["hidden"]) == (made["id"], "Rent", True)
    assert client.delete(f"/users/U1/wallets/{made['id']}").status_code == 204
    assert client.get(f"/users/U1/groups/G1/wallets/{made['id']}").status_code == 404
