"""When a kept resource was made and last changed: the moments its answer carries are the sandbox clock's.

A drawn answer's `created`/`created_at` is a random moment of the sandbox's day, so three payments made one
after the other were dated out of order, and a connector syncing "created since my last run" (`created[gte]`)
or "updated since" missed some and saw others twice. A creation's answer carries the moment it was made, a
change's or an action's the moment it changed, each written in the form the field was drawn in (epoch
seconds or milliseconds, RFC 3339 text with its offset or `Z`, with or without milliseconds, a day).
What the client sent stays as sent (an import that dates its own records).
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

from .names import _bare
from .fallback import deref

# (with the verb's stem as well: PayPal's `create_time`/`update_time`, `createDate`, `lastUpdateTime`)
_MADE = frozenset(("created", "createdat", "createdon", "createdtime", "createddate", "createddatetime", "creationdate",
                   "creationtime", "creationdatetime", "datecreated", "timecreated", "createdtimestamp", "insertedat",
                   "occurredat", "occurredon", "createtime", "createdate", "createdatetime", "createtimestamp"))
_CHANGED = frozenset(("updated", "updatedat", "updatedon", "updatedtime", "updateddate", "modified", "modifiedat",
                      "modifiedon", "lastmodified", "lastmodifiedat", "lastmodifieddate", "lastmodifiedtime",
                      "lastupdated", "lastupdatedat", "datemodified", "dateupdated", "timeupdated", "updatetime",
                      "updatedate", "updatedatetime", "updatetimestamp", "lastupdatetime", "lastupdatedate",
                      "modifytime", "modifydate", "lastmodifytime",
                      # (of its state: UK Open Banking's `StatusUpdateDateTime`, drawn hours before the consent was made)
                      "statusupdatedatetime", "statusupdatedat", "statusupdatetime", "statusupdateddatetime",
                      "statuschangedat", "statuschangedatetime"))

# When what was made stops being good (a payment link's or a session's `expiresAt`, Stripe's `expires_at`).
_EXPIRES = frozenset(("expires", "expiresat", "expireat", "expiresattime", "expiry", "expirydate", "expirytime",
                      "expirationdate", "expirationtime", "expirationdatetime", "expirestime", "validuntil",
                      "expiretime", "expiredate"))


def _moment_name(key) -> str:
    """A field's bare name without the zone or the form its moment is written in (Xero's `UpdatedDateUTC` and
    `UpdatedDateUTCString` are `updateddate`: a creation answered the example's moments of 2019 in both)."""
    return re.sub(r"(?<=.)(?:utc|gmt)?(?:string|text)?$", "", _bare(key))


def stamp(answer, sent, now: str | None, made: bool, said: frozenset = frozenset()) -> None:
    """Write `now` (the request's sandbox moment, RFC 3339) into `answer`'s moments, in place: those of its
    making and of its last change for a creation (`made`), those of its last change otherwise; at its top and
    in its envelope (`{"data": {...}}`). A creation's expiry that is not after `now` (an example's of years ago:
    Adyen's payment link `active`, `expiresAt: 2022-10-28T09:16:22Z`) is as long after it as the drawn expiry
    was after the drawn making, else a day. Fields of other names that its schema `said` are the moment it was
    made (`said_made`) are moments of its making too."""
    if not isinstance(answer, dict) or not now:
        return
    moment = datetime.fromisoformat(now)
    names = _MADE | _CHANGED if made else _CHANGED
    for node, given in _levels(answer, sent):
        lifetime = _lifetime(node) if made else None
        if made:
            _moved_with(node, given, moment)
            _not_behind(node, given, moment)
        for key, value in node.items():
            if (_moment_name(key) in names or made and key in said) and key not in given and value is not None:
                node[key] = _like(value, moment)
            elif lifetime is not None and _bare(key) in _EXPIRES and key not in given and value is not None \
                    and (ends := _read(value)) is not None and ends <= moment:
                node[key] = _like(value, moment + lifetime)


