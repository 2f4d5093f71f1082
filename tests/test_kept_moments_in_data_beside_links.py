"""A resource answered in `Data` beside its `Links` and `Meta` is dated when it was made
(tests/published_specs/moments-in-data-beside-links/): its moments were stamped only in an envelope that was the
answer's one object, so UK Open Banking's account-access consent made today was answered, and read back,
`CreationDateTime: 2024-05-29T00:00:00Z`, its example's, and a payment consent a moment of today's banking
hours, hours after it was made; moved by as long as the example's making was before now, a moment drawn for the
sandbox's day went years ahead."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "moments-in-data-beside-links",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "moments-in-data-beside-links")


def test_a_resource_in_data_beside_links_is_dated_when_it_was_made(client):
    made = client.post("/mandates", json={"Data": {"MaximumAmount": "25.00"}, "Risk": {}})
    assert made.status_code == 201, made.text
    now = datetime.fromisoformat(made.headers["x-sandbox-time"])
    data = made.json()["Data"]
    for name in ("CreationDateTime", "LastUpdateDateTime"):
        assert abs(datetime.fromisoformat(data[name].replace("Z", "+00:00")) - now) < timedelta(seconds=2), data
    # (a moment drawn for the sandbox's days, the day before, is by the making already: not moved by the example's
    # years, and not after the sandbox's now)
    review = datetime.fromisoformat(data["ReviewDateTime"].replace("Z", "+00:00"))
    assert timedelta(0) <= now - review < timedelta(days=2), data
    read = client.get(f"/mandates/{data['MandateId']}").json()["Data"]
    assert read["CreationDateTime"] == data["CreationDateTime"] and read["MaximumAmount"] == "25.00"
