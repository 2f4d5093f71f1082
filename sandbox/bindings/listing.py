"""A list of kept resources as a client reads it: the items of its kind and owner, in the order it asked (or the
spec says is the default), one page of them, placed where the list's answer holds its items (`_listing`)."""

from __future__ import annotations

import copy
import random
import re

from ..actions import documents
from .about import _redrawn, _success_examples, _success_schema, owner_read, qualified, read_answer, read_operation
from .addresses import parameters_in, path_value, query_parameters
from .echoes import echo, texts_in
from .fallback import _draw as fallback_draw, _located, _seed
from .filters import SORTS, moment_of, sorted_by
from .holdings import _ENVELOPES, _OWN_IDS, _fields, _inner, _read_resource, _resource
from .mirror import _BESIDE, Mirror, _at, _scalar, sent_schema
from .moments import dated_as_kept
from .names import _bare
from .paging import AFTER_CURSORS, _PAGE, _SIZES, _STARTS, _asked, _listed, page_base, paging_word, read_paging
from .roles import _canonical, address as _address, kept_as


def _by_sort(live: list, asked: dict) -> list:
    """The kept resources in the order of the moment field the query sorts them by (`sort=updated_at`), oldest
    first, where each holds it; else as kept (in the order they were made). Paged in the order they were made,
    a list asked by when each last changed named a changed one before those after it, and a sync keeping the
    newest moment it saw as its cursor skipped them."""
    if not live or not any(_bare(name) in SORTS for name in asked):  # (each one's JSON is read only if sorted)
        return live
    first = {**_fields(live[0].sent), **_fields(live[0].answer)}
    sort = sorted_by(asked, first)
    if sort is None:
        return live
    moments = [moment_of({**_fields(kept.sent), **_fields(kept.answer)}.get(sort)) for kept in live]
    if any(moment is None or type(moment) is not type(moments[0]) for moment in moments):
        return live
    order = sorted(range(len(live)), key=lambda index: moments[index])
    return [live[index] for index in order]


# Query parameters that say which way a list runs, and values that say newest first.
_ORDERS = ("order", "sort", "sortorder", "direction", "sortdirection", "orderby", "ordering", "sortby", "dir")
_DESCENDING = re.compile(r"-|desc(ending)?$|.*[ .:_,](desc|descending)$", re.IGNORECASE)
_ASCENDING = re.compile(r"\+|asc(ending)?$|.*[ .:_,](asc|ascending)$", re.IGNORECASE)
# How list operations say in prose that they answer newest first (Stripe's "sorted by creation date, with the
# most recent customers appearing first").
# How a direction parameter says that it runs newest first when not given (Mollie's `sort`).
_NEWEST_BY_DEFAULT = re.compile(r"\bdefault(s|ed)?\b[^.]{0,40}?\b(descending|newest|most recent|latest|"
                                r"reverse[- ]chronological)", re.IGNORECASE)
_NEWEST_FIRST = re.compile(r"(most recent|newest|latest)\b.{0,80}?\bfirst\b|reverse[- ]chronological|"
                           r"descending (order|by (creation|date|time))", re.IGNORECASE | re.DOTALL)


def _declared_fields(api, kind: str) -> frozenset:
    """The bare names of the scalar fields a kind's read declares, at its top and in its envelope: a list's
    filter naming one leaves out the kept resources that hold no value for it. Not a write-only one: no answer
    holds it, so holding none says nothing (Mollie's `testmode`, whose list default `?testmode=false` had left
    out every payment made without it). Worked out once per kind."""
    known = api.derived.setdefault("declared_fields", {})
    if kind not in known:
        mirror = Mirror(api.spec, read_answer(api, kind))
        nodes = [mirror.root or {}]
        nodes += [mirror.field(nodes[0], key) or {} for key in nodes[0].get("properties") or () if _bare(key) in _ENVELOPES]
        known[kind] = frozenset(_bare(key) for node in nodes for key, field in (node.get("properties") or {}).items()
                                if _scalar_field(mirror, mirror.resolved(field) or {}) and not (mirror.resolved(field) or {}).get("writeOnly"))
    return known[kind]


