"""What an answer drawn from a spec says about the request it answers.

An answer generated from a schema (or taken from an example) is about some resource; a client reads it
as about the one it asked for. So it carries what the request sent (`echo`) and the request id it carried
(`correlated`), the ids its path and required query named (`named_by_path`, also in an envelope, in its
lists' items, and for an action on a resource), ids of its own for each idempotency key (`own_ids`) that
its read takes (`readable_id`), is the last page of a list (`one_page`: links, flags, cursors, counters),
and a resource just created starts in its first state (`just_created`); a creation's `Location` names
where it is read (`location`). Every change is kept only where the answer still fits its schema (`fits`).
"""

from __future__ import annotations

import copy
import hashlib
import math
import random
import re
import string
import uuid
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote, urlencode, urlsplit

from . import client_ids, totals
from .changes import batch_key
from .fallback import (_id_or_object, _is_null, _located, _merge, _seed, deref, flattened, generate, idempotency_keys,
                       own_card_numbers, property_schema)
from .formats import UUID_TEXT
from .jws import SIGNED_ANSWER, content_of
from .schemas import schemas_of


def about_the_request(api, operation_id: str, status: int, request: dict, body, schema, fits, drawn: bool = True):
    """A success answer made about the request: what the workspace kept of its resource, what it sent, the ids
    its path named, one page, a new resource's first state."""
    from .remembered import _batched_like, address, as_kept, as_listed, as_viewed
    from .states import returning_verb

    body = as_kept(api, request, body, schema, fits)
    body = as_listed(api, operation_id, request, body, schema, fits)  # (one never made here, as its list shows it)
    kept = request.get("remembered") or {}
    # A change of a kept resource carries all it was sent, its own body merged in (RFC 7386: a null removes).
    sent = kept["sent"] if kept.get("role") == "change" else _as_answered(api, operation_id, request.get("body"), schema)
    sent = in_answer_names(sent, (_Mirror(api.spec, schema).root or {}).get("properties") or {}) if isinstance(schema, dict) else sent
    if kept.get("role") == "action" and isinstance(sent, dict):
        # an action's amount says how much to act on, not what the resource is: a refund's `amount` is not its
        # charge's (PAY.JP's charge of 3500 refunded 1000 was kept as a charge of 1000); what else it sends (a
        # confirmation's `payment_method`) is the resource's
        held = _held_amounts(kept.get("answer"))
        sent = {key: value for key, value in sent.items() if key not in held}
    if request.get("implied") and (sent is None or isinstance(sent, dict)):  # what it acts on has left (remembered)
        sent = {**request["implied"], **(sent or {})}
    batch = _batched_like(body, sent) if batch_key(sent) is None else None
    if batch is not None:  # one sent bare, answered as a batch's one item (Xero's `PUT /Payments` of a Payment
        sent = {batch: [sent]}  # answers `{"Payments": [...]}`: the example's amount was answered, not the one sent)
    if isinstance(sent, dict):
        inner = envelope_of(body) if batch is None else None
        if inner is not None:  # an RPC-style read ({"institution_id": ...} -> {"institution": {...}})
            # also the fields the envelope's schema declares that the draw left out (Yapily's `data.paymentIdempotencyId`)
            mirror = _Mirror(api.spec, schema)
            declared = (mirror.field(mirror.root, inner) or {}).get("properties") or {}
            sent = {**sent, inner: {**{k: v for k, v in sent.items() if k in body[inner] or k in declared},
                                    **(sent[inner] if isinstance(sent.get(inner), dict) else {})}}
    before = body  # (as drawn, or as kept: what a line's tax and a document's days were beside what was sent)
    if isinstance(sent, dict):
        body = echo(body, sent, fits, api.spec, schema) if not isinstance(body, list) else _each_echoed(body, sent, fits)
    body = correlated(body, request, fits)
    body = traced(api, schema, body, request, fits)
    body = as_named(body, request, fits)
    body = as_named_ids(body, request, fits)
    body = typed_by_path(api, operation_id, request, body, schema, fits)
    path = {**(request.get("path") or {}), **unheld(named_by_query(api, operation_id, request), kept)}
    template = _located(api, operation_id)[0] or ""
    last = _last_parameter(api, operation_id)
    named = named_by_path(api, operation_id, qualified(template, path, keep=last), body)
    named = {**_declared_owners(api, schema, qualified(template, path, keep=last), last, body, named), **named}
    if named:
        drawn, body = body, echo(body, named, fits, api.spec, schema)
        body = paths_named_anew(drawn, body, fits)
    body = lists_named_by_path(body, qualified(template, path), fits)
    changing = kept.get("role") == "change"  # (by a write of its path, or a creation naming it: remembered.recall)
    if _creates(api, operation_id) and not changing:  # what a new resource is, not one kept and changed
        body = unsent_lists(api, operation_id, request, body, fits)
        body = nothing_under_yet(api, operation_id, body, fits)
        body = linked_to_owner(api, operation_id, request, body, schema, fits)
        body = with_own_fields(api, operation_id, request, schema, body, fits)
        body = keyed_as_sent(body, request, fits)
        # (a bare `{id}` of the owner the resource is made under names the owner, not the answer's `id`: Adyen's
        # `POST /balancePlatforms/{id}/transferLimits` answered every limit with the example's one id)
        body = own_ids(api, operation_id, request, body, set(qualified(template, path, keep=last)) | _fields_of(named), fits)
        body = readable_id(api, operation_id, request, body, fits)
    if isinstance(sent, dict):  # (after the ids drawn anew: an object's id the client named is not one of them)
        body = objects_named_by_ids(body, sent, fits)
    body = one_page(api, operation_id, request, body, fits, schema)
    body = linked_here(api, request, body, fits)
    body = authorization_answered(api, request, body, fits)
    body = links_of_its_own(api, request, body, fits)
    if request.get("remembered_items") is None:  # (a kept page was filtered by its bounds: its items stay as kept)
        body = within_window(request.get("query") or {}, body, fits, request.get("now"))
    body = succeeded(body, fits, drawn)
    body = nested_page_urls(api, operation_id, request, body, fits)
    # A resource just made starts in its first state (unless its client asked for one): answered 201, or 200
    # by a creation (Increase's ACH transfers were made `returned`), but not a 201 of an action on one
    # (PayPal's capture of an order).
    role = getattr(address(api, operation_id), "role", None)
    made = ((status == 201 and role != "action") or role == "create") and not changing
    if made or (drawn and role == "read" and request.get("remembered") is None and request.get("remembered_items") is None):
        # a new resource, or one never made here drawn (not its example): it points at no other resource the client
        # did not name
        body = unlinked(api, body, schema, request.get("body") if made else None, fits)
    # (made by an action's verb under the resource it acts on: `capture` of `/authorizations/{id}/capture`; or in a
    # collection named for a verb returning money: `refund` of `/refunds`)
    verb = re.fullmatch(r".*/\{[^}/]+\}/([^{}/]+)/?", template)
    verb = _bare(verb.group(1)) if verb else returning_verb(template.rstrip("/").rsplit("/", 1)[-1])
    body = just_created(api.spec, schema, body, fits, request.get("body"), verb,
                        _declared_flags(api, operation_id)) if made else body
    body = unsent_left_out(api, operation_id, request, body, schema, fits) if made else body
    if made:  # (a card's number of its own, not its example's)
        own = next((value for key, value in (body.items() if isinstance(body, dict) else ())
                    if _bare(key) in ("id", "token", "guid", "uuid") and isinstance(value, (str, int))), None)
        body = own_card_numbers(body, request.get("body"), fits, f"{own}:{request.get('made_before')}")
    if made or changing:  # its lines' amounts and its sums, worked out from what was sent
        body = totals.added_up(body, sent, fits, made, before)
    if made:  # (its days beside the day it was sent as dated: moments.dated_as_sent)
        from .moments import dated_as_sent
        body = dated_as_sent(before, body, sent, fits)
    body = started(api, operation_id, schema, body, fits, request.get("body"), request.get("now")) if made else body
    body = not_yet_reached(api.spec, schema, body, fits, request.get("body"), request.get("now")) if made else body
    body = steps_not_taken(api, operation_id, schema, body, fits, request.get("body")) if made else body
    body = as_viewed(request, body, fits)  # (a view of a kept resource: its state as kept)
    body = resource_links(api, operation_id, request, body, fits, schema)  # (by the state it is answered in)
    body = held_links(api, request, body, fits)
    body = totals.balances_followed(body, request.get("holder_movements"), fits)  # (remembered: what moved its money)
    return client_ids.mapped(api, operation_id, request, body, fits)


def paths_named_anew(drawn, body, fits):
    """`body`, whose fields named as the path's parameters now hold the request's values (`named_by_path`), with
    the paths and URLs it holds naming those values where they named the drawn ones, as a segment of their own
    (Twilio's message made under `/Accounts/AC1.../Messages.json` was answered `account_sid: AC1...` beside `uri` and
    `subresource_uris.media` of the example's account, `/Accounts/ACaaaa.../Messages/SM....json`)."""
    if not isinstance(drawn, dict) or not isinstance(body, dict):
        return body
    pairs = {}
    for before, after in [(drawn, body)] + [(drawn[key], body[key]) for key in drawn
                                            if isinstance(drawn[key], dict) and isinstance(body.get(key), dict)]:
        for key, value in before.items():
            new = after.get(key)
            if isinstance(value, str) and isinstance(new, str) and value != new and re.fullmatch(r"[\w.~-]{4,}", value):
                pairs[value] = new
    if not pairs:
        return body
    segment = re.compile(r"(?<=/)(" + "|".join(map(re.escape, sorted(pairs, key=len, reverse=True))) + r")(?=[/.?#]|$)")

    def renamed(node):
        if isinstance(node, dict):
            return {key: renamed(value) for key, value in node.items()}
        if isinstance(node, list):
            return [renamed(value) for value in node]
        if isinstance(node, str) and "/" in node:
            return segment.sub(lambda found: pairs[found.group(1)], node)
        return node
    candidate = renamed(body)
    return candidate if candidate != body and fits(candidate) else body


def nested_page_urls(api, operation_id: str, request: dict, body, fits):
    """`body`, an answer about one resource, whose embedded pages (`cards: {object: list, data, url}`) name
    where the spec lists them in their `url`, the resource's path and the page's name (`/customers/cus_1/cards`),
    where the spec has that list: the SDKs that page or add through it (PAY.JP's `customer.cards.create`,
    Stripe's `customer.sources.list`) asked the drawn "https://example.jp/3588" and got a 404."""
    if not isinstance(body, dict) or not any(isinstance(v, dict) and isinstance(v.get("url"), str) for v in body.values()):
        return body
    template = _located(api, operation_id)[0] or ""
    path = request.get("path") or {}
    own = LAST_PARAMETER.search(template)
    if own is not None:
        base, shape = _filled(template, path), path_shape(template)
    else:  # a creation: the resource's own path, by the id it was answered
        read = read_of(api, operation_id)
        if read is None or not _scalar(body.get("id")) or body.get("id") is None:
            return body
        base, shape = _filled(read[0], {**path, read[1]: body["id"]}), path_shape(read[0])
    listed = {path_shape(route) for _, method, route, _ in api.spec_operations() if method.lower() == "get"}
    candidate = copy.deepcopy(body)
    for key, value in candidate.items():
        if isinstance(value, dict) and isinstance(value.get("url"), str) \
                and any(isinstance(v, list) for v in value.values()) and f"{shape}/{key}" in listed:
            value["url"] = f"{base.rstrip('/')}/{key}"
    return candidate if candidate != body and fits(candidate) else body


def as_named(body, request: dict, fits):
    """`body`, a creation's answer, in the money of the kept resource its request names (`named_money`: a refund
    of a charge), for the amount and currency it did not send."""
    money, sent = request.get("named_money") or {}, request.get("body")
    if not money or not isinstance(body, dict):
        return body
    sent = sent if isinstance(sent, dict) else {}
    candidate = {**body, **{key: value for key, value in money.items() if key in body and key not in sent}}
    return candidate if candidate != body and fits(candidate) else body


# Words before a field naming what a resource follows on from (remembered.py's `_BEFORE`).
_BEFORE_WORDS = ("precedingrelated", "original", "originating", "parent", "preceding", "related", "prior", "previous")


def as_named_ids(body, request: dict, fits):
    """`body`, or the objects it holds one down, naming a kept resource its request named (`named_ids`), holding the
    ids of the other resources that one names as it names them, where they were not sent (a card issuer's
    transaction of a card is the card's user's: `user_token`, `card_product_token`)."""
    named, sent = request.get("named_ids") or {}, request.get("body")
    if not named or not isinstance(body, dict):
        return body
    sent = sent if isinstance(sent, dict) else {}
    candidate = copy.deepcopy(body)
    for holder in [candidate, *(value for value in candidate.values() if isinstance(value, dict))]:
        for field, (value, ids, followed) in named.items():
            # (or one naming it as what it follows on from: a clearing's `preceding_related_transaction_token` of the
            # authorization its request named by `original_transaction_token`)
            following = [key for key in holder if followed and key not in sent and _bare(key).endswith(followed)
                         and _bare(key) != followed and _bare(key)[:-len(followed)] in _BEFORE_WORDS]
            if str(holder.get(field)) == str(value) or following:
                holder.update({key: held for key, held in ids.items() if key in holder and key not in sent})
                holder.update({key: value for key in following})
    return candidate if candidate != body and fits(candidate) else body


def typed_by_path(api, operation_id: str, request: dict, body, schema, fits):
    """`body`, a `POST`'s answer, or an object it holds one down, whose `type` is an enum holding the word the
    path ends in, of that type where it was not sent (a card issuer's `POST /simulate/authorization` answered a
    transaction of a drawn type, `gpa.credit` or `authorization.clearing.chargeback.reversal`: it is an
    `authorization`)."""
    last = (_located(api, operation_id)[0] or "").rstrip("/").rsplit("/", 1)[-1]
    if str(request.get("method", "")).upper() != "POST" or not isinstance(body, dict) or "{" in last or not last:
        return body
    sent = request.get("body") if isinstance(request.get("body"), dict) else {}
    mirror = _Mirror(api.spec, schema)
    candidate = copy.deepcopy(body)
    holders = [(candidate, mirror.root, sent)] + [(value, mirror.field(mirror.root, key), sent.get(key))
                                                  for key, value in candidate.items() if isinstance(value, dict)]
    for holder, node, given in holders:
        field = mirror.field(node, "type") if isinstance(node, dict) and "type" in holder else None
        wanted = next((value for value in (field or {}).get("enum") or () if _bare(value) == _bare(last)), None)
        if wanted is not None and not (isinstance(given, dict) and "type" in given):
            holder["type"] = wanted
    return candidate if candidate != body and fits(candidate) else body


_AMOUNT = re.compile(r"(amount|quantity|total|value|count)$")


def _held_amounts(resource) -> set:
    """The names of the amounts a kept resource holds (not null), at its top and in its envelope."""
    if not isinstance(resource, dict):
        return set()
    inner = envelope_of(resource)
    fields = {**resource, **(resource[inner] if inner is not None else {})}
    return {key for key, value in fields.items() if value is not None and _AMOUNT.search(_bare(key))}


def _bare(name) -> str:
    """A name as names are compared here: lower case, letters and digits only (`payment_id` is `paymentid`)."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


# Path parameter names that say only "an id", not whose: Marqeta's `/cards/user/{token}`, `/users/{token}/notes`.
_GENERIC_IDS = ("id", "token", "guid", "uuid")
# A name of an id: `customer_id`, `contactId`, `WidgetID` (not `paid` nor `valid`).
AN_ID = re.compile(r"(^|[_\-.])(id|guid|uuid)$|[a-z0-9](ID|Id|GUID|Guid|UUID|Uuid)$")


def _last_parameter(api, operation_id: str) -> str | None:
    """The path parameter naming what the answer is about: the one the path ends in, else the acted-on one."""
    last = LAST_PARAMETER.search(_located(api, operation_id)[0] or "")
    return last.group(1) if last else acted_on(api, operation_id)


def qualified(template: str, path: dict, keep: str | None = None) -> dict:
    """`path` with each parameter named only as an id (`{token}`, `{id}`) renamed for whose id it is, by the
    literal segment before it (`/cards/user/{token}` -> `user_token`, `/users/{id}/notes` -> `user_id`,
    or `userId` for a camelCase API), except `keep` (the resource the answer itself is). The notes of
    `/users/{token}/notes`, and each card of `/cards/user/{token}`, were answered with the user's token as
    their own."""
    renamed = {}
    for name, value in path.items():
        found = re.search(r"([^/{}]+)/\{" + re.escape(name) + r"\}", template)
        if name == keep or name.lower() not in _GENERIC_IDS or found is None:
            renamed[name] = value
            continue
        owner = re.sub(r"[^A-Za-z0-9]+", "_", found.group(1)).strip("_").lower()
        owner = _singular(owner)
        renamed[f"{owner}_{name}"] = value
        renamed[owner + name[:1].upper() + name[1:]] = value
    return renamed


def _singular(noun: str) -> str:
    """A collection's noun as one of its items: `legal_entities` -> `legal_entity` (Adyen's `legalEntityId` of
    `/legalEntities/{id}/businessLines`), `addresses` -> `address`, `users` -> `user`."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if re.search(r"(ss|x|ch|sh)es$", noun):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


# An envelope's boolean saying the call worked (Paystack's `{"status": true, "message", "data"}`).
_SUCCESS_FLAGS = ("status", "success", "ok", "succeeded")



def read_noun(kind: str | None, name: str) -> str | None:
    """The noun, singular, of the segment a read's path parameter `name` follows (`card` of `/cards/{card_token}`);
    None where no segment comes before it."""
    before = re.search(r"([^/{}]+)/\{" + re.escape(name) + r"\}", kind or "")
    return _singular(before.group(1)) if before else None

def succeeded(body, fits, drawn: bool = False):
    """A success answer whose envelope says so: a boolean `status`/`success`/`ok` at its top is true, and a list of
    errors the draw put beside what it answers (Square's `{payment, errors}`) is left out, else empty. Drawn, half
    of Paystack's successes said `"status": false`, which its clients read as a failure, and a Square-style
    answer drawn from its schema carried a `RATE_LIMIT_ERROR` beside the widget it made."""
    if not isinstance(body, dict):
        return body
    keys = [k for k, v in body.items() if str(k).lower() in _SUCCESS_FLAGS and v is False]
    errors = [k for k, v in body.items() if drawn and _bare(k) == "errors" and isinstance(v, list) and v
              and all(isinstance(item, dict) for item in v) and len(body) > 1]
    if not keys and not errors:
        return body
    candidate = {**body, **{k: True for k in keys}}
    for key in errors:
        left_out = {k: v for k, v in candidate.items() if k != key}
        candidate = left_out if fits(left_out) else {**candidate, key: []}
    return candidate if fits(candidate) else body


def named_by_path(api, operation_id: str, path: dict, body) -> dict:
    """What the request's path says the answer is about, under the names the answer uses: a field named as
    a path parameter gets its value, and where the path ends in a parameter (`/institutions/{id}`,
    `/members/{member_guid}`) the answer's own id is that one (`guid` for a `member_guid`, else `id`).
    The same inside an envelope (`{"member": {...}}`, `{"data": {...}}`: the answer's one object, or its
    `data`). A client reading back what it created, or one institution of a list, was answered about
    another."""
    if not isinstance(body, dict) or not path:
        return {}
    last = _last_parameter(api, operation_id)
    last = last if last in path else None
    template = _located(api, operation_id)[0] or ""
    noun = _bare(next((part for part in reversed(template.split("{")[0].strip("/").split("/")) if part), ""))
    noun = noun[:-1] if noun.endswith("s") else noun  # payouts -> payout
    named = _named_in(body, path, last, noun)
    envelope = envelope_of(body)
    if envelope is not None and envelope not in named:
        # an answer whose own id is at its top is the resource: its one object is another (a transfer's `source`),
        # which got the transfer's id as its own
        own = last is not None and bool(_named_in(body, {last: path[last]}, last, noun))
        found = _named_in(body[envelope], {k: v for k, v in path.items() if k != last} if own else path,
                          None if own else last, noun)
        if found:
            named[envelope] = found
    if last is not None and path[last] not in _values_of(named):
        # no field named for it: the answer's field of the very schema the parameter is (Pix's `{e2eid}` and the
        # received Pix's `endToEndId`, both `#/components/schemas/EndToEndId`)
        field = _field_of_schema(api, operation_id, last, body)
        if field is not None:
            named[field] = path[last]
    return named


def _declared_owners(api, schema, path: dict, last: str | None, body, named: dict) -> dict:
    """The owners the path names (`{customerId}` of `/customers/{customerId}/payments`) that the answer's schema
    declares as a field of that very name but the example or draw left out: the payment made for a customer, and
    read back, named none (Mollie's first example of a payment has no `customerId`)."""
    if not isinstance(body, dict) or not isinstance(schema, dict) or envelope_of(body) is not None:
        return {}
    declared = _merge(api.spec, [schema]).get("properties") or {}
    return {name: value for name, value in path.items()
            if name != last and name in declared and name not in body and name not in named}


def _values_of(named: dict) -> list:
    return [v for value in named.values() for v in (value.values() if isinstance(value, dict) else (value,))]


def _field_of_schema(api, operation_id: str, name: str, body: dict) -> str | None:
    """The answer's top field whose schema is the same named component as path parameter `name`'s, or None."""
    parameter = next((p for p in parameters_in(api, operation_id, "path") if p.get("name") == name), None)
    ref = ((parameter or {}).get("schema") or {}).get("$ref")
    answered = _success_schema(api.spec, _located(api, operation_id)[1])
    if not ref or not isinstance(answered, dict):
        return None
    properties = _merge(api.spec, [answered]).get("properties") or {}
    found = [key for key, sub in properties.items() if isinstance(sub, dict) and sub.get("$ref") == ref and key in body]
    return found[0] if len(found) == 1 else None


def _fields_of(named: dict) -> set:
    """The answer's fields `named_by_path` filled (`id` for `/accounts/{account_id}/close`), in its envelope too."""
    return {key for key, value in named.items() if not isinstance(value, dict)} | {
        key for value in named.values() if isinstance(value, dict) for key in value}


def acted_on(api, operation_id: str) -> str | None:
    """The path parameter naming the resource an action answers with (`POST /payment_intents/{intent}/confirm`
    answers the payment intent that `GET /payment_intents/{intent}` reads): the last parameter of a path
    that goes on in literal segments, where the operation's answer is the read's. Stripe's confirm and
    Increase's close answered about another object than the one they acted on."""
    found = acted_read(api, operation_id)
    return found[1] if found else None


