"""Answers from the spec alone that remember: what a connector made, changed or deleted, it reads back.

An operation no binding names is answered from the spec (fallback.py), which alone would make the
sandbox a static mock: a payment created for 12,000 would be read back as the example's 500, a
cancelled one as pending, a deleted one as still there. So the workspace keeps each resource made
through such operations (actions/documents.py), and the answers about it start from what was kept.
Which resource an operation is about follows from the spec's paths and methods (roles.py, `address`):

- create: a POST (or PUT) whose kind has a read (`about.read_of`: `POST /payments` -> `GET /payments/{id}`),
  kept under that read's path with the id its answer gives (the one its `Location` names);
- read: a GET of a path that ends in a parameter;
- change: a PUT, PATCH or POST of such a path (Stripe updates with POST), as changes.py applies its body
  (a merge patch, a JSON Patch, a replacement); a PUT of an unknown one makes it where no POST makes the kind;
- delete: a DELETE of it; reading, changing or acting on it afterwards is a 404 in the spec's error shape;
- action: a POST under it whose answer is the read's (`about.acted_read`: `/payments/{id}/cancel`), or a
  DELETE answering it, which answers the resource as kept, in the state its verb names (`acted_state`) or
  the action's own answer gives, holding what it made in the list named for its noun (`made_inside`);
- mark: a POST under it answering something else (PayPal's invoice `send` answers a link, its `cancel` 204)
  whose verb names one of its states: the answer is the action's own, the resource is left in that state;
- list: a GET of the path its kind's creations are made at (or just above its read, or under an owner its
  items name), whose items are the kept ones, paged as asked (the draw's while none was ever kept); or a search
  sent as a POST beside that path (`POST /customers/search`, `_searches`), paged and filtered by its body;
- the same roles in an RPC-style family that names its resources in bodies (`_named_in_body`: `POST /transfer/create`,
  `/transfer/get {transfer_id}`, `/transfer/list`, `/transfer/cancel`), the kind being its read's path.

A resource never made here is answered from the spec (drawn) until a client makes one of its kind; from then
on an id of that kind never made here, and none of the spec's examples, is not found (not_found.py). Only the workspace of the request sees what it made, and a reset
forgets it.
"""

from __future__ import annotations

import copy
import json
import random
import re
import uuid
from decimal import Decimal

from ..actions import documents
from ..domain.errors import SandboxError
from . import client_ids, codes, feeds, refunds, scopes, sources, tallies, totals
from .about import (_BEFORE_WORDS, _id_word, _redrawn, _success_examples, _success_schema, answers_tombstone,
                    body_read, created_id, given_id, in_answer_names, owner_read, path_shape, read_answer, read_noun,
                    same_kind, unsent_as_kept)
from .addresses import _filled, parameters_in, path_value
from .beginnings import _first_of_enum
from .changes import batch_key, changed, unbatched, versioned
from .echoes import echo
from .fallback import (_closeness, _enums, _located, _money_fields, _seed, declared_statuses, flattened, generate,
                       idempotency_keys, operation_of)
from .filters import (criteria, expression_parameters, is_bound, matches, narrowed_away, parsed_expression, passes,
                      searched)
from .holdings import (_OWN_IDS, _declared_states, _fields, _held_states, _inner, _inner_fields, _read_resource,
                       _required, _resource, _shaped)
from .jws import carries_json, content_of
from .listing import (_FROM, _PAGING, _belongs, _by_sort, _declared_fields, _drawn_as_read, _listing, _newest_first,
                      _owner_made_here, _page, _replaces, belongs_through)
from .mirror import Mirror, _scalar, envelope_of, sent_schema
from .moments import dated_as_kept, made_moments, reached, restamped, said_made, stamp, told_of_unreached
from .names import AN_ID, _bare, _singular
from .not_found import (_declares_refusal, _made_by_clients, _refuse_unknown, _refuse_unknown_owner, _refuses_unknown,
                        _shown_ids, _status_asked)
from .paging import paging_word, read_paging
from .pointers import deref
from .reach import _named_in_body as _account_in_body, _refused_unconsented, consented_accounts, keep_posted_consent
from .roles import (Address, _canonical, _withdrawn_as_said, _created_by_put, _made_elsewhere, _marked, _stated_by, _tombstoned, _value,
                    _verb, address, kept_as)
from .states import (ENDED_OTHERWISE, REFUSED, SWITCHES, action_verb, awaited_by, awaiting, confirmed_held,
                     consent_moved, details_of, done_with, ended_by_caller, flagged_withdrawn, given_step, let_on,
                     lifted, listed_states, participle, past, restores, revoking_reason, said_final, sent_action, settled_states,
                     spelled_as, standing, state_field, stated_verb, succeeded_state, supplied_step, taken_from, the_callers_side,
                     unletting, unpaid_state, verb_state, verbs_of, was_granted, withdrawn_state)


def recall(api, operation_id: str, request: dict, ctx):
    """(`request` with what the workspace kept of what it is about, the kept document or None).

    The request carries `remembered` ({sent, answer, role}) for a resource; for a list, `remembered_items`
    (the page of kept ones: {id, sent, answer}) and `remembered_page` (their number, the next page's query);
    for a creation without an idempotency key, `made_before` (how many of its kind were made: the same body
    sent twice makes two). A deleted resource is refused as `not_found`, except to a PUT where no POST makes
    its kind (then the PUT makes it again).
    """
    request = client_ids.assigned(api, operation_id, request, ctx)
    found = address(api, operation_id) if ctx is not None else None
    movements = _holder_movements(api, operation_id, request, ctx) if ctx is not None else None
    request = {**request, "holder_movements": movements} if movements else request
    _refused_unconsented(api, operation_id, request, ctx)  # (an account its token's consent does not name)
    if ctx is not None and str(request.get("method", "")).upper() == "POST" and (found is None or found.role == "create"):
        _refused_moving_nothing(api, operation_id, request, found)
    if found is None:  # (a call keeping nothing, a simulation, is refused what a creation would be: `_refused_naming`;
        #                  a view of a kept resource answers as it is kept: `_viewed`)
        if ctx is not None and str(request.get("method", "")).upper() == "POST":
            _refused_naming(api, operation_id, None, request, ctx)
            named = _ids_of_named(api, operation_id, None, request, ctx)
            request = {**request, "named_ids": named} if named else request
            request = codes.checked(api, operation_id, request, ctx)  # (a code checked against one made before)
            referenced = _referenced_kinds(api, operation_id)
            if referenced and not idempotency_keys(request):  # (two alike make two, as two creations do)
                request = {**request, "made_before": sum(documents.count(ctx, *kept_as(api, kind))
                                                         for kind in referenced.values())}
            elif not referenced:  # (a read of what an account holds; a call that makes something stays its own)
                request = _drawn_for_account(api, operation_id, request)
        return _viewed(api, operation_id, request, ctx), None
    if found.role in ("list", "read"):  # (of a kind the owner's kept sources stand for: `sources`)
        derived = sources.derived(api, operation_id, request, ctx)
        if derived is not None:
            return {**request, "derived": derived}, None
    if found.role not in ("create", "list") and body_read(api, found.kind) == (found.kind, found.name):
        request = {**request, "named_in_body": found.name}  # (RPC style: `{transfer_id}`, read by `_value`)
    if found.name is None and found.role in ("read", "change", "delete"):  # a singleton: kept under its path, filled
        request = {**request, "singleton_path": _filled(found.kind, request.get("path") or {})}
    if found.role in ("create", "list") and not _status_asked(request):
        _refuse_unknown_owner(api, operation_id, found.kind, request, ctx)
    if found.role == "create":
        account = scopes.of(api, request, ctx)
        if account is not None:  # (the same key sent for two accounts makes two: each holds its own keys)
            request = {**request, "on_behalf_of": account}
        from .expansions import named_money  # (expansions reads addresses from here)
        money = named_money(api, operation_id, request, ctx)
        if money:  # (the money of the resource it names: about.as_named)
            request = {**request, "named_money": money}
        read = next((op_id for op_id, method, path, _ in api.spec_operations() if method.lower() == "get"
                     and path == found.kind), None)
        if read is not None and _reads_balances(api, read):  # (one opened here holds nothing yet, as its reads say)
            request = {**request, "holder_movements": {"paid": Decimal(0), "pending": Decimal(0), "settled": Decimal(0)}}
        kept = _named_by_creation(api, found, request, ctx)
        if kept is not None:  # the client's own id of one it made: a change of it (create-or-update), under a
            #                   new idempotency key too (Square's catalog upsert of an object by its id)
            return {**request, "remembered": _changed_remembered(api, operation_id, request, kept)}, kept
        _refused_when_taken(api, operation_id, found, request, ctx)
        _refused_naming(api, operation_id, found.kind, request, ctx)
        named = _ids_of_named(api, operation_id, found.kind, request, ctx)
        request = {**request, "named_ids": named} if named else request
        request = _made_under_kept(api, operation_id, found, request, ctx)
        if idempotency_keys(request):
            return request, None
        return {**request, "made_before": documents.count(ctx, *kept_as(api, found.kind))}, None
    if found.role == "list":
        template = _located(api, operation_id)[0]
        expressions = _expressions(api, operation_id, request)  # (a malformed one is refused, kept items or not)
        consented = consented_accounts(api, found.kind, found.name, request, ctx)
        owned = ever = documents.listed(ctx, *kept_as(api, found.kind))
        if consented is not None:  # (under a consent naming its accounts: those, and no others)
            owned = ever = [kept for kept in owned if kept.id in consented]
            if not owned:  # (it names only accounts of another kind: card accounts by their `maskedPan`)
                return {**request, "remembered_items": [], "remembered_page": {"total": 0, "next": None, "after": None,
                                                                                 "like": None}}, None
        if request.get("path"):  # (a list under an owner's path: those made under it)
            memo = {}  # (or one it names is: a transfer from a funding source the customer owns)
            owned = [kept for kept in owned if _belongs(kept, template, request)
                     or belongs_through(ctx, kept_as(api, found.kind)[0], kept, template, request, memo)]
        # (only those made for the account the request acts for, where the API has such accounts: `scopes`)
        acting_for = scopes.of(api, request, ctx)
        mine = [kept for kept in owned if scopes.held(kept.owner) == acting_for] if scopes.headers(api) else owned
        if owned and not mine:  # made only for other accounts (or by the platform only): this one has none
            like = {"id": owned[0].id, "sent": owned[0].sent, "answer": owned[0].answer}
            return {**request, "remembered_items": [], "remembered_page": {"total": 0, "next": None, "after": None,
                                                                             "like": like}}, None
        owned = mine
        if not owned and _made_elsewhere(api, found.kind) and _owner_made_here(api, template, request, ctx):
            # an owner made here has none yet of a kind clients make: its list is empty (a new balance account's
            # sweeps were the example's); a kind no call makes (an account's transactions) is still drawn
            return {**request, "remembered_items": [], "remembered_page": {"total": 0, "next": None, "after": None,
                                                                             "like": None}}, None
        if not owned and ever and _refuses_unknown(api, found.kind):
            # none of them here, though the kind's read refuses ids never made (not_found.`_refuse_unknown`): drawn, the page
            # named resources that its read then answered 404
            return {**request, "remembered_items": [], "remembered_page": {"total": 0, "next": None, "after": None,
                                                                             "like": None}}, None
        if not owned:  # none kept: the draw's, one collection whichever page is asked (listing.drawn_page)
            return {**request, "drawn_collection": {name: value for name, value in (request.get("query") or {}).items()
                                                    if paging_word(name) not in _PAGING}}, None
        asked = {name: value for name, value in (request.get("query") or {}).items()
                 if name not in expression_parameters(api, operation_id)}
        if request.get("method") == "POST":  # a search: its body pages and filters it (`_searches`)
            asked = {**criteria(content_of(request)), **asked}
        made = {str(kept.id) for kept in owned}
        # (`from` is a cursor where it names an item, Mollie's; a bound where it is a day: `from=2026-01-01`)
        filters = {name: value for name, value in asked.items() if paging_word(name) not in _PAGING
                   or _bare(name) in _FROM and str(value) not in made and is_bound(value)}
        # (filtered by what was sent too: a transfer sent `balanceAccountId` is answered with a `balanceAccount` object;
        # a bound on when each was made where none says it in a field, by the moment it was kept)
        declared = _declared_fields(api, found.kind) if filters else frozenset()
        # (each as its read answers it now: a message made `queued` and read `delivered` since, `as_settled`, is
        # among those `?Status=delivered` asks for, not `queued`)
        now = {kept.id: as_settled(api, found.kind, kept.answer, kept.created_at, request.get("now"), kept.sent)
               for kept in owned if not kept.deleted} if filters or expressions else {}
        # (its own id as `id` too, where it holds it under its kind's name: Xero's `?IDs=` of contacts' `ContactID`)
        live = [kept for kept in owned if not kept.deleted and (not filters or passes(
            {**_inner_fields(kept.sent), **_inner_fields(now[kept.id]), "id": kept.id, **_fields(kept.sent, kept.id),
             **_fields(now[kept.id], kept.id)},  # (an event holding its id as `event_id`: its `data` is no envelope)
            filters, declared, kept.created_at))]
        live = [kept for kept in live if all(matches(tree, _resource(now[kept.id], kept.id)) if kind == "where" else
                                             searched(tree, _resource(now[kept.id], kept.id), named)
                                             for kind, tree, named in expressions)]
        live = _by_sort(live, asked)
        if _newest_first(api, operation_id, asked):
            live.reverse()
        page, more = _page(api, operation_id, live, read_paging(api, operation_id, {name: value for name, value in asked.items()
                                                                                    if name not in filters}))
        answers = feeds.as_delivered(api, ctx, found.kind, {kept.id: kept.answer for kept in page})
        items = [{"id": kept.id, "sent": kept.sent, "made": kept.created_at,
                  "answer": as_settled(api, found.kind, answers[kept.id], kept.created_at, request.get("now"),
                                       kept.sent)}
                 for kept in page]
        # (one kept resource, on this page or not, says which of a page's lists holds them: an empty page
        # with `links` beside its items is still empty)
        like = {"id": owned[0].id, "sent": owned[0].sent, "answer": owned[0].answer}
        return {**request, "remembered_items": items, "remembered_page": {
            "total": len(live), "next": more, "after": page[-1].id if page else None, "like": like}}, None
    resource_id = _value(request, found.name)
    kept = documents.find(ctx, *kept_as(api, found.kind), resource_id) if resource_id is not None else None
    if kept is None and resource_id is not None:  # named by another of its fields, under its prefix (`code-bob`)
        kept = _addressed_otherwise(api, operation_id, found, resource_id, ctx)
        if kept is not None:  # (as if its id were named: what names it, and what it keeps, is under its id)
            path = dict(request.get("path") or {})
            path[found.name if found.name in path else found.name.replace("-", "_")] = kept.id
            request, resource_id = {**request, "path": path}, kept.id
    if kept is None:
        made_by_put = found.role == "change" and request.get("method") == "PUT" and not _made_elsewhere(api, found.kind)
        if not _status_asked(request):  # (a status the client asks for by `Prefer: code=503` is answered)
            if found.name is not None and not made_by_put:  # (a PUT making the kind makes an unknown one)
                _refuse_unknown(api, operation_id, found.kind, found.name, resource_id, ctx)
            _refuse_unknown_owner(api, operation_id, found.kind, request, ctx)
        if found.role == "read" and resource_id is not None:
            # never made here, drawn: from its own seed, as its lists draw it (listing.drawn_items_as_read), so a
            # client reads one resource alike on its page and by its id (Brex's cash account, listed with one
            # balance and read by its id with another)
            return {**request, "drawn_own": (found.kind, str(resource_id))}, None
        return request, None
    if scopes.held(kept.owner) != scopes.of(api, request, ctx):  # made for another account (or the platform): not this one's
        raise SandboxError("not_found", f"No such resource: {resource_id}", field=found.name)
    held = {**_fields(kept.sent, kept.id), **_fields(kept.answer, kept.id)} if found.role == "read" else {}
    narrowing = narrowed_away(api, operation_id, request, held) if held and not kept.deleted else None
    if narrowing is not None:  # a read narrowed by its query to resources this one is not (`narrowed_away`)
        raise SandboxError("not_found", f"No such resource: {resource_id} with {narrowing}", field=narrowing)
    if kept.deleted:
        # a PUT makes it again only where a PUT is how the kind is made (Square updates a customer with PUT:
        # a deleted one is not there to update)
        if found.role == "change" and (found.name is None or request.get("method") == "PUT"
                                       and not _made_elsewhere(api, found.kind)):
            return request, None  # (a singleton deleted is set again by any write of it: a billing info)
        if found.role == "read" and isinstance(kept.answer, dict) and _tombstoned(api, found.kind):
            return {**request, "remembered": {"sent": {}, "answer": kept.answer, "role": "tombstone"}}, kept
        raise SandboxError("not_found", f"{resource_id} was deleted", field=found.name)
    if found.role in ("mark", "action"):
        tallies.refused_beyond(_resource(kept.answer, kept.id), _bare(_verb(api, operation_id)), content_of(request),
                               kept.sent)
        _refused_when_withdrawn(api, operation_id, found.kind, kept)
        _refused_ended_again(api, operation_id, found.kind, request, kept)
        _refused_beyond_capturable(api, operation_id, request, kept)
        try:
            refunds.refused_beyond_left(_verb(api, operation_id), content_of(request), _resource(kept.answer, kept.id),
                                        kept.id)
        except SandboxError as error:  # (at the operation's 422 where it declares one and no 400: Conekta's refund)
            declared = declared_statuses(api, operation_id)
            error.status = 422 if "422" in declared and "400" not in declared else error.status
            raise
    if found.role == "mark":  # its answer is the action's own; the state it leaves is kept after
        if request.get("method") == "DELETE":  # (one answering the resource's state says the state it leaves)
            left = acted_state(api, operation_id, kept.answer, _stated_by(api, operation_id, found.kind), lambda _: True,
                               request.get("now"))
            request = {**request, "viewed": {"sent": kept.sent, "answer": left}}
        return request, kept
    if found.role == "change":
        _refused_leaving_final(api, operation_id, found.kind, request, kept)
        # (an action its body asks for by a flag or an amount named for it: `void_me`, `capture_amount`)
        acting = sent_action(content_of(request))
        if acting is not None:
            _refused_when_withdrawn(api, operation_id, found.kind, kept, acting)
        changed_to = _changed_remembered(api, operation_id, request, kept)
        return {**request, "remembered": {**changed_to, **({"acting": acting} if acting else {})}}, kept
    answer = kept.answer
    if found.role == "read":  # (what its lists hold as it is now; an event's deliveries as they stand)
        answer = feeds.as_delivered(api, ctx, found.kind, {kept.id: held_current(api, found.kind, answer, ctx)})[kept.id]
        answer = as_settled(api, found.kind, answer, kept.created_at, request.get("now"), kept.sent)
    return {**request, "remembered": {"sent": kept.sent, "answer": answer, "role": found.role, "made": kept.created_at,
                                      **({"own": (found.kind, kept.id)} if found.role == "read" else {})}}, kept


