"""What an answer drawn from a spec says about the request it answers.

An answer generated from a schema (or taken from an example) is about some resource; a client reads it
as about the one it asked for. So it carries what the request sent (echoes.echo) and the request id it
carried (`correlated`), the ids its path and required query named (`named_by_path`, also in an envelope, in
its lists' items, and for an action on a resource), ids of its own for each idempotency key (`own_ids`) that
its read takes (`readable_id`), is the last page of a list (paging.one_page: links, flags, cursors,
counters), and a resource just created starts in its first state (beginnings.just_created); a creation's
`Location` names where it is read (`location`). Every change is kept only where the answer still fits its
schema (`fits`).
"""

from __future__ import annotations

import copy
import random
import re
import uuid
from urllib.parse import quote, urlencode, urlsplit

from . import client_ids, totals
from .addresses import LAST_PARAMETER, _filled, _own_id, _request_url, parameters_in, path_value, sent_query, served
from .beginnings import (_declared_flags, _first_of_enum, _named_moment, action_verbs, just_created, not_yet_reached,
                         started, steps_not_taken, unsent_as_default)
from .changes import batch_key
from .echoes import _each_echoed, _named_in, echo, objects_named_by_ids, texts_in
from .fallback import (_id_or_object, _is_null, _located, _merge, _seed, deref, flattened, generate, idempotency_keys,
                       own_card_numbers, property_schema, sent_last_fours)
from .formats import UUID_TEXT
from .jws import carries_json
from .mirror import Mirror, _at, _scalar, envelope_of, sent_schema
from .names import AN_ID, _GENERIC_IDS, _bare, _singular
from .paging import AFTER_CURSORS, _ITEMS, _PAGE, _SIZES, _STARTS, held_links, one_page, resource_links, within_window
from .schemas import schemas_of
from .states import state_field


def about_the_request(api, operation_id: str, status: int, request: dict, body, schema, fits, drawn: bool = True):
    """A success answer made about the request: what the workspace kept of its resource, what it sent, the ids
    its path named, one page, a new resource's first state."""
    from .remembered import _batched_like, as_kept, as_listed, as_viewed
    from .roles import address
    from .states import returning_verb

    body = as_kept(api, request, body, schema, fits)
    body = as_listed(api, operation_id, request, body, schema, fits)  # (one never made here, as its list shows it)
    if drawn:  # (a page of ones never made here, each as its read draws it)
        from .listing import drawn_items_as_read
        body = drawn_items_as_read(api, operation_id, request, body, fits)
    kept = request.get("remembered") or {}
    # A change of a kept resource carries all it was sent, its own body merged in (RFC 7386: a null removes).
    sent = kept["sent"] if kept.get("role") == "change" else _as_answered(api, operation_id, request.get("body"), schema)
    sent = in_answer_names(sent, (Mirror(api.spec, schema).root or {}).get("properties") or {}) if isinstance(schema, dict) else sent
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
            mirror = Mirror(api.spec, schema)
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
    if drawn and request.get("drawn_collection") is not None:  # (the page asked of a drawn collection)
        from .listing import drawn_page
        body = drawn_page(api, operation_id, request, body, fits)
    body = one_page(api, operation_id, request, body, fits, schema)
    body = linked_here(api, request, body, fits)
    body = authorization_answered(api, request, body, fits)
    body = links_of_its_own(api, request, body, fits)
    body = relations_linked(api, operation_id, request, body, schema, fits)
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
        body = unlinked(api, body, schema, request.get("body") if made else None, fits, request.get("path"))
    # (made by an action's verb under the resource it acts on: `capture` of `/authorizations/{id}/capture`; or in a
    # collection named for a verb returning money: `refund` of `/refunds`)
    verb = re.fullmatch(r".*/\{[^}/]+\}/([^{}/]+)/?", template)
    verb = _bare(verb.group(1)) if verb else returning_verb(template.rstrip("/").rsplit("/", 1)[-1])
    body = just_created(api.spec, schema, body, fits, request.get("body"), verb,
                        _declared_flags(api, operation_id), action_verbs(api, operation_id)) if made else body
    body = unsent_left_out(api, operation_id, request, body, schema, fits) if made else body
    body = unsent_as_default(api, operation_id, schema, body, fits, request.get("body")) if made else body
    if made:  # (a card's number of its own, not its example's)
        own = next((value for key, value in (body.items() if isinstance(body, dict) else ())
                    if _bare(key) in ("id", "token", "guid", "uuid") and isinstance(value, (str, int))), None)
        body = own_card_numbers(body, request.get("body"), fits, f"{own}:{request.get('made_before')}")
        body = sent_last_fours(body, request.get("body"), fits)
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
    if request.get("derived") is not None:  # (what the owner's kept sources stand for)
        from .sources import as_derived
        body = as_derived(api, operation_id, request, body, fits)
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
    mirror = Mirror(api.spec, schema)
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


# An envelope's boolean saying the call worked (Paystack's `{"status": true, "message", "data"}`).
_SUCCESS_FLAGS = ("status", "success", "ok", "succeeded")


def read_noun(kind: str | None, name: str) -> str | None:
    """The noun, singular, of the segment a read's path parameter `name` follows (`card` of `/cards/{card_token}`);
    None where no segment comes before it."""
    before = re.search(r"([^/{}]+)/\{" + re.escape(name) + r"\}", kind or "")
    return _singular(before.group(1)) if before else None


