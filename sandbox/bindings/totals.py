"""Totals that add up: what a document's lines and sums are worth, worked out from what its client sent.

A line sent with how many (`quantity`) at what price (`unit_amount`, `unit_price`, `base_price_money`) and not
its amount is answered with their product in its amount (`line_amount`, `total_money`); the document that holds
such lines answers their sum as its sub-total and, without one, as its total; its total is its sub-total and its
tax (its lines' tax, where they declare one), where a flag of it says its lines' amounts include their tax their
sum, and its sub-total that sum less their tax; what is due is its total less what was paid (nothing, on a new
one, unless its client said so). Drawn, Xero's invoice of 2 x 150 and 1 x 40 was answered and kept `LineAmount` 40.0
and `Total` 40.0, and Square's order of 2 x 15000 and 1 x 4000 `total_money` 6176. Lines sent with their amounts
alone (freee's deal's `details`) are summed the same way, into the document's amount where it has no total, and
what is due of it is that amount less what was paid; drawn, a deal of one line of 110000 yen was kept `amount`
5250 and `due_amount` 0. Lines that say how many at what price and no amount of their own (Conekta's order's
`line_items`, a page of them) come to their products' sum, in the amount of a document with no total. A new payment
of an amount sent alone totals that amount and its tip, was approved for that amount, and holds its other money in
that amount's currency (`_charged`).

Money is written as the answer writes it: a number (to two places), a numeric string (to its price's places), or
an object of an amount and its currency (Square's integers of minor units, its currency the price's). Fields are
recognised by their names' shape only, and each document's sums are kept only where the answer still fits.
"""

from __future__ import annotations

import copy
import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .fallback import _CURRENCY_FIELDS

# Names, bare (lower case, no `_`/`-`): how many of a line; what one of it costs; what the line comes to.
_QUANTITY = re.compile(r"^(quantity|qty)$")
_PRICE = re.compile(r"^(unit|base)(price|amount|cost)(money|amount)?$|^price(money|amount)?$")
_LINE = re.compile(r"^(line)?(total|amount)(amount|money)?$|^grosssales(money|amount)?$")
# ... of the document: its lines' sum before tax; its tax; its whole; what was paid of it; what is still due.
_SUBTOTAL = re.compile(r"^subtotal(amount|money)?$")
_TAX = re.compile(r"^(total)?tax(amount|money)?$")
_DISCOUNT = re.compile(r"^(total)?discount(amount|money)?$")
_TOTAL = re.compile(r"^total(amount|money)?$")
_PAID = re.compile(r"^(amount|total)?paid(amount|money)?$")
_CREDITED = re.compile(r"^(amount|total)?credited(amount|money)?$")
_AMOUNT = re.compile(r"^amount(money)?$")  # ... of a payment: how much it pays
_DUE = re.compile(r"^(amount|total|balance)?due(amount|money)?$")


def added_up(body, sent, fits, made: bool, drawn=None):
    """`body`, the answer of a creation (`made`) or change of a kept resource whose client `sent` what it is,
    with its lines' amounts and its sums worked out (see the module's docstring), where it still `fits`. `drawn`:
    the answer before what was sent was put in it (drawn, or as kept), whose lines say what share of an amount
    its tax is."""
    if not isinstance(body, (dict, list)):
        return body
    out = copy.deepcopy(body)
    holders = []
    _walk(out, sent, made, holders, drawn)
    if not holders:
        return body
    return out if fits(out) else body


def _walk(node, sent, made: bool, holders: list, drawn=None) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, sent[index] if isinstance(sent, list) and index < len(sent) else None, made, holders,
                  drawn[index] if isinstance(drawn, list) and index < len(drawn) else None)
        return
    if not isinstance(node, dict):
        return
    sent = sent if isinstance(sent, dict) else {}
    drawn = drawn if isinstance(drawn, dict) else {}
    lines = stated = None
    for key, value in node.items():
        given = sent.get(key) if isinstance(sent.get(key), list) else []
        rows = _priced_only(key, value) if lines is None else None
        if rows is not None:
            lines = stated = (key, rows)
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value) and any(
                _field(item, _QUANTITY) and _field(item, _PRICE) and _field(item, _LINE) for item in value):
            lines = (key, value)
            for index, line in enumerate(value):
                _priced(line, given[index] if index < len(given) and isinstance(given[index], dict) else {})
        elif lines is None and _stated(key, value, given):
            lines = stated = (key, value)
            _levied(value, given, drawn.get(key) if isinstance(drawn.get(key), list) else [])
        else:
            _walk(value, sent.get(key), made, holders, drawn.get(key))
    if lines is not None:
        holders.append(node)
        _summed(node, lines[1], sent, made, stated is not None)
    elif made and _charged(node, sent):
        holders.append(node)


