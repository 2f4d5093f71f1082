"""A consent's life after its customer granted it (tests/published_specs/consent-lifetimes, NextGenPSD2's): ended by
the connector with a DELETE answered 204, it is read on `terminatedByTpp`, the state its enum names for being ended
by the connector, at its path and its status path, and the token granted for it reads nothing more. It had been
forgotten: its read and its status were 404s. Once the sandbox clock passes the last day it is valid until
(`validUntil`), it is read `expired` and its token refused as with one ended; it had been read `valid` for ever."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import client_credentials, consent_granted, create_connector

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-lifetimes",)}


@pytest.fixture(scope="module")
def party(live, admin):
    customer = admin.get("/sandbox/v1/workspaces/default/accounts", params={"limit": 5}).json()["accounts"][0]
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})
    token = client_credentials(live.url, connector)["access_token"]
    for client in bank_client(live, "consent-lifetimes", token):
        yield client, live.url, connector, customer["customer_id"]


def _granted(party, valid_until: str = "2099-12-31", expiring: str | None = None) -> tuple[str, dict]:
    """A consent made valid until `valid_until` (or an access consent `expiring` then) and granted by the customer:
    its id and the customer's headers."""
    client, base, connector, customer = party
    if expiring is None:
        made = client.post("/quince/v1/consents", json={"access": {"allPsd2": "allAccounts"}, "validUntil": valid_until})
    else:
        made = client.post("/quince/v1/access-consents",
                           json={"Data": {"Permissions": ["ReadCards"], "ExpirationDateTime": expiring}})
    assert made.status_code == 201, made.text
    consent = made.json()["consentId"] if expiring is None else made.json()["Data"]["ConsentId"]
    token = consent_granted(base, connector, customer, consent)
    return consent, {"Authorization": f"Bearer {token}", "Consent-ID": consent}


def _code(answer) -> str:
    return answer.json()["tppMessages"][0]["code"]


def test_a_consent_deleted_by_its_connector_is_read_terminated(party):
    client = party[0]
    consent, customer = _granted(party)
    assert client.get("/quince/v1/accounts", headers=customer).status_code == 200
    deleted = client.delete(f"/quince/v1/consents/{consent}")
    assert deleted.status_code == 204 and not deleted.content, deleted.text
    read = client.get(f"/quince/v1/consents/{consent}")
    assert read.status_code == 200 and read.json()["consentStatus"] == "terminatedByTpp", read.text
    status = client.get(f"/quince/v1/consents/{consent}/status")
    assert status.status_code == 200 and status.json() == {"consentStatus": "terminatedByTpp"}, status.text
    after = client.get("/quince/v1/accounts", headers=customer)
    assert (after.status_code, _code(after)) == (401, "CONSENT_INVALID"), after.text


def test_a_consent_past_its_last_day_is_read_expired_and_reads_nothing(party, admin):
    client = party[0]
    now = client.get("/quince/v1/consents/qc-none").headers["X-Sandbox-Time"]
    today = now[:10]
    consent, customer = _granted(party, valid_until=today)
    access, reader = _granted(party, expiring=(datetime.fromisoformat(now) + timedelta(hours=1)).isoformat())
    reader.pop("Consent-ID")
    assert client.get("/quince/v1/accounts", headers=customer).status_code == 200
    assert client.get("/quince/v1/cards", headers=reader).status_code == 200
    moved = admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": 2 * 86400})
    assert moved.status_code == 200, moved.text
    read = client.get(f"/quince/v1/consents/{consent}")
    assert (read.json()["consentStatus"], read.json()["validUntil"]) == ("expired", today), read.text
    assert client.get(f"/quince/v1/consents/{consent}/status").json() == {"consentStatus": "expired"}
    after = client.get("/quince/v1/accounts", headers=customer)
    assert (after.status_code, _code(after)) == (401, "CONSENT_EXPIRED"), after.text  # (its own code: expired)
    # One whose states have no expired one reads the same, and its token reads nothing more.
    assert client.get(f"/quince/v1/access-consents/{access}").json()["Data"]["Status"] == "Authorised"
    assert client.get("/quince/v1/cards", headers=reader).status_code == 403
    # One good for years yet is valid still.
    lasting, _ = _granted(party)
    assert client.get(f"/quince/v1/consents/{lasting}").json()["consentStatus"] == "valid"
