"""An answer holding an integer past 64 bits (tests/published_specs/integers-past-64-bits/: a tariff's example
bound of 28 digits). Such an answer is written by the standard library (orjson refuses the integer), and
response validation read those bytes back with orjson, which took it for a float (`-4.117051397819696e+27 is not
of type 'integer'`): a 500 for an answer JSON allows, found echoing a client's bound of that size."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "integers-past-64-bits",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "integers-past-64-bits")


def test_an_integer_past_64_bits_is_answered_whole(client):
    read = client.get("/tariffs/open-ended")
    assert read.status_code == 200, read.text
    assert read.json()["ranges"][0]["from"] == -4117051397819695727592341504
    assert '"from":-4117051397819695727592341504' in read.text.replace(" ", "")
