"""A consent's life is one table (states.CONSENT_MOVES), read by each writer of its state: granted or refused at the
authorization page, used by what it was given for, expired past its expiry. Once ended (revoked, used, rejected,
expired) it stays so; only one authorised is used."""

from __future__ import annotations

import pytest

from sandbox.bindings.states import consent_moved, was_granted

ONE_USE = ["AWAITING_AUTHORISATION", "AUTHORISED", "REJECTED", "CONSUMED"]  # (Brazil's payment consent)
ACCESS = ["received", "rejected", "valid", "revokedByPsu", "expired", "terminatedByTpp"]  # (NextGenPSD2's)


@pytest.mark.parametrize(("event", "states", "held", "moved"), [
    ("granted", ONE_USE, "AWAITING_AUTHORISATION", "AUTHORISED"),
    ("refused", ONE_USE, "AWAITING_AUTHORISATION", "REJECTED"),
    ("granted", ONE_USE, "CONSUMED", None),  # (used: not authorised again)
    ("granted", ACCESS, "terminatedByTpp", None),  # (ended by its connector: stays so)
    ("used", ONE_USE, "AUTHORISED", "CONSUMED"),
    ("used", ONE_USE, "AWAITING_AUTHORISATION", None),
    ("used", ACCESS, "valid", None),  # (no state for being used: used again and again)
    ("expired", ACCESS, "valid", "expired"),
    ("expired", ACCESS, "rejected", None),  # (ended otherwise first)
    ("expired", ACCESS, "revokedByPsu", None),
])
def test_a_consent_moves_as_its_one_table_says(event, states, held, moved):
    assert consent_moved(event, states, held) == moved


def test_a_consent_was_granted_once_authorised_or_used():
    assert [was_granted(ONE_USE, held) for held in ONE_USE] == [False, True, False, True]