# ... of a payment of an amount sent alone: what was tipped on it, and what of it was approved (authorised).
_TIP = re.compile(r"^tip(amount|money)?$")
_APPROVED = re.compile(r"^(approved|authori[sz]ed)(amount|money)$")


def _charged(node: dict, sent: dict) -> bool:
    """A new payment of an amount its client sent, no lines: its total is that amount and the tip sent on it, and
    what was approved of it that amount, each in the amount's currency, where not sent. Drawn, Square's payment of
    1500 JPY was answered `total_money` and `approved_money` of 200 USD. Whether it changed anything."""
    amount = _field(sent, _AMOUNT)
    worth = _number(sent.get(amount)) if amount is not None else None
    if worth is None or amount not in node:
        return False
    tip = _field(sent, _TIP)
    tipped = _number(sent.get(tip)) if tip is not None else Decimal(0)
    changed = False
    for pattern, value in ((_TOTAL, worth + (tipped or 0)), (_APPROVED, worth)):
        key = _field(node, pattern)
        if key is not None and key not in sent and _number(node[key]) is not None:
            written = _written(value, node[key], sent[amount])
            changed, node[key] = changed or written != node[key], written
    # its other money, drawn, in its currency too (Square's `app_fee_money` of a JPY payment had been USD)
    currency = next((key for key in sent[amount] if _bare(key) in _CURRENCY_FIELDS), None) \
        if isinstance(sent[amount], dict) else None
    for key, held in node.items() if currency is not None else ():
        if key not in sent and isinstance(held, dict) and currency in held and _number(held) is not None \
                and held[currency] != sent[amount][currency]:
            node[key], changed = {**held, currency: sent[amount][currency]}, True
    return changed



# A list of a document's lines, by its bare name (`details`, `lines`, `line_items`, `entries`, `rows`); and one of
# what its client said was paid of it (`payments`, `settlements`).
_LINES = re.compile(r"(lines?|items?|details?|entries|rows?)$")
_PAYMENTS = re.compile(r"^(payments?|settlements?)$")


def _priced_only(key, value) -> list | None:
    """The lines under `key` where each says how many at what price and no amount of its own (Conekta's order's
    `line_items: [{quantity, unit_price}]`), as a list or as a page of them (`{object: list, data: [...]}`), else
    None: their amounts are their products, summed into the document's amount where it has no total."""
    if not _LINES.search(_bare(key)):
        return None
    if isinstance(value, dict):  # a page: its one list
        inner = [item for item in value.values() if isinstance(item, list)]
        value = inner[0] if len(inner) == 1 else None
    if not isinstance(value, list) or not value or not all(isinstance(line, dict) for line in value):
        return None
    if any(_field(line, _LINE) is not None or None in (_named_number(line, _QUANTITY), _named_number(line, _PRICE))
           for line in value):
        return None
    return [{**line, "amount": _product(line)} for line in value]


def _named_number(line: dict, pattern):
    """The number under the first key of `line` matching `pattern`; None without one (a key `""` is no field's
    name: read for a missing one, a line `{"": 5, "quantity": 2}` was priced at 5, then its price not found, a 500)."""
    key = _field(line, pattern)
    return None if key is None else _number(line[key])


def _product(line: dict):
    """A line's quantity times its price, written as its price is."""
    price = line[_field(line, _PRICE)]
    return _written(_number(line[_field(line, _QUANTITY)]) * _number(price), None, price)


def _stated(key, value, given: list) -> bool:
    """Whether `value`, the answer's list under `key`, is a document's lines its client sent with their amounts
    alone (`given`: each line sent with a number under a line's amount name, as freee's deal's `details: [{tax_code,
    account_item_id, amount}]`, no quantity or price to work them out from)."""
    return isinstance(value, list) and bool(value) and len(given) == len(value) and bool(_LINES.search(_bare(key))) \
        and all(isinstance(item, dict) for item in value) and all(
            isinstance(line, dict) and _field(line, _LINE) is not None
            and _number(line[_field(line, _LINE)]) is not None for line in given)


# A line's tax, by its bare name (freee's deal's `details[].vat`, "消費税額 ... 指定しない場合は自動で計算されます").
_LINE_TAX = re.compile(r"^(tax|vat)(amount|money)?$")


def _levied(lines: list, given: list, drawn: list) -> None:
    """The tax of each line sent with its amount alone and not its tax (`given`): the same share of its amount as
    the drawn line's tax was of the drawn line's (`drawn`, item by item, else the first: freee's example, 250 of
    5250, its 5 % in an amount that holds it), none where the draw's share is none or not below the whole. Drawn
    alone, a line of 100 yen answered a tax of 250 yen, more than the line."""
    for index, line in enumerate(lines):
        levy, amount = _field(line, _LINE_TAX), _field(line, _LINE)
        sent = given[index] if index < len(given) and isinstance(given[index], dict) else {}
        if levy is None or amount is None or levy in sent or _number(line[amount]) is None:
            continue
        like = drawn[index] if index < len(drawn) else drawn[0] if drawn else None
        like = like if isinstance(like, dict) else {}
        whole, part = _named_number(like, _LINE), _named_number(like, _LINE_TAX)
        share = part / whole if whole and part is not None and 0 <= part / whole < 1 else Decimal(0)
        line[levy] = _written(_number(line[amount]) * share, line[levy], line[amount])


