"""A security scheme carrying a field its type does not have (tests/published_specs/scheme-fields-of-another-type/):
finAPI's Web Form spec declares its OAuth2 scheme with `name: Authorization`, and the whole folder had been refused
("'in' is a required property"), none of its operations served."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from oauth_flows import self_use_token
from sandbox.bindings.spec import read

FOLDER = Path(__file__).parent / "published_specs" / "scheme-fields-of-another-type"
LIVE_SERVER = {"specs": (FOLDER,), "open_access": False}


def test_spec_read_leaves_out_a_scheme_field_of_another_type_with_a_warning():
    published = read(FOLDER)
    schemes = published.document["components"]["securitySchemes"]
    assert "name" not in schemes["BearerAccessToken"] and schemes["BearerAccessToken"]["type"] == "oauth2"
    assert "in" not in schemes["AdminToken"] and schemes["AdminToken"]["scheme"] == "bearer"
    assert any("#/components/securitySchemes/BearerAccessToken/name: the OpenAPI OAuth2 security scheme has no field"
               in warning for warning in published.warnings), published.warnings


@pytest.fixture(scope="module")
def anonymous(live):
    yield from bank_client(live, "scheme-fields-of-another-type")


def test_the_folder_is_served_and_asks_for_the_token_its_schemes_say(live, admin, anonymous):
    refused = anonymous.get("/webForms/wf_1")
    assert refused.status_code == 401 and "error" in refused.json(), refused.text
    token = {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}
    read = anonymous.get("/webForms/wf_1", headers=token)
    assert read.status_code == 200 and read.json()["id"] == "wf_1", read.text
    assert anonymous.get("/profiles").status_code == 401
    assert anonymous.get("/profiles", headers=token).status_code == 200
