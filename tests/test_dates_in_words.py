"""Days declared in words (tests/published_specs/dates-in-words/): a text whose description gives its form as
yyyy-mm-dd is a day, in a body and in a query, and one that is no day is the spec's 400 (freee's deal made with
`issue_date: 2026-13-45` was made and listed, and `start_date=yesterday` filtered nothing out); a text whose
description gives a moment is left as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.loader import load_bank

FOLDER = Path(__file__).parent / "published_specs" / "dates-in-words"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "dates-in-words")


def test_a_body_day_that_is_none_is_refused_in_the_specs_shape_and_a_day_is_kept(client):
    refused = client.post("/api/1/vouchers", json={"issue_date": "2026-13-45", "amount": 500})
    assert refused.status_code == 400, refused.text
    assert refused.json()["status_code"] == 400 and refused.json()["errors"][0]["messages"], refused.text
    made = client.post("/api/1/vouchers", json={"issue_date": "2026-12-01", "amount": 500,
                                                 "noted_at": "2026-12-01 10:00:00"})
    assert made.status_code == 201, made.text
    voucher = made.json()["voucher"]
    assert client.get(f"/api/1/vouchers/{voucher['id']}").json()["voucher"]["issue_date"] == "2026-12-01"
    assert voucher["noted_at"] == "2026-12-01 10:00:00"  # (a moment in words is no day)


def test_a_query_day_that_is_none_is_refused_and_a_day_filters(client):
    refused = client.get("/api/1/vouchers", params={"start_date": "yesterday"})
    assert refused.status_code == 400, refused.text
    assert refused.json()["errors"][0]["type"] == "validation", refused.text
    assert client.get("/api/1/vouchers", params={"start_date": "2026-12-01", "end_date": "2026-12-31"}).status_code == 200


def test_check_names_the_days_read_from_words():
    warnings = load_bank(FOLDER).warnings
    assert any("yyyy-mm-dd" in w and "format: date" in w and "3 more" in w for w in warnings), warnings
