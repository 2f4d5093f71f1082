"""Which resource an operation is about, and in which role (`address`): the kind a spec's paths and methods
make, read, change, delete, act on, mark or list, in REST paths or in an RPC family that names resources in
bodies; and where a kind's resources are kept (`kept_as`)."""

from __future__ import annotations

import re
from typing import NamedTuple

from . import feeds
from .about import (_enveloped_alike, _prefixed, _success_schema, acted_read, answered_read, answers_tombstone, body_read,
                    one_below, path_shape, read_answer, read_of, same_answer, same_kind)
from .addresses import LAST_PARAMETER, path_value
from .fallback import _located, _merge
from .holdings import _ENVELOPES, _OWN_IDS, _declared_states, revocation_told
from .jws import content_of
from .mirror import _BESIDE, Mirror, _scalar, sent_schema
from .names import _bare, _singular
from .pointers import deref
from .states import (WITHDRAWN, action_verb, ended_by_caller, listed_states, spelled_as, state_field, verb_state,
                     withdrawn_state)


_ROLES_OF_A_RESOURCE_PATH = {"get": "read", "put": "change", "patch": "change", "post": "change", "delete": "delete"}


class Address(NamedTuple):
    role: str  # create, read, change, delete, action, mark or list
    kind: str  # the path template of the GET that reads one resource of the kind
    name: str | None  # the path parameter naming the resource (that of the read for a creation)


def address(api, operation_id: str) -> Address | None:
    """Which resource, or list of them, an operation is about; None when its paths do not say (worked out
    once per operation: on a spec of 355 operations, 1.6 ms each time)."""
    known = api.derived.setdefault("addresses", {})
    if operation_id not in known:
        found = _address(api, operation_id)
        known[operation_id] = found._replace(kind=_canonical(api, found.kind)) if found is not None else None
    return known[operation_id]


def kept_as(api, kind: str) -> tuple[str, str]:
    """(the name of the API whose kept resources `kind` is kept among, the kind as kept there): an API's own
    (its slug, its read's path), or, for a part of an API split over specs (`api.kin`: one host and base path,
    no path in common), the first part's by slug, under the path of the first part that reads one at the same
    place (`/v2/payments/authorizations/{authorization_id}`, whatever a part names its parameter). So what one
    part makes, another reads and acts on (PayPal's orders v2 authorizes an order; payments v2 reads and
    captures the authorization): kept per spec, the authorization was answered as the example's."""
    if not api.kin:
        return api.slug, kind
    known = api.derived.setdefault("kept_as", {})
    if kind not in known:
        shape = re.sub(r"\{[^}/]*\}", "{}", (kind or "").rstrip("/"))
        parts = sorted([api, *api.kin], key=lambda part: part.slug)
        named = next((path for part in parts for _, method, path, _ in part.spec_operations() if kind
                      and method.lower() == "get" and re.sub(r"\{[^}/]*\}", "{}", path.rstrip("/")) == shape), kind)
        known[kind] = (parts[0].slug, named)
    return known[kind]


def _canonical(api, kind: str) -> str:
    """The one kind of the resource a read reads, where the spec reads it at several paths: the shortest read
    ending in the same segment and parameter (`/accounts/{account_guid}`), answering it alike, whose path
    parameters the others all have (MX reads an account at `/users/{user_guid}/accounts/{account_guid}` and
    at `/users/{user_guid}/members/{member_guid}/accounts/{account_guid}`, and changes it at the second: kept
    as two kinds, the change was lost to the first, and a delete at one left it at the other)."""
    known = api.derived.setdefault("canonical_kinds", {})
    if kind not in known:
        found = re.search(r"/([^/{}]+)/\{([^}/]+)\}/?$", kind or "")
        names = set(re.findall(r"\{([^}/]+)\}", kind or ""))
        schema = read_answer(api, kind) if found else None
        same = [path for _, m, path, _ in api.spec_operations() if found and schema is not None and m.lower() == "get"
                and path != kind and path.rstrip("/").endswith(f"/{found.group(1)}/{{{found.group(2)}}}")
                and set(re.findall(r"\{([^}/]+)\}", path)) < names
                and same_kind(api.spec, read_answer(api, path), schema)]
        known[kind] = min(same, key=lambda path: (path.count("/"), path)) if same else kind
    return known[kind]


