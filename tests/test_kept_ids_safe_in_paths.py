"""An id the sandbox draws from a pattern is one a URL path holds as it is (tests/published_specs/ids-safe-in-paths/):
a pattern that also takes `%`, `/`, `?`, `#` or a space draws the id of a new resource from its other characters,
so the resource is read back at the path its id names (Brazil's consent ids, `urn:PCi17:%c*A/`, named another path,
and the consent made was answered a redirect or 404)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ids-safe-in-paths",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ids-safe-in-paths")


def test_each_grant_made_is_read_back_at_the_path_its_id_names(client):
    made = [client.post("/grants", json={"scope": f"accounts-{n}"}).json() for n in range(8)]
    for grant in made:
        assert not set(grant["grantId"]) & set("/%?# "), grant
        assert re.match(r"^urn:[a-zA-Z0-9][a-zA-Z0-9-]{0,31}:", grant["grantId"]), grant
        read = client.get(f"/grants/{grant['grantId']}", follow_redirects=False)
        assert read.status_code == 200, (grant, read.status_code, read.text)
        assert read.json() == grant
