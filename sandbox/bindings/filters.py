"""What a kept list's query filters on: a field equal to a value, or a field within bounds.

`?status=pending` and `?customer_id=cus_1` name a field of the kept resources and the value it must hold.
Data connectors sync only what changed since their last run, so lists also take bounds, written in as many
ways as there are APIs: `created[gte]=1767225600` (a deepObject), `created_after`, `createdAt.lte`,
`min_amount`, `amount_lte`, `value_date_from`/`value_date_to`, `start_date`/`end_date`, and bare `since`,
`until`, `begin`, `end` on the moment a resource was made. A list that ignored its bounds answered every
incremental run with everything, and a bound read as a cursor (`from=2026-01-01`) with nothing.

A bound names its field by the words around its bound word; a field it names is compared as a number, a day
or a moment (epoch seconds or milliseconds against RFC 3339 text too). A bound on when a resource was made
(`created[gte]`, `created_after`, a bare `since`) where the resource says it in no field of that name compares
the moment the sandbox kept it: Stripe's invoice items say it in `date`, and a yearly window of 2020 listed
the items made today (each of a sync's yearly windows listed them again). Any other bound that names no
field, or a value that compares with none, filters nothing: the sandbox does not guess a meaning it cannot
check.
"""

from __future__ import annotations

import fnmatch
import json
import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

from .about import named_by_query
from .mirror import _scalar
from .names import _bare, _singular
from .moments import _MADE as _MADE_WORDS, _RFC_2822

# Bound words, each with whether it is strict: `created[gt]` leaves out the bound itself, `created[gte]` keeps it.
_LOWER = {"gte": False, "gt": True, "after": True, "since": False, "from": False, "start": False, "begin": False,
          "min": False, "lowerbound": False, "greaterthan": True, "greaterthanorequalto": False, "onorafter": False}
_UPPER = {"lte": False, "lt": True, "before": True, "until": False, "to": False, "end": False, "max": False,
          "upperbound": False, "lessthan": True, "lessthanorequalto": False, "onorbefore": False}
# Longest first: `greaterthanorequalto` before `greaterthan`, `lte` before `lt`.
_WORDS = sorted(((word, lower, strict) for lower, table in ((True, _LOWER), (False, _UPPER))
                 for word, strict in table.items()), key=lambda row: -len(row[0]))
# Words of a bound that names no field of its own (`since`, `start_date`): it bounds when the resource was made.
_GENERIC = ("", "date", "time", "datetime", "timestamp", "period")
_MADE = ("created", "createdat", "createdon", "createdtime", "createddate", "createdatetime", "creationdate",
         "creationtime", "datecreated", "timecreated", "createtime", "createdate", "date", "datetime", "timestamp",
         "time", "transactiondate", "bookingdate", "valuedate")
# Fields compared as numbers: quantities. Any other field is compared only as a day or a moment, so that
# `from_account=1234567` (an account number) bounds nothing.
_QUANTITY = re.compile(r"amount|total|balance|price|value|quantity|count|fee|sum|size|score|rate|limit|cost|tax")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Filter values that ask for every value of the field, unless the field holds that word itself.
_ANY = frozenset(("all", "any", "*"))


