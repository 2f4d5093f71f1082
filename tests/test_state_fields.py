"""Which field of a resource holds its state is one rule (states.state_field), for the state a new resource starts in
and for the states a kept one is read, moved and listed by. The two rules it replaces disagreed: a state named for
its kind with `State` (`cardState`, `payment_state`) was a state to what a kept resource holds but a new one started
in a drawn value; a detail beside the state (`detailedStatus`, `previousStatus`) and a word that only ends so
(`estate`) were states to what a kept resource holds, whose enums were read as the resource's own states."""

from __future__ import annotations

import pytest

from sandbox.bindings.beginnings import just_created
from sandbox.bindings.holdings import _declared_states
from sandbox.bindings.mirror import Mirror
from sandbox.bindings.states import state_field


@pytest.mark.parametrize("name", ["status", "State", "paymentStatus", "generalStatus", "payment_status", "cardState",
                                  "payment_state", "TransactionStatus", "PAYMENT_STATUS"])
def test_a_state_named_for_its_kind_holds_the_state(name):
    assert state_field(name)


@pytest.mark.parametrize("name", ["detailedStatus", "previousStatus", "last_status", "statusReason", "estate", "substatus",
                                  "realEstate"])
def test_a_detail_beside_the_state_or_a_word_ending_so_does_not(name):
    assert not state_field(name)


def test_a_state_named_for_its_kind_starts_where_its_enum_does():
    """A new card's `cardState` is its first state, as a `cardStatus` is (it was the state drawn: `closed`)."""
    schema = {"type": "object", "properties": {"cardState": {"type": "string", "enum": ["pending", "active", "closed"]}}}
    assert just_created({}, schema, {"cardState": "closed"}, lambda candidate: True)["cardState"] == "pending"


def test_the_states_of_a_resource_are_its_state_fields_alone():
    """A payment's states are its `status`'s, not those of the detail beside it nor of the estate it pays for."""
    schema = {"type": "object", "properties": {
        "status": {"type": "string", "enum": ["pending", "completed"]},
        "detailedStatus": {"type": "string", "enum": ["AC01", "AM04"]},
        "estate": {"type": "string", "enum": ["residential", "commercial"]}}}
    assert _declared_states(Mirror({}, schema)) == ["pending", "completed"]
