"""Moments typed by a format of the vendor's own and an RFC 3339 regular expression are drawn as moments
(tests/published_specs/vendor-format-moments). They were drawn from the regex: `5948-08-09,22:54:17+96:87`,
`8124-04-31t03:19:60z` (PayPal's `transaction_updated_date`), which Airbyte's PayPal source could not parse
and no asked window held."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "vendor-format-moments",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "vendor-format-moments")


def test_a_moment_under_a_vendor_format_is_an_rfc3339_moment_of_the_sandbox_clock(client):
    for n in range(5):
        answer = client.get(f"/statements/st{n}")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        for field in ("posted_date", "closing_time"):
            moment = datetime.fromisoformat(body[field].replace("Z", "+00:00"))
            assert moment.tzinfo is not None and abs((moment - datetime.now(timezone.utc)).days) < 400, body
        assert re.fullmatch(r"[A-Z]{3}[0-9]{6}", body["reference"])  # other patterns are drawn from them still
