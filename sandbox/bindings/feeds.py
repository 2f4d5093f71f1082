"""A spec's event feed, written from what its kept resources went through.

APIs that keep state also say what changed, as a list of events: Stripe's `GET /v1/events`
(`customer.created`, the customer in `data.object`, what an update changed in `previous_attributes`),
Lithic's and Increase's typed categories (`account_holder.created`, `account.updated`), Modern Treasury's
resource and event name, Dwolla's topics beside a `resourceId`. Connectors sync by them: Singer's tap-stripe
reads each stream's events to learn of updates and deletions, and Airbyte's Stripe source its incremental
streams. Answered from the spec alone, each event named a drawn resource nobody made, so such a sync never
saw what the client had made, changed or deleted.

So each creation, change, deletion and action that the workspace keeps (remembered.keep) is written as one
event of the spec's event kind — the resource read at `.../events/{id}` whose answer says what happened
and to what — in the spec's own words: a type its enum holds (`payment_order.created`), or in free text
joined as its example joins them. The event is kept like any resource, so the spec's own list of events
answers it, newest or oldest first as the list says, filtered (`?type=customer.created`, `types[]=...`,
`customer.*`) and bounded (`created[gte]`) and paged as every kept list is, and its read reads it back.
A resource kind the enum has no event for (Lithic writes none for many) gets none; a spec without an event
kind is written nothing. What a connector made is also told to its webhook endpoints that ask for
`<bank>:<type>` (actions/events.emit_told, written in the same transaction as the event).
"""

from __future__ import annotations

import random
import re
import secrets
from typing import NamedTuple

from ..actions import documents, events
from ..store.database import write
from . import scopes
from .about import _redrawn, _success_schema, read_answer
from .names import _bare, _singular
from .fallback import _draw, deref, flattened
from .moments import stamp
from .schemas import schemas_of
from .states import participle, past, verbs_of

# Fields saying what happened, most telling first (a one-value enum is the event's own type: `object: event`).
_WHAT = ("type", "eventtype", "category", "eventname", "topic", "event", "name")
# Fields holding the resource as it was then: an object holding it under `object` (Stripe's `data`), or itself.
_PAYLOADS = ("data", "payload", "resource", "body", "entity", "object", "detail", "content")
# Fields naming it by id, and by kind.
_IDS = ("resourceid", "associatedobjectid", "objectid", "entityid", "resourcetoken", "objecttoken", "subjectid")
_KINDS = ("resourcetype", "associatedobjecttype", "objecttype", "entitytype", "resource", "subjecttype")
# A resource's fields that may name its own kind with a one-value enum (Stripe's `object: customer`, Increase's
# `type: account`).
_OWN_KIND = ("object", "type", "kind", "objecttype", "resourcetype")
_EVENTS = re.compile(r"(^|/)([A-Za-z_\-]*[Ee]vents?)/\{[^}/]+\}/?$")
# A list of them with no read of one (`GET /v2/events`, `POST /events/search`): the feed all the same.
_LISTS = re.compile(r"(^|/)([A-Za-z_\-]*[Ee]vents?)(/(search|query|list|find|filter))?/?$")
# An event's own id, where no read's path parameter names it.
_OWN_IDS = ("id", "eventid", "token", "eventtoken", "guid", "uuid")


_ALIKE = 0x5EED  # the seed of every event's draw


class Feed(NamedTuple):
    kind: str  # the path template of the event read
    name: str  # the read's path parameter
    schema: dict  # the event's schema (merged)
    what: str  # the field saying what happened
    types: tuple  # its enum, or () for free text
    joined: str | None  # how free text joins kind and verb (`.`, `_`), or None: the verb alone
    envelope: str | None  # the read's one field holding the event (`{"event": {...}}`), or None
    listed_by: str | None = None  # where no read reads one: the operation listing them (its kind is made up)


def feed(api) -> Feed | None:
    """The spec's event kind, or None: a read at `.../events/{id}` (its only parameter) whose answer says what
    happened and holds or names what it happened to."""
    known = api.derived.setdefault("feed", {})
    if "feed" not in known:
        known["feed"] = _feed(api)
    return known["feed"]