# A description saying its moment is when the resource was made ("The timestamp of when the checkout was created.",
# "Date and time of creation"), not one measured from its making ("Expires 30 minutes after it was created").
_SAID_MADE = re.compile(r"^\W*(?:the\s+)?(?:date|time|timestamp|moment|instant|datetime|date-time)\b[^.]*?"
                        r"\b(?:created|creation|made)\b", re.IGNORECASE)
_SAID_OTHERWISE = re.compile(r"\b(?:after|before|until|since|expir\w*|updated|modified|changed)\b", re.IGNORECASE)


def said_made(spec: dict, schema) -> frozenset:
    """The names of the moments of `schema` (a creation's answer: at its top and one object down) whose description
    says each is the moment the resource was made, under a name that does not (SumUp's checkout `date`, "The
    timestamp of when the checkout was created.", answered, and read back, its example's 2020-02-29T10:56:56)."""
    from .mirror import Mirror

    mirror = Mirror(spec, schema)
    found, nodes = set(), [mirror.root]
    nodes += [mirror.field(mirror.root, key) for key in ((mirror.root or {}).get("properties") or {})] \
        if isinstance(mirror.root, dict) else []
    for node in (node for node in nodes if isinstance(node, dict)):
        for key in node.get("properties") or {}:
            field = mirror.field(node, key) or {}
            said = str(field.get("description") or "")
            if field.get("format") in ("date-time", "date") and _SAID_MADE.search(said) \
                    and not _SAID_OTHERWISE.search(said):
                found.add(key)
    return frozenset(found)


# The moment an answer was made, named for the request it answers or for the answer itself (Brazil's
# `meta.requestDateTime` on every answer, a `responseDateTime`, a `serverTime`), or for the API's request
# (Straddle's `meta.api_request_timestamp`).
_ANSWERED = frozenset(("requestdatetime", "requesttime", "requesttimestamp", "requestedat", "responsedatetime",
                       "responsetime", "responsetimestamp", "respondedat", "servertime", "serverdatetime"))


# What a refusal's moment at its top says, bare: when it was refused, as no resource's can (India's Account
# Aggregator's `timestamp` beside `errorCode`; a Spring Boot error's `timestamp` beside `status`).
_REFUSED = frozenset(("timestamp", "time", "datetime", "errortime", "errortimestamp"))


def answered_at(answer, now: str | None, fits, refused: bool = False) -> None:
    """Write `now` into the moments of `answer` (in place), at its top or one object down (its `meta`), that say
    when it answered (`_ANSWERED`; a refusal's `_REFUSED` at its top too), each in the form it was drawn in, where
    the answer still `fits`: every answer of Brazil's APIs, refusals too, said the example's `2021-05-21T08:30:00Z`,
    and India's Account Aggregator refused with its example's `timestamp` of 2023."""
    if not isinstance(answer, dict) or not now:
        return
    moment = datetime.fromisoformat(now)
    for node in (answer, *(value for value in answer.values() if isinstance(value, dict))):
        for key, drawn in list(node.items()):
            name = _moment_name(key)
            named = name in _ANSWERED or name.startswith("api") and name[3:] in _ANSWERED \
                or refused and node is answer and name in _REFUSED
            if named and isinstance(drawn, (str, int)) and not isinstance(drawn, bool):
                node[key] = _like(drawn, moment)
                if not fits(answer):
                    node[key] = drawn