def passes(fields: dict, query: dict, declared: frozenset = frozenset(), made: str | None = None) -> bool:
    """Whether a kept resource, by its scalar fields (bare names: `customer_id` is `customerid`), passes every
    filter of the list's query (its paging already left out). `declared`: the bare names of the fields its kind
    declares; a resource without a value for one of them that the query asks for is not among those asked for
    (`?foreignID=x` lists no account that has none). `made`: the moment it was kept (RFC 3339), what a bound on
    its making compares where no field of its own says it."""
    for name, value in query.items():
        bare = _bare(name)
        if isinstance(value, dict) and value and all(str(key).isdigit() for key in value):
            value = list(value.values())  # `types[0]=a&types[1]=b`
        if isinstance(value, dict) and value and not all(_bound_word(key) is not None for key in value):
            # an object of field filters, each a filter of its own (Apideck's deepObject `filter[display_name]=Zed`);
            # read as one filter, it named no field and filtered nothing
            if not passes(fields, value, declared, made):
                return False
            continue
        value = _listed_in_text(value)
        if bare not in fields and (isinstance(value, list) or _scalar(value) and _singular(bare) != bare):
            # `types[]=customer.created` of the events' `type`, Xero's `Statuses=AUTHORISED` of `Status`, and one
            # value of a plural declared as text (Xendit's invoices `statuses=EXPIRED`: unread, it filtered nothing)
            bare = next((one for one in (_singular(bare), bare[:-2] if bare.endswith("ses") else None)
                         if one in fields), bare)
        if bare not in fields and isinstance(value, list):
            bare = _qualified_field(bare, fields) or bare  # `event_types` of the events' `type`
        sign = re.fullmatch(r"(.*[^<>=\s])\s*([<>])=?", str(name))
        if sign is not None and _scalar(value) and not isinstance(value, dict):
            # a bound written as a comparison after the field's name (Twilio's `DateSent>=2026-01-01`, sent as the
            # parameter `DateSent>`): on or after, on or before. Read by the field's bare name, it asked for that
            # one moment, and every message sent since was left out.
            field = _field(_bare(sign.group(1)), fields, made is not None, sorted_by(query, fields))
            held = made if field is _KEPT else fields.get(field) if field is not None else None
            if field is not None and not _within("" if field is _KEPT else field, held, value, sign.group(2) == ">", False):
                return False
            if field is None and _bare(sign.group(1)) in declared and is_bound(value):
                return False  # it holds no such moment (a message not sent yet): on neither side of the bound
            continue
        operator = re.fullmatch(r"(.+?)[.\[](in|eq|any|oneof)\]?", str(name), re.IGNORECASE)
        if bare not in fields and operator is not None:
            bare = _bare(operator.group(1))  # `category.in=account.created`, `status[in]=...`
        if bare in fields and not isinstance(value, dict):
            if fields[bare] is not None and not _among(_as_asked(fields[bare], value), value):
                return False
            if fields[bare] is None and bare in declared and not _among("", value):
                return False
            continue
        if bare in declared and not isinstance(value, dict) and value not in (None, "") and not _among("", value):
            return False  # asked for a value it does not hold
        for field, lower, strict, bound in _bounds(name, value, fields, made is not None, sorted_by(query, fields)):
            held = made if field is _KEPT else fields.get(field)
            if not _within("" if field is _KEPT else field, held, bound, lower, strict):
                return False
    return True


def narrowed_away(api, operation_id: str, request: dict, fields: dict) -> str | None:
    """The query parameter a read by id was sent that names one of the kept resource's fields (`fields`, by bare
    names) with a value it does not hold, or None: such a read narrows to resources in that state, as a list's
    filter does, and finds none (Lago's `GET /subscriptions/{external_id}?status=terminated` of a pending one
    answers 404). Answered as kept, the client was told its subscription was there in the state it asked about."""
    asked = named_by_query(api, operation_id, request)  # (sent, not defaulted; neither paging nor bounds)
    return next((name for name, value in asked.items() if _bare(name) in fields and not passes(fields, {name: value})),
                None)


def _qualified_field(bare: str, fields: dict) -> str | None:
    """The field a list of values names with a word before it, qualifying it (bare names): `eventtypes` of the
    events' `type` (Square's `{"query": {"filter": {"event_types": [...]}}}`), `paymentstatuses` of `status`.
    The longest field its singular ends in, of four letters at least; never an id (`customer_ids` names other
    resources' ids, not the items' own)."""
    singular = _singular(bare)
    found = [field for field in fields if len(field) >= 4 and singular.endswith(field) and singular != field
             and not field.endswith("id")]
    return max(found, key=len) if found else None