def _viewed(api, operation_id: str, request: dict, ctx) -> dict:
    """`request`, a GET of an answer of its own below a resource's read (`GET /consents/{id}/status`, a view of it:
    no kind is read there), with the resource as kept (`viewed`: {sent, answer}), which `as_viewed` answers it by;
    one never made here, or deleted, refused as its read would be (not_found.`_refuse_unknown`)."""
    if ctx is None or request.get("method") != "GET":
        return request
    owner = owner_read(api, _located(api, operation_id)[0])
    owner_id = _value(request, owner[1]) if owner is not None else None
    if owner_id is None:
        return request
    kind = _canonical(api, owner[0])
    kept = documents.find(ctx, *kept_as(api, kind), owner_id)
    if kept is None or kept.deleted or scopes.held(kept.owner) != scopes.of(api, request, ctx):
        if kept is not None and not _status_asked(request):
            raise SandboxError("not_found", f"No such resource: {owner_id}", field=owner[1])
        if not _status_asked(request):
            _refuse_unknown(api, operation_id, kind, owner[1], owner_id, ctx)
        return request
    return {**request, "viewed": {"sent": kept.sent, "answer": as_expired(api, kind, kept.answer, request.get("now"),
                                                                             kept.sent)}}


def as_viewed(request: dict, body, fits):
    """`body`, drawn for a view of a kept resource (`_viewed`), with the resource's own values of the scalar fields
    both hold, at their tops and in their envelopes, where it still fits: its state read there is the one it is in
    (NextGenPSD2's consent made `received` was answered `consentStatus: valid` at `/consents/{id}/status`, the
    example's, and its payment made RCVD `transactionStatus: ACCP`). Not what names the view's own kind (`object`,
    `type`) or an id of its own, which are the view's."""
    viewed = request.get("viewed")
    if viewed is None or not isinstance(body, dict):
        return body
    held = {**_fields(viewed["sent"]), **_fields(viewed["answer"])}
    candidate = copy.deepcopy(body)
    inner = _inner(candidate)
    for holder in [candidate] + ([candidate[inner]] if inner is not None and isinstance(candidate[inner], dict) else []):
        # (in the envelope the resource is kept in, it is the resource itself: its id too)
        own = holder is not candidate and inner == _inner(viewed["answer"])
        for key, value in holder.items():
            bare = _bare(key)
            theirs = bare in _VIEW_KINDS or bare in _OWN_IDS and not own
            if _scalar(value) and bare in held and not theirs and held[bare] is not None:
                holder[key] = held[bare]
    # (and an object of it that is the resource whole, its id too: Straddle's customer review holds the customer in
    # `data.customer_details`, which answered the example's customer for every customer reviewed)
    resource = _resource(viewed["answer"])
    for holder in [candidate] + ([candidate[inner]] if inner is not None and isinstance(candidate[inner], dict) else []):
        for value in [value for value in holder.values() if isinstance(value, dict) and _is_whole(value, resource)]:
            value.update({key: resource[key] for key in value if key in resource and _scalar(resource[key])
                          and resource[key] is not None})
    return candidate if candidate != body and fits(candidate) else body


def _is_whole(value: dict, resource) -> bool:
    """Whether `value`, an object a view of `resource` holds, is that resource: with an `id` as it has, and most of
    its other fields (at least three)."""
    if not isinstance(resource, dict) or "id" not in value or "id" not in resource or value is resource:
        return False
    shared = len(set(value) & set(resource))
    return shared >= 4 and shared * 3 >= len(value) * 2


# What names the kind an answer is (Stripe's `object`), its own in a view of another kind.
_VIEW_KINDS = ("object", "type", "kind")


# A path parameter's description naming the prefix that addresses its resource by another of its fields, unique as
# its id is (Recurly's `account_id`: "Account ID or code. For ID no prefix is used e.g. `e28zov4fw0v2`. For code use
# prefix `code-`, e.g. `code-bob`").
_OTHER_ADDRESS = re.compile(r"\bfor (?:an? |the |its )?([A-Za-z_][\w-]*),? use (?:the )?prefix [`'\"]([^`'\"\s]+)[`'\"]",
                            re.IGNORECASE)


def other_address(api, operation_id: str, name: str | None) -> tuple | None:
    """(field, prefix) by which the path parameter `name` of `operation_id` also names its resource, or None."""
    for parameter in parameters_in(api, operation_id, "path") if name is not None else ():
        if parameter["name"] in (name, name.replace("_", "-")):
            found = _OTHER_ADDRESS.search(" ".join(str(parameter.get("description") or "").split()))
            return (found.group(1), found.group(2)) if found else None
    return None


def _addressed_otherwise(api, operation_id: str, found: Address, value: str, ctx):
    """The kept resource `value` names by another of its fields under the prefix its parameter's description gives
    (`code-bravo-9`: the account whose `code` is `bravo-9`), or None. Read by it, a kept account answered a drawn
    one."""
    other = other_address(api, operation_id, found.name)
    if other is None or not value.startswith(other[1]) or len(value) == len(other[1]):
        return None
    field, wanted = _bare(other[0]), value[len(other[1]):]
    return next((kept for kept in documents.listed(ctx, *kept_as(api, found.kind)) if not kept.deleted
                 and str({**_fields(kept.sent, kept.id), **_fields(kept.answer, kept.id)}.get(field)) == wanted), None)


def _other_addresses(api, kind: str) -> frozenset:
    """The bare names of the fields a resource of `kind` is also named by in a path (`other_address`)."""
    known = api.derived.setdefault("other_addresses", {})
    if kind not in known:
        found = set()
        for op_id, _, _, _ in api.spec_operations():
            at = address(api, op_id)
            other = other_address(api, op_id, at.name) if at is not None and at.kind == kind \
                and at.role in ("read", "change", "delete") else None
            found.update([_bare(other[0])] if other else [])
        known[kind] = frozenset(found)
    return known[kind]


def _refused_when_taken(api, operation_id: str, found: Address, request: dict, ctx) -> None:
    """Refuse a creation sending, in a field its kind is also named by (`other_address`: an account's `code`), the
    value a kept one of its kind (under the same owner) holds already: two could not both be named by it. Refused
    with the 409 its operation declares, else its 422, else 400, in the API's own error form; nothing is made
    (Recurly's accounts were made again and again with one code, which its API refuses 422)."""
    fields = _other_addresses(api, found.kind)
    sent = unbatched(content_of(request)) if fields else None
    if not isinstance(sent, dict):
        return
    asked = {_bare(key): (key, value) for key, value in sent.items() if _bare(key) in fields and _scalar(value)
             and value not in (None, "")}
    if not asked:
        return
    template, operation = _located(api, operation_id)
    acting_for = scopes.of(api, request, ctx)
    for kept in documents.listed(ctx, *kept_as(api, found.kind)):
        if kept.deleted or scopes.held(kept.owner) != acting_for or request.get("path") and not _belongs(
                kept, template, request):
            continue
        held = {**_fields(kept.sent, kept.id), **_fields(kept.answer, kept.id)}
        for field, (key, value) in asked.items():
            if field in held and str(held[field]) == str(value):
                error = SandboxError("invalid_request", f"'{value}' has already been taken by {kept.id} - '{key}'", field=key)
                declared = {str(code) for code in ((operation or {}).get("responses") or {})}
                error.status = next((int(code) for code in ("409", "422") if code in declared), 400)
                raise error


# The two ends of a movement of money a creation's body names (at its top, or one object down: HAL's `_links`),
# where it goes one way only: from its source to its destination, whatever its amount.
_MOVED_FROM = re.compile(r"^(source|from|payer|debtor|sender|origin)")
_MOVED_TO = re.compile(r"^(destination|to|payee|creditor|recipient|beneficiary)")
# ... or the means its payer pays by alone (a card's details, a saved method), the API's caller being the payee.
_PAID_WITH = re.compile(r"^(paymentdetails|paymentmethod(data|details)?|card(details)?)$")


def _refused_moving_nothing(api, operation_id: str, request: dict, found: Address | None = None) -> None:
    """Refuse a creation moving money from the source it names to the destination it names (`_MOVED_FROM`,
    `_MOVED_TO`) by an amount of nothing or less, where the amount's schema sets no bound of its own: its direction is
    the ends it names, and no payment API moves a negative or zero sum between them (Dwolla's POST /transfers, its
    `amount: {currency, value}` free text, made a transfer of -5.00 USD). So is a request for a payment (`found`: it
    makes a kind whose states say it was paid, `SUCCEEDED`, `PAID`) sending its amount beside a currency (Xendit's
    payment request and invoice of -5 IDR were made), and a refund (PayMongo's of -1000 centavos was made). Refused `invalid_request`, in the API's own error form (its 422
    where it declares one, else 400); a movement naming no ends (Increase's ACH transfer, whose negative amount pulls
    the money in) is not refused. A payment naming only how its payer pays (`_PAID_WITH`: KOMOJU's
    `payment_details`) moves money from that payer to the caller: made with -5, it was answered `captured`."""
    sent, within = _amount_holder(unbatched(content_of(request)))
    if not isinstance(sent, dict) or "amount" not in {_bare(key) for key in sent}:
        return
    names = {_bare(key) for key in sent} | {_bare(inner) for value in sent.values() if isinstance(value, dict)
                                            for inner in value}
    ends = any(_MOVED_FROM.match(name) for name in names) and any(
        _MOVED_TO.match(name) and (name == "to" or not name.startswith("to") or name.startswith("toaccount"))
        for name in names)
    if not ends and not any(_PAID_WITH.match(_bare(key)) for key in sent) and not _requests_payment(api, found, sent) \
            and not (found is not None and totals.refunds(found.kind)):
        return
    mirror = Mirror(api.spec, sent_schema(api, operation_id))
    node = mirror.root
    for step in within:
        node = mirror.field(mirror.resolved(node), step)
    key = next(key for key in sent if _bare(key) == "amount")
    value, field, at = sent[key], mirror.field(mirror.resolved(node), key), ".".join((*within, key))
    if isinstance(value, dict):  # a money object: {currency, value}
        inner = next((name for name in value if _bare(name) in ("value", "amount")), None)
        if inner is None:
            return
        value, field, at = value[inner], mirror.field(mirror.resolved(field), inner), f"{key}.{inner}"
    field = mirror.resolved(field) or {}
    if any(bound in field for bound in ("minimum", "exclusiveMinimum", "enum")) or isinstance(value, bool):
        return
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return
    if amount.is_finite() and amount <= 0:
        error = SandboxError("invalid_request", f"{value!r} is not an amount to move: it must be greater than 0 - "
                                                f"'{at}'", field=at)
        # (where the operation declares a 422 for contents that fail validation, as Moov's does, that one)
        declared = {str(code) for code in ((_located(api, operation_id)[1] or {}).get("responses") or {})}
        error.status = 422 if "422" in declared else 400
        raise error


def _sent_names(sent) -> set:
    """The bare names of what a body gives: its fields, its envelope's and that envelope's `attributes`' (a JSON:API
    resource's, PayMongo's `{"data": {"attributes": {"payment_method": ...}}}`), each holding a value."""
    inner = envelope_of(sent)
    holders = [sent] + ([sent[inner]] if inner is not None else [])
    holders += [holders[-1]["attributes"]] if inner is not None and isinstance(holders[-1].get("attributes"), dict) else []
    return {_bare(key) for holder in holders if isinstance(holder, dict) for key, value in holder.items()
            if value not in (None, "", {}, [])}


def _amount_holder(body) -> tuple:
    """(the object of a creation's body holding its amount, the keys down to it): the body, else its envelope
    (`{"payment": {...}}`), else that envelope's `attributes` (PayMongo's `{"data": {"attributes": {...}}}`)."""
    holder, within = body, ()
    for _ in range(2):
        if not isinstance(holder, dict) or "amount" in {_bare(key) for key in holder}:
            break
        inner = ("attributes" if isinstance(holder.get("attributes"), dict) else None) if within else envelope_of(holder)
        if inner is None:
            break
        holder, within = holder[inner], (*within, inner)
    return holder, within


def _requests_payment(api, found: Address | None, sent: dict) -> bool:
    """Whether a creation's body `sent` asks for a payment: its amount beside a currency, making a kind (`found`)
    whose state says when it was paid (`succeeded_state` of the states its read declares, at its top, in its
    envelope or in the envelope's `attributes`)."""
    if found is None or "currency" not in {_bare(key) for key in sent}:
        return False
    mirror = Mirror(api.spec, read_answer(api, found.kind))
    nodes = [mirror.resolved(mirror.root) or {}]
    for _ in range(2):
        nodes += [mirror.resolved(mirror.field(nodes[-1], key)) or {} for key in nodes[-1].get("properties") or ()
                  if str(key).lower() in ("data", "attributes")][:1]
    return any(succeeded_state(listed_states(mirror.field(node, key))) is not None
               for node in nodes for key in node.get("properties") or () if state_field(key))


def _expressions(api, operation_id: str, request: dict) -> list:
    """(kind, what it asks, the fields it names) of each filter expression (parsed) and search term the list's
    query sends (filters.expression_parameters); a malformed expression is refused `invalid_request` (400, in
    the API's own error form), naming the parameter and where it breaks."""
    found = []
    for name, (kind, named) in expression_parameters(api, operation_id).items():
        value = (request.get("query") or {}).get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        try:
            found.append((kind, parsed_expression(value) if kind == "where" else value, named))
        except ValueError as error:
            raise SandboxError("invalid_request", f"the {name} expression cannot be read: {error}", field=name) \
                from None
    return found


# How long a resource just made stays in a state it leaves by itself (`states.settled_states`: a message `queued`)
# on the sandbox clock before it is read settled (`delivered`).
SETTLE_SECONDS = 2


def _drawn_for_account(api, operation_id: str, request: dict) -> dict:
    """`request` drawn as what it asks of the account its body names (an RPC-style read: PolishAPI's
    `getTransactionsDone {requestHeader, accountNumber}`), whatever the exchange it came in: its seed (`drawn_own`)
    is the operation and the body without the objects describing the exchange (`requestHeader`: a request id, a
    moment, the token), so one account answers the same history at every read. Seeded by the whole body, each read
    under a new request id had drawn another history."""
    body = request.get("body")
    if not isinstance(body, dict) or _account_in_body(api, operation_id, request) is None:
        return request
    asked = {key: value for key, value in body.items() if not str(key).lower().endswith("header")}
    return {**request, "drawn_own": ("asked", operation_id, json.dumps(asked, sort_keys=True, default=str))}


def as_settled(api, kind: str, answer, made_at: str | None, now: str | None, sent=None):
    """`answer`, a kept resource of `kind` read, in the state it settles in where it was kept in one it leaves by
    itself (`states.settled_states`: `queued` -> `delivered`) and the sandbox clock has passed `SETTLE_SECONDS` since
    it was made, with the moments of the states it reached on the way, and its last change, then (Twilio's message was
    read `queued` for ever, `date_sent` null, and a client polling for `delivered` never saw it). Nothing is
    written: every read says the same of it. One past its expiry is read expired (`as_expired`). A consent its customer
    approves where the sandbox has no page for it is read approved then (`_approved_by_itself`)."""
    from datetime import datetime, timedelta

    answer = as_expired(api, kind, answer, now, sent)
    approving = _approved_by_itself(api, kind, answer)
    if not isinstance(answer, dict) or not made_at or not now or not (approving or _settles(api, kind)):
        return answer
    try:
        at = datetime.fromisoformat(made_at) + timedelta(seconds=SETTLE_SECONDS)
        if datetime.fromisoformat(now) < at:
            return answer
    except (TypeError, ValueError):
        return answer
    mirror = Mirror(api.spec, read_answer(api, kind))
    candidate = copy.deepcopy(answer)
    moved = False
    # (and a state told in an object named for it: a consent request's `ConsentStatus: {id, status}`)
    told_in = [(candidate[name], key, mirror.field(mirror.field(mirror.root, name), key) or {},
                mirror.field(mirror.root, name)) for name in candidate if state_field(name)
               and isinstance(candidate[name], dict) for key in candidate[name] if state_field(key)] if approving else []
    for holder, key, node, *of in [*_held_states(mirror, candidate), *told_in]:
        states = [v for v in node.get("enum") or () if isinstance(v, str)]
        granted = consent_moved("granted", states, holder[key]) if approving and awaiting(holder[key]) else None
        if granted is not None:  # (its customer approved it in the provider's own app; the id it is used by is its own)
            node_of = of[0] if of else mirror.root if holder is candidate else mirror.field(mirror.root, _inner(candidate))
            if "id" in ((node_of or {}).get("properties") or {}) and holder.get("id") in (None, ""):
                holder["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{kind}:{made_at}:{json.dumps(answer, sort_keys=True)}"))
            holder[key], moved = granted, True
            continue
        reached_on_the_way = settled_states(holder[key], states)
        if reached_on_the_way:
            holder[key], moved = reached_on_the_way[0], True
            node_of = mirror.root if holder is candidate else mirror.field(mirror.root, _inner(candidate))
            reached(holder, node_of, mirror, reached_on_the_way, at.isoformat())
    if not moved:
        return answer
    stamp(candidate, {}, at.isoformat(), made=False)
    return candidate


def as_expired(api, kind: str, answer, now: str | None, sent=None):
    """`answer`, a kept resource of `kind` read, in its enum's expired state where the sandbox clock `now` has passed
    the expiry it holds beside its state (NextGenPSD2's consent `validUntil`, a day it is good through; UK Open
    Banking's `ExpirationDateTime`; or as it was `sent` to make it, where its creation answered no more than its state
    and id, NextGenPSD2's), unless it ended otherwise before (rejected, revoked, terminated): such a
    consent was read `valid` for ever, and the token granted for it read on (`consent_refusal` reads it so).
    Nothing is written: every read says the same of it."""
    from datetime import datetime

    if not isinstance(answer, dict) or not now or not _expires(api, kind):
        return answer
    moment = datetime.fromisoformat(now)
    candidate = copy.deepcopy(answer)
    for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, kind)), candidate):
        expired = consent_moved("expired", [value for value in node.get("enum") or () if isinstance(value, str)],
                                holder[key])
        if expired is None:
            continue
        given = sent if holder is candidate else (sent or {}).get(_inner(candidate))
        if _ran_out(holder, moment) or isinstance(given, dict) and _ran_out(given, moment):
            holder[key] = expired
    return candidate if candidate != answer else answer


