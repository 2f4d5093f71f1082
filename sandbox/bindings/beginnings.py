"""What a resource just made holds: its first state (`just_created`), no moment or reason of a state it has not
reached (`not_yet_reached`), no step not yet taken (`steps_not_taken`), and the start of what it began."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timezone

from . import totals
from .fallback import _located, _merge, deref, property_schema
from .mirror import Mirror, _scalar, envelope_of, sent_schema
from .names import _bare


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
    mirror = Mirror(api.spec, sent_schema(api, operation_id) or {})
    top = (mirror.root or {}).get("properties") or {} if isinstance(mirror.root, dict) else {}
    inner = {name: field for key in top for name, field in ((mirror.field(mirror.root, key) or {}).get("properties")
                                                               or {}).items()}
    return {**{name: mirror.resolved(field) for name, field in inner.items()}, **top}


def just_created(spec: dict, schema, body, fits, sent=None, verb: str | None = None, declared=None, actions=None):
    """A 201's status as the first its enum lists (the state a new resource starts in: OBIE's
    AwaitingAuthorisation), at the top or in the envelope; a drawn status made a fresh consent cancelled. One
    made by an action's `verb` that completes is in the state that says it succeeded (states.made_state: PayPal's
    capture of an authorization is made `COMPLETED`, not `PENDING`).
    A state the client asked for, at the top of what it sent or in its envelope, is the one answered (Marqeta's
    `POST /cardtransitions {"state": "SUSPENDED"}`; Lago's `{"subscription": {"status": ...}}`).
    What its flags left out `declared` in its body by default tell it holds too (states.told: Stripe's charge is
    captured when made); where its enum has no held state, one held is in the state that says it succeeded and its
    flag of being completed says it was not (Stripe's charge `succeeded`, `captured: false`).
    One waiting for an approval none of the `actions` the API declares on its kind gives (action_verbs) is made
    in another beginning (`_unapprovable`)."""
    from .states import (awaiting_state, details_of, done_flag, flagged_withdrawn, made_state, standing, state_field,
                         succeeded_state, told, told_state, unrequired)

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
    item = _made_as_item(candidate)  # (or a list's one object: Brazil's Pix payment, made PDNG, its example's)
    holders += [(candidate[item][0], (item, _ITEM))] if item is not None else []
    for holder, within in holders:
        # (or a status named for what it is the status of: PolishAPI's payment made `generalStatus` done or rejected)
        for key in [k for k in holder if state_field(k) and str(k).lower() not in asked]:
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
                if not step:
                    first = _unapprovable(first, _enum_of(spec, schema, within, key)
                                          or _said_states(spec, schema, within, key), actions)
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


# The step into a list's items, in the path `_schema_within` follows.
_ITEM = "[]"


def unsent_as_default(api, operation_id: str, schema, body, fits, sent):
    """A creation's answer holding, for each field of a set of values (an enum) or a flag its client could have sent
    and did not, at the top or in the envelope, what leaving it out means: the request's `default`, else the
    answer's, else, for how a payment is captured, the way that captures it at once (states.way_left_out). Drawn,
    PAY.JP's payment flow made without a `capture_method` was answered `manual`, and its confirmation then held
    it for a capture never asked for, its refunds refused as of nothing received."""
    from .states import way_left_out

    if not isinstance(body, dict) or not isinstance(sent, dict):
        return body
    declared, mirror = _declared_flags(api, operation_id), Mirror(api.spec, schema)
    envelope = envelope_of(body)
    levels = [(body, mirror.root, sent)]
    if envelope is not None and isinstance(body[envelope], dict):
        levels.append((body[envelope], mirror.field(mirror.root, envelope), sent.get(envelope, sent)))
    changes = []
    for holder, node, given in levels:
        given = given if isinstance(given, dict) else {}
        for key, value in holder.items():
            field, asked = mirror.field(node, key) or {}, declared.get(key)
            if key in given or not isinstance(asked, dict) or not _scalar(value) or value is None \
                    or _bare(key) in ("status", "state"):  # (its state is its beginning's: just_created)
                continue
            values = [option for option in field.get("enum") or () if option is not None]
            if not values and field.get("type") != "boolean":
                continue
            meant = next((default for default in (asked.get("default"), field.get("default")) if default is not None
                          and (default in values if values else isinstance(default, bool))), None)
            meant = way_left_out(key, values) if meant is None else meant
            if meant is not None and meant != value:
                changes.append((holder, key, meant))
    if not changes:
        return body
    candidate = copy.deepcopy(body)
    for holder, key, meant in changes:
        (candidate if holder is body else candidate[envelope])[key] = meant
    return candidate if fits(candidate) else body


def _made_as_item(body) -> str | None:
    """The envelope (`data`, `result`) of a creation's answer holding what was made as a list's one object (Brazil's
    Pix payment, made `{data: [{...}]}` and read `{data: {...}}`), or None."""
    return next((key for key, value in body.items() if str(key).lower() in ("data", "result") and isinstance(value, list)
                 and len(value) == 1 and isinstance(value[0], dict)), None) if isinstance(body, dict) else None


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
    listed = list(dict.fromkeys(re.findall(r"\b[A-Z][A-Z_]{2,}\b", said) or (spans if len(spans) > 1 else [])))
    return listed or _kindred_states(spec, node, key, field)


def _kindred_states(spec: dict, node, key, field) -> list:
    """The states of a state in free text that neither an enum nor its prose lists, and no length bounds as a code's
    (an address's `state`, two letters), as the spec declares them for the field of its name in the schema most
    like its resource's (sharing the most fields, and a third of the resource's at least): Marqeta's GPA order
    `state`, a bare string, was made "sample"; its program reserve transaction, sharing nine of its fields, declares
    `state` PENDING or COMPLETE. None where no schema is alike enough. (Memoised per schema and field.)"""
    if not isinstance(field, dict) or field.get("type") != "string" or any(
            bound in field for bound in ("enum", "maxLength", "pattern", "format", "const")):
        return []
    mine = set((node or {}).get("properties") or {}) if isinstance(node, dict) else set()
    if len(mine) < 3:
        return []
    held = _KINDRED.get(id(spec))
    if held is None or held[0] is not spec:  # (an id is reused once its spec is gone: another app's spec)
        held = _KINDRED[id(spec)] = (spec, {})
    known = held[1]
    memo = (frozenset(mine), key)
    if memo not in known:
        best, states = 0.0, []
        for other in ((spec.get("components") or {}).get("schemas") or {}).values():
            other = deref(spec, other)
            theirs = (other.get("properties") or {}) if isinstance(other, dict) else {}
            enum = (deref(spec, theirs.get(key)) or {}).get("enum") if isinstance(theirs.get(key), dict) else None
            values = [value for value in enum or () if isinstance(value, str)]
            shared = len(mine & set(theirs))
            if len(values) > 1 and 3 * shared >= len(mine) and shared / len(mine | set(theirs)) > best:
                best, states = shared / len(mine | set(theirs)), values
        known[memo] = states
    return known[memo]


_KINDRED: dict = {}


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
    candidate, mirror = copy.deepcopy(body), Mirror(api.spec, schema)
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
    mirror = Mirror(api.spec, root)
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
    candidate, mirror = copy.deepcopy(body), Mirror(spec, schema)
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
    item = _made_as_item(candidate)  # (a list's one object: Brazil's new Pix payment held a drawn `rejectionReason`)
    if item is not None:
        given = sent.get(item)
        holders.append((candidate[item][0], mirror.items(mirror.field(mirror.root, item)),
                        given[0] if isinstance(given, list) and given and isinstance(given[0], dict) else {}))
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
    mirror, sent = Mirror(api.spec, schema), sent if isinstance(sent, dict) else {}
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
        node = _merge(spec, [(deref(spec, node.get("items")) if step == _ITEM else property_schema(spec, node, step)) or {}])
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


def _unapprovable(state, states: list, actions):
    """`state`, a new resource's first state, unless it waits for an approval (`pending_approval`) that none of
    the `actions` the API declares on its kind gives (no `/approve`, `/approvals`): then the state another of
    `states` reads as a beginning (`PROCESSING`), where one does. Brex's transfers, their enum `PROCESSING,
    SCHEDULED, PENDING_APPROVAL, FAILED, PROCESSED`, approved only in its dashboard, were all made
    `PENDING_APPROVAL` and stayed so for good. (`actions` None: not known, the state stays.)"""
    from .states import _awaited, verbs_of

    awaited = _awaited(state)
    if actions is None or awaited not in _GIVEN_BY_AN_ACTION:
        return state
    if any(set(verbs_of(awaited)) & set(verbs_of(action)) for action in actions):
        return state
    rest = [value for value in states if value != state]
    other = _first_of_values(rest) if rest else None
    bare = re.sub(r"[^a-z]", "", str(other).lower())
    return other if other is not None and bare.startswith(_BEGINNINGS) else state


# What a state may wait for that only an operation of the API's client gives (an authorisation is its customer's,
# given at the authorization page: UK Open Banking's consent `AwaitingAuthorisation` waits for no operation).
_GIVEN_BY_AN_ACTION = ("approval",)


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
