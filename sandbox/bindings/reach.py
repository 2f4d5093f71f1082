"""The accounts a customer's token reaches through its consent: those the consent names, or the customer's own.

An account-information API answers, under a customer's token, the accounts its consent was made for: a
consent naming accounts by reference (NextGenPSD2's `access.accounts: [{iban}]`) reaches those, each kept
once for the customer as its read answers it, with the reference and currency named; a consent naming
none (`allAccounts`, Brazil's consent of permissions alone) reaches the customer's accounts, made once of
what the kind's list shows. Listed and read alike, and an account the consent does not reach is refused
as the API refuses an unknown one. Kinds of accounts are told by their path (`.../accounts/{id}`); an RPC-style
API's call names its account in its body (PolishAPI's `POST .../getAccount {accountNumber}`), refused alike.
"""

from __future__ import annotations

import copy
import re
import uuid

from ..actions import accounts, documents
from ..domain.errors import SandboxError
from .about import _rpc_stem, _success_schema, posted_consent, read_answer
from .addresses import path_value
from .fallback import _located, operation_of, respond
from .holdings import _OWN_IDS
from .mirror import Mirror, _scalar, sent_schema
from .moments import said_made, stamp
from .names import _bare, _singular
from .not_found import _declares_refusal, _refuses_as_bad_input
from .schemas import schemas_of
from .roles import _canonical, address, kept_as

# The fields a consent names an account by, bare (NextGenPSD2's account references `{iban}`, `{maskedPan}`; an
# account's number or id elsewhere): an account read or listed under the consent holds one of them.
_ACCOUNT_REFERENCES = ("iban", "bban", "pan", "maskedpan", "msisdn", "accountnumber", "accountid")
# Where a consented account is kept: the customer it is the account of.
_CONSENTED = "@consented_for"
# A kind of accounts, by the collection its read is under (`/accounts/{accountId}`, `/card-accounts/{account-id}`).
_ACCOUNT_KIND = re.compile(r"accounts/\{[^}/]+\}/?$", re.IGNORECASE)


def _references(sent, depth: int = 0) -> list:
    """(bare field, value, the object naming it) of each account a consent's body names by reference, at any depth
    (NextGenPSD2's `access.accounts`/`balances`/`transactions: [{iban, currency}]`), once each."""
    if depth > 6:
        return []
    found = []
    if isinstance(sent, dict):
        named = [(_bare(key), value) for key, value in sent.items()
                 if _bare(key) in _ACCOUNT_REFERENCES and isinstance(value, str) and value]
        if named:
            found.append((*named[0], sent))
        for value in sent.values():
            if isinstance(value, (dict, list)):
                found += _references(value, depth + 1)
    elif isinstance(sent, list):
        for value in sent:
            found += _references(value, depth + 1)
    return list({(field, value): (field, value, holder) for field, value, holder in found}.values())


def _consent_named(ctx, consent_id) -> list | None:
    """The account references (`_references`) the kept consent `consent_id` (of any API of the bank) was made
    naming: [] where it names none (all the customer's accounts: NextGenPSD2's `allAccounts`, Brazil's consent of
    permissions alone); None where no such consent is kept."""
    named = None
    for slug, kind in documents.kinds_of(ctx, consent_id) if consent_id else ():
        kept = documents.find(ctx, slug, kind, consent_id)
        if kept is not None:
            named = named or _references(kept.sent)
    return named


def _account_holder(mirror, node, own: set, depth: int = 0):
    """The path (keys) from an answer's top to the object of its schema `node` that is an account: one declaring at
    its own top its id (a field named in `own`) and a reference an account is named by (`iban`, `maskedPan`): []
    for the answer itself, ['account'] for NextGenPSD2's `{account: {resourceId, iban}}`; None where none is
    within two objects (a transaction: its `debtorAccount` holds a reference, not the transaction's id)."""
    node = mirror.resolved(node)
    properties = (node or {}).get("properties") or {} if isinstance(node, dict) else {}
    bare = {_bare(key) for key in properties}
    if bare & own and bare & set(_ACCOUNT_REFERENCES) - own:
        return []
    if depth >= 2:
        return None
    for key in properties:
        inner = mirror.field(node, key)
        if isinstance(inner, dict) and inner.get("properties"):
            path = _account_holder(mirror, inner, own, depth + 1)
            if path is not None:
                return [key, *path]
    return None