def _ran_out(holder: dict, moment) -> bool:
    """Whether `holder` holds an expiry (`_EXPIRES`: `validUntil`, `ExpirationDateTime`) that `moment` has passed; a
    day is good through its end."""
    from datetime import timedelta

    from .moments import _EXPIRES, _is_day, _read

    for name, value in holder.items():
        ends = _read(value) if _bare(name) in _EXPIRES else None
        if ends is not None and _is_day(value):
            ends += timedelta(days=1)
        if ends is not None and ends.tzinfo is not None and ends <= moment:
            return True
    return False


def _expires(api, kind: str) -> bool:
    """Whether a resource of `kind` may be read expired (`as_expired`): its read declares an expired state. (Memoised.)"""
    known = api.derived.setdefault("expiring_kinds", {})
    if kind not in known:
        states = _declared_states(Mirror(api.spec, read_answer(api, kind)))
        known[kind] = any(spelled_as(state, "expir") for state in states)
    return known[kind]


def _approved_by_itself(api, kind: str, answer) -> bool:
    """Whether a consent of `kind` waiting for its customer (`PENDING`) is read granted once the sandbox clock has passed
    its settle time (`as_settled`), as if its customer approved it where its provider asks them (India's Account
    Aggregator's consent request is approved in the aggregator's own app; its handle was read PENDING for ever, so no
    consent id was ever given and no data asked for): it is a consent (its read's path says so) whose states hold a
    granted one, and its API gives the customer no page of the sandbox's to answer it at, neither an OAuth flow through
    an authorization page (UK Open Banking, Brazil) nor a link in its answer (NextGenPSD2's `_links.scaRedirect`).
    (Memoised, but for the link.)"""
    if not isinstance(answer, dict):
        return False
    known = api.derived.setdefault("approved_by_itself", {})
    if kind not in known:
        schemes = (api.spec.get("components") or {}).get("securitySchemes") or {}
        paged = any(isinstance(scheme, dict) and (scheme.get("type") == "openIdConnect" or set((scheme.get("flows") or {}))
                                                   & {"authorizationCode", "implicit"}) for scheme in schemes.values())
        states = _declared_states(Mirror(api.spec, read_answer(api, kind)))
        known[kind] = (not paged and re.search(r"consent", str(kind), re.I) is not None
                       and consent_moved("granted", states, next((s for s in states if awaiting(s)), None)) is not None)
    # (its kind first, remembered: each listed item of every kind is asked; then the link of this answer)
    names = [key for value in [answer, *answer.values()] if isinstance(value, dict) for key in value]
    return known[kind] and bool(names) and not any(re.search(r"link|redirect", str(key), re.I) for key in names)


def _settles(api, kind: str) -> bool:
    """Whether a resource of `kind` may be in a state it leaves by itself (`as_settled`), by the states its read
    declares: most kinds' are not, and their pages of hundreds are read without looking at each. (Memoised.)"""
    known = api.derived.setdefault("settling_kinds", {})
    if kind not in known:
        states = _declared_states(Mirror(api.spec, read_answer(api, kind)))
        known[kind] = any(settled_states(state, states) for state in states)
    return known[kind]


def held_current(api, kind: str, answer, ctx):
    """A kept resource's `answer` (read at `kind`) whose lists of resources kept as kinds of their own (an order's
    `purchase_units[].payments.captures`, `authorizations`, `refunds`) hold each as it is kept now, by its id, and
    also those made since under one its lists hold (a capture made under its authorization, a refund under its
    capture), each with the fields its list declares. Kept as made, PayPal's order read back its authorization
    CREATED once captured or voided through payments v2, and none of the captures and refunds made there."""
    mirror = Mirror(api.spec, read_answer(api, kind))

    def walk(value, node, depth: int):
        if depth > 8 or not isinstance(value, (dict, list)):
            return value
        if isinstance(value, list):
            return [walk(item, mirror.items(node), depth + 1) for item in value]
        out = {key: walk(inner, mirror.field(node, key), depth + 1) for key, inner in value.items()}
        lists = {key: found for key, inner in out.items() if isinstance(inner, list)
                 and (found := _kept_noun(api, key)) is not None}
        for key, (part, noun_kind) in [*lists.items()] * 2:  # (twice: a refund of a capture made under an authorization)
            held = {str(item.get("id")) for name in lists for item in out[name] if isinstance(item, dict)
                    and _scalar(item.get("id"))}
            declared = set((mirror.items(mirror.field(node, key)) or {}).get("properties") or ())
            listed = [item for item in out[key] if isinstance(item, dict)]
            now = []
            for item in listed:
                kept = documents.find(ctx, *kept_as(part, noun_kind), str(item.get("id"))) if _scalar(item.get("id")) else None
                now.append(_as_held(item, _resource(kept.answer, kept.id), declared) if kept is not None and not kept.deleted else item)
            have = {str(item.get("id")) for item in now}
            for kept in documents.listed(ctx, *kept_as(part, noun_kind)):  # (made under one held here)
                if not kept.deleted and kept.id not in have and held & {str(v) for v in (kept.owner or {}).values()}:
                    now.append(_as_held({}, _resource(kept.answer, kept.id), declared))
            if now != listed:
                out[key] = now
        return out

    return walk(answer, mirror.root, 0) if isinstance(answer, dict) else answer


def _as_held(item: dict, resource, declared: set) -> dict:
    """`resource` as a list of another's holds it: the fields the list declares (all where it declares none), the
    details of a state it is no more in left out (`status_details` of a PENDING one now COMPLETED)."""
    if not isinstance(resource, dict):
        return item
    fields = {key: value for key, value in resource.items() if not declared or key in declared}
    gone = [key for key in details_of(item, "status") + details_of(item, "state") if key not in resource]
    return {**{key: value for key, value in item.items() if key not in gone}, **fields}


def _kept_noun(api, noun: str) -> tuple | None:
    """(the part of the API, the kind) whose read's collection is `noun` (`captures` ->
    `/v2/payments/captures/{capture_id}`), in this spec or another part of its API (`api.kin`), or None."""
    known = api.derived.setdefault("kept_nouns", {})
    if noun not in known:
        pattern = re.compile(rf"/{re.escape(str(noun))}/\{{[^}}/]+\}}/?$")
        known[noun] = next(((part, found.kind) for part in [api, *api.kin] for op_id, method, _, _ in part.spec_operations()
                            if method.lower() == "get" and (found := address(part, op_id)) is not None
                            and found.role == "read" and pattern.search(found.kind or "")), None)
    return known[noun]


def as_listed(api, operation_id: str, request: dict, body, schema, fits):
    """`body`, a read's answer about a resource never made here, with the fields its kind's list shows it with by
    example, where the list's example holds an item naming it by its id (NextGenPSD2's account
    `3dc3d5b3-...80f`, listed `iban: DE2310010010123456789`, was read `FR7612345987650123456789014`, the read's
    example's): a client reads one account two ways. As is where it still fits, else the draw."""
    found = address(api, operation_id) if request.get("method") == "GET" else None
    if found is None or found.role != "read" or found.name is None or request.get("remembered") is not None:
        return body
    wanted = _value(request, found.name)
    lists = [op for op_id, m, _, op in api.spec_operations() if m.lower() == "get"
             and (at := address(api, op_id)) is not None and at.role == "list" and at.kind == found.kind]
    own = {*_OWN_IDS, "resourceid", _bare(found.name)}  # (its id, however the item names it: `resourceId`)
    item = next((hit for op in lists for example in _success_examples(api.spec, op)
                 if (hit := _item_named(example, str(wanted), own)) is not None), None) if wanted is not None else None
    if item is None or not isinstance(body, dict):
        return body
    inner = envelope_of(body)
    alone = _listed_alone(body, item) if inner is None else None
    shown = {inner: item} if inner is not None and inner not in item and isinstance(body[inner], dict) \
        else {alone: [item]} if alone is not None else item
    return echo(body, shown, fits, api.spec, schema)


def _listed_alone(body: dict, item: dict):
    """The field of a read's answer holding its resource as a list of one, where that one object is more like the
    listed `item` than the answer's top is (Open Banking Nigeria reads an account as `{status: "00", message, data:
    [account]}`): put over the whole answer, the item's own `status` (`Active`) was answered as the envelope's
    code, which a connector reads as a refusal. None where there is no such field."""
    lists = [key for key, value in body.items() if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict)]
    if len(lists) != 1:
        return None
    return lists[0] if len(set(body[lists[0]][0]) & set(item)) > len(set(body) & set(item)) else None


def _item_named(example, wanted: str, own: set, depth: int = 0):
    """The object of a list's example (in a list, at any depth) whose own id (a field named in `own`) is `wanted`,
    or None."""
    if depth > 4:
        return None
    if isinstance(example, dict):
        if depth and any(_bare(key) in own and _scalar(value) and str(value) == wanted for key, value in example.items()):
            return example  # (the list's own answer is no item of it)
        return next((hit for value in example.values() if (hit := _item_named(value, wanted, own, depth + 1)) is not None),
                    None)
    if isinstance(example, list):
        return next((hit for value in example if (hit := _item_named(value, wanted, own, depth + 1)) is not None), None)
    return None


def _refused_when_withdrawn(api, operation_id: str, kind: str, kept, acting: str | None = None) -> None:
    """Refuse an action on a kept resource left in a withdrawn state (a voided authorization captured, a
    cancelled payment confirmed), or in one that says it is done where the verb would withdraw it or complete
    it again (an authorization captured in full, captured or voided; an order completed, captured again:
    states.done_with), as `invalid_state` (422, in the API's own error form), changing nothing; only a verb that
    brings it back (`reactivate`, `unarchive`:
    states.restores) acts on a withdrawn one. Answered, PayPal's capture of a voided authorization made a drawn
    capture, in another currency, and left the authorization CAPTURED; a second capture of a captured one made a
    drawn capture, and its void left it VOIDED. `acting`: the verb of an action a change's body asks for
    (states.sent_action), where the path names none; one flagged withdrawn (`is_void: true`) is refused alike."""
    verb = acting or _bare(_verb(api, operation_id))
    if verb == "delete" or restores(verb) or not isinstance(kept.answer, dict):
        return
    resource = _resource(kept.answer, kept.id)
    flag = flagged_withdrawn(resource) if acting and isinstance(resource, dict) else None
    if flag is not None:
        raise SandboxError("invalid_state", f"{kept.id} is {flag}: it cannot be {past(verb)}", field=flag)
    # (a test helper's simulation under a prefix of its own drives the state as asked: `states.done_with`)
    simulated = not path_shape(_located(api, operation_id)[0] or "").startswith(path_shape(kind))
    operation = operation_of(api, operation_id) or {}
    for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, kind)), kept.answer):
        # (or in one that says it is done, where the verb would complete or withdraw it again: `done_with`)
        state = holder[key]
        if isinstance(state, str) and (withdrawn_state([state]) is not None or done_with(verb, state, holder, simulated)):
            # (said by the verb a noun names: `captures` -> "it cannot be captured", not "capturesed")
            said = action_verb(verb, [value for value in node.get("enum") or () if isinstance(value, str)])
            again = "already " if verb_state(said, [state]) == state else ""  # (the issue it is: PayPal's PREVIOUSLY_VOIDED)
            done = past(said)
            if done.replace("ll", "l") == state.lower().replace("ll", "l"):
                done = state.lower()  # in the state's own spelling ("is cancelled: it cannot be cancelled")
            raise SandboxError("invalid_state", f"{kept.id} is {again}{state}: it cannot be {done}", field=key)
        # (or out of the one state its verb is taken from, waiting for what it gives: `approve` of a transfer
        # `pending_approval`, where no `approved` follows; Increase's returned ACH transfer was approved, 200)
        waiting = awaited_by(verb, [value for value in node.get("enum") or () if isinstance(value, str)])
        if isinstance(state, str) and waiting is not None and state != waiting and not simulated:
            raise SandboxError("invalid_state", f"{kept.id} is {state}, not {waiting}: it cannot be {past(verb)}",
                               field=key)
        # (or out of the states its operation says it must first be in, simulated too: Increase's ACH transfer
        # "must first have a `status` of `submitted`" to be returned; one pending_submission was returned, 200)
        # (or past where it was made waiting to be let on, its enum naming no approval: a payout `paid`, approved)
        if unletting(verb, state, [value for value in node.get("enum") or () if isinstance(value, str)]):
            raise SandboxError("invalid_state", f"{kept.id} is {state}: it cannot be {past(verb)}", field=key)
        allowed = taken_from((operation.get("description"), operation.get("summary")), key, node.get("enum") or ())
        if isinstance(state, str) and allowed and state not in allowed:
            raise SandboxError("invalid_state", f"{kept.id} is {state}, not {' or '.join(allowed)}: it cannot be "
                               f"{past(verb)}", field=key)


def _refused_beyond_capturable(api, operation_id: str, request: dict, kept) -> None:
    """Refuse a capture asking for more than the kept payment holds capturable (`amount_to_capture` past its
    `amount_capturable`, else past its amount), as `invalid_amount` (400, in the API's own error form), changing
    nothing. Taken, PAY.JP's payment flow of 2000 held for its capture was captured for 3000, read `succeeded`
    with 3000 received."""
    verb = _bare(_verb(api, operation_id))
    sent = content_of(request)
    resource = _resource(kept.answer, kept.id) if isinstance(kept.answer, dict) else None
    if verb != "capture" or not isinstance(sent, dict) or not isinstance(resource, dict):
        return
    asked = next((totals._number(value) for key, value in sent.items()
                  if _bare(key) in ("amounttocapture", "captureamount") and totals._number(value) is not None), None)
    limit = next((totals._number(resource.get(field)) for pattern in (totals._CAPTURABLE, totals._AMOUNT)
                  for field in [totals._field(resource, pattern)] if field is not None
                  and totals._number(resource.get(field)) is not None), None)
    if asked is not None and limit is not None and asked > limit:
        field = next(key for key in sent if _bare(key) in ("amounttocapture", "captureamount"))
        raise SandboxError("invalid_amount", f"{field} {asked} is more than the {limit} {kept.id} holds capturable",
                           field=field)


def _refused_ended_again(api, operation_id: str, kind: str, request: dict, kept) -> None:
    """Refuse the DELETE of a kept resource already ended, in a withdrawn state or its refused one (a consent
    revoked, or rejected: Brazil's `REJECTED`), as `invalid_state`, where the operation declares a status for a
    resource in no state it can be ended from (422, else 409: Brazil's 422 `CONSENTIMENTO_EM_STATUS_REJEITADO`),
    changing nothing. A consent deleted twice had been answered 204 twice."""
    from .states import consented_state

    declared = {str(code) for code in (operation_of(api, operation_id) or {}).get("responses") or {}}
    status = next((int(code) for code in ("422", "409") if code in declared), None)
    if request.get("method") != "DELETE" or status is None or not isinstance(kept.answer, dict):
        return
    for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, kind)), kept.answer):
        state = holder[key]
        states = [value for value in node.get("enum") or () if isinstance(value, str)]
        if isinstance(state, str) and (withdrawn_state([state]) is not None or state == consented_state(states, False)):
            error = SandboxError("invalid_state", f"{kept.id} is {state}: it cannot be ended again", field=key)
            error.status = status
            raise error


def _refused_leaving_final(api, operation_id: str, kind: str, request: dict, kept) -> None:
    """Refuse a change that sends a kept resource another state where the one it is in is said to be final
    (`states.said_final`: by its state field's description or the changing operation's) as `invalid_state`
    (in the API's own error form), changing nothing. Answered, Lithic's card CLOSED ("Closing a card cannot
    be undone") was opened again by `PATCH /v1/cards/{card_token}` with `state: OPEN`."""
    sent = content_of(request)
    if not isinstance(sent, dict) or not isinstance(kept.answer, dict):
        return
    operation = operation_of(api, operation_id) or {}
    for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, kind)), kept.answer):
        state, asked = holder[key], sent.get(key)
        if not isinstance(state, str) or not isinstance(asked, str) or asked == state:
            continue
        if said_final((node.get("description"), operation.get("description"), operation.get("summary")), state,
                      node.get("enum") or ()):
            raise SandboxError("invalid_state", f"{kept.id} is {state}, which is final: it cannot become {asked}",
                               field=key)


def _made_under_kept(api, operation_id: str, found: Address, request: dict, ctx) -> dict:
    """`request`, a creation by an action under a kept resource whose state its verb names (a capture made by
    `POST /authorizations/{id}/capture`: `_marked`), refused where that one is withdrawn (`_refused_when_withdrawn`);
    sent without an amount, it is of what that one has left (`implied`: 100 authorized, 30 captured, a capture
    with no amount is of 70), not a drawn amount."""
    template = _located(api, operation_id)[0]
    marked = _marked(api, template, str(request.get("method", "")).lower()) if template else None
    owner_id = _value(request, marked.name) if marked is not None and marked.kind != found.kind else None
    owner = documents.find(ctx, *kept_as(api, marked.kind), owner_id) if owner_id is not None else None
    if marked is None:  # (or named in its body by the other kind's id: a refund's `charge`)
        owner, field = _owner_in_body(api, found, request, ctx)
        owner_id = owner.id if owner is not None else None

        def beside(kept) -> bool:
            return isinstance(kept.sent, dict) and str(kept.sent.get(field)) == str(owner_id)
    else:
        def beside(kept) -> bool:
            return str(kept.owner.get(marked.name)) == str(owner_id)
    if marked is None:  # (or one of a list of actions under it, whose states name none of them: `_acted_under`)
        _acted_under(api, operation_id, template, request, ctx)
    if owner is None or owner.deleted:
        return request
    if marked is not None:
        _refused_when_withdrawn(api, operation_id, marked.kind, owner)
    sent = content_of(request)
    whole = _resource(owner.answer, owner_id)
    amount = whole.get("amount") if isinstance(whole, dict) else None
    left = _amount(whole)
    if left is None or not (sent is None or isinstance(sent, dict) and "amount" not in sent):
        return request
    left -= _made_beside(api, found.kind, ctx, beside)
    if left <= 0:
        return request
    value = (str(left) if isinstance(amount.get("value"), str) else float(left)) if isinstance(amount, dict) else \
        str(left) if isinstance(amount, str) else int(left) if isinstance(amount, int) and left == int(left) else float(left)
    return {**request, "implied": {"amount": {**amount, "value": value} if isinstance(amount, dict) else value}}