# Keys of a search body's object that say how its field is compared, not which field it is (Square's
# `{"email_address": {"exact": "a@b"}}`); `any` and `in` take a list of values.
_EQUAL = ("exact", "eq", "equals", "is", "in", "any", "oneof", "anyof")


def criteria(body, depth: int = 0) -> dict:
    """The filters and paging a search sent as a POST gives in its JSON body, as a query would give them: each
    field holding a value or a list of values, by its own name at any depth (Square's `{"query": {"filter":
    {"state_filter": {"states": ["OPEN"]}}}}` filters `state`; its `cursor` and `limit` page), a field compared
    through an operator object by the field's name (`{"email_address": {"exact": "a@b"}}`), and an object of
    bound words as bounds on its field (`{"created_at": {"start_at": ..., "end_at": ...}}`). The first of a
    name, the shallowest, is the one read."""
    found = {}
    if not isinstance(body, dict) or depth > 6:
        return found
    for name, value in body.items():
        if _plain(value) or isinstance(value, dict) and value and all(_bound_word(key) is not None for key in value):
            found.setdefault(name, value)
        elif isinstance(value, dict) and len(value) == 1 and _bare(next(iter(value))) in _EQUAL \
                and _plain(next(iter(value.values()))):
            found.setdefault(name, next(iter(value.values())))
        elif isinstance(value, dict):
            for key, each in criteria(value, depth + 1).items():
                found.setdefault(key, each)
    return found


def _listed_in_text(value):
    """A filter's values written as a JSON array in one query value (`statuses=["PENDING","EXPIRED"]`, as Xendit's
    references write it) as that list; any other value as it is."""
    if isinstance(value, str) and value.strip().startswith("[") and value.strip().endswith("]"):
        try:
            listed = json.loads(value)
        except ValueError:
            return value
        return listed if isinstance(listed, list) and all(_scalar(each) for each in listed) else value
    return value


def _plain(value) -> bool:
    """Whether a body's value is one a filter compares: a scalar, or a list of them."""
    return _scalar(value) or isinstance(value, list) and all(_scalar(each) for each in value)


def _among(held: str, value) -> bool:
    """Whether a field's value is one the filter asks for: `pending`, any of `pending,completed` or of a list, any
    matching a pattern (`customer.*`), or every one (`?status=all`, Stripe's subscriptions)."""
    values = value if isinstance(value, list) else [value]
    wanted = {part.strip().lower() for each in values if _scalar(each) and each is not None for part in str(each).split(",")}
    if not wanted or wanted & _ANY:
        return True
    return held in wanted or any("*" in each and fnmatch.fnmatchcase(held, each) for each in wanted)


def _as_asked(held, value) -> str:
    """A field's value as a filter compares it: the day of a moment where the filter asks for days (Twilio's
    `DateSent=2026-12-06` of a message sent `Sun, 06 Dec 2026 23:28:43 +0000`: compared as text, none was ever on
    the day asked), else its text in lower case."""
    values = value if isinstance(value, list) else [value]
    moment = moment_of(held) if values and all(isinstance(each, str) and _DAY.fullmatch(each.strip()) for each in values) \
        else None
    return moment.date().isoformat() if isinstance(moment, datetime) else str(held).lower()


def is_bound(value) -> bool:
    """Whether a query value reads as a day or a moment (a `from=2026-01-01`, not a cursor naming an item)."""
    return isinstance(value, str) and moment_of(value) is not None


# Query parameters naming the field a list is sorted by (`sort=updated_at`, `order_by=-updated`).
SORTS = ("sort", "sortby", "orderby", "sortfield", "ordering", "sortkey")


def sorted_by(query: dict, fields: dict) -> str | None:
    """The bare name of the moment field the query sorts the list by (Recurly's `sort=updated_at`), where the
    resource holds one: a bound that names no field of its own (`begin_time`) bounds that one."""
    for name, value in query.items():
        if _bare(name) in SORTS and isinstance(value, str):
            field = _bare(re.sub(r"^[-+]|[ .:_,]?(asc|desc)(ending)?$", "", value.strip(), flags=re.IGNORECASE))
            if field in fields and moment_of(fields[field]) is not None:
                return field
    return None


