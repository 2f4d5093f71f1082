"""Creations answered with what the client sent, as the published APIs' clients check it, over HTTP.

A UK open banking client compares the consent's `Initiation` with the one it sent; an accounting SDK
sends contacts as a list and reads one back for each; a payments SDK reads its customer's address as it
gave it. The answers are drawn from the spec (tests/published_specs/echoed-requests), so the sandbox must
carry what was sent, no more (no drawn extras inside an object sent whole) and no less (lists too), and
never a secret.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (SPECS / "echoed-requests",)}

INITIATION = {"InstructionIdentification": "ACME412", "EndToEndIdentification": "FRESCO.21302.GFX.20",
              "InstructedAmount": {"Amount": "165.88", "Currency": "GBP"},
              "CreditorAccount": {"SchemeName": "UK.OBIE.SortCodeAccountNumber", "Identification": "08080021325698",
                                  "Name": "ACME Inc"},
              "RemittanceInformation": {"Unstructured": ["Internal ops code 5120101"], "Reference": "FRESCO-101"}}


@pytest.fixture
def client(live):
    with httpx.Client(base_url=f"{live.url}/banks/echoed-requests", timeout=30) as client:
        yield client


def test_a_consent_answers_the_initiation_exactly_as_sent(client):
    answer = client.post("/payment-consents", json={"Data": {"Initiation": INITIATION},
                                                     "Risk": {"PaymentContextCode": "PartyToParty"}})
    assert answer.status_code == 201, answer.text
    data = answer.json()["Data"]
    assert data["Initiation"] == INITIATION  # no drawn LocalInstrument, CreditorAgent or SecondaryIdentification
    assert answer.json()["Risk"] == {"PaymentContextCode": "PartyToParty"}
    assert data["ConsentId"] and data["Status"] == "AwaitingAuthorisation"


def test_a_list_of_permissions_is_answered_as_sent(client):
    asked = ["ReadAccountsDetail", "ReadBalances", "ReadTransactionsDetail"]
    answer = client.post("/account-access-consents", json={"Data": {"Permissions": asked}})
    assert answer.status_code == 201, answer.text
    assert answer.json()["Data"]["Permissions"] == asked


def test_contacts_sent_as_a_list_are_answered_one_for_one_each_with_its_own_id(client):
    sent = [{"Name": "Bruce Banner", "EmailAddress": "bruce@example.com"}, {"Name": "Tony Stark"}]
    answer = client.put("/Contacts", json={"Contacts": sent})
    assert answer.status_code == 200, answer.text
    contacts = answer.json()["Contacts"]
    assert [c["Name"] for c in contacts] == ["Bruce Banner", "Tony Stark"]
    assert contacts[0]["EmailAddress"] == "bruce@example.com"
    ids = [c["ContactID"] for c in contacts]
    assert len(set(ids)) == 2 and all(uuid.UUID(i) for i in ids), ids


def test_an_address_sent_whole_is_answered_as_sent_and_a_card_number_never(client):
    address = {"line1": "2-3 Marunouchi", "city": "Chiyoda", "country": "JP"}
    answer = client.post("/customers", json={"email": "hanako@example.jp", "description": "first customer",
                                             "address": address,
                                             "card": {"number": "4242424242424242", "cvc": "123", "exp_month": 7}})
    assert answer.status_code == 200, answer.text
    customer = answer.json()
    assert customer["address"] == address  # not the example's line2 and postal code
    assert customer["description"] == "first customer"  # the example has none: added as sent
    assert customer["email"] == "hanako@example.jp" and customer["card"]["exp_month"] == 7
    assert "4242424242424242" not in answer.text and "123" not in str(customer["card"].get("cvc"))


def test_an_action_on_a_resource_answers_about_that_resource(client):
    """Stripe's confirm and Increase's close answered about another object than the one they acted on."""
    confirmed = client.post("/payment_intents/pi_3Nk2/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["id"] == "pi_3Nk2", confirmed.text
    keyed = client.post("/payment_intents/pi_4Qa7/confirm", headers={"Idempotency-Key": "k-9"})  # as SDKs send it
    assert keyed.status_code == 200 and keyed.json()["id"] == "pi_4Qa7", keyed.text
    again = client.post("/payment_intents/pi_4Qa7/confirm", headers={"Idempotency-Key": "k-10"})
    assert again.status_code == 422, again.text  # (confirmed already: it is done, as the real API refuses it)
    captured = client.post("/payment_intents/pi_5Rb8/capture")  # a schema of its own, with the read's fields
    assert captured.status_code == 200 and captured.json()["id"] == "pi_5Rb8", captured.text
    refund = client.post("/payment_intents/pi_3Nk2/refunds")  # an object of its own: its id is not the intent's
    assert refund.status_code == 200 and refund.json()["id"] != "pi_3Nk2", refund.text


def test_a_required_query_parameter_names_what_the_answer_is_about(client):
    deals = client.get("/deals", params={"company_id": 3190, "limit": 20}).json()["deals"]
    assert deals and all(deal["company_id"] == 3190 for deal in deals), deals


def test_a_request_id_carried_in_the_body_comes_back_in_the_answers_body(client):
    request_id = "6f0e4b7e-3a60-4c44-9c7a-8f1f6c1d2b3a"
    answer = client.post("/transfers", json={"requestHeader": {"requestId": request_id}, "amount": "100.00"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["responseHeader"]["requestId"] == request_id


def test_creations_under_two_idempotency_keys_have_two_ids_in_the_examples_shape(client):
    """Increase's and Xero's examples carry one id: every creation had answered with it."""
    def create(key: str) -> dict:
        answer = client.post("/accounts", json={"name": "Payroll"}, headers={"Idempotency-Key": key})
        assert answer.status_code == 200, answer.text
        return answer.json()

    first, second, again = create("k-1"), create("k-2"), create("k-1")
    assert first["id"] != second["id"] and again == first
    assert first["id"].startswith("account_") and len(first["id"]) == len("account_in71c4amph0vgo2qllky")
    assert first["program_id"] == "program_i2v2os4mwza1oetokh9i"  # another resource's id stays as it was
    assert first["name"] == "Payroll"
    contacts = [client.put("/Contacts", json={"Contacts": [{"Name": "Hanako"}]}, headers={"Idempotency-Key": key}
                           ).json()["Contacts"][0]["ContactID"] for key in ("c-1", "c-2")]
    assert contacts[0] != contacts[1] and all(uuid.UUID(c) for c in contacts)


def test_a_key_in_the_body_or_a_request_id_on_a_write_makes_a_creation_of_its_own(client):
    """Square sends its idempotency key in the body, PayPal its PayPal-Request-Id header: two keys had
    answered the example's one id."""
    def customer(**send) -> str:
        answer = client.post("/customers", **send)
        assert answer.status_code == 200, answer.text
        return answer.json()["id"]

    by_body = [customer(json={"email": "a@example.jp", "idempotency_key": key}) for key in ("b-1", "b-2", "b-1")]
    assert by_body[0] != by_body[1] and by_body[0] == by_body[2] and by_body[0].startswith("cus_")
    by_header = [customer(json={"email": "a@example.jp"}, headers={"PayPal-Request-Id": key}) for key in ("r-1", "r-2")]
    assert by_header[0] != by_header[1]
    reads = {client.get("/payment_intents/pi_1", headers={"X-Request-ID": key}).json()["amount"] for key in ("g-1", "g-2")}
    assert len(reads) == 1  # a read is the same read whatever its request id


def test_a_read_names_its_resource_where_the_answer_keeps_its_id_under_the_resources_name(client):
    """PayPal's `GET /v1/payments/payouts/{id}` keeps the batch's id in `batch_header.payout_batch_id`: it
    answered about another batch."""
    batch = client.get("/payouts/B-123").json()
    assert batch["batch_header"]["payout_batch_id"] == "B-123", batch


def test_a_creation_at_a_verb_path_has_an_id_its_read_takes_and_one_per_request_id(client):
    """Currencycloud creates at `POST /payments/create` and reads at `GET /payments/{id}` (a UUID): the
    example's id was no UUID, and every creation, whatever its `unique_request_id`, had it."""
    made = [client.post("/transfers/create", json={"amount": "10.00", "unique_request_id": key}).json()["id"]
            for key in ("u-1", "u-2", "u-1")]
    assert made[0] != made[1] and made[0] == made[2], made
    assert all(client.get(f"/transfers/{value}").status_code == 200 for value in made), made