def _scalar_field(mirror, field: dict) -> bool:
    """Whether a field holds a scalar: of a scalar type, or an id or the object it names (`anyOf [string,
    Customer]`, Stripe's expandable `customer`: a filter by it had listed resources holding none)."""
    if field.get("type") in ("string", "integer", "number", "boolean"):
        return True
    return any((mirror.resolved(branch) or {}).get("type") in ("string", "integer")
               for branch in field.get("anyOf") or field.get("oneOf") or ())


def _newest_first(api, operation_id: str, query: dict) -> bool:
    """Whether a list answers its kept resources newest first: as the query asks (`order=desc`,
    `sort=-created_at`, `direction=asc`), else as the operation's own description says, or its direction
    parameter's (Mollie's `sort`: "Defaults to descending order"); else oldest first."""
    for name, value in query.items():
        if _bare(name) in _ORDERS and isinstance(value, str) and value.strip():
            text = value.strip()
            if _DESCENDING.match(text):
                return True
            if _ASCENDING.match(text) or re.fullmatch(r"[A-Za-z_]+", text):  # `sort=created`: ascending
                return False
    known = api.derived.setdefault("newest_first", {})
    if operation_id not in known:
        operation = _located(api, operation_id)[1] or {}
        prose = " ".join(str(operation.get(key) or "") for key in ("summary", "description"))
        said = [str(parameter.get("description") or "") for parameter in parameters_in(api, operation_id, "query")
                if _bare(parameter.get("name")) in _ORDERS]
        known[operation_id] = _NEWEST_FIRST.search(prose) is not None or any(_NEWEST_BY_DEFAULT.search(text) for text in said)
    return known[operation_id]


def _owner_made_here(api, template: str, request: dict, ctx) -> bool:
    """Whether a list's path goes on below a resource (`/balanceAccounts/{id}/sweeps`) that this workspace made
    and did not delete: what it holds is only what was made under it since."""
    owner = owner_read(api, template)
    value = path_value(request.get("path") or {}, owner[1]) if owner else None
    if value is None:
        return False
    kept = documents.find(ctx, *kept_as(api, _canonical(api, owner[0])), str(value))
    return kept is not None and not kept.deleted


def _replaces(api, operation_id: str):
    """What a PUT replaces: the fields its body's schema declares (None: the schema declares none), or False where
    the schema requires none of them but ids (a PUT that changes the fields sent, as Marqeta's and Finix's do)."""
    known = api.derived.setdefault("put_replaces", {})
    if operation_id not in known:
        schema = sent_schema(api, operation_id)
        declared = set((schema or {}).get("properties") or ())
        required = {name for name in (schema or {}).get("required") or () if _bare(name) not in _OWN_IDS}
        known[operation_id] = (None if not declared else False if not required else declared)
    return known[operation_id]


def _belongs(kept, template: str, request: dict) -> bool:
    """Whether a kept resource is one the list's path names it under: each path value is the one it was made
    under (`/customers/{id}/notes`), else its field of that name (`accountHolderId` of
    `/accountHolders/{id}/balanceAccounts`, where a generic `{id}` is named by its owner)."""
    path = request.get("path") or {}
    fields = {**_fields(kept.sent, kept.id), **_fields(kept.answer, kept.id)} \
        if any(name not in kept.owner for name in path) else {}
    for name, value in path.items():
        whose = [n for n in qualified(template, {name: value}) if n != name]  # `accountHolderId` for a bare `{id}`
        names = [name, *whose]
        owned = next((kept.owner[n] for n in names if n in kept.owner), None)
        # a bare `{id}`/`{token}` names the owner, not the item: the item's own `id` is not compared with it
        owned = owned if owned is not None else next((fields[_bare(n)] for n in (whose or names) if _bare(n) in fields), None)
        if owned is None and _names_anywhere(kept.sent, str(value), kept.id):
            continue  # named in a field of another name, deeper down (`entityKey.entityReference`, as Adyen's rules)
        if owned is None or str(owned) != str(value):
            return False
    return True


