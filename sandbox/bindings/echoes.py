"""What an answer takes of what the request sent (`echo`): each field the answer's schema declares, as sent,
where the value fits it; never a secret; ids named in the request read as the objects they name."""

from __future__ import annotations

import copy
import re

from .fallback import deref
from .mirror import Mirror, _SECRET, _scalar, envelope_of
from .names import _GENERIC_IDS, _bare


def _named_in(holder: dict, path: dict, last: str | None, noun: str = "") -> dict:
    """The fields of `holder` the path names: those named as its parameters, and the resource's own id for
    the last one (`guid` for a `member_guid`, else `id`, else a field named for the path's resource noun:
    `payout_batch_id` of `/payouts/{id}`)."""
    named = {}
    for name, value in path.items():  # as named, or in another case's words (`payment_request_id` of `{paymentRequestId}`)
        field = name if name in holder else next((f for f in holder if _bare(name) not in _GENERIC_IDS
                                                  and _bare(f) == _bare(name)), None)
        if field is not None:
            named[field] = value
    for name, value in path.items():  # `identity` of `/identities/{identity_id}/merchants`: an owner by its noun
        owner = re.sub(r"(?:[_\-.]?(?:id|token|guid|uuid)|(?<=[a-z0-9])(?:ID|Id|Token|GUID|Guid|UUID|Uuid))$", "", name)
        if name == last or name in holder or owner in ("", name):
            continue
        field = next((f for f in holder if _bare(f) == _bare(owner)), None)
        if field is not None and field not in named and isinstance(holder[field], str):
            named[field] = value
    if last is not None and last not in named:
        own = re.sub(r"^.*(?:[_-]|(?<=[a-z])(?=[A-Z]))", "", last)  # member_guid -> guid, institutionId -> Id
        field = next((f for f in dict.fromkeys((own, own.lower())) if f in holder), None)
        if field is None and len(noun) > 2:  # the resource's id by its noun: `customer_code` of `/customer/{code}`
            wanted = noun + _bare(own)
            field = next((f for f in holder if _bare(f) == wanted), None)
        field = field or ("id" if "id" in holder else None)
        if field is None and len(noun) > 2:
            field = next((f for f, v in holder.items() if isinstance(v, str)
                          and re.fullmatch(rf"{noun}[a-z0-9]*id", _bare(f))), None)
        if field is not None and field not in named:
            named[field] = path[last]
    return named


def echo(body, sent, fits, spec: dict | None = None, schema=None, enveloped: bool = True):
    """`body` with what the request sent under the same names, at every depth, where the answer still fits
    its schema: a customer created with an e-mail address is answered with that address, not the
    example's. The answer itself and its envelope are the resource, which keeps the fields the server
    owns (its id, its status) and takes what was sent over them; an object below them that the client
    sent whole (a payment's `Initiation`, an address) is answered as sent, without fields the draw added,
    where the schema declares each of its fields; a declared field the draw left out is added; a list is
    answered as sent (a list of objects item by item over the drawn ones). The whole of it at once, else
    field by field: an object that cannot take what was sent over what was drawn (another `oneOf`
    branch: an IBAN sent, a local account drawn) is replaced by what was sent, else its fields are tried
    one by one. Secrets (a password, a card's security code) are never echoed. `enveloped`: False where `body`
    is the resource itself (a listed item naming its own id at its top), whose one object field is no envelope."""
    if not isinstance(body, dict) or not isinstance(sent, dict):
        return body
    sent = _without_foreign_subtype(spec, schema, sent)
    mirror = Mirror(spec if spec is not None else _NO_SPEC, schema or {})  # no spec: nothing counts as declared
    sent = _under_answer_names(mirror, sent)
    whole = copy.deepcopy(body)
    mirror.overlay(whole, sent, mirror.root, resource=True, root=enveloped)
    if fits(whole):
        return whole
    return _echo_fields(body, sent, fits, (), mirror)


def _first_word(name) -> str:
    return re.split(r"[-_.]|(?<=[a-z0-9])(?=[A-Z])", str(name))[0].lower()


