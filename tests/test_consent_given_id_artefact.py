"""A consent named by the id it is given once its customer approved it (tests/published_specs/consent-given-id-artefact,
India's Account Aggregator's consent: made by `POST /Consent`, polled by `POST /Consent/handle`, its signed copy read
by `POST /Consent/fetch {consentId}`, data asked for by `POST /FI/request {Consent: {id}}`). The artefact read of any
id answered 200 with the spec's example consent, one never given too, and data was asked for under any consent id;
a consent could not be refused, as its customer answers it in the provider's own app."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "consent-given-id-artefact",)}
ENVELOPE = {"ver": "2.0", "txnid": "t-1"}
RANGE = {"from": "2026-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "consent-given-id-artefact")


def _requested(client, who: str) -> str:
    made = client.post("/Consent", json={**ENVELOPE, "ConsentDetail": {"purpose": "lending", "Customer": {"id": who},
                                                                      "Range": RANGE}})
    assert made.status_code == 200, made.text
    return made.json()["ConsentHandle"]


def _state(client, handle: str) -> dict:
    read = client.post("/Consent/handle", json={**ENVELOPE, "ConsentHandle": handle})
    assert read.status_code == 200, read.text
    return read.json()["ConsentState"]


def _asked(client, consent_id: str):
    return client.post("/Data/request", json={**ENVELOPE, "Consent": {"id": consent_id}, "Range": RANGE})


def test_an_artefact_of_an_id_no_consent_was_given_is_refused_as_declared(client):
    refused = client.post("/Consent/artefact", json={**ENVELOPE, "consentId": "never-given-1"})
    assert refused.status_code == 404 and set(refused.json()) == {"errorCode", "errorMsg"}, refused.text


def test_data_under_an_id_no_consent_was_given_is_refused_in_the_apis_error(client):
    refused = _asked(client, "never-given-2")
    assert refused.status_code == 400 and "never-given-2" in refused.json()["errorMsg"], refused.text


def test_a_consent_still_pending_is_refused_by_its_customer_through_the_control_plane(client, admin):
    handle = _requested(client, "ida@kestrel")
    refused = admin.post(f"/sandbox/v1/workspaces/default/resources/{handle}/refuse")
    assert refused.status_code == 200 and refused.json()["resources"][0]["id"] == handle, refused.text
    assert _state(client, handle)["status"] == "REJECTED"
    again = admin.post(f"/sandbox/v1/workspaces/default/resources/{handle}/refuse")
    assert again.status_code == 422 and again.json()["code"] == "invalid_state", again.text
    unknown = admin.post("/sandbox/v1/workspaces/default/resources/never-made-3/refuse")
    assert unknown.status_code == 404 and unknown.json()["code"] == "consent_not_found", unknown.text


def test_an_approved_consent_is_read_by_its_id_as_posted_and_used_while_it_stays_so(client, admin):
    # (last here: it moves the sandbox clock on, which approves every consent still pending)
    handle, refused = _requested(client, "jo@kestrel"), _requested(client, "kim@kestrel")
    assert admin.post(f"/sandbox/v1/workspaces/default/resources/{refused}/refuse").status_code == 200
    moved = admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": 3})
    assert moved.status_code == 200, moved.text
    state = _state(client, handle)
    assert state["status"] == "APPROVED" and state["id"], state
    assert _state(client, refused)["status"] == "REJECTED"  # (refused before its time: not approved by itself)
    artefacts = [client.post("/Consent/artefact", json={**ENVELOPE, "consentId": state["id"]}) for _ in range(2)]
    assert all(artefact.status_code == 200 for artefact in artefacts), artefacts[0].text
    artefact = artefacts[0].json()
    assert artefact["consentId"] == state["id"] and artefact["status"] == "ACTIVE", artefact
    assert artefacts[1].json()["signedCopy"] == artefact["signedCopy"]
    part = artefact["signedCopy"].split(".")[1]
    signed = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    assert signed["Customer"] == {"id": "jo@kestrel"} and signed["Range"] == RANGE and signed["purpose"] == "lending", signed
    asked = _asked(client, state["id"])
    assert asked.status_code == 200 and asked.json()["consentId"] == state["id"], asked.text
