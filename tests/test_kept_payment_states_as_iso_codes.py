"""A payment whose states are ISO 20022 status codes (tests/published_specs/payment-states-as-iso-codes, NextGenPSD2's
`transactionStatus`) is cancelled by its DELETE and read `CANC` after, also where the operation declares its bodiless
204 before its 202 `{transactionStatus}` (it had been deleted: its status read 404); an authorisation started under
it once cancelled is refused at the 409 the operation declares for a wrong state (it had been started, 201; a
refusal of a state answered 422 where an operation declared 409 and no 422); granted by its customer at the
sandbox's page it is `ACTC` (it had stayed `RCVD`); and a creation sent without the body whose schema requires fields
is refused 400 in the API's error shape, making nothing (it had made a payment of drawn fields)."""

from __future__ import annotations

from pathlib import Path
import pytest

from live_server import bank_client
from oauth_flows import consent_granted, consenting

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "payment-states-as-iso-codes",)}
PAYMENT = {"instructedAmount": {"currency": "EUR", "amount": "12.30"}, "debtorAccount": {"iban": "DE40100100103307118608"},
           "creditorAccount": {"iban": "DE02100100109307118603"}, "creditorName": "Finch Books"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "payment-states-as-iso-codes")


def _made(client) -> str:
    made = client.post("/wren/v1/payments", json=PAYMENT)
    assert made.status_code == 201 and made.json()["transactionStatus"] == "RCVD", made.text
    return made.json()["paymentId"]


def _listed(client) -> list:
    return [p["paymentId"] for p in client.get("/wren/v1/payments").json()["payments"]]


def test_a_cancelled_payment_is_read_cancelled(client):
    payment = _made(client)
    cancelled = client.delete(f"/wren/v1/payments/{payment}")
    assert (cancelled.status_code, cancelled.json()["transactionStatus"]) == (202, "CANC"), cancelled.text
    for path in (f"/wren/v1/payments/{payment}/status", f"/wren/v1/payments/{payment}"):
        read = client.get(path)
        assert (read.status_code, read.json()["transactionStatus"]) == (200, "CANC"), read.text


def test_an_authorisation_of_a_cancelled_payment_is_the_declared_conflict(client):
    waiting = _made(client)
    started = client.post(f"/wren/v1/payments/{waiting}/authorisations", json={})
    assert started.status_code == 201, started.text  # (one waiting is authorised)
    payment = _made(client)
    assert client.delete(f"/wren/v1/payments/{payment}").status_code == 202
    refused = client.post(f"/wren/v1/payments/{payment}/authorisations", json={})
    assert refused.status_code == 409, refused.text
    assert refused.json()["tppMessages"][0]["category"] == "ERROR" and "CANC" in refused.json()["tppMessages"][0]["text"]
    assert client.get(f"/wren/v1/payments/{payment}/status").json()["transactionStatus"] == "CANC"


@pytest.mark.parametrize("sent", [{"content": b""}, {"json": {}}, {"json": {"creditorName": "Finch Books"}}])
def test_a_creation_without_the_fields_its_body_requires_is_refused_making_nothing(client, sent):
    before = _listed(client)
    refused = client.post("/wren/v1/payments", headers={"Content-Type": "application/json"}, **sent)
    assert refused.status_code == 400, refused.text
    assert refused.json()["tppMessages"][0]["category"] == "ERROR", refused.text
    assert _listed(client) == before


def test_a_payment_its_customer_authorised_is_accepted(live, admin):
    [customer], connector, token = consenting(live.url, admin)
    for client in bank_client(live, "payment-states-as-iso-codes", token):
        payment = _made(client)
        consent_granted(live.url, connector, customer, payment)
        assert client.get(f"/wren/v1/payments/{payment}/status").json()["transactionStatus"] == "ACTC"