def _acted_under(api, operation_id: str, template: str | None, request: dict, ctx) -> None:
    """Refuse, as an action on it would be (`_refused_when_withdrawn`), a creation one literal segment under a kept
    resource that names an action on it (`states.stated_verb`), where its states name no such action: NextGenPSD2's
    `POST .../{paymentId}/authorisations` of a payment `CANC`, whose ISO codes name no authorisation. Answered, a
    cancelled payment, and a consent its client had terminated, started an authorisation 201."""
    owner = owner_read(api, template)
    verb = stated_verb(template.rstrip("/").rsplit("/", 1)[-1]) if owner is not None else None
    owner_id = _value(request, owner[1]) if verb is not None else None
    kind = _canonical(api, owner[0]) if owner_id is not None else None
    kept = documents.find(ctx, *kept_as(api, kind), owner_id) if kind is not None else None
    if kept is not None and not kept.deleted:
        _refused_when_withdrawn(api, operation_id, kind, kept, acting=verb)


def _made_beside(api, kind: str, ctx, beside) -> Decimal:
    """What the kept resources of `kind` for which `beside` holds (made under one resource: its refunds, its
    captures) add up to."""
    made = [_amount(_resource(kept.answer, kept.id)) for kept in documents.listed(ctx, *kept_as(api, kind))
            if not kept.deleted and beside(kept)]
    return sum((value for value in made if value is not None), Decimal(0))


def _owner_in_body(api, found: Address, request: dict, ctx) -> tuple:
    """(the kept resource of another kind a creation's body names by that kind's id, the field naming it), or
    (None, None): Stripe's `POST /v1/refunds` with `charge=ch_...`, a refund of that charge."""
    _, name, _, kept = next(totals.named_kept(api, ctx, found.kind, content_of(request)), (None, None, None, None))
    return kept, name


def _changed_remembered(api, operation_id: str, request: dict, kept) -> dict:
    """What a kept resource is once `request` changed it (`remembered` of role `change`): what it sends, over
    what it was (changes.changed)."""
    form = str((request.get("headers") or {}).get("content-type", "")).startswith("application/x-www-form-urlencoded")
    replaces = _replaces(api, operation_id) if request.get("method") == "PUT" else None
    body = content_of(request)
    sent, answer = changed(kept.sent, kept.answer, body, request.get("method"), replaces, form)
    if isinstance(body, dict) and isinstance(kept.answer, dict) and in_answer_names(body, list(kept.answer)) != body:
        # the answer in its own names (a form's `Body` changes the `body` it answers)
        answer = changed(kept.sent, kept.answer, in_answer_names(body, list(kept.answer)), request.get("method"), replaces, form)[1]
    if form and isinstance(body, dict) and isinstance(answer, dict):
        # a text field a form empties is empty text (Twilio's redaction sends `Body=`), not a field the draw fills
        # again: removed, the redacted message was read back with a drawn body
        answer = {**answer, **{key: "" for key, value in in_answer_names(body, list(kept.answer)).items()
                               if value == "" and isinstance(kept.answer.get(key), str)}}
    versioned(kept.answer, content_of(request), sent, answer)  # (a stale `version` is refused; a change is the next)
    found = address(api, operation_id)
    return {"sent": sent, "answer": answer, "role": "change", "made": kept.created_at,
            **({"own": (found.kind, kept.id)} if found is not None else {})}


def _named_by_creation(api, found: Address, request: dict, ctx):
    """The kept resource (live, made for the account the request acts for) a creation names by the id its
    read takes, given in its body (`given_id`: a member's `outer_id` read at
    `/members/{outer_member_id}`), or None. An API whose client gives its resources their ids creates or updates
    at one call (Lago's `POST /customers` with an `external_id` already made updates that customer): kept as
    made again, the change was answered under a new server id and lost, the read still answered the first.
    Under a new idempotency key alike (Square's catalog upsert names an object by its server id to update it).
    (A creation retried under its idempotency key is answered as at first: runner._held.)"""
    sent = unbatched(content_of(request))  # (a batch of several names several: each is made)
    name = found.name if _value(request, found.name) is None else "id"
    given = given_id(sent, name, found.kind) if isinstance(sent, dict) and batch_key(sent) is None else None
    kept = documents.find(ctx, *kept_as(api, found.kind), given) if given is not None else None
    if kept is None or kept.deleted or scopes.held(kept.owner) != scopes.of(api, request, ctx):
        return None
    return kept


def keep(api, operation_id: str, request: dict, reply, ctx, kept) -> None:
    """Keep what a successful `reply` made, changed or deleted (`kept`: what `recall` found of it)."""
    found = address(api, operation_id) if ctx is not None and 200 <= reply.status < 300 else None
    if found is None:  # (a batch of objects named by the client's temporary ids keeps each: client_ids)
        client_ids.keep_batch(api, operation_id, request, reply, ctx)
        if ctx is not None and str(request.get("method", "")).upper() == "POST":
            _made_unread(api, operation_id, request, reply)
            keep_answered_kinds(api, operation_id, request, reply, ctx)
            keep_posted_consent(api, operation_id, request, reply.status, ctx)  # (the authorization request is it)
            if 200 <= reply.status < 300:
                _follow_on(api, operation_id, request, ctx, request["now"])
                _processed_by_simulation(api, operation_id, request, ctx, request["now"])
            codes.keep_checked(api, request, reply, ctx)
    if found is None or found.role in ("read", "list"):
        return
    at = request["now"]
    answer = reply.body if isinstance(reply.body, dict) else None
    sent = content_of(request)
    path = scopes.owned(dict(request.get("path") or {}), scopes.of(api, request, ctx))  # (and the account it is made for)
    if found.role == "create" and kept is None:
        _keep_made(api, operation_id, found, request, reply, ctx)
        return
    if found.role == "create":  # one kept, named by its client's own id: changed by it (`recall`)
        found, resource_id = found._replace(role="change"), kept.id
    else:
        resource_id = _value(request, found.name)
    if resource_id is None:
        return
    if found.role == "delete":  # (one answering the tombstone its read answers after keeps it: Stripe's)
        tombstone = answer if answer is not None and answers_tombstone(api, operation_id, found.kind) else None
        documents.delete(ctx, *kept_as(api, found.kind), resource_id, at, tombstone)
        if kept is not None and not kept.deleted:
            feeds.record(api, ctx, found.kind, resource_id, "delete", _resource(kept.answer, resource_id),
                         _resource(kept.answer, resource_id), request, kept.answer)
        return
    remembered = request.get("remembered")
    if found.role == "mark":
        if kept is not None:
            # (a capture or refund of part of its amount, sent in the body, leaves it in the partial form of the
            # state: the Recurring API's charge of 499 NOK captured for 200 is `PARTIALLY_CAPTURED`)
            asked, whole = _amount(content_of(request)), _amount(_resource(kept.answer, resource_id))
            whole = whole if whole is not None else _amount(kept.sent)  # (made answering only its id: as sent)
            partly = not _said_final(content_of(request)) and None not in (asked, whole) and 0 < asked < whole
            _mark(api, operation_id, found, resource_id, kept, request, ctx, at, partly)
        return
    if found.role == "change":
        # a change of one never made here: the spec's; but a PUT answering 201 Created makes it under the id its
        # client chose, as RFC 9110 has it, even where a POST makes the kind under an id the server chooses (Pix's
        # `PUT /cob/{txid}` beside `POST /cob`: every charge made by PUT was answered, then never read back)
        if kept is None and _made_elsewhere(api, found.kind) and not _created_by_put(api, operation_id, request, reply):
            return
        sent = remembered["sent"] if remembered else (unbatched(sent) if isinstance(unbatched(sent), dict) else {})
    else:  # an action changes the resource's state, not what was sent to make it
        if kept is None and _made_elsewhere(api, found.kind):  # an action on one never made here: the spec's
            return  # (kept, it was listed among what the client made: Stripe's cancel of an unknown payout)
        sent = kept.sent if kept is not None else {}
    if answer is not None:  # a batch envelope's one item (Xero answers `{"Id": ..., "Contacts": [{...}]}`)
        batch = _batched_like(answer, kept.answer if kept is not None else sent)
        answer = answer[batch][0] if batch is not None else answer
        before = remembered["answer"] if remembered else (kept.answer if kept is not None else None)
        envelope = _inner(before, resource_id)
        if envelope is not None and not isinstance(answer.get(envelope), dict):
            # an answer that only acknowledges the change (Paystack's plan update: `{"status": true, "message":
            # "Plan updated"}`, no `data`): the resource is what it was, changed, not this acknowledgement
            answer = copy.deepcopy(before)
            body = unbatched(content_of(request)) if found.role == "change" else None
            if isinstance(body, dict):  # what the change sent, in the envelope where the resource has the field
                answer[envelope].update({key: copy.deepcopy(value) for key, value in body.items()
                                         if key in answer[envelope]})
    else:  # a change answered without a body (PayPal's 204) is what it was, changed
        answer = remembered["answer"] if remembered else (kept.answer if kept is not None else None)
    owner = kept.owner if kept is not None else {  # the path values but the resource's own
        name: value for name, value in path.items() if name == scopes.KEY or found.name is None
        or path_value({name: value}, found.name) is None}
    stamp(answer, content_of(request) if found.role == "change" else {}, at, made=False)
    if found.role == "change" and kept is not None:
        _reached_by_change(api, found.kind, kept.answer, answer, at)
    documents.keep(ctx, *kept_as(api, found.kind), resource_id, owner, sent, answer, at)
    keep_held_alike(api, found.kind, _resource(answer, resource_id), owner, request, ctx)
    before = _resource(kept.answer, resource_id) if kept is not None else None
    verb = "create" if kept is None else "change" if found.role == "change" else _verb(api, operation_id)
    feeds.record(api, ctx, found.kind, resource_id, verb, _resource(answer, resource_id), before, request, answer)
    if found.role == "action" and kept is not None:
        _keep_made_inside(api, operation_id, request, answer, kept.answer, ctx, at)


def _reached_by_change(api, kind: str, before, answer, at: str) -> None:
    """`answer`, a kept resource's once a change of it (a PATCH, a PUT) set its state, with the moments of the state
    it entered said `at` (moments.reached: Brazil's Pix payment cancelled by `PATCH {data: {status: CANC}}` was
    answered and read back `cancellation.cancelledAt` 2021-05-21, its example's); in place."""
    if not isinstance(answer, dict) or not isinstance(before, dict):
        return
    mirror = Mirror(api.spec, read_answer(api, kind))
    was = {_bare(key): holder[key] for holder, key, _ in _held_states(mirror, before)}
    for holder, key, _ in _held_states(mirror, answer):
        if isinstance(holder[key], str) and _bare(key) in was and holder[key] != was[_bare(key)]:
            node = mirror.root if holder is answer else mirror.field(mirror.root, _inner(answer))
            reached(holder, node, mirror, [holder[key]], at)


def keep_held_alike(api, kind: str, resource, owner: dict, request: dict, ctx) -> None:
    """Keep each object `resource` (one of `kind`, just made or changed) holds at any depth that is a resource of
    the same kind: of the schema the kind's read answers, with an id of its own (Square's item variations, each a
    `CatalogObject` in the item's `item_data.variations`), as its read holds it (`{"object": {...}}`). Kept only
    in the item, a read of a variation's id answered a drawn item, and a search of `ITEM_VARIATION`s found none. One
    kept already is changed only where the request sent it (an upsert of the item and its variations), not by a
    copy another resource holds of it."""
    if not isinstance(resource, dict):
        return
    envelope, schema = _read_resource(api, kind)
    if schema is None:
        return
    own = {str(resource.get(key)) for key in resource if _bare(key) in _OWN_IDS and _scalar(resource[key])}
    for item in _held_alike(Mirror(api.spec, schema), resource, schema, schema):
        resource_id = str(item["id"])
        if resource_id in own:
            continue
        before = documents.find(ctx, *kept_as(api, kind), resource_id)
        existed = before is not None and not before.deleted
        held = {envelope: item} if envelope is not None else item
        if existed and (before.answer == held or not _sends(content_of(request), resource_id)):
            continue
        documents.keep(ctx, *kept_as(api, kind), resource_id, owner, {}, held, request["now"], made=not existed)
        feeds.record(api, ctx, kind, resource_id, "change" if existed else "create", item,
                     _resource(before.answer, resource_id) if existed else None, request, held)


def _sends(sent, resource_id: str, depth: int = 0) -> bool:
    """Whether a request's body holds an object of the id `resource_id`, at any depth."""
    if depth > 12:
        return False
    if isinstance(sent, dict):
        return str(sent.get("id")) == resource_id or any(_sends(value, resource_id, depth + 1) for value in sent.values())
    return isinstance(sent, list) and any(_sends(value, resource_id, depth + 1) for value in sent)


def _held_alike(mirror, value, node, target, depth: int = 0):
    """The objects with an id `value` (of the schema `node`, read through `mirror`) holds at any depth whose schema
    is `target`."""
    node = mirror.resolved(node)
    if depth > 8 or node is None:
        return
    if isinstance(value, list):
        children = [(inner, mirror.items(node)) for inner in value]
    elif isinstance(value, dict):
        children = [(inner, mirror.field(node, key)) for key, inner in value.items()]
    else:
        return
    for inner, schema in children:
        if schema is None:
            continue
        if isinstance(inner, dict) and _scalar(inner.get("id")) and inner.get("id") is not None \
                and same_kind(mirror.spec, schema, target):
            yield inner
        yield from _held_alike(mirror, inner, schema, target, depth + 1)


def _keep_made_inside(api, operation_id: str, request: dict, answer, before, ctx, at) -> None:
    """Keep each resource an action made inside the resource it answers (`made_inside`: a cart's new hold),
    under its own kind where this API reads it (`/holds/{hold_id}`), so its read answers it and actions on
    it find it: the items of its noun's lists the resource did not hold `before`."""
    from .expansions import _kinds_answering

    for steps, items in _noun_lists(api, operation_id, _success_schema(api.spec, _located(api, operation_id)[1])):
        kinds = _kinds_answering(api, items)
        read_by = _read_by_kin(api, steps[-1], items) if not kinds else None
        if not kinds and read_by is None:  # (read by another API only: answered, not kept here)
            continue
        had = {str(item.get("id")) for item in _listed_at(before, steps) if isinstance(item, dict)}
        for item in _listed_at(answer, steps):
            if isinstance(item, dict) and _scalar(item.get("id")) and str(item.get("id")) not in had:
                if read_by is not None:  # (kept where the part of the API that reads it finds it; its feed is that part's)
                    documents.keep(ctx, *kept_as(*read_by), str(item["id"]),
                                   scopes.owned({}, scopes.of(api, request, ctx)), {}, item, at, made=True)
                    continue
                owner = scopes.owned({name: value for name, value in (request.get("path") or {}).items()
                                      if f"{{{name}}}" in kinds[0]}, scopes.of(api, request, ctx))
                documents.keep(ctx, *kept_as(api, kinds[0]), str(item["id"]), owner, {}, item, at, made=True)
                feeds.record(api, ctx, kinds[0], str(item["id"]), "create", item, None, request, item)


def _read_by_kin(api, noun: str, items) -> tuple | None:
    """(the part of the API, its kind) that reads the items of a list named `noun` that this spec reads nowhere:
    a read in another part (`api.kin`) at a path whose collection is that noun (`authorizations` ->
    `/v2/payments/authorizations/{authorization_id}`), answering most of the items' fields (PayPal's orders
    declare an authorization with its `processor_response`, its payments API with its `payee`), `id` among them."""
    from .about import _field_names

    known = api.derived.setdefault("read_by_kin", {})
    key = (noun, items.get("$ref") if isinstance(items, dict) and "$ref" in items else id(items))
    if key not in known:
        mine = _field_names(api.spec, items)[0]
        known[key] = next(((part, found.kind) for part in api.kin for op_id, method, _, _ in part.spec_operations()
                           if method.lower() == "get" and (found := address(part, op_id)) is not None
                           and found.role == "read" and re.search(rf"/{re.escape(str(noun))}/\{{[^}}/]+\}}/?$", found.kind)
                           and _mostly_alike(mine, _field_names(part.spec, read_answer(part, found.kind))[0])), None)
    return known[key]


def _mostly_alike(mine: frozenset, theirs: frozenset) -> bool:
    """Whether two schemas' field names are mostly the same, `id` among them (two thirds of the larger set)."""
    return "id" in mine & theirs and 3 * len(mine & theirs) >= 2 * max(len(mine), len(theirs))


def _listed_at(body, steps: tuple) -> list:
    """The items of the list `steps` lead to in `body` (`_noun_lists`), through the first item of each list on
    the way; [] where there is none."""
    for step in steps:
        if step is None:
            body = body[0] if isinstance(body, list) and body else None
        else:
            body = body.get(step) if isinstance(body, dict) else None
    return body if isinstance(body, list) else []


def _keep_made(api, operation_id: str, found: Address, request: dict, reply, ctx) -> None:
    """Keep what a creation made: the resource its answer gives (each item of a batch)."""
    at = request["now"]
    answer = reply.body if isinstance(reply.body, dict) else None
    sent = content_of(request)
    path = scopes.owned(dict(request.get("path") or {}), scopes.of(api, request, ctx))  # (and the account it is made for)
    if reply.body is not None and answer is None:  # a list of what was made, or a document: not one resource
        return
    # (made under an owner of its own kind, its id is not the owner's: a reversal's is not its transfer's)
    name = found.name if _value(request, found.name) is None else "id"
    batch = batch_key(sent)
    if batch is not None and isinstance((answer or {}).get(batch), list):  # each item of a batch (Xero's)
        for index, item in enumerate(answer[batch]):
            if isinstance(item, dict):
                sent_item = sent[batch][index] if index < len(sent[batch]) else {}
                stamp(item, sent_item, at, made=True, said=said_made(api.spec, read_answer(api, found.kind)))
                _numbered(api, found.kind, item, sent_item, ctx)
                made = created_id(operation_id, request, item, name, found.kind, api)
                documents.keep(ctx, *kept_as(api, found.kind), made, path, sent_item, item, at, made=True)
                feeds.record(api, ctx, found.kind, made, "create", _resource(item, made), None, request, item)
                totals.paid_towards(api, ctx, found.kind, item, request, at)
        return
    one = _batched_like(answer, sent) if batch is None else None
    if one is not None and isinstance(answer[one][0], dict):  # one sent bare, answered as a batch's one item
        answer = answer[one][0]  # (Xero's `PUT /Payments`): kept as the item, as a batch's items are
    # (and what its schema says is the moment it was made, under another name: SumUp's checkout `date`)
    answered = _success_schema(api.spec, _located(api, operation_id)[1]) or read_answer(api, found.kind)
    stamp(answer, sent, at, made=True, said=said_made(api.spec, answered))
    _numbered(api, found.kind, _resource(answer, None), sent, ctx)
    made = created_id(operation_id, request, answer, name, found.kind, api)
    totals.none_done_yet(api, found.kind, _resource(answer, made))  # (nothing refunded of a new charge)
    refunds.none_yet(_resource(answer, made), sent)  # (nor listed in its refunds)
    tallies.started(api.spec, read_answer(api, found.kind), _resource(answer, made), sent)  # (nor captured)
    answer = _first_state(api, found.kind, answer, sent)
    documents.keep(ctx, *kept_as(api, found.kind), made, path, sent if isinstance(sent, dict) else {}, answer, at, made=True)
    feeds.record(api, ctx, found.kind, made, "create", _resource(answer, made), None, request, answer)
    totals.paid_towards(api, ctx, found.kind, _resource(answer, made), request, at)  # (a payment pays what it names)
    _transitioned(api, operation_id, found.kind, sent, request, ctx, at)  # (a card's transition moves the card)
    keep_held_alike(api, found.kind, _resource(answer, made), path, request, ctx)
    # made by an action under another resource whose verb names one of its states (a capture made by
    # `POST /authorizations/{id}/capture`): that resource is left in the state, as a mark leaves it
    template = _located(api, operation_id)[0]
    marked = _marked(api, template, request.get("method", "").lower()) if template else None
    if marked is not None and marked.kind != found.kind:
        owner_id = _value(request, marked.name)
        owner = documents.find(ctx, *kept_as(api, marked.kind), owner_id) if owner_id is not None else None
        if owner is not None and not owner.deleted:
            partly = not _said_final(sent) and _partly_done(api, ctx, found.kind, marked.name, owner_id, owner.answer)
            _mark(api, operation_id, marked, owner_id, owner, request, ctx, at, partly)