def belongs_through(ctx, slug: str, kept, template: str, request: dict, memo: dict) -> bool:
    """Whether a kept resource names, by an id or a URL ending in one in what was sent for it, another kept resource
    of the API that is one the list's path names it under (`_belongs`): a transfer sent from a funding source
    (`_links.source.href`) made under `/customers/{id}/funding-sources` is among `/customers/{id}/transfers` (Dwolla's
    customer's transfers were none, each naming its customer only through its funding sources). One step only;
    `memo` holds each named id's finding for one list."""
    for named in _named_ids(kept.sent, kept.id):
        if named not in memo:
            held = [documents.find(ctx, api, kind, named) for api, kind in documents.kinds_of(ctx, named)
                    if api == slug]
            memo[named] = any(other is not None and other.id != kept.id and _belongs(other, template, request)
                              for other in held)
        if memo[named]:
            return True
    return False


def _named_ids(sent, own) -> list:
    """The ids what was sent for a resource names (never its own): each text of eight characters or more, a URL's
    last segment for a URL (`https://api.example/funding-sources/<id>`)."""
    found = []
    for value in texts_in(sent):
        named = value.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] if "://" in value else value
        if len(named) >= 8 and named != str(own) and " " not in named:
            found.append(named)
    return list(dict.fromkeys(found))


def _names_anywhere(sent, value: str, own) -> bool:
    """Whether what was sent for a resource holds `value` (an owner's id, never its own) as some field's value at
    any depth: a rule made for a card with `{"entityKey": {"entityType": "paymentInstrument", "entityReference":
    "PI1"}}` is listed at `/paymentInstruments/PI1/transactionRules`. Short values (`1`, `EUR`) name nothing."""
    if len(value) < 8 or value == str(own):
        return False
    if isinstance(sent, dict):
        return any(_names_anywhere(item, value, own) for item in sent.values())
    if isinstance(sent, list):
        return any(_names_anywhere(item, value, own) for item in sent)
    return _scalar(sent) and str(sent) == value


# Query parameters that carry a list's cursor: the id of the last item of the page before (`AFTER_CURSORS`), or
# of the first item of the page (Mollie's `from`).
_AFTER = AFTER_CURSORS
_FROM = ("from", "startingfrom", "fromid", "startid")  # (PayPal's `start_id`: the `next_id` of the page before)
_PAGING = frozenset((*_SIZES, *_STARTS, *_PAGE, *_AFTER, *_FROM, "count"))  # what pages a list, not filters it


def _page(api, operation_id: str, live: list, query: dict) -> tuple[list, dict | None]:
    """(the kept resources on the page the query asks for, the query of the next page or None if it is the last).

    The page starts at an offset (`offset`, `start_index`, `skip`), a page number times the size, or after
    the item a cursor names; it holds the size asked (`limit`, `page_size`, `count`, ...), else all the rest."""
    found = {paging_word(name): name for name, value in query.items() if value not in (None, "")}
    found.update({_bare(name): name for name, value in query.items() if value not in (None, "")})
    size = _asked(query, (*_SIZES, "count"), None)
    base = page_base(api, operation_id)  # pages counted from 0 (Pix's) are counted from 1 here
    start, number = _asked(query, _STARTS, None), _asked(query, _PAGE, None)
    number = number + 1 - base if number is not None else None
    cursor = next((str(query[found[name]]) for name in (*_AFTER, *_FROM) if name in found), None)
    # a page "number" that is no number is a cursor (Stripe's search takes `page=<next_page>`): read as one, the
    # first page came back for it, and its SDK's auto-paging never ended
    paged = next((str(query[found[name]]) for name in _PAGE if name in found and not str(query[found[name]]).isdigit()),
                 None)
    cursor = cursor if paged is None else paged
    first = next((name for name in _FROM if name in found), None) is not None  # the cursor names the first item
    ids = [kept.id for kept in live]
    offset = (start if start is not None else (number - 1) * size if number and size else
              len(live) if number and number > 1 or (cursor is not None and cursor not in ids) else  # past the end
              ids.index(cursor) + (0 if first else 1) if cursor is not None else 0)
    page = live[offset:offset + size] if size else live[offset:]
    if offset + len(page) >= len(live) or not page:
        return page, None
    following = ((_STARTS, offset + len(page)), (_PAGE, page[-1].id if paged else (number or 1) + base), (_AFTER, page[-1].id),
                 (_FROM, live[offset + len(page)].id))
    # (a search sent as a POST takes the next page's cursor in its body: `_searches`)
    sent = (sent_schema(api, operation_id) or {}).get("properties") or {}
    declared = {paging_word(name): name for name in [*query_parameters(api, operation_id), *sent]}
    for names in (found, declared):  # in the terms the request used, else in those the operation declares
        for kinds, value in following:
            asked = next((names[name] for name in kinds if name in names), None)
            if asked is not None:
                return page, {asked: value}
    # a list that declares no cursor, whose answer says where its next page is (Recurly's `has_more` with `next`,
    # "path to subsequent page", and no `cursor` parameter in the spec): its next page is asked with a `cursor`
    # of the sandbox's own, which the page after reads as any cursor. Without it, `next` stayed drawn ("sample")
    # beside `has_more: true`, and every client following it asked a path that is no page.
    return page, {"cursor": page[-1].id}