def _bounds(name: str, value, fields: dict, kept: bool = False, sort: str | None = None):
    """(field, lower?, strict?, value) for each bound the parameter carries: one for `created_after=...`, one
    per key of a deepObject's `created={gte: ..., lt: ...}`; none where it names no field. `kept`: whether the
    moment the resource was kept stands for a field of its making it lacks (`_KEPT`). `sort`: the moment field
    the list is sorted by (`sorted_by`), what a bound naming no field bounds."""
    if isinstance(value, dict):
        for key, each in value.items():
            word = _bound_word(key)
            if word is not None:
                field = _field(_bare(name), fields, kept, sort)
                if field is not None and _scalar(each):
                    yield field, word[0], word[1], each
        return
    if not _scalar(value) or value is None or value == "":
        return
    bare = _bare(name)
    for bound, lower, strict in _WORDS:
        if bare.endswith(bound):
            rest = bare[:-len(bound)]
        elif bare.startswith(bound):
            rest = bare[len(bound):]
        else:
            continue
        field = _field(rest, fields, kept, sort)
        if field is not None:
            yield field, lower, strict, value
        return


def _bound_word(key) -> tuple | None:
    """(lower?, strict?) of a deepObject's or a search body's key that is a bound word (`gte`, `since`), alone
    or before a word saying only that it is a moment (Square's `start_at`/`end_at`, `begin_time`), else None."""
    word = _bare(key)
    for bound, lower, strict in _WORDS:
        if word == bound or word.startswith(bound) and word[len(bound):] in (*_GENERIC, "at", "on"):
            return lower, strict
    return None


# What a bound on the resource's making compares where no field says it: the moment the sandbox kept it.
_KEPT = object()


def _field(words: str, fields: dict, kept: bool = False, sort: str | None = None):
    """The field a bound's other words name: itself (`amount`), the field they begin (`created` of
    `created_at`) or end (`valuedate` of `value_date`), else, for no words or generic ones (`since`, `start_date`),
    the one that says when the resource was made; else, for words of its making (`created`, `created_at`,
    generic ones), `_KEPT` where `kept`. Generic words name a field only by being its whole name (`date`): read as
    the end of one, Plaid's `start_date` of transfers bounded the first field ending in `date`, a drawn
    `expected_settlement_date` of 2019, and a list of today's transfers was empty."""
    held = [name for name, value in fields.items() if value is not None]
    if words:
        for test in (str.__eq__,) if words in _GENERIC else (str.__eq__, str.startswith, str.endswith):
            found = next((name for name in held if test(name, words)), None)
            if found is not None:
                return found
    if words in _GENERIC and sort in held:  # `begin_time` of a list asked `sort=updated_at`: when each last changed
        return sort  # (read on when each was made, an incremental sync missed every resource changed since)
    if words in _GENERIC:
        found = next((name for name in _MADE if name in held), None)
        if found is not None:
            return found
    return _KEPT if kept and (words in _GENERIC or words in _MADE_WORDS) else None


def _within(field: str, held, bound, lower: bool, strict: bool) -> bool:
    """Whether the field's value lies on the bound's side (True where the two do not compare)."""
    pair = _comparable(field, held, bound)
    if pair is None:
        return True
    mine, theirs = pair
    if lower:
        return mine > theirs if strict else mine >= theirs
    return mine < theirs if strict else mine <= theirs


def _comparable(field: str, held, bound):
    """The two values as numbers (of a quantity), days or moments of one kind, or None."""
    if _QUANTITY.search(field) and not field.endswith("date"):
        mine, theirs = _number(held), _number(bound)
        if mine is not None and theirs is not None:
            return mine, theirs
    first, second = moment_of(held), moment_of(bound)
    if first is None or second is None:
        return None
    if isinstance(first, datetime) and isinstance(second, datetime):
        return first, second
    return _day(first), _day(second)  # a day against a moment: compared as days


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(value) if isinstance(value, str) and value.strip() else None
    except ValueError:
        return None