def succeeded(body, fits, drawn: bool = False):
    """A success answer whose envelope says so: a boolean `status`/`success`/`ok` at its top is true, and a list of
    errors the draw put beside what it answers (Square's `{payment, errors}`; messages with a code, NextGenPSD2's
    `tppMessages: [{category, code, text}]`) is left out, else empty. Drawn, half of Paystack's successes said
    `"status": false`, which its clients read as a failure, a Square-style answer drawn from its schema carried a
    `RATE_LIMIT_ERROR` beside the widget it made, and NextGenPSD2's payment was read with a message of category
    `ERROR`."""
    if not isinstance(body, dict):
        return body
    body = _shape_said(body, fits)
    keys = [k for k, v in body.items() if str(k).lower() in _SUCCESS_FLAGS and v is False]
    errors = [k for k, v in body.items() if drawn and isinstance(v, list) and v and len(body) > 1
              and all(isinstance(item, dict) for item in v) and (_bare(k) == "errors" or _bare(k).endswith(
                  "messages") and all(any(_bare(name) == "code" for name in item) for item in v))]
    if not keys and not errors:
        return body
    candidate = {**body, **{k: True for k in keys}}
    for key in errors:
        left_out = {k: v for k, v in candidate.items() if k != key}
        candidate = left_out if fits(left_out) else {**candidate, key: []}
    return candidate if fits(candidate) else body


def _shape_said(body: dict, fits) -> dict:
    """`body`, a success, saying what it holds where a text at its top names it among the shapes an answer takes
    (`object`, `array`, `none`, `error`): `object` beside one object it envelops, `array` beside a list, `none`
    beside neither. Drawn, Straddle-style answers (`{meta, response_type, data}`, which its guide tells clients to
    read before anything else) said `array` of one customer and `error` of a paykey made."""
    holds = [value for key, value in body.items() if isinstance(value, (dict, list)) and _bare(key) not in _BESIDE_DATA]
    said = "object" if len(holds) == 1 and isinstance(holds[0], dict) else "array" if len(holds) == 1 else "none" \
        if not holds else None
    for key in [k for k, v in body.items() if isinstance(v, str) and v in _SHAPES and v != said]:
        candidate = {**body, key: said}
        if said is not None and fits(candidate) and not fits({**body, key: "sample-shape"}):
            body = candidate
    return body


# The shapes an answer names itself by, and what an envelope holds beside what it answers (its `meta`, `links`).
_SHAPES = ("object", "array", "none", "error", "list")
_BESIDE_DATA = ("meta", "metadata", "links", "link", "pagination", "paging", "page", "errors", "warnings")


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
    if not reads:  # an action under another version of the read's path (`/invoices/{id}/expire!` of `/v2/invoices/{id}`)
        reads = [(path, op) for path, op in gets if _unversioned(path) == _unversioned(found.group(1))]
    # the same schema, or one of the same fields (Square's CompletePaymentResponse and GetPaymentResponse, whose
    # fields differ in their descriptions only; PayPal's order_authorize_response and order)
    own, read = _success_schema(api.spec, operation), reads[0][1] if reads else None
    alike = reads and (same_kind(api.spec, own, _success_schema(api.spec, read))
                       or _enveloped_alike(api.spec, own, _success_schema(api.spec, read))
                       or _part_of_read(api.spec, own, _success_schema(api.spec, read), found.group(2)))
    return (reads[0][0], found.group(2)) if alike and not _read_elsewhere(api, own, reads[0][0]) else None


def _part_of_read(spec: dict, own, read, name: str) -> bool:
    """Whether an action's answer (`own`) is a part of the resource its read answers: fields the read has, fewer
    of them, among them the one its path names (`reference` of `{reference}`) and its state (the ePayment API's
    capture answers `{reference, state, amount, aggregate, pspReference}` of the payment it read with four more:
    no action was seen, each capture drawn its state and left the payment as made)."""
    mine = _field_names(spec, own)
    if len(mine) != 1 or not mine[0] or not isinstance(read, dict):
        return False
    fields = mine[0]
    return (any(fields < theirs for theirs in _field_names(spec, read)) and any(_bare(key) == _bare(name) for key in fields)
            and any(state_field(key) for key in fields))


def _read_elsewhere(api, own, acted: str) -> bool:
    """Whether the schema `own` an action answers is the very one another kind is read as, at a path of its own
    (`/captures/{capture_id}`), and not the resource at `acted`'s: what the action answers is one of those, made
    under the resource acted on, however alike their fields (a capture holding an authorization's fields and
    more, PayPal-style, was taken for the authorization captured: answered under its id, and no capture kept)."""
    if not isinstance(own, dict) or own is read_answer(api, acted) or own == read_answer(api, acted):
        return False
    return any(method.lower() == "get" and path_shape(path) != path_shape(acted) and re.search(r"\}/?$", path)
               and _success_schema(api.spec, operation) is own for _, method, path, operation in api.spec_operations())


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


def _unversioned(path: str) -> str:
    """A path's shape without the version segment it starts with (`/v2/invoices/{}` -> `/invoices/{}`)."""
    parts = path_shape(path).split("/")
    return "/".join(parts[:1] + parts[2:]) if len(parts) > 2 and _VERSION_SEGMENT.fullmatch(parts[1]) else "/".join(parts)


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
    others = api.derived.setdefault("body_reads_of_nouns", {})
    if template and template not in others:
        others[template] = _read_of_another_noun(api, template)
    if template and others[template] is not None:
        return others[template]
    known = api.derived.setdefault("body_reads", {})
    if stem not in known:
        known[stem] = _body_read(api, stem)
    if known[stem] is None and template:  # (made at the family's stem itself: India's Account Aggregator `POST /Consent`)
        own = api.derived.setdefault("body_reads_below", {})
        if template not in own:
            own[template] = _read_of_answered_id(api, template.rstrip("/"))
        return own[template]
    return known[stem]