def _drawn_as_read(api, kind: str, resource_id, today: str | None) -> dict | None:
    """What a read of the kept resource `resource_id` of `kind` draws beneath what is kept of it (fallback's draw
    from the resource's own seed), the resource alone where the read holds it in a field; where the read answers
    its example, that example (Dwolla's funding source, read as its named example `verified`, not `removed`, was
    listed under its customer `unverified` and `removed: true`, its fields' own examples); None where it draws
    nothing. Remembered per resource and day: a page draws its items."""
    drawn = api.derived.setdefault("drawn_as_read", {})
    key = (kind, str(resource_id), today)
    if key not in drawn:
        read = read_operation(api, kind)
        shown = _success_examples(api.spec, read) if read is not None else []
        schema = _success_schema(api.spec, read) if read is not None and not shown else None
        value = copy.deepcopy(shown[0]) if shown else None
        if isinstance(schema, dict):
            value = fallback_draw(api.spec, schema, _seed("", {"remembered": {"own": (kind, str(resource_id))}}, 200), today)
        if isinstance(value, dict):
            inner = _read_resource(api, kind)[0]
            value = value.get(inner) if inner is not None and isinstance(value, dict) else value
        if shown and isinstance(value, dict) and _scalar(value.get("id")) and len(str(value.get("id") or "")) > 3:
            value = _renamed(value, str(value["id"]), str(resource_id))  # (its links name it, not the example's)
        if len(drawn) >= 4096:
            drawn.clear()
        drawn[key] = value if isinstance(value, dict) else None
    return copy.deepcopy(drawn[key])


def _renamed(node, before: str, after: str):
    """`node` with each text naming `before` (the whole text, or a segment of a URL) naming `after`."""
    if isinstance(node, dict):
        return {key: _renamed(value, before, after) for key, value in node.items()}
    if isinstance(node, list):
        return [_renamed(value, before, after) for value in node]
    if isinstance(node, str) and before in node:
        return after if node == before else re.sub(rf"(?<=/){re.escape(before)}(?=[/?#]|$)", after, node)
    return node


def _shaped_like(drawn, template: dict) -> dict | None:
    """`drawn` (a read's draw of a resource) where it is in the form of `template` (the page's drawn item), or the
    one object it holds that is (a read answering `{member: {...}}` of a page listing members bare), else None: an
    item in another form fits a page of open objects all the same, and was listed in its read's envelope."""
    if not isinstance(drawn, dict) or not drawn:
        return None
    if not template:
        return drawn
    alike = lambda value: isinstance(value, dict) and 2 * len(set(value) & set(template)) >= len(template)
    if alike(drawn):
        return drawn
    held = [value for value in drawn.values() if alike(value)]
    return held[0] if len(held) == 1 else None


