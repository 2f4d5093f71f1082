"""Actions whose path names the resource's id otherwise than its read (tests/published_specs/renamed-action-ids/):
`/plans/{plan}/pause` acts on the plan read at `/plans/{plan_ref}`, as OpenAPI holds the two templates one
(Stripe's subscription `resume`, Square's gift card `link-customer`): the answer is the kept plan in the verb's
state, not one drawn from the schema. Runs on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import module_database_url, postgres  # noqa: F401 - fixtures: every test here runs on both engines
from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "renamed-action-ids",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "renamed-action-ids")


def test_an_action_naming_the_id_otherwise_answers_the_kept_resource(client):
    made = client.post("/plans", json={"owner": "o-17", "note": "gold"}).json()
    paused = client.post(f"/plans/{made['id']}/pause")
    assert paused.status_code == 200
    assert (paused.json()["id"], paused.json()["owner"], paused.json()["note"]) == (made["id"], "o-17", "gold")
    assert paused.json()["status"] == "paused"
    assert client.get(f"/plans/{made['id']}").json()["status"] == "paused"
    resumed = client.post(f"/plans/{made['id']}/resume").json()
    assert (resumed["id"], resumed["status"]) == (made["id"], "active")


def test_an_action_answering_no_resource_still_marks_the_one_its_path_names(client):
    made = client.post("/plans", json={"owner": "o-18"}).json()
    assert client.post(f"/plans/{made['id']}/end").status_code == 202
    assert client.get(f"/plans/{made['id']}").json()["status"] == "ended"
