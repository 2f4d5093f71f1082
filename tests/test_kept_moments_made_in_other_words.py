"""A moment whose description says it is when the resource was made is the moment it was made, whatever its name
(tests/published_specs/moments-made-in-other-words/): a ticket's `date`, "The timestamp of when the ticket was
created.", is the sandbox's now, and read back so; a moment measured from its making is not its making. SumUp's
checkout made today answered, and read back, `date` 2021-06-29T11:08:36, its example's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from live_server import BUSINESS_MORNING, bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "moments-made-in-other-words",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "moments-made-in-other-words")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_moment_said_to_be_the_making_is_when_it_was_made(client):
    made = client.post("/tickets", json={"amount": 10}).json()
    assert _at(made["date"]) == _at(BUSINESS_MORNING), made
    assert client.get(f"/tickets/{made['id']}").json()["date"] == made["date"]


def test_a_moment_measured_from_the_making_is_not_the_making(client):
    made = client.post("/tickets", json={"amount": 10}).json()
    assert _at(made["valid_until"]) > _at(made["date"]) == _at(BUSINESS_MORNING), made