def _listing(api, body, items: list, fits, like: dict | None = None, schema=None, whole: bool = False, own=None,
             unsent=None):
    """`body`, a page of a list, with the kept resources as its items (its one list of objects; `like`, one
    kept resource, says which where the page holds none). `schema`, the page's, says what an item declares:
    a field the drawn item left out (an optional one, a level or more down: a plan's billing cycle's
    `pricing_scheme`) is the kept resource's all the same, as its read answers it. Items kept `whole` (events
    the feed wrote) are listed as kept, not over the drawn one. Each item is built over `own(id)`, what a read
    of it draws (`_drawn_as_read`), where that fits the page, else over the page's first drawn item: what
    nothing kept says of a resource is the same on its page as in its read, and differs between resources; and
    `unsent(kept, item, schema, check)` leaves out of it what its client never sent, as its read does."""
    if not isinstance(body, (dict, list)):
        return body
    where = [()] if isinstance(body, list) else [at for at in _listed(body) if _list_at(body, at)]
    sample = items[0] if items else like
    first = next((_resource(source, sample["id"]) for source in (sample["answer"], sample["sent"])
                  if isinstance(source, dict)), {}) if sample else {}
    if len(where) > 1 and sample:  # a page with other lists beside its items (PayPal's `links`): the items are
        #                            those most like the kept resources
        alike = {at: len(set(next(i for i in _at(body, at) if isinstance(i, dict))) & set(first)) for at in where}
        best = max(alike.values())
        where = [at for at in where if alike[at] == best] if best else where
        # (of lists alike, not one of what a page holds beside its items: JSON:API's `included`)
        where = [at for at in where if not at or _bare(at[-1]) not in _BESIDE] or where
    declared = _declared_list(api, body, schema, first, where)
    if declared is not None:  # the page's own list of them, which the draw left out (Square's search answers
        body, where = {**body, declared: []}, [(declared,)]  # `order_entries` as its example does, not `orders`
    if not where and isinstance(body, dict):  # the page lists its items by their ids alone (`authorisationIds`)
        return _listed_ids(body, items, fits)
    if len(where) != 1:
        return body
    at = where[0]
    drawn = _at(body, at)
    template = next((item for item in drawn if isinstance(item, dict)), {})  # none drawn: the kept one as it is
    mirror = Mirror(api.spec, schema) if schema is not None else None
    node = mirror.root if mirror is not None else None
    for key in at:
        node = mirror.field(node, key) if mirror is not None else None
    item_schema = mirror.items(node) if mirror is not None else None

    def placed(listed: list):
        candidate = copy.deepcopy(body) if at else listed
        if at:
            _at(candidate, at[:-1])[at[-1]] = listed
        return candidate

    def built(check) -> list:
        made = []
        for kept in items:
            if whole:  # as written, in the envelope the drawn item has, or none (Chargebee's `{event: {...}}`)
                inner = _inner(kept["answer"], kept["id"])
                item = copy.deepcopy(kept["answer"][inner] if inner is not None and template and inner not in template
                                     else kept["answer"])
                if isinstance(item, dict) and check(item):
                    made.append(item)
                continue
            drawn = _shaped_like(own(kept["id"]), template) if own is not None else None
            item = one(kept, drawn, check) if drawn else None
            item = item if item is not None else one(kept, template, check)
            if item is not None:
                made.append(item)
        return made

    def one(kept: dict, base: dict, check) -> dict | None:
        """The kept resource as an item over `base`, if it fits (`check`)."""
        # none drawn: the kept one as it was answered (not as sent: a form's `To` is no field of the item's `to`)
        held = _resource(kept["answer"], kept["id"])
        item = copy.deepcopy(base) or (copy.deepcopy(held) if isinstance(held, dict) else {})
        for source in (kept["sent"], kept["answer"]):  # as a read of it answers: what was sent, then its answer
            inner = _inner(source, kept["id"])
            source = source[inner] if inner is not None and inner not in base else source
            if isinstance(source, dict):
                # (a kept answer naming the kept id at its top is the item itself: its one object field is
                # no envelope, and a free-form one is the kept value, not the draw's: a listed event's `data`)
                itself = inner is None and any(_scalar(value) and str(value) == str(kept["id"])
                                               for value in source.values())
                item = echo(item, source, check, api.spec, item_schema, enveloped=not itself) if item \
                    else copy.deepcopy(source)
        own_id = next((key for key in item if _bare(key) in _OWN_IDS and _scalar(item[key])), None)
        if own_id is not None and str(item[own_id]) != str(kept["id"]):
            # (a creation answered without a body gave its id in `Location`; one answering no id was kept
            # under one in its read's form: a whole number where the item's is)
            mine = int(kept["id"]) if isinstance(item[own_id], int) and not isinstance(item[own_id], bool) \
                and re.fullmatch(r"-?[0-9]+", str(kept["id"])) else kept["id"]
            if check({**item, own_id: mine}):
                item = {**item, own_id: mine}
            elif not any(isinstance(source, dict) and own_id in (_resource(source, kept["id"]) or {})
                         for source in (kept["sent"], kept["answer"])):
                # the template's drawn id, which no kept item took: one of this item's own, seeded by it
                # (every kept transaction had been listed under the one id drawn for the page)
                drawn = _redrawn(item[own_id], random.Random(str(kept["id"])))
                item = {**item, own_id: drawn} if check({**item, own_id: drawn}) else item
        dated_as_kept(item, [kept["sent"], kept["answer"]], kept.get("made"))
        item = unsent(kept, item, item_schema, check) if unsent is not None and item_schema is not None else item
        return item if item and check(item) else None

    # The page checked once, as a whole; where it does not fit, each item alone in the page, field by field
    # where it must (checking the page of 200 for each item and field took seconds).
    made = built(lambda candidate: True)
    if made and fits(placed(made)):
        return placed(made)
    made = built(lambda candidate: fits(placed([candidate])))
    if not made and items:  # none of them fits the list's items
        return body
    return placed(made) if fits(placed(made)) else body


