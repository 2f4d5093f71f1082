"""Consents named by the id they are given once granted: the artefact read by it, and the calls made under it.

Some consents are made under one id and used under another: India's Account Aggregator answers a consent request
(`POST /Consent`) with a `ConsentHandle`, and its status read (`POST /Consent/handle`) gives, once its customer
approved it, the consent's own id beside its state (`ConsentStatus: {id, status}`). The client then reads the signed
consent by that id (`POST /Consent/fetch {consentId}`) and asks for data under it (`POST /FI/request {Consent: {id}}`).
Those calls keep nothing of their own, so they were answered from the spec alone: a fetch of any id answered 200 with
the example's consent, one never made too, and data was asked for under a consent never approved. Here:

- a kind of consent whose read holds its state in an object with an `id` of its own is one given such an id
  (`_given_kinds`); the ids are those its kept resources are read with now (`remembered.as_settled`);
- a POST of its family (beside its read) whose body requires `<noun>Id` (`consentId`) reads the artefact: an id none
  of them was given is refused as not found, and the answer is that consent's, its state in the artefact's states, and
  a field the spec shows as a compact JWS of an object (`signedConsent`) that object signed over what the client sent;
- any other POST whose body names one by that id (`consentId`, or `Consent: {id}`) is refused unless the consent is
  granted: as unknown where no consent was given it, as inactive where it is no longer granted (rejected, expired);
- a consent still waiting for its customer is refused as its customer would refuse it, by bank staff through the
  control plane (`refused_by_customer`), where the API answers its customer in an app the sandbox has no page for.
"""

from __future__ import annotations

import copy
import re

from ..actions import documents
from ..domain.errors import SandboxError
from .about import _stem_noun, _success_schema, read_answer
from .fallback import _located, declared_statuses
from .holdings import _held_states
from .jws import compact_jws, payload_of
from .mirror import Mirror, sent_schema
from .moments import stamp
from .names import _bare
from .remembered import as_settled
from .roles import address, kept_as
from .states import (_IN_SERVICE, awaiting, consent_moved, consented_state, expired_state, listed_states, spelled_as,
                     state_field, withdrawn_state)


def refused(api, operation_id: str, request: dict, ctx):
    """The consent `request` names by the id it was given (its kept document, its kind and its state object), for
    an artefact read (`answered`), or None; refused (`SandboxError`) where it names one no consent was given or one
    not granted now."""
    named = _named(api, operation_id, request) if ctx is not None else None
    if named is None:
        return None
    kind, given, reading, field = named
    found = _given(api, kind, given, request, ctx)
    if reading:
        if found is None:
            raise SandboxError("not_found" if _declares(api, operation_id, ("404", "4XX", "default")) else "invalid_request",
                               f"No such resource: {given}", field=field)
        return found
    held = found[4].get(found[3]) if found else None
    if found is None or held != consented_state(_states(api, kind), True):
        error = SandboxError("consent_not_found" if found is None else "consent_inactive",
                             f"consent {given!r} " + ("was never given" if found is None else f"is {held}, not granted"))
        # (at the status the operation refuses bad input with: India's AA declares its consent errors in its 400)
        error.status = next((int(code) for code in ("400", "422", "403") if _declares(api, operation_id, (code,))),
                            error.status)
        raise error
    return None


def answered(api, operation_id: str, found, body):
    """The artefact read's answer `body` (`refused` found the consent) made the consent's: its id, its state in the
    artefact's own states, a signed copy (a field the spec shows as a compact JWS of an object) of what was sent."""
    if found is None or not isinstance(body, dict):
        return body
    kept, kind, holder, key, state_object = found
    schema = Mirror(api.spec, _success_schema(api.spec, _located(api, operation_id)[1] or {}))
    properties = (schema.root.get("properties") or {}) if isinstance(schema.root, dict) else {}
    # (the object the consent request sent under its envelope: `ConsentDetail`)
    detail = next((value for value in (kept.sent or {}).values() if isinstance(value, dict)), None)
    for name in properties:
        field = schema.field(schema.root, name) or {}
        if state_field(name) and listed_states(field):
            state = _as_artefact(state_object.get(key), _states(api, kind), listed_states(field))
            if state is not None:
                body[name] = state
        elif _bare(name) == _given_kinds(api)[kind][0] + "id":
            body[name] = state_object.get("id")
        elif detail is not None and isinstance(field.get("example"), str) and isinstance(payload_of(field["example"]), dict):
            body[name] = compact_jws({**payload_of(field["example"]), **detail})
    return body


def _as_artefact(held, states: list, artefact_states: list):
    """The state of `artefact_states` a consent in `held` (of `states`) is in: the same where it is there, else
    in service (`ACTIVE`) where granted, else expired, refused or withdrawn alike."""
    if held in artefact_states:
        return held
    if held == consented_state(states, True):
        return next((value for word in _IN_SERVICE for value in artefact_states if spelled_as(value, word)),
                    consented_state(artefact_states, True))
    if held == expired_state(states):
        return expired_state(artefact_states)
    return consented_state(artefact_states, False) or withdrawn_state(artefact_states)


def _states(api, kind: str) -> list:
    """The states a consent of `kind` is read in (its state object's state field)."""
    _, holder, key = _given_kinds(api)[kind]
    mirror = Mirror(api.spec, read_answer(api, kind))
    return listed_states(mirror.field(mirror.field(mirror.root, holder), key))


def _declares(api, operation_id: str, codes) -> bool:
    """Whether `operation_id` declares an answer of one of `codes` (`404`, `4XX`, `default`)."""
    return bool(declared_statuses(api, operation_id) & {code.upper() for code in codes})