def _moved_with(node: dict, given, moment: datetime) -> None:
    """Move the other moments of a resource just made (`node`), but those its client sent (`given`), by as long as
    its drawn making is before `moment`, in place: they keep their places in its life (Lago's subscription made
    today answered the example's `ending_at` and `current_billing_period_ending_at` of 2022, before it started;
    moved, they are a month and two after it). Moments already `moment` (a start or a state the creation set),
    those drawn for the sandbox's days (`fallback._moment`: the day before, within two days of it; beside an
    example's making of 2024, UK Open Banking's
    `StatusUpdateDateTime` was moved years ahead), and expiries (`stamp`) stay. Where it says nothing of its
    making, its drawn last change stands for it (Xero's `UpdatedDateUTC`); the day it is dated (`_DATED`), unsent,
    is the day it was made."""
    drawn = next((found for names in (_MADE, _CHANGED) for key, value in node.items()
                  if _moment_name(key) in names and key not in given and (found := _read(value)) is not None), None)
    if drawn is None or drawn >= moment:
        return
    for key, value in node.items():
        bare = _moment_name(key)
        if key in given or bare in _MADE or bare in _CHANGED or bare in _EXPIRES or not _named_moment(key):
            continue
        found = _read(value)
        if found is not None and bare in _DATED:  # the day it is dated, unsent: the day it was made
            node[key] = _like(value, moment)
        elif found is not None and abs(found - moment) >= timedelta(days=2):  # (a day by as many days as its making)
            node[key] = _like(value, found + (moment.date() - drawn.date() if _is_day(value) else moment - drawn))


# Words of a moment still ahead of a resource when it is made: what it is to go through (Brex's transfer
# `process_date`, `estimated_delivery_date`), or what is planned, expected or due of it.
_AHEAD = ("estimated", "expected", "scheduled", "planned", "due", "process", "deliver", "arriv", "settle",
          "execut", "available", "payout")


def _not_behind(node: dict, given, moment: datetime) -> None:
    """The moments of a resource just made (`node`) still ahead of it (`_AHEAD`), unsent and drawn before `moment`,
    its making, are `moment`, in place: Brex's transfer made today was answered, and read back, processed and
    estimated delivered on days before it was made (drawn for the sandbox's days, which are behind it)."""
    for key, value in node.items():
        bare = _moment_name(key)
        if key in given or bare in _MADE or bare in _CHANGED or bare in _EXPIRES or not _named_moment(key) \
                or not any(word in bare for word in _AHEAD) or (found := _read(value)) is None:
            continue
        if (found.date() < moment.date()) if _is_day(value) else found < moment:
            node[key] = _like(value, moment)


def dated_as_sent(drawn, body, sent, fits):
    """`body`, a creation's answer, with the days and moments its client did not send moved by as long as the day
    it sent as the one the resource is dated (`_DATED`: `issue_date`) is after the drawn one (`drawn`: the answer
    before what was sent was put in it), where it says nothing of its making or last change (which `stamp` moves
    them with): they keep their places beside it. freee's deal issued on a day of 2026 was due on its example's
    2019-12-17, years before; it is due as long after its issue as the example's was. Where it still `fits`."""
    if not isinstance(drawn, dict) or not isinstance(body, dict) or not isinstance(sent, dict):
        return body
    candidate = copy.deepcopy(body)
    for node, given in _levels(candidate, sent):
        before = drawn if node is candidate else drawn.get(next(key for key, value in candidate.items() if value is node))
        if not isinstance(before, dict) or any(_moment_name(key) in _MADE | _CHANGED and value is not None
                                               for key, value in node.items()):
            continue
        dated = next((key for key in node if _moment_name(key) in _DATED and key in given), None)
        was, now = (_read(before.get(dated)), _read(node.get(dated))) if dated is not None else (None, None)
        if was is None or now is None or was == now:
            continue
        for key, value in node.items():
            bare = _moment_name(key)
            if key not in given and _named_moment(key) and bare not in _EXPIRES \
                    and (found := _read(value)) is not None:
                node[key] = _like(value, found + (now - was))
    return candidate if candidate != body and fits(candidate) else body


# The moment a document is dated (Xero's invoice `Date` and `DateString`), unsent: when it was made. Where the
# resource says nothing of its making but when it last changed (`UpdatedDateUTC`), that drawn moment is its
# drawn making: Xero's invoice made today without a `Date` was dated the example's 2019-03-11, due 2018-12-10.
_DATED = frozenset(("date", "issuedate", "issuedon", "dateissued", "documentdate"))


