"""A request body that holds objects of its own kind (tests/published_specs/self-holding-request-bodies/): a share
of a split payment split again, with a fallback share, a fee share and conditional shares, each of its own kind.

The body's schema is copied once for the bank's checks (each `oneOf` read as `anyOf`, each IBAN-named text field
held to ISO 13616); walked as a tree to a fixed depth, a schema holding itself in four places was a tree of 4^32
nodes: Square's catalogue objects, so nested, took 20 s and gigabytes at an operation's first request, the server
answering nothing meanwhile. Copied once per schema object, the copy holds itself as the schema does."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.http.validation import any_of

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "self-holding-request-bodies",)}
GOOD, BAD = "DE13700800000061110500", "DE13700800000061110501"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "self-holding-request-bodies")


def nested(depth: int, iban_at_bottom: str) -> dict:
    """A share split `depth` times over, every level with a fallback, a fee share and a conditional share."""
    share = {"payee_name": "Bottom", "payee_iban": iban_at_bottom, "amount": 1}
    for level in range(depth):
        share = {"payee_name": f"Level {level}", "payee_iban": GOOD, "amount": level + 2, "shares": [share],
                 "fallback": {"payee_iban": GOOD, "amount": 1}, "fee_share": {"amount": 1},
                 "conditions": [{"when": "payee_unreachable", "then": {"payee_iban": GOOD, "amount": 1}}]}
    return share


def test_the_copy_of_a_schema_that_holds_itself_holds_itself():
    share = {"type": "object", "properties": {"payee_iban": {"type": "string"}, "amount": {"type": "integer"}}}
    share["properties"]["shares"] = {"type": "array", "items": share}
    share["properties"]["fallback"] = share
    copy = any_of(share)
    assert copy["properties"]["shares"]["items"] is copy
    assert copy["properties"]["fallback"] is copy
    assert copy["properties"]["payee_iban"] == {"type": "string", "format": "well-formed IBAN"}
    assert "format" not in share["properties"]["payee_iban"]  # the spec's own schema is left as it was


def test_what_the_schema_shares_its_copy_shares():
    amount = {"type": "integer", "minimum": 1}
    body = {"type": "object", "properties": {"amount": amount, "fee": amount}, "oneOf": [{"required": ["amount"]}]}
    copy = any_of(body)
    assert copy["properties"]["amount"] is copy["properties"]["fee"]
    assert "anyOf" in copy and "oneOf" not in copy


def test_a_body_nested_deeper_than_any_fixed_bound_is_checked_to_its_bottom(client):
    made = client.post("/split-payments", json={"reference": "deep-good", "share": nested(40, GOOD)})
    assert made.status_code == 201, made.text
    read = client.get(f"/split-payments/{made.json()['id']}")
    assert read.status_code == 200, read.text
    assert read.json()["share"]["payee_name"] == "Level 39"

    before = client.get("/split-payments").json()["split_payments"]
    refused = client.post("/split-payments", json={"reference": "deep-bad", "share": nested(40, BAD)})
    assert refused.status_code == 400, refused.text
    assert "payee_iban" in refused.text and "well-formed IBAN" in refused.text, refused.text
    assert client.get("/split-payments").json()["split_payments"] == before


def test_every_operation_of_the_bank_answers_its_first_request(client):
    # Each operation's checks are made at its first request: none of them hangs on the body's schema.
    assert client.get("/split-payments").status_code == 200
    assert client.post("/split-payments", json={"reference": "flat", "share": {"amount": 5}}).status_code == 201
    assert client.post("/split-payments", json={"reference": "no share"}).status_code == 400
    assert client.get("/split-payments/sp_missing").status_code == 404


def test_a_schema_too_large_written_out_is_checked_by_jsonschema_alone():
    # DocuSign's recipients: thirty kinds of tab, each a schema shared by every kind of recipient. Compiled into one
    # function with every shared schema written out where it stands, the first request took minutes and gigabytes.
    from sandbox.http.validation import COMPILED_NODES, _compile

    level = {"type": "string"}
    for _ in range(11):  # each level holds the next twice: 2^11 copies of the bottom written out
        level = {"type": "object", "properties": {"left": level, "right": level}}
    assert _compile(level, request=True) is None
    small = {"type": "object", "properties": {"amount": {"type": "integer"}}}
    assert _compile(small, request=True) is not None
    assert COMPILED_NODES >= 1_000  # the shipped banks' bodies and answers (a few hundred nodes) stay compiled