def moment_of(value) -> date | datetime | None:
    """A day (`2026-01-05`), an RFC 3339 moment (a moment without a zone read as UTC), or epoch seconds or
    milliseconds (as numbers or digits: Stripe's `created`)."""
    number = _number(value)
    if number is not None:
        seconds = number / 1000 if number > 1e11 else number
        return datetime.fromtimestamp(seconds, timezone.utc) if 1e8 <= seconds < 1e11 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:  # RFC 2822's (Twilio's `date_sent`: `Thu, 24 Aug 2023 05:01:45 +0000`)
            moment = parsedate_to_datetime(text) if _RFC_2822.fullmatch(text) else None
        except (TypeError, ValueError):
            moment = None
        if moment is None:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


# A list's filter written as an expression over its items' fields (Xero's `where=Status=="AUTHORISED" AND
# Total>100`, `Contact.ContactID==guid("...")`), and a free-text search over their text fields (Xero's
# `searchTerm`). Ignored, every such list answered every item kept.
_EXPRESSION_NAMES = ("where", "filter")
_EXPRESSION_SHOWN = re.compile(r"==|!=|<=|>=|\s(and|or)\s|expression|condition", re.IGNORECASE)
_SEARCH_NAMES = ("searchterm", "search", "searchtext", "q", "query", "term", "keyword", "keywords")
_SEARCH_SAID = re.compile(r"search", re.IGNORECASE)


def expression_parameters(api, operation_id: str) -> dict:
    """The query parameters of a list that filter it by an expression (`"where"`: named `where` or `filter`, a
    string, shown as one by its description or example) or search its items' text (`"search"`: a search term
    its description says searches), by name, with the field names that description lists (memoised)."""
    from html import unescape

    from .addresses import parameters_in

    known = api.derived.setdefault("expression_parameters", {})
    if operation_id in known:
        return known[operation_id]
    found = {}
    for parameter in parameters_in(api, operation_id, "query"):
        schema = parameter.get("schema") or {}
        if schema.get("type") not in (None, "string") or schema.get("enum"):
            continue
        prose = unescape(f"{parameter.get('description') or ''} {parameter.get('example') or ''} "
                         f"{schema.get('example') or ''}")
        bare = _bare(parameter["name"])
        if bare in _EXPRESSION_NAMES and (bare == "where" or _EXPRESSION_SHOWN.search(prose)):
            found[parameter["name"]] = ("where", ())
        elif bare in _SEARCH_NAMES and _SEARCH_SAID.search(parameter.get("description") or ""):
            # (the fields it says it searches: "across the Name, FirstName, ... and EmailAddress fields")
            found[parameter["name"]] = ("search", tuple(re.findall(r"\b[A-Z][A-Za-z]+\b", parameter["description"])))
    known[operation_id] = found
    return found


def parsed_expression(text: str):
    """The tree of a filter expression (`Status=="PAID" AND (Total>100 OR Contact.Name.Contains("Acme"))`), or a
    ValueError saying where it is malformed. Comparisons `== != < > <= >=`, `AND`/`OR`/`NOT` (`&&`, `||`, `!`),
    parentheses, field paths, `guid("...")`, `DateTime(y, m, d)`, text in double quotes, numbers, `true`,
    `false`, `null`, and a path's `.Contains("x")`, `.StartsWith("x")`, `.EndsWith("x")`, `.ToLower()`,
    `.ToUpper()`. Read by a recursive descent: nothing of it is ever run as code."""
    return _Parser(text).whole()