def _rpc_stem(api, stem: str) -> bool:
    """Whether `stem` may be an RPC-style family's: a literal path no GET reads at or just below (a REST path)."""
    return bool(stem) and "{" not in stem and not any(
        m.lower() == "get" and re.fullmatch(re.escape(stem) + r"(/[^/]+)?/?", path) for _, m, path, _ in api.spec_operations())


def _body_read(api, stem: str) -> tuple | None:
    if not _rpc_stem(api, stem):
        return None
    noun = _bare(_singular(_stem_noun(stem)))
    named = _read_by_verb(api, stem, noun) if len(noun) >= 3 else None
    made = _answered_ids(api, stem)
    if named is not None and named[1] in made and made[named[1]][1] != named[0].rstrip("/"):
        return named  # (made by another call of the family: PolishAPI's `domestic` answers `getPayment`'s paymentId)
    return _read_of_answered_id(api, stem, made) or named


def _read_of_another_noun(api, template: str) -> tuple | None:
    """(path, body field) of a second kind an RPC-style family makes and reads beside its own, where `template` is one
    of its two calls: a POST named by its noun alone (PolishAPI's `/payments/v2_1_1.1/bundle`, in the family of
    payments) answering `<noun>Id`, and one named by a reading verb and that noun (`getBundle`) whose body declares it.
    A bundle of payments was kept nowhere: `bundle` answered a drawn `bundleId` and `getBundle` read any id, drawn."""
    stem, _, last = template.rstrip("/").rpartition("/")
    noun = _bare(_singular(re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", last)[-1]))
    if len(noun) < 3 or not _rpc_stem(api, stem) or noun == _bare(_singular(_stem_noun(stem))):
        return None
    read = maker = None
    for op_id, m, path, op in api.spec_operations():
        at, _, called = path.rstrip("/").rpartition("/")
        if m.lower() != "post" or at != stem or "{" in path:
            continue
        if _bare(called) in [verb + noun for verb in _READING_ONE]:
            fields = (sent_schema(api, op_id) or {}).get("properties") or {}
            read = next(((path, name) for name in fields if _bare(name) == noun + "id"), read)
        elif _bare(called) == noun:
            answer = Mirror(api.spec, _success_schema(api.spec, op)).root
            if isinstance(answer, dict) and any(_bare(name) == noun + "id" for name in answer.get("properties") or ()):
                maker = path
    if read is None or maker is None or template.rstrip("/") not in (read[0].rstrip("/"), maker.rstrip("/")):
        return None
    return read


def _read_by_verb(api, stem: str, noun: str) -> tuple | None:
    """(path, body field) of a POST under `stem` named by a reading verb (`get`, `getPayment`), taking the stem's
    noun and `id` (`transfer_id`) or `id` in its body."""
    for op_id, m, path, op in api.spec_operations():
        last = path.rstrip("/").rsplit("/", 1)
        called = _bare(last[-1])
        if m.lower() != "post" or last[0] != stem or not any(called in (verb, verb + noun) for verb in _READING_ONE):
            continue
        answer = Mirror(api.spec, _success_schema(api.spec, op)).root
        if not isinstance(answer, dict) or answer.get("type") == "array" or not answer.get("properties"):
            continue
        fields = (sent_schema(api, op_id) or {}).get("properties") or {}
        name = next((name for wanted in (noun + "id", "id") for name in fields if _bare(name) == wanted), None)
        if name is not None:
            return path, name
    return None


# An id-like field a creation answers for its client to name what it made by: an id, or a handle or token for it.
_HANDED = re.compile(r"(^|[_\-.])(handle|token)$|[a-z0-9](Handle|Token)$")


def _answered_ids(api, stem: str, made_at_stem: bool = False) -> dict:
    """{field: (operationId, path, answer's fields)} of the id-like fields (`*Id`, `*Handle`, `sessionId`) the POSTs
    at `stem` or just below it (only at it, with `made_at_stem`) answer, required at their answer's top."""
    made = {}
    for op_id, m, path, op in api.spec_operations():
        path = path.rstrip("/")
        if m.lower() != "post" or "{" in path or path != stem and (made_at_stem or path.rsplit("/", 1)[0] != stem):
            continue
        answer = Mirror(api.spec, _success_schema(api.spec, op)).root
        for name in (answer.get("required") or ()) if isinstance(answer, dict) else ():
            if AN_ID.search(name) or _HANDED.search(name):
                made.setdefault(name, (op_id, path, set(answer.get("properties") or ())))
    return made


def _read_of_answered_id(api, stem: str, made: dict | None = None) -> tuple | None:
    """(path, body field) of a POST beside others under `stem` that reads what one of them made by the id-like field
    it answered (`_answered_ids`), whatever the calls' names: its body requires that field and no more than the
    envelope the creation's body requires too, and it answers more than the creation did (not an action answering
    its envelope alone). India's Account Aggregator makes a consent request at `POST /Consent`, answering its
    `ConsentHandle`, read by `POST /Consent/handle {ConsentHandle}`, and a data session at `POST /FI/request`,
    answering its `sessionId`, read by `POST /FI/fetch {sessionId}`: named by no reading verb, or under a stem too
    short to be a noun, none was kept; each creation answered the example's handle, and any handle or session was
    read. Without `made`, only a creation at the stem itself counts (the stem's own POST, whose family `body_read`
    otherwise looks for one level up)."""
    if not _rpc_stem(api, stem):
        return None
    made = _answered_ids(api, stem, made_at_stem=True) if made is None else made
    # (a call named by a reading verb first, where several take the id)
    reading = lambda path: not any(_bare(path.rstrip("/").rsplit("/", 1)[-1]).startswith(verb) for verb in _READING_ONE)  # noqa: E731
    for op_id, m, path, op in sorted(api.spec_operations(), key=lambda found: reading(found[2])):
        if m.lower() != "post" or "{" in path or path.rstrip("/").rsplit("/", 1)[0] != stem:
            continue
        answer = Mirror(api.spec, _success_schema(api.spec, op)).root
        if not isinstance(answer, dict) or answer.get("type") == "array" or not answer.get("properties"):
            continue
        required = set((sent_schema(api, op_id) or {}).get("required") or ())
        called = _bare(path.rstrip("/").rsplit("/", 1)[-1])
        for name, (maker, made_at, answered) in made.items():
            # (named by a reading verb or by the word it reads by, `handle` of `ConsentHandle`: not Plaid's
            # `/asset_report/remove` or `/item/public_token/exchange`, which take what a creation answered too)
            named = not reading(path) or called in (_bare(name), _bare(_words(name)[-1]))
            if named and made_at != path.rstrip("/") and name in required and set(answer["properties"]) - answered \
                    and required - {name} <= set((sent_schema(api, maker) or {}).get("required") or ()) \
                    and not _made_elsewhere(api, stem, name):
                return path, name
    return None


def _made_elsewhere(api, stem: str, name: str) -> bool:
    """Whether a POST outside the family under `stem` answers `name` too: the family does not make all there are
    (Plaid's `access_token`, answered by `/item/import` and by `/item/public_token/exchange`, is read by `/item/get`;
    kept as `/item/import`'s alone, one exchanged would be refused there)."""
    for op_id, m, path, op in api.spec_operations():
        path = path.rstrip("/")
        if m.lower() != "post" or path == stem or path.rsplit("/", 1)[0] == stem:
            continue
        answer = Mirror(api.spec, _success_schema(api.spec, op)).root
        if isinstance(answer, dict) and name in (answer.get("required") or ()):
            return True
    return False


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


def _success_schema(spec: dict, operation, bodied: bool = False):
    """The schema of the first success answer's JSON, or of its signed JSON (`application/jwt`: Brazil's payment
    consent read answers only so, and its states were not found, so its authorisation left it awaiting). `bodied`:
    of the first success that has such a body, as the fallback answers a DELETE (NextGenPSD2's cancellation
    declares its bodiless 204 before its 202 `{transactionStatus, ...}`)."""
    for status, response in ((operation or {}).get("responses") or {}).items():
        if re.fullmatch(r"2\d\d", str(status)):
            content = (deref(spec, response) or {}).get("content") or {}
            media = next((m for t, m in content.items() if carries_json(t)), None)
            if media is None and bodied:
                continue
            return deref(spec, (media or {}).get("schema")) or None
    return None


def _success_examples(spec: dict, operation) -> list:
    """The values the first success answer's JSON media shows as its `example` and `examples`."""
    for status, response in ((operation or {}).get("responses") or {}).items():
        if re.fullmatch(r"2\d\d", str(status)):
            content = (deref(spec, response) or {}).get("content") or {}
            media = deref(spec, next((m for t, m in content.items() if carries_json(t)), None)) or {}
            shown = [media["example"]] if "example" in media else []
            shown += [(deref(spec, example) or {}).get("value") for example in (media.get("examples") or {}).values()]
            return [value for value in shown if value is not None]
    return []


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
    the request log shows. Plaid's every answer said the example's `request_id`, the same for every request. Also
    one object down, in the answer's `meta`, and named for the API's request (Straddle's `meta.api_request_id`
    said the example's, or the id of the resource read)."""
    from .fallback import _traced, trace_field

    if not isinstance(body, dict) or not request.get("interaction_id"):
        return body
    mirror = Mirror(api.spec, schema)

    def naming(node: dict, declared) -> list:
        return [key for key in node if isinstance(node[key], str) and trace_field(key)
                and _IDENTIFIES_REQUEST.search(str((mirror.field(declared, key) or {}).get("description") or ""))]
    for name in [None] + [name for name in body if isinstance(body[name], dict) and _bare(name) == "meta"]:
        holder = body if name is None else body[name]
        declared = mirror.root if name is None else mirror.field(mirror.root, name)
        keys = naming(holder, declared) if isinstance(declared, dict) else []
        if not keys:
            continue

        def placed(candidate, name=name, holder=holder) -> dict:
            return {**body, **candidate} if name is None else {**body, name: {**holder, **candidate}}
        held = _traced({key: holder[key] for key in keys}, request["interaction_id"], lambda candidate: fits(placed(candidate)))
        body = placed(held)
    return body


# A description saying a field identifies the request itself, for troubleshooting (Plaid's `request_id`).
_IDENTIFIES_REQUEST = re.compile(r"\b(for|of|identif\w*) (the|this|each|a) (api )?request\b|troubleshoot", re.IGNORECASE)


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
    from .roles import address

    method = next((m for op_id, m, _, _ in api.spec_operations() if op_id == operation_id), "").lower()
    return method in ("post", "put") and getattr(address(api, operation_id), "role", None) != "list"


def _acts_on_kept(api, operation_id: str) -> bool:
    """Whether the operation changes, acts on or marks a resource made before, rather than making one."""
    from .roles import address

    return getattr(address(api, operation_id), "role", None) in ("change", "action", "mark")


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
        inner = envelope_of(sent)  # (or sent one object down, in the request's own: `ConsentDetail.Customer`)
        if inner is not None and isinstance(sent[inner], dict) and isinstance(sent[inner].get(envelope), dict):
            sent = sent[inner]
        else:
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
    mirror = Mirror(api.spec, read_answer(api, kind))
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

    def listed(template: str, item) -> dict:
        """The id of the item of a list (`item`) for the parameter a link's path names right after the list's own
        path: NextGenPSD2's account listed at `/v1/accounts` linked its balances at `/v1/accounts/<the example's
        resourceId>/balances`, another account's, whatever its own resourceId."""
        found = re.match(re.escape(own.rstrip("/")) + r"/\{([^}/]+)\}", template) if own and item is not None else None
        return {found.group(1): item} if found else {}

    def rewrite(href: str, item=None) -> str:
        parts = urlsplit(href)
        path = parts.path[len(mount):] if mount and parts.path.startswith(mount + "/") else parts.path
        words = _path_words(api)
        for pattern, names, template, missing in [(*entry, None) for entry in templates] + _short_link_templates(api):
            found = pattern.match(path)
            # (a path's own word is no parameter's value: `/v1/payments/1234/status` is no payment named `status`;
            # a parameter a link leaves out is one the request's path gives)
            # (nor a value its parameter's enum does not hold: `/gw/v1/payments/pay-1` is no `{payment-product}`)
            if found is None or any(value in words for value in found.groups()) or \
                    missing is not None and path_value(shared(template), missing) is None or \
                    any(value not in _path_enums(api, template).get(name, (value,))
                        for name, value in zip(names, found.groups())):
                continue
            filled = _filled(template, {**shared(template), **listed(template, item)}, dict(zip(names, found.groups())))
            origin = "" if not parts.netloc else here or f"{parts.scheme}://{parts.netloc}"
            return origin + prefix + filled + (f"?{parts.query}" if parts.query else "")
        return href

    def visit(node, name=None, item=None):
        nonlocal changed
        for key, value in node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ():
            if isinstance(value, (dict, list)):  # (an item of a list, with an id of its own: what its links name)
                visit(value, key, _answered_id(value) if isinstance(node, list) and isinstance(value, dict) else item)
            elif key == "href" and isinstance(value, str) and value:
                new = rewrite(value, item)
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
    asked = posted_authorization(sent)
    if not isinstance(body, dict) or asked is None:
        return body
    fields = [k for k, v in body.items() if isinstance(v, str) and k not in sent
              and re.sub(r"[^a-z]", "", str(k).lower()).endswith(("redirecturi", "redirecturl"))]
    if len(fields) != 1:
        return body
    here, _ = served(api, request)
    query = {"response_type": asked["responsetype"], "client_id": asked["clientid"],
             "redirect_uri": asked.get("redirecturi"), "scope": asked.get("scope"), "state": asked.get("state"),
             "consent_id": posted_consent(sent)}  # (the consent the request is: the page grants it, `reach`)
    candidate = {**body, fields[0]: f"{here or ''}/oauth/authorize?" + urlencode({k: v for k, v in query.items() if v})}
    return candidate if fits(candidate) else body


def posted_authorization(sent) -> dict | None:
    """What an authorization request posted to an operation of the API asks, by its fields' letters (`responsetype`,
    `clientid`, `redirecturi`, `scope`, `state`): a JSON body sending OAuth's `response_type` beside a `client_id`;
    None for any other body."""
    if not isinstance(sent, dict):
        return None
    asked = {re.sub(r"[^a-z]", "", str(k).lower()): v for k, v in sent.items() if isinstance(v, str) and v}
    return asked if "responsetype" in asked and "clientid" in asked else None


def posted_consent(sent, depth: int = 0) -> str | None:
    """The client's own id of the consent an authorization request posted in a JSON body is, where its body names one
    at its top or in an object within two of it (PolishAPI's `scope_details.consentId`, beside the privileges asked
    for and the accounts they are of): that request is the consent, no resource of the API's own; None elsewhere."""
    if depth == 0 and posted_authorization(sent) is None or not isinstance(sent, dict) or depth > 2:
        return None
    named = next((value for key, value in sent.items() if re.sub(r"[^a-z]", "", str(key).lower()) == "consentid"
                  and isinstance(value, str) and value), None)
    return named or next((found for value in sent.values() if (found := posted_consent(value, depth + 1))), None)


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


def relations_linked(api, operation_id: str, request: dict, body, schema, fits):
    """`body`, a read of one resource, whose HAL links are a map by relation (`_links` declaring no relation of its
    own, its values links: `additionalProperties`), linking the resource itself as `self` and each list the spec
    lists one segment under its path as that segment (`/customers/{id}/transfers`: `transfers`), where the links do
    not already: Dwolla's customer was read `_links: {}`, and its SDK's callers, following `self` or
    `funding-sources`, found nothing to follow."""
    from .roles import address

    links = next((k for k, v in body.items() if str(k).lower() == "_links" and isinstance(v, dict)), None) \
        if isinstance(body, dict) and _own_id(body) else None
    if links is None or getattr(address(api, operation_id), "role", None) != "read" or schema is None:
        return body
    mirror = Mirror(api.spec, schema)
    node = mirror.field(mirror.root, links) or {}
    each = mirror.resolved(node.get("additionalProperties")) if isinstance(node.get("additionalProperties"), dict) else None
    if node.get("properties") or not isinstance(each, dict) or "href" not in (each.get("properties") or {}):
        return body
    here = _request_url(api, operation_id, {**request, "query": {}})
    template = (_located(api, operation_id)[0] or "").rstrip("/")
    if not here:
        return body
    wanted = {"self": here}
    for _, method, route, operation in api.spec_operations():
        below = route.rstrip("/")[len(template) + 1:] if route.startswith(template + "/") else ""
        if method.lower() == "get" and below and re.fullmatch(r"[^{}/]+", below) and _answers_a_list(api, operation):
            wanted.setdefault(below, f"{here}/{below}")
    candidate = copy.deepcopy(body)
    for relation, href in wanted.items():
        if relation not in candidate[links]:
            candidate[links][relation] = {"href": href}
    return candidate if candidate != body and fits(candidate) else body


def _answers_a_list(api, operation) -> bool:
    """Whether an operation's success answer is a list, or holds one at its top or one object down (HAL's
    `_embedded.transfers`), not one object (Dwolla's transfer `failure`)."""
    mirror = Mirror(api.spec, _success_schema(api.spec, operation))
    root = mirror.root or {}
    if root.get("type") == "array":
        return True
    for key in root.get("properties") or ():
        field = mirror.field(root, key) or {}
        if field.get("type") == "array" or any((mirror.field(field, inner) or {}).get("type") == "array"
                                               for inner in field.get("properties") or ()):
            return True
    return False


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


def _short_link_templates(api) -> list:
    """(pattern, parameter names, template, the one parameter left out) of each path of the spec with a literal
    segment and a parameter before its last segment, matching a link that leaves that parameter's segment out (after
    a server's prefix, as `_link_templates`): NextGenPSD2's examples link a payment's status at
    `/psd2/v1/payments/1234-wertiq-983/status`, without the
    `{payment-product}` of `/v1/{payment-service}/{payment-product}/{paymentId}/status`. Cached on the API."""
    known = api.derived.get("short_link_templates")
    if known is None:
        known = []
        for _, names, template in _link_templates(api):
            segments = template.rstrip("/").split("/")
            for at, segment in enumerate(segments[:-1]):
                found = re.fullmatch(r"\{([^}/]+)\}", segment)
                if found is None:
                    continue
                pattern = re.escape("/".join(segments[:at] + segments[at + 1:]))
                kept = [name for name in names if name != found.group(1)]
                for name in kept:
                    pattern = pattern.replace(re.escape("{" + name + "}"), "([^/]+)")
                known.append((re.compile(f"^(?:/[^/]+)?{pattern}/?$"), kept, template, found.group(1)))
        api.derived["short_link_templates"] = known
    return known


def _path_enums(api, template: str) -> dict:
    """The values each path parameter of `template` with an enum takes (as text), by its name. Cached on the API."""
    known = api.derived.setdefault("path_enums", {})
    if template not in known:
        item = (api.spec.get("paths") or {}).get(template) or {}
        declared = [*(item.get("parameters") or ()), *(parameter for operation in item.values() if isinstance(operation, dict)
                                                       for parameter in operation.get("parameters") or ())]
        enums = {}
        for parameter in (deref(api.spec, parameter) or {} for parameter in declared):
            schema = deref(api.spec, parameter.get("schema")) or {}
            if parameter.get("in") == "path" and isinstance(schema, dict) and schema.get("enum"):
                enums[parameter.get("name")] = tuple(str(value) for value in schema["enum"])
        known[template] = enums
    return known[template]


def _path_words(api) -> frozenset:
    """The literal segments of the spec's paths past their first parameter (`status`, `authorisations`): words of a
    path, never a parameter's value."""
    known = api.derived.get("path_words")
    if known is None:
        known = api.derived["path_words"] = frozenset(
            segment for template in (api.spec.get("paths") or {}) if "{" in template
            for segment in template[template.index("{"):].split("/") if segment and "{" not in segment)
    return known


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
    theirs = (Mirror(api.spec, schema).root or {}).get("properties") or {}
    renamed = {}
    for key, value in sent.items():
        reference = (mine.get(key) or {}).get("$ref") if isinstance(mine.get(key), dict) else None
        if not isinstance(value, dict) or key in theirs or reference is None:
            continue
        named = [name for name, field in theirs.items()
                 if isinstance(field, dict) and field.get("$ref") == reference and name not in sent]
        # (a name qualifying the answer's, `modificationAmount` of `amount`, says what the amount is for: an action's
        # capture of part of a payment is no new amount of the payment, which it had been kept as)
        if len(named) == 1 and not (_bare(key).endswith(_bare(named[0])) and _acts_on_kept(api, operation_id)):
            renamed[named[0]] = value
    # an amount sent as a bare number where the answer holds a money object under its name is that object's value
    # (Moov's refund sent `amount: 1000` was answered the example's `amount: {currency: USD, value: 1204}`)
    # (of an answer that is one of several shapes, the field as the first shape declaring it declares it: Moov's
    # refund is made at once or queued, both holding `amount`)
    root = Mirror(api.spec, schema).root or {}
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
    # what was sent as one object under a field the answer does not hold, the answer declaring most of its fields at
    # its top, is the answer's own (Moov's bank account linked as `{account: {holderName, ...}}`, answered bare, was
    # answered the example's holder)
    declared = {**{key: field for shape in shapes for key, field in shape.items()}, **theirs}
    only = next(iter(sent.items())) if len(sent) == 1 else None
    if only is not None and isinstance(only[1], dict) and only[0] not in declared and only[1] \
            and 2 * len(set(only[1]) & set(declared)) >= len(only[1]):
        renamed.update({key: value for key, value in only[1].items() if key in declared and key not in renamed})
    renamed.update(_sent_one_down(sent, declared, renamed))
    return {**sent, **renamed} if renamed else sent


def _sent_one_down(sent: dict, declared: dict, renamed: dict) -> dict:
    """What a request sent one object down that its answer holds at its top, where the answer holds no object of that
    name: a field of the request's envelope (one of its consent request's `ConsentDetail` fields, India's Account
    Aggregator's `Customer`, answered with a drawn `Customer.id`), and the id of an object it names by its noun and an
    id word (a data request's `Consent: {id}` is the `consentId` it answers: the example's was answered)."""
    found = {}
    envelope = envelope_of(sent)
    inner = sent[envelope] if envelope is not None and envelope not in declared and isinstance(sent[envelope], dict) else {}
    for key, value in inner.items():
        if key in declared and key not in sent and key not in renamed:
            found[key] = value
    objects = {_bare(key): value for holder in (sent, inner) for key, value in holder.items()
               if isinstance(value, dict) and key not in declared and _scalar(value.get("id")) and value.get("id") is not None}
    for name in declared:
        named = re.fullmatch(r"(.+?)[_\-]?(?:id|Id|ID)", str(name))
        if named and name not in sent and name not in renamed and name not in found and _bare(named.group(1)) in objects:
            found[name] = objects[_bare(named.group(1))]["id"]
    return found


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
    mirror = Mirror(api.spec, schema)
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


def unlinked(api, body, schema, sent, fits, path=None):
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
    # (an id its path names is named: a member's order made at `/members/{memberId}/orders` names it as `memberId`)
    at = {str(value) for value in (path or {}).values()}
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
            elif not named and _nullable(spec, sub) and _scalar(value[key]) and _kind_id(_bare(key), ids) \
                    and str(value[key]) not in at:
                # (or the one it sent naming that kind by another name: PAY.JP's customer made with a
                # `payment_method_id` has it as its `default_payment_method_id`)
                value[key] = next((held for k, held in (given.items() if isinstance(given, dict) else ())
                                   if _scalar(held) and _kind_id(_bare(k), ids) == _kind_id(_bare(key), ids)), None)
                changed = True  # (`partner_id` of `/partners/{id}`)
                stem = _bare(key)[:-len(ids[_kind_id(_bare(key), ids)])]
                stem = None if stem in ("", *_CHOSEN_WORDS) else stem  # (no noun of its own to say more by)
                for other in [k for k in value if stem and k != key and _bare(k).startswith(stem) and _scalar(value[k])]:
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
        from .roles import address

        known = {}
        for kind, name in totals.readable_kinds(api, address):
            noun = read_noun(kind, name)
            if noun is not None and _bare(name):  # (a parameter named for its noun already: PAY.JP's
                #                                    `/payment_methods/{payment_method_id}`)
                own = _bare(name) if _bare(name).startswith(_bare(noun)) else _bare(noun) + _bare(name)
                known[own] = _bare(name)
        api.derived["kind_ids"] = known
    return known


# Words before an id saying which of its kind a resource uses, the id naming that kind all the same
# (`default_payment_method_id`, `default_price_id`, `primary_account_id`).
_CHOSEN_WORDS = ("default", "primary", "preferred")


def _kind_id(bare: str, ids: dict) -> str | None:
    """The key of `ids` (`_kind_ids`) the bare field name `bare` names a kind by, after a word saying which one
    (`_CHOSEN_WORDS`), or None: PAY.JP's customer made without a payment method named one never made as its
    `default_payment_method_id`, a product its `default_price_id`."""
    return next((own for own in [bare, *(bare[len(word):] for word in _CHOSEN_WORDS if bare.startswith(word))]
                 if own in ids), None)


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
    owned = [*wanted, "status", "state"]
    holders = [(candidate, node, owned)] + ([(candidate[envelope], _merge(api.spec, [
        property_schema(api.spec, node, envelope) or {}]), owned)] if envelope is not None else [])
    # (a JSON:API resource's state is in its `attributes`: PayMongo's payment intent was made with none)
    holders += [(holder["attributes"], _merge(api.spec, [property_schema(api.spec, within, "attributes") or {}]),
                 ["status", "state"]) for holder, within, _ in list(holders)
                if "type" in holder and isinstance(holder.get("attributes"), dict)]
    for holder, within, keys in holders:
        declared = within.get("properties") or {}
        for key in keys:
            if key in declared and key not in holder:
                field = deref(api.spec, declared[key]) or {}
                if key in ("status", "state"):
                    value = _first_of_enum(api.spec, within, None, key)
                else:
                    value = generate(api.spec, field, rng, name=key)
                if value is not None:
                    holder[key], changed = value, True
    return candidate if changed and fits(candidate) else body


# The fields a creation's answer holds of the server's own making whatever its client sent: its ids, numbers, codes
# and keys, its states, types and links, its amounts and money (a capture sent none takes the whole, a ticket's
# `total_tax_money` is worked out) (by their names' endings);
# but an id named as its client's own (Dwolla's `correlationId`, an `externalId`, a `merchantId`), which no server
# makes up.
_SERVERS_OWN = re.compile(r"(id|ids|number|code|key|token|status|state|type|links|amount|money)$")
_CLIENTS_OWN = re.compile(r"(correlation|external|client|merchant)\w*id$")
# An id naming another resource (`customer_id`, `payment_method_id`), not the resource's own (`id`).
_NAMING_ANOTHER = re.compile(r"[A-Za-z0-9](_id|Id|ID)$")


def unsent_left_out(api, operation_id: str, request: dict, body, schema, fits, held=None):
    """`body`, a creation's answer, without the optional free text its client could have sent and did not, which the
    draw took from the example: at its top, in its envelope and in each item of a batch, a field of text (no enum
    nor pattern), or an object where its kept answer is `held` (a creation's answer works its objects out of what
    was sent: a ticket's `net_amounts`), its answer does not require, that the request's schema declares and the client left
    out, is null where its schema takes null, else left out. Not the server's own (`_SERVERS_OWN`), nor its moments
    (moments.py stamps them, or moves them with its making: a day it is due keeps its place after the day it is
    dated), nor a field `held` (one a kept creation's own answer gave). Drawn, Xero's invoice made without a
    Reference answered, and read back, the example's `Website Design`, SumUp's checkout made without a description
    `My Checkout`, and Dwolla's transfer the example's `metadata {paymentId, note}` and `clearing`."""
    asked = sent_schema(api, operation_id)
    sent = request.get("body")
    if not isinstance(body, dict) or not isinstance(asked, dict) or not isinstance(sent, dict):
        return body
    mirror, theirs = Mirror(api.spec, schema), Mirror(api.spec, asked)
    # (looked for in the answer as it is first: most have nothing to leave out, and a copy and a check of the
    # whole answer against its schema for each item of a page was a fifth of a list's time)
    if not any(_unsent(level, mirror, theirs, held) for level in _unsent_levels(body, mirror, theirs, sent)):
        return body
    candidate = copy.deepcopy(body)
    for level in _unsent_levels(candidate, mirror, theirs, sent):
        holder = level[0]
        for key, nullable in _unsent(level, mirror, theirs, held):
            if nullable:
                holder[key] = None
            else:
                del holder[key]
    return candidate if fits(candidate) else body


def _unsent_levels(candidate: dict, mirror, theirs, sent: dict) -> list:
    """(the answer's object, its schema, what was sent for it, the request's schema of it): the answer's top, its
    envelope's and each item of a batch."""
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
    return levels


def _unsent(level: tuple, mirror, theirs, held) -> list:
    """(key, whether it is set null rather than left out) of each field of one level (`_unsent_levels`) that
    `unsent_left_out` leaves out."""
    from .moments import _read

    holder, node, given, declared = level
    if not isinstance(node, dict) or not isinstance(declared, dict):
        return []
    sendable = declared.get("properties") or {}
    for branch in () if sendable else declared.get("oneOf") or declared.get("anyOf") or ():
        sendable = {**((theirs.resolved(branch) or {}).get("properties") or {}), **sendable}  # (any shape's)
    found = [(key, bool((mirror.field(node, key) or {}).get("nullable"))) for key in holder
             if key not in sendable and key not in (held or ()) and isinstance(holder[key], dict)
             and key not in (node.get("required") or ()) and _unmet(mirror.field(node, key), given)]
    for key in [key for key in holder if key in sendable and key not in given and key not in (held or ())
                and isinstance(holder[key], (str, dict) if held is not None else str)]:
        field = mirror.field(node, key) or {}
        shaped = "string" if isinstance(holder[key], str) else "object"
        nullable = bool(field.get("nullable"))
        # (one the answer requires is null where it takes null: PAY.JP's payment flow requires a nullable
        # `description` and `customer_id`, and one made without them answered "sample" and a customer never made;
        # an id the client names another resource by is its to leave out, where the answer takes null for it)
        if key in (node.get("required") or ()) and not nullable or field.get("readOnly") or field.get("enum") \
                or field.get("pattern") or field.get("type", shaped) != shaped \
                or _SERVERS_OWN.search(_bare(key)) and not _CLIENTS_OWN.fullmatch(_bare(key)) \
                and not (nullable and _NAMING_ANOTHER.search(str(key))) \
                or _named_moment(key) or isinstance(holder[key], str) and _read(holder[key]) is not None:
            continue
        found.append((key, nullable))
    return found


# An answer's object said to be there only on a condition: "Present when transfer was processed via FedNow
# network." (Dwolla's `fedNowDetails`), "Only returned if ...", "Included when ...".
_ON_CONDITION = re.compile(r"\b(?:(?:present|included|returned|populated|provided|shown|set)\s+(?:only\s+)?(?:when|if)"
                           r"|only\s+(?:present|included|returned|populated|provided|shown|set)\b)", re.I)


def _unmet(field, sent) -> bool:
    """Whether `field`, an answer's object its client cannot send, is there on a condition (`_ON_CONDITION`) that
    nothing sent names: Dwolla's transfer, made without asking for FedNow, was read with `fedNowDetails` drawn from
    its examples, where one sent with `processingChannel: fed-now` is one the network's details may be drawn for."""
    said = (field or {}).get("description") if isinstance(field, dict) else None
    if not isinstance(said, str) or not _ON_CONDITION.search(said):
        return False
    words = re.sub(r"[^a-z0-9]", "", said.lower())
    values = [re.sub(r"[^a-z0-9]", "", value.lower()) for value in texts_in(sent)]
    return not any(len(value) >= 4 and value in words for value in values)


def unsent_as_kept(api, kind: str, kept: dict, body, schema, fits):
    """`body`, an answer about the kept resource `kept` of `kind` (a read, or a page's item), without what its
    client could have sent to make it and did not (`unsent_left_out`, by each creation of the kind), but what the
    creation's own answer gave: a creation answering only its Location (Dwolla's `POST /customers`, 201) kept what
    was sent alone, and its reads and lists drew the rest from the read's example, `correlationId` and a
    transfer's `metadata` among it, which the client never sent."""
    sent, answer = kept.get("sent"), kept.get("answer")
    if not isinstance(body, dict) or not isinstance(sent, dict):
        return body
    held = set(answer) if isinstance(answer, dict) else set()
    inner = envelope_of(answer) if isinstance(answer, dict) else None
    held |= set(answer[inner]) if inner is not None and isinstance(answer[inner], dict) else set()
    for operation_id in _creations(api, kind):
        body = unsent_left_out(api, operation_id, {"body": sent}, body, schema, fits, held)
    return body


def _creations(api, kind: str) -> list:
    """The POST and PUT operations that make a resource of `kind` (found once per API)."""
    from .roles import address

    known = api.derived.setdefault("creations", {})
    if kind not in known:
        known[kind] = [op for op, method, _, _ in api.spec_operations()
                       if method.lower() in ("post", "put") and getattr(address(api, op), "role", None) == "create"
                       and address(api, op).kind == kind]
    return known[kind]