def _address(api, operation_id: str) -> Address | None:
    listed = feeds.listed_by(api, operation_id)
    if listed is not None:  # the list of a feed of events no read reads one by one (Square's `POST /v2/events`)
        return Address("list", listed, None)
    template, _ = _located(api, operation_id)
    method = next((m for op_id, m, _, _ in api.spec_operations() if op_id == operation_id), "").lower()
    if template is None:
        return None
    if method in ("get", "put", "post", "patch", "delete") and _singleton(api, template):
        return Address({"get": "read", "delete": "delete"}.get(method, "change"), template, None)
    family = body_read(api, template) if method == "post" else None
    if family is not None:  # RPC style: the resource is named in the body (`POST /transfer/get {transfer_id}`)
        return _named_in_body(api, operation_id, template, *family)
    reads = {path.rstrip("/"): path for _, m, path, _ in api.spec_operations() if m.lower() == "get"}
    unread = _unread_kinds(api)
    reads = {**unread, **reads}
    own = LAST_PARAMETER.search(template)
    if own and template.rstrip("/") in reads and method in _ROLES_OF_A_RESOURCE_PATH:
        kind = reads[template.rstrip("/")]
        listed = _page_of_another_kind(api, operation_id, kind) if method == "get" else None
        if listed is not None:  # Marqeta's `GET /cards/user/{token}`: a page of cards, not a resource
            return Address("list", listed, None)
        # a DELETE that answers it cancelled (Mollie's payment), where its state can say so; one answering a
        # resource with no such state answers it deleted (Dwolla's webhook subscription)
        if method == "delete" and same_answer(api, operation_id, kind) and _withdrawable(api, kind):
            return Address("action", kind, own.group(1))
        # one answering no more than the resource's state (NextGenPSD2's payment cancellation: 202
        # `{transactionStatus, _links}`) cancels it too, and the answer says the state it is left in
        if method == "delete" and _answers_state(api, operation_id, kind) and _withdrawable(api, kind):
            return Address("mark", kind, own.group(1))
        # one answering nothing, of a kind whose states name its ending by the client itself (NextGenPSD2's consent
        # deleted 204 is `terminatedByTpp`), ends it so: it had been forgotten, its read and its status path 404s
        if method == "delete" and ended_by_caller(_declared_states(Mirror(api.spec, read_answer(api, kind)))):
            return Address("mark", kind, own.group(1))
        # or whose states name no revocation but a refusal, told beside them by an object naming a reason that says
        # it was revoked (Brazil's consent: `REJECTED`, `rejection.reason.code` CUSTOMER_MANUALLY_REVOKED) ends it so
        if method == "delete" and _revoked_as_refused(api, kind):
            return Address("mark", kind, own.group(1))
        # or answering nothing, whose own words name a withdrawn state of it ("Cancel a charge": `CANCELLED`) leaves
        # it so, read there after as a bank keeps it (deleted, the charge cancelled was a 404)
        if method == "delete" and _success_schema(api.spec, _located(api, operation_id)[1], bodied=True) is None \
                and _withdrawn_as_said(api, operation_id, _declared_states(Mirror(api.spec, read_answer(api, kind)))):
            return Address("mark", kind, own.group(1))
        return Address(_ROLES_OF_A_RESOURCE_PATH[method], kind, own.group(1))
    acted = acted_read(api, operation_id) if method in ("post", "put", "patch") else None
    if acted is not None:
        return Address("action", acted[0], acted[1])
    read = read_of(api, operation_id)
    if method == "post" and read is None:  # a collection under its owner of the owner's kind (a transfer's reversals)
        read = answered_read(api, operation_id)
    if method == "post" and read is None:  # made here, never read one by one, but deleted or changed by its id
        below = next((path for path in unread.values()
                      if one_below(template).fullmatch(path)), None)
        if below is not None:
            return Address("create", below, LAST_PARAMETER.search(below).group(1))
    if method == "post" and read is None:  # made at one path, read at another by the same schema (Codat's
        read = _read_alike(api, operation_id)  # `POST .../data/queue/{dataType}`, `GET .../data/history/{datasetId}`)
        if read is not None:
            return Address("create", _canonical(api, read[0]), read[1])
    if method == "post" and read is None:  # a search beside the kind's collection (`/v2/catalog/search`)
        searched = _searched_beside(api, operation_id, template)
        if searched is not None:
            return Address("list", searched, None)
    if read is None and method != "get":
        return _marked(api, template, method)
    if method == "get":  # a list of the kind: read just below it, or made at the same path
        made = [found for op_id, m, path, _ in api.spec_operations() if m.lower() == "post" and path == template
                and (found := address(api, op_id)) is not None and found.role == "create"]
        if made:
            return Address("list", made[0].kind, None)
        # read just below (`/payments` of `/payments/{id}`), or related to an owner the path names (the balance
        # accounts of `/accountHolders/{id}/balanceAccounts`, read at `/balanceAccounts/{id}`)
        below = read is not None and one_below(template).fullmatch(read[0])
        if below or (read is not None and "{" in template):
            return Address("list", read[0], None)
        # else a page of a kind made elsewhere, under another name (Revolut makes at `POST /counterparty`, reads
        # at `/counterparty/{id}`, lists at `GET /counterparties`)
        listed = _page_of_another_kind(api, operation_id, template)
        return Address("list", listed, None) if listed is not None and _made_elsewhere(api, listed) else None
    if method not in ("post", "put"):
        return None
    if method == "post" and _searches(api, operation_id, template, read[0]):
        return Address("list", read[0], None)
    # A creation is made at its kind's own path (`POST /payments` read at `/payments/{id}`), or answers the
    # read's resource (Currencycloud's `POST /payments/create`). Not a search (a list, above) or a bulk call
    # under the kind's path (Square's `POST /v2/customers/bulk-create`), nor another kind a literal segment
    # names alike (Stripe's `POST /v1/billing_portal/sessions` is no checkout session
    # `/v1/checkout/sessions/{session}`).
    # A creation answered without a body (Dwolla's funding sources, read where `Location` says) is its kind's.
    own_path = one_below(template).fullmatch(read[0])
    answered = _success_schema(api.spec, _located(api, operation_id)[1])
    if not own_path and answered is not None and not same_kind(api.spec, answered, read_answer(api, read[0])):
        return None
    # Of a call named by a verb beside the kind's path (RPC style, `POST /customer/<verb>`), only a verb that
    # makes one creates (Currencycloud's `/payments/create`); Paystack's `/customer/set_risk_action` and
    # `/subscription/disable` answer the resource they act on, and each had been kept as a new one.
    last = template.rstrip("/").rsplit("/", 1)
    verb = re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", last[-1])[0].lower()
    beside = len(last) == 2 and last[0] == read[0].rstrip("/").rsplit("/", 1)[0]
    if not own_path and beside and "{" not in last[-1] and verb not in _MAKING:
        return None
    return Address("create", read[0], read[1])