def _named_by_required(api, operation_id: str, kind: str, sent, ctx):
    """(kind, its read's parameter, the field naming it, the id sent, the kept resource or None) of each resource of
    another kind a
    creation's body must name by that kind's id: by the read's own parameter where it says whose id it is
    (`card_token` of `/cards/{card_token}`), else by the read's noun and its parameter (`card_token` of
    `/cards/{token}`)."""
    schema = sent_schema(api, operation_id) or {}
    required = set(schema.get("required") or ())
    if not isinstance(sent, dict) or not required:
        return
    # (a call keeping nothing may name it by a bare id its description says is of that kind: a card issuer's
    # clearing's `token`, "The transaction token returned from the /v1/simulate/authorize response")
    mirror = Mirror(api.spec, schema)
    described = {key: _described_kind(api, mirror.field(mirror.root, key), key) for key in required
                 if kind is None and _bare(key) in _OWN_IDS}
    for other, name in totals.readable_kinds(api, address):
        noun = read_noun(other, name)
        if other == kind or noun is None:
            continue
        fields = {_bare(noun) + _bare(name)} | ({_bare(name)} if _id_word(name) else set())
        field = next((key for key in required if (_bare(key) in fields or _followed_as(key) in fields
                                                  or described.get(key) == other)
                      and _scalar(sent.get(key)) and sent.get(key) not in (None, "")), None)
        if field is not None:
            kept = documents.find(ctx, *kept_as(api, other), str(sent[field]))
            yield other, name, field, str(sent[field]), kept if kept is not None and not kept.deleted else None


def _followed_as(key) -> str | None:
    """The field `key` is, without the word before it saying it names what a call follows on from
    (`original_transaction_token` -> `transactiontoken`: Marqeta's clearing names the authorization it clears so, and
    the transaction it answers names it in `preceding_related_transaction_token`: about.as_named_ids), or None where
    no such word starts it."""
    word = _bare(key)
    return next((word[len(before):] for before in _BEFORE_WORDS if word.startswith(before) and len(word) > len(before) + 2),
                None)


def _follow_on(api, operation_id: str, request: dict, ctx, at) -> None:
    """Leave each kept resource a call names as the one it follows on from (`_followed_as`: a clearing's
    `original_transaction_token`) in the state its path's last word names (`/simulate/clearing` -> `CLEARED`):
    a card issuer's authorization cleared was read back PENDING."""
    last = (_located(api, operation_id)[0] or "").rstrip("/").rsplit("/", 1)[-1]
    sent = content_of(request)
    for other, _, field, _, kept in _named_by_required(api, operation_id, None, sent, ctx):
        # (or by a bare id described as its kind's: `_named_by_required`; a clearing's `token` of the authorization)
        if (_followed_as(field) is None and _bare(field) not in _OWN_IDS) or kept is None \
                or not isinstance(kept.answer, dict):
            continue
        answer = copy.deepcopy(kept.answer)
        moved = False
        for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, other)), answer):
            states = [value for value in node.get("enum") or () if isinstance(value, str)]
            named = next((verb_state(form, states) for form in verbs_of(last) if verb_state(form, states)), None)
            if named is not None and holder[key] != named:
                holder[key], moved = named, True
        if moved:
            _keep_moved(api, ctx, other, kept, answer, request, at)


def _processed_by_simulation(api, operation_id: str, request: dict, ctx, at) -> None:
    """Leave each kept resource of a kind a test helper processes in the state its processing names: a simulation
    (`simulat` in its path or operationId) of no id and no body whose operationId or summary names the kind's noun
    and a verb (`simulateBankTransferProcessing`: `transfer`, `process`) moves each of that kind in a state of
    its beginning (`pending`) to the verb's past (`processed`), of its states (`_states_of`). Dwolla's
    `POST /sandbox-simulations` ("Processes or fails the last 500 bank transfers") left its transfers `pending`."""
    template = _located(api, operation_id)[0] or ""
    operation = next((op for op_id, _, _, op in api.spec_operations() if op_id == operation_id), None)
    if "{" in template or content_of(request) or not isinstance(operation, dict) \
            or "simulat" not in _bare(template) + _bare(operation_id):
        return
    words = {word.lower() for word in re.findall(r"[A-Z]?[a-z]+", f"{operation_id} {operation.get('summary') or ''}")}
    verbs = {form for word in words for form in ([word[:-3], word[:-3] + "e"] if word.endswith("ing") else [word])}
    kinds = {address(api, op_id).kind for op_id, method, _, _ in api.spec_operations()
             if method.lower() == "get" and getattr(address(api, op_id), "role", None) == "read"}
    for kind in kinds:
        noun = _singular(_bare(next((part for part in reversed(kind.split("/")) if part and "{" not in part), "")))
        if not noun or noun not in words:
            continue
        mirror = Mirror(api.spec, read_answer(api, kind))
        for kept in documents.listed(ctx, *kept_as(api, kind)):
            if kept.deleted or not isinstance(kept.answer, (dict, type(None))):
                continue
            answer, moved = _with_drawn_state(api, kind, kept, mirror, request.get("today")), False
            for holder, key, node in _held_states(mirror, answer):
                states = _states_of(api, kind, key, node)
                done = next((state for state in states for verb in verbs if _bare(state) == past(verb)), None)
                if done is not None and isinstance(holder[key], str) and holder[key] != done \
                        and _bare(holder[key]).startswith(_ON_ITS_START):
                    holder[key], moved = done, True
            if moved:
                _keep_moved(api, ctx, kind, kept, answer, request, at)


def _with_drawn_state(api, kind: str, kept, mirror, today) -> dict:
    """A copy of the kept answer, with the state its read draws where it holds none: a creation answering with
    `Location` alone (Dwolla's transfer, `201` and no body) kept no `status`, and its read drew `pending` from the
    example each time, so nothing a simulation processed was found waiting."""
    answer = copy.deepcopy(kept.answer) if isinstance(kept.answer, dict) else {}
    if _held_states(mirror, answer):
        return answer
    drawn = _drawn_as_read(api, kind, kept.id, today) or {}
    return {**answer, **{key: value for key, value in drawn.items() if state_field(key) and isinstance(value, str)}}


# The states a resource waits in for its processing.
_ON_ITS_START = ("pending", "queued", "created", "new", "initiated", "submitted", "scheduled")


def _states_of(api, kind: str, key: str, node: dict) -> list:
    """The states a kind's state field `key` takes: its enum, else those the description of a query parameter of its
    name lists in code spans where the kind is listed (Dwolla's transfer `status`, free text, filtered by a
    `status` "Possible values are `pending`, `processed`, `failed`, or `cancelled`")."""
    enum = [value for value in node.get("enum") or () if isinstance(value, str)]
    if enum:
        return enum
    noun = next((part for part in reversed(kind.split("/")) if part and "{" not in part), "")
    for _, method, path, operation in api.spec_operations():
        if method.lower() != "get" or path.rstrip("/").rsplit("/", 1)[-1] != noun:
            continue
        for parameter in operation.get("parameters") or ():
            parameter = deref(api.spec, parameter) or {}
            spans = re.findall(r"`([a-z][a-z_]+)`", str(parameter.get("description") or ""))
            if parameter.get("in") == "query" and parameter.get("name") == key and len(spans) > 1:
                return list(dict.fromkeys(spans))
    return []


def _refused_naming(api, operation_id: str, kind: str, request: dict, ctx) -> None:
    """Refuse a creation whose body must name a resource of another kind (`_named_by_required`) that was never made
    here, as that one's read would be (not_found.`_refuse_unknown`), or that is withdrawn (`withdrawn_state`), as an action on
    it would be (`_refused_when_withdrawn`: 422 `invalid_state`), making nothing (a card issuer's card made for the user
    `nobody` was answered 201 with `user_token: nobody`; a simulated authorization of a TERMINATED card was
    approved)."""
    responses = {str(code).upper() for code in ((_located(api, operation_id)[1] or {}).get("responses") or {})}
    for other, name, field, named, kept in _named_by_required(api, operation_id, kind, content_of(request), ctx):
        if kept is not None and isinstance(kept.answer, dict):  # (said in the field's words: not an action's verb)
            for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, other)), kept.answer):
                if isinstance(holder[key], str) and withdrawn_state([holder[key]]) is not None:
                    raise SandboxError("invalid_state", f"{field} {named} is {holder[key]}", field=field)
                # (a refund of a payment still waiting for its payer, or failed: Xendit's payment request refunded
                # while `REQUIRES_ACTION` had been made, and refunds of it summed up to all of its amount)
                if kind is not None and totals.refunds(kind) and unpaid_state(holder[key], listed_states(node)) \
                        and not totals.says_received(_resource(kept.answer, kept.id) or {}):
                    raise SandboxError("invalid_state", f"{field} {named} is {holder[key]}: nothing of it was paid "
                                       "to refund", field=field)
            # (what it says was refunded, else what the refunds kept naming it add up to: PAY.JP's payment flow
            # holds no `amount_refunded`, and refunds of all of it had been made again and again)
            refunded = _made_beside(api, kind, ctx, lambda made, field=field, named=named: isinstance(
                made.sent, dict) and str(made.sent.get(field)) == str(named)) if kind is not None else None
            beyond = totals.refunded_beyond(_resource(kept.answer, kept.id) or {}, kind, content_of(request), refunded)
            if beyond is not None and beyond[1] is None:  # (sent without an amount: of all that is left, none)
                raise SandboxError("invalid_amount", f"nothing is left to refund of {field} {named}", field=beyond[0])
            if beyond is not None:  # (more than is left of what it received)
                raise SandboxError("invalid_amount", f"{beyond[0]} {beyond[1]} is more than the {beyond[2]} left to "
                                   f"refund of {field} {named}", field=beyond[0])
        elif not _status_asked(request) and _declares_refusal(api, operation_id):
            _refuse_unknown(api, operation_id, other, field, named, ctx)
        elif not _status_asked(request) and responses & {"400", "422"} and named not in _shown_ids(api, other, name) \
                and _made_by_clients(api, other) and documents.any_made(ctx, *kept_as(api, other)):
            # (an operation declaring no 404 refuses it as the bad input it is: its 400 or 422)
            raise SandboxError("invalid_request", f"No such resource: {named}", field=field)


def _ids_of_named(api, operation_id: str, kind: str | None, request: dict, ctx) -> dict:
    """{the field naming it: (its id, {field: id} of the other resources it names)} of each kept resource a
    creation's or a simulation's body must name (`_named_by_required`): what is answered about it names them as it
    does (about.as_named_ids: a card issuer's simulated authorization of a card answered a transaction holding the
    card's token beside a drawn `user_token` and `card_product_token`, not the card's)."""
    named = {}
    for _, _, field, value, kept in _named_by_required(api, operation_id, kind, content_of(request), ctx):
        resource = _resource(kept.answer, kept.id) if kept is not None else None
        if not isinstance(resource, dict) or scopes.held(kept.owner) != scopes.of(api, request, ctx):
            continue
        ids = {key: held for key, held in resource.items() if (_id_word(key) or AN_ID.search(str(key)))
               and _bare(key) not in _OWN_IDS and isinstance(held, str) and held and key != field
               and _followed_as(key) is None}  # (not what that one follows on from: what this one does is it)
        named[field] = (value, ids, _followed_as(field))
    return named


def _made_unread(api, operation_id: str, request: dict, reply) -> None:
    """Stamp the moments of making (`moments.stamp`) of what a POST at a path naming nothing by its id made, where
    this API reads it nowhere of its own (nothing is kept under its call's address), in place: Brex's `POST
    /v1/incoming_transfers` answered a transfer `created_at` a drawn day, kept so, and `createdAt` was drawn on each
    such creation, before the request."""
    path = _located(api, operation_id)[0]
    answer = reply.body if isinstance(reply.body, dict) and 200 <= reply.status < 300 else None
    if answer is None or path is None or "{" in path:
        return
    holders = [answer, *(value for value in answer.values() if isinstance(value, dict))]
    if any(_scalar(holder.get("id")) and holder.get("id") not in (None, "") for holder in holders):
        stamp(answer, content_of(request), request["now"], made=True, said=said_made(
            api.spec, _success_schema(api.spec, _located(api, operation_id)[1])))


def keep_answered_kinds(api, operation_id: str, request: dict, reply, ctx) -> None:
    """Keep each resource a call that keeps nothing of its own (a simulation) answers, at its top or one object
    down, that is of a kind this API reads one by one (the schema its read answers, with an id of its own), under
    that kind, so its read answers it as it was answered and its list lists it (a card issuer's `POST
    /simulate/authorization` answered `{transaction: {token, card_token, amount, ...}}`, and `GET
    /transactions/{token}` answered another transaction, drawn). One kept already is left as it is."""
    answer = reply.body if isinstance(reply.body, dict) and 200 <= reply.status < 300 else None
    schema = _success_schema(api.spec, _located(api, operation_id)[1]) if answer is not None else None
    if schema is None:
        return
    mirror = Mirror(api.spec, schema)
    holders = [(answer, mirror.root)] + [(value, mirror.field(mirror.root, key)) for key, value in answer.items()
                                          if isinstance(value, dict)]
    for other, name in totals.readable_kinds(api, address):
        read = read_answer(api, other)
        own = name if name in ((read or {}).get("properties") or {}) else _id_word(name) or "id"
        for holder, node in holders:
            resource_id = holder.get(own) if isinstance(holder, dict) else None
            if not _scalar(resource_id) or resource_id in (None, "") or not same_kind(api.spec, node, read):
                continue
            before = documents.find(ctx, *kept_as(api, other), str(resource_id))
            if before is None:
                owner = scopes.owned({}, scopes.of(api, request, ctx))
                documents.keep(ctx, *kept_as(api, other), str(resource_id), owner, {}, holder, request["now"],
                               made=True)
                feeds.record(api, ctx, other, str(resource_id), "create", holder, None, request, holder)
    _keep_referenced(api, operation_id, answer, request, ctx)


def _described_kind(api, node, name) -> str | None:
    """The kind this API reads one by one that the field `name` (a bare id: `token`, `id`) holds an id of, where its
    description names that kind by its read's noun ("A unique token to reference this transaction", "The transaction
    token returned from ..." of `/transactions/{transaction_token}`), the one read at the shortest path of those of
    that noun (not `/fraud/transactions/{transaction_token}`); None where it names none, or several alike."""
    text = str((node or {}).get("description") or "").lower()
    if _bare(name) not in _OWN_IDS or not text:
        return None
    named = set()
    for other, parameter in totals.readable_kinds(api, address):
        noun = (read_noun(other, parameter) or "").lower()
        if len(noun) > 2 and re.search(r"\b" + re.sub(r"[_-]", "[ _-]", re.escape(noun)) + r"\b", text):
            named.add(other)
    depth = lambda path: path.count("/")
    shortest = [other for other in named if depth(other) == min(map(depth, named))]
    return shortest[0] if len(shortest) == 1 and len({_singular(other.rsplit("/", 2)[-2]) for other in named}) == 1 \
        else None


_SPENT_UNSETTLED = ("pending", "authoriz", "authoris", "held", "onhold")
_VOID = ENDED_OTHERWISE
_FUNDED_BY = re.compile(r"^(fundingsource(token|id)?|source(token|id)?)$")
# The side of a movement naming the account it pays into (`counterpartyAccount`, `destination_account_id`,
# `to_account`), bare; a kind named for money coming in (`/inbound_ach_transfers`, `/received-payments`); a direction
# its client sent saying it pulls the money in (an ACH debit: `direction: Debit`).
_PAID_TO = re.compile(r"^(counterparty|destination|recipient|receiv|beneficiary|creditor|payee|target)"
                      r"|^to(account|wallet|card|user)?(id|token)?$")
_INBOUND_KIND = re.compile(r"inbound|incoming|received|receipts?\b", re.IGNORECASE)
_PULLED_IN = ("debit", "inbound", "incoming", "pull")


def _namings(resource: dict):
    """(field, value) of each id a kept resource names another by: its fields of ids at its top and one object down
    (JSON:API's `attributes`), and its JSON:API relationships by their names (`counterpartyAccount: {data: {type,
    id}}`)."""
    for key, value in resource.items():
        if _scalar(value) and (_id_word(key) or AN_ID.search(str(key))) and _bare(key) not in _OWN_IDS:
            yield key, value
        elif isinstance(value, dict):
            for inner, named in value.items():
                data = named.get("data") if isinstance(named, dict) else None
                if isinstance(data, dict) and _scalar(data.get("id")):  # (a relationship: named by its name)
                    yield inner, data["id"]
                elif _scalar(named) and (_id_word(inner) or AN_ID.search(str(inner))) and _bare(inner) not in _OWN_IDS:
                    yield inner, named


def _fields_within(resource: dict) -> dict:
    """A kept resource's scalar fields at its top, with those one object down it does not hold itself (JSON:API's
    `attributes`: a payment's `amount` and `status`)."""
    out = {}
    for value in resource.values():
        if isinstance(value, dict):
            out.update({key: inner for key, inner in value.items() if _scalar(inner)})
    return {**out, **{key: value for key, value in resource.items() if _scalar(value)}}


def _sent_direction(sent, depth: int = 0) -> str | None:
    """The bare `direction` a client sent (at its body's top or a few objects down: JSON:API's `data.attributes`)."""
    if not isinstance(sent, dict) or depth > 3:
        return None
    if isinstance(sent.get("direction"), str):
        return _bare(sent["direction"])
    return next((found for value in sent.values() for found in [_sent_direction(value, depth + 1)] if found), None)