def consented_accounts(api, kind: str, name: str | None, request: dict, ctx) -> list | None:
    """The ids of the accounts of `kind` (a kind of accounts: `_ACCOUNT_KIND`) a call under a customer's token reaches,
    where the consent the token was granted for (`request["consent"]`) is kept: where it names accounts by reference
    (NextGenPSD2's `access.accounts: [{iban}]`), those it names by a reference the kind's accounts hold ([] where it
    names only others: card accounts by `maskedPan`), each kept once, for the customer, as its read answers it (the
    spec's example, or a draw) with its id and the reference and currency the consent named; where it names none,
    the customer's (`_customer_accounts`). Listed and read alike. None where no such consent is kept, or `kind` holds
    no account (its read declares no object holding both an id and a reference). The list had answered the spec's
    example account, whose IBAN no consent named, and its read another."""
    if ctx is None or not kind or not _ACCOUNT_KIND.search(kind):
        return None
    references = _consent_named(ctx, request.get("consent"))
    if references == []:
        return _customer_accounts(api, kind, name, request, ctx)
    reading = _reading(api, kind) if references else None
    schema = _success_schema(api.spec, operation_of(api, reading)) if reading is not None else None
    if not isinstance(schema, dict):
        return None
    mirror, ids, customer = Mirror(api.spec, schema), [], ctx.customer_id or ""
    own = {*_OWN_IDS, "resourceid", _bare(name or "")}
    path = _account_holder(mirror, mirror.root, own)
    if path is None:
        return None
    for field, value, holder in references:
        declared = _declared_keys(mirror, schema, path)
        if not any(_bare(key) == field for key in declared):
            continue
        resource_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{api.slug}:{kind}:{customer}:{field}:{value}"))
        ids.append(resource_id)
        if documents.find(ctx, *kept_as(api, kind), resource_id) is not None:
            continue
        answer = respond(api, reading, _asked_for(request, name, resource_id)).body
        account = answer
        for key in path:
            account = account.get(key) if isinstance(account, dict) else None
        if not isinstance(account, dict):
            continue
        sent = {_bare(key): given for key, given in holder.items() if _scalar(given)}
        for key in declared:
            if _bare(key) in own:
                account[key] = resource_id
            elif _bare(key) in sent:
                account[key] = sent[_bare(key)]
        stamp(answer, {}, request["now"], made=True, said=said_made(api.spec, schema))
        documents.keep(ctx, *kept_as(api, kind), resource_id, {_CONSENTED: customer}, {}, answer, request["now"],
                       made=True)
    return ids


def _customer_accounts(api, kind: str, name: str | None, request: dict, ctx) -> list | None:
    """The ids of the accounts of `kind` a customer's token reaches under a consent naming none (all the customer's:
    Brazil's consent of permissions alone, NextGenPSD2's `allAccounts`): those kept for the customer, made the first
    time of the items the kind's list answers (its example, or its draw), each kept as its read answers it with the
    fields its listed item shows. Drawn, the list named an account whose read answered another number, and a read of
    any id answered an account. None where the kind has no list and read to make them of."""
    if not name:
        return None
    customer = ctx.customer_id or ""
    mine = [kept.id for kept in documents.listed(ctx, *kept_as(api, kind))
            if not kept.deleted and (kept.owner or {}).get(_CONSENTED) == customer]
    if mine:
        return mine
    reading = _reading(api, kind)
    listing = next((op_id for op_id, m, _, _ in api.spec_operations() if m.lower() == "get"
                    and (at := address(api, op_id)) is not None and at.role == "list" and at.kind == kind), None)
    if reading is None or listing is None:
        return None
    page = respond(api, listing, _asked_for(request)).body
    lists = [page] + [value for value in page.values()] if isinstance(page, dict) else [page]
    items = next((value for value in lists if isinstance(value, list) and value and isinstance(value[0], dict)), [])
    own = {*_OWN_IDS, "resourceid", _bare(name or "")}
    for item in items[:5]:
        resource_id = next((str(value) for key, value in item.items() if _bare(key) in own and _scalar(value)), None)
        if resource_id is None or resource_id in mine:
            continue
        answer = respond(api, reading, _asked_for(request, name, resource_id)).body
        holders = [answer] + [value for value in answer.values() if isinstance(value, dict)] \
            if isinstance(answer, dict) else []
        holder = max(holders, key=lambda held: len(set(held) & set(item)), default=None)
        if holder is None:
            continue
        holder.update({key: value for key, value in item.items() if key in holder and _scalar(value)})
        stamp(answer, {}, request["now"], made=True, said=said_made(api.spec, read_answer(api, kind)))
        documents.keep(ctx, *kept_as(api, kind), resource_id, {_CONSENTED: customer}, {}, answer, request["now"],
                       made=True)
        mine.append(resource_id)
    return mine or None


