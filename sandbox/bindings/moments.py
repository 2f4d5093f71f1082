"""When a kept resource was made and last changed: the moments its answer carries are the sandbox clock's.

A drawn answer's `created`/`created_at` is a random moment of the sandbox's day, so three payments made one
after the other were dated out of order, and a connector syncing "created since my last run" (`created[gte]`)
or "updated since" missed some and saw others twice. A creation's answer carries the moment it was made, a
change's or an action's the moment it changed, each written in the form the field was drawn in (epoch
seconds or milliseconds, RFC 3339 text with its offset or `Z`, with or without milliseconds, a day).
What the client sent stays as sent (an import that dates its own records).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .about import _bare

# (with the verb's stem as well: PayPal's `create_time`/`update_time`, `createDate`, `lastUpdateTime`)
_MADE = frozenset(("created", "createdat", "createdon", "createdtime", "createddate", "createddatetime", "creationdate",
                   "creationtime", "creationdatetime", "datecreated", "timecreated", "createdtimestamp", "insertedat",
                   "occurredat", "occurredon", "createtime", "createdate", "createdatetime", "createtimestamp"))
_CHANGED = frozenset(("updated", "updatedat", "updatedon", "updatedtime", "updateddate", "modified", "modifiedat",
                      "modifiedon", "lastmodified", "lastmodifiedat", "lastmodifieddate", "lastmodifiedtime",
                      "lastupdated", "lastupdatedat", "datemodified", "dateupdated", "timeupdated", "updatetime",
                      "updatedate", "updatedatetime", "updatetimestamp", "lastupdatetime", "lastupdatedate",
                      "modifytime", "modifydate", "lastmodifytime"))

# When what was made stops being good (a payment link's or a session's `expiresAt`, Stripe's `expires_at`).
_EXPIRES = frozenset(("expires", "expiresat", "expireat", "expiresattime", "expiry", "expirydate", "expirytime",
                      "expirationdate", "expirationtime", "expirationdatetime", "expirestime", "validuntil",
                      "expiretime", "expiredate"))


def stamp(answer, sent, now: str | None, made: bool) -> None:
    """Write `now` (the request's sandbox moment, RFC 3339) into `answer`'s moments, in place: those of its
    making and of its last change for a creation (`made`), those of its last change otherwise; at its top and
    in its envelope (`{"data": {...}}`). A creation's expiry that is not after `now` (an example's of years ago:
    Adyen's payment link `active`, `expiresAt: 2022-10-28T09:16:22Z`) is as long after it as the drawn expiry
    was after the drawn making, else a day."""
    if not isinstance(answer, dict) or not now:
        return
    moment = datetime.fromisoformat(now)
    names = _MADE | _CHANGED if made else _CHANGED
    for node, given in _levels(answer, sent):
        lifetime = _lifetime(node) if made else None
        for key, value in node.items():
            if _bare(key) in names and key not in given and value is not None:
                node[key] = _like(value, moment)
            elif lifetime is not None and _bare(key) in _EXPIRES and key not in given and value is not None \
                    and (ends := _read(value)) is not None and ends <= moment:
                node[key] = _like(value, moment + lifetime)


def _lifetime(node: dict) -> timedelta:
    """How long after its making a drawn resource expires: its drawn expiry after its drawn making, else a day."""
    made = next((found for key, value in node.items() if _bare(key) in _MADE and (found := _read(value)) is not None), None)
    ends = next((found for key, value in node.items() if _bare(key) in _EXPIRES and (found := _read(value)) is not None), None)
    return ends - made if made is not None and ends is not None and ends > made else timedelta(days=1)


def _read(value) -> datetime | None:
    """A drawn moment as a moment (epoch seconds or milliseconds, RFC 3339 text), or None."""
    try:
        if isinstance(value, int) and not isinstance(value, bool) and value > 10**8:
            return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, timezone.utc)
        if isinstance(value, str) and "T" in value:
            found = datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
            return found if found.tzinfo is not None else found.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def dated_as_kept(answer, kept: list, created_at: str | None) -> None:
    """Write `created_at`, when a kept resource was kept first, into the moments of its making `answer` (its
    read, or its item on a page) holds where none of `kept` (what was sent to make it, its kept answer) says
    them, in place: the creation answered none (Paystack's `POST /transaction/initialize` answers no
    `createdAt`), and its reads and listings said a drawn moment, another on each."""
    if not isinstance(answer, dict) or not created_at:
        return
    moment = datetime.fromisoformat(created_at)
    said = {key for source in kept if isinstance(source, dict) for node, _ in _levels(source, {}) for key in node}
    for node, _ in _levels(answer, {}):
        for key, value in node.items():
            if _bare(key) in _MADE and key not in said and value is not None:
                node[key] = _like(value, moment)


def made_moments(answer) -> dict:
    """The moments of `answer`'s making (at its top and in its envelope), for a replay to answer as first."""
    found = {}
    for node, _ in _levels(answer, {}):
        found.update({key: value for key, value in node.items() if _bare(key) in _MADE})
    return found


def restamped(answer, moments: dict) -> None:
    """Put `moments` (made_moments of the kept answer) back in `answer`, in place, where it has those fields."""
    for node, _ in _levels(answer, {}):
        for key in node.keys() & moments.keys():
            node[key] = moments[key]


def _levels(answer: dict, sent):
    """(an object holding the resource's fields, the names the client sent there): the answer's top, and the
    object it holds its resource in (one object-valued field beside no id)."""
    given = sent if isinstance(sent, dict) else {}
    yield answer, given
    inner = [key for key, value in answer.items() if isinstance(value, dict)]
    if "id" not in answer and len(inner) == 1:
        yield answer[inner[0]], given.get(inner[0]) if isinstance(given.get(inner[0]), dict) else given


def _like(drawn, moment: datetime):
    """`moment` written as `drawn` was: the same kind and form, so the answer still fits its schema."""
    if isinstance(drawn, bool):
        return drawn
    if isinstance(drawn, int):
        seconds = int(moment.timestamp())
        return seconds * 1000 if drawn > 10**11 else seconds if drawn > 10**8 else drawn
    if not isinstance(drawn, str):
        return drawn
    text = drawn.strip()
    if len(text) == 10 and text[4:5] == "-":
        return moment.date().isoformat()
    if "T" not in text and " " not in text:
        return drawn  # not a moment (a label, a sentence)
    fraction = "milliseconds" if "." in text.split("T")[-1] else "seconds"
    if text.endswith(("Z", "z")):
        return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec=fraction) + "Z"
    if text.endswith(("+00:00", "-00:00")):  # in UTC, as drawn (an example at a zero offset): not at +09:00
        return moment.astimezone(timezone.utc).isoformat(timespec=fraction)
    if text[-6:-5] in ("+", "-") and text[-3:-2] == ":":
        return moment.isoformat(timespec=fraction)
    return moment.replace(tzinfo=None).isoformat(timespec=fraction)