_TOKEN = re.compile(r'\s*(?:(?P<text>"(?:[^"\\]|\\.)*")|(?P<number>-?\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|&&|\|\||[<>!(),.=])'
                    r'|(?P<name>[A-Za-z_][A-Za-z0-9_]*))')
_METHODS = ("contains", "startswith", "endswith", "tolower", "toupper")


class _Parser:
    def __init__(self, text: str):
        self.tokens, at = [], 0
        text = text.rstrip()
        while at < len(text):
            found = _TOKEN.match(text, at)
            if found is None or found.end() == at:
                raise ValueError(f"unexpected {text[at:].strip()[:20]!r} at character {at + 1}")
            kind = found.lastgroup
            value = found.group(kind)
            self.tokens.append((kind, json_text(value) if kind == "text" else value))
            at = found.end()
        self.at = 0

    def peek(self, *values):
        token = self.tokens[self.at] if self.at < len(self.tokens) else (None, None)
        return token if not values or (token[0] in ("op", "name") and str(token[1]).lower() in values) else None

    def take(self, *values):
        token = self.peek(*values)
        if token is None or token[0] is None:
            raise ValueError(f"expected {' or '.join(values) or 'more'} at {self._where()}")
        self.at += 1
        return token

    def _where(self) -> str:
        return f"token {self.at + 1}" if self.at < len(self.tokens) else "the end"

    def whole(self):
        if not self.tokens:
            raise ValueError("the expression is empty")
        tree = self.either()
        if self.at < len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.at][1]!r} at {self._where()}")
        return tree

    def either(self):
        tree = self.both()
        while self.peek("or", "||"):
            self.at += 1
            tree = ("or", tree, self.both())
        return tree

    def both(self):
        tree = self.negated()
        while self.peek("and", "&&"):
            self.at += 1
            tree = ("and", tree, self.negated())
        return tree

    def negated(self):
        if self.peek("not", "!"):
            self.at += 1
            return ("not", self.negated())
        return self.compared()

    def compared(self):
        if self.peek("("):
            self.at += 1
            tree = self.either()
            self.take(")")
            return tree
        left = self.operand()
        if self.peek("==", "!=", "<", ">", "<=", ">=", "="):
            operator = self.take()[1]
            return ("compare", "==" if operator == "=" else operator, left, self.operand())
        return ("truthy", left)

    def operand(self):
        kind, value = self.take()
        if kind == "text":
            return ("value", value)
        if kind == "number":
            return ("value", float(value))
        if kind != "name":
            raise ValueError(f"unexpected {value!r} at token {self.at}")
        lower = value.lower()
        if lower in ("true", "false", "null"):
            return ("value", {"true": True, "false": False, "null": None}[lower])
        if lower == "guid" and self.peek("("):
            self.take("(")
            kind, text = self.take()
            self.take(")")
            if kind != "text" or not re.fullmatch(r"[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}", text):
                raise ValueError(f"guid() takes a GUID in quotes, not {text!r}")
            return ("value", _Guid(text.lower()))
        if lower == "datetime" and self.peek("("):
            self.take("(")
            parts = [self.take()]
            while self.peek(","):
                self.at += 1
                parts.append(self.take())
            self.take(")")
            if not 3 <= len(parts) <= 6 or any(kind != "number" for kind, _ in parts):
                raise ValueError("DateTime() takes a year, a month and a day (and an hour, minutes and seconds)")
            try:
                moment = datetime(*(int(float(number)) for _, number in parts), tzinfo=timezone.utc)
            except ValueError as error:
                raise ValueError(f"DateTime(): {error}") from None
            return ("value", moment.date() if len(parts) == 3 else moment)
        path, calls = [value], []
        while self.peek("."):
            self.at += 1
            kind, step = self.take()
            if kind != "name":
                raise ValueError(f"a field name after '.', not {step!r}")
            if step.lower() in _METHODS and self.peek("("):
                self.take("(")
                argument = None if self.peek(")") else self.operand()
                self.take(")")
                if (argument is None) != (step.lower() in ("tolower", "toupper")):
                    raise ValueError(f"{step}() takes {'no value' if argument is not None else 'one value'}")
                calls.append((step.lower(), argument))
            elif calls:
                raise ValueError(f"a field after {calls[-1][0]}()")
            else:
                path.append(step)
        return ("field", tuple(path), tuple(calls))


