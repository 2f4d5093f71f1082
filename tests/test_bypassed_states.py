"""A state field of an answer marked `x-...BypassValidation` keeps its declared states
(tests/published_specs/bypassed-states/): a new resource starts in its first state and an action leaves the
state its verb names from the enum, not a participle outside it (Stripe's invoice was answered `finalized`,
`voided` while the mark was read as `anyOf: [declared, {}]` in answers too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.loader import load_bank

from live_server import bank_client

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "bypassed-states",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "bypassed-states")


def test_a_mark_in_what_the_server_answers_changes_nothing():
    """The answer's `status` keeps its own enum: read as `anyOf [declared, {}]`, its states were lost."""
    api = load_bank(FOLDER / "bypassed-states")
    status = api.spec["components"]["schemas"]["bill"]["properties"]["status"]
    assert status["enum"] == ["draft", "open", "paid", "uncollectible", "void"] and "anyOf" not in status


def test_states_stay_declared(client):
    made = client.post("/bills", json={"amount": 5})
    assert made.status_code == 200, made.text
    assert made.json()["status"] == "draft"
    voided = client.post(f"/bills/{made.json()['id']}/void")
    assert voided.status_code == 200, voided.text
    assert voided.json()["status"] == "void"
    assert client.get(f"/bills/{made.json()['id']}").json()["status"] == "void"
