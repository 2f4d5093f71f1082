"""A read by id whose query names one of the resource's fields (`?state`, enum `on`/`off`, `default: on`: Lago's
`GET /subscriptions/{external_id}?status`, `default: active`) answers the resource as kept: the default the client
did not send is the API's assumption, never echoed over what was made; a state the client sends that the kept one
is not in finds none (404), as the API's read narrows to it. Before, a thing made `off` read back `on` without the
query, and in whatever state the query asked for (tests/published_specs/kept-state-queries/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "kept-state-queries",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "kept-state-queries")


def _made(client, label: str, state: str) -> str:
    made = client.post("/things", json={"label": label, "state": state})
    assert made.status_code == 200, made.text
    assert made.json()["state"] == state
    return made.json()["id"]


def test_a_query_default_not_sent_never_overwrites_the_kept_state(client):
    thing = _made(client, "Fan", "off")
    read = client.get(f"/things/{thing}")
    assert read.status_code == 200, read.text
    assert (read.json()["label"], read.json()["state"]) == ("Fan", "off")
    asked = client.get(f"/things/{thing}", params={"state": "off"})  # the state it is in, asked for: found
    assert asked.status_code == 200, asked.text
    assert (asked.json()["label"], asked.json()["state"]) == ("Fan", "off")


def test_a_state_sent_that_the_kept_one_is_not_in_finds_none(client):
    thing = _made(client, "Radio", "off")
    read = client.get(f"/things/{thing}", params={"state": "on"})
    assert read.status_code == 404, read.text
    assert read.json()["status"] == 404  # in the API's own error shape
    assert client.get(f"/things/{thing}").json()["state"] == "off"  # and the thing is left as it was