def _named_in_body(api, operation_id: str, template: str, read: str, name: str) -> Address | None:
    """What a POST of an RPC-style family (`body_read`: `/transfer/create`, `/transfer/get` with `{transfer_id}`)
    is about. The read reads; a call whose body declares the read's field acts on the one it names: a change
    (`update`), a delete (`remove`), an action where it answers the resource, a mark where its verb names one of
    the resource's states (`cancel` answering `{request_id}`); one that does not is a list where it answers an
    array of the kind (`list`, `search`), a creation where its verb makes one and it answers the resource, in an
    envelope or not, or just its id (Plaid's `/payment_initiation/payment/create` answers `{payment_id, status}`)."""
    if template.rstrip("/") == read.rstrip("/"):
        return Address("read", read, name)
    verb = re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", template.rstrip("/").rsplit("/", 1)[-1])[0].lower()
    answered = Mirror(api.spec, _success_schema(api.spec, _located(api, operation_id)[1]))
    resource = read_answer(api, read)
    alike = same_kind(api.spec, answered.root, resource) or _enveloped_alike(api.spec, answered.root, resource)
    if name in ((sent_schema(api, operation_id) or {}).get("properties") or {}):
        if verb in _CHANGING:
            return Address("change", read, name)
        if verb in _DELETING:
            return Address("action" if alike and _withdrawable(api, read) else "delete", read, name)
        if alike:
            return Address("action", read, name)
        states = _declared_states(Mirror(api.spec, resource))
        return Address("mark", read, name) if verb_state(action_verb(verb, states), states) is not None else None
    if verb in _READING and _of_the_kind(template, read) and _lists(api, answered, resource):
        return Address("list", read, None)
    fields = (answered.root or {}).get("properties") or {}
    if verb in _MAKING and (alike or any(_bare(key) == _bare(name) for key in fields)):
        return Address("create", read, name)
    # named by what it makes rather than by a making verb (PolishAPI's `/payments/domestic`, `/payments/EEA`, which
    # answer the `paymentId` its read `getPayment` takes): a call of none of the other verbs that answers the read's
    # field without being sent it
    required = {_bare(key) for key in (answered.root or {}).get("required") or ()}
    if _bare(name) in required and verb not in _READING | _CHANGING | _DELETING and not _lists(api, answered, resource):
        return Address("create", read, name)
    # named by the noun its read's field is named for, answering that field (PolishAPI's `bundle`, read by
    # `getBundle {bundleId}`: `about._read_of_another_noun`)
    if _bare(template.rstrip("/").rsplit("/", 1)[-1]) + "id" == _bare(name) and any(_bare(key) == _bare(name) for key in fields):
        return Address("create", read, name)
    return None


