"""What a payment says was done with its amount, in one object of amounts named for each step (`tally`): the
ePayment API's `aggregate: {authorizedAmount, capturedAmount, refundedAmount, cancelledAmount}`, the Recurring
API's charge `summary: {captured, refunded, cancelled}`.

Drawn from the spec's examples, every payment had captured, refunded and cancelled 499 NOK at once, whatever was
done to it. Here a payment starts with nothing done; approving it authorizes its amount; a capture or refund
adds what its body sends (all that is left where it sends none); a cancel releases what was not captured; and
a capture past what is left to capture, or a refund past what was captured and not yet refunded, is refused."""

from __future__ import annotations

import re
from decimal import Decimal

from ..domain.errors import SandboxError
from .names import _bare
from .totals import _number

# The steps an amount can be named for, by the verbs that take them.
_STEPS = {"authorized": "authorized", "authorised": "authorized", "captured": "captured", "refunded": "refunded",
          "cancelled": "cancelled", "canceled": "cancelled"}
_NAMED = re.compile(r"^(authori[sz]ed|captured|refunded|cancell?ed)(amount|money)?$")
_HOLDING = frozenset(("approve", "authorize", "authorise", "accept"))
_WITHDRAWING = frozenset(("cancel", "void", "terminate"))


def tally_of(node) -> tuple[str, dict] | None:
    """(the key, the object) of the one object `node` holds with amounts (numbers or money objects, not flags)
    named for at least two steps, or None."""
    if not isinstance(node, dict):
        return None
    found = [(key, value) for key, value in node.items() if isinstance(value, dict) and len(_done(value)) >= 2]
    return found[0] if len(found) == 1 else None


def declared_tally(spec: dict, read_schema) -> tuple[str, dict] | None:
    """(the key, {field: its schema}) of the object a read's schema declares at its top whose fields name at
    least two steps, or None."""
    from .pointers import deref

    root = deref(spec, read_schema)
    found = []
    for key, field in ((root or {}).get("properties") or {}).items():
        members = (deref(spec, field) or {}).get("properties") or {}
        named = {name: deref(spec, schema) or {} for name, schema in members.items() if _NAMED.match(_bare(name))}
        if len({_STEPS[_NAMED.match(_bare(name)).group(1)] for name in named}) >= 2:
            found.append((key, named))
    return found[0] if len(found) == 1 else None


def started(spec: dict, read_schema, made: dict, sent) -> None:
    """`made`, a payment just made (in place), with its tally at nothing done, in the form of its amount (a
    money object in its currency, or a number), where its read declares one and it holds none."""
    declared = declared_tally(spec, read_schema)
    if declared is None or not isinstance(made, dict) or declared[0] in made:
        return
    amount = made.get("amount", (sent or {}).get("amount") if isinstance(sent, dict) else None)
    made[declared[0]] = {name: _money(Decimal(0), amount, schema) for name, schema in declared[1].items()
                         if _money(Decimal(0), amount, schema) is not None}


def moved(resource: dict, verb: str, sent, made_with=None) -> None:
    """`resource` (in place), acted on by `verb` with the body `sent`, with its tally moved (`_STEPS`); its amount
    is its own, else the one it was made with (`made_with`, what its creation sent)."""
    found = tally_of(resource)
    whole = _whole(resource, made_with)
    if found is None or whole is None:
        return
    tally = found[1]
    done = _done(tally)
    asked = asked_amount(sent)
    authorized = done.get("authorized", whole if "authorized" not in _fields(tally) else Decimal(0))
    if verb in _HOLDING:
        _add(tally, "authorized", whole - done.get("authorized", Decimal(0)))
    elif verb == "capture":
        _add(tally, "captured", asked if asked is not None else authorized - done.get("captured", 0) - done.get("cancelled", 0))
    elif verb == "refund":
        _add(tally, "refunded", asked if asked is not None else done.get("captured", 0) - done.get("refunded", 0))
    elif verb in _WITHDRAWING:
        _add(tally, "cancelled", max(authorized - done.get("captured", 0) - done.get("cancelled", 0), Decimal(0)))


def refused_beyond(resource, verb: str, sent, made_with=None) -> None:
    """Refuse, as `invalid_amount`, a capture asking for more than is left to capture of `resource` (authorized,
    else its amount, less what was captured and cancelled) or a refund asking for more than was captured and not
    refunded, where its tally says so; nothing changes."""
    found = tally_of(resource)
    whole = _whole(resource, made_with)
    asked = asked_amount(sent)
    if found is None or whole is None or asked is None or verb not in ("capture", "refund"):
        return
    done = _done(found[1])
    authorized = done.get("authorized", whole if "authorized" not in _fields(found[1]) else Decimal(0))
    left = (authorized - done.get("captured", 0) - done.get("cancelled", 0) if verb == "capture"
            else done.get("captured", 0) - done.get("refunded", 0))
    if asked > left:
        raise SandboxError("invalid_amount", f"{asked} is more than the {left} left to {verb}", field="amount")


def asked_amount(sent) -> Decimal | None:
    """The one amount a body sends (`amount`, `modificationAmount`: a number, its text, or a money object's
    value), or None."""
    if not isinstance(sent, dict):
        return None
    values = [_number(value) for key, value in sent.items() if _bare(key).endswith("amount")]
    values = [value for value in values if value is not None]
    return values[0] if len(values) == 1 else None


def _whole(resource, made_with) -> Decimal | None:
    for holder in (resource, made_with):
        if isinstance(holder, dict) and _number(holder.get("amount")) is not None:
            return _number(holder["amount"])
    return None


def _fields(tally: dict) -> dict:
    return {_STEPS[_NAMED.match(_bare(name)).group(1)]: name for name in tally if _NAMED.match(_bare(name))}


def _done(tally: dict) -> dict:
    return {step: value for step, name in _fields(tally).items() if (value := _number(tally[name])) is not None}


def _add(tally: dict, step: str, more) -> None:
    name = _fields(tally).get(step)
    if name is None or _number(tally[name]) is None:
        return
    tally[name] = _money(_number(tally[name]) + Decimal(more), tally[name], None)


def _money(number: Decimal, like, schema):
    """`number` in the form of `like` (a money object keeps its currency), else as `schema` declares it: a whole
    number, or None where it wants a money object and `like` gives no currency."""
    if isinstance(like, dict):
        return {**like, "value": int(number)}
    if schema is not None and (schema.get("type") == "object" or schema.get("properties")):
        return None
    return int(number)
