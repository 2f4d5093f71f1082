"""Routing, content negotiation, ids from the path and credentials' challenges, as a large aggregator's
published spec and its generated SDK need them (tests/published_specs/path-precedence, no open access).

Each test failed on the code before: a literal path written after a templated one that also matches it
was never reached (the templated operation answered, or refused the literal one's media type); a PDF
download whose errors are JSON answered 406 to `Accept: application/json`, which is what a generated
client sends; ids in the path were not carried into answers wrapped in an envelope (`{"member": {...}}`)
under the answer's own name for them (`guid`); a call without credentials got a 401 with no
`WWW-Authenticate`; a content map's `examples` key was served as a media type; a pattern with a `$` in a
character class answered every request with a 500; servers a path or an operation declares of its own
stayed in the served spec, so clients and Swagger UI called the bank; a list's items did not carry the
id their path named, and amounts and moments published as text were 'sample'.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from oauth_flows import create_connector
from sandbox.bindings import load_bank

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "path-precedence", SPECS / "twin-templates")}
BASE = "/banks/path-precedence"
VND = "application/vnd.example.v1+json"


@pytest.fixture(scope="module")
def client(live, admin):
    connector = create_connector(admin, **{"class": "third-party", "plan": "premium"})  # every test on one connector
    with httpx.Client(base_url=live.url + BASE, timeout=30,
                      auth=(connector["client_id"], connector["client_secret"])) as client:
        yield client


def test_a_literal_path_after_a_templated_one_reaches_its_own_operation(client):
    moved = client.put("/users/U1/goals/reposition", json={"goals": []}, headers={"Content-Type": VND})
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"repositioned": moved.json()["repositioned"]}
    goal = client.put("/users/U1/goals/G1", json={"name": "car"})
    assert goal.status_code == 200 and "goal" in goal.json(), goal.text

    pdf = client.get("/statements/S1.pdf", headers={"Accept": "application/vnd.example.v1+pdf"})
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF-")
    assert client.get("/statements/S1").json()["statement"]["guid"] == "S1"


def test_a_download_is_answered_to_a_client_that_accepts_only_its_errors_json(client):
    pdf = client.get("/statements/S1.pdf", headers={"Accept": "application/json"})
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF-")
    refused = client.get("/statements/S1.pdf", headers={"Accept": "text/html"})
    assert refused.status_code == 406


def test_ids_named_by_the_path_are_carried_into_an_envelope_under_the_answers_names(client):
    member = client.get("/users/USR-aaa/members/MBR-bbb").json()["member"]
    assert member["guid"] == "MBR-bbb" and member["user_guid"] == "USR-aaa", member
    assert member["id"] == "partner-id"  # the answer's other id is left as the example has it


def test_a_call_without_credentials_is_challenged(live):
    bare = httpx.get(f"{live.url}{BASE}/users/U/members/M", timeout=30)
    assert bare.status_code == 401
    assert bare.headers["WWW-Authenticate"] == 'Basic realm="bank-sandbox"'
    wrong = httpx.get(f"{live.url}{BASE}/users/U/members/M", auth=("nobody", "x"), timeout=30)
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Basic")


def test_a_content_key_that_is_no_media_type_is_left_out_with_a_warning():
    api = load_bank(SPECS / "path-precedence")
    content = api.spec["paths"]["/users/{user_guid}/goals/reposition"]["put"]["requestBody"]["content"]
    assert list(content) == [VND]
    assert any("'examples'" in warning and "no media type" in warning for warning in api.warnings), api.warnings


def test_a_pattern_with_a_dollar_in_a_character_class_is_checked_not_a_500(client):
    found = client.get("/consents/urn:bancoex:C1DD33123")
    assert found.status_code == 200 and found.json()["consentId"] == "urn:bancoex:C1DD33123", found.text
    assert client.get("/consents/urn:bancoex:has space").status_code == 400
    assert client.get("/consents/not-a-urn").status_code == 400


def test_the_served_spec_sends_every_operation_to_the_sandbox(client, live):
    served = client.get("/openapi.json").json()
    assert served["servers"] == [{"url": BASE}]
    text = str(served["paths"])
    assert "bank.example" not in text and "'servers'" not in text
    assert client.get("/users/U/members/M").status_code == 200  # still routed at the mount


def test_a_lists_items_belong_to_what_the_path_names_and_text_amounts_and_moments_parse(client):
    transactions = client.get("/accounts/ACC123/transactions").json()["data"]["transactions"]
    assert len(transactions) >= 2 and {t["accountId"] for t in transactions} == {"ACC123"}, transactions
    for transaction in transactions:
        assert Decimal(transaction["amount"]) > 0
        assert datetime.fromisoformat(transaction["valueDateTime"]).tzinfo is not None
        date.fromisoformat(transaction["postingDate"])


UUID = "13eeccf9-6d34-4c4e-9a3b-0f5c1b7c2d11"


@pytest.mark.parametrize("path, read_by, field, value", [
    (f"/things/{UUID}", "id", "thingId", UUID), ("/things/T-1", "number", "thingNumber", "T-1"),
    (f"/orders/{UUID}", "id", "orderId", UUID), ("/orders/PO-0001", "number", "orderNumber", "PO-0001")])
def test_a_path_two_templates_match_runs_the_operation_its_values_fit(live, path, read_by, field, value):
    """Xero's `/Contacts/{ContactNumber}` before `/Contacts/{ContactID}`: a read by the contact's UUID ran the
    read by number and answered about another contact; `/PurchaseOrders/PO-0001` was refused as "not a uuid"."""
    answer = httpx.get(f"{live.url}/banks/twin-templates{path}", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["readBy"] == read_by and answer.json()[field] == value, answer.json()
