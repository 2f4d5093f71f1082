"""Which media types hold JSON: one rule (jws.carries_json) for every reader of a spec's content and every writer
of a body. Its copies disagreed: `text/json` was JSON to some and not to the answer's shape, a stream of JSON
texts (`application/x-ndjson`) was JSON to others, and a signed body (`application/jwt`, Brazil's requests and
answers) had its schema read where its states were looked for and not where its fields were
(tests/published_specs/signed-bodies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.bindings.jws import carries_json
from sandbox.bindings.loader import load_bank
from sandbox.bindings.mirror import sent_schema

FOLDER = Path(__file__).parent / "published_specs"


@pytest.mark.parametrize("media_type", ["application/json", "application/json; charset=utf-8", "Application/JSON",
                                        "text/json", "application/problem+json", "application/vnd.api+json",
                                        "application/vnd.bank.v2.json"])
def test_json_text_is_json_written_or_read(media_type):
    assert carries_json(media_type) and carries_json(media_type, signed=False)


@pytest.mark.parametrize("media_type", ["application/jwt", "application/jose", "application/vnd.bank+jwt; charset=utf-8"])
def test_a_signed_body_holds_json_and_is_not_json_text(media_type):
    assert carries_json(media_type) and not carries_json(media_type, signed=False)


@pytest.mark.parametrize("media_type", ["application/x-ndjson", "application/json-seq", "text/plain", "application/xml",
                                        "application/pdf", "", None])
def test_other_types_hold_no_json_document(media_type):
    assert not carries_json(media_type)


def test_a_signed_request_body_has_its_schema_read():
    """The payload a signed creation sends is read against its schema, as its answer's is (it was None)."""
    schema = sent_schema(load_bank(FOLDER / "signed-bodies"), "paymentsPostConsents")
    assert schema is not None and "data" in schema["properties"]
