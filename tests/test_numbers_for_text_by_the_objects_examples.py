"""A JSON number sent for a bare string field that the request object's own examples (`example`, `x-examples`)
show as a number's text is read as that text (trait folder numbers-for-text-by-the-objects-examples).

Alpaca's Broker spec declares a journal's `amount` as `type: string` with no format or example of its own; only
CreateJournalRequest's `x-examples` write it `"51"`. alpaca-py sends `"amount": 50.0`, and every cash journal it
made was a 400 ("50.0 is not of type 'string' - 'amount'"), orders (`qty`, `format: decimal`) having been taken.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oauth_flows import self_use_token

SPECS = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"open_access": False, "specs": (SPECS / "numbers-for-text-by-the-objects-examples",)}
MOUNT = "/banks/numbers-for-text-by-the-objects-examples"


@pytest.fixture(scope="module")
def client(live, admin):
    import httpx

    with httpx.Client(base_url=f"{live.url}{MOUNT}", timeout=30,
                      headers={"Authorization": f"Bearer {self_use_token(live.url, admin)}"}) as http:
        yield http


def test_numbers_the_objects_examples_write_as_text_are_read_as_their_text(client):
    cash = client.post("/v1/journals", json={"entry_type": "JNLC", "from_account": "a1", "to_account": "a2",
                                             "amount": 50.0})
    assert cash.status_code == 200, cash.text
    shares = client.post("/v1/journals", json={"entry_type": "JNLS", "from_account": "a1", "to_account": "a2",
                                               "symbol": "AAPL", "qty": 3})
    assert shares.status_code == 200, shares.text


def test_a_field_the_examples_write_as_words_still_refuses_a_number(client):
    assert client.post("/v1/journals", json={"entry_type": "JNLC", "from_account": "a1", "to_account": "a2",
                                             "amount": "50", "description": 7}).status_code == 400