def _field(node: dict, pattern) -> str | None:
    """The first key of `node` whose bare name matches `pattern`."""
    return next((key for key in node if pattern.search(_bare(key))), None)


def _bare(key) -> str:
    return re.sub(r"[_\-\s]", "", str(key)).lower()


def _priced(line: dict, given: dict) -> None:
    """A line's amounts (each of them: Square's `gross_sales_money` and `total_money`), its quantity times its
    price, unless its client sent them; its tax is what its client sent, else none (the sandbox knows no rates)."""
    quantity, price = _field(line, _QUANTITY), _field(line, _PRICE)
    how_many = _number(line[quantity]) if quantity is not None else None
    each = _number(line[price]) if price is not None else None
    if how_many is None or each is None or any(_LINE.search(_bare(key)) for key in given):
        return
    for key in [key for key in line if _LINE.search(_bare(key))]:
        line[key] = _written(how_many * each, line[key], line[price])
    for pattern in (_TAX, _DISCOUNT):
        levy = _field(line, pattern)
        if levy is not None and not any(pattern.search(_bare(key)) for key in given):
            line[levy] = _written(Decimal(0), line[levy], line[price])


def _summed(node: dict, lines: list, sent: dict, made: bool, stated: bool = False) -> None:
    """The document's sums of its `lines` (the ones its client sent stay as sent). Of lines `stated` with their
    amounts alone, a document without a total says their sum in its amount (freee's deal's `amount`)."""
    amounts = [_number(line.get(_field(line, _LINE))) for line in lines]
    if None in amounts:
        return
    like = next((line[_field(line, _LINE)] for line in lines), None)
    whole = sum(amounts, Decimal(0))
    subtotal, tax, total = _field(node, _SUBTOTAL), _field(node, _TAX), _field(node, _TOTAL)
    paid, credited, due = _field(node, _PAID), _field(node, _CREDITED), _field(node, _DUE)
    if stated and total is None and subtotal is None:
        total = _field(node, _AMOUNT)
        if total is None:
            return
        # what was paid of it: what its client said (its payments' amounts) on its making; before a change, as much
        # as it held less what was still due of it
        before = [_number(node.get(total)), _number(node.get(due)) if due is not None else None]
        settled = _paid_as_sent(sent) if made else before[0] - before[1] if None not in before else None
        if total not in sent:
            node[total] = _written(whole, node[total], like)
        if due is not None and due not in sent and paid is None and settled is not None:
            node[due] = _written(_number(node[total]) - settled, node[due], like)
        return
    # (a new one's flag is its client's: one drawn in its place says nothing of what was sent)
    taxed = _taxed_as(node, sent if made else None)
    levies = [_number(line.get(_field(line, _TAX))) for line in lines if _field(line, _TAX) is not None]
    levy = sum(levies, Decimal(0)) if levies and None not in levies and len(levies) == len(lines) else None
    if subtotal is not None and subtotal not in sent:  # (amounts that include their tax hold it: less it)
        node[subtotal] = _written(whole - (levy or 0) if taxed == "inclusive" else whole, node[subtotal], like)
    for key, pattern in ((tax, _TAX), (_field(node, _DISCOUNT), _DISCOUNT)):
        held = [_number(line.get(_field(line, pattern))) for line in lines if _field(line, pattern) is not None]
        if key is not None and key not in sent and pattern is _TAX and taxed == "untaxed":
            node[key] = _written(Decimal(0), node[key], like)
        elif key is not None and key not in sent and held and None not in held and len(held) == len(lines):
            node[key] = _written(sum(held, Decimal(0)), node[key], like)
    if total is not None and total not in sent:
        if subtotal is not None:  # (its tax, drawn or its lines', on top)
            before = _number(node[subtotal])
            levy = _number(node[tax]) if tax is not None else Decimal(0)
            if before is not None and levy is not None:
                node[total] = _written(before + levy, node[total], like)
        else:  # (its lines' amounts are what they come to, their tax and discount in them: Square's)
            node[total] = _written(whole, node[total], like)
    if paid is not None and paid not in sent and made:  # nothing is paid of a new one its client did not say
        node[paid] = _written(Decimal(0), node[paid], like)
    if credited is not None and credited not in sent and made:
        node[credited] = _written(Decimal(0), node[credited], like)
    _summarised(node, sent)
    if due is not None and due not in sent and total is not None and paid is not None:
        owed, settled = _number(node[total]), _number(node[paid])
        if settled is not None and credited is not None:  # (credited is paid too: Xero's `AmountCredited`)
            settled += _number(node[credited]) or 0
        if owed is not None and settled is not None:
            node[due] = _written(owed - settled, node[due], like)


