"""Kept resources of an RPC-style family read by the id-like field its creation answered
(tests/published_specs/ids-answered-read-in-body/): `POST /Mandate` answers a `MandateHandle` read by
`POST /Mandate/handle {MandateHandle}`, `POST /DS/request` a `sessionId` read by `POST /DS/fetch {sessionId}`, no
call named by a reading verb. As India's Account Aggregator's consent handle and data session: every consent request
was answered the example's handle, any handle or session (one never made too) was read, 200, drawn."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "ids-answered-read-in-body",)}
ENVELOPE = {"ver": "2.0", "txnid": "t-1"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "ids-answered-read-in-body")


def _mandate(client, customer):
    answer = client.post("/Mandate", json={**ENVELOPE, "MandateDetail": {"purpose": "wealth", "customerRef": customer}})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_each_mandate_has_its_own_handle_and_is_read_back_by_it(client):
    ada, bo = _mandate(client, "ada@heron"), _mandate(client, "bo@heron")
    assert ada["MandateHandle"] != bo["MandateHandle"], (ada, bo)
    read = client.post("/Mandate/handle", json={**ENVELOPE, "MandateHandle": ada["MandateHandle"]})
    assert read.status_code == 200, read.text
    assert read.json()["MandateHandle"] == ada["MandateHandle"], read.json()


def test_a_handle_never_made_is_refused_as_declared(client):
    answer = client.post("/Mandate/handle", json={**ENVELOPE, "MandateHandle": "never-made-1"})
    assert answer.status_code == 404 and set(answer.json()) <= {"errorCode", "errorMsg"}, answer.text


def test_a_session_is_read_by_the_id_it_was_answered_and_no_other(client):
    made = client.post("/DS/request", json={**ENVELOPE, "Mandate": {"id": "m-77"},
                                            "Range": {"from": "2026-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}})
    assert made.status_code == 200, made.text
    read = client.post("/DS/fetch", json={**ENVELOPE, "sessionId": made.json()["sessionId"]})
    assert read.status_code == 200, read.text
    unknown = client.post("/DS/fetch", json={**ENVELOPE, "sessionId": "never-made-2"})
    assert unknown.status_code == 404 and set(unknown.json()) <= {"errorCode", "errorMsg"}, unknown.text


def test_a_mandate_just_requested_is_read_in_its_first_state(client):
    made = _mandate(client, "cy@heron")
    for _ in range(2):
        read = client.post("/Mandate/handle", json={**ENVELOPE, "MandateHandle": made["MandateHandle"]}).json()
        assert read["MandateStatus"]["status"] == "PENDING", read


def test_a_creation_answers_what_its_request_sent_one_object_down(client):
    # (the session answers `mandateId` for the `Mandate: {id}` it was sent; the mandate the `customerRef` its
    # `MandateDetail` sent: India's Account Aggregator answered the example's consentId and a drawn Customer.id)
    made = client.post("/DS/request", json={**ENVELOPE, "Mandate": {"id": "m-78"},
                                            "Range": {"from": "2026-01-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}})
    assert made.status_code == 200 and made.json()["mandateId"] == "m-78", made.text
    assert _mandate(client, "dee@heron")["customerRef"] == "dee@heron"
    consent = client.post("/Consent", json={**ENVELOPE, "ConsentDetail": {"purpose": "wealth",
                                                                          "Customer": {"id": "eve@heron", "phone": "1"}}})
    assert consent.status_code == 200 and consent.json()["Customer"] == {"id": "eve@heron"}, consent.text


def test_a_consent_its_customer_approves_in_the_providers_app_is_read_approved_with_an_id_of_its_own(client, admin):
    # (last here: it moves the sandbox clock on)
    handles = [client.post("/Consent", json={**ENVELOPE, "ConsentDetail": {"purpose": "wealth", "Customer": {"id": who}}})
               .json()["ConsentHandle"] for who in ("fay@heron", "gus@heron")]
    read = client.post("/Consent/handle", json={**ENVELOPE, "ConsentHandle": handles[0]}).json()
    assert read["ConsentStatus"]["status"] == "PENDING", read
    moved = admin.post("/sandbox/v1/workspaces/default/clock", json={"mode": "advance", "seconds": 3})
    assert moved.status_code == 200, moved.text
    statuses = [client.post("/Consent/handle", json={**ENVELOPE, "ConsentHandle": handle}).json()["ConsentStatus"]
                for handle in handles]
    assert [status["status"] for status in statuses] == ["APPROVED", "APPROVED"], statuses
    assert statuses[0]["id"] != statuses[1]["id"] and "0f3e7c52-6a4b-4d0e-8b1f-2c9d5e6a7b80" not in str(statuses), statuses
    again = client.post("/Consent/handle", json={**ENVELOPE, "ConsentHandle": handles[0]}).json()["ConsentStatus"]
    assert again == statuses[0]  # every read says the same