def _given_kinds(api) -> dict:
    """{kind: (noun, state object's field, its state field)} of the consents whose read holds their state in an
    object with an `id` of its own (`ConsentStatus: {id, status}`), made by a POST. (Memoised.)"""
    known = api.derived.get("given_kinds")
    if known is None:
        known = {}
        for op_id, method, path, _ in api.spec_operations():
            found = address(api, op_id) if method.lower() == "post" else None
            if found is None or found.role != "create" or not re.search(r"consent", found.kind, re.I):
                continue
            mirror = Mirror(api.spec, read_answer(api, found.kind))
            for name in (mirror.root.get("properties") or {}) if isinstance(mirror.root, dict) else ():
                inner = (mirror.field(mirror.root, name) or {}).get("properties") or {}
                key = next((field for field in inner if state_field(field)), None)
                if "id" in inner and key is not None:
                    noun = _stem_noun(found.kind.rstrip("/").rsplit("/", 1)[0] or found.kind)
                    known[found.kind] = (_bare(noun), name, key)
        api.derived["given_kinds"] = known
    return known


def _named(api, operation_id: str, request: dict):
    """(kind, the id sent, whether the call reads the artefact, the body's field naming it) of a POST whose body names a consent of a kind given
    ids (`_given_kinds`) by it, its field required: `<noun>Id` at its top, or `<Noun>: {id}`. Only calls that keep
    nothing of that kind (not its creation nor its read) count; a read is one beside the kind's read, at its stem."""
    kinds = _given_kinds(api)
    if not kinds or str(request.get("method", "")).upper() != "POST":
        return None
    found = address(api, operation_id)
    if found is not None and found.kind in kinds:
        return None
    schema = Mirror(api.spec, sent_schema(api, operation_id) or {})
    required = set(schema.root.get("required") or ()) if isinstance(schema.root, dict) else set()
    body = request.get("body") if isinstance(request.get("body"), dict) else {}
    path = _located(api, operation_id)[0] or ""
    for kind, (noun, _, _) in kinds.items():
        for name in required:
            if _bare(name) == noun + "id" and isinstance(body.get(name), str):
                stem = kind.rstrip("/").rsplit("/", 1)[0]
                return kind, body[name], found is None and path.rstrip("/").rsplit("/", 1)[0] == stem, name
            inner = schema.field(schema.root, name) or {}
            if _bare(name) == noun and "id" in (inner.get("required") or ()) and isinstance(body.get(name), dict):
                return kind, body[name].get("id"), False, f"{name}.id"
    return None


def _given(api, kind: str, given, request: dict, ctx):
    """(kept, kind, state object's field, state field, the state object as read now) of the consent of `kind`
    given the id `given`, or None."""
    _, holder, key = _given_kinds(api)[kind]
    for kept in documents.listed(ctx, *kept_as(api, kind)):
        if kept.deleted:
            continue
        now = as_settled(api, kind, kept.answer, kept.created_at, request.get("now"), kept.sent)
        state_object = now.get(holder) if isinstance(now, dict) else None
        if isinstance(state_object, dict) and given is not None and state_object.get("id") == given:
            return kept, kind, holder, key, state_object
    return None


def refused_by_customer(apis, ctx, consent_id: str, at: str) -> list[dict]:
    """Leave the consent kept under `consent_id` (of any served API) refused, as its customer's answer, where it still
    waits for that answer as read now (`PENDING`): its states' refused one (`REJECTED`), read so from then on, and
    calls made under it refused (`refused`). India's Account Aggregator's consent is answered in the aggregator's own
    app, of which the sandbox has no page: it was approved by itself (`remembered.as_settled`) and could not be
    refused. The resources moved, as the control plane lists kept resources; `consent_not_found` where none is kept
    under that id, `invalid_state` where it no longer waits."""
    moved = []
    for slug, kind in documents.kinds_of(ctx, consent_id):
        api = next((api for api in apis if api.slug == slug), None)
        kept = documents.find(ctx, slug, kind, consent_id) if api is not None else None
        if kept is None or not isinstance(kept.answer, dict) or not re.search(r"consent", kind, re.I):
            continue
        now = as_settled(api, kind, kept.answer, kept.created_at, at, kept.sent)
        answer = copy.deepcopy(kept.answer)
        if kind in _given_kinds(api):  # (its state told in an object of its own: `ConsentStatus.status`)
            _, holder, key = _given_kinds(api)[kind]
            held = (now.get(holder) or {}).get(key) if isinstance(now, dict) else None
            states = _states(api, kind)
            places = [(answer.setdefault(holder, {}), key)]
        else:
            found = _held_states(Mirror(api.spec, read_answer(api, kind)), now)
            held = next((holder[key] for holder, key, _ in found), None)
            states = next((listed_states(node) for _, key, node in found), [])
            places = [(holder, key) for holder, key, _ in _held_states(Mirror(api.spec, read_answer(api, kind)), answer)]
        refused_state = consent_moved("refused", states, held) if awaiting(held) else None
        if refused_state is None:
            raise SandboxError("invalid_state", f"consent {consent_id!r} is {held}: it no longer waits for its customer")
        for holder, key in places:
            holder[key] = refused_state
        stamp(answer, {}, at, made=False)
        documents.keep(ctx, slug, kind, consent_id, kept.owner, kept.sent, answer, at)
        moved.append({"api": slug, "kind": kind, "id": consent_id, "answer": answer})
    if not moved:
        raise SandboxError("consent_not_found", f"no consent {consent_id!r} is kept in this workspace")
    return moved