def _paid_as_sent(sent: dict) -> Decimal:
    """What a new document's client said was paid of it: the sum of the amounts of its payments' list."""
    paid = Decimal(0)
    for key, value in sent.items():
        if _PAYMENTS.search(_bare(key)) and isinstance(value, list):
            for item in value:
                name = _field(item, _AMOUNT) if isinstance(item, dict) else None
                paid += (_number(item[name]) if name is not None else None) or 0
    return paid


# Words of a document's flag saying whether its lines' amounts hold their tax (Xero's `LineAmountTypes`:
# `Exclusive`, `Inclusive`, `NoTax`; QuickBooks' `GlobalTaxCalculation`: `TaxInclusive`, `NotApplicable`), bare.
_INCLUSIVE = frozenset(("inclusive", "taxinclusive", "taxincluded", "inclusiveoftax"))
_UNTAXED = frozenset(("notax", "untaxed", "taxfree", "notapplicable", "outofscope"))


def _taxed_as(node: dict, sent: dict | None) -> str | None:
    """How a document's lines' amounts are taxed, as a flag of it named for its tax or its amounts says (one its
    client `sent`, where given): "inclusive" (an amount holds its tax: the sub-total is the lines' sum less their
    tax, the total their sum), "untaxed" (no tax at all), else None (the tax comes on top, as without a flag)."""
    for key, value in node.items():
        if sent is not None and key not in sent:
            continue
        if isinstance(value, str) and ("tax" in _bare(key) or "amount" in _bare(key)):
            if _bare(value) in _INCLUSIVE:
                return "inclusive"
            if _bare(value) in _UNTAXED:
                return "untaxed"
    return None


def _summarised(node: dict, sent: dict) -> None:
    """An object beside the lines that sums the document up again (Square's `net_amounts` of `total_money`,
    `tax_money`, `discount_money`) says the document's own total, tax and discount."""
    for key, value in node.items():
        if not isinstance(value, dict) or key in sent or _field(value, _TOTAL) is None:
            continue
        for pattern in (_TOTAL, _TAX, _DISCOUNT):
            mine, theirs = _field(node, pattern), _field(value, pattern)
            if mine is not None and theirs is not None and _number(node[mine]) is not None:
                value[theirs] = _written(_number(node[mine]), value[theirs], node[mine])