def _refused_unconsented(api, operation_id: str, request: dict, ctx) -> None:
    """Refuse as `not_found` (the operation's 404, in the API's error shape) a call under a customer's token naming
    in its path an account its consent does not reach (`consented_accounts`: one it names, or the customer's): its
    read, its balances, its transactions; or naming in its body one of a reference the consent names others by
    (`_named_in_body`), refused as the operation refuses an id it cannot find (its 400 where it declares no 404).
    They had answered a drawn account."""
    if ctx is None or not request.get("consent"):
        return
    template = _located(api, operation_id)[0] or ""
    for matched in re.finditer(r"\{([^}/]+)\}", template):
        kind = _canonical(api, template[:matched.end()])
        value = path_value(request.get("path") or {}, matched.group(1))
        ids = consented_accounts(api, kind, matched.group(1), request, ctx) if value is not None else None
        if ids is not None and str(value) not in ids:
            raise SandboxError("not_found", f"account {value} is not one its token's consent reaches",
                               field=matched.group(1))
    named = _named_in_body(api, operation_id, request)
    if named is not None:
        field, value = named
        consented = _consent_named(ctx, request.get("consent")) or ()
        references = {given for bare, given, _ in consented if bare == _bare(field)}
        if references and value not in references:  # (as the operation refuses what it cannot find: PolishAPI
            #                                            declares no 404, and refuses an unknown payment 400)
            bad_input = not _declares_refusal(api, operation_id) and _refuses_as_bad_input(api, operation_id)
            raise SandboxError("invalid_request" if bad_input else "not_found",
                               f"account {value} is not one its token's consent reaches", field=field)


def _named_in_body(api, operation_id: str, request: dict) -> tuple | None:
    """(field, value) of the account an RPC-style call names at the top of its body, by a reference its body requires
    or declares (PolishAPI's `POST .../accounts/getAccount {accountNumber}`, its transactions and holds alike): a
    POST at a path of no parameter where no GET reads (`_rpc_stem`). Its read and its transactions are of that
    account, as a path's `.../accounts/{id}` names one; None for any other call."""
    sent = request.get("body")
    if not isinstance(sent, dict) or _rpc_call(api, operation_id, request) is None:
        return None
    declared = sent_schema(api, operation_id) or {}
    # (required first; a field its `allOf` part requires of its base's is not kept required, PolishAPI's
    # `getTransactionsDone`, so one declared is taken too)
    names = [*(declared.get("required") or ()), *(declared.get("properties") or ())]
    return next(((name, sent[name]) for name in names if _bare(name) in _ACCOUNT_REFERENCES
                 and isinstance(sent.get(name), str) and sent[name]), None)


