"""A refusal's free-text code is the one the spec names for it where its prose names one that says the same
(tests/published_specs/said-error-codes/): an id never made is refused `resource_missing`, as the code's
description says, not the sandbox's `not_found`; a refusal the prose names no code for keeps the sandbox's."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "said-error-codes",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "said-error-codes")


def test_an_unknown_id_is_refused_with_the_code_the_spec_names_for_it(client):
    made = client.post("/widgets", data={"name": "w"}).json()
    assert client.get(f"/widgets/{made['id']}").status_code == 200
    missing = client.get("/widgets/wdg_none")
    assert missing.status_code == 404, missing.text
    assert (missing.json()["error"]["code"], missing.json()["error"]["type"]) == ("resource_missing",
                                                                                 "invalid_request_error")


def test_a_refusal_the_prose_names_no_code_for_keeps_the_sandboxs(client):
    refused = client.get("/widgets/x", headers={"Prefer": "code=403"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden", refused.text
