"""Refunds given by an action on the payment itself (`POST /payments/{id}/refund`, or a refund posted to its refunds,
`POST /orders/{id}/refunds`, answered with the payment), in part or in whole.

Where an API refunds a payment by an action on it, not by making a refund of a kind of its own, the payment says
what was given back in a list named for refunds (`refunds`) or an amount named so (`amount_refunded`). What is
left of it is its amount less what that says. A refund sent with an amount gives back that much: less than is
left leaves the payment in the state it was in (its enum's partial form where it has one: `partially_refunded`),
all that is left (or a refund sent without an amount) leaves it `refunded`; each is one more item of the list,
and counts in the amount. One asking for more than is left, or for no money at all (0 or less), is refused as
`invalid_amount` in the API's own error form, changing nothing; a payment just made has had nothing refunded.
Left to the verb alone, KOMOJU's payment of 1000 refunded 300 was answered `refunded`, its next refund of the 700
left refused, a refund of -5 taken, and a new payment listed a drawn empty refund.
"""

from __future__ import annotations

import copy
import re
import uuid
from decimal import Decimal

from ..domain.errors import SandboxError
from .names import _bare
from .states import state_field
from .totals import _AMOUNT, _done_amount, _field, _number, _written, left_to_refund

_LIST = re.compile(r"^refunds$")  # (bare: `refunds`, `Refunds`)
# The action's last path segment: the verb (`/payments/{id}/refund`), or the refunds' own noun where a refund is
# posted to them and answered with the payment (Conekta's `POST /orders/{id}/refunds` answers the order).
_VERBS = ("refund", "refunds")
_REFUNDED = _done_amount("refunded")


def _refunds(resource: dict) -> str | None:
    """The key of the list in which `resource` holds its refunds, or None."""
    return next((key for key, value in resource.items() if isinstance(value, list) and _LIST.match(_bare(key))), None)


def _listed(resource: dict) -> Decimal:
    """What the items of the list of refunds of `resource` add up to."""
    listed = resource.get(_refunds(resource)) if _refunds(resource) is not None else ()
    return sum((_number(item.get(_field(item, _AMOUNT))) or Decimal(0) for item in listed
                if isinstance(item, dict) and _field(item, _AMOUNT) is not None), Decimal(0))


def _asked(sent) -> tuple:
    """(the field, the amount) a refund's body asks for; (None, None) where it sends none."""
    field = _field(sent, _AMOUNT) if isinstance(sent, dict) else None
    return (field, _number(sent.get(field))) if field is not None else (None, None)


def _left(resource) -> tuple:
    """(its amount, what is left of it to refund) of a kept payment, or (None, None) where it says no amount."""
    if not isinstance(resource, dict):
        return None, None
    paid = _field(resource, _AMOUNT)
    left = left_to_refund(resource, paid, _listed(resource))
    return (_number(resource.get(paid)), left) if left is not None else (None, None)


def refused_beyond_left(verb: str, sent, resource, resource_id: str) -> None:
    """Refuse a refund by an action on `resource` (a kept payment, `verb` the action's) asking for more than is left
    of it, or for nothing or less, as `invalid_amount`, changing nothing; the message ends naming the field, as a
    validation's does, so that the error's own field for it (`param`) names it."""
    if _bare(verb) not in _VERBS or not isinstance(resource, dict):
        return
    field, asked = _asked(sent)
    whole, left = _left(resource)
    if field is None or whole is None:
        return
    if asked is None or asked <= 0:
        raise SandboxError("invalid_amount", f"{asked} is not an amount to refund: it must be greater than 0 - '{field}'",
                           field=field)
    if asked > left:
        raise SandboxError("invalid_amount", f"{asked} is more than the {left} left to refund of {resource_id} - "
                           f"'{field}'", field=field)


def given_back(verb: str, body, before, sent, held: list, fits):
    """`body`, the answer of a refund by an action on a payment (`verb`) that was `before` (its kept resource), with
    the refund counted: one more item in its list of refunds, its amount named for them grown, and, where it leaves
    part of the payment unrefunded, the state it was in (its partial form where `held`'s enum has one: (holder,
    key, schema) of its state fields) in place of the verb's. As it was where the result no longer `fits`."""
    if _bare(verb) not in _VERBS or not isinstance(body, dict) or not isinstance(before, dict):
        return body
    whole, left = _left(before)
    _, asked = _asked(sent)
    if whole is None or left is None or left <= 0:
        return body
    amount = asked if asked is not None else left
    candidate = copy.deepcopy(body)
    holder = candidate if _field(candidate, _AMOUNT) is not None else None
    if holder is None:
        return body
    listed = _refunds(holder)
    if listed is not None and len(holder[listed]) == len(before.get(listed) or ()):
        item = {"id": uuid.uuid4().hex[:16], "amount": _written(amount, None, holder[_field(holder, _AMOUNT)])}
        if isinstance(holder.get("currency"), str):
            item["currency"] = holder["currency"]
        holder[listed] = [*(before.get(listed) or []), item]
    counted = _field(holder, _REFUNDED)
    if counted is not None and _number(holder.get(counted)) is not None:
        holder[counted] = _written(whole - left + amount, holder[counted], holder[_field(holder, _AMOUNT)])
    if amount < left:
        for state_holder, key, node in held:
            was = _state_before(before, key)
            partial = next((value for value in node.get("enum") or () if isinstance(value, str) and isinstance(
                state_holder.get(key), str) and _bare(value) in ("partially" + _bare(state_holder[key]),
                                                                 "partial" + _bare(state_holder[key]))), None)
            if was is not None:
                _placed(candidate, state_holder, body)[key] = partial or was
    return candidate if fits(candidate) else body


def _state_before(before: dict, key: str):
    """The state `before` held in its field `key` (at its top, else in its one object below that holds it)."""
    if not state_field(key):
        return None
    if key in before and isinstance(before[key], str):
        return before[key]
    inner = next((value for value in before.values() if isinstance(value, dict) and key in value), None)
    return inner.get(key) if isinstance(inner, dict) else None


def _placed(candidate: dict, holder: dict, body: dict) -> dict:
    """`holder` (a state's holder found in `body`) as it stands in `candidate`, the copy being changed."""
    if holder is body:
        return candidate
    key = next((name for name, value in body.items() if value is holder), None)
    return candidate[key] if key is not None else candidate


def none_yet(made, sent) -> None:
    """A payment just `made` (in place) has had nothing refunded: its list of refunds is empty, unless its client
    `sent` one (a drawn `[{}]` had been listed on every new payment)."""
    if not isinstance(made, dict):
        return
    listed = _refunds(made)
    if listed is not None and not (isinstance(sent, dict) and listed in sent):
        made[listed] = []
