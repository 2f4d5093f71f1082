"""One-time codes checked against a resource made before: the sandbox's test code approves it.

A verification API makes a resource that waits for a code (its state field's states, in an enum or listed in its
description, hold `pending` and `approved`: Twilio Verify's verification) and checks the code a person typed by a
`POST` of its own that keeps nothing, whose body carries the code (`code`, `otp`, ...) beside what names the
resource waiting: its id under the kind's name (`VerificationSid` of `/Verifications/{Sid}`), or fields the resource
holds (`To`). The sandbox sends no code, so, as vendors' test modes do, one fixed code approves every such resource
(`TEST_CODE`): the check answers it (its id, recipient, channel) approved and leaves it so; any other code answers it
still waiting, as it stays. A check naming none waiting (never made, or approved already) is `not_found`.
Drawn, every check answered the example's id and `approved`, whatever code it was sent.
"""

from __future__ import annotations

import copy
import re

from ..actions import documents
from ..domain.errors import SandboxError
from .about import _success_schema, read_answer
from .mirror import Mirror, _scalar, sent_schema
from .names import _bare, _singular
from .fallback import _located
from .jws import content_of
from .states import listed_states, state_field

TEST_CODE = "123456"

# The names of a code typed by a person (`Code`, `otp`, `verification_code`).
_CODE_WORDS = frozenset(("code", "otp", "otpcode", "passcode", "verificationcode", "smscode"))
_WAITING = "pending"
_APPROVED = ("approved", "verified")
# Flags that say whether the check succeeded (Twilio's legacy `valid`).
_FLAGS = frozenset(("valid", "verified", "approved"))


def _states(api, schema) -> tuple[str, list] | None:
    """(the state field, its states) of the resource `schema` answers at its top: its enum, else the words its
    description lists in code spans."""
    mirror = Mirror(api.spec, schema)
    root = mirror.root if isinstance(mirror.root, dict) else {}
    for key in root.get("properties") or ():
        if state_field(key):
            field = mirror.field(root, key) or {}
            return key, [str(value) for value in listed_states(field)]
    return None


def trait(api, operation_id: str) -> tuple | None:
    """(kind, the code's field, the field naming the kind's id or None, {sent field: the resource's field}) of a
    check of a code (memoised); None for any other operation."""
    known = api.derived.setdefault("code_checks", {})
    if operation_id not in known:
        known[operation_id] = _trait(api, operation_id)
    return known[operation_id]


def _trait(api, operation_id: str) -> tuple | None:
    from . import totals
    from .roles import address

    template, operation = _located(api, operation_id)
    method = next((m for op_id, m, _, _ in api.spec_operations() if op_id == operation_id), "").lower()
    sent = (sent_schema(api, operation_id) or {}).get("properties") or {}
    code = next((key for key in sent if _bare(key) in _CODE_WORDS), None)
    answered = _success_schema(api.spec, operation) if operation else None
    if method != "post" or code is None or answered is None or _states(api, answered) is None \
            or address(api, operation_id) is not None:
        return None
    owner = (template or "").rstrip("/").rsplit("/", 1)[0]
    for kind, name in totals.readable_kinds(api, address):
        read = read_answer(api, kind)
        said = _states(api, read) if read is not None else None
        found = re.search(r"^(.*)/([^/{}]+)/\{[^}/]+\}/?$", kind)
        if said is None or found is None or found.group(1) != owner or _WAITING not in said[1] \
                or not any(state in said[1] for state in _APPROVED):
            continue
        noun = _bare(_singular(found.group(2)))
        by_id = next((key for key in sent if _bare(key) in (noun + _bare(name), noun + "id")), None)
        held = {_bare(key): key for key in (Mirror(api.spec, read).root or {}).get("properties") or ()}
        fields = {key: held[_bare(key)] for key in sent if key not in (code, by_id) and _bare(key) in held}
        if by_id is not None or fields:
            return kind, code, by_id, fields
    return None


def checked(api, operation_id: str, request: dict, ctx) -> dict:
    """`request`, a check of a code (`trait`), with the resource it names as it is after the check (`viewed`, as a
    view of it is answered: remembered.as_viewed) and what to keep of it (`checked`); refused `not_found` where no
    resource of the kind waits for a code under what it names."""
    from . import scopes
    from .holdings import _fields
    from .listing import _belongs
    from .not_found import _status_asked
    from .roles import kept_as

    found = trait(api, operation_id) if ctx is not None else None
    sent = content_of(request)
    if found is None or not isinstance(sent, dict) or _status_asked(request):
        return request
    kind, code, by_id, fields = found
    if all(sent.get(name) in (None, "") for name in (by_id, *fields) if name is not None):
        # (naming none, it would check the last one made, whoever it was sent to)
        raise SandboxError("invalid_request", f"Either {' or '.join(n for n in (*fields, by_id) if n)} must be given",
                           field=by_id or next(iter(fields)))
    state = _states(api, read_answer(api, kind))[0]
    template = _located(api, operation_id)[0]
    acting_for = scopes.of(api, request, ctx)
    waiting = None
    for kept in reversed(documents.listed(ctx, *kept_as(api, kind))):  # (the last made first)
        if kept.deleted or scopes.held(kept.owner) != acting_for or not _belongs(kept, template, request):
            continue
        held = {**_fields(kept.sent, kept.id), **_fields(kept.answer, kept.id)}
        if by_id is not None and sent.get(by_id) not in (None, "") and str(sent[by_id]) != str(kept.id):
            continue
        if any(held.get(_bare(theirs)) is not None and str(held[_bare(theirs)]) != str(sent[mine])
               for mine, theirs in fields.items() if _scalar(sent.get(mine)) and sent.get(mine) not in (None, "")):
            continue
        if isinstance(kept.answer, dict) and kept.answer.get(state) == _WAITING:
            waiting = kept
            break
    if waiting is None:
        named = sent.get(by_id) if by_id is not None and sent.get(by_id) else next(
            (sent[mine] for mine in fields if sent.get(mine)), "")
        raise SandboxError("not_found", f"No resource waiting for a code: {named}", field=by_id)
    answer = copy.deepcopy(waiting.answer)
    if str(sent.get(code, "")).strip() == TEST_CODE:
        states = _states(api, read_answer(api, kind))[1]
        answer[state] = next(state for state in _APPROVED if state in states)
        answer.update({key: True for key, value in answer.items() if _bare(key) in _FLAGS and isinstance(value, bool)})
    return {**request, "viewed": {"sent": waiting.sent, "answer": answer},
            "checked": {"kind": kind, "id": waiting.id, "answer": answer if answer != waiting.answer else None}}


def keep_checked(api, request: dict, reply, ctx) -> None:
    """Keep the resource a successful check approved (`checked`) as approved."""
    from . import feeds
    from .moments import stamp
    from .holdings import _resource
    from .roles import kept_as

    done = request.get("checked")
    if ctx is None or not done or done["answer"] is None or not 200 <= reply.status < 300:
        return
    kept = documents.find(ctx, *kept_as(api, done["kind"]), done["id"])
    if kept is None:
        return
    answer = copy.deepcopy(done["answer"])
    stamp(answer, {}, request["now"], made=False)
    documents.keep(ctx, *kept_as(api, done["kind"]), kept.id, kept.owner, kept.sent, answer, request["now"])
    feeds.record(api, ctx, done["kind"], kept.id, "change", _resource(answer, kept.id), _resource(kept.answer, kept.id),
                 request, answer)