def _under_answer_names(mirror: Mirror, sent: dict) -> dict:
    """`sent` with an object the answer does not declare under its own name put under the one object field the
    answer declares, and was not sent, that begins with the same word and takes it as sent (Enable Banking makes a
    payment from `payment_request` and reads it back as `payment_details`: read as the example's, the payment
    answered another amount to another creditor than the one it was made for)."""
    root = mirror.root
    declared = (root or {}).get("properties") or {}
    renamed = {}
    for key, value in sent.items():
        if not isinstance(value, dict) or key in declared or not declared:
            continue
        alike = [name for name in declared if name not in sent and name not in renamed.values()
                 and _first_word(name) == _first_word(key) and mirror.as_sent(mirror.field(root, name), value)]
        if len(alike) == 1:
            renamed[key] = alike[0]
    return {renamed.get(key, key): value for key, value in sent.items()} if renamed else sent


def _without_foreign_subtype(spec: dict | None, schema, sent: dict) -> dict:
    """What was sent, without a discriminator value the answer's schema maps to none of its subtypes: a request's
    subtypes are not always the answer's (an instrument stored from a `token` is answered as a `card`), and
    echoed, the answer named a subtype its clients cannot read (strict deserializers refuse it)."""
    resolved = deref(spec, schema) if spec is not None and isinstance(schema, dict) else None
    discriminator = (resolved or {}).get("discriminator") if isinstance(resolved, dict) else None
    if not isinstance(discriminator, dict) or not isinstance(discriminator.get("mapping"), dict):
        return sent
    name = discriminator.get("propertyName")
    if name in sent and str(sent[name]) not in discriminator["mapping"]:
        return {key: value for key, value in sent.items() if key != name}
    return sent


def objects_named_by_ids(body, sent: dict, fits):
    """`body` with each object the request named by an id under the object's name and an id word
    (`balanceAccountId` -> `balanceAccount`, `customer_id` -> `customer`) carrying that id, at the answer's top
    and in its envelope: Adyen's transfer, sent `balanceAccountId`, answered a `balanceAccount` of another id,
    and read back so. Where the answer still fits."""
    if not isinstance(body, dict):
        return body
    named = {}
    for key, value in sent.items():
        found = re.fullmatch(r"(.+?)[_\-]?(id|Id|ID)", str(key))
        if found and _scalar(value) and value is not None and not isinstance(value, bool):
            named[_bare(found.group(1))] = value
    if not named:
        return body
    candidate = copy.deepcopy(body)
    inner = envelope_of(candidate)
    changed = False
    for holder in [candidate] + ([candidate[inner]] if inner is not None and isinstance(candidate[inner], dict) else []):
        for key, value in holder.items():
            wanted = named.get(_bare(key))
            if wanted is not None and isinstance(value, dict) and "id" in value and _scalar(value["id"]) and value["id"] != wanted:
                value["id"], changed = wanted, True
    return candidate if changed and fits(candidate) else body


def _each_echoed(body: list, sent: dict, fits) -> list:
    """A list answered to a request that made or asked for its items (Belvo's `POST /accounts {"link": X}`
    answers the link's accounts): each item's fields named as what was sent, at its top, take the value sent,
    where the list still fits."""
    candidate = copy.deepcopy(body)
    changed = False
    for item in candidate:
        for key, value in sent.items() if isinstance(item, dict) else ():
            if key in item and _scalar(value) and not _SECRET.search(_bare(key)) \
                    and item[key] != value:
                item[key], changed = value, True
    return candidate if changed and fits(candidate) else body


_NO_SPEC: dict = {}


def _echo_fields(body: dict, sent: dict, fits, at: tuple, mirror: Mirror) -> dict:
    """`echo` one field at a time under the object at `at` (keys from the root) of `body`."""
    def at_path(root):
        for key in at:
            root = root[key]
        return root

    node = mirror.root
    for key in at:
        node = mirror.field(node, key)
    for key in [k for k in sent if k in at_path(body)]:
        candidate = copy.deepcopy(body)
        mirror.overlay(at_path(candidate), sent, node, resource=not at, keys=[key], root=not at)
        if fits(candidate):
            body = candidate
            continue
        current, value = at_path(body)[key], sent[key]
        if isinstance(current, dict) and isinstance(value, dict):
            replaced = copy.deepcopy(body)
            at_path(replaced)[key] = copy.deepcopy(value)
            body = replaced if fits(replaced) else _echo_fields(body, value, fits, (*at, key), mirror)
    return body


def texts_in(sent) -> list[str]:
    """Every text what was sent holds, at any depth (in its objects and its lists): what it may name another
    resource or a condition by."""
    found, stack = [], [sent]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            found.append(value)
    return found
