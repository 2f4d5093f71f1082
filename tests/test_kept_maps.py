"""A map the client sends (tests/published_specs/kept-maps/): its `metadata` is answered and kept as sent, not
merged with the keys the spec's example for it shows (Modern Treasury's `{"key": "value", "foo": "bar", ...}`
came back beside the connector's own); a merge patch of it adds to what was sent."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs",)}


@pytest.fixture(scope="module")
def client(live):
    with httpx.Client(base_url=f"{live.url}/banks/kept-maps", timeout=30) as client:
        yield client


def test_a_map_sent_at_creation_is_answered_and_kept_as_sent(client):
    made = client.post("/labels", json={"title": "urgent", "metadata": {"order": "6735"}}).json()
    assert made["metadata"] == {"order": "6735"}
    assert client.get(f"/labels/{made['id']}").json()["metadata"] == {"order": "6735"}
    changed = client.patch(f"/labels/{made['id']}", json={"metadata": {"tier": "gold"}}).json()
    assert changed["metadata"] == {"order": "6735", "tier": "gold"}
    assert client.get(f"/labels/{made['id']}").json()["metadata"] == {"order": "6735", "tier": "gold"}