def _reads_balances(api, operation_id: str) -> bool:
    """Whether a read's answer declares a balance within a few objects of its top (Unit's account's
    `data.attributes.balance`, `available`), through its references, `allOf`s, choices of shapes and the subtypes its
    discriminator maps (Unit's account document, `depositAccount` of three); memoised."""
    memo = api.derived.setdefault("reads_balances", {})
    if operation_id not in memo:
        found, stack, seen = False, [(_success_schema(api.spec, _located(api, operation_id)[1]), 0)], 0
        while stack and not found and seen < 200:
            node, depth = stack.pop()
            node, seen = flattened(api.spec, node), seen + 1
            if not isinstance(node, dict) or depth > 3:
                continue
            declared = node.get("properties") or {}
            found = any(totals.BALANCE_FIELD.match(re.sub(r"[^a-z]", "", str(key).lower())) for key in declared)
            stack += [(branch, depth) for branch in (node.get("oneOf") or node.get("anyOf") or ())]
            mapping = (node.get("discriminator") or {}).get("mapping") if depth < 3 else None  # (subtypes named so)
            stack += [({"$ref": ref}, depth) for ref in (mapping or {}).values() if isinstance(ref, str) and ref.startswith("#")]
            stack += [(field, depth + 1) for field in declared.values()]
        memo[operation_id] = found
    return memo[operation_id]


def _holder_movements(api, operation_id: str, request: dict, ctx) -> dict | None:
    """{paid, pending, settled}: the money kept resources of this API moved for the holder a read of balances names by
    its one path parameter (`totals.BALANCE_READ`: `/balances/{token}`; or the read of a resource whose answer holds
    its balances: Unit's `/accounts/{accountId}`), each that names it by an id (`user_token`, `card_token`,
    `account_id`, a JSON:API relationship) and holds an `amount` (at its top or one object down): paid in where it
    names the holder as where the money goes (`counterpartyAccount`, `destination_account_id`), where its kind is one
    of money coming in (`/inbound_ach_transfers`), where it names where its money comes from (a `funding_source_token`:
    Marqeta's GPA order funding a user), or where it pulls the money in (a negative amount, as Increase's ACH transfer
    debiting the other account; `direction: Debit` sent); else spent, settled or waiting by its state (a simulated
    authorization `PENDING`, cleared `SETTLED`). One voided, declined, returned or expired moves nothing. A holder
    the workspace keeps (a client opened it here) starts from nothing: with nothing moved yet, its balances are none,
    not drawn (Increase's new account read `current_balance` 100, Unit's `balance` 248 beside `available` 558); one
    it does not keep, of a kind clients open (drawn, as the spec's examples and a list's drawn items are), had money
    before: `drawn` says so, and its drawn balance is where its movements start. None where no such resource names
    a holder not kept here: the balance is drawn."""
    template = _located(api, operation_id)[0] or ""
    parameters = re.findall(r"\{([^}/]+)\}", template)
    if str(request.get("method", "")).upper() != "GET" or len(parameters) != 1 or not (
            totals.BALANCE_READ.search(template) or _reads_balances(api, operation_id)):
        return None
    holder = (request.get("path") or {}).get(parameters[0])
    if holder in (None, ""):
        return None
    mine, sums, seen = scopes.of(api, request, ctx), {"paid": Decimal(0), "pending": Decimal(0), "settled": Decimal(0)}, False
    held = []
    # (those whose answers held its id when kept, by the workspace's index of them: not every kept resource)
    kinds = {kept_as(api, kind): kind for kind, _ in totals.readable_kinds(api, address)}
    for slug in dict.fromkeys(place[0] for place in kinds):
        for kept_kind, kept in documents.naming(ctx, slug, str(holder)):
            kind = kinds.get((slug, kept_kind))
            resource = _resource(kept.answer, kept.id)
            if kind is None or not isinstance(resource, dict) or scopes.held(kept.owner) != mine or kept.id == str(holder):
                continue
            sides = [key for key, value in _namings(resource) if str(value) == str(holder)]
            if sides:
                held.append((kind, kept, resource, sides))
    # (one following on from another of them, naming it so, moved that one, which counts in the state it left it
    # in: a clearing's transaction and the authorization it cleared are one spending)
    ids = {kept.id for _, kept, _, _ in held}
    for kind, kept, resource, sides in held:
        fields = _fields_within(resource)
        if any(_followed_as(key) and str(value) in ids for key, value in fields.items()):
            continue
        amount = _amount(fields)
        if amount is None:
            continue
        seen = True
        states = [_bare(value) for key, value in fields.items() if state_field(key) and isinstance(value, str)]
        if any(state.startswith(_VOID) or withdrawn_state([state]) for state in states):
            continue
        inward = bool(_INBOUND_KIND.search(kind)) != (amount < 0)  # (a negative amount moves it the other way)
        inward = inward or any(_PAID_TO.match(_bare(side)) for side in sides) or any(
            _FUNDED_BY.match(_bare(key)) for key in {**(kept.sent or {}), **fields}) or (
            _sent_direction(kept.sent) or "").startswith(_PULLED_IN)
        if inward:
            sums["paid"] += abs(amount)
        elif any(state.startswith(_SPENT_UNSETTLED) for state in states):
            sums["pending"] += abs(amount)
        else:
            sums["settled"] += abs(amount)
    opened = any((slug, kind) in kinds for slug, kind in documents.kinds_of(ctx, str(holder)))
    # (drawn: of a kind clients open, read at the path its balance is read under, and not opened here; a holder of
    # no such kind, a card program's user named only by its token, starts from nothing as before)
    own = template[:template.index("}") + 1]
    drawn = not opened and own in kinds.values() and _made_elsewhere(api, own)
    return {**sums, "drawn": drawn} if seen else sums if opened else None


def _referenced_kinds(api, operation_id: str) -> dict:
    """{field: kind} of the ids at the top of an operation's success that are described as of a kind this API reads
    (`_described_kind`), memoised."""
    memo = api.derived.setdefault("referenced_kinds", {})
    if operation_id not in memo:
        schema = _success_schema(api.spec, _located(api, operation_id)[1])
        mirror = Mirror(api.spec, schema) if isinstance(schema, dict) else None
        memo[operation_id] = {key: kind for key in ((mirror.root or {}).get("properties") or () if mirror else ())
                              for kind in [_described_kind(api, mirror.field(mirror.root, key), key)] if kind}
    return memo[operation_id]


def _keep_referenced(api, operation_id: str, answer: dict, request: dict, ctx) -> None:
    """Make the resource a call keeping nothing (a simulation) answers only a reference to: an id at the answer's
    top described as one of a kind this API reads (`_described_kind`: a card issuer's `POST /simulate/authorize`
    answers `{token, debugging_request_id}`, the token "to reference this transaction"). It is made of what was sent
    (its fields of the same names, at its top or one object down: `amount`, the merchant's `descriptor`), names
    the resource the request names by a field that one holds (a card by its `pan`) and the ids that one names (its
    account), and starts in its kind's first state. Unmade, its read drew a transaction of another amount, card and
    merchant, and the clearing naming it moved nothing."""
    sent = content_of(request)
    if not isinstance(sent, dict):
        return
    for key, other in _referenced_kinds(api, operation_id).items():
        value = answer.get(key)
        if not _scalar(value) or value in (None, "") or documents.find(ctx, *kept_as(api, other), str(value)) is not None:
            continue
        read = Mirror(api.spec, read_answer(api, other))
        resource = _drawn_as_read(api, other, str(value), request.get("today")) or {}
        own = next((name for name in (read.root or {}).get("properties") or () if _bare(name) in _OWN_IDS), key)
        resource[own] = value
        _filled_as_sent(read, resource, sent)
        resource.update(_named_by_fields(api, other, read, sent, request, ctx))
        for state in [name for name in resource if state_field(name)]:
            first = _first_of_enum(api.spec, read_answer(api, other), None, state)
            resource[state] = first if first is not None else resource[state]
        stamp(resource, {}, request["now"], made=True, said=said_made(api.spec, read_answer(api, other)))
        owner = scopes.owned({}, scopes.of(api, request, ctx))
        documents.keep(ctx, *kept_as(api, other), str(value), owner, {}, resource, request["now"], made=True)
        feeds.record(api, ctx, other, str(value), "create", resource, None, request, resource)


def _fits_field(node, value) -> bool:
    """Whether a scalar sent fits a declared field's plain type (no enum it is outside of)."""
    kind = (node or {}).get("type")
    types = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
    return (kind in types and isinstance(value, types[kind]) and not (isinstance(value, bool) and kind != "boolean")
            and value in ((node or {}).get("enum") or [value]))


def _filled_as_sent(read, resource: dict, sent: dict) -> None:
    """Put each scalar `sent` in the field of the same name `resource` declares, at its top, else in the one object
    one down declaring it (a simulated authorization's `descriptor`: its transaction's `merchant.descriptor`)."""
    for key, value in sent.items():
        if not _scalar(value) or value is None or _bare(key) in _OWN_IDS:
            continue
        if _fits_field(read.field(read.root, key), value):
            resource[key] = value
            continue
        below = [(name, node) for name in (read.root or {}).get("properties") or ()
                 for node in [read.field(read.root, name)]
                 if isinstance(resource.get(name, {}), dict) and key in ((node or {}).get("properties") or ())
                 and _fits_field(read.field(node, key), value)]  # (declared: not any key of a map, `tags`)
        if len(below) == 1:  # (laid over the read's example or draw where nothing was drawn for it here)
            resource.setdefault(below[0][0], {})[key] = value


def _named_by_fields(api, kind: str, read, sent: dict, request: dict, ctx) -> dict:
    """{field: id} of the kept resource of another kind a request names by a field that one holds (a card by its
    `pan`), where `kind`'s read declares a field for that kind's id (`card_token`), with the ids that one names
    (its `account_token`) where `kind` declares them too; the last made where several hold it."""
    declared = set((read.root or {}).get("properties") or ())
    named = {}
    for other, name in totals.readable_kinds(api, address):
        noun = read_noun(other, name)
        if other == kind or noun is None:
            continue
        words = {_bare(noun) + _bare(_id_word(name) or name), _bare(name)}
        field = next((key for key in declared if _bare(key) in words), None)
        holds = set((Mirror(api.spec, read_answer(api, other)).root or {}).get("properties") or ())
        asked = {key: value for key, value in sent.items() if key in holds and key not in declared and _scalar(value)
                 and value not in (None, "") and _bare(key) not in _OWN_IDS and not (_id_word(key) or AN_ID.search(str(key)))}
        if field is None or not asked:
            continue
        mine = scopes.of(api, request, ctx)
        found = [kept for kept in documents.listed(ctx, *kept_as(api, other)) if not kept.deleted
                 and scopes.held(kept.owner) == mine and isinstance(_resource(kept.answer, kept.id), dict)
                 and all(str(_resource(kept.answer, kept.id).get(key)) == str(value) for key, value in asked.items())]
        if found:
            resource = _resource(found[-1].answer, found[-1].id)
            named[field] = found[-1].id
            named.update({key: held for key, held in resource.items() if key in declared and key != field
                          and _bare(key) not in _OWN_IDS and _id_word(key) and isinstance(held, str) and held})
    return named


def _keep_moved(api, ctx, kind: str, kept, answer: dict, request: dict, at) -> None:
    """Keep `answer`, the kept resource `kept` of `kind` moved to another state by a call about it (a transition, a
    follow-on), stamped as changed then, and record the change in its kind's feed."""
    stamp(answer, {}, at, made=False)
    documents.keep(ctx, *kept_as(api, kind), kept.id, kept.owner, kept.sent, answer, at)
    feeds.record(api, ctx, kind, kept.id, "change", _resource(answer, kept.id), _resource(kept.answer, kept.id), request,
                 answer)


def _transitioned(api, operation_id: str, kind: str, sent, request: dict, ctx, at) -> None:
    """A creation whose body must name a resource of another kind by that kind's id (`_named_by_required`) and
    must say a state, one of that kind's own states, is a transition of it: the kept resource is left in that
    state (a card issuer's `POST /cardtransitions` with `{"card_token", "state": "SUSPENDED", "channel"}` answered
    the transition, and the card was read back ACTIVE, and authorized as ever once TERMINATED). Both required, so a
    creation sending a state of its own beside the id of what it is for (a payment's `status` beside its
    customer's) moves nothing."""
    required = set((sent_schema(api, operation_id) or {}).get("required") or ())
    stated = {key: value for key, value in (sent.items() if isinstance(sent, dict) else ())
              if key in required and state_field(key) and isinstance(value, str)}
    if not stated:
        return
    for other, _, _, _, kept in _named_by_required(api, operation_id, kind, sent, ctx):
        if kept is None or not isinstance(kept.answer, dict):
            continue
        answer = copy.deepcopy(kept.answer)
        moved = False
        for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, other)), answer):
            value = stated.get(key, next(iter(stated.values())) if len(stated) == 1 else None)
            if value in (node.get("enum") or ()) and holder[key] != value:
                holder[key], moved = value, True
        if moved:
            _keep_moved(api, ctx, other, kept, answer, request, at)


def _numbered(api, kind: str, resource, sent, ctx) -> None:
    """Number `resource`, just made, in place, in the sandbox's own sequence of its kind where its client sent no
    number: its field named `number` or for its kind's noun and `number` (an invoice's `InvoiceNumber`), drawn as
    a document's number, text ending in digits after a prefix (`INV-0001`), is the next of those made (`INV-0002`
    for the second), in the drawn one's form; digits alone (an account's or a card's number) stay as drawn. Drawn,
    Xero's every invoice made was the example's INV-0001."""
    if not isinstance(resource, dict):
        return
    sent = sent if isinstance(sent, dict) else {}
    noun = re.search(r"([^/{}]+)/\{[^}/]+\}/?$", kind or "")
    noun = _bare(noun.group(1)) if noun else ""
    for key, value in list(resource.items()):
        bare = _bare(key)
        if key in sent or not (bare == "number" or bare.endswith("number") and len(bare) > 8
                                and noun.startswith(bare[:-6])):
            continue
        digits = re.fullmatch(r"(.*?\D)(\d+)", value) if isinstance(value, str) else None
        if digits is not None:
            nth = documents.count(ctx, *kept_as(api, kind)) + 1
            resource[key] = digits.group(1) + str(nth).zfill(len(digits.group(2)))


def _mark(api, operation_id: str, found: Address, resource_id: str, kept, request: dict, ctx, at,
          partly: bool = False) -> None:
    """Leave the kept resource `found` names in the state the action's verb names (a `mark`), or in its partial
    form where the enum has one and what was done so far is `partly` its amount (`PARTIALLY_REFUNDED`)."""
    answer = copy.deepcopy(acted_state(api, operation_id, kept.answer, _stated_by(api, operation_id, found.kind),
                                       lambda candidate: True, at))
    tallies.moved(_resource(answer, resource_id), _bare(_verb(api, operation_id)), content_of(request), kept.sent)
    if partly:  # (named for the state, or for what the verb did where the whole is named otherwise: `CHARGED`,
        answer = copy.deepcopy(answer)  # `PARTIALLY_CAPTURED`)
        done = _bare(past(_bare(_verb(api, operation_id))))
        for holder, key, node in _held_states(Mirror(api.spec, read_answer(api, found.kind)), answer):
            whole = _bare(holder[key]) if isinstance(holder[key], str) else None
            holder[key] = next((value for value in node.get("enum") or () if whole and isinstance(value, str)
                                and _bare(value) in ("partially" + whole, "partial" + whole, "partially" + done)),
                               holder[key])
    stamp(answer, {}, at, made=False)
    documents.keep(ctx, *kept_as(api, found.kind), resource_id, kept.owner, kept.sent, answer, at)
    feeds.record(api, ctx, found.kind, resource_id, _verb(api, operation_id), _resource(answer, resource_id),
                 _resource(kept.answer, resource_id), request, answer)


def consented(apis, ctx, consent_id: str, granted: bool, at: str) -> list:
    """Leave the consent kept under `consent_id` (a resource of any served API whose state's enum has one) in the
    state its customer's answer at the sandbox's authorization page leaves it: granted, its authorised state
    (UK Open Banking's `Authorised`/`AUTH`, NextGenPSD2's `valid`), refused, its rejected one. Made
    `AwaitingAuthorisation`, it had stayed so whatever the customer said. The (api slug, kind) of each moved."""
    def answered(states: list, held):  # (a consent revoked stays so, and one used: CONSUMED is not authorised again)
        return consent_moved("granted" if granted else "refused", states, held)

    moved = []
    for slug, kind in documents.kinds_of(ctx, consent_id):
        api = next((api for api in apis if api.slug == slug), None)
        if api is not None and _restated(api, ctx, slug, kind, consent_id, answered, at):
            moved.append((slug, kind))
    return moved


def _restated(keeper, ctx, slug: str, kind: str, consent_id: str, move, at) -> bool:
    """Keep the consent `consent_id` (of `kind`, kept by the API `keeper`) with each of its states as `move(the
    states its enum holds, the state held)` says (None: left as it is); whether any moved."""
    kept = documents.find(ctx, slug, kind, consent_id)
    if kept is None or not isinstance(kept.answer, dict):
        return False
    answer = copy.deepcopy(kept.answer)
    for holder, key, node in _held_states(Mirror(keeper.spec, read_answer(keeper, kind)), answer):
        state = move([value for value in node.get("enum") or () if isinstance(value, str)], holder[key])
        if state is not None:
            holder[key] = state
    if answer == kept.answer:
        return False
    stamp(answer, {}, at, made=False)
    documents.keep(ctx, slug, kind, consent_id, kept.owner, kept.sent, answer, at)
    return True


def consumed(api, ctx, operation_id: str, request: dict, status: int, granted: str | None, served=(), at=None) -> list:
    """Leave a consent in its used state (`CONSUMED`, states.used_state) once a resource was made under it: an
    operation making one (a POST of a kind) answered 2xx with a customer's token granted for it (`granted`), or
    naming it in the body's own `consentId` (Brazil's Pix payment under its payment consent, which had stayed
    `AUTHORISED`: a second payment was made under it). Only one authorised is moved; a consent kept by another of
    the `served` APIs is moved as that API reads it. Where its enum has no such state it stays as it is (a consent
    for reading accounts is used again and again). The (api slug, kind) of each moved."""
    if ctx is None or request.get("method") != "POST" or not 200 <= status < 300:
        return []
    named = _consents_named(request)
    if not granted and not named:  # (every other POST, a bank's transfers among them, goes no further)
        return []
    found = address(api, operation_id)
    if found is None or found.role != "create":
        return []
    def used(states: list, held):
        return consent_moved("used", states, held)

    moved = []
    for consent_id in ({granted} if granted else set()) | named:
        for slug, kind in documents.kinds_of(ctx, consent_id):
            keeper = api if slug == api.slug else next((other for other in served if other.slug == slug), None)
            if keeper is not None and _restated(keeper, ctx, slug, kind, consent_id, used, at or request.get("now")):
                moved.append((slug, kind))
    return moved