def _listed_ids(body: dict, items: list, fits):
    """`body`, a page listing its items by their ids alone in its one list named for ids (`{authorisationIds: [...]}`),
    with the kept items' ids, where it still fits: NextGenPSD2's `GET .../{paymentId}/authorisations` answered the
    example's `123auth456` beside the authorisation just started, and a client reading it read one never made."""
    lists = [at for at in _listed(body) if _bare(at[-1]).endswith("ids")
             and all(_scalar(item) and not isinstance(item, bool) for item in _at(body, at))]
    if len(lists) != 1:
        return body
    candidate = copy.deepcopy(body)
    _at(candidate, lists[0][:-1])[lists[0][-1]] = [kept["id"] for kept in items]
    return candidate if fits(candidate) else body


def _declared_list(api, body, schema, first: dict, where: list) -> str | None:
    """The key of a list of objects the page's schema declares at its top, absent from the drawn page (or empty), whose items
    declare more of a kept resource's fields than any list the page holds: where the kept items go. A search
    answering either full orders (`orders`) or entries naming them (`order_entries`) was drawn from an example
    holding only entries, and every kept order was squeezed into an entry or left out."""
    if not isinstance(body, dict) or schema is None or not first:
        return None
    mirror = Mirror(api.spec, schema)
    root = mirror.root or {}

    def declares(key) -> set:  # the fields the items of the page's list `key` declare
        return set((mirror.items(mirror.field(root, key)) or {}).get("properties") or ())

    held = [declares(at[0]) | set(next((i for i in _at(body, at) if isinstance(i, dict)), {})) for at in where]
    best, found = max((len(names & set(first)) for names in held), default=0), None
    # (or one the example holds empty: Twilio's lists shown by an example of an empty page, `messages: []`, listed
    # nothing ever made)
    for key in [k for k in root.get("properties") or () if k not in body or body[k] == []]:
        shared = len(declares(key) & set(first))
        if shared > best:
            best, found = shared, key
    return found