def _feed(api) -> Feed | None:
    reads = sorted((path for _, method, path, _ in api.spec_operations() if method.lower() == "get"
                    and _EVENTS.search(path) and path.count("{") == 1), key=len)
    for path in reads:
        schema = _properties_of(api.spec, read_answer(api, path))
        envelope = _envelope(api.spec, schema)
        if envelope is not None:  # read as `{"event": {...}}` (Chargebee's)
            schema = _properties_of(api.spec, schema["properties"][envelope])
        found = _event(api, schema)
        if found is not None:
            return Feed(path, re.search(r"\{([^}/]+)\}/?$", path).group(1), schema, *found, envelope)
    return _listed_feed(api)


def _event(api, schema: dict) -> tuple | None:
    """(the field saying what happened, its enum, how free text joins) of an event's schema, or None where it is no
    event: it says what happened and holds or names what it happened to."""
    fields = schema.get("properties") or {}
    what = next((name for word in _WHAT for name in fields if _bare(name) == word
                 and _text_field(api.spec, fields[name])), None)
    held = any(_bare(name) in _PAYLOADS + _IDS for name in fields)
    if what is None or not held:
        return None
    declared = deref(api.spec, fields[what]) or {}
    types = tuple(value for value in declared.get("enum") or () if isinstance(value, str))
    sample = str(declared.get("example") or "")
    joined = "." if "." in sample or not sample else "_" if "_" in sample else None
    return what, types, joined


def _listed_feed(api) -> Feed | None:
    """The feed of a spec that lists its events but reads none by id (Square's `POST /v2/events` searches them, and
    no `/v2/events/{id}` exists): a list (a GET) or a search (a POST) at `.../events` or `.../events/search`, of no
    path parameter, answering events (bare, or one list under a key: `{events: [Event], cursor}`) with an id of
    their own. Its kind, never read, is the list's path and that id (`/v2/events/{event_id}`)."""
    lists = sorted(((op_id, path, op) for op_id, method, path, op in api.spec_operations()
                    if method.lower() in ("get", "post") and "{" not in path and _LISTS.search(path)),
                   key=lambda found: (len(found[1]), found[0]))
    for operation_id, path, operation in lists:
        page = _properties_of(api.spec, _success_schema(api.spec, operation))
        arrays = [page] if page.get("type") == "array" else [
            field for field in map(lambda value: _properties_of(api.spec, value), (page.get("properties") or {}).values())
            if field.get("type") == "array"]
        for array in arrays:
            schema = _properties_of(api.spec, array.get("items"))
            found = _event(api, schema)
            own = next((name for word in _OWN_IDS for name in schema.get("properties") or () if _bare(name) == word), None)
            if found is not None and own is not None:
                base = _LISTS.sub(lambda match: match.group(1) + match.group(2), path.rstrip("/"))
                return Feed(f"{base}/{{{own}}}", own, schema, *found, None, operation_id)
    return None


def told(api, kind: str) -> bool:
    """Whether `kind` is the feed's: events the sandbox writes whole (`record`), read and listed as written, as
    webhooks were told them, not over a draw (which put back what an event leaves out: the example's `account`
    on the platform's own events)."""
    found = feed(api)
    return found is not None and found.kind == kind


def listed_by(api, operation_id: str) -> str | None:
    """The kind of a list-only feed (`_listed_feed`) where `operation_id` lists it, else None."""
    found = feed(api)
    return found.kind if found is not None and found.listed_by == operation_id else None


def _envelope(spec: dict, schema: dict) -> str | None:
    """The one field of a read's answer that holds the whole event (`{"event": Event}`), where the answer's own
    fields say nothing of what happened."""
    fields = schema.get("properties") or {}
    if len(fields) != 1:
        return None
    name = next(iter(fields))
    inner = _properties_of(spec, fields[name])
    return name if inner.get("type") in (None, "object") and inner.get("properties") else None


def _properties_of(spec: dict, schema) -> dict:
    return flattened(spec, schema) or {}


def _text_field(spec: dict, schema) -> bool:
    """Whether a field is free text or an enum of several values (not a constant naming the event's own type)."""
    schema = deref(spec, schema) or {}
    return schema.get("type") in (None, "string") and len(schema.get("enum") or (1, 2)) > 1


