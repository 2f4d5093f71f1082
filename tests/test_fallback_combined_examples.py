"""An answer drawn from an `allOf` that joins common fields with a `oneOf` of kinds, each kind with an example
showing more than it declares (tests/published_specs/moves-of-two-kinds/), and a list with a discriminator
written beside its array, as Alpaca's Broker API writes its journals. The kind's example stood for the whole
(its id no uuid) and the list's discriminator drew one journal for the whole list: `createJournal`,
`createBatchJournal` and `getAllJournals` were unservable (500s), and alpaca-py's journal calls all failed."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "moves-of-two-kinds",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "moves-of-two-kinds")


def test_a_move_made_is_answered_with_a_uuid_id(client):
    sent = {"kind": "MONEY", "from_pocket": str(uuid.uuid4()), "to_pocket": str(uuid.uuid4()), "sum": "5"}
    answer = client.post("/moves", json=sent)
    assert answer.status_code == 200, answer.text
    uuid.UUID(answer.json()["id"])


def test_a_list_with_a_discriminator_beside_its_array_is_a_list(client):
    answer = client.get("/moves")
    assert answer.status_code == 200, answer.text
    assert isinstance(answer.json(), list), answer.text