def _list_at(body, at: tuple) -> bool:
    return any(isinstance(item, dict) for item in _at(body, at))


def drawn_items_as_read(api, operation_id: str, request: dict, body, fits):
    """`body`, a drawn page of a kind nothing was made of here, each item named by its id as a read of that id
    draws it (`_drawn_as_read`, the resource's own seed, as the read is: remembered.recall's `drawn_own`), where
    the page still fits. Drawn from the page's own seed, Brex's cash accounts were listed with a balance and a
    name their reads by id answered otherwise: a client reads one resource two ways."""
    found = _address(api, operation_id)
    if found is None or found.role != "list" or not isinstance(body, (dict, list)) or request.get("remembered") \
            or request.get("remembered_items") is not None:
        return body
    named = re.findall(r"\{([^}/]+)\}", found.kind or "")
    own_names = {*_OWN_IDS, *([_bare(named[-1])] if named else [])}  # (CDR's `accountId`, read at `{accountId}`)
    where = [()] if isinstance(body, list) else [at for at in _listed(body) if _list_at(body, at)]
    if len(where) != 1:
        return body
    at = where[0]
    listed = _at(body, at)
    candidate = copy.deepcopy(body)
    items = _at(candidate, at) if at else candidate
    for index, item in enumerate(listed):
        if not isinstance(item, dict):
            continue
        own_id = next((key for key in item if _bare(key) in own_names and _scalar(item[key])
                       and item[key] is not None), None)
        drawn = _shaped_like(_drawn_as_read(api, found.kind, item[own_id], request.get("today")), item) \
            if own_id is not None else None
        if drawn:
            items[index] = {**drawn, own_id: item[own_id]}
    if fits(candidate):
        return candidate
    for index, item in enumerate(items):  # (each alone where the page as a whole does not fit)
        if item != listed[index]:
            trial = copy.deepcopy(body)
            (_at(trial, at) if at else trial)[index] = item
            if fits(trial):
                body = trial
    return body


def drawn_page(api, operation_id: str, request: dict, body, fits):
    """`body`, a page of a list nothing was made of here, drawn as the whole collection (its seed leaves out what
    pages it: remembered.recall's `drawn_collection`), cut to the page asked for as a page of kept ones is
    (`_page`), and `request` told how many there are and where the next page is (`remembered_page`, read by
    paging.one_page and by the answer's headers: it is the request the answer is made for, so it is set in
    place). Each page was drawn on its own and counted as the last: the Consumer Data Right's accounts said
    `totalRecords` 1 and `totalPages` 1 on page 1, then 3 and 2 on page 2, and a client could not tell how many."""
    if not isinstance(body, (dict, list)):
        return body
    where = [()] if isinstance(body, list) else [at for at in _listed(body) if _list_at(body, at)]
    if len(where) != 1:
        return body
    at = where[0]
    listed = _at(body, at)
    found = _address(api, operation_id)
    named = re.findall(r"\{([^}/]+)\}", getattr(found, "kind", None) or "")
    own_names = {*_OWN_IDS, *([_bare(named[-1])] if named else [])}

    class _Drawn:  # (one drawn item as `_page` reads a kept one: by its id)
        def __init__(self, index: int, item):
            own = next((item[key] for key in item if _bare(key) in own_names and _scalar(item[key])
                        and item[key] is not None), None) if isinstance(item, dict) else None
            self.index, self.id = index, str(own) if own is not None else str(index)

    every = [_Drawn(index, item) for index, item in enumerate(listed)]
    page, more = _page(api, operation_id, every, read_paging(api, operation_id, request.get("query") or {}))
    candidate = copy.deepcopy(body) if at else [listed[one.index] for one in page]
    if at:
        _at(candidate, at[:-1])[at[-1]] = [listed[one.index] for one in page]
    if not fits(candidate):
        return body
    request["remembered_page"] = {"total": len(every), "next": more, "after": page[-1].id if page else None,
                                  "like": None}
    return candidate