def _lifetime(node: dict) -> timedelta:
    """How long after its making a drawn resource expires: its drawn expiry after its drawn making, else a day."""
    made = next((found for key, value in node.items() if _moment_name(key) in _MADE and (found := _read(value)) is not None),
                None)
    ends = next((found for key, value in node.items() if _bare(key) in _EXPIRES and (found := _read(value)) is not None), None)
    return ends - made if made is not None and ends is not None and ends > made else timedelta(days=1)


def _named_moment(key) -> bool:
    """Whether a field's name ends in a moment's word (`due_date`, `paid_at`, `voidedOn`), a word of two letters
    (`at`, `on`) only as a word of its own: a resource's `api_version` is no moment (its day was moved as one)."""
    bare = _moment_name(key)
    if not bare.endswith(_MOMENT_ENDS):
        return False
    return not bare.endswith(("at", "on")) or bare in ("at", "on") \
        or re.search(r"(?:[_\-\s](?:at|on)|At|On|AT|ON)$", str(key)) is not None


def _is_day(value) -> bool:
    return isinstance(value, str) and _DAY.fullmatch(value.strip()) is not None


def _read(value) -> datetime | None:
    """A drawn moment as a moment (epoch seconds or milliseconds, RFC 3339 text, Microsoft's `/Date(ms)/`), or None."""
    try:
        ms_date = _MS_DATE.fullmatch(value.strip()) if isinstance(value, str) else None
        if ms_date is not None:  # Microsoft's JSON date (`/Date(1552262400000+0000)/`: the offset is how it is shown)
            return datetime.fromtimestamp(int(re.search(r"-?\d+", value).group()) / 1000, timezone.utc)
        if isinstance(value, int) and not isinstance(value, bool) and value > 10**8:
            return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, timezone.utc)
        if isinstance(value, str) and _RFC_2822.fullmatch(value.strip()):
            return parsedate_to_datetime(value.strip())
        if isinstance(value, str) and "T" in value:
            found = datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
            return found if found.tzinfo is not None else found.replace(tzinfo=timezone.utc)
        if _is_day(value):  # a day, at its start (freee's `due_date`)
            return datetime.fromisoformat(value.strip()).replace(tzinfo=timezone.utc)
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
            if _moment_name(key) in _MADE and key not in said and value is not None:
                node[key] = _like(value, moment)


def made_moments(answer) -> dict:
    """The moments of `answer`'s making (at its top and in its envelope), for a replay to answer as first."""
    found = {}
    for node, _ in _levels(answer, {}):
        found.update({key: value for key, value in node.items() if _moment_name(key) in _MADE})
    return found


def restamped(answer, moments: dict) -> None:
    """Put `moments` (made_moments of the kept answer) back in `answer`, in place, where it has those fields."""
    for node, _ in _levels(answer, {}):
        for key in node.keys() & moments.keys():
            node[key] = moments[key]


def _levels(answer: dict, sent):
    """(an object holding the resource's fields, the names the client sent there): the answer's top, and the
    object it holds its resource in (one object-valued field beside no id, or its `data` beside others: UK Open
    Banking's `Data` beside `Risk`, `Links` and `Meta`, whose `CreationDateTime` was the example's of 2024)."""
    given = sent if isinstance(sent, dict) else {}
    yield answer, given
    inner = [key for key, value in answer.items() if isinstance(value, dict)]
    inner = [key for key in inner if str(key).lower() == "data"] if len(inner) > 1 else inner
    if "id" not in answer and len(inner) == 1:
        yield answer[inner[0]], given.get(inner[0]) if isinstance(given.get(inner[0]), dict) else given


