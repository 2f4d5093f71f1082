"""A resource's `url` is what its client gave it, whatever lists it holds (tests/published_specs/
resource-urls-beside-lists/): a webhook endpoint made for https://hooks.example.com/in, holding its list of
events, was answered and read back with the url `/hooks`, the path it was posted to, as a page's own url is."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "resource-urls-beside-lists",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "resource-urls-beside-lists")


def test_a_resource_holding_a_list_keeps_the_url_it_was_given(client):
    made = client.post("/hooks", json={"url": "https://hooks.example.com/in", "enabled_events": ["charge.made"]})
    assert made.status_code == 201, made.text
    assert made.json()["url"] == "https://hooks.example.com/in", made.json()
    assert made.json()["enabled_events"] == ["charge.made"]
    read = client.get(f"/hooks/{made.json()['id']}").json()
    assert read["url"] == "https://hooks.example.com/in", read
    page = client.get("/hooks").json()
    assert page["url"] == "/hooks", page
    assert [hook["url"] for hook in page["data"]] == ["https://hooks.example.com/in"], page