def _of_the_kind(template: str, read: str) -> bool:
    """Whether a call of an RPC-style family is named by its verb alone (`/transfer/list`) or by its verb and the
    kind its read reads (`getPayments`, `getMultiplePayments` beside `getPayment`), not by its verb and another kind
    (`getBundle`, whose bundle holds payments: answered as the list of every payment kept, it was no bundle)."""
    words = [word.lower() for word in re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", template.rstrip("/").rsplit("/", 1)[-1]) if word]
    kind = [word.lower() for word in re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", read.rstrip("/").rsplit("/", 1)[-1]) if word][1:]
    return len(words) == 1 or not kind or _singular(words[-1]) == _singular(kind[-1])


# Verbs naming a call that changes, or deletes, the resource its body names (`POST /item/update`, `/item/remove`).
_CHANGING = frozenset(("update", "edit", "modify", "patch", "set", "change", "replace"))
_DELETING = frozenset(("delete", "remove", "destroy", "erase", "purge"))


def _lists(api, answered, resource) -> bool:
    """Whether an answer (`answered`, a mirror) holds an array of the resource a read answers (`resource`): of
    its schema, of one it envelops, or of the fields it holds beside what answers add to it (Plaid reads a
    payment as `allOf: [PaymentInitiationPayment, {request_id}]`, and lists `{payments: [PaymentInitiationPayment]}`)."""
    root = answered.root
    if not isinstance(root, dict):
        return False
    arrays = [root] if root.get("type") == "array" else [
        field for field in (answered.field(root, key) for key in root.get("properties") or ())
        if isinstance(field, dict) and field.get("type") == "array"]
    kinds = _read_resources(api, resource)
    held = Mirror(api.spec, resource).root or {}
    own = set((held.get("properties") or {}))
    for array in arrays:
        items = answered.items(array)
        names = set(((Mirror(api.spec, items).root or {}).get("properties") or {}))
        if any(same_kind(api.spec, items, kind) for kind in kinds) or len(names) > 2 and names < own:
            return True
    return False


def _searches(api, operation_id: str, template: str, read: str) -> bool:
    """Whether a POST is a search of the kind `read` reads, sent as a POST for its body (Square's `POST
    /v2/customers/search`, `/v2/catalog/search`, `/v2/orders/search`): at the kind's own collection path and one
    literal segment, named by a verb that reads (`search`, `query`, `list`, `find`, `filter`: not one that makes
    or acts, nor a batch's `batch-retrieve`), answering an array of the kind (bare, or under a key: `{customers:
    [Customer], cursor}`) as the read answers it, bare or in its envelope (`{customer: Customer}`). Read as no
    creation, it answered drawn examples: tap-square synced 724 made-up customers and none of the 5 it made."""
    last = template.rstrip("/").rsplit("/", 1)
    verb = re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", last[-1])[0].lower()
    collection = read.rstrip("/").rsplit("/", 1)[0]
    # at the kind's collection (`/v2/orders/search`), or beside it (`/v2/catalog/search` of
    # `/v2/catalog/object/{id}`, `/v2/invoicing/search-invoices` of `/v2/invoicing/invoices/{id}`)
    if len(last) != 2 or "{" in last[-1] or verb not in _READING or last[0] not in (collection, collection.rsplit("/", 1)[0]):
        return False
    mirror = Mirror(api.spec, _success_schema(api.spec, _located(api, operation_id)[1]))
    if mirror.root is None:
        return False
    arrays = [mirror.root] if mirror.root.get("type") == "array" else [
        field for field in map(lambda key: mirror.field(mirror.root, key), mirror.root.get("properties") or ())
        if isinstance(field, dict) and field.get("type") == "array"]
    kinds = _read_resources(api, read_answer(api, read))
    return any(same_kind(api.spec, mirror.items(array), kind) for array in arrays for kind in kinds)


def _searched_beside(api, operation_id: str, template: str) -> str | None:
    """The read of the one kind a POST beside kinds' collections searches (Square's `POST /v2/catalog/search`
    of `/v2/catalog/object/{object_id}`, PayPal's `POST /v2/invoicing/search-invoices` of
    `/v2/invoicing/invoices/{invoice_id}`), where its path names no kind with a read: one with an id below a
    sibling of its path whose kind it answers an array of (`_searches`). Read as no search, it answered drawn
    examples: Airbyte's Square and PayPal sources synced none of the items and invoices they had made."""
    parent = template.rstrip("/").rsplit("/", 1)[0]
    reads = [path for _, method, path, _ in api.spec_operations() if method.lower() == "get"
             and re.fullmatch(re.escape(parent) + r"/[^{}/]+/\{[^}/]+\}/?", path)]
    found = [path for path in dict.fromkeys(reads) if _searches(api, operation_id, template, path)]
    return found[0] if len(found) == 1 else None


# Verbs naming a POST that finds resources of the kind it is named beside (`POST /customers/search`).
_READING = frozenset(("search", "query", "list", "find", "filter", "lookup", "browse", "retrieve", "fetch", "get"))


def _read_alike(api, operation_id: str) -> tuple | None:
    """(path, parameter) of the one read by id that answers exactly the schema a POST answers (the same
    component), where the POST's path names no such id: what it makes is read there, though its path says
    nothing of it (a data pull queued at `/companies/{c}/data/queue/{dataType}`, read at
    `/companies/{c}/data/history/{datasetId}`; a paykey made by `POST /v1/bridge/bank_account`, read at
    `/v1/paykeys/{id}`, as Straddle's). Only an answer that is an object of its own with an id, or the envelope
    of one (`{meta, response_type, data: {id, ...}}`)."""
    template, operation = _located(api, operation_id)
    answered = _success_schema(api.spec, operation)
    # (its `id` where a part of its `allOf` declares it: PayPal's capture is `allOf` of a status and the fields)
    fields = ((Mirror(api.spec, answered).root or {}).get("properties") or {}) if isinstance(answered, dict) else {}
    if "id" not in fields and not any(_one_resource(api.spec, field) for field in fields.values()):
        return None
    reads = [(path, found.group(1)) for _, method, path, _ in api.spec_operations() if method.lower() == "get"
             and (found := re.search(r"\{([^}/]+)\}/?$", path)) and read_answer(api, path) is answered
             and f"{{{found.group(1)}}}" not in (template or "")]
    return reads[0] if len(reads) == 1 else None


# Verbs naming a call that makes a resource of the kind it is named beside (`POST /payments/create`).
_MAKING = frozenset(("create", "new", "add", "make", "open", "register", "issue", "initiate", "initialize", "initialise",
                     "start", "submit", "book", "request", "place", "charge", "send", "generate", "import", "upload",
                     "apply", "schedule", "quote", "order", "enrol", "enroll", "onboard", "subscribe", "invite"))


def _singleton(api, template: str) -> bool:
    """Whether a path names one resource of its own, with no id (settings, a profile: Codat's `GET`/`PUT /profile`,
    `GET`/`POST /companies/{companyId}/syncSettings`): it ends in a literal segment, a GET reads it, no GET reads
    anything one level below it (it is no collection), and a PUT, POST or PATCH of the same path sends or answers
    what the GET answers (the same fields). Set, it was read back as the example: the settings were lost."""
    known = api.derived.setdefault("singletons", {})
    if template not in known:
        known[template] = False
        bare = template.rstrip("/")
        operations = [(op_id, m.lower(), path.rstrip("/"), op) for op_id, m, path, op in api.spec_operations()]
        read = next((op for _, m, path, op in operations if m == "get" and path == bare), None)
        answer = _success_schema(api.spec, read) if read is not None and not LAST_PARAMETER.search(bare) else None
        below = any(m == "get" and one_below(bare).fullmatch(path) for _, m, path, _ in operations)
        if isinstance(answer, dict) and deref(api.spec, answer).get("type") != "array" and not below:
            known[template] = any(
                m in ("put", "post", "patch") and path == bare and any(
                    isinstance(schema, dict) and same_kind(api.spec, schema, answer)
                    for schema in (sent_schema(api, op_id), _success_schema(api.spec, op)))
                for op_id, m, path, op in operations)
    return known[template]


def _unread_kinds(api) -> dict:
    """The paths of resources that no GET reads one by one, though a POST makes them at the path just above and
    a DELETE, PUT or PATCH names each by its id (Adyen's stored payment methods: `POST /storedPaymentMethods`,
    `GET /storedPaymentMethods` lists them, `DELETE /storedPaymentMethods/{id}` removes one), by the path
    without its trailing slash. They are kinds all the same: what is made is listed, and what is deleted is
    gone from the list."""
    known = api.derived.get("unread_kinds")
    if known is None:
        operations = [(m.lower(), path) for _, m, path, _ in api.spec_operations()]
        read = {path.rstrip("/") for m, path in operations if m == "get"}
        made = {path.rstrip("/") for m, path in operations if m == "post"}
        known = {path.rstrip("/"): path for m, path in operations if m in ("delete", "put", "patch")
                 and path.rstrip("/") not in read
                 and (found := re.fullmatch(r"(.*)/\{[^}/]+\}", path.rstrip("/"))) and found.group(1) in made}
        api.derived["unread_kinds"] = known
    return known


def _marked(api, template: str, method: str) -> Address | None:
    """A POST one literal segment under a resource's read, or under the read's path behind a prefix of its own
    (`/test/payments/{reference}/approve` of `/payments/{reference}`), that names a state the resource can be in,
    though its answer is not the resource (PayPal's `POST /invoices/{id}/send` answers a link, its `cancel` 204)."""
    found = re.fullmatch(r"(.*\{([^}/]+)\})/([^{}/]+)/?", template)
    if method not in ("post", "patch") or found is None:  # (`PATCH /agreements/{id}/accept`: a verb, no field)
        return None
    kind = next((path for _, m, path, _ in api.spec_operations()
                 if m.lower() == "get" and path_shape(path) == path_shape(found.group(1))), None)
    if kind is None:  # a test helper under a prefix of its own (`POST /test/payments/{reference}/approve`)
        kind = next((path for _, m, path, _ in sorted(api.spec_operations(), key=lambda op: -len(op[2]))
                     if m.lower() == "get" and re.search(r"\}/?$", path) and _prefixed(found.group(1), path)), None)
    if kind is None:
        return None
    states = _declared_states(Mirror(api.spec, read_answer(api, kind)))
    verb = action_verb(found.group(3), states)  # (`captures`, a list of captures, captures it)
    return Address("mark", kind, found.group(2)) if verb_state(verb, states) is not None else None


def _withdrawn_as_said(api, operation_id: str, states: list) -> str | None:
    """The withdrawn state of `states` a verb of the operation's summary or id names (`Terminate a subscription`,
    `cancelPayment`), or None."""
    operation = _located(api, operation_id)[1] or {}
    words = re.split(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])", f"{operation.get('summary') or ''} {operation_id}")
    for word in (word.lower() for word in words if len(word) > 2):
        named = verb_state(word, states)
        if named is not None and withdrawn_state([named]) is not None:
            return named
    return None


def _revoked_as_refused(api, kind: str) -> bool:
    """Whether the resource `kind`'s read answers tells its revocation as a refusal (holdings.revocation_told), at
    its top or in its envelope."""
    mirror = Mirror(api.spec, read_answer(api, kind))
    root = mirror.root if isinstance(mirror.root, dict) else {}
    nodes = [root] + [mirror.field(root, key) for key in root.get("properties") or () if _bare(key) in _ENVELOPES]
    return any(revocation_told(mirror, node)[0] is not None for node in nodes)


def _withdrawable(api, kind: str) -> bool:
    """Whether the resource the GET of `kind` reads has a state field (`status`, `state`) whose enum names a
    withdrawn state, or whose description lists one in code spans where it has no enum (Mollie's payment status:
    "Possible values: `open` `pending` ... `canceled`"): a DELETE answering such a resource cancels it, one
    answering any other deletes it."""
    seen = []

    def states(schema, depth=0, named=False) -> bool:
        schema = deref(api.spec, schema)
        if not isinstance(schema, dict) or depth > 6 or any(schema is s for s in seen):
            return False
        seen.append(schema)
        listed = schema.get("enum") or (listed_states(schema) if named and schema.get("type") == "string" else ())
        if any(spelled_as(v, word) for v in listed for word in WITHDRAWN):
            return True
        parts = [*(schema.get("allOf") or ()), *(schema.get("anyOf") or ()), *(schema.get("oneOf") or ())]
        fields = [value for key, value in (schema.get("properties") or {}).items() if state_field(key)]
        # (in its envelope: `data`, or the one field of an answer that is nothing but it, Lago's `{subscription}`)
        properties = schema.get("properties") or {}
        inner = [value for key, value in properties.items() if _bare(key) in _ENVELOPES
                 or (depth == 0 and len(properties) == 1 and (deref(api.spec, value) or {}).get("type") in ("object", None))]
        return any(states(part, depth + 1) for part in [*parts, *inner]) or any(states(field, depth + 1, True)
                                                                                for field in fields)
    return states(read_answer(api, kind))


def _answers_state(api, operation_id: str, kind: str) -> bool:
    """Whether an operation's success answer, not the resource `kind` reads, carries a state field the read has
    too (NextGenPSD2's `DELETE .../{paymentId}` answers `{transactionStatus, scaMethods, _links}`)."""
    from .about import _field_names as declared_names

    own = _success_schema(api.spec, _located(api, operation_id)[1], bodied=True)
    if not isinstance(own, dict):
        return False
    read = {name for names in declared_names(api.spec, read_answer(api, kind)) for name in names}
    return any(state_field(name) and name in read for names in declared_names(api.spec, own) for name in names)


def _stated_by(api, operation_id: str, kind: str):
    """The schema naming the states an action leaves a kept resource of `kind` in: a DELETE's own answer where it
    carries the resource's state (`_answers_state`: the read of NextGenPSD2's payment declares its
    transactionStatus only in the branches of a oneOf of payment products), else the read's (an action's own
    answer may be another kind's: a capture's states are not its authorization's)."""
    if _verb(api, operation_id) == "delete" and _answers_state(api, operation_id, kind):
        return _success_schema(api.spec, _located(api, operation_id)[1], bodied=True)
    return read_answer(api, kind)


def _page_of_another_kind(api, operation_id: str, template: str) -> str | None:
    """The read of the kind a GET ending in a parameter lists, where it answers a page of another kind's
    resources (Marqeta's `GET /cards/user/{token}` answers `{count, is_more, data: [card]}`, cards read at
    `/cards/{token}`): an array of them, or an object without an id of its own holding one list of objects
    of a kind some read reads (bare, or in the read's envelope)."""
    schema = _success_schema(api.spec, _located(api, operation_id)[1])
    schema = deref(api.spec, schema) if isinstance(schema, dict) else None
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "array":
        lists = [schema.get("items")]
    else:
        fields = {name: deref(api.spec, field) for name, field in (schema.get("properties") or {}).items()}
        if any(_bare(name) in _OWN_IDS for name in fields) or any(_one_resource(api.spec, field) for field in fields.values()):
            return None
        # an answer naming itself by the path's own parameter is that resource, whatever lists of its parts it holds
        # (Enable Banking's `GET /payments/{payment_id}` answers `payment_id` beside the payment's lines, each
        # read at `/payments/{payment_id}/transactions/{transaction_id}`: taken for a page of lines, it was never
        # the payment made, and an unknown one answered 200)
        own = LAST_PARAMETER.search(template)
        if own and any(_bare(name) == _bare(own.group(1)) for name in fields):
            return None
        # (what an answer side-loads beside its resource, JSON:API's `included`, is no page)
        fields = {name: field for name, field in fields.items() if _bare(name) not in _BESIDE}
        lists = [field.get("items") for field in fields.values() if isinstance(field, dict) and field.get("type") == "array"
                 and isinstance(deref(api.spec, field.get("items")), dict)
                 and (deref(api.spec, field.get("items")).get("properties") or "$ref" in (field.get("items") or {}))]
        # else those one object down, without an id of its own (HAL's `_embedded: {refunds: [...]}`: Mollie's
        # `GET /v2/refunds` of every payment's refunds, read at `/v2/payments/{paymentId}/refunds/{refundId}`)
        for inner in ([] if lists else [field for field in fields.values() if isinstance(field, dict)]):
            inner = {name: deref(api.spec, sub) for name, sub in (inner.get("properties") or {}).items()}
            if not any(_bare(name) in _OWN_IDS for name in inner):
                lists += [sub.get("items") for sub in inner.values() if isinstance(sub, dict) and sub.get("type") == "array"
                          and isinstance(deref(api.spec, sub.get("items")), dict)
                          and (deref(api.spec, sub.get("items")).get("properties") or "$ref" in (sub.get("items") or {}))]
    reads = [(path, _read_resources(api, _success_schema(api.spec, op))) for _, m, path, op in api.spec_operations()
             if m.lower() == "get" and path != template and re.search(r"\{[^}/]+\}/?$", path)]
    # of the page's lists of objects, the one of a kind some read reads (Square's `objects` beside its `errors`)
    found = [[path for path, resources in reads if any(same_kind(api.spec, deref(api.spec, items), read) for read in resources)]
             for items in lists if isinstance(deref(api.spec, items), dict)]
    found = [candidates for candidates in found if candidates]
    if len(found) != 1:
        return None
    candidates = found[0]
    made = [path for path in candidates if _made_elsewhere(api, path)]
    return (made or sorted(candidates, key=len) or [None])[0]


def _one_resource(spec: dict, field) -> bool:
    """Whether an answer's field holds one resource, an object with an id of its own: the answer is about it
    (JSON:API's `{data: {type, id, attributes}, included: [...]}`), not a page of what it holds beside it."""
    node = _merge(spec, [field]) if isinstance(field, dict) else None
    return isinstance(node, dict) and node.get("type", "object") == "object" \
        and any(_bare(name) in _OWN_IDS for name in node.get("properties") or {})


def _read_resources(api, schema) -> list:
    """The schemas a read's answer may hold its resource as: the answer itself, or, where it has no id of its
    own, each object it envelops (Square reads a catalog object as `{object: CatalogObject}` and lists
    `{objects: [CatalogObject]}`)."""
    node = Mirror(api.spec, schema).root if isinstance(schema, dict) else None
    if not isinstance(node, dict):
        return []
    fields = node.get("properties") or {}
    if any(_bare(name) in _OWN_IDS for name in fields):
        return [schema]
    inner = [deref(api.spec, field) for field in fields.values() if isinstance(field, dict)]
    return [schema, *(field for field in inner if isinstance(field, dict) and (field.get("properties") or field.get("allOf")))]


def _made_elsewhere(api, kind: str) -> bool:
    """Whether resources of `kind` are made by a creation of their own (a POST), not by a PUT of their path."""
    known = api.derived.setdefault("made_elsewhere", {})
    kind = _canonical(api, kind)
    if kind not in known:
        known[kind] = any(m.lower() == "post" and (found := address(api, op_id)) is not None and found.role == "create"
                          and found.kind == kind for op_id, m, _, _ in api.spec_operations())
    return known[kind]


def _created_by_put(api, operation_id: str, request: dict, reply) -> bool:
    """Whether a PUT of a resource's path made it: answered 201, a status its operation documents."""
    if request.get("method") != "PUT" or getattr(reply, "status", None) != 201:
        return False
    operation = next((op for op_id, _, _, op in api.spec_operations() if op_id == operation_id), None) or {}
    return "201" in {str(code) for code in (operation.get("responses") or {})}


def _tombstoned(api, kind: str) -> bool:
    """Whether a DELETE of `kind` answers the tombstone its read answers after (Stripe's deleted customer)."""
    known = api.derived.setdefault("tombstoned", {})
    if kind not in known:
        known[kind] = any(m.lower() == "delete" and path.rstrip("/") == kind.rstrip("/") and answers_tombstone(api, op_id, kind)
                          for op_id, m, path, _ in api.spec_operations())
    return known[kind]


def _value(request: dict, name: str | None):
    """The value the request's path gave `name`, as text, or None; for a resource the path names with no id of
    its own (`_singleton`, `name` None), the path itself."""
    if name is None:
        return request.get("singleton_path")
    value = path_value(request.get("path") or {}, name)
    sent = content_of(request) if value is None and request.get("named_in_body") == name else None
    value = sent.get(name) if isinstance(sent, dict) and _scalar(sent.get(name)) else value
    return None if value is None else str(value)


def _verb(api, operation_id: str) -> str:
    """What an action does, by its path's last segment (`cancel` of `/payments/{id}/cancel`); a DELETE of the
    resource's own path that answers it withdraws it: `delete`."""
    last = (_located(api, operation_id)[0] or "").rstrip("/").rsplit("/", 1)[-1]
    return "delete" if last.startswith("{") else last