def acted_read(api, operation_id: str) -> tuple | None:
    """(path template of the read, its parameter) of the resource an action answers with (`acted_on`), or None.
    A path that is also listed (`GET /transfers/{id}/reversals`) is a collection: what a POST there answers is
    a new resource of the read's kind (a reversal is a transfer of its own), not the one its path names."""
    template, operation = _located(api, operation_id)
    found = answered_read(api, operation_id)
    listed = any(m.lower() == "get" and path.rstrip("/") == (template or "").rstrip("/")
                 for _, m, path, _ in api.spec_operations())
    return None if listed else found


def answered_read(api, operation_id: str) -> tuple | None:
    """(path template, parameter) of the read below whose path an operation's path goes on in literal segments
    (`/payments/{id}/cancel` of `/payments/{id}`) and whose answer is the operation's, or None."""
    template, operation = _located(api, operation_id)
    found = re.fullmatch(r"(.*\{([^}/]+)\})(?:/[^{}/]+)+/?", template or "")
    if found is None:
        return None
    gets = [(path, op) for _, method, path, op in api.spec_operations() if method.lower() == "get"]
    # (a read with a trailing slash is the same read: Django REST specs' `/agreements/enduser/{id}/`; one naming its
    # parameter otherwise is the same path: Stripe cancels `/inbound_transfers/{inbound_transfer}/cancel` of the
    # inbound transfer it reads at `/inbound_transfers/{id}`)
    reads = [(path, op) for path, op in gets if path_shape(path) == path_shape(found.group(1))]
    if not reads:  # an action under a prefix (`/simulations/ach_transfers/{id}/settle`) of a read (`/ach_transfers/{id}`)
        reads = [(path, op) for path, op in sorted(gets, key=lambda pair: -len(pair[0]))
                 if "{" in path and path.startswith("/") and _prefixed(found.group(1), path)]
    # the same schema, or one of the same fields (Square's CompletePaymentResponse and GetPaymentResponse, whose
    # fields differ in their descriptions only; PayPal's order_authorize_response and order)
    own, read = _success_schema(api.spec, operation), reads[0][1] if reads else None
    alike = reads and (same_kind(api.spec, own, _success_schema(api.spec, read))
                       or _enveloped_alike(api.spec, own, _success_schema(api.spec, read)))
    return (reads[0][0], found.group(2)) if alike and not _read_elsewhere(api, own, reads[0][0]) else None


def _read_elsewhere(api, own, acted: str) -> bool:
    """Whether the schema `own` an action answers is the very one another kind is read as, at a path of its own
    (`/captures/{capture_id}`), and not the resource at `acted`'s: what the action answers is one of those, made
    under the resource acted on, however alike their fields (a capture holding an authorization's fields and
    more, PayPal-style, was taken for the authorization captured: answered under its id, and no capture kept)."""
    if not isinstance(own, dict) or own is read_answer(api, acted) or own == read_answer(api, acted):
        return False
    return any(method.lower() == "get" and path_shape(path) != path_shape(acted) and re.search(r"\}/?$", path)
               and _success_schema(api.spec, operation) is own for _, method, path, operation in api.spec_operations())


# A JSON format extension after a path's last segment (`/Messages.json`, `/Messages/{Sid}.json`, as Twilio writes
# every path): it says what the answer is written in, not which resource it is, and paths are related as if it were
# not there (read as a segment of its own, each message was one resource without an id, and no creation was kept).
LAST_PARAMETER = re.compile(r"\{([^}/]+)\}(?:\.json)?/?$")


def unsuffixed(path: str) -> tuple[str, str]:
    """(`path` without its trailing slash and its JSON format extension, that extension or "")."""
    bare = (path or "").rstrip("/")
    return (bare[:-5], bare[-5:]) if bare.lower().endswith(".json") else (bare, "")


def one_below(template: str) -> re.Pattern:
    """The paths of one resource of the collection at `template`: one parameter below it, in the same format
    (`/payments` -> `/payments/{id}`, `/Messages.json` -> `/Messages/{Sid}.json`)."""
    bare, suffix = unsuffixed(template)
    return re.compile(re.escape(bare) + r"/\{[^}/]+\}" + re.escape(suffix) + "/?")


def path_shape(path: str) -> str:
    """A path template as paths are compared: its parameters unnamed, without a trailing slash."""
    return re.sub(r"\{[^}/]+\}", "{}", (path or "").rstrip("/"))


def _prefixed(acting: str, read: str) -> bool:
    """Whether the resource path `acting` is the read's path under a prefix of its own: the read's path ends it
    (`/simulations/ach_transfers/{id}` of `/ach_transfers/{id}`), once the leading literal segments both share are
    set aside (a version: Stripe's `/v1/test_helpers/treasury/inbound_transfers/{id}` of
    `/v1/treasury/inbound_transfers/{id}`); what stays of the read begins with a literal segment."""
    mine, theirs = path_shape(acting).split("/"), path_shape(read).split("/")
    shared = 0
    while shared < min(len(mine), len(theirs)) - 1 and mine[shared] == theirs[shared] and "{" not in mine[shared]:
        shared += 1
    rest = theirs[shared:]
    return bool(rest) and "{" not in rest[0] and len(mine) > len(theirs) and mine[-len(rest):] == rest


def _enveloped_alike(spec: dict, own, read) -> bool:
    """Whether an answer holds the read's envelope, the same resource under the same name, and more beside it
    (Square's subscription `pause` answers `{subscription, actions}` where the read answers `{subscription}`)."""
    own, read = _merge(spec, [own]) if isinstance(own, dict) else None, _merge(spec, [read]) if isinstance(read, dict) else None
    mine, theirs = (own or {}).get("properties") or {}, (read or {}).get("properties") or {}
    if not theirs or not set(theirs) < set(mine):
        return False

    def held_alike(key) -> bool:  # an object the read holds under `key`, which the answer holds alike
        schema = deref(spec, theirs[key])
        return isinstance(schema, dict) and bool(schema.get("properties") or schema.get("allOf")) \
            and same_kind(spec, deref(spec, mine[key]), schema)
    return any(held_alike(key) for key in theirs)


def same_answer(api, operation_id: str, read: str) -> bool:
    """Whether an operation answers what the GET of the path `read` answers (Mollie's `DELETE /payments/{id}`
    answers the payment, cancelled): the read's resource itself, its largest branch where it has several, not
    the tombstone a read may also answer (Stripe reads a customer as `customer` or `deleted_customer`, and its
    DELETE answers `deleted_customer`: a delete, not an action)."""
    operation = _located(api, operation_id)[1]
    own, read_schema = _success_schema(api.spec, operation), read_answer(api, read)
    if not isinstance(read_schema, dict):
        return False
    branches = [names for names in _field_names(api.spec, read_schema) if names]
    largest = max((len(names) for names in branches), default=0)
    if own is None:  # an answer of no schema (`schema: {}`) shown by examples only: the read's resource where each
        # example holds its fields alone, its id among them (Mollie's bundled `DELETE /payments/{id}`)
        shown = _success_examples(api.spec, operation)
        return bool(shown) and all(isinstance(value, dict) and len(value) > 1 and any(AN_ID.search(key) or _bare(key) == "id"
                                                                                      for key in value)
                                   and any(set(value) <= theirs for theirs in branches) for value in shown)
    if not isinstance(own, dict):
        return False
    if own == read_schema:
        return True
    if any(mine and mine == theirs for mine in _field_names(api.spec, own)
           for theirs in branches if len(theirs) == largest):
        return True
    # the read's resource built on the answer's (SumUp reads a checkout as `allOf: [Checkout, {transaction
    # fields}]` and its DELETE answers the `Checkout` itself, deactivated): the same resource, fewer fields
    return any(deref(api.spec, part) == own for part in read_schema.get("allOf") or ())


def answers_tombstone(api, operation_id: str, read: str) -> bool:
    """Whether an operation answers the tombstone the GET of the path `read` also answers: a branch of the read's
    smaller than its resource (Stripe's DELETE answers `deleted_customer`, which a read of it answers after)."""
    own, read_schema = _success_schema(api.spec, _located(api, operation_id)[1]), read_answer(api, read)
    if not isinstance(own, dict) or not isinstance(read_schema, dict):
        return False
    branches = [names for names in _field_names(api.spec, read_schema) if names]
    largest = max((len(names) for names in branches), default=0)
    return any(mine and mine == theirs for mine in _field_names(api.spec, own)
               for theirs in branches if len(theirs) < largest)


def read_answer(api, read: str | None):
    """The success schema of the GET at the path `read` (a kind's read), or of the POST there that reads one
    resource named in its body (`body_read`), or None."""
    return _success_schema(api.spec, read_operation(api, read))


def read_operation(api, read: str | None):
    """The operation reading a kind at the path `read`: its GET, or the POST there that reads one resource named in
    its body (`body_read`), or None."""
    reading = next((op for _, m, path, op in api.spec_operations() if m.lower() == "get" and path == read), None)
    if reading is None and read and (body_read(api, read) or ("",))[0] == read:
        reading = next((op for _, m, path, op in api.spec_operations() if m.lower() == "post" and path == read), None)
    return reading


# Verbs naming a POST that reads one resource its body names (`POST /transfer/get` with `{"transfer_id": ...}`).
_READING_ONE = ("get", "retrieve", "fetch", "read", "show", "details")


def body_read(api, template: str | None) -> tuple | None:
    """(path, body field) of the read of the kind an RPC-style family of calls is about, where the spec names
    resources in JSON bodies, not paths: calls under one path stem whose last segment is a verb (`/transfer/create`,
    `/transfer/get`, `/transfer/list`, `/transfer/cancel`), one of them a POST reading one resource (`get`,
    `retrieve`, ...) by a body field named for the stem's noun and `id` (`transfer_id`, `payment_id` of
    `/payment_initiation/payment/get`), or `id`, where no GET reads the stem's kind. None for any other path. Read
    by paths alone, such a family kept nothing (Plaid's transfer read back drawn, never listed, never cancelled)."""
    stem = (template or "").rstrip("/").rsplit("/", 1)[0]
    known = api.derived.setdefault("body_reads", {})
    if stem not in known:
        known[stem] = _body_read(api, stem)
    return known[stem]


def _body_read(api, stem: str) -> tuple | None:
    noun = _bare(_singular(_stem_noun(stem)))
    if len(noun) < 3 or "{" in stem:
        return None
    if any(m.lower() == "get" and re.fullmatch(re.escape(stem) + r"(/[^/]+)?/?", path) for _, m, path, _ in api.spec_operations()):
        return None  # (a REST path, read by GETs)
    for op_id, m, path, op in api.spec_operations():
        last = path.rstrip("/").rsplit("/", 1)
        called = _bare(last[-1])
        if m.lower() != "post" or last[0] != stem or not any(called in (verb, verb + noun) for verb in _READING_ONE):
            continue
        answer = _Mirror(api.spec, _success_schema(api.spec, op)).root
        if not isinstance(answer, dict) or answer.get("type") == "array" or not answer.get("properties"):
            continue
        fields = (sent_schema(api, op_id) or {}).get("properties") or {}
        name = next((name for wanted in (noun + "id", "id") for name in fields if _bare(name) == wanted), None)
        if name is not None:
            return path, name
    return None


def _stem_noun(stem: str) -> str:
    """The noun of an RPC-style family's path stem: its last segment, or the one above it where that is a version
    (PolishAPI's `/payments/v2_1_2.1/getPayment`, whose read is named by its verb and the noun, `getPayment`)."""
    parts = stem.rsplit("/", 2)
    return parts[-2] if len(parts) == 3 and _VERSION_SEGMENT.fullmatch(parts[-1]) else parts[-1]


_VERSION_SEGMENT = re.compile(r"v\d+(?:[._-]\d+)*", re.IGNORECASE)


def _field_names(spec: dict, schema, depth: int = 0) -> list[frozenset]:
    """The names of the fields an answer's schema declares, through `$ref` and `allOf`: one set for each
    `anyOf`/`oneOf` branch (Stripe reads a customer as `customer` or `deleted_customer`)."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict) or depth > 8:
        return [frozenset()]
    found = [frozenset((schema.get("properties") or {}).keys())]
    for part in schema.get("allOf") or ():
        found = [mine | theirs for mine in found for theirs in _field_names(spec, part, depth + 1)]
    branches = [names for branch in (schema.get("anyOf") or schema.get("oneOf") or ())
                for names in _field_names(spec, branch, depth + 1)]
    return [mine | theirs for mine in found for theirs in branches] if branches else found


def same_kind(spec: dict, own, read) -> bool:
    """Whether an answer's schema (`own`) is the read's resource: the same schema, or the same field names
    (descriptions and examples aside), or those of one of the read's branches."""
    if not isinstance(own, dict) or not isinstance(read, dict):
        return False
    return own == read or any(mine and mine == theirs for mine in _field_names(spec, own)
                              for theirs in _field_names(spec, read))


def _success_schema(spec: dict, operation):
    """The schema of the first success answer's JSON, or of its signed JSON (`application/jwt`: Brazil's payment
    consent read answers only so, and its states were not found, so its authorisation left it awaiting)."""
    for status, response in ((operation or {}).get("responses") or {}).items():
        if re.fullmatch(r"2\d\d", str(status)):
            content = (deref(spec, response) or {}).get("content") or {}
            media = next((m for t, m in content.items() if _carries_json(t)), None)
            return deref(spec, (media or {}).get("schema")) or None
    return None


def _carries_json(media_type: str) -> bool:
    """Whether an answer of `media_type` is JSON, or JSON in a JWS (`jws.SIGNED_ANSWER`)."""
    return "json" in media_type.lower() or bool(SIGNED_ANSWER.match(media_type.split(";")[0].strip()))


def _success_examples(spec: dict, operation) -> list:
    """The values the first success answer's JSON media shows as its `example` and `examples`."""
    for status, response in ((operation or {}).get("responses") or {}).items():
        if re.fullmatch(r"2\d\d", str(status)):
            content = (deref(spec, response) or {}).get("content") or {}
            media = deref(spec, next((m for t, m in content.items() if _carries_json(t)), None)) or {}
            shown = [media["example"]] if "example" in media else []
            shown += [(deref(spec, example) or {}).get("value") for example in (media.get("examples") or {}).values()]
            return [value for value in shown if value is not None]
    return []


def sent_query(request: dict) -> dict:
    """The query as its client sent it: without the values the spec's defaults filled in (`defaulted`, by
    http/banks.py). A default is what the API assumes of a parameter left out, never something the client said
    of what it asks for: echoed, Lago's `GET /subscriptions/{external_id}` (`?status`, `default: active`)
    answered a subscription kept `pending` as `active`."""
    query = request.get("query") or {}
    defaulted = request.get("defaulted") or ()
    return {name: value for name, value in query.items() if name not in defaulted}


def named_by_query(api, operation_id: str, request: dict) -> dict:
    """The query parameters the request sent that say what the answer is about, as a path's ids do: the
    required ones (freee's `company_id`: the deals of `GET /deals?company_id=3190` are that company's), and
    optional ones but those that page a list or bound it (`?status=failed` lists failed payments; Codat's
    `POST .../data/queue/invoices?connectionId=X` queues a pull of that connection's). A pattern names no one
    value (`?type=customer.*` asks for every customer event); a default the client did not send names none."""
    query = sent_query(request)
    found = {}
    for parameter in parameters_in(api, operation_id, "query"):
        value = query.get(parameter.get("name"))
        if ((parameter.get("required") or not _pages_or_bounds(parameter.get("name")))
                and _scalar(value) and value is not None and "*" not in str(value)):
            found[parameter["name"]] = query[parameter["name"]]
    return found


# Words of query parameters that page or bound a list, or shape an answer, rather than name what it is about.
# Read of a name's last words (`created[gte]`, `pageToken`), not of a longer word ending in one (`merchantAccount`
# is no `count`: Adyen's stored payment methods were answered the example's merchant account); a name of one word
# ends in one after three letters at least (`pagesize`, `updatedsince`; `account` and `admin` name things).
_SHAPING = re.compile(r"(limit|offset|page|size|cursor|after|before|since|until|from|to|start|end|begin|min|max|"
                      r"gte?|lte?|sort|order|expand|include|fields|count|skip|(page|next|continuation|sync)token|format|lang|locale|q|query|search)")


def unheld(named: dict, kept: dict) -> dict:
    """Of the values a query names (`named_by_query`), those naming no field a kept resource holds (`kept`:
    remembered.recall's {sent, answer}), at its top or in its envelope: what the workspace kept of a resource is
    what it is, and a query only asks about it (a read by id narrowed by `?status=terminated` is not a
    termination; remembered.recall answers it not found where it disagrees)."""
    held = {_bare(key) for source in (kept.get("sent"), kept.get("answer")) if isinstance(source, dict)
            for holder in (source, source.get(envelope_of(source))) if isinstance(holder, dict) for key in holder}
    return {name: value for name, value in named.items() if _bare(name) not in held}


def _pages_or_bounds(name) -> bool:
    bare, words = _bare(name), _words(name)
    if bare in (*_SIZES, *_STARTS, *_PAGE, *AFTER_CURSORS):
        return True
    if len(words) > 1:
        return any(_SHAPING.fullmatch("".join(words[start:])) for start in range(len(words)))
    return any(_SHAPING.fullmatch(bare[start:]) for start in (0, *range(3, len(bare))))


_CORRELATION = re.compile(r"(request|correlation|interaction|trace)[-_]?id$", re.IGNORECASE)


def correlated(body, request: dict, fits):
    """`body` with its request or correlation id fields (at any depth outside lists: PolishAPI's
    `responseHeader.requestId`) holding the one the client sent in its body (`requestHeader.requestId`); a
    client correlating on it was answered with a drawn one. Only an API that carries the id in its bodies
    gets it there (an answer's `requestId` may name a resource of its own elsewhere)."""
    if not isinstance(body, dict):
        return body
    given = _first_named(request.get("body"), _CORRELATION)
    if given is None:
        return body
    candidate = copy.deepcopy(body)
    holders, changed = [candidate], False
    while holders:
        holder = holders.pop()
        for key, value in holder.items():
            if isinstance(value, dict):
                holders.append(value)
            elif _CORRELATION.search(str(key)) and _scalar(value) and value != given:
                holder[key], changed = given, True
    return candidate if changed and fits(candidate) else body


def keyed_as_sent(body, request: dict, fits):
    """`body`, a resource just made, whose field at its top named for an idempotency key (`idempotency_key`, "The
    idempotency key you chose for this object") holds the key its creation was sent under, in a header or its body
    (fallback.idempotency_key), where it did not send that field itself. Increase's ACH transfer made under its
    SDK's `Idempotency-Key` answered the example's null, and its list filtered by `idempotency_key` found nothing.
    A creation sent without a key, or whose answer has no such field, is left as it is."""
    from .fallback import idempotency_key

    key = idempotency_key(request) if isinstance(body, dict) else None
    sent = request.get("body") if isinstance(request.get("body"), dict) else {}
    names = [name for name, value in body.items() if _KEY_FIELD.fullmatch(str(name)) and name not in sent
             and (value is None or isinstance(value, str)) and value != key] if key is not None else []
    if not names:
        return body
    candidate = {**body, **{name: key for name in names}}
    return candidate if fits(candidate) else body


# A field holding an idempotency key by its name (`idempotency_key`, `idempotencyKey`), not one about it.
_KEY_FIELD = re.compile(r"idempoten(cy|t)[-_]?key", re.IGNORECASE)


def traced(api, schema, body, request: dict, fits):
    """`body`, a success, whose field at its top naming the exchange for support (`request_id`, `trace_id`: the
    fields an error's trace id goes in) and described as identifying the request ("A unique identifier for the
    request, which can be used for troubleshooting") holds the request's interaction id, as its errors do, the id
    the request log shows. Plaid's every answer said the example's `request_id`, the same for every request."""
    from .fallback import _TRACE_FIELDS, _traced

    if not isinstance(body, dict) or not request.get("interaction_id"):
        return body
    mirror = _Mirror(api.spec, schema)
    keys = [key for key in body if _bare(key) in _TRACE_FIELDS and isinstance(body[key], str)
            and _IDENTIFIES_REQUEST.search(str((mirror.field(mirror.root, key) or {}).get("description") or ""))]
    if not keys:
        return body
    top = {key: body[key] for key in keys}
    held = _traced(top, request["interaction_id"], lambda candidate: fits({**body, **candidate}))
    return {**body, **held}


# A description saying a field identifies the request itself, for troubleshooting (Plaid's `request_id`).
_IDENTIFIES_REQUEST = re.compile(r"(for|of|identif\w*) (the|this|each|a) (api )?request|troubleshoot", re.IGNORECASE)


def _first_named(value, pattern):
    if isinstance(value, dict):
        for key, inner in value.items():
            if pattern.search(str(key)) and isinstance(inner, str) and inner:
                return inner
        return next((found for inner in value.values() if (found := _first_named(inner, pattern)) is not None), None)
    return None


def _creates(api, operation_id: str) -> bool:
    """Whether the operation may create a resource (a POST or a PUT), whose answer's ids are its own; a search
    sent as a POST (`POST /customers/search`, a list: remembered.py) makes nothing, and the ids of the kept
    resources it lists are theirs (drawn anew, no customer it listed could be read back)."""
    from .remembered import address

    method = next((m for op_id, m, _, _ in api.spec_operations() if op_id == operation_id), "").lower()
    return method in ("post", "put") and getattr(address(api, operation_id), "role", None) != "list"


