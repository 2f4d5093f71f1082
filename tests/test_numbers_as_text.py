"""A string whose format says it holds a number (`format: decimal`, `double`, `int64`), as Stripe publishes
`unit_amount_decimal`, is drawn as that number in text: "sample" made the Stripe SDK's `Decimal(value)`
raise on every price, plan, invoice item and invoice line (tests/published_specs/numbers-as-text/)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "numbers-as-text",
))}


def test_numbers_written_as_text_are_drawn_as_numbers(live):
    for tariff in ("t-1", "t-2", "t-3"):
        answer = httpx.get(f"{live.url}/banks/numbers-as-text/tariffs/{tariff}", timeout=30)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        Decimal(body["per_unit"]), Decimal(body["ratio"])  # noqa: B018 - raise on text that is no number
        assert body["counter"].isdigit(), body
