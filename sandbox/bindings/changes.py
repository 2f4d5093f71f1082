"""How a change's body applies to a resource the workspace kept (remembered.py).

APIs change a resource in three ways: a merge patch (RFC 7386: the fields sent replace the ones kept,
objects field by field, a null removes; how PATCH and Stripe's POST updates read), a JSON Patch
(RFC 6902: a list of operations on JSON pointers, as PayPal patches an order), and a replacement (PUT:
what the client sent before and leaves out now is gone; what the server owns, its id and state, stays).
Some send and answer resources in a batch envelope (`{"Contacts": [{...}]}`, as Xero does, one or
more at a time): the resource is the envelope's one item.
"""

from __future__ import annotations

import copy


def changed(sent: dict, answer, body, method: str, replaces=None, form: bool = False) -> tuple[dict, object]:
    """(what was sent, the answer) of a kept resource once `body`, sent with `method`, changed it.

    `replaces`: the fields a PUT replaces (those its body's schema declares; None: all of them), or False for
    a PUT that updates the fields it sends (its schema requires none of the resource's: Marqeta's and
    Finix's PUTs change what they are sent and leave the rest). `form`: the body came as a form, which has no
    null: an empty value removes the field (Stripe's `metadata[tier]=`)."""
    if form:
        body = _emptied(body)
    if _is_json_patch(body):
        return patched(sent, body), patched(answer, body)
    body = unbatched(body)
    if not isinstance(body, dict):
        return sent, answer
    if method == "PUT" and replaces is not False:
        before = sent if replaces is None else {key: value for key, value in sent.items() if key in replaces}
        return {**{k: v for k, v in sent.items() if k not in before}, **body}, _replaced(answer, before, body)
    return merged(sent, body), merged(answer, body)


def _emptied(body):
    """A form's body with each empty value as null (its way to remove a field)."""
    if isinstance(body, dict):
        return {key: _emptied(value) for key, value in body.items()}
    return None if body == "" else body


def merged(target, patch):
    """`patch` merged into `target` as JSON Merge Patch does (RFC 7386): objects field by field, a null removes."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merged(out.get(key), value)
    return out


def _replaced(answer, before: dict, body: dict):
    """The kept answer once a PUT replaced what was sent: the fields sent before and left out now are gone,
    those sent now are as sent, the server's own stay."""
    if not isinstance(answer, dict):
        return answer
    return merged({key: value for key, value in answer.items() if key in body or key not in before}, body)


def _is_json_patch(body) -> bool:
    return isinstance(body, list) and bool(body) and all(
        isinstance(op, dict) and isinstance(op.get("op"), str) and isinstance(op.get("path"), str) for op in body)


def patched(document, operations: list):
    """`document` with the JSON Patch `operations` applied (RFC 6902: add, remove, replace, move, copy; a
    `test` is not a change). An operation whose path leads nowhere in the document is skipped. A token
    `@field=='value'` picks the item of a list whose field has that value (PayPal's
    `/purchase_units/@reference_id=='default'/amount`)."""
    document = copy.deepcopy(document)
    for operation in operations:
        kind, path = operation["op"], operation["path"]
        if kind in ("add", "replace") and "value" in operation:
            document = _put(document, _tokens(path), copy.deepcopy(operation["value"]))
        elif kind == "remove":
            document = _put(document, _tokens(path), _REMOVED)
        elif kind in ("move", "copy") and isinstance(operation.get("from"), str):
            found = _get(document, _tokens(operation["from"]))
            if found is not _MISSING:
                if kind == "move":
                    document = _put(document, _tokens(operation["from"]), _REMOVED)
                document = _put(document, _tokens(path), copy.deepcopy(found))
    return document


_MISSING, _REMOVED = object(), object()


def _tokens(pointer: str) -> list[str]:
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer.split("/")[1:]] if pointer else []


def _step(holder, token: str, create: bool):
    """The key or index `token` names in `holder`, or _MISSING."""
    if isinstance(holder, dict):
        return token if token in holder or create else _MISSING
    if isinstance(holder, list):
        if token.startswith("@") and "==" in token:  # a selector: the item whose field has the value
            field, _, value = token[1:].partition("==")
            value = value.strip("'\"")
            return next((i for i, item in enumerate(holder) if isinstance(item, dict) and str(item.get(field)) == value),
                        _MISSING)
        if token == "-" and create:
            return len(holder)
        return int(token) if token.isdigit() and int(token) < len(holder) + create else _MISSING
    return _MISSING


def _get(document, tokens: list[str]):
    for token in tokens:
        step = _step(document, token, create=False)
        if step is _MISSING:
            return _MISSING
        document = document[step]
    return document


def _put(document, tokens: list[str], value):
    """`document` with `value` at `tokens` (the whole document for none); _REMOVED takes it out."""
    if not tokens:
        return None if value is _REMOVED else value
    holder = document
    for token in tokens[:-1]:
        step = _step(holder, token, create=isinstance(holder, dict))
        if step is _MISSING:
            return document
        if isinstance(holder, dict) and not isinstance(holder.get(step), (dict, list)):
            holder[step] = {}  # an `add` below a field not there yet
        holder = holder[step]
    step = _step(holder, tokens[-1], create=value is not _REMOVED)
    if step is _MISSING:
        return document
    if value is _REMOVED:
        del holder[step]
    elif isinstance(holder, list) and step == len(holder):
        holder.append(value)
    else:
        holder[step] = value
    return document


def unbatched(body):
    """A batch envelope's one item (`{"Contacts": [{...}]}` -> `{...}`), else `body` as it is."""
    key = batch_key(body)
    return body[key][0] if key is not None and len(body[key]) == 1 else body


def batch_key(body) -> str | None:
    """The key of a batch envelope: a body whose one field is a list of objects."""
    if isinstance(body, dict) and len(body) == 1:
        key, value = next(iter(body.items()))
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            return key
    return None


def versioned(kept_answer, body, sent: dict, answer) -> None:
    """Optimistic concurrency, where a resource keeps a whole-number `version` (Square's customers, orders and
    catalog objects): a change `body` naming another version than the one kept was written over a change it never
    saw, and is refused (`version_mismatch`, 409, in the API's own error form); one that goes through gives the
    changed resource (`sent`, `answer`, in place) the next version. Left as kept, every update answered the
    version it was sent, and one sending a stale version overwrote the newer resource."""
    from ..domain.errors import SandboxError

    now = _version_of(kept_answer)
    if now is None:
        return
    asked = _version_of(body, text=True)
    if asked is not None and asked != now[1]:
        raise SandboxError("version_mismatch", f"the version sent, {asked}, is not the resource's, {now[1]}",
                           field=now[0])
    for holder in (sent, answer):
        found = _version_of(holder, holders=True)
        for place, key in found or ():
            place[key] = now[1] + 1


def _version_of(body, text: bool = False, holders: bool = False):
    """(name, whole number) of `body`'s `version`, at its top or in an object it holds (a
    form's digits too, with `text`); with `holders`, each (object, name) that holds one. None where none does."""
    places = [body] + [value for value in body.values() if isinstance(value, dict)] if isinstance(body, dict) else []
    found = []
    for place in places:
        for key, value in place.items():
            if str(key).lower() != "version" or isinstance(value, bool):
                continue
            if isinstance(value, int) or text and isinstance(value, str) and value.isdigit():
                found.append((place, key, int(value)))
    if holders:
        return [(place, key) for place, key, _ in found] or None
    if not found:
        return None
    return found[0][2] if text else (found[0][1], found[0][2])