def own_ids(api, operation_id: str, request: dict, body, named: set, fits):
    """`body`, the answer to a creation sent under an idempotency key, with ids of its own for that key
    where it took them from the spec's example: `id`, `guid`, and the id named for the resource the path
    makes (`ContactID` of `/Contacts`, `ConsentId` of `/payment-consents`), at the top, in the envelope and
    in their lists' items, drawn in the example's shape (`account_in71c4...` stays `account_` and as many
    letters and digits). Two creations under two keys (Increase's accounts, Xero's contacts) had
    answered with the example's one id. Ids the client sent or the path names are left alone."""
    template = _located(api, operation_id)[0]
    if not (idempotency_keys(request) or request.get("body") or "made_before" in request) or not isinstance(body, dict):
        return body  # the same request, the same answer (a creation without a body is another one each time)
    if (request.get("remembered") or {}).get("role") in ("change", "action", "read"):
        return body  # a kept resource changed (a PUT of it): its ids are those it was made with, not drawn again
    kind = next((part for part in reversed((template or "").strip("/").split("/")) if part and "{" not in part), "")
    own = _bare(kind)
    own = own[:-1] if own.endswith("s") else own
    read = read_of(api, operation_id)
    read_name = _bare(read[1]) if read else None  # `paymentId` of its read's path
    read_word = _id_word(read[1]) if read else None  # `token` of `card_token`: the field a card holds its id in
    shape = _parameter_example(api, read) if read else None  # Paystack's `CUS_c6wqvwmvwopw4ms` of `/customer/{code}`
    sent = request.get("body") if isinstance(request.get("body"), dict) else {}
    # the id word of an owner's path parameter, without the owner (`pspReference` of `{paymentPspReference}`):
    # a child made under it is named in the same word (Adyen's captures and refunds of a payment)
    tails = {_bare(tail.group(1)) for name in (request.get("path") or {})
             if (tail := re.fullmatch(r"[a-z]+((?:[A-Z][a-z0-9]*)+(?:Reference|Ref|Code|Token|Key|Number))", str(name)))}
    below = _named_below(api, template, own)
    rng = random.Random(_seed(operation_id, request, 201))
    envelope = envelope_of(body)
    holders = [((), body)] + ([((envelope,), body[envelope])] if envelope is not None else [])
    holders += [((*path, key, index), item) for path, holder in list(holders) for key, value in holder.items()
                if isinstance(value, list) for index, item in enumerate(value) if isinstance(item, dict)]
    changes, narrow = [], []  # (where the holder is, key, the value before, the value drawn): long, and as the example
    for path, holder in holders:
        for key, value in holder.items():
            bare = _bare(key)
            names_own = bare in ("id", "guid", "uuid") or bare == read_name or bare == read_word or (bare.endswith("id") and len(bare) > 2 and own.endswith(bare[:-2])) \
                or (len(own) > 2 and bare.startswith(own) and bare[len(own):] in _ID_WORDS) \
                or bare in tails or bare in below \
                or (len(path) <= 1 and bare in _OWN_WORDS) \
                or (len(path) <= 1 and isinstance(value, str) and _house_id(api, key))  # Paystack's `customer_code`; Adyen's capture `pspReference`;
            #                                                  a bare `reference` the server makes for it (Paystack's
            #                                                  initialized transaction: `"sample"` for each)
            # (a temporary id the client named it by is the server's to map: client_ids)
            # (an id is text or a positive number: an object held under a name of the kind's own, a payment's
            # `payment` inside its `last_error`, is none, and looked up among the client's ids it was a 500)
            if names_own and key not in named and key not in sent and key not in _sent_at(sent, path, envelope) \
                    and (isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)
                                                    and value > 0)) and value not in (request.get("client_ids") or {}):
                # In the shape its read's parameter shows where the value has none of its own (no prefix).
                like = shape if isinstance(value, str) and shape and (bare == read_name or not bare.endswith("id")) \
                    and _prefix(shape) and not _prefix(value) else value
                drawn = _redrawn(like, rng)
                changes.append((path, key, value, _widened(drawn, rng)))
                narrow.append((path, key, value, drawn))
    if not changes:
        return body
    candidate = _changed(body, changes)
    if fits(candidate):
        return _renamed_in_links(candidate, changes)
    # Each id on its own where the whole does not fit (one of them breaks its pattern or length), as long as
    # its schema takes, else as long as the example's.
    kept = []
    for change, short in zip(changes, narrow):
        kept += next(([attempt] for attempt in (change, short) if fits(_changed(body, [*kept, attempt]))), [])
    return _renamed_in_links(_changed(body, kept), kept)


def _named_below(api, template, own: str) -> frozenset:
    """The names a resource made at `template` is known by in the paths below it (Adyen's `POST /payments`, read
    by no GET, acted on at `/payments/{paymentPspReference}/captures`): each parameter naming one of them
    (`paymentpspreference`), and its id word without the owner (`pspreference`), as it answers its own. Every
    payment had been answered with the example's one pspReference, and each one's captures named it."""
    if not template or len(own) < 3:
        return frozenset()
    known = api.derived.setdefault("named_below", {})
    if template not in known:
        names = set()
        for path in api.spec.get("paths") or {}:
            step = re.fullmatch(re.escape(str(template).rstrip("/")) + r"/\{([^}/]+)\}(?:/.*)?", str(path))
            name = _bare(step.group(1)) if step else ""
            if name and name not in _GENERIC_IDS:
                names.add(name)
                if name.startswith(own) and len(name) > len(own) + 2:
                    names.add(name[len(own):])
        known[template] = frozenset(names)
    return known[template]


def _house_id(api, key) -> bool:
    """Whether `key` names the resource's own id in the house's words: an id word after words of the API's own
    name (its title's, its servers' host names') that name no kind its paths name (Lago's `lago_id` beside
    `lago_customer_id`, which names the customer). Every customer, plan and subscription made had the example's
    one `lago_id`."""
    words = _words(key)
    if len(words) < 2 or words[-1] not in ("id", "uuid", "guid"):
        return False
    known = api.derived.setdefault("house_words", {})
    if not known:
        host = " ".join(urlsplit(str(server.get("url") or "")).hostname or "" for server in api.spec.get("servers") or ()
                        if isinstance(server, dict))
        known["house"] = frozenset(_words(f"{(api.spec.get('info') or {}).get('title') or ''} {host}"))
        known["nouns"] = frozenset(noun for template in api.spec.get("paths") or {} for segment in str(template).split("/")
                                   if segment and "{" not in segment for word in _words(segment)
                                   for noun in (word, _singular(word)))
    return all(word in known["house"] and word not in known["nouns"] and _singular(word) not in known["nouns"]
               for word in words[:-1])


