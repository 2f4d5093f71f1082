"""How an answer's schema takes what a request sent, and where an answer holds what it is about.

An answer drawn from a spec is shaped by the request it answers; these read the schema a field of the answer
declares (`Mirror`), the property an answer's resource sits in (`envelope_of`), what an answer holds beside it
(`_BESIDE`) and the schema the request's body was sent in (`sent_schema`), for every module that fills an answer."""

from __future__ import annotations

import copy
import math
import random
import re
import string
import uuid

from .fallback import _located, deref, flattened
from .formats import UUID_TEXT
from .jws import carries_json
from .names import _bare
from .schemas import schemas_of


def _at(root, path):
    """What the keys and indexes `path` lead to from `root`."""
    for key in path:
        root = root[key]
    return root


def sent_schema(api, operation_id: str) -> dict | None:
    """The schema of an operation's JSON (or form) request body, `allOf` merged; None where it declares none."""
    operation = _located(api, operation_id)[1] or {}
    content = (deref(api.spec, operation.get("requestBody") or {}) or {}).get("content") or {}
    schema = next((deref(api.spec, media.get("schema")) for kind, media in content.items()
                   if carries_json(kind) and isinstance(media, dict)), None)
    schema = schema or next((deref(api.spec, media.get("schema")) for kind, media in content.items()
                             if "form" in kind.lower() and isinstance(media, dict)), None)
    return Mirror(api.spec, schema).root if isinstance(schema, dict) else None


def _emptied(body):
    """`body` with its lists of objects (at its top, or in its envelope) emptied; `body` itself if it has none."""
    if isinstance(body, list):
        return []
    candidate = copy.deepcopy(body)
    envelope = envelope_of(candidate)
    changed = False
    for holder in [candidate] + ([candidate[envelope]] if envelope is not None and isinstance(candidate[envelope], dict) else []):
        for key, value in list(holder.items()):
            if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
                holder[key], changed = [], True
    return candidate if changed else body


# Objects that describe the message an answer is, not what it is about (its request's id, when it was sent).
_MESSAGE_HEADERS = frozenset(("responseheader", "requestheader", "messageheader"))


def envelope_of(body) -> str | None:
    """The property of an answer that holds what it is about (`{"member": {...}}`, `{"data": {...}}`): its
    `data` (`Data` in the UK's open banking), else its one object, else, in an answer made of nothing but
    resources (`{"subscription": {...}, "customer": {...}, "card": {...}}`, as Chargebee answers), the first,
    which the answer is about; None when there is no such property."""
    if not isinstance(body, dict):
        return None
    # (a header of the message beside the resource's fields is none: PolishAPI's `responseHeader`; a header of the
    # resource is, PayPal's payout batch read as `{batch_header: {payout_batch_id, ...}, items}`, and so is one named
    # only `header`, a payroll run answered as `{header: {id, label}, lines}`)
    inner = [key for key, value in body.items() if isinstance(value, dict) and _bare(key) not in _MESSAGE_HEADERS]
    if len(inner) > 1 and all(isinstance(value, (dict, list)) or value is None for value in body.values()):
        inner = [key for key in inner if _bare(key) not in _BESIDE] or inner
        return next((key for key in inner if str(key).lower() == "data"), inner[0])
    # (nor is what an answer holds beside its resource, where it is the answer's one object: HAL's `_links` beside the
    # fields of a customer read at its own URL, which took the customer's fields sent to make it as its links)
    # (nor is an object of the resource's own where the answer holds its own id beside it: KOMOJU's session
    # `{id, status, amount, payment}`, whose `payment` took the session's fields sent to make it)
    own = isinstance(body.get("id"), (str, int)) and not isinstance(body.get("id"), bool)
    alone = inner[0] if len(inner) == 1 and _bare(inner[0]) not in _BESIDE and not own else None
    return next((key for key in inner if str(key).lower() == "data"), alone)


# What an answer holds beside the resource it is about, never the resource itself.
_BESIDE = frozenset(("links", "meta", "metadata", "pagination", "paging", "errors", "warnings", "included"))


# Fields whose value is never sent back, whatever the answer's schema declares.
_SECRET = re.compile(r"(password|passcode|passphrase|secret|cvc|cvv|cvv2|securitycode|pin)$")


