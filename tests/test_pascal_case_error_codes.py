"""An error's free-text code takes the code its schema gives in PascalCase where it says the same
(tests/published_specs/pascal-case-error-codes/): Dwolla's 404 gives `NotFound` as its example and its SDK's
callers compare codes so; an unknown id was refused `not_found`."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

SLUG = "pascal-case-error-codes"
LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / SLUG,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, SLUG)


def test_an_unknown_id_is_refused_with_the_code_the_schema_gives(client):
    made = client.post("/vouchers", json={"label": "Spring", "points": 5})
    assert made.status_code == 201, made.text
    missing = client.get("/vouchers/vo_never_made_here")
    assert missing.status_code == 404, missing.text
    assert missing.json()["code"] == "NotFound", missing.text


def test_a_body_that_does_not_fit_is_refused_with_the_code_the_schema_gives(client):
    refused = client.post("/vouchers", json={"label": "Spring", "points": 0})
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] in ("ValidationError", "BadRequest"), refused.text