def _number(value) -> Decimal | None:
    """The worth of `value`: a number, a numeric string, or a money object's `amount`/`value`."""
    if isinstance(value, dict):
        value = value.get("amount", value.get("value"))
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _written(number: Decimal, drawn, like):
    """`number` written as the field holds it (`drawn`), else as `like` (the price it was worked from): a money
    object keeps its other fields and takes `like`'s currency; integers stay whole (minor units)."""
    form = drawn if drawn is not None else like
    if isinstance(form, dict):
        key = "amount" if "amount" in form or "value" not in form else "value"
        out = {**form, key: _written(number, form.get(key), like.get(key) if isinstance(like, dict) else like)}
        if isinstance(like, dict):
            out.update({name: value for name, value in like.items() if name != key})  # (its currency)
        return out
    if isinstance(form, str):
        places = max(_places(form), _places(like if isinstance(like, str) else ""))
        return str(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if isinstance(form, int) and not isinstance(form, bool) and not isinstance(like, float):
        return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return float(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _places(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def paid_towards(api, ctx, kind: str, made, request: dict, at: str) -> None:
    """A payment just `made` (of `kind`) that names a kept document of another kind by that kind's id (Xero's
    payment of `{"Invoice": {"InvoiceID": ...}, "Amount": 100.00}`) pays it: the document's paid amount grows
    by the payment's amount, and what is due of it is its total less what was paid. Left as made, the invoice
    a payment of 100 paid still answered `AmountPaid` 0 and all of its total due."""
    from ..actions import documents
    from . import feeds
    from .holdings import _inner
    from .roles import address, kept_as

    amount = _number(made.get(_field(made, _AMOUNT))) if isinstance(made, dict) and _field(made, _AMOUNT) else None
    if amount is None:
        return
    for other, _, named, kept in named_kept(api, ctx, kind, made):
        if not isinstance(kept.answer, dict):
            continue
        answer = copy.deepcopy(kept.answer)
        inner = _inner(answer, named)
        document = answer[inner] if inner is not None else answer
        settle = functools.partial(_settled, api, other, document, at=at)
        if _paid(document, amount, made, settle):  # (and listed among its payments: `_listed_in`)
            own = next((n for k, n in readable_kinds(api, address) if k == kind), None)
            _listed_in(api, other, document, _field(document, _PAID), _field(document, _DUE), made, own)
        elif not _done_of(document, amount, made, kind, _declaring(api, other, document)):
            continue
        documents.keep(ctx, *kept_as(api, other), named, kept.owner, kept.sent, answer, at)
        feeds.record(api, ctx, other, named, "change", document, kept.answer[inner] if inner else kept.answer,
                     request, answer)


def _settled(api, kind: str, document: dict, paid: str, due: str, *, at: str) -> None:
    """A document paid in full is in the state of its enum that says it was paid (`PAID`, as the verb `pay` names
    it), and the moments named for it are `at` (Xero's `FullyPaidOnDate`): paid in full by a payment, Xero's
    invoice stayed `AUTHORISED`, with nothing due. Its schema is the one of its read that declares its paid and
    due amounts; a document whose states have no such member is left in its own."""
    from .moments import reached
    from .states import verb_state

    mirror, node = _document_schema(api, kind, paid, due)
    for key in [key for key in (node or {}).get("properties") or () if re.search(r"(status|state)$", key, re.I)]:
        states = [value for value in (mirror.field(node, key) or {}).get("enum") or () if isinstance(value, str)]
        named = verb_state("pay", states)
        if named is not None and document.get(key) != named:
            document[key] = named
            reached(document, node, mirror, [named, "paid"], at)


def _document_schema(api, kind: str, paid: str, due: str) -> tuple:
    """(the mirror of `kind`'s read, the schema in it that declares the paid and due amounts, or None)."""
    from .about import read_answer
    from .mirror import Mirror

    mirror = Mirror(api.spec, read_answer(api, kind))
    node, seen = None, []
    stack = [mirror.root]
    while stack and node is None and len(seen) < 64:
        here = stack.pop(0)
        if not isinstance(here, dict) or any(here is other for other in seen):
            continue
        seen.append(here)
        declared = here.get("properties") or {}
        if paid in declared and due in declared:
            node = here
        stack += [mirror.field(here, key) for key in declared] + [mirror.resolved(here.get("items"))]
    return mirror, node


def _listed_in(api, kind: str, document: dict, paid: str, due: str, payment, own: str | None) -> None:
    """The payment just made listed in the document it pays, in the list whose items its schema names by the
    payment's own id (Xero's invoice's `Payments: [{PaymentID, Amount, ...}]`), with the fields of it those items
    declare: paid by a payment, Xero's invoice still listed no payment."""
    if own is None or not isinstance(payment, dict) or not isinstance(payment.get(own), str):
        return
    mirror, node = _document_schema(api, kind, paid, due)
    for key in (node or {}).get("properties") or ():
        field = mirror.field(node, key) or {}
        items = mirror.resolved(field.get("items")) if field.get("type") == "array" else None
        declared = (items or {}).get("properties") or {}
        if own not in declared or not isinstance(document.get(key, []), list):
            continue
        listed = [item for item in document.get(key) or [] if isinstance(item, dict) and item.get(own) != payment[own]]
        document[key] = [*listed, {name: copy.deepcopy(value) for name, value in payment.items() if name in declared
                                   and not isinstance(value, (dict, list))}]


def _paid(document: dict, amount: Decimal, made: dict, settle) -> bool:
    """Pay `amount` of `document` (in place) where something is due of it, not any that names a paid amount: what
    was paid grows, what is due is its total less what was paid and credited; paid in full, `settle(paid, due)`
    puts it in its paid state (`_settled`). Whether it was paid."""
    paid, due = _field(document, _PAID), _field(document, _DUE)
    before = _number(document.get(paid)) if paid is not None else None
    if before is None or due is None:
        return False
    document[paid] = _written(before + amount, document[paid], made[_field(made, _AMOUNT)])
    total, credited = _field(document, _TOTAL), _field(document, _CREDITED)
    owed = _number(document.get(total)) if total is not None else None
    if owed is not None:
        settled = before + amount + ((_number(document.get(credited)) or 0) if credited is not None else 0)
        document[due] = _written(owed - settled, document[due], document[paid])
        if owed > 0 and settled >= owed:
            settle(paid, due)
    return True


def none_done_yet(api, kind: str, made) -> None:
    """A resource just `made` (of `kind`, in place) has had none of what resources of the API's other kinds do to
    it done yet: what it says they did (`amount_refunded`, `refunded_money`) is nothing, its flag (`refunded`) false,
    where a kind the API makes names it so (a refund, at `/refunds/{id}`: `_done_of`). Drawn, Stripe's new charge
    was answered `amount_refunded: 4`."""
    from .roles import address

    if not isinstance(made, dict):
        return
    for other, _ in readable_kinds(api, address):
        done = _done_word(other) if other != kind else None
        field = _field(made, re.compile(rf"^(amount|total){done}(amount|money)?$|^{done}(amount|money)$")) if done \
            else None
        if field is None or _number(made.get(field)) is None:
            continue
        made[field] = _written(Decimal(0), made[field], made[field])
        for flag in [key for key, value in made.items() if isinstance(value, bool) and _bare(key) in (done, "is" + done)]:
            made[flag] = False


def refunds(kind: str) -> bool:
    """Whether resources of `kind` return what a payment received (`/refunds/{id}`, `/payment_refunds/{id}`)."""
    return _done_word(kind) == "refunded"


def says_received(document: dict) -> bool:
    """Whether a payment says how much of it was received (`amount_received`): that, not its state, bounds its refunds."""
    return _field(document, _RECEIVED) is not None


def _done_word(kind: str) -> str | None:
    """What a resource of `kind` says was done (`/refunds/{refund}` -> `refunded`), by its path's last noun, or its
    last word where another qualifies it (PAY.JP's `/payment_refunds/{id}`, refunds of payment flows: not
    `paymented`)."""
    from .states import past, returning_verb, verbs_of

    nouns = re.findall(r"/([A-Za-z_-]+)(?=/|$)", kind or "")
    return past(returning_verb(nouns[-1]) or verbs_of(nouns[-1])[-1]) if nouns else None


def _done_of(document: dict, amount: Decimal, made: dict, kind: str, declared: dict | None = None) -> bool:
    """Count `amount`, of a resource of `kind` made naming `document`, in what `document` says was done of it under
    that kind's name (in place): a refund (`/refunds/{id}`) grows a charge's `amount_refunded` (Square's payment's
    `refunded_money`), and its `refunded` flag says whether all of its amount was. Left as made, Stripe's charge
    refunded in full still answered `amount_refunded` 0 and `refunded` false. Where `document` holds no such amount
    and its schema `declared` (its properties) one, it gets it, with the ids of what was made in the list of them
    it declares (Square's payment, made without `refunded_money`, kept none after a refund, nor its `refund_ids`).
    Whether it counted."""
    done = _done_word(kind)
    pattern = re.compile(rf"^(amount|total){done}(amount|money)?$|^{done}(amount|money)$") if done else None
    field = _field(document, pattern) if done else None
    whole = _field(document, _AMOUNT)
    if field is None and pattern is not None and whole is not None and _number(document.get(whole)) is not None:
        field = _field(declared or {}, pattern)  # (declared, not held: nothing was done of it before)
        if field is not None:
            document[field] = _written(Decimal(0), None, document[whole])
    before = _number(document.get(field)) if field is not None else None
    if before is None:
        return False
    document[field] = _written(before + amount, document[field], made[_field(made, _AMOUNT)])
    _listed_by_id(document, kind, made, declared or {})
    whole = _number(document.get(_field(document, _AMOUNT))) if _field(document, _AMOUNT) else None
    for flag in [key for key, value in document.items() if isinstance(value, bool) and _bare(key) in (done, "is" + done)]:
        document[flag] = whole is not None and before + amount >= whole
    return True


def refunded_beyond(document: dict, kind: str, sent, refunded: Decimal | None = None) -> tuple | None:
    """(the field, what it asks, what is left) where `sent`, the body making a refund of `kind` (`/refunds/{id}`)
    that names `document`, a kept payment, asks to refund more than is left of what it received (its
    `amount_received`, else its amount, less what it says was refunded: `amount_refunded`, else what the refunds
    made of it add up to, `refunded`), else None; sent without an amount (all that is left), what it asks is None
    where nothing is left. Made, PAY.JP's refund of 5000 of a payment flow of 1000 answered 200."""
    if not refunds(kind) or not isinstance(sent, dict):
        return None
    asked_field = _field(sent, _AMOUNT)
    asked = _number(sent.get(asked_field)) if asked_field is not None else None
    left = left_to_refund(document, _field(document, _RECEIVED) or _field(document, _AMOUNT), refunded)
    if left is None or asked is None and asked_field is not None:
        return None
    if asked is None:
        return ("amount", None, left) if left <= 0 else None
    return (asked_field, asked, left) if asked > left else None


def left_to_refund(document: dict, paid_field: str | None, refunded: Decimal | None = None) -> Decimal | None:
    """What is left to refund of `document`, a payment: what its `paid_field` says was paid, less what it says was
    refunded (`amount_refunded`), else `refunded` (what its refunds add up to); None where it says no amount paid."""
    paid = _number(document.get(paid_field)) if paid_field is not None else None
    if paid is None:
        return None
    done = _field(document, _done_amount("refunded"))
    said = _number(document.get(done)) if done is not None else None
    return paid - (said if said is not None else refunded or Decimal(0))


def _done_amount(done: str):
    """The names of an amount saying how much of a resource was `done` (`captured`): `amount_captured`,
    `captured_amount`, `captured_money`."""
    return re.compile(rf"^(amount|total){done}(amount|money)?$|^{done}(amount|money)$")


def as_flagged(holder: dict, flag: str) -> None:
    """`holder`, a resource just made, whose amount named for what its flag says was done (`amount_captured` of
    `captured`) is all of its amount where the flag is true, nothing where it is false (in place). Drawn, Stripe's
    charge made with `capture=false` answered `captured: false` beside `amount_captured: 602`."""
    field, whole = _field(holder, _done_amount(_bare(flag))), _field(holder, _AMOUNT)
    if field is None or whole is None or _number(holder.get(field)) is None or _number(holder.get(whole)) is None:
        return
    done = _number(holder[whole]) if holder.get(flag) is True else Decimal(0)
    holder[field] = _written(done, holder[field], holder[whole])


def acted_amount(holder: dict, verb: str, done: str, sent) -> None:
    """`holder`, a resource an action whose `verb` leaves it `done` (a capture: `captured`) acted on, whose amount
    named so (`amount_captured`) is the amount the action's body `sent` (`amount`, `amount_to_capture`), else all of
    its own (in place). Drawn, Stripe's charge captured in part, for 1500 of 2000, and then read, answered
    `amount_captured: 602`."""
    field, whole = _field(holder, _done_amount(done)), _field(holder, _AMOUNT)
    if field is None or whole is None or _number(holder.get(field)) is None or _number(holder.get(whole)) is None:
        return
    asked = next((_number(value) for key, value in (sent.items() if isinstance(sent, dict) else ())
                  if (_AMOUNT.search(_bare(key)) or _bare(key) == f"amountto{verb}") and _number(value) is not None),
                 None)
    holder[field] = _written(asked if asked is not None else _number(holder[whole]), holder[field], holder[whole])


# ... of a payment held for a capture: how much of it may still be captured; how much of it was received.
_CAPTURABLE = re.compile(r"^(amount|total)capturable(amount|money)?$|^capturable(amount|money)$")
_RECEIVED = re.compile(r"^(amount|total)(received|collected)(amount|money)?$|^(received|collected)(amount|money)$")


def as_held(holder: dict, state: str, sent=None, verb: str | None = None) -> None:
    """`holder`, a payment just made or acted on (in place), whose amounts of what may still be captured
    (`amount_capturable`) and of what was received (`amount_received`) follow its `state`: "held" (authorized,
    waiting for its capture) all of its amount capturable and nothing received, "done" (it succeeded) nothing
    capturable and all of it received, or as much as the action's body `sent` (`amount_to_capture`, a capture in
    part), anything else nothing of either. Drawn, Stripe's payment intent made with `capture_method=manual`
    answered `amount_capturable: 776` beside its amount of 2000, and captured for 1500 `amount_received: 437`."""
    capturable, received, whole = _field(holder, _CAPTURABLE), _field(holder, _RECEIVED), _field(holder, _AMOUNT)
    amount = _number(holder.get(whole)) if whole is not None else None
    if amount is None:
        return
    asked = next((_number(value) for key, value in (sent.items() if isinstance(sent, dict) and verb else ())
                  if _bare(key) == f"amountto{verb}" and _number(value) is not None), None)
    for field, worth in ((capturable, amount if state == "held" else Decimal(0)),
                         (received, (asked if asked is not None else amount) if state == "done" else Decimal(0))):
        if field is not None and _number(holder.get(field)) is not None:
            holder[field] = _written(worth, holder[field], holder[whole])


def _declaring(api, kind: str, document: dict) -> dict:
    """The properties the read of `kind` declares for `document`, its resource, bare or in its envelope
    (`{payment: {...}}`): the schema of the two declaring more of its fields, resolved."""
    from .about import read_answer
    from .mirror import Mirror

    mirror = Mirror(api.spec, read_answer(api, kind))
    nodes = [mirror.root] + [mirror.field(mirror.root, key) for key in ((mirror.root or {}).get("properties") or {})]
    best = max((node for node in nodes if isinstance(node, dict)),
               key=lambda node: len(set(node.get("properties") or {}) & set(document)), default={})
    return {key: mirror.field(best, key) or {} for key in best.get("properties") or {}}


def _listed_by_id(document: dict, kind: str, made: dict, declared: dict) -> None:
    """The id of `made`, a resource of `kind`, added to the list of such ids `document` declares (Square's payment's
    `refund_ids` for a refund read at `/refunds/{refund_id}`), in place."""
    own = re.search(r"\{([^}/]+)\}/?$", kind or "")
    noun = re.findall(r"/([A-Za-z_-]+)(?=/|$)", kind or "")
    names = {_bare(own.group(1)) + "s"} if own and _bare(own.group(1)).endswith("id") else set()
    names |= {(_bare(noun[-1])[:-1] if _bare(noun[-1]).endswith("s") else _bare(noun[-1])) + "ids"} if noun else set()
    made_id = made.get("id") if isinstance(made.get("id"), str) else None
    for key, field in declared.items():
        items = (field or {}).get("items") if isinstance(field, dict) else None
        if _bare(key) in names and field.get("type") == "array" and (items or {}).get("type", "string") == "string" \
                and made_id and isinstance(document.get(key, []), list):
            document[key] = [*(value for value in document.get(key) or [] if value != made_id), made_id]


def named_kept(api, ctx, kind: str, body):
    """(kind, the name of its id, the id, the kept resource) of each live resource of another kind than `kind` that
    `body` names by that kind's id, at its top or one object down (a refund's `charge`, Xero's payment's
    `{"Invoice": {"InvoiceID": ...}}`)."""
    from ..actions import documents
    from .roles import address, kept_as

    if not isinstance(body, dict):
        return
    for other, name in readable_kinds(api, address):
        named = next((value[name] for value in (body, *body.values()) if isinstance(value, dict)
                      and isinstance(value.get(name), str) and value[name]), None) if other != kind else None
        kept = documents.find(ctx, *kept_as(api, other), named) if named is not None else None
        if kept is not None and not kept.deleted:
            yield other, name, named, kept


def readable_kinds(api, address) -> list:
    """(kind, the name of its id) of each kind this API reads one by one (memoised)."""
    known = api.derived.get("readable_kinds")
    if known is None:
        known = []
        for operation_id, method, _, _ in api.spec_operations():
            found = address(api, operation_id) if method.lower() == "get" else None
            if found is not None and found.role == "read" and found.name and (found.kind, found.name) not in known:
                known.append((found.kind, found.name))
        api.derived["readable_kinds"] = known
    return known


# A read of a holder's balances (`/balances/{token}`, `/financial_accounts/{token}/balances`), and the fields it
# answers: what may be spent, what the books hold, what waits to be settled (bare names).
BALANCE_READ = re.compile(r"/balances?(/\{[^}/]+\})?/?$")
_AVAILABLE_BALANCE = re.compile(r"^available(balance|amount)?$")
_LEDGER_BALANCE = re.compile(r"^(ledger|total|current|posted|cached)(balance|amount)$|^balance$")
_PENDING_BALANCE = re.compile(r"^pending(amount|debits?|balance)$|^hold$")
# (a balance of its own, which makes a resource's read a read of its balances too: Unit's account's `balance`)
BALANCE_FIELD = re.compile(r"^(available|ledger|current|posted|cached)?balance$")
_PENDING_CREDITS = re.compile(r"^pendingcredits?$")


def balances_followed(body, movements: dict | None, fits):
    """`body`, a read of a holder's balances, where the workspace kept movements of its money (`movements`: what
    was paid in, what is spent and waits to settle, what is spent and settled, remembered's `holder_movements`), as
    they leave it, at its top, one object down (Marqeta's `gpa`), two (Unit's account's `data.attributes`: its
    `balance`, `available` and `hold`) and in the items of its lists (Lithic's `data`):
    what may be spent is what was paid in less all that was spent, what the books hold less what settled, what waits
    the pending spending; never below nothing, as integers where the schema counts in minor units. A holder drawn
    (`movements["drawn"]`: not opened here) starts from its drawn balance, one opened here from nothing. Drawn, each
    read of a card's balance after a simulated authorization was another sum, unrelated to it."""
    if not movements or not isinstance(body, (dict, list)):
        return body
    paid, pending, settled = movements["paid"], movements["pending"], movements["settled"]

    def figures(node: dict) -> list:
        # (a holder drawn, not opened here, starts from what its draw says it holds, as stable as its draw: its
        # books, what it may spend of them, no more, and what waits, the rest; one opened here, from nothing)
        def drawn(shape):
            return next((_number(value) for key, value in node.items() if shape.match(re.sub(r"[^a-z]", "", str(key).lower()))
                         and _number(value) is not None), None) if movements.get("drawn") else None
        booked, spendable = drawn(_LEDGER_BALANCE), drawn(_AVAILABLE_BALANCE)
        booked = max(booked if booked is not None else spendable or Decimal(0), Decimal(0))
        spendable = min(max(spendable if spendable is not None else booked, Decimal(0)), booked)
        return [(_AVAILABLE_BALANCE, max(spendable + paid - pending - settled, Decimal(0))),
                (_LEDGER_BALANCE, max(booked + paid - settled, Decimal(0))),
                (_PENDING_BALANCE, booked - spendable + pending), (_PENDING_CREDITS, Decimal(0))]

    def followed(node, depth: int = 0):
        if isinstance(node, list) and depth < 3:
            return [followed(item, depth + 1) for item in node]
        if not isinstance(node, dict) or depth > 2:
            return node
        out, held = {}, figures(node)
        for key, value in node.items():
            bare = re.sub(r"[^a-z]", "", str(key).lower())
            figure = next((sum_ for shape, sum_ in held if shape.match(bare)), None)
            if figure is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
                out[key] = int(figure) if isinstance(value, int) else float(figure.quantize(Decimal("0.01")))
            else:
                out[key] = followed(value, depth + 1) if isinstance(value, (dict, list)) else value
        return out
    candidate = followed(body)
    return candidate if candidate != body and fits(candidate) else body