_MS_DATE = re.compile(r"/Date\(-?\d+([+-]\d{4})?\)/")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 2822's date-time (`Thu, 24 Aug 2023 05:01:45 +0000`): written as an ISO local time, without its zone, a
# creation's moments were read as no date by the SDKs that parse them so (Twilio's gave `date_created` None).
_RFC_2822 = re.compile(r"(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UT)")


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
    if _MS_DATE.fullmatch(text):  # Microsoft's JSON date (Xero's `/Date(1552953600000+0000)/`)
        return f"/Date({int(moment.timestamp() * 1000)}{'+0000' if _MS_DATE.fullmatch(text)[1] else ''})/"
    if len(text) == 10 and text[4:5] == "-":
        return moment.date().isoformat()
    if _RFC_2822.fullmatch(text):  # e-mail's and HTTP's form (Twilio's `date_created`, `format: date-time-rfc-2822`)
        return format_datetime(moment.astimezone(timezone.utc), usegmt=text.endswith("GMT"))
    if "T" not in text and " " not in text:
        return drawn  # not a moment (a label, a sentence)
    fraction = "milliseconds" if "." in text.split("T")[-1] else "seconds"
    if text.endswith(("Z", "z")):
        return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec=fraction) + "Z"
    if text.endswith(("+00:00", "-00:00")):  # in UTC, as drawn (an example at a zero offset): not at +09:00
        return moment.astimezone(timezone.utc).isoformat(timespec=fraction)
    if text[-6:-5] in ("+", "-") and text[-3:-2] == ":":  # (at the drawn moment's offset: one answer, one zone)
        zone = _read(text)
        return (moment.astimezone(zone.tzinfo) if zone is not None and moment.tzinfo is not None
                else moment).isoformat(timespec=fraction)
    return moment.replace(tzinfo=None).isoformat(timespec=fraction)


# Endings of a moment's name (`terminated_at`, `canceledAt`, `voided_on`, `paid_date`, `closed_time`).
_MOMENT_ENDS = ("timestamp", "datetime", "date", "time", "at", "on")
# Past forms of states not made with -ed (`paid_at`, `sent_at`, `frozen_at`).
_PAST = frozenset(("paid", "sent", "frozen", "held", "withdrawn", "begun", "done"))


def state_word(key) -> str | None:
    """The state a moment is named for (`terminated_at` -> `terminated`, `canceledAt`, `voided_on`, `paid_at`):
    a past form before a moment's ending; None for any other name, and for the moments of making and change."""
    bare = _bare(key)
    if bare in _MADE or bare in _CHANGED:
        return None
    if bare.startswith("date") and (bare[4:].endswith("ed") or bare[4:] in _PAST) and len(bare) > 7:
        return bare[4:]  # (the moment's word first: Twilio's `date_sent`)
    for end in _MOMENT_ENDS:
        word = bare[:-len(end)]
        # (a moment said in words, Xero's `FullyPaidOnDate`: `fully paid on` a date is `paid`)
        word = word.removeprefix("fully").removesuffix("on") if end in ("date", "datetime") else word
        if bare.endswith(end) and len(word) > 3 and (word.endswith("ed") or word in _PAST):
            return word
    return None


# A reason, code or message told only of a resource in one state, by the state's noun or its past form first
# (Stripe's `failure_code`, `failure_message` and `cancellation_reason`; `failed_reason`, `decline_reason`).
_REASON_ENDS = ("reason", "code", "message")
_STATE_NOUNS = {"failure": "failed", "decline": "declined", "cancellation": "cancelled", "cancel": "cancelled",
                "rejection": "rejected", "refusal": "refused", "reversal": "reversed", "return": "returned"}


def reason_word(key) -> str | None:
    """The state a reason is told of (`failure_code` -> `failed`, `cancellation_reason` -> `cancelled`,
    `failed_reason` -> `failed`, by a verb that leaves a resource in a state: `closeReason` -> `closed`,
    `freezeReason` -> `frozen`), or None."""
    from .states import participle

    bare = _bare(key)
    if bare in _STATE_NOUNS and bare != "return":  # (or the state's noun alone, Brazil's consent `rejection`)
        return _STATE_NOUNS[bare]
    for end in _REASON_ENDS:
        head = bare[:-len(end)] if bare.endswith(end) else None
        if head in _STATE_NOUNS:
            return _STATE_NOUNS[head]
        if head and len(head) > 3 and (head.endswith("ed") or head in _PAST):
            return head
        if head and participle(head) is not None:
            return participle(head)
    return None


