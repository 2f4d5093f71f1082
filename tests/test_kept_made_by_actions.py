"""Resources made by an action under another resource (tests/published_specs/captures-made-by-actions/): settling
a hold answers a settlement read at `/settlements/{id}`, each kind composed with `allOf` (its `id` in a part).
The settlement is kept as made (read back as answered, not drawn), and the hold, where it was made here, is left
in the state the verb names. Runs on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "captures-made-by-actions", "captures-wider-than-holds",
))}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "captures-made-by-actions")


@pytest.fixture(scope="module")
def permits(live):
    yield from bank_client(live, "captures-wider-than-holds")


@pytest.mark.slow
def test_what_an_action_makes_is_read_back_as_made(client):
    hold = client.post("/holds", json={"currency": "EUR", "value": "120"}).json()
    made = client.post(f"/holds/{hold['id']}/settle", json={"amount": {"currency": "EUR", "value": "120"}})
    assert made.status_code == 201
    settlement = made.json()
    read = client.get(f"/settlements/{settlement['id']}")
    assert read.status_code == 200 and read.json() == settlement
    assert client.get(f"/holds/{hold['id']}").json()["status"] == "SETTLED"


def test_what_an_action_on_a_resource_made_elsewhere_makes_is_read_back_as_made(client):
    """A hold made by another API (an example's id): the settlement made of it is still this sandbox's own."""
    settlement = client.post("/holds/HOLD0FROM0ELSEWHERE/settle", json={"amount": {"currency": "JPY", "value": "5"}}).json()
    assert client.get(f"/settlements/{settlement['id']}").json() == settlement
    returned = client.post(f"/settlements/{settlement['id']}/return", json={"amount": {"currency": "JPY", "value": "5"}})
    assert returned.status_code == 201
    assert client.get(f"/returns/{returned.json()['id']}").json() == returned.json()
    assert client.get(f"/settlements/{settlement['id']}").json()["status"] == "RETURNED"


@pytest.mark.parametrize("verb, kind, made_in, left_in", [("capture", "captures", "COMPLETED", "CAPTURED"),
                                                          ("toll", "tolls", "PENDING", "TOLLED")])
def test_what_an_action_makes_is_its_own_kind_however_alike(permits, verb, kind, made_in, left_in):
    """tests/published_specs/captures-wider-than-holds/: a capture holding its permit's fields and more was
    answered as the permit, under its id, and never kept; a toll holding the very same fields too. Each is made
    under an id of its own, in its own states, read back as made, and the permit is left in the verb's state."""
    permit = permits.post("/permits", json={"currency": "EUR", "value": "70"}).json()
    made = permits.post(f"/permits/{permit['id']}/{verb}", json={"amount": {"currency": "EUR", "value": "70"}})
    assert made.status_code == 201, made.text
    assert made.json()["id"] != permit["id"] and made.json()["status"] == made_in, made.text
    read = permits.get(f"/{kind}/{made.json()['id']}")
    assert read.status_code == 200 and read.json() == made.json(), read.text
    assert permits.get(f"/permits/{permit['id']}").json()["status"] == left_in