def _words(text) -> list:
    """The lower-case words of a name or a sentence (`lago_customer_id`, `externalId`, `api.getlago.com`)."""
    return [word.lower() for word in re.split(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", str(text)) if word]


def _sent_at(sent, path, envelope: str | None = None) -> dict:
    """What the client sent at the place `path` leads to in the answer (its envelope: MX's `{"user": {"id": ...}}`,
    an item of a list), or {}: an id sent there is the client's own, answered as sent. A body sent bare and
    answered in the envelope (`{"data": <what was sent>, ...}`, Codat's pushed bank transactions) is read
    there: the ids of the items of its lists were drawn anew."""
    if path and envelope is not None and path[0] == envelope and isinstance(sent, dict) and envelope not in sent:
        path = path[1:]
    for key in path:
        if isinstance(sent, dict) and key in sent:
            sent = sent[key]
        elif isinstance(sent, list) and isinstance(key, int) and key < len(sent):
            sent = sent[key]
        else:
            return {}
    return sent if isinstance(sent, dict) else {}


# A drawn id with fewer letters or digits of its own than `SHORT_ID` gets `ID_CHARACTERS`: an example's
# `ord_1` has ten others of its shape, and a workspace making a dozen orders made the same one twice.
SHORT_ID, ID_CHARACTERS = 6, 10


def _widened(value, rng: random.Random):
    """`value`, a drawn id, with `ID_CHARACTERS` of its own after its prefix where it had fewer than `SHORT_ID`
    (more of the class of its last one), or as many digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 10 ** (SHORT_ID - 1) else rng.randrange(10 ** (ID_CHARACTERS - 1), 10 ** ID_CHARACTERS)
    if not isinstance(value, str) or UUID_TEXT.fullmatch(value):
        return value
    tail = value[len(_prefix(value)):]
    if not tail or not tail.isascii() or not tail.isalnum() or len(tail) >= SHORT_ID:
        return value
    last = tail[-1]
    pool = "0123456789" if last.isdigit() else "abcdefghijklmnopqrstuvwxyz" if last.islower() else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return value + "".join(rng.choice(pool) for _ in range(ID_CHARACTERS - len(tail)))


def _changed(body, changes):
    """A copy of `body` with each change (where its holder is, key, before, drawn) made."""
    candidate = copy.deepcopy(body)
    for path, key, _, drawn in changes:
        _at(candidate, path)[key] = drawn
    return candidate


# What a field names, unqualified, at the top of a creation's answer or in its envelope: the resource's own
# reference, made by the server for it (Paystack's `reference` of an initialized transaction, an invoice's
# `number`, the public `token` a payment page opens an order by, beside its id: Revolut's). Not a bare `code`:
# beside an envelope it is the answer's result code (`{code: "SUCCESS", data}`).
_OWN_WORDS = ("reference", "ref", "number", "token")


# What a field names after its resource says it is that resource's id: Paystack's `customer_code`, `plan_code`.
_ID_WORDS = ("id", "code", "token", "guid", "uuid", "ref", "reference")


def _at(root, path):
    """What the keys and indexes `path` lead to from `root`."""
    for key in path:
        root = root[key]
    return root


def _renamed_in_links(candidate, changes):
    """`candidate` with each id drawn anew also where the answer names the old one in text: the `href`s of
    its links (NextGenPSD2's `_links.status.href: /v1/consents/<id>/status`), so a client following them
    reaches the resource made, not the example's."""
    old_of = {before: drawn for _, _, before, drawn in changes
              if isinstance(before, str) and isinstance(drawn, str) and len(before) >= 6}

    def renamed(node):
        if isinstance(node, dict):
            return {k: renamed(v) for k, v in node.items()}
        if isinstance(node, list):
            return [renamed(v) for v in node]
        if isinstance(node, str) and node not in old_of.values():
            for before, drawn in old_of.items():
                if before in node and node != before:
                    node = node.replace(before, drawn)
        return node
    return renamed(candidate) if old_of else candidate


def _parameter_example(api, read: tuple) -> str | None:
    """The example the read's path parameter gives (on the parameter, else its schema), or None."""
    path, name, schema = read
    item = (api.spec.get("paths") or {}).get(path) or {}
    operation = item.get("get") or {}
    for parameter in [*(operation.get("parameters") or []), *(item.get("parameters") or [])]:
        parameter = deref(api.spec, parameter)
        if isinstance(parameter, dict) and parameter.get("name") == name and parameter.get("in") == "path":
            found = parameter.get("example", (schema or {}).get("example"))
            return found if isinstance(found, str) else None
    return None


def _prefix(value: str) -> str:
    """The words an id starts with before its own letters and digits (`CUS_`, `urn:bank:`, `TR`), or ''."""
    found = re.match(r"^(?:[A-Za-z]+[_:-])+", value) or (re.match(r"^[A-Z]{2,3}(?=[a-z0-9])", value)
                                                         if re.search(r"[a-z]", value[2:]) else None)
    return found.group(0) if found else ""


# How long a text of hexadecimal digits after an id's prefix is read as one (a hash's 32; not a word like `cafe`).
_HEX_TAIL = 16
# Characters a reference masks an id's own letters and digits with (`c_**********`, `tok_••••`).
_MASKS = "*•"


def _redrawn(value, rng: random.Random):
    """Another value in the shape of `value`: a UUID, a number of as many digits, or text keeping its prefix
    (`account_`, `cus_`) with each letter and digit after it drawn again in its own class."""
    if isinstance(value, int):
        digits = len(str(value))
        return rng.randrange(10 ** (digits - 1), 10 ** digits) if digits > 1 else rng.randrange(1, 10)
    if UUID_TEXT.fullmatch(value):
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    # `account_number_`, not `account_`; `urn:bank:`; a type's capitals before a mixed-case body, no separator
    # (Finix's `TR`, `PI`, `MU` ids)
    head = _prefix(value)
    classes = {"digit": "0123456789", "lower": "abcdefghijklmnopqrstuvwxyz", "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
    tail = value[len(head):]
    if len(tail) >= _HEX_TAIL and re.fullmatch(r"[0-9a-f]+|[0-9A-F]+", tail) and not tail.isdigit():
        # hexadecimal digits, as many as a hash or a UUID's (Twilio's `SM` and 32 of them, its example's
        # `SMaaaa...`): drawn as letters, no id fitted the declared `^SM[0-9a-fA-F]{32}$`, and every message
        # made was answered with the example's one id
        classes = {"digit": "0123456789abcdef", "lower": "0123456789abcdef", "upper": "0123456789ABCDEF"}

    def again(char: str) -> str:
        if char in _MASKS:  # a masked character of the example (fincode's `c_**********`) stands for one of its own
            return rng.choice(classes["lower"] + classes["digit"])
        kind = "digit" if char.isdigit() else "lower" if char.islower() else "upper" if char.isupper() else None
        return rng.choice(classes[kind]) if kind and char.isascii() else char
    return head + "".join(again(char) for char in value[len(head):])


def lists_named_by_path(body, path: dict, fits):
    """`body` with the items of its lists (at the top, or in its envelope) that carry a field named as a
    path parameter given that value, or JSON:API's relationship to what the parameter names
    (`relationships.account.data.id` for an `{accountId}`, as Up's transactions carry their account), where
    the answer still fits: the transactions answered for `/accounts/{accountId}/transactions` are that
    account's."""
    if not isinstance(body, dict) or not path:
        return body
    candidate = copy.deepcopy(body)
    envelope = envelope_of(candidate)
    changed = False
    nouns = {re.sub(r"[-_]?id$", "", name, flags=re.IGNORECASE).lower(): name for name in path}
    for holder in [candidate] + ([candidate[envelope]] if envelope is not None else []):
        for items in [v for v in holder.values() if isinstance(v, list)]:
            for item in items:
                for name in [n for n in path if isinstance(item, dict) and n in item and item[n] != path[n]]:
                    item[name], changed = path[name], True
                related = item.get("relationships") if isinstance(item, dict) else None
                for noun, name in nouns.items() if isinstance(related, dict) else ():
                    data = (related.get(noun) or {}).get("data") if isinstance(related.get(noun), dict) else None
                    if isinstance(data, dict) and "id" in data and data["id"] != path[name]:
                        data["id"], changed = path[name], True
    return candidate if changed and fits(candidate) else body


_NEXT_PAGES = ("next", "prev", "previous")
_ENDS = ("first", "last", "self", "current")  # (`current`: the page itself, as Codat's HAL pages name it beside `self`)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOW_WORDS = {"from", "start", "since", "after", "gte", "gt", "min", "begin"}
_HIGH_WORDS = {"to", "end", "until", "before", "lte", "lt", "max"}


def _dated_bounds(query: dict):
    """(the words of its name, the moment, whether it was a day) for each query value that is a day, an RFC 3339
    moment or ten-digit epoch seconds; a deepObject's too (`created[gte]`, read as `{"created": {"gte": ...}}`).
    A day is its midnight, a moment without a zone UTC's."""
    flat = [(f"{name} {inner}", value) for name, parts in query.items() if isinstance(parts, dict)
            for inner, value in parts.items()]
    for name, value in [*query.items(), *flat]:
        moment, day = _epoch(value), False
        if moment is None and isinstance(value, str) and _DAY.match(value):
            day = len(value) == 10
            try:
                moment = datetime.fromisoformat(value if len(value) > 10 else value + "T00:00:00")
            except ValueError:
                try:  # a day followed by what is no time of RFC 3339's: the day
                    moment, day = datetime.fromisoformat(value[:10] + "T00:00:00"), True
                except ValueError:
                    continue
            moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        if moment is not None:
            yield set(re.findall(r"[a-z]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(name)).lower())), moment, day


def _window(query: dict) -> tuple | None:
    """(first day, last day) a list was asked for by a pair of date query parameters (UK Open Banking's
    `fromBookingDateTime`/`toBookingDateTime`, NextGenPSD2's `dateFrom`/`dateTo`, Brazil's
    `fromBookingDate`, `created[gte]`), either bound alone too; None where the query names no such bound."""
    low = high = None
    for words, moment, _ in _dated_bounds(query):
        if words & _LOW_WORDS:
            low = moment.date()
        elif words & _HIGH_WORDS:
            high = moment.date()
    if low is None and high is None:
        return None
    low, high = low or (high - timedelta(days=30)), high or (low + timedelta(days=30))
    return (low, high) if low <= high else None


def _moment_window(query: dict, now: str | None) -> tuple | None:
    """(first moment, last moment) a list was asked for where a bound is a moment (epoch seconds, an RFC 3339
    date-time), not a day; None where every bound is a day (or there is none). A day bound is its midnight, or
    the last second of its day above. Nothing was made after `now`: the window ends there (an upper bound
    asked is kept where it comes first; a window that starts later keeps its own end). A drawn list asked
    with `created[lte]=<now>` was dated two hours on, within the day asked, and a connector's state ran ahead.
    (A window that ends before it starts is answered as such: its first moment after its last.)"""
    bounds = [(words, moment, day) for words, moment, day in _dated_bounds(query) if words & (_LOW_WORDS | _HIGH_WORDS)]
    if all(day for _, _, day in bounds):
        return None
    low = high = None
    for words, moment, day in bounds:
        if words & _LOW_WORDS:
            low = moment
        elif words & _HIGH_WORDS:
            high = moment + timedelta(days=1, seconds=-1) if day else moment
    latest = datetime.fromisoformat(now) if now else None
    if latest is not None and (low is None or low <= latest):
        high = min(high, latest) if high is not None else latest
    return low or (high - timedelta(days=30)), high or (low + timedelta(days=30))


def _epoch(value) -> datetime | None:
    """A bound sent as seconds since 1970 (Stripe's `created[gte]=1796428800`), as a UTC moment; None for
    anything else (only ten digits, 2001 to 2286, read as one: an amount is not a moment)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not re.fullmatch(r"\d{10}", str(value)):
        return None
    return datetime.fromtimestamp(int(value), timezone.utc)


def _lower_bound(query: dict) -> datetime | None:
    """The moment a list asked for between two moments starts at (`created[gte]`, `fromBookingDateTime`), or None."""
    return max((moment for words, moment, _ in _dated_bounds(query) if words & _LOW_WORDS), default=None)


def within_window(query: dict, body, fits, now: str | None = None):
    """`body`, a list asked for between two dates, with the dates of its items in that window: the items of
    its lists, at any depth (NextGenPSD2's `transactions.booked`), whose date or date-time fields fall outside
    it are moved inside, keeping each value's form (a date, or a date-time with its time and zone). Drawn
    from the examples, the transactions of November were dated 2017, and a client checking that nothing
    falls outside what it asked for failed. Asked between two days, an item moves to a day of the window
    (keeping its time); between two moments, to a moment of it (`_moment_window`: never after now)."""
    window = _window(query)
    if window is None or not isinstance(body, (dict, list)):
        return body
    start = _lower_bound(query)
    if now and start is not None and start > datetime.fromisoformat(now):
        # nothing was made after now: a list asked for from a moment still to come is empty (a connector
        # syncing window after window stops at the first empty one; Stripe's taps page its events so)
        emptied = _emptied(body)
        if emptied is not body and fits(emptied):
            return emptied
    moments = _moment_window(query, now)
    if moments is not None:
        if moments[0] > moments[1]:
            return body
        window = (moments[0].date(), moments[1].date())
    low, high = window
    span = (high - low).days + 1
    candidate = copy.deepcopy(body)
    changed = False
    bounded = {str(name) for name, parts in query.items() if isinstance(parts, dict)}  # `created` of `created[gte]`

    def moved(value: str, salt: int) -> str:
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            return value
        if low <= day <= high:
            return value
        return (low + timedelta(days=salt % span)).isoformat() + value[10:]

    def visit(node, depth: int, item: int | None):
        """`item`: the index of the list item `node` is in (its dates all move to one day), None above any."""
        nonlocal changed
        if depth > 6:
            return
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, (dict, list)):
                visit(value, depth + 1, key if isinstance(node, list) else item)
            elif item is not None and isinstance(node, dict) and isinstance(value, str) and _DAY.fullmatch(value[:10]) \
                    and (len(value) == 10 or value[10:11] in ("T", " ")):
                new = moved(value, item) if moments is None or len(value) == 10 else _moved_moment(value, moments, item)
                if new != value:
                    node[key], changed = new, True
            elif item is not None and isinstance(node, dict) and key in bounded and _epoch(value) is not None:
                if moments is not None:  # epoch seconds of a field the window names (`created`), by the second
                    if not moments[0] <= _epoch(value) <= moments[1]:
                        node[key], changed = type(value)(int(_inside(moments, item).timestamp())), True
                    continue
                day = _epoch(value).date()
                if not low <= day <= high:
                    node[key], changed = value + (low + timedelta(days=item % span) - day).days * 86400, True

    visit(candidate, 0, None)
    return candidate if changed and fits(candidate) else body


def _inside(window: tuple, salt: int) -> datetime:
    """A moment strictly inside `window` (a list item's, by its index `salt`): one of sixteenths of its span,
    odd ones only, so that a strict bound (`created[gt]`) holds too and items spread over the window."""
    low, high = window
    span = int((high - low).total_seconds())
    return low + timedelta(seconds=span * ((salt % 8) * 2 + 1) // 16)


def _moved_moment(value: str, window: tuple, salt: int) -> str:
    """`value`, an RFC 3339 date-time (a zone-less one read as UTC), moved inside `window` where it falls outside,
    written as it was (`Z`, its offset, or none; its fraction of a second or none)."""
    from .moments import _like

    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value
    zone = moment.tzinfo or timezone.utc
    if window[0] <= moment.replace(tzinfo=zone) <= window[1]:
        return value
    return _like(value, _inside(window, salt).astimezone(zone))


def one_page(api, operation_id: str, request: dict, body, fits, schema=None):
    """`body` as the one page it is: its `links` (`Links`) name the request's own URL for self, first and last,
    with no next or previous page (each left out where the schema allows, else the same URL), and a
    `meta` total of pages is the page asked for (`_page_counts`), and no flag or cursor says more follow
    (`_last_page`). Drawn links pointed out of the sandbox, and a client following `next` never stopped."""
    if not isinstance(body, dict):
        return body
    # A page of the resources the workspace kept (remembered.py) may not be the last: then it says so.
    paged = request.get("remembered_page") or {}
    following = paged.get("next")  # the query of the next page ({} where no parameter of the request can say it)
    there = _request_url(api, operation_id, {**request, "query": {**(request.get("query") or {}), **following},
                                             "defaulted": [name for name in request.get("defaulted") or ()
                                                           if name not in following]}) if following else None
    if following is not None:
        # the cursor the next page is asked with: the last item's id (`starting_after`), or the next page's first
        # (PayPal's `next_id`, sent back as `start_id`)
        cursor = next((str(value) for name, value in following.items() if _bare(name) in _FIRST_ITEM_CURSORS),
                      paged["after"])
        body = _more_pages(body, cursor, there, fits, _Mirror(api.spec, schema) if schema else None,
                           _within(api, request, there))
        # the next page's cursor, in the field the schema declares by the name of the query parameter that
        # takes it (Square's `cursor`, sent back as `?cursor=`), where the draw left it out or drew another
        # (the example's cursor named no page of what was kept: its SDK's pager stopped after the first)
        declared = ((_Mirror(api.spec, schema).root or {}).get("properties") or {}) if schema is not None else {}
        for name in following:
            if name in declared and _bare(name) not in _PAGE + _STARTS:
                candidate = {**body, name: cursor}
                body = candidate if fits(candidate) else body
    else:
        body = _last_page(body, fits)
        # a cursor in the field named as the query parameter that takes it (Square's `cursor`) is no next page
        for name in _cursor_parameters(api, operation_id):
            if isinstance(body.get(name), str):
                for candidate in ({k: v for k, v in body.items() if k != name}, {**body, name: None}, {**body, name: ""}):
                    if fits(candidate):
                        body = candidate
                        break
        body = _synced_on(api, operation_id, request, body, fits)
    if any(isinstance(value, list) for value in body.values()) and not _own_id(body):  # a page's own `url` is
        #   where it was asked (Stripe pages on with it: drawn, "https://example.jp/693" was no path its SDK could
        #   ask); a resource's, beside a list it holds, is its own (Finix's webhook, holding `enabled_events`, was
        #   answered the url `/webhooks` it was posted to, not the client's)
        here = _filled(_located(api, operation_id)[0] or "", request.get("path") or {})
        for key in [k for k, v in body.items() if _bare(k) == "url" and isinstance(v, str) and v != here]:
            candidate = {**body, key: here}
            body = candidate if fits(candidate) else body
    body = _own_page_links(api, operation_id, request, body, fits)
    query = read_paging(api, operation_id, request.get("query") or {})
    body = _cut_to_size(body, query, fits)
    body = _page_counts(body, query, fits, paged.get("total"), page_base(api, operation_id))
    body = _unread_offsets(api, operation_id, body, fits, schema)
    # `links`/`Links`, or HAL's `_links`, whose links are objects holding an `href` (Mollie, Dwolla)
    # (or a singular `link`, as Adyen's mandate lists name theirs: `{link: {next: {href}}, mandates: [...]}`)
    links = next((k for k, v in body.items() if str(k).lower().lstrip("_") in ("links", "link") and isinstance(v, dict)), None)
    if links is None:
        return _related_links(api, operation_id, request, body, fits, there)
    candidate = copy.deepcopy(body)
    here = _request_url(api, operation_id, request)
    # (a resource, holding an id of its own, is no page for holding a list: Finix's transfer and its `messages`)
    page = not _own_id(body) and any(isinstance(v, list) for holder in (body, *[v for v in body.values()
                                                                                 if isinstance(v, dict)])
                                     for v in holder.values())
    first, before = _earlier_pages(api, operation_id, request)
    for key in list(candidate[links]) if links is not None and here else ():
        value = candidate[links][key]
        hal = isinstance(value, dict) and isinstance(value.get("href"), str)
        # (a page past the first is not the first, and has one before it: `?page=2` of a list its counters say
        # has 2 pages had answered `first` this page and no `prev`, the Consumer Data Right's `links`)
        earlier = first if str(key).lower() == "first" else before if str(key).lower() in ("prev", "previous") else None
        if str(key).lower() == "next" and there:
            candidate[links][key] = there if isinstance(value, str) or value is None else {**value, "href": there}
        elif earlier and (isinstance(value, str) or hal):
            candidate[links][key] = earlier if isinstance(value, str) else {**value, "href": earlier}
        elif str(key).lower() in _NEXT_PAGES and value is not None:
            del candidate[links][key]
            if fits(candidate):
                continue
            candidate[links][key] = None  # null where the schema requires the link (HAL lists say `next: null`)
            if not fits(candidate):
                candidate[links][key] = here if isinstance(value, str) else {**value, "href": here} if hal else value
        elif str(key).lower() in _ENDS and isinstance(value, str):
            candidate[links][key] = here
        elif str(key).lower() in _ENDS and hal and page:  # a HAL resource's own `self` names the resource, not this URL
            candidate[links][key] = {**value, "href": here}
    if there and here and not any(str(key).lower() == "next" for key in candidate[links]):
        # a page of kept resources that more follow, whose drawn links had no `next` (the example showed only
        # `self` and `current`): the `next` its schema declares, shaped as its siblings (an `href` object, or a URL)
        mirror = _Mirror(api.spec, schema) if schema is not None else None
        declared = ((mirror.field(mirror.root, links) if mirror is not None else None) or {}).get("properties") or {}
        name = next((key for key in declared if str(key).lower() == "next"), None)
        sibling = next((value for value in candidate[links].values() if value is not None), None)
        for link in (({**sibling, "href": there},) if isinstance(sibling, dict) and "href" in sibling else ()) + (
                {"href": there}, there) if name is not None else ():
            if fits({**candidate, links: {**candidate[links], name: link}}):
                candidate = {**candidate, links: {**candidate[links], name: link}}
                break
    return candidate if fits(candidate) else body


def _earlier_pages(api, operation_id: str, request: dict) -> tuple:
    """(the URL of the first page, of the page before) of a page asked for by its number past the first
    (`?page=3&page-size=25`: `?page=1&page-size=25`, `?page=2&page-size=25`), or (None, None)."""
    query = request.get("query") or {}
    base = page_base(api, operation_id)
    name = next((name for name in read_paging(api, operation_id, query) if paging_word(name) in _PAGE), None)
    asked = _asked(query, _PAGE, base) if name is not None else base
    if asked <= base:
        return None, None
    return tuple(_request_url(api, operation_id, {**request, "query": {**query, name: number}})
                 for number in (base, asked - 1))


def _synced_on(api, operation_id: str, request: dict, body: dict, fits) -> dict:
    """The last page of a feed whose answers require the cursor a client sends back to sync on (Plaid's
    `/transactions/sync`, `next_cursor` required): the cursor answered is the sandbox's own, the last kept item's id
    on a page of kept resources, else one naming the end of the feed (`_end_cursor`), whatever the example holds (an
    opaque token, a moment). Sent back, that end is where the feed was: nothing has happened since, so the
    page's lists are empty and the cursor the same. A cursor the feed never gave is refused `invalid_request` (400,
    in the API's error form). The example's cursor was answered on every call, one sent back answered the first
    page again, and one made up was taken."""
    held = [(holder, key) for holder in _paging_holders(body) for key in holder
            if _bare(key) in _NEXT_CURSORS and isinstance(holder[key], str) and holder[key]]
    if not held:
        return body
    sent = {**(request.get("query") or {}), **(c if isinstance(c := content_of(request), dict) else {})}
    name, cursor = next(((name, str(sent[name])) for name in _cursor_parameters(api, operation_id)
                         if sent.get(name) not in (None, "")), (None, None))
    paged = request.get("remembered_page")
    own = (paged or {}).get("after") or (cursor if paged is not None else None) or _end_cursor(api, operation_id)
    candidate = copy.deepcopy(body)
    for holder in _paging_holders(candidate):
        for key in [key for key in holder if _bare(key) in _NEXT_CURSORS and isinstance(holder[key], str) and holder[key]]:
            holder[key] = own
    if not fits(candidate):
        return body
    if paged is None and cursor is not None:
        if cursor != own:
            from ..domain.errors import SandboxError

            raise SandboxError("invalid_request", f"the cursor {cursor!r} is not one this API gave", field=name)
        for key in [key for key, value in candidate.items() if isinstance(value, list)]:
            emptied = {**candidate, key: []}  # (nothing new since the end of the feed)
            candidate = emptied if fits(emptied) else candidate
    return candidate


def _end_cursor(api, operation_id: str) -> str:
    """The sandbox's cursor for the end of a drawn feed: the same for every call of the operation (across workers
    and restarts), letters and digits."""
    return "cur" + hashlib.sha256(f"{api.slug}:{_located(api, operation_id)[0]}:end".encode()).hexdigest()[:29]


# Query parameters that carry a list's cursor: the id of the last item of the page before (Stripe's
# `starting_after`; `after`, `cursor` take the cursor the page before answered, which is that id too).
AFTER_CURSORS = ("startingafter", "after", "aftercursor", "cursor", "pagetoken", "nextpagetoken", "continuationtoken",
                 "nextcursor", "afterid", "startingafterid")  # (Xendit's `after_id`)


def parameters_in(api, operation_id: str, place: str) -> list[dict]:
    """An operation's parameters `in` one place (`query`, `path`), its path's and its own, `$ref`s read."""
    template, operation = _located(api, operation_id)
    item = (api.spec.get("paths") or {}).get(template) or {}
    return [parameter for parameter in (deref(api.spec, p) for p in
                                        [*(item.get("parameters") or []), *((operation or {}).get("parameters") or [])])
            if isinstance(parameter, dict) and parameter.get("in") == place and "name" in parameter]


def query_parameters(api, operation_id: str) -> list[str]:
    """The names of an operation's query parameters (its path's and its own)."""
    return [parameter["name"] for parameter in parameters_in(api, operation_id, "query")]


def _cursor_parameters(api, operation_id: str) -> list[str]:
    """The names of the query parameters of an operation that take a page's cursor (Square's `cursor`), and of
    its JSON body's fields that do (a search sent as a POST: Square's `POST /v2/orders/search` with `{"cursor":
    ...}`; read only as a query's, the example's cursor came back on every page and its pager never stopped)."""
    sent = (sent_schema(api, operation_id) or {}).get("properties") or {}
    return [name for name in [*query_parameters(api, operation_id), *sent] if _bare(name) in AFTER_CURSORS]


def read_paging(api, operation_id: str, query: dict) -> dict:
    """`query` as its list reads it to page: without the paging parameters the operation does not declare, where
    it declares some (its query's, or a search's body fields), but the sandbox's own `cursor` where it declares no
    cursor (remembered._page asks the next page so). A client paging by whatever a page shows sends back what the
    list never takes (Finix's SDK sent `offset`, which only the example's page held, beside the `after_cursor` its
    lists take): read, the offset held the page where it was, its next cursor was the one sent, and the SDK paged
    forever."""
    words = {*_SIZES, *_STARTS, *_PAGE, *AFTER_CURSORS, *_FIRST_ITEM_CURSORS, "count"}  # (remembered.py's `_PAGING`)
    sent = (sent_schema(api, operation_id) or {}).get("properties") or {}
    declared = {paging_word(name) for name in [*query_parameters(api, operation_id), *sent]} & words
    if not declared:
        return query
    own = set() if declared & set(AFTER_CURSORS) else {"cursor"}
    return {name: value for name, value in query.items()
            if paging_word(name) not in words or paging_word(name) in declared | own}


def _unread_offsets(api, operation_id: str, body: dict, fits, schema) -> dict:
    """`body`, a page, without an offset its schema does not declare, of a list that takes no offset (Finix's
    example shows `page: {offset, limit, count}` of lists paged by `after_cursor`: its SDK, seeing an offset,
    pages by offsets the list does not read, and never reached the next page)."""
    if any(paging_word(name) in _STARTS for name in query_parameters(api, operation_id)):
        return body
    if not any(_bare(key) in _STARTS for holder in [body, *(v for v in body.values() if isinstance(v, dict))]
               for key in holder):
        return body  # (no offset to take out: a page of hundreds is not copied for nothing)
    mirror = _Mirror(api.spec, schema) if schema is not None else None
    root = mirror.root if mirror is not None else None
    candidate = copy.deepcopy(body)
    for holder, node in [(candidate, root)] + [(value, mirror.field(root, key) if mirror is not None else None)
                                               for key, value in candidate.items() if isinstance(value, dict)]:
        declared = (node or {}).get("properties") or {}
        for key in [key for key in holder if _bare(key) in _STARTS and key not in declared]:
            del holder[key]
    return candidate if candidate != body and fits(candidate) else body


def _related_links(api, operation_id: str, request: dict, body: dict, fits, there: str | None) -> dict:
    """A page whose `links` are a list of `{href, rel}` (PayPal's HATEOAS links): `self` is the request's URL,
    `next` the next page's where more follow, and drawn links of no such relation are left out. Drawn, a page
    of 3 said nothing of the next, and its one link (`rel: sample`) pointed out of the sandbox."""
    key = _related_key(body)
    here = _request_url(api, operation_id, request)
    if key is None or here is None or not any(isinstance(v, list) and v is not body[key] for v in body.values()):
        return body
    if _scalar(body.get("id")) and body.get("id") is not None:  # a resource holding lists, not a page (`resource_links`)
        return body
    template = body[key][0]
    wanted = [("self", here)] + ([("next", there)] if there else [])
    # (each is read by a GET, whatever method the draw gave the link: PayPal's next page was drawn `PUT`)
    template = {**template, "method": "GET"} if "method" in template else template
    candidate = {**body, key: [{**template, "rel": rel, "href": href} for rel, href in wanted]}
    return candidate if fits(candidate) else body


def _related_key(body: dict):
    """The key of a list of HATEOAS links (`links: [{href, rel}]`) in `body`, or None."""
    return next((k for k, v in body.items() if str(k).lower().lstrip("_") == "links" and isinstance(v, list) and v
                 and all(isinstance(item, dict) and "href" in item and "rel" in item for item in v)), None)


# The relation of a link to a resource's own path, by the method it is called with there.
_OWN_RELATIONS = {"get": "self", "patch": "update", "put": "replace", "delete": "delete"}


def resource_links(api, operation_id: str, request: dict, body, fits, schema=None):
    """A resource's HATEOAS links (`links: [{href, rel, method}]`, PayPal's) as the sandbox serves it: `self` its
    read under the host and base path the request came by, at its own id, then its change (`update`) and each
    action one literal segment under it (`capture`, `void`, `refund`), called as the spec says, but those its state
    refuses (a captured authorization is captured and voided no more: states.done_with). Drawn, a capture's one link
    was `{href: https://example.jp/1711, rel: sample, method: HEAD}`, and an order's `self` the URL of its capture.
    An answer its schema declares such links for that holds none (PayPal's order made, answered as the example
    its spec gives, the request itself) gets them: a client follows `self` or `capture` from there."""
    from .remembered import address

    original = body
    key = _related_key(body) if isinstance(body, dict) else None
    if key is None and isinstance(body, dict) and schema is not None:
        mirror = _Mirror(api.spec, schema)
        declared = (mirror.root or {}).get("properties") or {}
        key = next((name for name in declared if str(name).lower().lstrip("_") == "links" and name not in body
                    and {"href", "rel"} <= set((mirror.items(mirror.field(mirror.root, name)) or {}).get("properties") or ())),
                   None)
        body = {**body, key: [{"href": "", "rel": "", "method": "GET"}]} if key is not None else body
    found = address(api, operation_id) if key is not None else None
    if found is None or found.role == "list":
        return original
    links = _links_of(api, found.kind, request, body, key)
    if links is None:
        return original
    candidate = {**body, key: links}
    if fits(candidate):
        return candidate
    candidate = {**body, key: [{k: v for k, v in link.items() if k != "method"} for link in links]}
    return candidate if fits(candidate) else original


def _links_of(api, kind: str | None, request: dict, body: dict, key: str) -> list | None:
    """The HATEOAS links (`resource_links`) of `body`, a resource of `kind` read in `api`, in the form of its
    first link in `key`; None where it has no id or `kind` no read at its own id."""
    from .states import done_with, withdrawn_state

    own = body.get("id")
    origin, prefix = served(api, request)
    last = LAST_PARAMETER.search(kind or "")
    if not _scalar(own) or own is None or not origin or last is None:
        return None
    given = {**(request.get("path") or {}), last.group(1): own}
    state = next((value for name, value in body.items() if _bare(name) in ("status", "state") and isinstance(value, str)), None)
    wanted = []
    for _, method, path, _ in api.spec_operations():
        rest = path[len(kind):].strip("/") if path.startswith(kind) else None
        if rest == "":
            rel = _OWN_RELATIONS.get(method.lower())
        elif rest and method.lower() == "post" and "/" not in rest and "{" not in rest:
            verb = _bare(rest)
            refused = state is not None and (done_with(verb, state, body) or withdrawn_state([state]) is not None)
            rel = None if refused else rest
        else:
            rel = None
        if rel is not None and all(rel != taken for taken, _, _ in wanted):
            wanted.append((rel, f"{origin}{prefix}{_filled(path, given)}", method.upper()))
    if not any(rel == "self" for rel, _, _ in wanted) or not isinstance(body[key][0], dict):
        return None
    template = {k: v for k, v in body[key][0].items() if k in ("href", "rel", "method")}
    return [{**template, "href": href, "rel": rel, **({"method": method} if "method" in template else {})}
            for rel, href, method in sorted(wanted, key=lambda link: link[0] != "self")]


def held_links(api, request: dict, body, fits):
    """`body` whose objects held in lists of kinds kept on their own (an order's
    `purchase_units[].payments.captures`, `authorizations`, `refunds`: remembered._kept_noun) link to their own
    resources as the sandbox serves them (`resource_links`), in this part of the API or the one reading them.
    Kept as drawn, PayPal's order held its captures with links to `https://example.jp/1711`, `rel: sample`."""
    from .remembered import _kept_noun

    def walk(value, depth: int):
        if depth > 8 or not isinstance(value, (dict, list)):
            return value
        if isinstance(value, list):
            return [walk(item, depth + 1) for item in value]
        out = {}
        for name, inner in value.items():
            held = isinstance(inner, list) and inner and all(isinstance(item, dict) for item in inner) \
                and _related_key(inner[0]) is not None
            found = _kept_noun(api, name) if held else None
            if found is not None:
                part, kind = found
                inner = [{**item, key: links} if (key := _related_key(item)) is not None
                         and (links := _links_of(part, kind, request, item, key)) is not None else item
                         for item in inner]
            out[name] = walk(inner, depth + 1)
        return out

    if not isinstance(body, dict):
        return body
    candidate = walk(body, 0)
    return candidate if candidate != body and fits(candidate) else body


# Page counters, compared without case, `_` or `-`: the page asked for, how many pages, how many items.
# (with Portuguese's, as Brazil's Pix API names them: `paginaAtual`, `itensPorPagina`, `quantidadeDePaginas`,
# `quantidadeTotalDeItens`)
_PAGE = ("page", "pagenumber", "currentpage", "pageno", "paginaatual", "pagina")
_PAGES = ("pagecount", "totalpages", "numberofpages", "lastpage", "pages", "quantidadedepaginas", "totalpaginas")
_ITEMS = ("itemcount", "totalitems", "totalcount", "totalrecords", "totalelements", "totalresults", "recordcount",
          "quantidadetotaldeitens", "totalitens",
          "totalentries", "estimatedtotal")
# (`records_per_page` and `total_entries` as aggregators name them: MX's `?page=2&records_per_page=10`, answered
# `pagination: {current_page, per_page, total_entries, total_pages}`)
_SIZES = ("pagesize", "perpage", "limit", "size", "maxresults", "recordsperpage", "itemsperpage", "resultsperpage",
          "itensporpagina")
# A page's own item count (Marqeta's `count` beside `data`, which its SDK iterates `range(count)` over), the
# offset the page starts at (echoed as asked) and the offset of its last item (inclusive).
_ON_PAGE = ("count", "resultcount", "returnedcount", "itemsonpage")
_STARTS = ("startindex", "offset", "skip")
# The number of the next and the previous page, where a page says them as numbers (Lago's `meta.next_page`).
_NEXT_PAGE_NUMBERS = ("nextpage", "nextpagenumber")
_PREVIOUS_PAGE_NUMBERS = ("prevpage", "previouspage", "prevpagenumber", "previouspagenumber")
_SKIPPED = ("skipped",)  # how many items the pages before this one hold (Paystack's `meta.skipped`)
_ENDS_AT = ("endindex",)


def _cut_to_size(body: dict, query: dict, fits) -> dict:
    """`body` with its one list (at the top, in its envelope, or HAL's `_embedded`) cut to the page size the
    query asked for (`limit`, `pageSize`, `per_page`, ...), where the answer still fits: the example's two
    transfers answered `?limit=1`, and a client checking its page size failed."""
    size = _asked(query, _SIZES, None)
    lists = _listed(body)
    if not size or len(lists) != 1 or len(_at(body, lists[0])) <= size:
        return body
    candidate = copy.deepcopy(body)
    *holder, key = lists[0]
    _at(candidate, holder)[key] = _at(candidate, lists[0])[:size]
    return candidate if fits(candidate) else body


def _listed(body: dict) -> list[tuple]:
    """Where a page's lists are: at the top, in the envelope, or in HAL's `_embedded` (Finix's
    `{_embedded: {transfers: [...]}, page}`), each as the keys that lead to it. A list of the page's links
    (`links: [{href, rel}]`) is none: counted as a second list, PayPal's transaction search left its drawn
    `total_items` (474645757) beside one page of one item."""
    envelope = envelope_of(body)
    holders = [((), body)] + [((name,), body.get(name)) for name in dict.fromkeys((envelope, "_embedded")) if name]
    return [(*path, key) for path, holder in holders if isinstance(holder, dict)
            for key, value in holder.items() if isinstance(value, list)
            and str(key).lower().lstrip("_") not in ("links", "link")]


def paging_word(name) -> str:
    """A query parameter's name as paging words are compared: the last part of a dotted or bracketed name, bare
    (`paginacao.paginaAtual` is `paginaatual`, `page[size]` is `size`)."""
    return _bare(re.split(r"[.\[]", str(name).rstrip("]"))[-1])


def _asked(query: dict, names: tuple, default):
    """The first of `names` (compared as `_bare` names, or the last part of a dotted name) the query gives as a
    whole number, else `default`."""
    asked = {paging_word(k): v for k, v in query.items()}
    asked.update({_bare(k): v for k, v in query.items()})
    # (a size typed `number` is read as a float, `limit=2` as 2.0, by the router: a whole one is that number;
    # Xendit's `limit` was ignored and every page held everything)
    whole = {name: int(value) if isinstance(value, float) and value.is_integer() and value >= 0 else value
             for name, value in asked.items()}
    return next((int(whole[name]) for name in names if str(whole.get(name, "")).isdigit()), default)


def page_base(api, operation_id: str) -> int:
    """The number of a list's first page: 0 where its page parameter's schema starts there (`minimum: 0` or
    `default: 0`: Pix's `paginacao.paginaAtual`), else 1."""
    known = api.derived.setdefault("page_bases", {})
    if operation_id not in known:
        schemas = [deref(api.spec, p.get("schema")) or {} for p in parameters_in(api, operation_id, "query")
                   if paging_word(p.get("name")) in _PAGE]
        known[operation_id] = 0 if any(s.get("minimum") == 0 or s.get("default") == 0 for s in schemas) else 1
    return known[operation_id]


def _page_counts(body: dict, query: dict, fits, total: int | None = None, base: int = 1) -> dict:
    """`body`'s page counters (at the top, or in an object such as `pagination`, `meta`, `pageInfo`) as the
    page it is: the page asked for (else 1), the page size asked for, as many items as the answer lists (on
    that page), and, where the items in all are not known (`total`), that many pages and items, as the last
    page. Drawn, Xero's bank feeds said page 1 of 210 with 3 items per page, and a client looping
    `while page < pageCount` called 210 times."""
    # (counted from 1 here; a list whose pages count from 0 is answered in its own terms: `base`)
    page, size, start = _asked(query, _PAGE, base) + 1 - base, _asked(query, _SIZES, None), _asked(query, _STARTS, 0)
    # (the page's items, not what it side-loads beside them: JSON:API's `included`, whose list had left its
    # `meta.pagination.total` drawn)
    places = _listed(body)
    lists = [_at(body, where) for where in [w for w in places if not (w and _bare(w[-1]) in _BESIDE)] or places]
    pages = page if total is None else max(1, -(-total // size)) if size else 1
    candidate = copy.deepcopy(body)
    changed = False
    counters = [v for k, v in candidate.items() if isinstance(v, dict) and re.search(r"pag|meta", str(k), re.IGNORECASE)]
    counters += [inner for v in candidate.values() if isinstance(v, dict) for k, inner in v.items()  # two down:
                 if isinstance(inner, dict) and re.search(r"pag", str(k), re.IGNORECASE)]  # Pix's parametros.paginacao
    for holder in [candidate] + counters:
        for key, value in list(holder.items()):
            if not isinstance(value, (int, str)) or isinstance(value, bool):
                continue
            name = _bare(key)
            if name == "count" and any(_bare(k) in ("next", "previous") for k in holder):
                name = "totalcount"  # Django REST framework's `count` beside `next`/`previous` counts them all (Belvo's)
            elif name == "total" and len(lists) == 1:
                name = "totalcount"  # a whole number `total` beside a page's one list counts its items (Dwolla's)
            if name in _NEXT_PAGE_NUMBERS + _PREVIOUS_PAGE_NUMBERS and isinstance(value, int):
                # the number of the page before or after, by number (Lago's `meta.next_page`/`prev_page`):
                # drawn, every page said the next was page 3, and a client following it skipped or looped
                near = page + 1 if name in _NEXT_PAGE_NUMBERS else page - 1
                if near >= 1 and (name in _PREVIOUS_PAGE_NUMBERS or (total is not None and near <= pages)):
                    holder[key], changed = near - 1 + base, changed or value != near - 1 + base
                else:  # none: left out where the schema allows, else null, else as drawn
                    holder.pop(key)
                    if not fits(candidate):
                        holder[key] = None
                        if not fits(candidate):
                            holder[key] = value
                    changed = changed or holder.get(key, "absent") != value
                continue
            wanted = (page - 1 + base if name in _PAGE else pages if name in _PAGES else
                      total if name in _ITEMS and total is not None else
                      len(lists[0]) + (page - 1) * (size or len(lists[0])) if name in _ITEMS and len(lists) == 1 else
                      size if name in _SIZES and size is not None else
                      len(lists[0]) if name in _ON_PAGE and len(lists) == 1 else
                      start if name in _STARTS else
                      start + (page - 1) * (size or len(lists[0])) if name in _SKIPPED and len(lists) == 1 else
                      start + max(len(lists[0]) - 1, 0) if name in _ENDS_AT and len(lists) == 1 else None)
            if isinstance(value, str):  # a counter typed a number or its text (Paystack's `perPage: anyOf
                #                         [string, integer]`, drawn "sample"): the number, else its text
                if wanted is None or str(wanted) == value:
                    continue
                for form in (wanted, str(wanted)):
                    holder[key] = form
                    if fits(candidate):
                        changed = True
                        break
                else:
                    holder[key] = value
            elif wanted is not None and wanted != value and _scalar(wanted):  # a page past 64 bits stays drawn
                holder[key], changed = wanted, True
    return candidate if changed and fits(candidate) else body


# Query parameters whose cursor names the first item of the page asked (remembered.py's `_FROM`).
_FIRST_ITEM_CURSORS = ("from", "startingfrom", "fromid", "startid")
# "More pages follow" flags and the cursors that fetch them, compared without case, `_` or `-`: GMO Aozora's
# `hasNext`/`nextItemKey`, Stripe's `has_more`, Increase's `next_cursor`, PolishAPI's `pageInfo.nextPage`,
# Google-style `nextPageToken`.
_MORE_FLAGS = ("hasnext", "hasmore", "hasnextpage", "more", "morerecords", "moreavailable", "ismore", "hasmoreitems",
               "hasmoreresults", "moreresults")
_NEXT_CURSORS = ("nextitemkey", "nextpage", "nextcursor", "nextpagetoken", "nextpagekey", "nexttoken",
                 "nextkey", "nextoffset", "continuationtoken", "continuationkey", "aftercursor", "nextid")


def _more_pages(body: dict, after: str, there: str | None, fits, mirror=None, within: str | None = None) -> dict:
    """`body` as a page more pages follow, at the top or one object down: a flag saying so is true, the cursor
    for the next page is `after` (the last item's id: what `starting_after` or `cursor` then takes), and a
    bare `next` URL (Django REST framework's) is `there`, the next page's. A flag or cursor the schema declares
    and the draw left out is added (Finix's optional `page.next_cursor`: without it its SDK stops at page 1).
    A link to the next page named so (`next_page_uri`, `meta.next_page_url`) is `there` too, or `within` (its
    path in the spec's terms, as the API's own base URL takes it) where the field holds a path (`_a_path`, or
    a `uri-reference`: Twilio's `next_page_uri`, which its SDK joins to its base URL)."""
    candidate = copy.deepcopy(body)
    nodes = [(candidate, mirror.root if mirror else None)] + [
        (v, mirror.field(mirror.root, k) if mirror else None) for k, v in candidate.items() if isinstance(v, dict)]
    nodes += [(inner, mirror.field(node, k) if mirror and node is not None else None)  # two down: Paddle's
              for holder, node in nodes[1:] for k, inner in holder.items()  # `meta.pagination.has_more`
              if isinstance(inner, dict) and _PAGING_OBJECT.search(str(k))]  # (Apideck's `meta.cursors.next`)
    cursors = [inner for holder, _ in nodes for key, inner in holder.items()  # objects of cursors, one or two down
               if isinstance(inner, dict) and re.search(r"cursor", str(key), re.IGNORECASE)]
    for holder, node in nodes:
        for key in ((node or {}).get("properties") or {}):
            if key not in holder and (_bare(key) in _NEXT_CURSORS or _bare(key) in _MORE_FLAGS):
                holder[key] = after if _bare(key) in _NEXT_CURSORS else True
        for key in list(holder):
            if _bare(key) in _MORE_FLAGS and isinstance(holder[key], bool):
                holder[key] = True
            elif _bare(key) in _NEXT_CURSORS and not (isinstance(holder[key], int) and not isinstance(holder[key], bool)
                                                      and _bare(key) in _NEXT_PAGE_NUMBERS):
                holder[key] = after  # (a next page's number is counted by `_page_counts`)
            elif _bare(key) == "next" and any(holder is each for each in cursors) \
                    and (holder[key] is None or isinstance(holder[key], str)):
                holder[key] = after  # an object of cursors: its `next` is the next page's cursor, not its URL
            elif _bare(key) == "next" and (holder[key] is None or isinstance(holder[key], str)) and there:
                holder[key] = _as_path(there) if _a_path(mirror.field(node, key) if mirror else None) else there
            elif _bare(key) in _NEXT_LINKS and (holder[key] is None or isinstance(holder[key], str)) and there:
                field = (mirror.field(node, key) if mirror and node is not None else None) or {}
                relative = _a_path(field) or field.get("format") == "uri-reference" or str(holder[key] or "").startswith("/")
                holder[key] = within if relative and within else there
    if mirror is not None and not fits(candidate):  # what the draw left out, added, does not fit: as drawn
        return _more_pages(body, after, there, fits, within=within)
    return candidate if fits(candidate) else body


# A page's links to itself, to its first page and to the one before, named so (Twilio's `uri`, `first_page_uri` and
# `previous_page_uri` beside its list).
_THIS_PAGE_LINKS = ("uri", "pageuri", "thispageuri")
_FIRST_PAGE_LINKS = ("firstpageuri", "firstpageurl")
_PREVIOUS_PAGE_LINKS = ("previouspageuri", "previouspageurl", "prevpageuri", "prevpageurl")


def _own_page_links(api, operation_id: str, request: dict, body: dict, fits) -> dict:
    """`body`, a page, whose links to itself, its first page and the page before (`_THIS_PAGE_LINKS`, ...) name the
    request's own path and query, that query at the first page, and at the page before (none on the first), as its
    link to the next page does (`_more_pages`: a path of the spec where the drawn one is a path). Drawn, Twilio's
    pages named the example's account and query (`/Accounts/ACaaaa.../Messages.json?To=%2B123456789&...`) whatever
    was asked."""
    if _own_id(body) or not any(isinstance(value, list) for value in body.values()):
        return body
    names = {_bare(key): key for key, value in body.items() if value is None or isinstance(value, str)}
    if not any(name in names for name in _THIS_PAGE_LINKS + _FIRST_PAGE_LINKS + _PREVIOUS_PAGE_LINKS):
        return body
    sent = sent_query(request)
    declared = query_parameters(api, operation_id)
    number = next((name for name in declared if paging_word(name) in _PAGE), None)
    cursors = set(_cursor_parameters(api, operation_id)) | {name for name in declared
                                                            if paging_word(name) in ("pagetoken", "pagekey")}
    base = page_base(api, operation_id)
    first = {name: value for name, value in sent.items() if name != number and name not in cursors}
    at = sent.get(number) if number is not None else None
    at = int(at) if isinstance(at, int) or isinstance(at, str) and at.isdigit() else base

    def url(query: dict) -> str | None:
        return _request_url(api, operation_id, {**request, "query": query, "defaulted": []})
    here = url(sent)
    if here is None:  # (no Host: no URL of its own)
        return body
    links = {name: here for name in _THIS_PAGE_LINKS}
    links.update({name: url({**first, **({number: base} if number else {})}) for name in _FIRST_PAGE_LINKS})
    before = url({**first, number: at - 1}) if number is not None and at > base else None
    links.update({name: before for name in _PREVIOUS_PAGE_LINKS})
    candidate = dict(body)
    # (a path of the spec where the page's drawn links are paths: a previous page drawn null is one too)
    relative = any(str(body[key] or "").startswith("/") for name, key in names.items() if name in links
                   or name in _NEXT_LINKS)
    for name, key in names.items():
        if name not in links:
            continue
        there = links[name]
        # (a path where it may be one: `format: uri` read as `uri-reference` only where an example writes a path)
        for value in ((_within(api, request, there), there) if relative else (there,)) if there else (None,):
            candidate[key] = value
            if fits(candidate):
                break
        else:
            candidate[key] = body[key]
    return candidate if candidate != body and fits(candidate) else body


# A link to the next page, named so (Twilio's `next_page_uri` beside its list, `meta.next_page_url` in its newer APIs).
_NEXT_LINKS = ("nextpageuri", "nextpageurl", "nextpagelink", "nextlink", "nexturl", "nexturi")


def _within(api, request: dict, url: str | None) -> str | None:
    """`url`, one the sandbox answers, as a path of the spec (`/2010-04-01/...`): without the host and the base path
    (the mount, or the vendor's) the request came by."""
    origin, prefix = served(api, request)
    start = f"{origin or ''}{prefix or ''}"
    return url[len(start):] or "/" if url and start and url.startswith(start) else url


def _a_path(schema) -> bool:
    """True where a `next` field's schema says it holds a path, not a URL (Recurly's "Path to subsequent page of
    results."): its SDK sends it as the request target on its own connection to the API's host."""
    if not isinstance(schema, dict) or str(schema.get("format") or "").lower() in ("uri", "url", "uri-reference"):
        return False
    words = f"{schema.get('title') or ''} {schema.get('description') or ''}"
    return bool(re.search(r"\bpath\b", words, re.IGNORECASE)) and not re.search(r"\b(url|uri|link)\b", words, re.IGNORECASE)


def _as_path(url: str) -> str:
    """An absolute URL as its path and query (where the same host is asked for it)."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _paging_holders(body: dict) -> list[dict]:
    """Where a page says whether more follow: at the top, one object down (`pageInfo`, `pagination`), or in a
    paging object two down (Paddle's `meta.pagination: {has_more, next}`, as Pix's `parametros.paginacao`
    holds its counters): read one down only, its SDK's pager stopped after the first page of kept products."""
    ones = [v for v in body.values() if isinstance(v, dict)]
    return [body, *ones, *(inner for v in ones for k, inner in v.items()
                           if isinstance(inner, dict) and _PAGING_OBJECT.search(str(k)))]


# The name of an object two down that says whether more pages follow: Paddle's `meta.pagination`, and an object of
# cursors (Apideck's `meta.cursors: {previous, current, next}`: its example's `next` was answered on every page).
_PAGING_OBJECT = re.compile(r"pag|cursor", re.IGNORECASE)


def _last_page(body: dict, fits) -> dict:
    """`body` as the last page, at the top or one object down (`pageInfo`, `pagination`): a boolean saying
    more pages follow is false, and the cursor for the next one is left out (where the schema allows). A
    drawn `hasNext: true` with a `nextItemKey` sent a client paging until it ran out of patience."""
    candidate = copy.deepcopy(body)
    changed = False
    for holder in _paging_holders(candidate):
        for key in list(holder):
            name = _bare(key)
            if name in _MORE_FLAGS and holder[key] is True:
                holder[key], changed = False, True
            elif (name in _NEXT_CURSORS and holder[key] is not None) or (name in ("next", *_NEXT_LINKS) and isinstance(holder[key], str)):
                # also a bare `next` URL beside the page (Django REST framework's `count`/`next`/`previous`/`results`)
                kept = holder[key]
                # A cursor is left out where the schema allows it (Finix's optional `next_cursor`: its SDK
                # reads a null one as "more follow"), and null where it is required (Increase's); a bare
                # `next` URL is null (Django REST framework's, which clients index).
                # A bare `next` the schema types as text only is empty rather than left out: Recurly's SDK reads
                # `page.next` of every page, the last too (its `has_more: false` says it is the last), and a page
                # without it raised AttributeError after the whole list was read.
                for absent in ((True, False) if name in _NEXT_CURSORS else (False, "", True)):
                    if absent is True:
                        holder.pop(key, None)
                    else:
                        holder[key] = None if absent is False else absent
                    if fits(candidate):
                        changed = True
                        break
                else:
                    holder[key] = kept
    return candidate if changed and fits(candidate) else body


def location(api, operation_id: str, request: dict, body) -> str | None:
    """Where the resource a creation answers can be read: the URL of the GET that reads one of its kind
    (`read_of`) with the answer's id, else an id of its own for this request (two idempotency keys, two
    resources). None when no such GET exists or without a Host. A 201's `Location` drawn from its schema
    ("sample") led an SDK that follows it (Dwolla's reads every new resource that way) nowhere."""
    origin, prefix = served(api, request)
    read = read_of(api, operation_id)
    if not origin or read is None:
        return None
    template, name, _ = read
    # The read's other parameters as the request named them (`/v1/{payment-service}/...` -> `/v1/payments/...`).
    path = _filled(template[:template.rindex("{")], request.get("path") or {})
    path += quote(created_id(operation_id, request, body, name, template, api), safe="")
    return f"{origin}{prefix}{path}"


def served(api, request: dict) -> tuple[str | None, str]:
    """(scheme and host, path prefix) the request reached the API under (http/banks.py's `origin` and
    `prefix`: the mount, or the vendor's own base path under its host name); the answer's URLs start there."""
    if "prefix" in request:
        return request.get("origin"), request["prefix"]
    headers = request.get("headers") or {}
    host = headers.get("host")
    return (f"{headers.get('x-forwarded-proto', 'http')}://{host}" if host else None), getattr(api, "mount", "")


def _id_word(name) -> str | None:
    """The generic id word a parameter's name ends in (`token` of `card_token` or `cardToken`, `id` of
    `paymentId`): the name of the resource's own field where its answer does not repeat the parameter's
    (Lithic's card, read at `/cards/{card_token}`, holds its id in `token`)."""
    words = re.split(r"[_\-.]+|(?<=[a-z0-9])(?=[A-Z])", str(name or ""))
    last = words[-1].lower() if len(words) > 1 else None
    return last if last in _GENERIC_IDS else None


def created_id(operation_id: str, request: dict, body, name: str, kind: str | None = None, api=None) -> str:
    """The id of the resource a creation answers: the one its answer gives (`given_id`), else one of its own for
    this request, in the form its read takes (`_id_in_read_form`)."""
    from .remembered import _batched_like

    holder = body if isinstance(body, dict) else {}
    batch = batch_key(request.get("body"))  # one made in a batch: the first item's (Xero's `{"Contacts": [...]}`)
    # (or one sent bare, answered as a batch's one item: Xero's `PUT /Payments` of a Payment)
    batch = batch if batch is not None else _batched_like(holder, request.get("body"))
    if batch is not None and isinstance(holder.get(batch), list) and holder[batch] and isinstance(holder[batch][0], dict):
        holder = holder[batch][0]
    own = given_id(holder, name, kind)
    if own is None:
        rng = random.Random(_seed(operation_id, request, 201))
        own = _id_in_read_form(api, kind, name, rng) if api is not None and kind else None
        own = own if own is not None else uuid.UUID(int=rng.getrandbits(128), version=4)
    return str(own)


def given_id(holder, name: str, kind: str | None = None) -> str | None:
    """The id a creation's answer, or what its client sent to make it, gives the resource, or None: its (or its
    envelope's) field named as its read's path parameter (`name`; `payment_id` for `{paymentId}`), or as that
    parameter qualified by the noun of `kind`, the read's path (`customer_code` of `/customer/{code}`,
    `recipient_code` of `/transferrecipient/{code}`), or `id` or `guid`, else an id named for the noun
    (`payout_batch_id` of `/payouts/{id}`)."""
    holder = holder if isinstance(holder, dict) else {}
    inner = envelope_of(holder)
    noun = _bare(read_noun(kind, name) or "")

    def named(key) -> bool:  # `customer_code`: a suffix of the noun, then the parameter's own name
        bare, own = _bare(key), _bare(name)
        return len(bare) > len(own) + 2 and bare.endswith(own) and noun.endswith(bare[:-len(own)])

    # the parameter without the noun it names (`external_id` of a customer read at
    # `/customers/{external_customer_id}`): the answer holds its id under its own name, not qualified by its kind
    unqualified = _bare(name).replace(noun, "", 1) if len(noun) > 2 and noun in _bare(name) else None
    unqualified = unqualified if unqualified and len(unqualified) > 2 and AN_ID.search(name) else None

    own = next((found[key] for wanted in (_bare(name), named, unqualified, _id_word(name), "id", "guid") if wanted
                for found in (holder, holder.get(inner) if inner else None) if isinstance(found, dict)
                for key in found if (wanted(key) if callable(wanted) else _bare(key) == wanted)
                and _scalar(found[key]) and found[key] not in (None, "")),
               None)
    if own is None and len(noun) > 2:  # else the read's noun's id (`payout_batch_id` of `/payouts/{id}`), as a
        #                                read names it (`_named_in`)
        own = next((found[key] for found in (holder, holder.get(inner) if inner else None) if isinstance(found, dict)
                    for key in found if re.fullmatch(rf"{re.escape(noun)}[a-z0-9]*id", _bare(key))
                    and isinstance(found[key], str) and found[key]), None)
    return None if own is None else str(own)


def _id_in_read_form(api, kind: str, name: str, rng: random.Random):
    """An id of its own for a resource whose creation answered none (Paystack's `POST /transaction/initialize`
    answers `{authorization_url, access_code, reference}`), in the form its read `kind` takes it: a whole
    number where the read's path parameter, or else the read answer's own id field, is an integer (Paystack's
    `/transaction/{id}`), else text fitting their pattern, format or length, in the shape of their example;
    None where neither says more than text (a UUID then). Kept under a UUID, it was no id a read could take,
    and every kept transaction was listed under the one id drawn for the page's item."""
    schemas = schemas_of(api.spec)
    item = (api.spec.get("paths") or {}).get(kind) or {}
    operation = item.get("get") or {}
    declared = next((deref(api.spec, p) for p in [*(operation.get("parameters") or []), *(item.get("parameters") or [])]
                     if isinstance(deref(api.spec, p), dict) and deref(api.spec, p).get("name") == name
                     and deref(api.spec, p).get("in") == "path"), {})
    parameter = dict(flattened(api.spec, declared.get("schema")) or {})
    if "example" in declared and "example" not in parameter:
        parameter["example"] = declared["example"]
    mirror = _Mirror(api.spec, read_answer(api, kind))
    root = mirror.root or {}
    holders = [root] + [mirror.field(root, key) or {} for key in root.get("properties") or () if _bare(key) in ("data", "result")]
    field = next((mirror.field(holder, key) for holder in holders for key in (holder.get("properties") or ())
                  if _bare(key) in (_bare(name), "id")), None) or {}
    for schema in (parameter, field):
        if not isinstance(schema, dict):
            continue
        if schema.get("type") == "integer":
            example = schema.get("example")
            low, high = schema.get("minimum"), schema.get("maximum")
            for _ in range(8):
                drawn = _widened(_redrawn(example, rng), rng) if isinstance(example, int) and not isinstance(example, bool) \
                    and example > 0 else rng.randrange(10 ** (ID_CHARACTERS - 1), 10 ** ID_CHARACTERS)
                if schemas.fits(schema, drawn):
                    return drawn
            if isinstance(low, int) or isinstance(high, int):
                low = low if isinstance(low, int) else 1
                high = high if isinstance(high, int) else low + 10 ** ID_CHARACTERS
                return rng.randrange(low, high + 1) if high >= low else None
            continue
        if schema.get("type") not in (None, "string") or not any(
                key in schema for key in ("pattern", "format", "example", "minLength", "maxLength", "enum")):
            continue
        example = schema.get("example")
        unexampled = {k: v for k, v in schema.items() if k not in ("example", "examples")}
        for attempt in range(8):
            drawn = _redrawn(example, rng) if isinstance(example, str) and example and attempt < 4 \
                else generate(api.spec, unexampled, rng, name=name)
            if isinstance(drawn, str) and drawn and drawn != example and schemas.fits(schema, drawn):
                return drawn
    return None


def read_of(api, operation_id: str) -> tuple | None:
    """(path template, parameter name, parameter schema) of the GET that reads one resource of the kind an
    operation's path makes (`POST /customers` -> `GET /customers/{id}`, `POST /customers/{id}/funding-sources`
    -> `GET /funding-sources/{id}`), or None. Worked out once per operation: asked several times by each
    creation, the search through every GET of the spec was a tenth of a creation's time."""
    known = api.derived.setdefault("read_of", {})
    if operation_id not in known:
        known[operation_id] = _read_of(api, operation_id)
    return known[operation_id]


def _read_of(api, operation_id: str) -> tuple | None:
    template = _located(api, operation_id)[0]
    gets = [(path, op) for _, method, path, op in api.spec_operations() if method.lower() == "get"]
    # The GET of the creation's own path and one parameter more (NextGenPSD2's `POST /v1/{service}/{product}`
    # is read at `GET /v1/{service}/{product}/{paymentId}`), else by the kind a literal segment names.
    reads = [(path, op) for path, op in gets
             if one_below(template or "").fullmatch(path)]
    # The last literal segment that names a kind with a read: `/payments/create` (Currencycloud) -> `payments`.
    # Only the literal segments after the path's last parameter name what is made: `connections` of
    # `/companies/{c}/connections/{id}/bankFeedAccounts` names the owner, whose read is not the creation's.
    trailing = (template or "").strip("/").split("/")
    trailing = trailing[max((i for i, part in enumerate(trailing) if "{" in part), default=-1) + 1:]
    for kind in [] if reads else [part for part in reversed(trailing) if part]:
        reads = [(path, op) for path, op in gets if re.fullmatch(rf"(?:.*/)?{re.escape(kind)}/\{{[^}}/]+\}}/?", path)]
        if reads:
            break
    if not reads:  # (a call of an RPC-style family, read at a POST by a body field: `body_read`)
        found = body_read(api, template)
        field = ((sent_schema(api, _operation_at(api, found[0])) or {}).get("properties") or {}).get(found[1]) \
            if found else None
        return (*found, deref(api.spec, field) or {}) if found else None
    # Below the creation's own path first; of twin reads (Xero's `/Contacts/{ContactNumber}` and
    # `/Contacts/{ContactID}`), the one by an id; then the one under fewest owners (Stripe's
    # `/v1/subscriptions/search` lists `/v1/subscriptions/{id}`, not `/v1/customers/{c}/subscriptions/{id}`).
    last = lambda found: LAST_PARAMETER.search(found[0]).group(1)  # noqa: E731
    # Of reads of kinds named alike, the one answering what the creation answers (Stripe's test helper
    # `POST /v1/test_helpers/issuing/transactions/create_force_capture` makes an issuing transaction, not the
    # treasury transaction `/v1/treasury/transactions/{id}` reads, whose `{id}` had won as the more generic id).
    answered = _success_schema(api.spec, _located(api, operation_id)[1])
    alike = lambda found: answered is not None and same_kind(api.spec, answered, _success_schema(api.spec, found[1]))  # noqa: E731
    path, operation = min(reads, key=lambda found: (not found[0].startswith(template.rstrip("/") + "/"), not alike(found),
                                                    not (AN_ID.search(last(found)) or _bare(last(found)) in _GENERIC_IDS),
                                                    found[0].count("{")))
    name = last((path, operation))
    item = (api.spec.get("paths") or {}).get(path) or {}
    declared = next((deref(api.spec, p) for p in [*(operation.get("parameters") or []), *(item.get("parameters") or [])]
                     if isinstance(deref(api.spec, p), dict) and deref(api.spec, p).get("name") == name
                     and deref(api.spec, p).get("in") == "path"), {})
    return path, name, deref(api.spec, declared.get("schema")) or {}


def _operation_at(api, path: str, method: str = "post") -> str | None:
    """The operationId of the operation of `method` at `path`, or None."""
    return next((op_id for op_id, m, at, _ in api.spec_operations() if m.lower() == method and at == path), None)


def readable_id(api, operation_id: str, request: dict, body, fits):
    """`body`, a creation's answer, with an id its read takes: where the GET that reads it constrains its
    path parameter (PayPal's order ids, `^[A-Z0-9]+$`) and the drawn id breaks it, one drawn from that
    parameter's schema. A drawn lower-case id was refused by every read, capture and patch of the order."""
    read = read_of(api, operation_id) if isinstance(body, dict) else None
    if read is None or not read[2]:
        return body
    _, name, schema = read
    schemas = schemas_of(api.spec)
    candidate = copy.deepcopy(body)
    inner = envelope_of(candidate)
    holder = next((found for found in (candidate, candidate.get(inner) if inner else None) if isinstance(found, dict)
                   and any(isinstance(found.get(key), str) for key in (name, "id"))), None)
    if holder is None:
        return body
    key = name if isinstance(holder.get(name), str) else "id"
    sent = request.get("body") if isinstance(request.get("body"), dict) else {}
    # (and the paths below the read that name it in the same place, its actions: Checkout.com reads a payment by
    # a `pay_` or `sid_` id, and captures, refunds and voids it by a `pay_` id only)
    taken = [schema, *_taken_below(api, read[0])]
    if all(schemas.fits(each, holder[key]) for each in taken) or (key in sent and sent[key] == holder[key]):
        return body  # an id that fits, or the client's own
    rng = random.Random(_seed(operation_id, request, 201))
    # Drawn in the shape of the parameter's example, else from its schema without the example: the schema's
    # example is one id, and every resource made took it (Xendit's customers, `format: uuid` with an example,
    # all had the example's id, each creation overwriting the one before).
    for source in taken:
        example = source.get("example")
        unexampled = {k: v for k, v in source.items() if k not in ("example", "examples")}
        for attempt in range(8):
            drawn = _redrawn(example, rng) if isinstance(example, str) and example and attempt < 4 \
                else generate(api.spec, unexampled, rng, name=key)
            if isinstance(drawn, str) and drawn and all(schemas.fits(each, drawn) for each in taken):
                # (as long as an id is, where its pattern alone drew it short: PayPal's orders were made `Q8`
                # and `TF`, two characters, one of 1,296 such ids, and a shop's orders soon shared theirs)
                wide = _widened(drawn, rng)
                holder[key] = wide if all(schemas.fits(each, wide) for each in taken) else drawn
                return candidate if fits(candidate) else body
    return body


def _taken_below(api, read: str) -> list:
    """The schemas of the path parameters that take a resource's id below its read's path (`/payments/{id}` of
    `/payments/{id}/captures`), where they say more than text. Worked out once per read."""
    known = api.derived.setdefault("taken_below", {})
    if read not in known:
        shape, found = path_shape(read), []
        at = path_shape(read).count("/")  # (the read's own parameter is its path's last segment)
        for template, item in (api.spec.get("paths") or {}).items():
            if not path_shape(template).startswith(shape + "/"):
                continue
            name = str(template).split("/")[at].strip("{}")
            for operation in [item, *(op for method, op in item.items() if method in ("get", "put", "post", "patch", "delete"))]:
                for parameter in (operation or {}).get("parameters") or ():
                    parameter = deref(api.spec, parameter)
                    if isinstance(parameter, dict) and parameter.get("in") == "path" and parameter.get("name") == name:
                        schema = flattened(api.spec, parameter.get("schema"))
                        if isinstance(schema, dict) and any(k in schema for k in ("pattern", "format", "enum", "maxLength")):
                            found.append(schema)
        known[read] = found
    return known[read]


def path_value(path: dict, name: str):
    """The value a request's path gave the parameter `name` (the router names `{payment-service}`
    `payment_service`, as Starlette's routes take no `-`), or None."""
    return path.get(name, path.get(name.replace("-", "_")))


def _filled(template: str, given: dict, otherwise: dict | None = None) -> str:
    """`template` with each parameter the value the request's path gave it (the router names
    `{payment-service}` `payment_service`, as Starlette's routes take no `-`), else its value in `otherwise`,
    else left as `{name}`; each value quoted for a path."""
    def value(found) -> str:
        name = found.group(1)
        chosen = path_value(given, name)
        chosen = chosen if chosen is not None else (otherwise or {}).get(name)
        return found.group(0) if chosen is None else quote(str(chosen), safe="")
    return re.sub(r"\{([^}/]+)\}", value, template)


def linked_here(api, request: dict, body, fits):
    """`body` with each link (an `href`, at any depth: HAL's and NextGenPSD2's `_links`) that names a path of
    the spec pointed at the sandbox: under the mount, with the values the request's path gave to the
    parameters of the same name. NextGenPSD2's examples link a cancelled payment's status to
    `/psd2/v1/payments/123456scheduled789/status`, another payment, under a prefix the sandbox does not serve."""
    if not isinstance(body, (dict, list)):
        return body
    mount = getattr(api, "mount", "")
    here, prefix = served(api, request)
    given = request.get("path") or {}
    own = _located(api, request.get("operation_id") or "")[0] or ""
    templates = _link_templates(api)
    candidate = copy.deepcopy(body)
    changed = False

    def shared(template: str) -> dict:
        """The request's path values for the parameters a link's path names where the request's path names
        them too (`{id}` of `/transfers/{id}` is not `{id}` of `/funding-sources/{id}`: Dwolla names all `{id}`)."""
        return {name: value for name, value in given.items() for form in dict.fromkeys((name, name.replace("_", "-")))
                if f"{{{form}}}" in template and f"{{{form}}}" in own
                and template[:template.index(f"{{{form}}}")] == own[:own.index(f"{{{form}}}")]}

    def rewrite(href: str) -> str:
        parts = urlsplit(href)
        path = parts.path[len(mount):] if mount and parts.path.startswith(mount + "/") else parts.path
        for pattern, names, template in templates:
            found = pattern.match(path)
            if found is None:
                continue
            filled = _filled(template, shared(template), dict(zip(names, found.groups())))
            origin = "" if not parts.netloc else here or f"{parts.scheme}://{parts.netloc}"
            return origin + prefix + filled + (f"?{parts.query}" if parts.query else "")
        return href

    def visit(node, name=None):
        nonlocal changed
        for key, value in node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ():
            if isinstance(value, (dict, list)):
                visit(value, key)
            elif key == "href" and isinstance(value, str) and value:
                new = rewrite(value)
                if new == value:
                    new = _authorization_link(api, request, body, name, here) or value
                if new != value:
                    node[key], changed = new, True

    visit(candidate)
    return candidate if changed and fits(candidate) else body


def _authorization_link(api, request: dict, body, name, here: str | None) -> str | None:
    """Where a link sending the customer to authorise (named for a redirect, NextGenPSD2's `scaRedirect`, or for
    OAuth, its `scaOAuth`) points in the sandbox: its authorization page, for the connector calling, naming the
    resource to authorise (`consent_id`: the consent or payment of the path, else the one the answer makes) and the
    redirect URI the request sent (`TPP-Redirect-URI`), which grants or refuses that consent
    (`remembered.consented`); or its authorization server's metadata (RFC 8414). The spec's example host was
    answered (`https://www.testbank.com/...`), and a client following the link left the sandbox. None for any
    other link."""
    bare = re.sub(r"[^a-z]", "", str(name or "").lower())
    if bare.endswith("oauth"):
        return f"{here or ''}/.well-known/oauth-authorization-server"
    if not bare.endswith(("redirect", "approval")):  # (or for the customer's approval: STET's `consentApproval`)
        return None
    path = request.get("path") or {}
    named = next((v for k, v in path.items() if re.sub(r"[^a-z]", "", str(k).lower()) == "consentid"), None)
    ids = [v for k, v in path.items() if re.sub(r"[^a-z]", "", str(k).lower()).endswith("id")]
    named = named or (ids[-1] if ids else None) or _answered_id(body)
    headers = request.get("headers") or {}
    redirect = next((v for k, v in headers.items() if re.sub(r"[^a-z]", "", k).endswith("redirecturi")
                     and "nok" not in k.lower()), None) or _success_address(request.get("body"))
    query = {"response_type": "code", "client_id": request.get("connector"), "redirect_uri": redirect,
             "consent_id": named}
    return f"{here or ''}/oauth/authorize?" + urlencode({k: v for k, v in query.items() if v})


def authorization_answered(api, request: dict, body, fits):
    """An authorization request posted to an operation of the API (its JSON body sends OAuth's `response_type`
    beside a `client_id`), answered with where to send the customer (a field of the answer named for a redirect
    URI or URL, the client's own `redirect_uri` aside): that field is the sandbox's authorization page for what the
    request sent (client, redirect URI, scope, state), so the customer signs in there and the code comes back to the
    client, for the API's token operation to buy a token with. PolishAPI's `POST /auth/authorize` answered its
    `aspspRedirectUri` drawn (`https://example.jp/7342`): the customer's browser left the sandbox."""
    sent = request.get("body")
    if not isinstance(body, dict) or not isinstance(sent, dict):
        return body
    asked = {re.sub(r"[^a-z]", "", str(k).lower()): v for k, v in sent.items() if isinstance(v, str) and v}
    if "responsetype" not in asked or "clientid" not in asked:
        return body
    fields = [k for k, v in body.items() if isinstance(v, str) and k not in sent
              and re.sub(r"[^a-z]", "", str(k).lower()).endswith(("redirecturi", "redirecturl"))]
    if len(fields) != 1:
        return body
    here, _ = served(api, request)
    query = {"response_type": asked["responsetype"], "client_id": asked["clientid"],
             "redirect_uri": asked.get("redirecturi"), "scope": asked.get("scope"), "state": asked.get("state")}
    candidate = {**body, fields[0]: f"{here or ''}/oauth/authorize?" + urlencode({k: v for k, v in query.items() if v})}
    return candidate if fits(candidate) else body


def _success_address(sent, depth: int = 0) -> str | None:
    """The address a request's body gives for sending the customer back once it approved, where no header gives one:
    a URL field named for success or a redirect (STET's `supplementaryData.successfulReportUrl`), not for failure
    (`unsuccessfulReportUrl`), at its top or one object down."""
    if not isinstance(sent, dict) or depth > 1:
        return None
    for key, value in sent.items():
        bare = re.sub(r"[^a-z]", "", str(key).lower())
        if isinstance(value, str) and value.startswith(("http://", "https://")) and bare.endswith(("url", "uri")) \
                and ("success" in bare or "redirect" in bare) and not re.search(r"unsuccess|fail|nok|cancel|error", bare):
            return value
    return next((found for value in sent.values() if (found := _success_address(value, depth + 1))), None)


def _answered_id(body) -> str | None:
    """The id an answer gives the resource it is about: its `id`, else its one field named for an id (`consentId`)."""
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("id"), str) and body["id"]:
        return body["id"]
    ids = [v for k, v in body.items() if isinstance(v, str) and v and re.search(r"(?:^|[a-z_])(?:id|Id|ID)$", str(k))]
    return ids[0] if len(ids) == 1 else None


def _own_id(body) -> bool:
    """Whether `body` is one resource: it holds an `id` of its own, text or a number."""
    return isinstance(body, dict) and not isinstance(body.get("id"), bool) and isinstance(body.get("id"), (str, int)) \
        and body.get("id") != ""


def links_of_its_own(api, request: dict, body, fits):
    """A HAL resource's links (`_links: {name: {href}}`) to the resource's own path name it by its own id, and
    each link named as one of its fields holding an id (`source`, `merchant_identity`) names the resource of that
    id, where the link's path ends in the parameter naming it. Laid over by the path the request came by, a
    reversal made at `POST /transfers/{transfer_id}/reversals` linked `self` to its transfer; a transfer made from
    the client's card linked `source` to the example's (Finix's)."""
    if not _own_id(body):
        return body
    links = next((k for k, v in body.items() if str(k).lower().lstrip("_") == "links" and isinstance(v, dict)), None)
    if links is None:
        return body
    _, prefix = served(api, request)
    mount = getattr(api, "mount", "")
    templates = _link_templates(api)
    candidate = copy.deepcopy(body)
    for name, link in candidate[links].items():
        value = body["id"] if str(name).lower() == "self" else body.get(name)
        if not isinstance(link, dict) or not isinstance(link.get("href"), str) or not _own_id({"id": value}):
            continue
        parts = urlsplit(link["href"])
        start = next((len(p) for p in (prefix, mount) if p and parts.path.startswith(p + "/")), 0)
        for pattern, names, template in templates:
            found = pattern.match(parts.path[start:])
            if found is None:
                continue
            if names and template.rstrip("/").endswith("{" + names[-1] + "}"):
                begin, end = (start + at for at in found.span(len(names)))
                path = parts.path[:begin] + quote(str(value), safe="") + parts.path[end:]
                link["href"] = parts._replace(path=path).geturl()
            break
    return candidate if candidate != body and fits(candidate) else body


def _link_templates(api) -> list:
    """(pattern matching a link's path, parameter names, template) of each path of the spec with a literal
    segment, the most literal first; a link's path may carry one segment more before it (a server's
    prefix: NextGenPSD2's `/psd2`). Cached on the spec."""
    cached = _LINK_TEMPLATES.get(id(api.spec))
    if cached is None or cached[0] is not api.spec:
        found = []
        for template in (api.spec.get("paths") or {}):
            names = re.findall(r"\{([^}/]+)\}", template)
            if not any(part and "{" not in part for part in template.split("/")):
                continue  # `/{id}` would take any link for its own
            pattern = re.escape(template.rstrip("/"))
            for name in names:
                pattern = pattern.replace(re.escape("{" + name + "}"), "([^/]+)")
            found.append((re.compile(f"^(?:/[^/]+)?{pattern}/?$"), names, template))
        found.sort(key=lambda entry: (len(entry[1]), -len(entry[2])))
        cached = _LINK_TEMPLATES[id(api.spec)] = (api.spec, found)
    return cached[1]


_LINK_TEMPLATES: dict = {}


def _request_url(api, operation_id: str, request: dict) -> str | None:
    """The request's own URL, built from its operation's path and what it sent (None without a Host)."""
    origin, prefix = served(api, request)
    template = _located(api, operation_id)[0]
    if not origin or template is None:
        return None
    path = _filled(template, request.get("path") or {})
    query = _url_query(sent_query(request))
    return f"{origin}{prefix}{path}" + (f"?{query}" if query else "")


def _url_query(query: dict) -> str:
    """A query as its client writes it in a URL (the values the spec's defaults filled in left out, as the client
    never sent them): a boolean as `true`/`false`, a list as its parameter repeated, an object as its keys in
    brackets (`created[gte]=5`). Written as Python writes them, PayPal's `total_required=true` came back in a
    page's links as `total_required=True`, a value its API refuses."""
    pairs: list[tuple[str, str]] = []

    def add(name: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                add(f"{name}[{key}]", inner)
        elif isinstance(value, (list, tuple)):
            for inner in value:
                add(name, inner)
        elif isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif value is not None:
            pairs.append((name, str(value)))

    for name, value in query.items():
        add(str(name), value)
    return urlencode(pairs)


def sent_schema(api, operation_id: str) -> dict | None:
    """The schema of an operation's JSON (or form) request body, `allOf` merged; None where it declares none."""
    operation = _located(api, operation_id)[1] or {}
    content = (deref(api.spec, operation.get("requestBody") or {}) or {}).get("content") or {}
    schema = next((deref(api.spec, media.get("schema")) for kind, media in content.items()
                   if "json" in kind.lower() and isinstance(media, dict)), None)
    schema = schema or next((deref(api.spec, media.get("schema")) for kind, media in content.items()
                             if "form" in kind.lower() and isinstance(media, dict)), None)
    return _Mirror(api.spec, schema).root if isinstance(schema, dict) else None


def in_answer_names(sent, names):
    """`sent` with each field the answer does not name as sent under the answer's name of the same words in another
    case, where one alone is (a form's `FriendlyName` and `StatusCallback` are the answer's `friendly_name` and
    `status_callback`: Twilio's forms are PascalCase and its answers snake_case; echoed by name, every message was
    answered with the example's body, and a redaction changed nothing). `names`: the answer's fields."""
    if not isinstance(sent, dict) or not names:
        return sent
    alike = {}
    for name in names:
        alike.setdefault(_bare(name), []).append(name)
    renamed = {}
    for key, value in sent.items():
        found = alike.get(_bare(key), []) if key not in names else []
        renamed[found[0] if len(found) == 1 and found[0] not in sent else key] = value
    return renamed


def _as_answered(api, operation_id: str, sent, schema):
    """`sent` with each object it holds that the answer holds under another name, by the same schema, under
    that name too (Square's catalog upsert sends `object` and answers `catalog_object`, both a CatalogObject:
    it answered the example's "Cocoa" to a "Coffee" sent)."""
    if not isinstance(sent, dict):
        return sent
    mine = (sent_schema(api, operation_id) or {}).get("properties") or {}
    theirs = (_Mirror(api.spec, schema).root or {}).get("properties") or {}
    renamed = {}
    for key, value in sent.items():
        reference = (mine.get(key) or {}).get("$ref") if isinstance(mine.get(key), dict) else None
        if not isinstance(value, dict) or key in theirs or reference is None:
            continue
        named = [name for name, field in theirs.items()
                 if isinstance(field, dict) and field.get("$ref") == reference and name not in sent]
        if len(named) == 1:
            renamed[named[0]] = value
    # an amount sent as a bare number where the answer holds a money object under its name is that object's value
    # (Moov's refund sent `amount: 1000` was answered the example's `amount: {currency: USD, value: 1204}`)
    # (of an answer that is one of several shapes, the field as the first shape declaring it declares it: Moov's
    # refund is made at once or queued, both holding `amount`)
    root = _Mirror(api.spec, schema).root or {}
    shapes = [(deref(api.spec, shape) or {}).get("properties") or {} for shape in root.get("oneOf") or root.get("anyOf") or ()]
    for key, value in sent.items():
        declared = theirs.get(key) or next((shape[key] for shape in shapes if key in shape), None)
        field = deref(api.spec, declared) if declared is not None else None
        inner = (field or {}).get("properties") or {}
        if isinstance(value, (int, float)) and not isinstance(value, bool) and "currency" in (_bare(k) for k in inner):
            number = next((k for k in inner if _bare(k) in ("value", "amount", "units")
                           and (deref(api.spec, inner[k]) or {}).get("type") in ("integer", "number")), None)
            renamed.update({key: {number: value}} if number is not None else {})
    # an amount sent under a name saying what it is for, which the answer does not hold, is the `amount` of what
    # is made (Finix's reversal sent `refund_amount: 1000` was answered and kept with the example's amount of 150)
    amount = next((name for name in theirs if _bare(name) == "amount"), None)
    qualified = [key for key, value in sent.items() if _bare(key).endswith("amount") and _bare(key) != "amount"
                 and key not in theirs and isinstance(value, (int, float, str)) and not isinstance(value, bool)]
    if amount is not None and amount not in sent and len(qualified) == 1 and _creates(api, operation_id):
        renamed[amount] = sent[qualified[0]]
    return {**sent, **renamed} if renamed else sent


def unsent_lists(api, operation_id: str, request: dict, body, fits):
    """A creation's answer with the lists of objects its client could have sent and did not left empty (a
    customer made without addresses has none, as the bank answers; drawn, Rapyd's SDK could not read the
    address it was never sent), at the answer's top or in its envelope, where its schema allows; and those it
    could have named by their ids and did not (`receipts` of a request declaring `receipt_ids`: freee's deal made
    without receipts answered its example's receipt of 2019)."""
    declared = (sent_schema(api, operation_id) or {}).get("properties") or {}
    sent = request.get("body") if isinstance(request.get("body"), dict) else {}
    if not isinstance(body, dict) or not declared:
        return body
    by_ids = {_bare(_singular(str(key)[:-3].rstrip("_-"))) + "s": key for key in declared
              if re.fullmatch(r".+?[_\-]?(ids|Ids|IDs)", str(key)) and (deref(api.spec, declared[key]) or {}).get("type") == "array"}
    candidate = copy.deepcopy(body)
    inner = envelope_of(candidate)
    for holder in [candidate] + ([candidate[inner]] if inner is not None and inner not in declared else []):
        for key, value in holder.items():
            field = deref(api.spec, declared.get(key))
            named = by_ids.get(_bare(_singular(str(key))) + "s")
            field = {"type": "array"} if field is None and named is not None and named not in sent else field
            if isinstance(value, list) and value and key not in sent and isinstance(field, dict) \
                    and field.get("type") == "array" and isinstance(value[0], dict):
                holder[key] = []
    return candidate if candidate != body and fits(candidate) else body


def owner_read(api, template: str | None) -> tuple[str, str] | None:
    """(the path of the GET reading the owner a path goes on below, the path's parameter naming it):
    `/transfers/{transfer}` and `id` of `/transfers/{id}/reversals`, whatever each names its parameter; None
    where the path ends in no literal segment after a parameter, or no GET reads the owner (worked out once)."""
    known = api.derived.setdefault("owner_reads", {})
    if template not in known:
        owner = re.fullmatch(r"(.*\{([^}/]+)\})/[^{}]+", (template or "").rstrip("/"))
        read = next((path for _, method, path, _ in api.spec_operations() if method.lower() == "get"
                     and owner and path_shape(path) == path_shape(owner.group(1))), None)
        known[template] = (read, owner.group(2)) if read is not None else None
    return known[template]


def linked_to_owner(api, operation_id: str, request: dict, body, schema, fits):
    """A creation's answer under an owner's path (`POST /application_fees/{id}/refunds`) naming that owner in
    a field declared as its id or the owner itself (`fee: anyOf [string, application_fee]`), whatever the field
    is called: the owner's id, where it was drawn. A fee's refund named another fee; a transfer's reversal, in
    a field named as the path's noun, already named its transfer."""
    owner = owner_read(api, _located(api, operation_id)[0])
    value = path_value(request.get("path") or {}, owner[1]) if owner else None
    if value is None or not isinstance(body, dict):
        return body
    owned = read_answer(api, owner[0])
    if owned is None:
        return body
    mirror = _Mirror(api.spec, schema)
    candidate = copy.deepcopy(body)
    for key, current in body.items():
        field = deref(api.spec, mirror.field(mirror.root, key)) or {}
        options = [deref(api.spec, option) for option in field.get("anyOf") or field.get("oneOf") or ()]
        if isinstance(current, str) and current != str(value) and any(
                isinstance(o, dict) and o.get("type") == "string" for o in options) and any(
                isinstance(o, dict) and o.get("type") != "string" and same_kind(api.spec, o, owned) for o in options):
            candidate[key] = str(value)
    return candidate if candidate != body and fits(candidate) else body


def nothing_under_yet(api, operation_id: str, body, fits):
    """A creation's answer with nothing yet in the lists its read's own sub-paths hold (`reversals` of a
    transfer read at `/transfers/{id}`, listed at `/transfers/{id}/reversals`): made after it, by calls of their
    own, they cannot be there. Drawn, a transfer nobody reversed was answered with reversals, and a
    connector syncing them found six that were never made. A list at the answer's top or in its envelope,
    bare or as a page (`{object: list, data: [...], has_more}`), where the schema allows."""
    if not isinstance(body, dict):
        return body
    known = api.derived.setdefault("lists_below", {})
    if operation_id not in known:  # (worked out once per operation)
        read = read_of(api, operation_id)
        known[operation_id] = {_bare(found.group(1)) for _, method, path, _ in api.spec_operations()
                               if read is not None and method.lower() == "get" and (found := re.fullmatch(
                                   re.escape(path_shape(read[0])) + r"/([^{}/]+)", path_shape(path)))}
    below = known[operation_id]
    if not below:
        return body
    candidate = copy.deepcopy(body)
    inner = envelope_of(candidate)
    for holder in [candidate] + ([candidate[inner]] if inner is not None and isinstance(candidate[inner], dict) else []):
        for key, value in holder.items():
            if _bare(key) not in below:
                continue
            if isinstance(value, list):
                holder[key] = []
            elif isinstance(value, dict):
                for name, part in value.items():
                    if isinstance(part, list):
                        value[name] = []
                    elif isinstance(part, bool) and _bare(name) in ("hasmore", "more", "ismore"):
                        value[name] = False
                    elif isinstance(part, int) and not isinstance(part, bool) and _bare(name) in (*_ITEMS, "count"):
                        value[name] = 0
    return candidate if candidate != body and fits(candidate) else body


def _nullable(spec: dict, schema) -> bool:
    """Whether `schema` takes null: 3.0's `nullable`, 3.1's type list, or a null alternative."""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    options = schema.get("anyOf") or schema.get("oneOf") or ()
    return bool(schema.get("nullable")) or (isinstance(kind, list) and "null" in kind) \
        or any(_is_null(deref(spec, option)) for option in options)


def _an_id_or_object(spec: dict, schema) -> bool:
    """Whether `schema` is an id or the object it names (Stripe's expandable fields, and the items of its
    `discounts`)."""
    options = [deref(spec, o) for o in (schema.get("anyOf") or schema.get("oneOf") or ())] \
        if isinstance(schema, dict) else []
    options = [o for o in options if isinstance(o, dict) and not _is_null(o)]
    return len(options) > 1 and any(_id_or_object(spec, o, options) for o in options)


def _a_reference(spec: dict, schema) -> bool:
    """Whether `schema` names another resource: an id or the object it names (Stripe's expandable
    `default_source: anyOf [string, card, ...]`), or an object with an `id` of its own (a `discount`)."""
    options = [deref(spec, o) for o in (schema.get("anyOf") or schema.get("oneOf") or ())] or [schema]
    options = [o for o in options if isinstance(o, dict) and not _is_null(o)]
    if len(options) > 1 and any(_id_or_object(spec, o, options) for o in options):
        return True
    for option in options:
        merged = _merge(spec, [*option["allOf"], {k: v for k, v in option.items() if k != "allOf"}]) \
            if "allOf" in option else option
        if "id" in (merged.get("properties") or {}):
            return True
    return False


def _one_object(spec: dict, schema):
    """`schema` read as the one object it describes (through `allOf` and a single non-null alternative), or None."""
    schema = flattened(spec, schema)
    if not isinstance(schema, dict):
        return None
    options = [o for o in (deref(spec, o) for o in (schema.get("anyOf") or schema.get("oneOf") or ()))
               if isinstance(o, dict) and not _is_null(o)]
    if len(options) == 1:
        return _one_object(spec, options[0])
    return schema if not options else None


def _resources(api, schema) -> bool:
    """Whether `schema` (a list's items) is a kind the API reads on its own (a transfer's reversals, read at
    `/transfers/{id}/reversals/{id}`; a customer's sources), not parts of their holder (an order's lines)."""
    from .expansions import _kinds_answering

    schema = deref(api.spec, schema)
    if not isinstance(schema, dict) or "id" not in ((_one_object(api.spec, schema) or {}).get("properties") or {}):
        return False
    return bool(_kinds_answering(api, schema))


def unlinked(api, body, schema, sent, fits):
    """`body` with every field that may be null and names another resource (an id-or-object, an object with
    an id of its own) null where the client did not send it, at any depth: a new customer has no default
    source, discount or default payment method, as the bank answers; a resource never made here points at
    no further one. Drawn, each such field named a new resource whose read named more (a payment method's
    `customer`, that customer's `invoice_settings.default_payment_method`, ...): dj-stripe, which mirrors the
    graph it is given, followed it until Python's recursion limit, thousands of reads per customer. Below
    the top, a list of resources read on their own (a transfer's `reversals`) is empty where the client sent
    none: each drawn reversal named a new transfer (its `transfer` may not be null), whose read drew another.
    So is a nullable id named for a kind the API reads (`_kind_ids`), with what else its fields say of that
    resource: freee's deal made without a partner named the example's `partner_id` 201 and `partner_code`
    code001, a partner never made, where the bank answers null."""
    if not isinstance(body, (dict, list)):
        return body
    spec = api.spec
    ids = _kind_ids(api)
    candidate = copy.deepcopy(body)
    envelope = envelope_of(candidate) if isinstance(candidate, dict) else None
    changed = False

    def walk(value, node, given, depth):
        nonlocal changed
        if node is None or depth > 12:
            return
        if isinstance(value, list):
            item = _one_object(spec, node.get("items"))
            if depth and value and given is None and (_resources(api, node.get("items"))
                                                      or _an_id_or_object(spec, deref(spec, node.get("items")))):
                value.clear()  # a list of resources read on their own: none was made under it here (reversals)
                changed = True
                return
            for index, each in enumerate(value):
                walk(each, item, given[index] if isinstance(given, list) and index < len(given) else None, depth + 1)
            return
        if not isinstance(value, dict):
            return
        declared = node.get("properties") or {}
        for key in list(value):
            sub = deref(spec, declared.get(key))
            if not isinstance(sub, dict) or value[key] is None:
                continue
            # (a list sent is answered in a wrapper, Stripe's `items: [...]` as `items: {data: [...]}`)
            mine = given.get(key) if isinstance(given, dict) else given if isinstance(given, list) else None
            if not depth and key == envelope and isinstance(given, dict) and key not in given:
                mine = given  # (a body sent bare, answered in its envelope: freee's `{"deal": {...}}`)
            named = isinstance(given, dict) and (key in given or any(_bare(k) == _bare(key) + "id" for k in given))
            if not named and _nullable(spec, sub) and _a_reference(spec, sub):  # (`balanceAccountId` names `balanceAccount`)
                value[key], changed = None, True
            elif not named and _nullable(spec, sub) and _scalar(value[key]) and _bare(key) in ids:
                value[key], changed = None, True  # (`partner_id` of `/partners/{id}`)
                stem = _bare(key)[:-len(ids[_bare(key)])]
                for other in [k for k in value if k != key and _bare(k).startswith(stem) and _scalar(value[k])]:
                    sent_too = isinstance(given, dict) and other in given
                    if not sent_too and _nullable(spec, deref(spec, declared.get(other))):
                        value[other] = None  # (and what else it says of it: its `partner_code`)
            elif isinstance(value[key], (dict, list)):
                walk(value[key], _one_object(spec, sub), mine, depth + 1)

    walk(candidate, _one_object(spec, schema), sent if isinstance(sent, (dict, list)) else {}, 0)
    return candidate if changed and fits(candidate) else body


def _kind_ids(api) -> dict:
    """The bare names of the fields that name a resource of a kind this API reads one by one, by its read's noun
    and the name of its id (`partner_id` of `/api/1/partners/{id}`), each to the bare name of that id (memoised)."""
    known = api.derived.get("kind_ids")
    if known is None:
        from .remembered import address

        known = {}
        for kind, name in totals.readable_kinds(api, address):
            noun = read_noun(kind, name)
            if noun is not None and _bare(name):
                known[_bare(noun) + _bare(name)] = _bare(name)
        api.derived["kind_ids"] = known
    return known


def with_own_fields(api, operation_id: str, request: dict, schema, body, fits):
    """A creation's answer with the fields the server owns that its schema declares and the answer lacks:
    its `id` (or the id its read's path names) and its `status`/`state`, at the top or in the envelope.
    PayPal's order creation documents an example that is the request itself: answered from it, an order
    had no id, and its SDK's flow stopped at the first `order.id`."""
    if not isinstance(body, dict):
        return body
    read = read_of(api, operation_id)
    wanted = ["id", *([read[1]] if read else [])]
    candidate = copy.deepcopy(body)
    envelope = envelope_of(candidate)
    node = _merge(api.spec, [schema])
    rng = random.Random(_seed(operation_id, request, 201))
    changed = False
    for holder, within in [(candidate, node)] + ([(candidate[envelope], _merge(api.spec, [
            property_schema(api.spec, node, envelope) or {}]))] if envelope is not None else []):
        declared = within.get("properties") or {}
        for key in [*wanted, "status", "state"]:
            if key in declared and key not in holder:
                field = deref(api.spec, declared[key]) or {}
                if key in ("status", "state"):
                    value = _first_of_enum(api.spec, within, None, key)
                else:
                    value = generate(api.spec, field, rng, name=key)
                if value is not None:
                    holder[key], changed = value, True
    return candidate if changed and fits(candidate) else body


def _emptied(body):
    """`body` with its lists of objects (at its top, or in its envelope) emptied; `body` itself if it has none."""
    if isinstance(body, list):
        return []
    candidate = copy.deepcopy(body)
    envelope = envelope_of(candidate)
    changed = False
    for holder in [candidate] + ([candidate[envelope]] if envelope is not None and isinstance(candidate[envelope], dict) else []):
        for key, value in list(holder.items()):
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                holder[key], changed = [], True
    return candidate if changed else body


# The fields a creation's answer holds of the server's own making whatever its client sent: its ids, numbers, codes
# and keys, and its states (by their names' endings).
_SERVERS_OWN = re.compile(r"(id|ids|number|code|key|token|status|state)$")


def unsent_left_out(api, operation_id: str, request: dict, body, schema, fits):
    """`body`, a creation's answer, without the optional free text its client could have sent and did not, which the
    draw took from the example: at its top, in its envelope and in each item of a batch, a field of text (no enum
    nor pattern) its answer does not require, that the request's schema declares and the client left out, is null
    where its schema takes null, else left out. Not the server's own (`_SERVERS_OWN`), nor its moments (moments.py
    stamps them, or moves them with its making: a day it is due keeps its place after the day it is dated). Drawn,
    Xero's invoice made without a Reference answered, and read back, the example's `Website Design`, and SumUp's
    checkout made without a description `My Checkout`."""
    from .moments import _read

    asked = sent_schema(api, operation_id)
    sent = request.get("body")
    if not isinstance(body, dict) or not isinstance(asked, dict) or not isinstance(sent, dict):
        return body
    mirror, theirs = _Mirror(api.spec, schema), _Mirror(api.spec, asked)
    candidate = copy.deepcopy(body)
    levels = [(candidate, mirror.root, sent, theirs.root)]
    envelope = envelope_of(candidate)
    if envelope is not None and isinstance(sent.get(envelope), dict):
        levels.append((candidate[envelope], mirror.field(mirror.root, envelope), sent[envelope],
                       theirs.field(theirs.root, envelope)))
    batch = batch_key(sent)
    if batch is not None and isinstance(candidate.get(batch), list):
        node, given = mirror.field(mirror.root, batch) or {}, theirs.field(theirs.root, batch) or {}
        levels += [(item, mirror.resolved(node.get("items")), sent[batch][index], theirs.resolved(given.get("items")))
                   for index, item in enumerate(candidate[batch]) if index < len(sent[batch])
                   and isinstance(item, dict) and isinstance(sent[batch][index], dict)]
    changed = False
    for holder, node, given, declared in levels:
        if not isinstance(node, dict) or not isinstance(declared, dict):
            continue
        sendable = declared.get("properties") or {}
        for key in [key for key in holder if key in sendable and key not in given and isinstance(holder[key], str)]:
            field = mirror.field(node, key) or {}
            if key in (node.get("required") or ()) or field.get("readOnly") or field.get("enum") \
                    or field.get("pattern") or field.get("type") != "string" or _SERVERS_OWN.search(_bare(key)) \
                    or _named_moment(key) or _read(holder[key]) is not None:
                continue
            if field.get("nullable"):
                holder[key] = None
            else:
                del holder[key]
            changed = True
    return candidate if changed and fits(candidate) else body


def _named_moment(key) -> bool:
    """Whether a field's name, word by word, names a moment (`DueDate`, `created_on`, `ExpectedPaymentDateUTC`; not
    `description`, whose letters end as `on` does)."""
    from .moments import _MOMENT_ENDS

    words = [word.lower() for word in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", str(key))]
    words = [word for word in words if word not in ("utc", "gmt", "string", "text")]
    return bool(words) and (words[-1] in _MOMENT_ENDS or bool({"date", "datetime", "timestamp"} & set(words)))


def _declared_flags(api, operation_id: str) -> dict:
    """The fields a creation's body declares, at its top and in the objects it holds (an envelope's: a flag of
    Square's `{payment: {autocomplete}}` style, whose default says what leaving it out means), by name; the top's
    first where both declare one."""
    mirror = _Mirror(api.spec, sent_schema(api, operation_id) or {})
    top = (mirror.root or {}).get("properties") or {} if isinstance(mirror.root, dict) else {}
    inner = {name: field for key in top for name, field in ((mirror.field(mirror.root, key) or {}).get("properties")
                                                               or {}).items()}
    return {**{name: mirror.resolved(field) for name, field in inner.items()}, **top}


# A field named for the kind of status it is (`generalStatus`, `payment_status`), not a detail beside one
# (`detailedStatus`, `statusReason`): a new resource starts in the first of its enum as in a bare `status`.
_KIND_OF_STATUS = re.compile(r"(?!detailed|previous|last)[a-z]+(?:_status|Status)")


def just_created(spec: dict, schema, body, fits, sent=None, verb: str | None = None, declared=None):
    """A 201's status as the first its enum lists (the state a new resource starts in: OBIE's
    AwaitingAuthorisation), at the top or in the envelope; a drawn status made a fresh consent cancelled. One
    made by an action's `verb` that completes is in the state that says it succeeded (states.made_state: PayPal's
    capture of an authorization is made `COMPLETED`, not `PENDING`).
    A state the client asked for, at the top of what it sent or in its envelope, is the one answered (Marqeta's
    `POST /cardtransitions {"state": "SUSPENDED"}`; Lago's `{"subscription": {"status": ...}}`).
    What its flags left out `declared` in its body by default tell it holds too (states.told: Stripe's charge is
    captured when made); where its enum has no held state, one held is in the state that says it succeeded and its
    flag of being completed says it was not (Stripe's charge `succeeded`, `captured: false`)."""
    from .states import (awaiting_state, details_of, done_flag, flagged_withdrawn, made_state, standing, succeeded_state,
                         told, told_state, unrequired)

    candidate = copy.deepcopy(body) if isinstance(body, dict) else None
    told_to = told(sent, declared)
    given = envelope_of(sent) if isinstance(sent, dict) else None  # (sent in an envelope: `{"thing": {"state": ...}}`)
    sent_holders = [sent] + ([sent[given]] if given is not None else [])
    sent_holders += [held["attributes"] for held in sent_holders if _json_api_resource(held)]
    asked = {str(k).lower() for holder in sent_holders if isinstance(holder, dict)
             for k, v in holder.items() if _scalar(v) and v is not None}
    if candidate is None:
        return body
    envelope = envelope_of(candidate)
    changed = False
    holders = [(candidate, None)] + ([(candidate[envelope], envelope)] if envelope is not None else [])
    # (a JSON:API resource holds its fields in `attributes`: Unit's account opened `data.attributes.status` Frozen)
    holders += [(held["attributes"], (within, "attributes") if within else "attributes") for held, within in holders
                if _json_api_resource(held)]
    for holder, within in holders:
        # (or a status named for what it is the status of: PolishAPI's payment made `generalStatus` done or rejected)
        for key in [k for k in holder if (str(k).lower() in ("status", "state") or _KIND_OF_STATUS.fullmatch(str(k)))
                    and str(k).lower() not in asked]:
            first = (verb and made_state(verb, _enum_of(spec, schema, within, key)
                                         or _said_states(spec, schema, within, key))) \
                or told_state(told_to, _enum_of(spec, schema, within, key) or _said_states(spec, schema, within, key)) \
                or told_to == "hold" and done_flag(holder) and succeeded_state(_enum_of(spec, schema, within, key)) \
                or told_to == "unconfirmed" and awaiting_state(_enum_of(spec, schema, within, key) or [], sent, declared) \
                or _first_of_enum(spec, schema, within, key) \
                or _unsaid(holder[key], _said_states(spec, schema, within, key))
            if first is not None:  # (nor in one waiting for what a flag it declares asks for, not asked for)
                node = _schema_within(spec, schema, within)
                step, rest = unrequired(first, _enum_of(spec, schema, within, key) or [], sent, declared,
                                        {_bare(name) for name in node.get("properties") or {}})
                first = step or (_first_of_values(rest) if rest else first)
            if first is not None and holder[key] != first:
                holder[key], changed = first, True
            # (the draw's details tell of a state it drew, not of the one it is made in: a COMPLETED capture's
            # `status_details`, `ECHECK`), but those its client sent
            node = _schema_within(spec, schema, within)
            for detail in details_of(holder, key, node.get("required")):
                if first is not None and not (isinstance(sent, dict) and (detail in sent or given and detail in sent[given])):
                    del holder[detail]
                    changed = True
        # (nor is it withdrawn, where a flag says so beside its state and its client did not: Finix's authorization
        # was made `is_void: true` one time in two, and its void then refused)
        for key in [k for k in holder if flagged_withdrawn({k: holder[k]}) and str(k).lower() not in asked]:
            holder[key], changed = False, True
        flag = done_flag(holder) if told_to in ("hold", "confirm") else None
        if flag is not None and str(flag).lower() not in asked and holder[flag] != (told_to != "hold"):
            holder[flag], changed = told_to != "hold", True
        if done_flag(holder) is not None:  # (and how much of it was: `amount_captured` 0 while held)
            before = copy.deepcopy(holder)
            totals.as_flagged(holder, done_flag(holder))
            changed = changed or holder != before
        if told_to == "hold":  # (and the states of its parts: a payment held is its card's `AUTHORIZED`)
            changed = _parts_told(spec, schema, within, holder, told_to) or changed
        state = next((holder[k] for k in holder if str(k).lower() in ("status", "state")), None)
        if state is not None:  # (how much of it may be captured, and was received: `amount_capturable` while held)
            before = copy.deepcopy(holder)
            totals.as_held(holder, standing(state))
            changed = changed or holder != before
    return candidate if changed and fits(candidate) else body


def _json_api_resource(held) -> bool:
    """Whether `held` is a JSON:API resource object: its `type`, and its fields in `attributes`."""
    return isinstance(held, dict) and isinstance(held.get("attributes"), dict) and "type" in held


def _said_states(spec: dict, schema, envelope, key) -> list:
    """The states a state in free text takes, as its description lists them in capitals (Square's payment
    `status`, "Indicates whether the payment is APPROVED, PENDING, COMPLETED, CANCELED, or FAILED.")."""
    node = _schema_within(spec, schema, envelope)
    field = deref(spec, property_schema(spec, node, key) or {})
    said = str(field.get("description") or "") if isinstance(field, dict) and field.get("type") == "string" else ""
    # (else in code spans, Stripe's refund `status`: "This can be `pending`, `requires_action`, `succeeded`, ...")
    spans = re.findall(r"`([a-z][a-z_]+)`", said)
    return list(dict.fromkeys(re.findall(r"\b[A-Z][A-Z_]{2,}\b", said) or (spans if len(spans) > 1 else [])))


def _parts_told(spec: dict, schema, envelope, holder: dict, told_to: str) -> bool:
    """Put each object `holder` holds that has a state of its own in the state its creation was told to make it in
    (`states.told_state`: a card payment's details held `AUTHORIZED`, not the example's `CAPTURED`), in place;
    whether any changed."""
    from .states import told_state

    node = _schema_within(spec, schema, envelope)
    changed = False
    for name, part in holder.items():
        if not isinstance(part, dict):
            continue
        inner = deref(spec, property_schema(spec, node, name) or {})
        for key in [k for k in part if str(k).lower() in ("status", "state") and isinstance(part[k], str)]:
            state = told_state(told_to, _enum_of(spec, inner, None, key) or _said_states(spec, inner, None, key))
            if state is not None and part[key] != state:
                part[key], changed = state, True
    return changed


def started(api, operation_id: str, schema, body, fits, sent, now):
    """A new resource whose creation says when it starts (`start_date`, `starts_at`, or a moment its description
    calls the start: Lago's `subscription_at`) and whose state's enum has a state of running (`active`): in that
    state where it was sent no start, or one not after now, with its start and `started_at` said (the start
    sent, else now); else in its first state, not started (`started_at` null). Lago's and Square's subscriptions
    made to start at once were answered `pending`, their start the example's of 2022."""
    from .filters import moment_of
    from .moments import _like, nullable, reached

    found = _start_of(api, operation_id)
    if not isinstance(body, dict) or not now or found is None:
        return body
    within, name = found
    sent = sent if isinstance(sent, dict) else {}
    given = sent.get(within) if within is not None else sent
    given = given if isinstance(given, dict) else {}
    at = datetime.fromisoformat(now)
    when = moment_of(given.get(name)) if given.get(name) is not None else at
    if when is None:
        return body
    when = when if isinstance(when, datetime) else datetime.combine(when, datetime.min.time(), timezone.utc)
    begun = when.date() <= at.date() if given.get(name) is not None and len(str(given[name])) == 10 else when <= at
    candidate, mirror = copy.deepcopy(body), _Mirror(api.spec, schema)
    envelope = envelope_of(candidate)
    holders = [(candidate, mirror.root, sent)]
    if envelope is not None:
        holders.append((candidate[envelope], mirror.field(mirror.root, envelope), given))
    for holder, node, said in holders:
        for key in [k for k in holder if str(k).lower() in ("status", "state") and k not in said]:
            states = [v for v in (mirror.field(node, key) or {}).get("enum") or () if isinstance(v, str)]
            running = next((v for word in _RUNNING for v in states if _bare(v) == word), None)
            if running is None:
                continue
            if not begun:
                holder.update({k: None for k in holder
                               if _bare(k) in ("startedat", "startedon") and nullable(mirror, node, k)})
                continue
            holder[key] = running
            if name in holder and name not in said and holder[name] is not None:
                holder[name] = _like(holder[name], at)
            reached(holder, node, mirror, ["started"], when.isoformat())
    return candidate if candidate != body and fits(candidate) else body


# The states of a resource running (of a subscription, a plan, a contract, a mandate), once it has started.
_RUNNING = ("active", "started", "running", "live", "inforce", "ongoing")
# A description's first sentence saying a moment is the start ("The start date for the subscription").
_START_SAID = re.compile(r"\b(start|begin)(s|ning|ing)?\b.*\b(date|time|moment)\b|\bthe\s+(start|begin)"
                         r"|\b(date|time)\s+(to|of)\s+start", re.IGNORECASE)


def _start_of(api, operation_id: str):
    """(the object it is sent in or None, the field) of a creation's body that says when the resource starts: a
    moment named for its start (`start_date`, `startsAt`, `start_time`), or whose description's first sentence
    says it is the start (Lago's `subscription_at`, "The start date for the subscription"); None where none does."""
    root = sent_schema(api, operation_id)
    if not isinstance(root, dict):
        return None
    mirror = _Mirror(api.spec, root)
    places = [(None, root)] + [(key, mirror.field(root, key)) for key in root.get("properties") or ()]
    for within, node in places:
        for key in (node or {}).get("properties") or ():
            field = mirror.field(node, key) or {}
            if field.get("format") not in ("date", "date-time") and not re.search(r"(at|date|time|on)$", _bare(key)):
                continue
            said = re.split(r"\.\s", str(field.get("description") or ""), maxsplit=1)[0]
            if (re.search(r"start|begin", _bare(key)) and not re.search(r"restart|end", _bare(key))) \
                    or (_START_SAID.search(said) and not re.search(r"\bend", said, re.I)):
                return within, key
    return None


def not_yet_reached(spec: dict, schema, body, fits, sent, now):
    """A new resource's answer without the moments, and the reasons, of the states it has not reached (moments.unreached:
    Lago's pending subscription was answered with the example's `terminated_at`; Stripe's charge made pending with a
    `failure_code`), nor the moments of what its flags say it has not done (moments.unflagged: `captured_at` beside
    `captured: false`), at the top or in the envelope."""
    from .moments import unflagged, unreached

    if not isinstance(body, dict):
        return body
    candidate, mirror = copy.deepcopy(body), _Mirror(spec, schema)
    envelope = envelope_of(candidate)
    sent = sent if isinstance(sent, dict) else {}
    holders = [(candidate, mirror.root, sent)]
    if envelope is not None:
        holders.append((candidate[envelope], mirror.field(mirror.root, envelope), sent.get(envelope, sent)))
    # (a JSON:API resource's fields, its state among them, are in its `attributes`: Unit's account opened `Open` with
    # a drawn `closeReason`)
    holders += [(holder["attributes"], mirror.field(node, "attributes"), given.get("attributes") if isinstance(
        given, dict) and isinstance(given.get("attributes"), dict) else {}) for holder, node, given in list(holders)
        if _json_api_resource(holder)]
    for holder, node, given in holders:
        for key in [k for k in holder if str(k).lower() in ("status", "state") and isinstance(holder[k], str)]:
            unreached(holder, node, mirror, (key, holder[key]), given, now)
        unflagged(holder, node, mirror, given)
    return candidate if candidate != body and fits(candidate) else body


def steps_not_taken(api, operation_id: str, schema, body, fits, sent):
    """A new resource's answer without the objects telling of steps its actions take it through and none has yet:
    a nullable object at its top named for the noun of a verb the API acts on its kind by (`approval` of
    `POST /ach_transfers/{id}/approve`, `submission` and `settlement` of `/simulations/ach_transfers/{id}/submit`
    and `/settle`) is null, unless its client sent it (action_verbs). Increase's ACH transfer was made holding
    the example's approval, submission and acknowledgement, of 2020, while waiting for its approval."""
    from .moments import nullable
    from .states import verbs_of

    verbs = action_verbs(api, operation_id)
    if not isinstance(body, dict) or not verbs:
        return body
    mirror, sent = _Mirror(api.spec, schema), sent if isinstance(sent, dict) else {}
    steps = [key for key, value in body.items() if isinstance(value, dict) and key not in sent
             and set(verbs_of(key)) & verbs and nullable(mirror, mirror.root, key)]
    if not steps:
        return body
    candidate = {**body, **{key: None for key in steps}}
    return candidate if fits(candidate) else body


def action_verbs(api, operation_id: str) -> set:
    """The verbs of the actions a spec declares on the kind an operation makes: the last segment of each POST one
    below an id in the kind's collection (`/ach_transfers/{id}/approve`), under whatever prefix
    (`/simulations/ach_transfers/{id}/settle`)."""
    known = api.derived.setdefault("action_verbs", {})
    if operation_id not in known:
        template = (_located(api, operation_id)[0] or "").rstrip("/")
        collection = template.rsplit("/", 1)[-1] if template and "{" not in template.rsplit("/", 1)[-1] else ""
        shape = re.compile(r".*/" + re.escape(collection) + r"/\{[^}/]+\}/([^{}/]+)/?") if collection else None
        known[operation_id] = {_bare(found.group(1)) for _, method, path, _ in api.spec_operations()
                               if shape is not None and method.lower() == "post" and (found := shape.fullmatch(path))}
    return known[operation_id]


def _schema_within(spec: dict, schema, envelope) -> dict:
    """The schema of what `schema` holds in `envelope`: a property's name, or the names down to it (a JSON:API
    resource's `("data", "attributes")`); `schema` itself where None."""
    node = _merge(spec, [schema])
    for step in (envelope if isinstance(envelope, tuple) else () if envelope is None else (envelope,)):
        node = _merge(spec, [property_schema(spec, node, step) or {}])
    return node


def _enum_of(spec: dict, schema, envelope, key) -> list:
    """The values the enum of `key` declares (in the `envelope` where one is named), null left out."""
    node = _schema_within(spec, schema, envelope)
    field = deref(spec, property_schema(spec, node, key) or {})
    if isinstance(field, dict) and "allOf" in field:
        field = _merge(spec, [field])
    return [v for v in (field.get("enum") or ()) if v is not None] if isinstance(field, dict) else []


def _first_of_enum(spec: dict, schema, envelope, key):
    return _first_of_values(_enum_of(spec, schema, envelope, key))


def _unsaid(state, said: list):
    """The first of the states a free-text state's prose lists (`said`) where `state`, drawn, is none of them (Stripe's
    refund made `status: "sample"`, its prose listing `pending`, `requires_action`, `succeeded`, ...); else None."""
    return _first_of_values(said) if said and state not in said else None


def _first_of_values(values: list):
    """The state a new resource starts in, of the states `values` lists (an enum, or those its prose lists)."""
    if not values:
        return None
    # Enums are often listed alphabetically (Finix's CANCELED, PENDING, FAILED, ...; Brazil's AUTHORISED,
    # AWAITING_AUTHORISATION, ...): a value that reads as a beginning first, else the first that does not
    # read as an end, else the first.
    # Of several beginnings, the one `_BEGINNINGS` lists first: Stripe's alphabetical `canceled, processing,
    # requires_action, ...` starts in `requires_action`, not in `processing` (a payment under way); one named for
    # being made, `created` or `new`, before `pending` (PayPal's authorization is made `CREATED`; `PENDING` is one
    # held for review).
    words = [re.sub(r"[^a-z]", "", str(v).lower()) for v in values]
    # An enum its authors ordered as the life it tells (not alphabetically) and that opens with a beginning starts
    # there: Mollie's payment `open, pending, authorized, paid, ...` is made `open` (pending is one under way),
    # as its examples of a creation show; unless a state named for being made comes later (`PENDING, CREATED`). A
    # state of work under way (`processing`) opens no life: of `processing, pending, completed`, pending is first.
    if len(values) > 2 and words[0].startswith(_BEGINNINGS) and not words[0].startswith(_UNDER_WAY) \
            and words != sorted(words) \
            and not any(word.startswith(_BEGINNINGS[:2]) for word in words[1:]):
        return values[0]
    beginnings = [(next(rank for rank, word in enumerate(_BEGINNINGS) if w.startswith(word)), at, v)
                  for at, (v, w) in enumerate(zip(values, words)) if w.startswith(_BEGINNINGS)]
    return min(beginnings)[2] if beginnings else \
        next((v for v, w in zip(values, words) if not w.startswith(_ENDS_OF_LIFE)), values[0])


# (`draft` before `open`: an invoice is drafted, then opened to be paid, Stripe's `draft, open, paid, ...`;
# `queued` before `received`: Twilio's message is made `queued`, `received` being a message sent to its number)
_BEGINNINGS = ("created", "new", "initial", "pending", "queued", "initiated", "awaiting", "requires", "submitted", "received", "draft",
               "open", "provisioning", "processing", "inprogress", "accepted", "rcvd", "pdng")
_UNDER_WAY = ("provisioning", "processing", "inprogress")
_ENDS_OF_LIFE = ("cancel", "fail", "reject", "declin", "expir", "void", "revok", "closed", "deleted", "error",
                 "unknown", "returned", "reversed", "refunded", "authorised", "authorized", "completed", "succeeded",
                 "settled", "paid", "done")


def envelope_of(body) -> str | None:
    """The property of an answer that holds what it is about (`{"member": {...}}`, `{"data": {...}}`): its
    `data` (`Data` in the UK's open banking), else its one object, else, in an answer made of nothing but
    resources (`{"subscription": {...}, "customer": {...}, "card": {...}}`, as Chargebee answers), the first,
    which the answer is about; None when there is no such property."""
    if not isinstance(body, dict):
        return None
    # (a header of the API's own beside the resource's fields is none: PolishAPI's `responseHeader`)
    inner = [key for key, value in body.items() if isinstance(value, dict) and not _bare(key).endswith("header")]
    if len(inner) > 1 and all(isinstance(value, (dict, list)) or value is None for value in body.values()):
        inner = [key for key in inner if _bare(key) not in _BESIDE] or inner
        return next((key for key in inner if str(key).lower() == "data"), inner[0])
    return next((key for key in inner if str(key).lower() == "data"), inner[0] if len(inner) == 1 else None)


# What an answer holds beside the resource it is about, never the resource itself.
_BESIDE = frozenset(("links", "meta", "metadata", "pagination", "paging", "errors", "warnings", "included"))


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
    mirror = _Mirror(spec if spec is not None else _NO_SPEC, schema or {})  # no spec: nothing counts as declared
    whole = copy.deepcopy(body)
    mirror.overlay(whole, sent, mirror.root, resource=True, root=enveloped)
    if fits(whole):
        return whole
    return _echo_fields(body, sent, fits, (), mirror)


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

# Fields whose value is never sent back, whatever the answer's schema declares.
_SECRET = re.compile(r"(password|passcode|passphrase|secret|cvc|cvv|cvv2|securitycode|pin)$")


class _Mirror:
    """How an answer's schema takes what the request sent: the schema of each declared field, and whether
    a value fits it."""

    def __init__(self, spec: dict, schema):
        self.spec = spec
        self.root = self.resolved(schema)
        self._schemas = schemas_of(spec)

    def resolved(self, node, depth: int = 0):
        node = flattened(self.spec, node)
        if not isinstance(node, dict):
            return None
        # a nullable reference written as the one branch of an `anyOf`/`oneOf` (`anyOf: [{$ref: Data}]`, `nullable`;
        # beside `{type: null}` or `{enum: [null]}`) is that branch: its fields are declared there (Square's event `data`)
        branches = [branch for branch in node.get("anyOf") or node.get("oneOf") or ()
                    if not (isinstance(branch, dict) and (branch.get("type") == "null" or branch.get("enum") == [None]))]
        if len(branches) == 1 and not node.get("properties") and depth < 8:
            inner = self.resolved(branches[0], depth + 1)
            return inner if inner is not None else node
        return node

    def field(self, node, key):
        """The schema `node` declares for `key` (in `properties`), or None."""
        if node is None:
            return None
        found = (node.get("properties") or {}).get(key)
        if found is None and not node.get("properties") and isinstance(node.get("additionalProperties"), dict):
            found = node["additionalProperties"]  # a map's values (`metadata`, `tags`)
        if found is None and not node.get("properties"):
            # one of several shapes of its own (NextGenPSD2 reads a payment as one of its products): the field as
            # each branch declaring it declares it, where they agree (a `debtorAccount` sent whole was answered
            # merged into the draw, with a BBAN, a PAN and an MSISDN beside the IBAN sent)
            declared = [(self.resolved(branch) or {}).get("properties") or {}
                        for branch in node.get("oneOf") or node.get("anyOf") or ()]
            fields = [branch[key] for branch in declared if key in branch]
            found = fields[0] if fields and all(field == fields[0] for field in fields) else None
        return self.resolved(found) if found is not None else None

    def items(self, node):
        return self.resolved(node.get("items")) if isinstance(node, dict) else None

    def as_sent(self, node, value: dict) -> bool:
        """Whether `value`, sent whole, is the answer's value as it is: it fits, and each field is declared, or
        the schema declares none (a map: `metadata`, `tags`; a free-form object; a `oneOf` of shapes)."""
        return (node is not None and isinstance(value, dict)
                and (set(value) <= set(node.get("properties") or ()) or not node.get("properties"))
                and self._schemas.fits(node, value))

    def overlay(self, target: dict, source: dict, node, resource: bool, keys=None, root: bool = False) -> None:
        """Put `source` over `target` (whose schema is `node`); `resource`: `target` is the answer or its
        envelope (or an item of their lists), whose own fields the server keeps; `root`: it is the answer."""
        envelope = envelope_of(target) if root else None
        if envelope is not None and self._map(self.field(node, envelope)):  # (a map is no envelope: `metadata`)
            envelope = None
        for key in source if keys is None else keys:
            if _SECRET.search(_bare(key)):
                continue
            value, sub = source[key], self.field(node, key)
            if key not in target:
                # (a list of objects too, where its schema takes it as sent: Apideck's customer read back from an
                # example holding only its id had lost the `emails` it was made with)
                if sub is not None and (_scalar(value) or self.as_sent(sub, value) or isinstance(value, list) and (
                        all(map(_scalar, value)) or self._schemas.fits(sub, value))):
                    target[key] = copy.deepcopy(value)  # a declared field the draw left out
                continue
            current = target[key]
            if isinstance(current, dict) and isinstance(value, dict):
                if not current and all(map(_scalar, value.values())):  # a map (metadata): as sent
                    target[key] = dict(value)
                elif not (resource and key == envelope) and self.as_sent(sub, value):  # the client's own value
                    target[key] = copy.deepcopy(value)
                else:
                    self.overlay(current, value, sub, resource and key == envelope)
            elif isinstance(current, list) and isinstance(value, list):
                target[key] = self.listed(current, value, sub, resource)
            elif isinstance(value, dict) and not isinstance(current, dict):  # drawn as text or null (Mollie's metadata)
                if self.as_sent(sub, value):
                    target[key] = copy.deepcopy(value)
            elif isinstance(value, list) and not isinstance(current, list):
                if sub is not None and self._schemas.fits(sub, value):
                    target[key] = copy.deepcopy(value)
            elif isinstance(current, dict) and isinstance(value, str) and "id" in ((sub or {}).get("properties") or {}) \
                    and not self._schemas.fits(sub, value):
                # an object the client named by its id: the one it named (Stripe makes a card with
                # `cardholder=ich_...` and answers the cardholder whole; it was drawn with an id of its own)
                target[key] = {**current, "id": value}
            elif _scalar(value):
                target[key] = value

    @staticmethod
    def _map(node) -> bool:
        """Whether a schema is a map (`metadata`: values under keys of the client's choosing), not an object."""
        return isinstance(node, dict) and not node.get("properties") and isinstance(node.get("additionalProperties"), dict)

    def listed(self, current: list, sent: list, node, resource: bool) -> list:
        """A list answered as sent: scalars as they are; objects item by item over the drawn items (the first
        for every item past them), which keep the fields the server owns."""
        if all(map(_scalar, sent)):
            return list(sent)
        if not all(isinstance(item, dict) for item in sent):
            return current
        drawn = [item for item in current if isinstance(item, dict)]
        if not drawn:
            return copy.deepcopy(sent)
        items = self.items(node)
        out = []
        for index, item in enumerate(sent):
            template = copy.deepcopy(drawn[min(index, len(drawn) - 1)])
            if index >= len(drawn):
                _fresh_ids(template, index)
            self.overlay(template, item, items, resource)
            out.append(template)
        return out


def _fresh_ids(item: dict, index: int) -> None:
    """An item made from another's draw gets ids of its own (the second contact of a request answered with the
    first one's ContactID was the same contact; two payout items shared one `payout_item_id`): a UUID another
    UUID, any other id the same text with its last characters drawn again, each of its own kind (a digit for a
    digit, an upper-case letter for one), so a pattern the first took takes it too."""
    for key, value in item.items():
        if not isinstance(value, str) or not re.search(r"(id|guid|uuid)$", str(key).lower()):
            continue
        if UUID_TEXT.fullmatch(value):
            item[key] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{value}/{index}"))
        elif re.fullmatch(r"[A-Za-z0-9_-]{6,}", value):
            rng = random.Random(f"{value}/{index}")
            tail = [rng.choice(string.digits if c.isdigit() else string.ascii_uppercase if c.isupper() else
                               string.ascii_lowercase if c.islower() else c) for c in value[-6:]]
            item[key] = value[:-6] + "".join(tail)


def _echo_fields(body: dict, sent: dict, fits, at: tuple, mirror: _Mirror) -> dict:
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


def _scalar(value) -> bool:
    """A value an answer can carry as the client sent it (an integer past 64 bits is written as a float)."""
    if isinstance(value, bool) or isinstance(value, str) or value is None:
        return True
    if isinstance(value, int):
        return -(1 << 63) <= value < 1 << 63
    return isinstance(value, float) and math.isfinite(value)
