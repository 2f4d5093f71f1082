"""One page of a list, as a client pages it: items within the window its query asked for, cut to the size
asked, with counters, flags, cursors and links saying it is the last page, and links to the resources it
holds."""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from .addresses import (LAST_PARAMETER, _filled, _own_id, _request_url, parameters_in, query_parameters, sent_query,
                        served)
from .fallback import _located, deref
from .jws import content_of
from .mirror import _BESIDE, Mirror, _at, _emptied, _scalar, envelope_of, sent_schema
from .names import _bare


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
        body = _more_pages(body, cursor, there, fits, Mirror(api.spec, schema) if schema else None,
                           _within(api, request, there))
        # the next page's cursor, in the field the schema declares by the name of the query parameter that
        # takes it (Square's `cursor`, sent back as `?cursor=`), where the draw left it out or drew another
        # (the example's cursor named no page of what was kept: its SDK's pager stopped after the first)
        declared = ((Mirror(api.spec, schema).root or {}).get("properties") or {}) if schema is not None else {}
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
    body = sorted_as_asked(api, operation_id, request, body, fits)
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
    last = _last_page_url(api, operation_id, request, paged.get("total"))
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
            candidate[links][key] = last if str(key).lower() == "last" and last else here
        elif str(key).lower() in _ENDS and hal and page:  # a HAL resource's own `self` names the resource, not this URL
            candidate[links][key] = {**value, "href": last if str(key).lower() == "last" and last else here}
    if there and here and not any(str(key).lower() == "next" for key in candidate[links]):
        # a page of kept resources that more follow, whose drawn links had no `next` (the example showed only
        # `self` and `current`): the `next` its schema declares, shaped as its siblings (an `href` object, or a URL)
        mirror = Mirror(api.spec, schema) if schema is not None else None
        node = (mirror.field(mirror.root, links) if mirror is not None else None) or {}
        declared = node.get("properties") or {}
        name = next((key for key in declared if str(key).lower() == "next"), None)
        if name is None and not declared and mirror is not None and mirror.field(mirror.root, links) is not None:
            name = "next"  # links by relation, a map of links (Dwolla's `_links: {additionalProperties: HalLink}`)
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