def record(api, ctx, kind: str, resource_id: str, verb: str, resource, before, request: dict, read=None) -> None:
    """Write what happened to the kept resource `resource_id` of `kind` (`verb`: `create`, `change`, `delete`
    or an action's verb, `cancel`) as an event of the spec's feed; `resource` is what it is now, `before`
    what it was (None for a creation), `read` the resource as its read answers it, in its envelope (what an
    event's free payload carries: Chargebee's `content: {"customer": {...}}`)."""
    found = feed(api)
    if found is None or kind == found.kind or not isinstance(resource, dict):
        return
    noun = _noun(api, kind)
    happened = _happened(found, noun, verb, resource, before)
    if happened is None:
        return
    at = request.get("now")
    seed = secrets.randbits(64)  # (two events of one resource at one frozen moment are two events)
    # drawn alike for every event (the merchant or account it names, its API version: drawn afresh, a filter by
    # the merchant found one event of many), each then with an id of its own
    event = _draw(api.spec, found.schema, _ALIKE, request.get("today"))
    if not isinstance(event, dict):
        return
    own = next((key for word in (_bare(found.name), "id", "token", "guid", "uuid") for key in event
                if _bare(key) == word and isinstance(event[key], (str, int))), None)
    if own is None:
        return
    event[own] = _redrawn(event[own], random.Random(seed))
    event[found.what] = happened
    for key, value in list(event.items()):
        bare = _bare(key)
        if bare in _PAYLOADS and isinstance(value, dict) and "object" in value:  # Stripe's `data`
            # (as the read answers it where that holds it under its kind's name: Square's `{"customer": {...}}`)
            value["object"] = {noun: resource} if _under_its_name(read, noun, resource) else resource
            for name in [name for name in value if isinstance(value[name], str)]:  # what it names it by (Square's
                if _bare(name) in ("id", *_IDS):                                    # `data.id`, `data.type`)
                    value[name] = str(resource_id)
                elif _bare(name) in ("type", *_KINDS) and not _constant(_payload(api, found, key), name, api):
                    value[name] = noun
            if isinstance(value.get("deleted"), bool):
                value["deleted"] = verb == "delete"
            if verb == "change":
                value["previous_attributes"] = _previous(resource, before)
            else:  # (said of updates only)
                value.pop("previous_attributes", None)
        elif bare in _PAYLOADS and isinstance(value, dict):
            # the read as it answers it where that holds the resource under its kind's name (Chargebee's
            # `content: {customer: {...}}`), else the resource itself: not the read's `{data, meta}` envelope
            # (Paddle's event `data` is the entity; it carried `{data: product, meta}`)
            event[key] = read if _under_its_name(read, noun, resource) else resource
        elif bare in _IDS and isinstance(value, str):
            event[key] = str(resource_id)
        elif bare in _KINDS and key != found.what and isinstance(value, str) and not _constant(found.schema, key, api):
            event[key] = noun
    _name_account(api, found, event, scopes.of(api, request, ctx), {own, found.what})
    fits = lambda candidate: schemas_of(api.spec).fits(found.schema, candidate)  # noqa: E731
    _name_request(event, request, fits)
    _name_version(api, event, request, fits)
    _count_pending(event, ctx.endpoints(f"{api.slug}:{happened}") if ctx.endpoints is not None else 0, fits)
    stamp(event, {}, at, made=True)
    if not schemas_of(api.spec).fits(found.schema, event):
        event = _fitted(api, found, event)
        if event is None:
            return
    from .roles import kept_as

    kept = {found.envelope: event} if found.envelope else event
    with write(ctx.db):  # (the event is told exactly when it is kept)
        # (told to the account the change was made for only: `scopes`)
        documents.keep(ctx, *kept_as(api, found.kind), str(event[own]), scopes.owned({}, scopes.of(api, request, ctx)), {}, kept,
                       at, made=True)
        events.emit_told(ctx, f"{api.slug}:{happened}", str(event[own]), kept)


def _under_its_name(read, noun: str, resource) -> bool:
    """Whether the read answers the resource under its kind's name (`{"customer": {...}}`), not enveloped."""
    return isinstance(read, dict) and read.get(noun) is resource and isinstance(resource, dict)