def names_state(word: str, state) -> bool:
    """Whether a moment's state word names `state` (`canceled` names `cancelled`, `voided` names `void`,
    `completed` names `COMPLETE`, `authorized` names `authorised`)."""
    def norm(text):
        return re.sub(r"(.)\1", r"\1", _bare(text).replace("z", "s"))
    stem = word[:-2] if word.endswith("ed") else word
    if len(str(state)) == 4 and str(state).isalpha() and str(state).isupper():  # an ISO 20022 code abbreviates it:
        return re.fullmatch(".*?".join(map(re.escape, str(state).lower())) + ".*", word) is not None  # RJCT, rejected
    return norm(state) in {norm(word), norm(stem), norm(stem + "e")}


def reached(holder: dict, node, mirror, words: list, now: str | None) -> None:
    """Write `now` into the moments of `holder` (in place; `node`: its schema, read through `mirror`, mirror.Mirror)
    named for what an action left it in (`words`: the state it entered, the verb's past form): Lago's terminated
    subscription kept the example's `terminated_at`, a moment years before it was made. Asked only when the
    state changed (one reached before keeps its moment); one an object of moments holds (Stripe's
    `status_transitions.voided_at`) is written too."""
    if not now or not words:
        return
    moment = datetime.fromisoformat(now)
    for inner, schema in _with_moments(holder, node, mirror):
        declared = (schema or {}).get("properties") or {}
        for key in [*inner, *(key for key in declared if key not in inner)]:
            word = state_word(key)
            if word is not None and any(names_state(word, said) for said in words if said):
                inner[key] = _like(inner[key], moment) if inner.get(key) is not None \
                    else _written_beside(inner, key, mirror.field(schema, key), moment)


def unreached(holder: dict, node, mirror, state, sent, now: str | None) -> None:
    """A resource just made in a state (`state`: its field and value) has not reached its enum's others: the moments
    of `holder` (`node`: its schema) named for one of those are null where their schema takes null, else left
    out where not required (Lago's new subscription answered the example's `canceled_at` and `terminated_at`);
    one named for the state it is in is `now`. A reason told of a state the enum does not name (a cancellation's,
    beside `FAILED` alone) is the reason of an end it has not reached either, unless it is in such an end. What the
    client sent stays as sent; in place."""
    from .states import withdrawn_state

    moment = datetime.fromisoformat(now) if now else None
    sent = sent if isinstance(sent, dict) else {}
    states = [value for value in (mirror.field(node, state[0]) or {}).get("enum") or () if isinstance(value, str)]
    # (a reason told of a state its enum does not name, as such, is told of an end that groups it: Brex's transfer
    # `cancellation_reason` beside `FAILED`, which covers its cancellation; until it ended so, it has none)
    ended = withdrawn_state([state[1]]) is not None or any(names_state(word, state[1]) for word in _STATE_NOUNS.values())
    for inner, schema in _with_moments(holder, node, mirror):
        for key in list(inner):
            word = state_word(key) or (reason_word(key) if inner is holder else None)
            if word is None or key in sent:
                continue
            grouped = not any(names_state(word, value) for value in states)
            if grouped and (ended or state_word(key) is not None or not states or inner[key] is None):
                continue
            if grouped:  # (left out where it may be: its null may be declared beside an enum that takes none)
                if key not in ((schema or {}).get("required") or ()):
                    del inner[key]
                elif nullable(mirror, schema, key):
                    inner[key] = None
            elif names_state(word, state[1]):
                if moment is not None and inner[key] is not None and state_word(key) is not None:
                    inner[key] = _like(inner[key], moment)
            elif nullable(mirror, schema, key):
                inner[key] = None
            elif key not in ((schema or {}).get("required") or ()):
                del inner[key]


def told_of_unreached(key, state, states: list) -> bool:
    """Whether `key` is a reason (`reason_word`) told of a state other than `state`, the one its resource is in (of
    `states`, its enum): of another of them, or of one they do not name (a cancellation's, beside `FAILED` alone)
    where it is in no end such a reason could tell of."""
    from .states import withdrawn_state

    word = reason_word(key)
    if word is None or not isinstance(state, str) or names_state(word, state):
        return False
    if any(names_state(word, value) for value in states):
        return True
    return withdrawn_state([state]) is None and not any(names_state(noun, state) for noun in _STATE_NOUNS.values())