# A parameter naming the consent a call is made under, by its name's letters (NextGenPSD2's `Consent-ID` header).
_NAMES_CONSENT = ("consentid",)


def consent_refusal(api, ctx, operation_id: str, request: dict, granted: str | None, served=()) -> SandboxError | None:
    """Why a call made with a customer's token granted for the consent `granted` (made at a bank's API and named by
    the authorization request, `consented`) is refused, or None: a token reaches what its consent allows while that
    consent is authorised, and nothing under another. So a call naming another consent in a parameter of its own
    (NextGenPSD2's `Consent-ID` header) or in its body (Brazil's Pix payment `consentId`), or made once its consent
    was rejected, revoked, deleted or left awaiting, is refused as the spec's codes say (NextGenPSD2's 401
    `CONSENT_INVALID`, 403 `CONSENT_UNKNOWN` for a consent never made; Brazil's 422 `CONSENTIMENTO_INVALIDO`; else
    403, UK Open Banking's). It had read the accounts all the same. A call about a consent itself (named in
    its path: its status read, its deletion) is the bank's to answer. A consent another of the `served` APIs keeps is
    judged as that API reads it (Brazil's consents API keeps the consent its accounts API's tokens are for: revoked
    there, they had read the accounts all the same)."""
    if not granted or ctx is None or any(_names_consent(p["name"]) for p in parameters_in(api, operation_id, "path")):
        return None
    for place, sent in (("header", request.get("headers") or {}), ("query", request.get("query") or {})):
        for parameter in parameters_in(api, operation_id, place):
            named = sent.get(parameter["name"].lower() if place == "header" else parameter["name"])
            if _names_consent(parameter["name"]) and isinstance(named, str) and named and named != granted:
                if documents.kinds_of(ctx, named, deleted=True):
                    return _consent_error(api, operation_id, "consent_mismatch",
                                          f"the access token was granted for consent {granted}, not {named}")
                return _consent_error(api, operation_id, "consent_not_found",
                                      f"no consent {named} was made for this connector")
    for named in sorted(_consents_named(request) - {granted}):  # (nor one its body names: it is refused as not
        # matching its consent, Brazil's 422 `PAGAMENTO_DIVERGENTE_CONSENTIMENTO`; it had been made, 201)
        return _consent_error(api, operation_id, "consent_mismatch",
                              f"the access token was granted for consent {granted}, not {named}, which the body names")
    from datetime import datetime

    from .states import consented_state, expired_state

    for slug, kind in documents.kinds_of(ctx, granted, deleted=True):
        keeper = api if slug == api.slug else next((other for other in served if other.slug == slug), None)
        kept = documents.find(ctx, slug, kind, granted) if keeper is not None else None
        if kept is None or not isinstance(kept.answer, dict):
            continue
        if kept.deleted:
            return _consent_error(api, operation_id, "consent_inactive",
                                  f"consent {granted}, which the access token was granted for, was deleted")
        current = as_expired(keeper, kind, kept.answer, request.get("now"), kept.sent)  # (one past its expiry is expired)
        for holder, key, node in _held_states(Mirror(keeper.spec, read_answer(keeper, kind)), current):
            states = [v for v in node.get("enum") or () if isinstance(v, str)]
            authorised = consented_state(states, True)
            if authorised is not None and holder[key] != authorised:  # (one expired, with the code for that)
                return _consent_error(api, operation_id, "consent_expired" if holder[key] == expired_state(states)
                                      else "consent_inactive",
                                      f"consent {granted}, which the access token was granted for, is {holder[key]}")
            # (one whose enum has no expired state is refused all the same: UK Open Banking's v3 consent)
            given = kept.sent if holder is current else (kept.sent or {}).get(_inner(current))
            if request.get("now") and any(_ran_out(held, datetime.fromisoformat(request["now"]))
                                          for held in (holder, given) if isinstance(held, dict)):
                return _consent_error(api, operation_id, "consent_expired",
                                      f"consent {granted}, which the access token was granted for, has expired")
    return None


def _consents_named(request: dict) -> set:
    """The consents a request's body names in a field of its own or of its envelope's (Brazil's Pix payment
    `data: [{consentId}]`, UK Open Banking's `Data.ConsentId`)."""
    body = unbatched(content_of(request))
    inner = _inner(body) if isinstance(body, dict) else None
    return {value for holder in ([body] + ([body[inner]] if inner else [])) if isinstance(holder, dict)
            for key, value in holder.items() if _names_consent(key) and isinstance(value, str) and value}


def _names_consent(name) -> bool:
    return re.sub(r"[^a-z]", "", str(name).lower()) in _NAMES_CONSENT


def _consent_error(api, operation_id: str, code: str, message: str) -> SandboxError:
    """The refusal `code`, at the status whose error codes the operation declares one saying it, in its words or a
    synonym's, in whatever language the codes are written (fallback.`_closeness`: NextGenPSD2's `CONSENT_INVALID`
    among its 401's, Brazil's `CONSENTIMENTO_INVALIDO` among its 422's), a 403 or 401 before others listing one too,
    else 403."""
    error = SandboxError(code, message)
    error.status = 403
    responses = (operation_of(api, operation_id) or {}).get("responses") or {}
    for status, response in sorted(responses.items(), key=lambda item: (str(item[0]) not in ("403", "401"), str(item[0]))):
        content = (deref(api.spec, response) or {}).get("content") or {} if str(status)[:1] == "4" else {}
        values = [value for media in content.values() for found in
                  _enums(api.spec, deref(api.spec, (media or {}).get("schema"))).values() for value in found]
        if str(status).isdigit() and any(_closeness(value, code, int(status)) >= 110 for value in values
                                         if isinstance(value, str)):
            error.status = int(status)
            break
    return error


def _said_final(sent) -> bool:
    """Whether an action's body says it is the last of its kind on what it acts on (PayPal's `final_capture`:
    a capture of part of an authorization that closes it)."""
    return isinstance(sent, dict) and any(value is True and (_bare(key) == "final" or _bare(key).startswith("final")
                                                              or _bare(key) == "isfinal") for key, value in sent.items())


def _amount(resource) -> Decimal | None:
    """A resource's `amount`: a number or its text, or a money object's `value` (`{currency_code, value}`)."""
    value = resource.get("amount") if isinstance(resource, dict) else None
    value = value.get("value") if isinstance(value, dict) else value
    try:
        return Decimal(str(value)) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
    except ArithmeticError:
        return None


def _partly_done(api, ctx, kind: str, name: str | None, owner_id: str, owner_answer) -> bool:
    """Whether the resources of `kind` made so far under the one `owner_id` names (its refunds, its captures) add
    up to less than its own amount: 10 of a 60 capture refunded leaves it `PARTIALLY_REFUNDED`, not `REFUNDED`."""
    whole = _amount(_resource(owner_answer, owner_id))
    if whole is None or name is None:
        return False
    made = [_amount(_resource(kept.answer, kept.id)) for kept in documents.listed(ctx, *kept_as(api, kind))
            if not kept.deleted and str(kept.owner.get(name)) == str(owner_id)]
    return bool(made) and None not in made and 0 < sum(made) < whole


def _first_state(api, kind: str, answer, sent):
    """A creation's answer as kept: where it says nothing of the state its read answers (Moov's transfer is made
    answering `{transferID, createdOn}`; its read has a `status`), in the state a new one starts in
    (beginnings._first_of_enum), unless the client sent one. Kept without, each read drew a state: a transfer just
    made was read back `failed`."""
    if not isinstance(answer, dict):
        return answer
    read = read_answer(api, kind)
    root = Mirror(api.spec, read).root or {}
    given = set(sent) if isinstance(sent, dict) else set()
    missing = [key for key in root.get("properties") or () if state_field(key) and key not in answer
               and key not in given]
    states = {key: _first_of_enum(api.spec, read, None, key) for key in missing}
    for key in [key for key in missing if states[key] is None]:  # (a state told in an object named for it: India's
        #  Account Aggregator reads a consent request's `ConsentStatus: {id, status}`, drawn READY or FAILED when made)
        node = Mirror(api.spec, (root.get("properties") or {}).get(key)).root or {}
        inner = next((name for name in node.get("properties") or () if state_field(name)), None)
        first = _first_of_enum(api.spec, read, key, inner) if inner is not None else None
        states[key] = {inner: first} if first is not None else None
    return {**answer, **{key: value for key, value in states.items() if value is not None}}


def replayed(api, operation_id: str, request: dict, reply, ctx) -> None:
    """A creation's answer replayed under its idempotency key carries the moments it was made at, as kept (the
    answer is drawn again from the same request; its moments are the first request's, not this one's)."""
    found = address(api, operation_id) if ctx is not None and 200 <= reply.status < 300 else None
    if found is None or found.role != "create" or not isinstance(reply.body, dict):
        return
    name = found.name if _value(request, found.name) is None else "id"
    kept = documents.find(ctx, *kept_as(api, found.kind), created_id(operation_id, request, reply.body, name, found.kind, api))
    if kept is not None:
        restamped(reply.body, made_moments(kept.answer))


def conflict_schema(api, operation_id: str, status: int) -> dict | None:
    """The schema the operation documents `status` (a reused idempotency key's refusal) with where it is the resource
    its creation answers, not an error (Moov's `POST /accounts/{accountID}/transfers` answers `409` with its
    `Transfer`); else None. (Memoised per operation and status.)"""
    known = api.derived.setdefault("conflicts_answering_made", {})
    if (operation_id, status) not in known:
        operation = _located(api, operation_id)[1] or {}
        made = _success_schema(api.spec, operation)
        response = deref(api.spec, ((operation.get("responses") or {}).get(str(status)))) or {}
        media = next((m for t, m in (response.get("content") or {}).items() if carries_json(t)), None)
        conflict = deref(api.spec, (media or {}).get("schema"))
        answers_made = (address(api, operation_id) or Address("", "", None)).role == "create" and isinstance(made, dict) \
            and same_kind(api.spec, conflict, made)
        known[(operation_id, status)] = conflict if answers_made and isinstance(conflict, dict) else None
    return known[(operation_id, status)]


def made_under(api, operation_id: str, request: dict, first, ctx):
    """The resource the first creation under an idempotency key made (`first`: the answer it got), as kept
    since (changed, acted on), else that first answer; None without one (a key claimed before answers were
    kept with it)."""
    if not isinstance(first, dict):
        return None
    found = address(api, operation_id)
    name = found.name if _value(request, found.name) is None else "id"
    kept = documents.find(ctx, *kept_as(api, found.kind), created_id(operation_id, request, first, name, found.kind, api))
    return copy.deepcopy(kept.answer if kept is not None else first)


def _batched_like(body, resource) -> str | None:
    """The key of the list an answer holds its resource in, as the one item of a batch (`{"Id": ..., "Status":
    "OK", "Contacts": [{...}]}`, Xero's), where the resource's own fields are not at the answer's top."""
    if not isinstance(body, dict) or not isinstance(resource, dict):
        return None
    # its ids (`WidgetID`; the envelope's `Id` is another field), else its fields, that the answer's top lacks; a
    # field of the envelope's own name that the list's item has too is no sign either way (a Payment sent with its
    # `Status`, answered `{"Status": "OK", "Payments": [{"Status": ...}]}`)
    ids = [key for key in resource if AN_ID.search(str(key))]
    marks = {key for key in ids or resource if key not in body}
    if not marks or ids and len(marks) < len(ids):
        return None
    shared = set() if ids else set(resource) - marks
    lists = [key for key, value in body.items() if isinstance(value, list) and value and isinstance(value[0], dict)
             and marks & set(value[0]) and shared <= set(value[0])]
    return lists[0] if len(lists) == 1 else None


def _stateless(answer):
    """`answer` without its state fields, at its top and in its envelope."""
    if not isinstance(answer, dict):
        return answer
    out = {key: value for key, value in answer.items() if not state_field(key)}
    inner = _inner(out)
    if inner is not None:
        out[inner] = {key: value for key, value in out[inner].items() if not state_field(key)}
    return out


def _grouped_as_kept(spec: dict, body, schema, sources: list, own, fits):
    """`body`, a read holding its resource's fields in objects that group them (Zuora's account: `basicInfo`,
    `billingAndPayment`, `metrics`, contacts, beside `success`), with what was sent and answered to make it in
    them: each scalar field the answer's top does not declare goes into every group declaring it, and the
    resource's own id (`own`: kind, id) into the one group declaring `id`, where the top declares none. Echoed at
    the top only, the account a connector made as `Acme` was read back as the example's `Test`, under the
    example's id. Each placed only where the answer still fits."""
    if not isinstance(body, dict):
        return body
    mirror = Mirror(spec, schema)
    top = (mirror.root or {}).get("properties") or {}
    # (a money object is a value, not a group: a payment's `amount` sent is not its fee's)
    groups = {name: node for name in top if isinstance(body.get(name), dict)
              for node in [mirror.field(mirror.root, name)] if isinstance(node, dict) and node.get("properties")
              and not _money_fields(spec, node)}
    if len(groups) < 2:  # (one object beside scalars is an envelope, read as one: `envelope_of`)
        return body
    values = {key: value for source in sources if isinstance(source, dict) for key, value in source.items()
              if key not in top and _scalar(value) and value is not None}
    holding_id = [name for name, node in groups.items() if "id" in node["properties"]]
    if own is not None and "id" not in top and len(holding_id) == 1:
        values["id"] = own[1]
    for key, value in values.items():
        for name, node in groups.items():
            fitting = key == "id" and name in holding_id or _fits_field(mirror.field(node, key), value)
            if key in node["properties"] and fitting and body[name].get(key) != value:
                placed = {**body, name: {**body[name], key: value}}
                body = placed if fits(placed) else body
    return body



def as_kept(api, request: dict, body, schema, fits):
    """`body`, an answer about a kept resource, as kept: what its client sent to make it, then its last answer,
    over the draw (an action's answer keeps the state it gives; a change's is what it was, changed). A
    list's items are the kept resources of its kind, each over the first drawn item, where the page still
    fits. An action's answer is in the state its verb names (`acted_state`)."""
    kept = request.get("remembered")
    found = address(api, request.get("operation_id") or "")
    whole = found is not None and feeds.told(api, found.kind)  # an event, written whole: read as written
    if kept is not None and (kept["role"] == "tombstone" or whole and kept["role"] == "read"):
        return copy.deepcopy(kept["answer"]) if fits(kept["answer"]) else body  # (a tombstone: a deleted one read)
    if kept is not None and isinstance(body, dict):
        # an action's own example says the state it leaves; a state drawn, or the read's example's, does not
        stated = kept["role"] == "action" and _exemplified(api, request.get("operation_id") or "")
        answer = _stateless(kept["answer"]) if stated else kept["answer"]
        # (a change's own body, merged into what was sent before, follows in `about_the_request`)
        sent = kept["sent"]
        inner = envelope_of(body)
        # (no envelope where what was sent or answered stands at the answer's top: the Recurring API's charge holds
        # its fields there beside its one object, `summary`, and what made it was echoed into that summary)
        if inner is not None and any(key in body and key != inner for source in (sent, answer)
                                     if isinstance(source, dict) and inner not in source for key in source):
            inner = None  # (an answer holding the envelope itself says nothing of it: Paystack's `{status, data}`)
        if inner is not None and isinstance(sent, dict) and sent and inner not in sent and isinstance(body[inner], dict):
            sent = {inner: sent}  # sent bare, read in an envelope (Paystack's `{data: {...}}`): what was sent is in it
        if inner is not None and isinstance(answer, dict) and answer and inner not in answer \
                and isinstance(body[inner], dict) and _inner(answer) is None:
            # made as a list's one item, kept bare, read in an envelope (Brazil's Pix payment: made `{data: [{...}]}`,
            # read `{data: {...}}`, it was read made at the example's moment of 2020)
            answer = {inner: answer}
        sources = [answer] if kept["role"] == "change" else [sent, answer]
        if _inner(answer) is not None and _inner(answer) not in body:  # made under an envelope, read without one
            sources.append(_resource(answer))
        # (a read drawing its answer, from the resource's own seed, holds what nothing kept says as its pages do)
        drawn = kept.get("own") is not None and not _success_examples(api.spec, _located(api, request["operation_id"])[1])
        whole_kept = _answered_whole(body, answer, fits, drawn) if kept["role"] == "read" else None
        body = whole_kept if whole_kept is not None else body  # (what was sent, and kept, over it all the same)
        for source in sources:
            batch = _batched_like(body, source)  # read as a batch's one item (Xero's)
            body = echo(body, {batch: [source]} if batch is not None else source, fits, api.spec, schema)
        if inner is None:
            body = _grouped_as_kept(api.spec, body, schema, sources, kept.get("own"), fits)
        body = _details_as_kept(api, body, schema, answer, fits)
        body = unsent_as_kept(api, found.kind, kept, body, schema, fits) if found is not None else body
        dated = copy.deepcopy(body)  # made when it was kept, where nothing kept says when
        dated_as_kept(dated, [kept["sent"], kept["answer"]], kept.get("made"))
        body = dated if dated != body and fits(dated) else body
    items = request.get("remembered_items")
    if items is not None:
        own = (lambda resource_id: _drawn_as_read(api, found.kind, resource_id, request.get("today"))) \
            if found is not None and not whole else None
        # (and without the drawn details of a state, or reasons of an end, the kept one has not: `_details_as_kept`)
        unsent = (lambda kept, item, node, check: _details_as_kept(
            api, unsent_as_kept(api, found.kind, kept, item, node, check), node, kept["answer"], check)) \
            if found is not None and not whole else None
        body = _listing(api, body, items, fits, (request.get("remembered_page") or {}).get("like"), schema, whole, own,
                        unsent)
    acting = kept.get("acting") if kept is not None and found is not None and found.role == "change" else None
    if found is None or found.role != "action" and acting is None:
        return body
    body = acted_state(api, request["operation_id"], body, schema, fits, request.get("now"), content_of(request), acting)
    if kept is not None and acting is None:  # (a refund in part leaves its payment as it was: refunds.given_back)
        body = refunds.given_back(_verb(api, request["operation_id"]), body, _resource(kept["answer"]),
                                  content_of(request), _held_states(Mirror(api.spec, schema), body), fits)
    return made_inside(api, request, body, schema, fits) if kept is not None and acting is None else body