def _name_account(api, found: Feed, event: dict, scope: str | None, taken: set) -> None:
    """The event's field naming the connected account it happened for (Stripe Connect's event `account`), where
    its schema declares one at its top as text: the account the change was made for (`scopes`), left out (or
    null) for the platform's own. Drawn, every event named the example's account."""
    account = scopes.acted_for(scope)
    names = scopes.field_names(api)
    required = set(found.schema.get("required") or ())
    for key, field in (found.schema.get("properties") or {}).items():
        field = deref(api.spec, field) or {}
        if key in taken or _bare(key) not in names or field.get("type") != "string" or "enum" in field:
            continue
        if account is not None:
            event[key] = account
        elif key not in required:  # the platform's own: an optional account is left out
            event.pop(key, None)
        elif field.get("nullable"):
            event[key] = None


def _name_request(event: dict, request: dict, fits) -> None:
    """The event's object naming the request that caused it (Stripe's `request: {id, idempotency_key}`), at its
    top: that request's id (its interaction id, the one the request log shows) and the idempotency key it was
    sent with, or null where it was sent with none. Drawn once for every event, each named one request and a
    key no client ever sent."""
    from .fallback import idempotency_key

    for key, value in event.items():
        if _bare(key) != "request" or not isinstance(value, dict):
            continue
        named = dict(value)
        for name in value:
            if _bare(name) in ("id", "requestid") and request.get("interaction_id"):
                named[name] = str(request["interaction_id"])
            elif "idempoten" in _bare(name):
                named[name] = idempotency_key(request)
        if fits({**event, key: named}):  # (where its schema takes them: a key it requires, none sent, is not null)
            event[key] = named


def _name_version(api, event: dict, request: dict, fits) -> None:
    """The event's API version (Stripe's `api_version`, at its top, as text): the version the request named in a
    version header the spec declares or names in its prose (`Stripe-Version`), else the spec's own
    (`info.version`). Drawn, every event said `sample`, a version no client can ask for."""
    keys = [key for key, value in event.items() if _bare(key) == "apiversion" and (value is None or isinstance(value, str))]
    if not keys:
        return
    headers = request.get("headers") or {}
    named = next((headers[name] for name in scopes.named_headers(api) if _bare(name).endswith("version")
                  and headers.get(name)), None)
    version = named or str((api.spec.get("info") or {}).get("version") or "") or None
    if version is not None and fits({**event, **{key: version for key in keys}}):
        event.update({key: version for key in keys})


# A count of an event's deliveries still to make: Stripe's `pending_webhooks`.
_PENDING = re.compile(r"^(pending(webhooks?|deliveries|notifications|hooks)|(webhooks?|deliveries)pending)$")


def _count_pending(event: dict, due: int, fits) -> None:
    """The event's count of deliveries still to make, at its top: the connector's webhook endpoints that ask for
    it (`due`, 0 for none). Drawn, every event had 200 webhooks pending, and a connector waiting for none
    never saw its events delivered."""
    keys = [key for key, value in event.items() if _PENDING.match(_bare(key)) and isinstance(value, int)
            and not isinstance(value, bool)]
    if keys and fits({**event, **{key: due for key in keys}}):
        event.update({key: due for key in keys})


def as_delivered(api, ctx, kind: str, answers: dict) -> dict:
    """`answers` ({event id: the kept event, in its envelope}) with each count of deliveries still to make lowered
    by the endpoints that have had it delivered since it was written (`_count_pending` counted those due then).
    Kept as written, an event Stripe's connector read after each endpoint had it still said `pending_webhooks: 1`,
    and one waiting for its deliveries to be done waited for ever."""
    found = feed(api)
    if found is None or kind != found.kind or ctx is None or ctx.delivered is None or not answers:
        return answers
    done = ctx.delivered(list(answers))
    if not done:
        return answers
    lowered = dict(answers)
    for event_id, answer in answers.items():
        event = answer.get(found.envelope) if found.envelope and isinstance(answer, dict) else answer
        keys = [key for key, value in event.items() if _PENDING.match(_bare(key)) and isinstance(value, int)
                and not isinstance(value, bool) and value > 0] if isinstance(event, dict) and done.get(str(event_id)) else []
        if keys:
            event = {**event, **{key: max(0, event[key] - done[str(event_id)]) for key in keys}}
            lowered[event_id] = {**answer, found.envelope: event} if found.envelope else event
    return lowered


