"""A document calling itself OpenAPI 3.0 that writes 3.1's `const` and `examples` is read as 3.1 reads them
(tests/published_specs/later-keywords-in-3-0, as PAY.JP's v2 spec published in its Go SDK, relabelled 3.0.3):
`const` was left out as no 3.0 keyword, every answer's `object: {const: payment_flow}` was drawn as any text, and
the vendor's generated SDK refused each answer for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.spec import read

FOLDER = Path(__file__).parent / "published_specs" / "later-keywords-in-3-0"
LIVE_SERVER = {"specs": (FOLDER,)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "later-keywords-in-3-0")


def test_const_is_a_one_value_enum_and_examples_the_first_example_with_a_warning():
    published = read(FOLDER)
    ticket = published.document["components"]["schemas"]["Ticket"]["properties"]
    assert ticket["object"]["enum"] == ["ticket"] and "const" not in ticket["object"]
    assert ticket["seat"]["example"] == "A-12" and "examples" not in ticket["seat"]
    text = "\n".join(published.warnings)
    assert "OpenAPI 3.1's `const` or `examples` in a 3.0 document" in text, text
    assert "has no keyword 'const'" not in text


def test_answers_name_their_kind_by_its_one_value(client):
    made = client.post("/tickets", json={"seat": "C-7"})
    assert made.status_code == 200, made.text
    assert made.json()["object"] == "ticket", made.json()
    assert client.get(f"/tickets/{made.json()['id']}").json()["object"] == "ticket"
    listed = client.get("/tickets").json()
    assert listed["object"] == "list" and all(item["object"] == "ticket" for item in listed["data"]), listed