def _last_page_url(api, operation_id: str, request: dict, total: int | None) -> str | None:
    """The URL of the last page of a list paged by number whose items in all are known (`total`): the page its
    counters say is the last (`?page=2&page-size=2` of 3 items), else None. A page past the last, or one more
    pages follow, had answered itself as `last`, beside counters saying another page was."""
    if total is None:
        return None
    query = request.get("query") or {}
    paging = read_paging(api, operation_id, query)
    name = next((name for name in paging if paging_word(name) in _PAGE), None) or next(
        (name for name in query_parameters(api, operation_id) if paging_word(name) in _PAGE), None)
    if name is None:
        return None
    size = _asked(paging, _SIZES, None)
    pages = max(1, -(-total // size)) if size else 1
    return _request_url(api, operation_id, {**request, "query": {**query, name: pages - 1 + page_base(api, operation_id)}})


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


def _cursor_parameters(api, operation_id: str) -> list[str]:
    """The names of the query parameters of an operation that take a page's cursor (Square's `cursor`), and of
    its JSON body's fields that do (a search sent as a POST: Square's `POST /v2/orders/search` with `{"cursor":
    ...}`; read only as a query's, the example's cursor came back on every page and its pager never stopped)."""
    sent = (sent_schema(api, operation_id) or {}).get("properties") or {}
    return [name for name in [*query_parameters(api, operation_id), *sent] if _bare(name) in AFTER_CURSORS]


def read_paging(api, operation_id: str, query: dict) -> dict:
    """`query` as its list reads it to page: without the paging parameters the operation does not declare, where
    it declares some (its query's, or a search's body fields), but the sandbox's own `cursor` where it declares no
    cursor (listing._page asks the next page so). A client paging by whatever a page shows sends back what the
    list never takes (Finix's SDK sent `offset`, which only the example's page held, beside the `after_cursor` its
    lists take): read, the offset held the page where it was, its next cursor was the one sent, and the SDK paged
    forever."""
    words = {*_SIZES, *_STARTS, *_PAGE, *AFTER_CURSORS, *_FIRST_ITEM_CURSORS, "count"}  # (listing.py's `_PAGING`)
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
    mirror = Mirror(api.spec, schema) if schema is not None else None
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
    from .roles import address

    original = body
    key = _related_key(body) if isinstance(body, dict) else None
    if key is None and isinstance(body, dict) and schema is not None:
        mirror = Mirror(api.spec, schema)
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
    Kept as drawn, PayPal's order held its captures with links to `https://example.jp/1711`, `rel: sample`.
    Such an object whose links are HAL's map by relation (`_links: {source: {href}}`) and name no `self` links
    to itself as its read does (`_hal_self`)."""
    from .remembered import _kept_noun

    def walk(value, depth: int):
        if depth > 8 or not isinstance(value, (dict, list)):
            return value
        if isinstance(value, list):
            return [walk(item, depth + 1) for item in value]
        out = {}
        for name, inner in value.items():
            held = isinstance(inner, list) and inner and all(isinstance(item, dict) for item in inner) \
                and (_related_key(inner[0]) is not None or _hal_map_key(inner[0]) is not None)
            found = _kept_noun(api, name) if held else None
            if found is not None:
                part, kind = found
                inner = [{**item, key: links} if (key := _related_key(item)) is not None
                         and (links := _links_of(part, kind, request, item, key)) is not None
                         else _hal_self(part, kind, request, item) for item in inner]
            out[name] = walk(inner, depth + 1)
        return out

    if not isinstance(body, dict):
        return body
    candidate = walk(body, 0)
    return candidate if candidate != body and fits(candidate) else body


def _hal_map_key(body: dict):
    """The key of HAL's links by relation (`_links: {self: {href}, source: {href}}`, an empty map too) in `body`,
    or None."""
    return next((k for k, v in body.items() if str(k).lower() == "_links" and isinstance(v, dict)
                 and all(isinstance(link, (dict, list)) for link in v.values())), None)


def _hal_self(api, kind: str, request: dict, item: dict) -> dict:
    """`item`, a resource of `kind` held in a list, whose HAL links by relation name no `self`, with `self` its
    read at its own id under the host and base path the request came by, as the read links it: listed, Dwolla's
    customers and transfers held no `self`, and its SDK's callers, following each item's `self`, found nothing."""
    key = _hal_map_key(item)
    own = item.get("id")
    origin, prefix = served(api, request)
    last = LAST_PARAMETER.search(kind or "")
    if key is None or "self" in item[key] or not _own_id(item) or not origin or last is None:
        return item
    path = _filled(kind, {**(request.get("path") or {}), last.group(1): own})
    if "{" in path:  # (read under an owner the list's path does not name: no link rather than a template)
        return item
    return {**item, key: {"self": {"href": f"{origin}{prefix}{path}"}, **item[key]}}


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
    for holder in [candidate] + _counters(candidate):
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
                      # (an empty page past the first ends before it starts, so that `range(start, end + 1)` is
                      # empty: an end at its start had a client read one item of none)
                      max(start + len(lists[0]) - 1, 0) if name in _ENDS_AT and len(lists) == 1 else None)
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


def _counters(body: dict) -> list[dict]:
    """The objects of `body` holding a page's counters: one down named for paging or meta (`meta`, `pagination`),
    and a paging object two down (Pix's `parametros.paginacao`)."""
    counters = [v for k, v in body.items() if isinstance(v, dict) and re.search(r"pag|meta", str(k), re.IGNORECASE)]
    return counters + [inner for v in body.values() if isinstance(v, dict) for k, inner in v.items()
                       if isinstance(inner, dict) and re.search(r"pag", str(k), re.IGNORECASE)]


def sorted_as_asked(api, operation_id: str, request: dict, body, fits):
    """`body`, a page, saying how it is sorted as it was asked: a field of its counters (`meta.sort_by`,
    `sort_order`) named as a query parameter of its list is what the request gave it, else that parameter's
    `default`, else, where what was drawn is none of the values it takes, the first of them. Drawn, Straddle's
    lists of payments and customers said `sort_by: sample`, a field none of them can be sorted by."""
    if not isinstance(body, dict):
        return body
    query = {_bare(name): value for name, value in (request.get("query") or {}).items()}
    declared = {_bare(p.get("name")): deref(api.spec, p.get("schema")) or {} for p in
                (deref(api.spec, p) or {} for p in parameters_in(api, operation_id, "query"))
                if _bare(p.get("name")) in _SORTING}
    if not declared:
        return body
    candidate = copy.deepcopy(body)
    for holder in _counters(candidate):
        for key in [key for key in holder if _bare(key) in declared and _scalar(holder[key])]:
            schema = declared[_bare(key)]
            values = [value for value in schema.get("enum") or () if value is not None]
            asked = query.get(_bare(key))
            asked = asked[0] if isinstance(asked, list) and len(asked) == 1 else asked
            wanted = asked if _scalar(asked) and asked is not None else schema.get("default")
            if wanted is None and values and holder[key] not in values:
                wanted = values[0]
            if wanted is not None:
                holder[key] = wanted
    return candidate if candidate != body and fits(candidate) else body


# The names of a list's parameters saying how it is sorted, and which way (`sort_by`, `sort_order`, `orderBy`).
_SORTING = ("sort", "sortby", "orderby", "sortfield", "sortkey", "sortorder", "sortdirection", "order", "direction",
            "ordering")


# Query parameters whose cursor names the first item of the page asked (listing.py's `_FROM`).
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