def unflagged(holder: dict, node, mirror, sent) -> None:
    """A new resource whose flag says it has not done something (`captured: false`, `refunded: false`) has no moment
    named for it (`captured_at`, `refunded_at`): null where its schema takes null, else left out where not required;
    what the client sent stays as sent; in place. Drawn apart, Stripe's charge held for a capture said when it was
    captured."""
    sent = sent if isinstance(sent, dict) else {}
    flags = [key for key, value in holder.items() if value is False]
    for inner, schema in _with_moments(holder, node, mirror):
        for key in list(inner):
            word = state_word(key)
            if word is None or key in sent or inner[key] is None or not any(
                    names_state(word, flag) or _bare(flag) in (f"is{word}", f"has{word}") for flag in flags):
                continue
            if nullable(mirror, schema, key):
                inner[key] = None
            elif key not in ((schema or {}).get("required") or ()):
                del inner[key]


def _with_moments(holder: dict, node, mirror):
    """(an object, its schema) holding a resource's moments: the resource itself, and each object of its made of
    nothing but moments (Stripe's `status_transitions`) or named for a state's noun, the record of that state
    (Brazil's Pix payment `cancellation: {reason, cancelledAt, cancelledBy}`)."""
    yield holder, node
    for key, value in holder.items():
        if isinstance(value, dict) and value and (_bare(key) in _STATE_NOUNS or all(
                any(_bare(name).endswith(end) for end in _MOMENT_ENDS) for name in value)):
            yield value, mirror.field(node, key)


def nullable(mirror, node, key) -> bool:
    """Whether the schema `node` declares for `key` takes null (read as declared: mirror.Mirror reads a nullable
    reference as its one branch)."""
    return _takes_null(mirror.field(node, key)) or _takes_null(deref(mirror.spec, ((node or {}).get("properties") or {}).get(key)))


def _takes_null(schema) -> bool:
    if not isinstance(schema, dict):
        return False
    return bool(schema.get("nullable")) or schema.get("type") == "null" or any(
        _takes_null(branch) for branch in (schema.get("anyOf") or schema.get("oneOf") or ()))


def _written_beside(holder: dict, key, schema, moment: datetime):
    """`moment` for `holder[key]`, which held none: written as another moment of `holder` of the same kind of
    schema is (its zone and fraction of a second), else as its schema declares (`_written`). Written apart,
    PAY.JP's payment flow cancelled said `canceled_at` in UTC beside a `created_at` at +09:00 with milliseconds:
    one resource's moments in two forms."""
    schema = schema if isinstance(schema, dict) else {}
    beside = None
    if schema.get("format") == "date-time":
        beside = next((value for name, value in holder.items() if name != key and isinstance(value, str)
                       and "T" in value and (_bare(name) in _MADE | _CHANGED or state_word(name) is not None)
                       and _read(value) is not None), None)
    return _like(beside, moment) if beside is not None else _written(schema, moment)


def _written(schema, moment: datetime):
    """`moment` in the form a moment's schema declares: epoch seconds for a number, a day for `format: date`, else
    RFC 3339 in UTC."""
    schema = schema if isinstance(schema, dict) else {}
    kinds = [schema.get("type"), *((branch or {}).get("type") for branch in schema.get("anyOf") or ())]
    if "integer" in kinds or "number" in kinds:
        return int(moment.timestamp())
    if schema.get("format") == "date":
        return moment.date().isoformat()
    if "2822" in str(schema.get("format") or ""):  # (`date-time-rfc-2822`)
        return format_datetime(moment.astimezone(timezone.utc))
    if schema.get("x-is-msdate") is True:  # (as the draw writes them: fallback.py)
        return f"/Date({int(moment.timestamp() * 1000)}+0000)/"
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