def _fitted(api, found: Feed, event: dict) -> dict | None:
    """The event without `previous_attributes` where the schema refuses them as written (an object of declared
    fields only), else None: an event that does not fit its own schema is not written."""
    for value in event.values():
        if isinstance(value, dict):
            value.pop("previous_attributes", None)
    return event if schemas_of(api.spec).fits(found.schema, event) else None


def _payload(api, found: Feed, key: str) -> dict:
    """The schema of the event's payload field `key` (merged)."""
    return _properties_of(api.spec, (found.schema.get("properties") or {}).get(key))


def _constant(schema: dict, key: str, api) -> bool:
    field = deref(api.spec, (schema.get("properties") or {}).get(key)) or {}
    return len(field.get("enum") or ()) == 1


def _noun(api, kind: str) -> str:
    """What a kind of resource is called in events: the one value its read declares for `object`/`type`
    (`payment_intent`, `treasury.financial_account`), else its path's noun (`account_holders` ->
    `account_holder`, `legalEntities` -> `legal_entity`). Worked out once per kind."""
    known = api.derived.setdefault("event_nouns", {})
    if kind not in known:
        known[kind] = _noun_of(api, kind)
    return known[kind]


def _noun_of(api, kind: str) -> str:
    schema = _properties_of(api.spec, read_answer(api, kind))
    for key, field in (schema.get("properties") or {}).items():
        field = deref(api.spec, field) or {}
        if _bare(key) in _OWN_KIND and len(field.get("enum") or ()) == 1 and isinstance(field["enum"][0], str):
            return field["enum"][0]
    segment = next((part for part in reversed(kind.strip("/").split("/")) if not part.startswith("{")), kind)
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", segment).replace("-", "_").lower()
    return _singular(snake)


def _happened(found: Feed, noun: str, verb: str, resource: dict, before) -> str | None:
    """The event's type: from the enum, the value naming the resource's kind and what happened to it (an action
    naming no type of its own is an update); in free text, the kind and the verb's participle joined."""
    done = {"create": "created", "change": "updated", "delete": "deleted"}.get(verb) or _done(verb)
    if found.types:
        words = [done] if done == "updated" else [done, "updated"]
        for word in [*words, *_CHANGED] if "updated" in words else words:
            for value in found.types:
                head, _, tail = value.rpartition(_separator(value))
                if _spelled(tail) == _spelled(word) and (_bare(head) == _bare(noun) or _bare(head).endswith(_bare(noun))):
                    return value
        return None
    return done if found.joined is None else f"{noun}{found.joined}{done}"


def _done(segment: str) -> str:
    """An action's path segment as what was done: `cancel` -> `canceled`, `pause` -> `paused`,
    `mark_uncollectible` -> `marked_uncollectible`; a segment of no letters, `updated`."""
    words = [word.lower() for word in re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", segment) if word]
    if not words or not all(word.isalpha() for word in words):
        return "updated"
    # (a noun of the action, `captures`, `cancellations`, is its verb's: `captured`, `canceled`)
    done = next((participle(verb) for verb in verbs_of(words[0]) if participle(verb)), None)
    if done is None and words[0].endswith("s"):
        return "updated"
    return "_".join([done or past(words[0]), *words[1:]])


# Other words of enums for an update (Chargebee's `customer_changed`).
_CHANGED = ("changed", "modified", "edited")


def _spelled(word: str) -> str:
    """A word as spellings are compared: `cancelled` is `canceled`."""
    return word.lower().replace("ll", "l")


def _separator(value: str) -> str:
    return "." if "." in value else "_" if "_" in value else ":"


def _previous(resource: dict, before) -> dict:
    """What an update changed, as it was: the fields of `before` whose values differ now (Stripe's
    `previous_attributes`)."""
    if not isinstance(before, dict):
        return {}
    return {key: value for key, value in before.items() if resource.get(key) != value}
