"""Card numbers drawn where the spec gives none (tests/published_specs/drawn-card-numbers/): a `pan` or a
`card_number` is a test card's number (the test BIN, its check digit right by Luhn's sum), and the `last_four`
or `last4` beside it are its last four digits, read back as issued."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "drawn-card-numbers",)}


@pytest.fixture(scope="module")
def cards(live):
    yield from bank_client(live, "drawn-card-numbers")


def _luhn(number: str) -> bool:
    digits = [int(digit) for digit in reversed(number)]
    return sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)) % 10 == 0


def test_a_card_number_is_a_test_cards_and_its_last_four_are_its_own(cards):
    for holder in ("Ada", "Grace", "Alan"):
        card = cards.post("/cards", json={"holder": holder}).json()
        assert card["pan"].isdigit() and card["pan"].startswith("4") and _luhn(card["pan"])
        assert card["last_four"] == card["pan"][-4:]
        read = cards.get(f"/cards/{card['token']}").json()
        assert (read["pan"], read["last_four"]) == (card["pan"], card["last_four"])


def test_a_card_number_under_another_name_alike(cards):
    card = cards.post("/virtual-cards").json()
    assert len(card["card_number"]) == 16 and _luhn(card["card_number"]) and card["last4"] == card["card_number"][-4:]


def test_each_card_has_a_number_of_its_own_where_the_spec_gives_one_example(cards):
    """Every prepaid card was issued with the example's `pan` and `last_four`."""
    issued = [cards.post("/prepaid-cards").json() for _ in range(3)]
    assert len({card["pan"] for card in issued}) == 3, issued
    assert all(len(card["pan"]) == 16 and _luhn(card["pan"]) and card["last_four"] == card["pan"][-4:] for card in issued)
    assert cards.get(f"/prepaid-cards/{issued[1]['token']}").json()["pan"] == issued[1]["pan"]