class Mirror:
    """How an answer's schema takes what the request sent: the schema of each declared field, and whether
    a value fits it."""

    def __init__(self, spec: dict, schema):
        self.spec = spec
        self.root = self.resolved(schema)
        self._schemas = schemas_of(spec)

    def resolved(self, node, depth: int = 0):
        node = flattened(self.spec, node)
        if not isinstance(node, dict):
            return None
        # a nullable reference written as the one branch of an `anyOf`/`oneOf` (`anyOf: [{$ref: Data}]`, `nullable`;
        # beside `{type: null}` or `{enum: [null]}`) is that branch: its fields are declared there (Square's event `data`)
        branches = [branch for branch in node.get("anyOf") or node.get("oneOf") or ()
                    if not (isinstance(branch, dict) and (branch.get("type") == "null" or branch.get("enum") == [None]))]
        if len(branches) == 1 and not node.get("properties") and depth < 8:
            inner = self.resolved(branches[0], depth + 1)
            return inner if inner is not None else node
        return node

    def field(self, node, key):
        """The schema `node` declares for `key` (in `properties`), or None."""
        if node is None:
            return None
        found = (node.get("properties") or {}).get(key)
        if found is None and not node.get("properties") and isinstance(node.get("additionalProperties"), dict):
            found = node["additionalProperties"]  # a map's values (`metadata`, `tags`)
        if found is None and not node.get("properties"):
            # one of several shapes of its own (NextGenPSD2 reads a payment as one of its products): the field as
            # each branch declaring it declares it, where they agree (a `debtorAccount` sent whole was answered
            # merged into the draw, with a BBAN, a PAN and an MSISDN beside the IBAN sent)
            declared = [(self.resolved(branch) or {}).get("properties") or {}
                        for branch in node.get("oneOf") or node.get("anyOf") or ()]
            fields = [branch[key] for branch in declared if key in branch]
            found = fields[0] if fields and all(field == fields[0] for field in fields) else None
        return self.resolved(found) if found is not None else None

    def items(self, node):
        return self.resolved(node.get("items")) if isinstance(node, dict) else None

    def as_sent(self, node, value: dict) -> bool:
        """Whether `value`, sent whole, is the answer's value as it is: it fits, and each field is declared, or
        the schema declares none (a map: `metadata`, `tags`; a free-form object; a `oneOf` of shapes)."""
        return (node is not None and isinstance(value, dict)
                and (set(value) <= set(node.get("properties") or ()) or not node.get("properties"))
                and self._schemas.fits(node, value))

    def overlay(self, target: dict, source: dict, node, resource: bool, keys=None, root: bool = False) -> None:
        """Put `source` over `target` (whose schema is `node`); `resource`: `target` is the answer or its
        envelope (or an item of their lists), whose own fields the server keeps; `root`: it is the answer."""
        envelope = envelope_of(target) if root else None
        if envelope is not None and self._map(self.field(node, envelope)):  # (a map is no envelope: `metadata`)
            envelope = None
        for key in source if keys is None else keys:
            if _SECRET.search(_bare(key)):
                continue
            value, sub = source[key], self.field(node, key)
            inner = self.paged(sub) if isinstance(value, list) else None
            if inner is not None:  # items sent as a list, answered as a page of them (`{object: list, data: [...]}`)
                page = target.get(key) if isinstance(target.get(key), dict) else {}
                held = page.get(inner) if isinstance(page.get(inner), list) else []
                target[key] = {**page, inner: self.listed(held, value, self.field(sub, inner), resource)}
                continue
            if key not in target:
                # (a list of objects too, where its schema takes it as sent: Apideck's customer read back from an
                # example holding only its id had lost the `emails` it was made with)
                if sub is not None and (_scalar(value) or self.as_sent(sub, value) or isinstance(value, list) and (
                        all(map(_scalar, value)) or self._schemas.fits(sub, value))):
                    target[key] = copy.deepcopy(value)  # a declared field the draw left out
                continue
            current = target[key]
            if isinstance(current, dict) and isinstance(value, dict):
                if not current and all(map(_scalar, value.values())):  # a map (metadata): as sent
                    target[key] = dict(value)
                elif not (resource and key == envelope) and self.as_sent(sub, value):  # the client's own value
                    target[key] = copy.deepcopy(value)
                else:
                    self.overlay(current, value, sub, resource and key == envelope)
            elif isinstance(current, list) and isinstance(value, list):
                target[key] = self.listed(current, value, sub, resource)
            elif isinstance(value, dict) and not isinstance(current, dict):  # drawn as text or null (Mollie's metadata)
                if self.as_sent(sub, value):
                    target[key] = copy.deepcopy(value)
            elif isinstance(value, list) and not isinstance(current, list):
                if sub is not None and self._schemas.fits(sub, value):
                    target[key] = copy.deepcopy(value)
            elif isinstance(current, dict) and isinstance(value, str) and "id" in ((sub or {}).get("properties") or {}) \
                    and not self._schemas.fits(sub, value):
                # an object the client named by its id: the one it named (Stripe makes a card with
                # `cardholder=ich_...` and answers the cardholder whole; it was drawn with an id of its own)
                target[key] = {**current, "id": value}
            elif _scalar(value):
                target[key] = value

    def paged(self, node) -> str | None:
        """The one list field of `node` where it is a page of items (an object holding one list beside what
        describes it: `has_more`, `object`, `next_page_url`), else None. A request sends such items as a bare list
        (Conekta's order `charges`, `line_items`); its answer holds them in the page (`charges.data`). A page
        written as an `allOf` of its parts names no `type`, so JSON Schema took the bare list as fitting it, and
        generated SDKs refused every answer holding one."""
        if node is None or node.get("type") not in (None, "object") or not node.get("properties"):
            return None
        lists = [key for key in node["properties"]
                 if (self.resolved(node["properties"][key]) or {}).get("type") == "array"]
        rest = [key for key in node["properties"] if key not in lists]
        return lists[0] if len(lists) == 1 and rest else None

    @staticmethod
    def _map(node) -> bool:
        """Whether a schema is a map (`metadata`: values under keys of the client's choosing), not an object."""
        return isinstance(node, dict) and not node.get("properties") and isinstance(node.get("additionalProperties"), dict)

    def listed(self, current: list, sent: list, node, resource: bool) -> list:
        """A list answered as sent: scalars as they are; objects item by item over the drawn items (the first
        for every item past them), which keep the fields the server owns."""
        if all(map(_scalar, sent)):
            return list(sent)
        if not all(isinstance(item, dict) for item in sent):
            return current
        drawn = [item for item in current if isinstance(item, dict)]
        if not drawn:
            return copy.deepcopy(sent)
        items = self.items(node)
        out = []
        for index, item in enumerate(sent):
            template = copy.deepcopy(drawn[min(index, len(drawn) - 1)])
            if index >= len(drawn):
                _fresh_ids(template, index)
            self.overlay(template, item, items, resource)
            out.append(template)
        return out


