"""An API key sent to an operation its spec leaves without security, where the spec declares that key elsewhere.

Adyen's Configuration API declares `X-API-Key` on most operations but no requirement at all on a few (its
transfer limits, payout schedules, mandates), and its SDK sends the key on every call. The key is the
caller's there as on the rest: what the call makes is kept in the connector's workspace and read back, and
a key the sandbox never issued is a 401, as a Bearer token or a Basic pair sent to such an operation is.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "unguarded-api-key",)}


def test_an_api_key_sent_to_an_unguarded_operation_keeps_what_it_makes(live, admin):
    token = self_use_token(live.url, admin)
    key = {"X-Platform-Key": token}
    with httpx.Client(base_url=f"{live.url}/banks/unguarded-api-key", timeout=30) as client:
        made = client.post("/caps", json={"ceiling": 7, "note": "mine"}, headers=key)
        assert made.status_code == 200, made.text
        cap = made.json()["id"]
        read = client.get(f"/caps/{cap}", headers=key)
        assert read.status_code == 200 and read.json()["note"] == "mine", read.text  # not the spec's example
        assert client.delete(f"/caps/{cap}", headers=key).status_code == 204
        gone = client.get(f"/caps/{cap}", headers=key)
        assert gone.status_code == 404, gone.text
        forged = client.get(f"/caps/{cap}", headers={"X-Platform-Key": "made-up"})
        assert forged.status_code == 401, forged.text
        # nothing sent at all: answered from the spec, as the spec allows
        assert client.get("/caps/another").status_code == 200
