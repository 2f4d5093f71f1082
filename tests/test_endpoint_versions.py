"""An endpoint declaring the version it is (tests/published_specs/endpoint-versions: `x-version`, as Australia's
Consumer Data Right declares each endpoint's) serves that version alone: a request whose `x-v` (the highest version it
takes) and `x-min-v` (the lowest) take it is answered with `x-v` saying it; one leaving it out is refused 406, one
naming no whole version 400. Every version had been answered, and told it was the one served (`x-v: 99`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "endpoint-versions",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "endpoint-versions")


@pytest.mark.parametrize("asked, status, served", [
    ({"x-v": "2"}, 200, "2"), ({"x-v": "5", "x-min-v": "1"}, 200, "2"), ({"x-v": "2", "x-min-v": "7"}, 200, "2"),
    ({"x-v": "99"}, 406, None), ({"x-v": "1"}, 406, None), ({"x-v": "3", "x-min-v": "3"}, 406, None),
    ({"x-v": "two"}, 400, None),
])
def test_the_version_served_is_the_endpoints_own(client, asked, status, served):
    answer = client.get("/wattle/statements", headers=asked)
    assert answer.status_code == status, answer.text
    if served:
        assert answer.headers["x-v"] == served
    else:
        assert answer.json()["errors"][0]["detail"], answer.text
