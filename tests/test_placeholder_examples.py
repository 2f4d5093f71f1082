"""An answer's example value that only holds a place (tests/published_specs/placeholder-examples/: `YOUR_MERCHANT_ACCOUNT`,
`string`, `...`, `<shopper id>`, `xxxxxxxx`, as Adyen's payment answers `merchantReference: "string"` and Mollie's
links `href: "..."`) is drawn afresh as a value of its field, or answered as sent where the client sent the field;
one its enum names, or a field naming a type (`valueType: string`), is left as written. Before, every client was answered the placeholders as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client
from sandbox.bindings.loader import load_bank

FOLDER = Path(__file__).parent / "published_specs" / "placeholder-examples"
LIVE_SERVER = {"specs": (FOLDER,)}
PLACEHOLDERS = {"string", "...", "<shopper id>", "xxxxxxxx", "YOUR_MERCHANT_ACCOUNT"}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "placeholder-examples")


def test_an_answer_holds_no_placeholder(client):
    answer = client.post("/payments", json={"merchantAccount": "ShopECOM", "reference": "order-17", "amount": 1000})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    texts = {body[k] for k in ("merchantReference", "shopperHandle", "authToken")} | {body["links"]["self"]["href"]}
    assert not texts & PLACEHOLDERS and all(texts), body
    assert body["links"]["self"]["href"].startswith("https://"), body
    assert body["merchantAccount"] == "ShopECOM" and body["note"] == "string", body  # sent; an enum's own value
    assert body["valueType"] == "string", body  # (a type's name, not a place held)
    assert body["pspReference"] == "993617895204576J"


def test_check_says_the_placeholders_were_drawn():
    warnings = load_bank(FOLDER).warnings
    assert any("only hold a place" in w for w in warnings), warnings