def as_consented(api, operation_id: str, request: dict, reply, ctx) -> None:
    """An RPC-style API's answer under a token whose consent names accounts by a reference its calls name them by
    in their bodies (`_named_in_body`: PolishAPI's `accountNumber`), in place: its list of accounts (a list at the
    answer's top of objects declaring that reference, the body naming no account: `getAccounts`) holds one item for
    each account named, kept for the customer as first listed; a read of one (`getAccount {accountNumber}`) answers
    the fields it shares with that listed item as listed. The list had answered a drawn `sample` account, no consent
    named, which its read then refused, and a read other types and relations than its list's."""
    if ctx is None or not request.get("consent") or not 200 <= reply.status < 300 or not isinstance(reply.body, dict):
        return
    stem = _rpc_call(api, operation_id, request)
    if stem is None:
        return
    references = _consent_named(ctx, request.get("consent"))
    consented = references or ()
    schema = _success_schema(api.spec, operation_of(api, operation_id))
    fits = lambda candidate: schemas_of(api.spec).fits(schema, candidate)  # noqa: E731
    customer = ctx.customer_id or ""
    kept_at = kept_as(api, stem)  # (the family's, list and read alike)

    def listed_id(value) -> str:  # (the customer's account of that reference, the same at every list)
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{customer}:{value}"))

    def kept(value):
        found = documents.find(ctx, *kept_at, listed_id(value))
        return found.answer if found is not None and isinstance(found.answer, dict) else None

    named = _named_in_body(api, operation_id, request)
    if named is not None:  # a read of one: as listed
        listed = kept(named[1])
        holder = next((held for held in [reply.body, *reply.body.values()] if isinstance(held, dict)
                       and held.get(named[0]) == named[1]), None)
        if listed is None or holder is None:
            return
        before = copy.deepcopy(reply.body)
        holder.update({key: copy.deepcopy(value) for key, value in listed.items() if key in holder})
        if not fits(reply.body):
            reply.body = before
        return
    for key, items in reply.body.items():
        if not isinstance(items, list) or not items or not all(isinstance(item, dict) for item in items):
            continue
        field = next((name for name in items[0] if any(_bare(name) == bare for bare, _, _ in consented)), None)
        if field is None and references == []:  # (a consent naming none: the customer's own accounts its token reaches)
            field = next((name for name in items[0] if _bare(name) in _ACCOUNT_REFERENCES), None)
            consented = [(_bare(field), number, None) for number in _own_numbers(ctx)] if field else ()
        if field is None:
            continue
        accounts = []
        for value in dict.fromkeys(given for bare, given, _ in consented if bare == _bare(field)):
            item = kept(value)
            if item is None:
                item = {**copy.deepcopy(items[len(accounts) % len(items)]), field: value}
                documents.keep(ctx, *kept_at, listed_id(value), {_CONSENTED: customer}, {}, item, request["now"],
                               made=True)
            accounts.append(item)
        candidate = {**reply.body, key: accounts}
        if fits(candidate):
            reply.body = candidate
        return


def _own_numbers(ctx) -> list[str]:
    """The numbers of the customer's own accounts its token reaches (bank, branch and account number, 14 digits), as
    an RPC-style list names the accounts of a consent naming none: PolishAPI's `getAccounts` under a consent of
    privileges alone had listed one drawn account numbered `sample`."""
    if not ctx.customer_id:
        return []
    listed = accounts.list_accounts(ctx, customer_id=ctx.customer_id, limit=20)["accounts"]
    return [f"{account['bank_code']}{account['branch_code']}{account['account_number']}" for account in listed]


