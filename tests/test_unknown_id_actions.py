"""An action on an id never made here (Stripe's `POST /v1/payouts/po_unknown/cancel`) is answered from the spec
and keeps nothing: it had kept a resource made of the draw, which every later list of the kind showed beside
what the client made (tests/published_specs/unknown-id-actions/)."""

from __future__ import annotations

from pathlib import Path

import httpx

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "unknown-id-actions",
))}


def test_an_action_on_an_unknown_id_makes_nothing_a_list_shows(live):
    with httpx.Client(base_url=f"{live.url}/banks/unknown-id-actions", timeout=30) as client:
        made = client.post("/parcels", json={"weight": 3}).json()
        assert client.post("/parcels/never-made/recall").status_code == 200
        assert client.post(f"/parcels/{made['id']}/recall").json()["status"] == "recalled"
        listed = [parcel["id"] for parcel in client.get("/parcels").json()["data"]]
        assert "never-made" not in listed and made["id"] in listed, listed
