"""A JSON number sent where the spec wants a number written as text (`type: string, format: decimal`, or a
string whose example is a number's text) is read as that text. alpaca-py sends `"qty": 1.0` and `"amount": 50.0`
for fields its bank's spec declares as decimal text, and every order and journal it placed was a 400. The folder is
tests/published_specs/numbers-sent-for-text."""

from __future__ import annotations

from pathlib import Path

import pytest

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "numbers-sent-for-text",)}
MOUNT = "/banks/numbers-sent-for-text"


@pytest.fixture(scope="module")
def client(live, admin):
    import httpx

    with httpx.Client(base_url=f"{live.url}{MOUNT}", timeout=30,
                      headers={"Authorization": f"Bearer {self_use_token(live.url, admin)}"}) as http:
        yield http


def test_numbers_for_decimal_text_are_read_as_their_text(client):
    answer = client.post("/orders", json={"symbol": "AAPL", "qty": 1.0, "notional": 250.75,
                                          "legs": [{"ratio": 2}]})
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order["qty"] == "1" and order["notional"] == "250.75", order


def test_a_number_is_still_refused_where_the_text_would_not_fit_or_nothing_says_it_is_a_number(client):
    # a plain string field: a number is not its text
    assert client.post("/orders", json={"symbol": "AAPL", "qty": "1", "note": 5}).status_code == 400
    # the field's pattern wants two decimals: 5 written as "5" does not fit, so it is refused as sent
    assert client.post("/orders", json={"symbol": "AAPL", "qty": "1", "limit_price": 5}).status_code == 400
    # booleans are no numbers
    assert client.post("/orders", json={"symbol": "AAPL", "qty": True}).status_code == 400
    # the text itself is taken, as before
    assert client.post("/orders", json={"symbol": "AAPL", "qty": "2.5", "limit_price": "5.00"}).status_code == 201