def _fresh_ids(item: dict, index: int) -> None:
    """An item made from another's draw gets ids of its own (the second contact of a request answered with the
    first one's ContactID was the same contact; two payout items shared one `payout_item_id`): a UUID another
    UUID, any other id the same text with its last characters drawn again, each of its own kind (a digit for a
    digit, an upper-case letter for one), so a pattern the first took takes it too."""
    for key, value in item.items():
        if not isinstance(value, str) or not re.search(r"(id|guid|uuid)$", str(key).lower()):
            continue
        if UUID_TEXT.fullmatch(value):
            item[key] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{value}/{index}"))
        elif re.fullmatch(r"[A-Za-z0-9_-]{6,}", value):
            rng = random.Random(f"{value}/{index}")
            tail = [rng.choice(string.digits if c.isdigit() else string.ascii_uppercase if c.isupper() else
                               string.ascii_lowercase if c.islower() else c) for c in value[-6:]]
            item[key] = value[:-6] + "".join(tail)


def _scalar(value) -> bool:
    """A value an answer can carry as the client sent it (an integer past 64 bits is written as a float)."""
    if isinstance(value, bool) or isinstance(value, str) or value is None:
        return True
    if isinstance(value, int):
        return -(1 << 63) <= value < 1 << 63
    return isinstance(value, float) and math.isfinite(value)
