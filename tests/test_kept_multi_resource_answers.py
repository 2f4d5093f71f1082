"""An answer made of nothing but resources, the one it is about first (tests/published_specs/multi-resource-answers/):
what was sent and the id made are the member's, and it is read back as made. Read as an answer with no envelope,
the member was read back under another id, with the example's nickname."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "multi-resource-answers",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "multi-resource-answers")


def test_the_first_of_several_resources_is_the_one_made_and_read_back(client):
    made = [client.post("/members", data={"nickname": name}).json()["member"] for name in ("ada", "bo")]
    assert [m["nickname"] for m in made] == ["ada", "bo"] and made[0]["id"] != made[1]["id"]
    for member in made:
        read = client.get(f"/members/{member['id']}").json()["member"]
        assert (read["id"], read["nickname"]) == (member["id"], member["nickname"])