def _answered_whole(body, answer, fits, drawn: bool = False):
    """The kept answer itself, as a read of it answers (in the draw's batch of one where the read answers one so),
    where it is the resource whole in the read's own form: it fits and holds most of the fields the read's draw of
    the resource holds, at its top and one level down. Read from the read's example with the kept answer over it,
    it held what the example says and nothing kept does (Xero's DRAFT invoice just made was read back with the
    example's `Payments` of 148062.76, its `FullyPaidOnDate` of 2019, its `Attachments` and a line's `ItemCode`,
    which its creation and its list answered without). A kept answer holding less (a creation answering its id
    alone) is read over the draw as before; either way what was sent and kept is echoed over it after. Where the
    read's answer is `drawn` from the resource's own seed (the read shows no example), the fields the draw holds
    and the kept answer lacks stay: they are the resource's own, as its pages list them."""
    if not isinstance(answer, dict) or not isinstance(body, dict):
        return None
    batch = _batched_like(body, answer)
    resource = next((item for item in body[batch] if isinstance(item, dict)), {}) if batch is not None else body
    # (its fields the read's answer has too: another form's, a creation's `id_pairs` beside its `thing`, are not
    # the read's; a declared one the draw left out comes back as the kept answer is echoed over it, `as_kept`)
    candidate = {**body, batch: [copy.deepcopy(answer)]} if batch is not None else \
        {key: copy.deepcopy(value) for key, value in answer.items() if key in body}
    if drawn and batch is None:  # (not the read's example's: SumUp's checkout read back its `description`)
        candidate = {**{key: value for key, value in body.items() if key not in answer}, **candidate}
    theirs, mine = _field_names(resource), _field_names(answer)
    if not theirs or 2 * len(theirs & mine) < len(theirs):
        return None
    return candidate if fits(candidate) else None


def _field_names(answer) -> set:
    """The names of an answer's fields at its top and one level down (the first object of a list), by path."""
    names = set()
    for key, value in answer.items():
        names.add((key,))
        value = next((item for item in value if isinstance(item, dict)), None) if isinstance(value, list) else value
        if isinstance(value, dict):
            names.update((key, inner) for inner in value)
    return names


def _details_as_kept(api, body, schema, kept, fits):
    """`body`, answered about a kept resource, without the drawn details of a state (`status_details`) where the
    state is the kept one's and the kept resource holds no such details: they told of the draw's state (PayPal's
    authorization made CREATED inside its order was read back CREATED with `status_details: {reason:
    PENDING_REVIEW}`)."""
    if not isinstance(body, dict) or not isinstance(kept, dict):
        return body
    held = _fields(kept)
    inner = _inner(kept)
    names = {_bare(name) for name in {**kept, **(kept[inner] if inner else {})}}
    mirror = Mirror(api.spec, schema)

    def untold(answer) -> list[tuple[dict, str]]:
        found = []
        for holder, key, node in _held_states(mirror, answer):
            if _bare(key) in held and holder[key] == held[_bare(key)]:
                required = _required(mirror, answer, holder)
                found += [(holder, detail) for detail in details_of(holder, key, required)
                          if _bare(detail) not in names]
                # (nor a drawn reason of an end it has not reached: Brex's transfer made without a
                # `cancellation_reason` was read back PENDING_APPROVAL with one drawn)
                states = [value for value in (node or {}).get("enum") or () if isinstance(value, str)]
                found += [(holder, name) for name in holder if _bare(name) not in names and name not in required
                          and told_of_unreached(name, holder[key], states)]
        return found

    # (looked for in the answer first: each item of a page passes here, and most have nothing to leave out)
    if not untold(body):
        return body
    candidate = copy.deepcopy(body)
    for holder, name in untold(candidate):
        holder.pop(name, None)
    return candidate if fits(candidate) else body


def made_inside(api, request: dict, body, schema, fits):
    """`body`, an action's answer about a kept resource that is that resource (`POST /carts/{id}/hold` answering
    the cart), holding what the action made: one new item in each list it holds named for the action's noun
    (`holds` of `hold`, `authorizations` of `authorize`, `captures`, `refunds`; at any depth: PayPal's order holds
    them at `purchase_units[].payments.authorizations`) whose items are resources (`_noun_lists`). The item has an
    id of its own, the state the verb names (else its first) and the amount the action sent, else its holder's;
    the resource, its part done, is in its enum's success where the verb names none of its states (PayPal's order
    is COMPLETED once authorized). Answered as kept, the list stayed as the resource was made, empty, and the
    client needing the authorization's id to capture it stopped there. `keep` keeps the item under its kind."""
    operation_id = request["operation_id"]
    lists = _noun_lists(api, operation_id, schema) if isinstance(body, dict) else []
    candidate, made = copy.deepcopy(body), False
    for steps, items in lists:
        chain = _reached(candidate, steps[:-1])
        listed = chain[-1].get(steps[-1]) if chain is not None else None
        listed = listed if isinstance(listed, list) else []
        item = _new_item(api, operation_id, request, items, chain, len(listed)) if chain is not None else None
        if item is not None:
            chain[-1][steps[-1]], made = [*listed, item], True
    if not made:
        return body
    verb = _verb(api, operation_id)
    for holder, key, node in _held_states(Mirror(api.spec, schema), candidate):
        states = [value for value in node.get("enum") or () if isinstance(value, str)]
        if verb_state(action_verb(verb, states), states) is None and succeeded_state(states) is not None:
            holder[key] = succeeded_state(states)
    return candidate if fits(candidate) else body


def _noun_lists(api, operation_id: str, schema) -> list:
    """(the keys down to it, None for each list on the way; its items' schema) of each list an action's answer
    declares, at any depth, named for the action's noun (`verbs_of`: `authorizations` of `authorize`), whose
    items are resources: an `id` and a read of their own, or a state (read by another API: PayPal's orders
    hold the authorizations its payments API reads). Worked out once per operation."""
    known = api.derived.setdefault("noun_lists", {})
    if operation_id not in known:
        verbs = set(verbs_of(_verb(api, operation_id)))
        mirror = Mirror(api.spec, schema)
        found = []

        def walk(node, steps: tuple, seen: list) -> None:
            if not isinstance(node, dict) or len(steps) > 8 or any(node is other for other in seen):
                return
            for key in node.get("properties") or ():
                field = mirror.field(node, key)
                if not isinstance(field, dict):
                    continue
                if field.get("type") != "array":
                    walk(field, (*steps, key), [*seen, node])
                elif verbs & set(verbs_of(key)) and _resource_items(api, field.get("items")):
                    found.append(((*steps, key), field.get("items")))
                else:
                    walk(mirror.items(field), (*steps, key, None), [*seen, node])
        walk(mirror.root, (), [])
        known[operation_id] = found
    return known[operation_id]


def _resource_items(api, items) -> bool:
    """Whether a list's items are resources of their own: an `id`, and a read of their own or a state field."""
    from .expansions import _kinds_answering

    root = Mirror(api.spec, items).root or {}
    declared = root.get("properties") or {}
    return "id" in declared and (bool(_kinds_answering(api, items)) or any(
        state_field(key) for key in declared))


def _reached(body: dict, steps: tuple) -> list | None:
    """The objects from `body` down along `steps` (keys; None: a list's first item), the last holding the list
    the steps lead to; an object missing on the way is made empty. None where a list on the way is empty."""
    chain = [body]
    for index, step in enumerate(steps):
        here = chain[-1]
        if step is None:
            if not isinstance(here, list) or not here or not isinstance(here[0], dict):
                return None
            chain[-1] = here[0]  # (a list stands for its first item)
            continue
        if not isinstance(here, dict):
            return None
        if here.get(step) is None:
            here[step] = [] if index + 1 < len(steps) and steps[index + 1] is None else {}
        chain.append(here[step])
    return chain if isinstance(chain[-1], dict) else None


def _new_item(api, operation_id: str, request: dict, items, chain: list, count: int) -> dict | None:
    """A resource an action made in a list (`made_inside`): drawn from its schema, with an id of its own (the
    `count`-th made there), the state the action's verb names, else the first, and each amount the action sent,
    else the nearest of its holders' (`chain`, from the answer down)."""
    rng = random.Random(f"{_seed(operation_id, request)}:{count}")
    item = generate(api.spec, items, rng)
    if not isinstance(item, dict) or not _scalar(item.get("id")) or item.get("id") is None:
        return None
    item["id"] = _redrawn(item["id"], rng) if isinstance(item["id"], (str, int)) else item["id"]
    mirror = Mirror(api.spec, items)
    verb = _verb(api, operation_id)
    for key in [key for key in (mirror.root or {}).get("properties") or () if state_field(key)]:
        states = [value for value in (mirror.field(mirror.root, key) or {}).get("enum") or () if isinstance(value, str)]
        state = verb_state(action_verb(verb, states), states) or _first_of_enum(api.spec, items, None, key)
        if state is not None and state != item.get(key):
            item[key] = state
            # (the draw's details of the state it drew say nothing of this one: PayPal's `status_details` of a
            # `PENDING` authorization, `PENDING_REVIEW`, beside `CREATED`)
            for detail in details_of(item, key, (mirror.root or {}).get("required")):
                del item[detail]
    sent = content_of(request)
    for key in [key for key in (mirror.root or {}).get("properties") or () if _bare(key).endswith("amount")]:
        declared = set((mirror.field(mirror.root, key) or {}).get("properties") or ())
        source = next((holder[key] for holder in [sent if isinstance(sent, dict) else {}, *reversed(chain)]
                       if isinstance(holder, dict) and holder.get(key) is not None), None)
        if isinstance(source, dict) and declared:
            source = {name: value for name, value in source.items() if name in declared}
        if source is not None:
            item[key] = copy.deepcopy(source)
    return item


def _exemplified(api, operation_id: str) -> bool:
    """Whether an operation's success documents an example of its own (not only its schema's, which an action
    answering the read's schema shares with the read: Stripe's capture would have answered a drawn state)."""
    operation = _located(api, operation_id)[1] or {}
    for status, response in (operation.get("responses") or {}).items():
        if str(status).startswith("2"):
            content = (deref(api.spec, response) or {}).get("content") or {}
            if any("example" in media or media.get("examples") for media in map(lambda m: deref(api.spec, m) or {},
                                                                                content.values())):
                return True
            # or on a schema of its own, not the read's (Square's CancelPaymentResponse, beside GetPaymentResponse)
            own = _success_schema(api.spec, operation)
            found = address(api, operation_id)
            return isinstance(own, dict) and ("example" in own or bool(own.get("examples"))) \
                and own is not read_answer(api, found.kind if found is not None else None)
    return False


def acted_state(api, operation_id: str, body, schema, fits, now: str | None = None, sent=None, acting=None):
    """`body`, an action's answer, in the state the action's verb names where the state's enum has one
    (`/accounts/{id}/close` -> `closed`, `cancel` -> `canceled` or `cancelled`, `capture` -> `captured`):
    drawn from the read's example, Increase's closed account answered `open`. Where the state changed, the
    moments named for it are `now` (`terminated_at`: moments.reached). `acting`: the verb a change's body asks for
    (states.sent_action: Finix's `capture_amount`), in place of the path's."""
    last = acting or (_located(api, operation_id)[0] or "").rstrip("/").rsplit("/", 1)[-1]
    if not isinstance(body, dict):
        return body
    candidate = copy.deepcopy(body)
    mirror = _shaped(Mirror(api.spec, schema), candidate)
    held = _held_states(mirror, candidate)
    moved = []
    verb = action_verb(last, [value for _, _, node in held for value in node.get("enum") or () if isinstance(value, str)])
    for holder, key, node in held:
        states = [value for value in node.get("enum") or () if isinstance(value, str)]
        # a DELETE of the resource's own path that answers it (Stripe's subscription cancel, Mollie's payment)
        # names no verb in its path: it withdraws it, into the withdrawn state its own words name (Lago's
        # "Terminate a subscription": `terminated`, not the enum's first such, `canceled`), else the first
        # (`canceled`, `closed`, ...); its parameter's name, read as a verb, named no state and the
        # subscription stayed `active`
        # (or, where the states name who ended it, the one of the client ending it: `terminatedByTpp`)
        named = (_withdrawn_as_said(api, operation_id, states) or ended_by_caller(states) or withdrawn_state(states)
                 or _revoked(api, mirror, candidate, holder, now, was_granted(states, holder[key]))) \
            if last.startswith("{") \
            else confirmed_held(verb, states, holder, sent) or verb_state(verb, states)
        if named is None:  # (a verb giving what its state waits for: `approve` of `pending_approval`)
            named = given_step(verb, holder[key], states, {_bare(name) for name in holder})
        if named is None:  # (or let on from where it was made, its enum naming no approval: a payout's `pending`)
            named = let_on(verb, holder[key], states)
        if named is None:  # (a verb lifting the stop it is in: `release` of `on_hold`)
            named = lifted(verb, holder[key], states)
        if named is None:  # (or a body giving what it waits for: a `payment_method` to `awaiting_payment_method`)
            named = supplied_step(holder[key], states, _sent_names(sent))
        if named is None and not states and _bare(key).endswith("status") and isinstance(holder[key], str):
            named = participle(verb)  # a status in free text (Stripe's payout): the verb's, `canceled`
            if named is not None and holder[key].isupper():  # written as the API writes its states (Square's
                named = named.upper()                         # `COMPLETED`), not `completed`
        if named is not None and named != holder[key]:
            moved += [holder] if all(holder is not other for other in moved) else []
            holder[key] = named
            # (the details of the state it was in tell of none it is in: a VOIDED authorization's `status_details`,
            # `PENDING_REVIEW`, were its PENDING's)
            for detail in details_of(holder, key, _required(mirror, candidate, holder)):
                del holder[detail]
    for holder in moved:
        inner = _inner(candidate)
        node = mirror.root if holder is candidate else mirror.field(mirror.root, inner)
        state = next((value for name, value in holder.items() if state_field(name) and isinstance(value, str)),
                     None)
        totals.as_held(holder, standing(state), sent, verb)  # (captured: nothing capturable, what it took received)
        reached(holder, node, mirror, [holder[key] for key in holder if state_field(key)
                                       and isinstance(holder[key], str)] + [past(verb) if verb.isalpha() else None], now)
    _step_taken(api, mirror, candidate, verb, now, sent)
    if sent is not None:  # (what its tally says was done: `aggregate.capturedAmount`)
        tallies.moved(_resource(candidate), verb, sent)
    switched = SWITCHES.get(verb)  # a flag the verb sets (Square's card `disable`: `enabled` false)
    done = participle(verb)  # a flag named for what the verb leaves (Stripe's authorization `approve`: `approved`)
    refused = REFUSED.get(verb, ())  # flags its opposite leaves true (`decline`: `approved` false)
    inner = _inner(candidate)
    for holder in [candidate] + ([candidate[inner]] if inner else []):
        for key in [k for k in holder if isinstance(holder[k], bool)]:
            if switched is not None and _bare(key) in ("enabled", "active"):
                holder[key] = switched
            elif switched is not None and _bare(key) in ("disabled", "inactive"):
                holder[key] = not switched
            elif done is not None and _bare(key) in (done, "is" + done, "is" + verb):  # (Finix's `is_void`)
                holder[key] = True
                totals.acted_amount(holder, verb, done, sent)  # (and how much it did: `amount_captured`)
            elif _bare(key) in refused or (_bare(key).startswith("is") and _bare(key)[2:] in refused):
                holder[key] = False
    return candidate if candidate != body and fits(candidate) else body


def _revoked(api, mirror, candidate: dict, holder: dict, now: str | None, granted: bool = True) -> str | None:
    """The refused state a resource whose states name no revocation is left in by its client's DELETE, where the
    object beside the state telling why it was refused has a reason that says it was revoked (holdings.
    revocation_told: Brazil's consent, deleted 204, reads `REJECTED`), that object told in `holder` (in place):
    drawn, its reason the revoking one (`CUSTOMER_MANUALLY_REVOKED`), or the refusing one where it was never
    `granted` (`CUSTOMER_MANUALLY_REJECTED`: deleted while awaiting its customer, it had read revoked), who ended it
    the client's side (`rejectedBy` `TPP`, not `USER` or `ASPSP`), its moments `now`. Deleted, its read had answered
    404. Else None."""
    from datetime import datetime

    from .holdings import revocation_told
    from .moments import _written

    node = mirror.root if holder is candidate else mirror.field(mirror.root, _inner(candidate))
    refused, key = revocation_told(mirror, node)
    if refused is None:
        return None
    told = generate(api.spec, mirror.field(node, key), random.Random(f"{key}{now}"), name=key)

    def tell(value, schema):
        for name in list(value) if isinstance(value, dict) else ():
            field = mirror.field(schema, name) or {}
            values = [option for option in field.get("enum") or () if isinstance(option, str)]
            if isinstance(value[name], dict):
                tell(value[name], field)
            elif revoking_reason(values):
                value[name] = revoking_reason(values, granted)
            elif values and _bare(name).endswith("by") and the_callers_side(values):
                value[name] = the_callers_side(values)
            elif now and field.get("format") in ("date-time", "date"):
                value[name] = _written(field, datetime.fromisoformat(now))

    if isinstance(told, dict):
        tell(told, mirror.field(node, key))
        holder[key] = told
    return refused


def _step_taken(api, mirror, candidate: dict, verb: str, now: str | None, sent=None) -> None:
    """The object at the top of an action's answer telling of the step its verb takes (`approval` of `approve`,
    `submission` of `submit`, `return` of `return`: states.verbs_of), null until now, drawn from its schema with
    its moments `now` (in place): Increase's ACH transfer approved, canceled, settled or returned held a null
    `approval`, `cancellation`, `settlement` or `return` (beginnings.steps_not_taken: none is made with them). What the
    action `sent` is in the field of the step named so, or for the step and so, or as its code, where it fits
    (`reason` in the return's `return_reason_code`): drawn, a return asked for `no_account` told `insufficient_fund`."""
    from datetime import datetime

    from .moments import _written, state_word

    for key in [k for k, value in candidate.items() if value is None and verb in verbs_of(k)]:
        node = mirror.field(mirror.root, key)
        if not isinstance(node, dict) or not node.get("properties"):
            continue
        drawn = generate(api.spec, node, random.Random(f"{candidate.get('id')}{key}"), name=key)
        if not isinstance(drawn, dict):
            continue
        if now:
            for name in drawn:  # (what it took place at: `approved_at`, a return's `created_at`, `effective_date`)
                field = mirror.field(node, name) or {}
                if drawn[name] is not None and (state_word(name) is not None or field.get("format") in ("date-time", "date")):
                    drawn[name] = _written(field, datetime.fromisoformat(now))
        for asked, value in (sent.items() if isinstance(sent, dict) else ()):
            words = {_bare(asked), _bare(key) + _bare(asked)}
            for name in [name for name in node["properties"] if _bare(name) in words | {word + "code" for word in words}]:
                if _scalar(value) and _fits_field(mirror.field(node, name), value):
                    drawn[name] = value
        candidate[key] = drawn