class _Guid(str):
    """A `guid("...")`: compared with a field's text whatever its case."""


def json_text(literal: str) -> str:
    """The text of a double-quoted literal, its backslash escapes read."""
    return re.sub(r"\\(.)", lambda found: found.group(1), literal[1:-1])


def matches(tree, item: dict) -> bool:
    """Whether a kept item (its answer) passes a parsed filter expression (`parsed_expression`)."""
    kind = tree[0]
    if kind == "or":
        return matches(tree[1], item) or matches(tree[2], item)
    if kind == "and":
        return matches(tree[1], item) and matches(tree[2], item)
    if kind == "not":
        return not matches(tree[1], item)
    if kind == "truthy":
        return bool(_operand(tree[1], item))
    operator, left, right = tree[1], _operand(tree[2], item), _operand(tree[3], item)
    if isinstance(left, _Guid) or isinstance(right, _Guid):
        left, right = str(left).lower() if left is not None else None, str(right).lower() if right is not None else None
    if left is None or right is None:
        return (left is right) == (operator == "==") if operator in ("==", "!=") else False
    left, right = _alike(left, right), _alike(right, left)
    try:
        return {"==": left == right, "!=": left != right}[operator] if operator in ("==", "!=") else \
            {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[operator]
    except TypeError:  # (text against a number: no order between them)
        return False


def _operand(node, item: dict):
    if node[0] == "value":
        return node[1]
    _, path, calls = node
    held = item
    for step in path:
        if isinstance(held, list):
            held = held[0] if held else None
        if not isinstance(held, dict):
            return None  # (a field it does not hold is null, as `Reference==null` asks)
        key = next((key for key in held if _bare(key) == _bare(step)), None)
        if key is None:
            return None
        held = held[key]
    for method, argument in calls:
        text = "" if held is None else str(held)
        if method == "tolower":
            held = text.lower()
        elif method == "toupper":
            held = text.upper()
        else:
            wanted = str(_operand(argument, item)) if argument is not None else ""
            held = {"contains": wanted in text, "startswith": text.startswith(wanted),
                    "endswith": text.endswith(wanted)}[method]
    return held


def _alike(value, other):
    """`value` in the terms of `other`: a number for a number, a day or a moment for one (Microsoft's JSON dates,
    `/Date(1552953600000+0000)/`, as Xero writes them, RFC 3339 text, a day), else as it is."""
    if isinstance(other, (int, float)) and not isinstance(other, bool) and not isinstance(value, bool):
        number = _number(value)
        return number if number is not None else value
    if isinstance(other, (date, datetime)) and not isinstance(value, (date, datetime)):
        found = re.fullmatch(r"/Date\((-?\d+)(?:[+-]\d{4})?\)/", str(value).strip())
        moment = datetime.fromtimestamp(int(found.group(1)) / 1000, timezone.utc) if found else moment_of(value)
        if moment is None:
            return value
        return _day(moment) if not isinstance(other, datetime) else (
            moment if isinstance(moment, datetime) else datetime(moment.year, moment.month, moment.day, tzinfo=timezone.utc))
    return value


def searched(term: str, item: dict, named: tuple) -> bool:
    """Whether a kept item's text fields hold `term`, whatever its case: those of `named` (the fields the
    search's description lists) where the item holds any, else every text field at its top."""
    wanted = str(term).strip().lower()
    if not wanted:
        return True
    texts = {_bare(key): value for key, value in item.items() if isinstance(value, str)}
    chosen = [texts[_bare(name)] for name in named if _bare(name) in texts] or list(texts.values())
    return any(wanted in text.lower() for text in chosen)