def as_owner_referenced(api, operation_id: str, request: dict, reply, ctx) -> None:
    """An answer about what lies under a kept account (`GET .../accounts/{account-id}/transactions`, its balances),
    in place: the object at its top named for that account (`account`, `cardAccount` of `/card-accounts/{id}`) that
    names it by reference holds the account's own references (its `iban`, `currency`), not the example's. The
    transaction report of the account a consent named had answered the example's IBAN."""
    if ctx is None or not 200 <= reply.status < 300 or not isinstance(reply.body, dict) or request.get("method") != "GET":
        return
    under = re.fullmatch(r"(.*/([^/{}]+)/\{([^}/]+)\})/[^{}]+", (_located(api, operation_id)[0] or "").rstrip("/"))
    if under is None or not _ACCOUNT_KIND.search(under.group(1)):
        return
    value = path_value(request.get("path") or {}, under.group(3))
    kind = _canonical(api, under.group(1))
    kept = documents.find(ctx, *kept_as(api, kind), str(value)) if value is not None else None
    if kept is None or kept.deleted or not isinstance(kept.answer, dict):
        return
    own = next((held for held in [kept.answer, *kept.answer.values()] if isinstance(held, dict)
                and any(_bare(key) in _ACCOUNT_REFERENCES for key in held)), None)
    noun = _singular(_bare(under.group(2)))
    key = next((key for key, held in reply.body.items() if _bare(key) == noun and isinstance(held, dict)), None)
    if own is None or key is None:
        return
    mirror = Mirror(api.spec, _success_schema(api.spec, operation_of(api, operation_id)))
    declared = {_bare(name): name for name in _declared_keys(mirror, mirror.root, [key])}
    named = {declared[_bare(name)]: held for name, held in own.items() if _scalar(held) and _bare(name) in declared
             and (_bare(name) in _ACCOUNT_REFERENCES or _bare(name) == "currency")}
    if not any(_bare(name) in _ACCOUNT_REFERENCES for name in named):
        return
    # (the references it names the account by, and no other: an example's `bban` beside the account's `iban` named
    # another)
    candidate = {**reply.body, key: {**{name: held for name, held in reply.body[key].items()
                                        if _bare(name) not in _ACCOUNT_REFERENCES}, **named}}
    if schemas_of(api.spec).fits(_success_schema(api.spec, operation_of(api, operation_id)), candidate):
        reply.body = candidate


def _rpc_call(api, operation_id: str, request: dict) -> str | None:
    """The path stem of an RPC-style call (a POST at a path of no parameter where no GET reads: `_rpc_stem`,
    PolishAPI's `.../accounts/v2_1_1.1` of `.../getAccount`), None for any other call."""
    stem = (_located(api, operation_id)[0] or "").rstrip("/").rsplit("/", 1)[0]
    return stem if str(request.get("method", "")).upper() == "POST" and _rpc_stem(api, stem) else None


def keep_posted_consent(api, operation_id: str, request: dict, status: int, ctx) -> None:
    """Keep, under the client's own id for it, the consent an authorization request posted to the API is, as sent
    (`about.posted_consent`: PolishAPI's `POST .../auth/authorize` with `scope_details: {consentId, privilegeList:
    [{accountNumber, ...}]}`, the API keeping no consent of its own): the authorization page its answer sends the
    customer to names it, the grant is for it, and its token reaches the accounts it names (`_consent_named`). The
    token had been granted for no consent, and read any account number."""
    consent_id = posted_consent(request.get("body")) if ctx is not None and 200 <= status < 300 else None
    template = _located(api, operation_id)[0]
    if consent_id is not None and template:
        documents.keep(ctx, *kept_as(api, template), consent_id, {}, request["body"], {}, request["now"], made=True)


def _declared_keys(mirror, schema, path: list) -> list:
    """The fields declared by the object at `path` in the answer `schema`."""
    node = mirror.resolved(schema)
    for key in path:
        node = mirror.field(node, key)
    node = mirror.resolved(node)
    return list((node or {}).get("properties") or ()) if isinstance(node, dict) else []


def _reading(api, kind: str) -> str | None:
    """The operation that reads one resource of `kind` (`GET` at the kind's path)."""
    return next((op_id for op_id, method, path, _ in api.spec_operations() if method.lower() == "get" and path == kind),
                None)


def _asked_for(request: dict, name: str | None = None, resource_id: str | None = None) -> dict:
    """A GET of no query, headers nor body, asked in the moment and workspace of `request`: of the list, or of the
    resource `resource_id` where its path parameter is `name` (as the router names it, and in snake case)."""
    asked = {key: request.get(key) for key in ("now", "today", "workspace", "connector", "origin", "prefix", "bank")}
    path = {name: resource_id, name.replace("-", "_"): resource_id} if name and resource_id is not None else {}
    return {**asked, "method": "GET", "path": path, "query": {}, "headers": {}, "body": None,
            "interaction_id": request.get("interaction_id")}
