"""A kept resource listed is the one its read answers, to its nested fields: a tariff's steps keep their optional
`repeats` and `price` in the list as in the read (PayPal's billing plans list their billing cycles'
`pricing_scheme` and `total_cycles`). Before, each listed item was the kept resource over the page's example item,
echoed without the page's schema, and what the example's step left out was dropped from every step. The folder is
tests/published_specs/listed-in-full."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "listed-in-full",)}
TARIFFS = "/banks/listed-in-full/tariffs"


@pytest.fixture
def headers(live, admin):
    return {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}


def test_a_listed_tariff_keeps_the_nested_fields_its_read_gives(live, headers):
    steps = [{"order": 1, "repeats": 12, "price": {"amount": "10.00", "currency": "EUR"}},
             {"order": 2, "repeats": 0, "price": {"amount": "8.00", "currency": "EUR"}}]
    made = httpx.post(f"{live.url}{TARIFFS}", headers=headers, json={"name": "yearly", "steps": steps}, timeout=30)
    assert made.status_code == 201, made.text
    read = httpx.get(f"{live.url}{TARIFFS}/{made.json()['id']}", headers=headers, timeout=30).json()
    assert read["steps"] == steps, read
    page = httpx.get(f"{live.url}{TARIFFS}", headers=headers, timeout=30)
    assert page.status_code == 200, page.text
    listed = [tariff for tariff in page.json()["tariffs"] if tariff.get("id") == made.json()["id"]]
    assert listed and listed[0]["steps"] == steps, page.text
