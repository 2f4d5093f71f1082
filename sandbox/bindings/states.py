"""The words of states and the verbs that lead to them: which state an action's verb leaves a resource in.

A published spec names an action by a verb in its path (`/payments/{id}/cancel`, `/cards/{id}/freeze`) and a
resource's states by an enum (`canceled`, `frozen`), in whatever tongue and spelling its authors use (Stripe's
`canceled`, PayPal's `CANCELLED`, `authorised` or `authorized`). The answers about kept resources
(remembered.py) ask here which of a resource's states a verb names, knowing nothing of specs:
words only.
"""

from __future__ import annotations

import re

from .names import _bare


# The states a resource withdrawn but still there is left in (`canceled`, `closed`, `revoked`, `voided`, ...).
WITHDRAWN = ("cancel", "void", "revok", "closed", "deleted", "removed", "inactive", "disabled", "deactivat", "archiv",
             "terminat", "withdrawn", "expir")


# Verbs whose state is not their stem and a suffix (`authorize` -> `authorized` or `authorised` is: z is s).
_IRREGULAR = {"freeze": "frozen", "unfreeze": "unfrozen", "send": "sent", "pay": "paid", "hold": "held",
              "withdraw": "withdrawn", "activate": "active", "reactivate": "active", "deactivate": "inactive"}


# Verbs that complete what they act on, and the states that say it succeeded (best first): a capture of an
# intent whose enum has no `captured` leaves it `succeeded` (Stripe's), of an order `COMPLETED` (PayPal's); a clearing of
# an authorization whose enum has no `cleared` leaves it `SETTLED` (Lithic's).
_COMPLETING = frozenset(("capture", "confirm", "complete", "execute", "settle", "pay", "clear"))
# Verbs that issue what was drafted (Stripe's invoice `finalize` leaves it `open` to be paid, not `paid`), and
# the states that say so.
_ISSUING = frozenset(("finalize", "finalise", "issue", "publish"))
_ISSUED = ("open", "issued", "published", "unpaid", "finalized", "finalised")
_SUCCEEDED = ("succeeded", "completed", "captured", "settled", "paid", "posted", "done", "charged")
# Verbs that undo a stop (`unfreeze`, `unblock`, `resume`), and the states that say it is back in service.
_STOPPING = frozenset(("freeze", "block", "lock", "suspend", "pause", "hold", "archive", "deactivate", "disable"))
_RESTORING = frozenset(("resume", "restore", "enable", "reenable", "reinstate", "reactivate"))
_IN_SERVICE = ("active", "enabled", "open", "ready", "live")
# Verbs that withdraw what they act on, and the states their resource is in where none is named for the verb: out of
# service, not ended by something else (`expired`, `closed`, `deleted` say another end).
_WITHDRAWING = frozenset(("cancel", "void", "revoke", "withdraw", "terminate"))
_OUT_OF_SERVICE = ("void", "revok", "withdrawn", "inactive", "disabled", "deactivat", "terminat")


# Verbs that switch a resource on or off, as a boolean flag says it (`enabled`, `active`, `disabled`).
SWITCHES = {"enable": True, "activate": True, "reactivate": True, "disable": False, "deactivate": False}

# Verbs that refuse what another verb grants, and the flags the granting verb leaves true (`decline` leaves an
# authorization `approved: false`, whatever its creation drew).
REFUSED = {"decline": ("approved", "accepted", "authorized", "authorised"), "reject": ("approved", "accepted"),
           "deny": ("approved", "granted"), "refuse": ("approved", "accepted")}


# States a resource passes through by itself, on its way, with no client action to move it (Twilio's message
# `queued`, then `sending`), and those it settles in, best first (`delivered`, which says `sent` too): where its
# enum holds one, a read after the settle time answers it so (remembered.as_settled). `pending` and `processing`
# are not among them: a client's action or the customer's often moves those (a verification's code, a capture);
# but work under way settles where its enum names that work done (`processing` -> `processed`: Brex's transfer).
_ON_ITS_WAY = ("queued", "sending")
_SETTLED = ("delivered", "sent", "succeeded", "completed")
_WORK_DONE = {"processing": "processed"}


def settled_states(state: str, states: list) -> list[str]:
    """The states a resource in `state` reaches by itself on its way to where it settles (`queued` of an enum
    holding `sent` and `delivered`: delivered, and sent on the way; `PROCESSING` of one holding `PROCESSED`),
    best first; none for a state not on its way or an enum with nowhere to settle."""
    done = _WORK_DONE.get(_bare(state)) if isinstance(state, str) else None
    if done is not None:
        return [value for value in states if isinstance(value, str) and _bare(value) == done][:1]
    if not isinstance(state, str) or _bare(state) not in _ON_ITS_WAY:
        return []
    held = {_bare(value): value for value in states if isinstance(value, str)}
    reached = [held[word] for word in _SETTLED if word in held]
    return reached[:1] + [word for word in reached[1:] if _SETTLED.index(_bare(word)) > _SETTLED.index(_bare(reached[0]))]


def participle(verb: str) -> str | None:
    """What a verb leaves a resource (`cancel` -> `canceled`, `approve` -> `approved`, `freeze` -> `frozen`), for
    the verbs that name a state (`_STATED`); None for any other."""
    if verb not in _STATED:
        return None
    return _IRREGULAR.get(verb) or (verb + "d" if verb.endswith("e") else verb[:-1] + "ied" if verb.endswith("y")
                                    else verb + "ed")


def verbs_of(segment: str) -> list[str]:
    """The verbs an action's path segment may be, itself first: a noun of the action names it too, as a list of
    such actions does (`captures` -> `capture`, `refunds`, `voids`, `authorizations` -> `authorize`,
    `cancellations` -> `cancel`, `activations` -> `activate`, `reversals` -> `reverse`, `settlements` -> `settle`).
    Only nouns of these endings, of a stem long enough to be one (`comments` is no `com`, `terminals` no `termin`)."""
    word = _bare(segment)
    one = word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    forms = [word, one]
    if one.endswith("ation") and len(one) > 8:
        stem = one[:-5]
        forms += [stem[:-1]] if stem[-1] == stem[-2] else []  # `cancellation`
        forms += [stem + "e", stem + "ate", stem]
    elif one in _NOUNS_IN_AL:
        forms.append(_NOUNS_IN_AL[one])
    elif one.endswith("ment") and len(one) > 7:
        forms.append(one[:-4])
    elif one.endswith("ing") and len(one) > 6:  # (`clearing` -> `clear`, `settling` -> `settle`)
        forms += [one[:-3], one[:-3] + "e"]
    elif one.endswith("ission") and len(one) > 8:  # (`submission` -> `submit`, `transmission` -> `transmit`)
        forms.append(one[:-5] + "t")
    # a verb written before the noun it acts on (`cancelTransfer`, `cancel-payments`: PolishAPI's `cancelPayments`)
    first = _bare(re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", str(segment))[0])
    if len(first) > 2 and first != word:
        forms.append(first)
    return list(dict.fromkeys(forms))


# Nouns of actions ending in -al, and their verbs (spelled out: `terminal` and `journal` are none).
_NOUNS_IN_AL = {"reversal": "reverse", "approval": "approve", "removal": "remove", "renewal": "renew",
                "withdrawal": "withdraw", "refusal": "refuse", "dismissal": "dismiss", "disposal": "dispose",
                "arrival": "arrive", "retrieval": "retrieve"}


def action_verb(segment: str, states: list) -> str:
    """The verb of an action's path segment (`verbs_of`) that names one of `states`, else the segment itself. A
    form read from a noun counts only as a verb that names a state (`capture` of `captures`): read by its stem,
    `payments` named an invoice's `PAYMENT_PENDING`."""
    forms = verbs_of(segment)
    return next((form for index, form in enumerate(forms) if (index == 0 or form in _STATED)
                 and verb_state(form, states) is not None), forms[0])


def past(verb: str) -> str:
    """What any verb says was done (`pause` -> `paused`, `ship` -> `shipped`, `send` -> `sent`): the word an event
    names an action by (`plan.paused`), whether or not it is a state."""
    if verb in _IRREGULAR and _IRREGULAR[verb] not in ("active", "inactive"):
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if re.fullmatch(r"[a-z]{1,2}[^aeiou][aeiou][^aeiouwxy]", verb):  # a short verb ending in one vowel and a
        return verb + verb[-1] + "ed"                                  # consonant doubles it (`stop`, `ship`)
    return verb + "ed"


# Verbs whose participle is a state a free-text status may be left in.
_STATED = frozenset(("cancel", "approve", "reject", "void", "close", "freeze", "suspend", "expire", "reverse",
                     "decline", "archive", "complete", "capture", "confirm", "settle", "pay", "send", "hold",
                     "refund", "authorize", "authorise", "finalize", "finalise", "lock", "block", "verify"))


def stated_verb(segment: str) -> str | None:
    """The verb a list of actions under a resource is named for (`verbs_of`: `authorisations` -> `authorise`,
    `captures` -> `capture`), where it is one whose participle is a state (`_STATED`), or None (`notes`)."""
    return next((form for form in verbs_of(segment) if form in _STATED), None)


def restores(verb: str) -> bool:
    """Whether a verb brings a resource back from a withdrawn or stopped state (`reactivate`, `restore`,
    `enable`, `unarchive`, `reopen`): the one kind of action a withdrawn resource still takes."""
    return verb in _RESTORING or SWITCHES.get(verb) is True or verb[:2] == "un" and len(verb) > 4 or verb == "reopen"


# Words that say a state is not left once entered ("Closing a card cannot be undone", "a final action").
_FINAL = re.compile(r"\bcan(?:not|'t| not) be (?:undone|reversed|reopened|reactivated|changed)|\bfinal "
                    r"(?:action|state|status)\b|\bis final\b|\bterminal (?:state|status)\b|\birreversib|\bpermanent", re.I)


def said_final(texts, state: str, states) -> bool:
    """Whether one of `texts` (a state field's description, that of the operation changing it) says `state` is
    not left once entered, in what it says of that state: from a mention of it to the next mention of another
    of `states` (Lithic's card `state`: "* `CLOSED` - Card will no longer approve authorizations. Closing a card
    cannot be undone. * `OPEN` - ..."). A state is mentioned in a code span or quotes, or, in capitals, as a
    word; a lower-case word in running prose (`closed`) is no mention."""
    def mentions(text: str, value: str) -> list:
        quoted = [m.start() for m in re.finditer(rf"[`'\"]{re.escape(value)}[`'\"]", text)]
        bare = [m.start() for m in re.finditer(rf"\b{re.escape(value)}\b", text)] if value.isupper() else []
        return sorted(set(quoted + bare))

    others = [value for value in states if isinstance(value, str) and value != state]
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        ends = sorted(at for value in others for at in mentions(text, value))
        for at in mentions(text, state):
            stop = next((end for end in ends if end > at), len(text))
            if _FINAL.search(text[at:stop]):
                return True
    return False


# A sentence saying what must be so before an operation is taken ("This transfer must first have a `status` of
# `submitted`."), and the ends of sentences.
_MUST = re.compile(r"\bmust\b|\bonly (?:be )?(?:when|if|from|in)\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def taken_from(texts, field: str, states) -> list[str]:
    """The states of `states` an operation is said to be taken from only, by one of `texts` (its description): a
    sentence saying what must be so (`_MUST`) that names the state's `field` and some of its values, each in a code
    span or quotes, or, with an underscore or in capitals, as a word (Increase's ACH return simulation: "This
    transfer must first have a `status` of `submitted`."; its submission: "... of `pending_approval` or
    `pending_submission`."). None where no such sentence is."""
    values = [value for value in states if isinstance(value, str) and value]
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        for sentence in _SENTENCE.split(text):
            if not _MUST.search(sentence) or not re.search(rf"(?<![\w]){re.escape(field)}(?![\w])", sentence):
                continue
            named = [value for value in values if re.search(rf"[`'\"]{re.escape(value)}[`'\"]", sentence) or (
                ("_" in value or value.isupper()) and re.search(rf"(?<![\w]){re.escape(value)}(?![\w])", sentence))]
            if named:
                return named
    return []


def details_of(holder: dict, key: str, required=()) -> list:
    """The fields beside the state `key` of `holder` that tell of the state it holds (`status_details`,
    `state_reason`), but those `required`: once another state is set there, they tell of none it is in (PayPal's
    `status_details: {reason: PENDING_REVIEW}` of a PENDING authorization, beside VOIDED)."""
    return [name for name in holder if _bare(name) in (_bare(key) + "details", _bare(key) + "reason")
            and name not in (required or ())]


def done_with(verb: str, state: str, holder: dict | None = None, simulated: bool = False) -> bool:
    """Whether a resource already in `state` is done with what `verb` would do: it is in the very state `verb`
    leads to (a capture `REFUNDED`, refunded), or `state` says it succeeded (`CAPTURED`, `COMPLETED`,
    `succeeded`) and `verb` would withdraw it, complete it again, in place or making another resource under it,
    or hold it for a completion it is past (an authorization captured in full is captured and voided no more,
    PayPal refuses both 422, and an order COMPLETED captured or authorized again; Stripe a cancel of a succeeded
    payment intent). Answered, PayPal's order captured twice held two captures, and a capture refunded in full
    was refunded again. One whose flag in `holder`, the resource, says it was not completed yet is not done
    (Stripe's charge held `succeeded` with `captured: false`: its capture completes it). A `simulated` action (a
    test helper's, under a prefix of its own: `/simulations/transfers/{id}/settle`) drives the state as asked, and
    is done with nothing but a withdrawal: settling a settled transfer answers it."""
    withdrawing = withdrawn_state([participle(verb) or ""]) is not None
    flag = done_flag(holder) if isinstance(holder, dict) else None
    if (simulated or flag is not None and holder[flag] is False) and not withdrawing:
        return False
    if verb in _STATED and verb_state(verb, [state]) == state:  # already where it leads (a capture refunded in full)
        return True
    return succeeded_state([state]) is not None and (withdrawing or verb in _COMPLETING or verb in _HOLDING)


# The actions a change's body may ask for by a flag or an amount named for them (`sent_action`), and the words
# beside the verb such a flag's name may hold (`void_me`).
_SENT_ACTIONS = frozenset(("capture", "void", "cancel", "refund", "reverse", "settle"))
_FLAG_FILLERS = frozenset(("me", "it", "now", "this"))


def sent_action(sent) -> str | None:
    """The action a change's body asks for where its path names none: a flag sent true named for the action
    (`void_me: true`), or an amount named for it (`capture_amount`, `refund_amount`); None if neither. Finix
    captures and voids an authorization by `PUT /authorizations/{id}` so: read as a change of fields, the
    authorization stayed PENDING, captured or voided, and was captured and voided again."""
    if not isinstance(sent, dict):
        return None
    for key, value in sent.items():
        words = [word.lower() for word in re.split(r"[_\-\s.]+|(?<=[a-z0-9])(?=[A-Z])", str(key)) if word]
        if not words or words[0] not in _SENT_ACTIONS:
            continue
        if value is True and set(words[1:]) <= _FLAG_FILLERS:
            return words[0]
        if words[1:] == ["amount"] and value not in (None, "", False) and not isinstance(value, bool):
            return words[0]
    return None


def flagged_withdrawn(holder: dict) -> str | None:
    """The boolean field of `holder` set true that says it was withdrawn (`is_void`, `voided`, `canceled`), where
    no state says it (Finix's authorization holds `is_void` beside a `state` that stays as it was), or None."""
    for key, value in holder.items():
        name = _bare(key)
        name = name[2:] if name.startswith("is") else name
        if value is True and any(name.startswith(word) for word in WITHDRAWN if word not in ("inactive", "disabled")):
            return key
    return None


# Verbs that hold what they act on for a completion to come (`authorize`, `approve`): done with what completed.
_HOLDING = frozenset(("authorize", "authorise", "reauthorize", "reauthorise", "approve"))
# Verbs by which the other side agrees to what was offered to it (a recurring agreement accepted in the app).
_ACCEPTING = frozenset(("accept", "approve"))


# The name of a field that holds a resource's state: a bare `status` or `state`, or one named for what it is the state
# of (`paymentStatus`, PolishAPI's `generalStatus`, `payment_status`, `cardState`); not a detail beside one
# (`detailedStatus`, `previousStatus`, `statusReason`), nor a word that only ends so (`estate`, `substatus`).
STATE_FIELD = re.compile(r"(?i:status|state)"
                         r"|(?!(?i:detailed|previous|last))[A-Za-z][A-Za-z0-9]*?(?:_(?i:status|state)|Status|State)")


def state_field(name) -> bool:
    """Whether a field named `name` holds its resource's state (`STATE_FIELD`): the one rule every reader of a
    state shares, those that give a new resource its first state and those that read, move and list it."""
    return STATE_FIELD.fullmatch(str(name)) is not None


def listed_states(field) -> list:
    """The states a state field takes: its enum, else the words its description lists in code spans (Mollie's
    "Possible values: `open` `pending` ... `canceled`", Twilio's verification `status`)."""
    if not isinstance(field, dict):
        return []
    return list(field.get("enum") or re.findall(r"`([A-Za-z][\w-]*)`", str(field.get("description") or "")))


def withdrawn_state(states: list) -> str | None:
    """The state of `states` a resource withdrawn but still there is in (`canceled` before `closed`, ...), or None."""
    return next((value for word in WITHDRAWN for value in states if spelled_as(value, word)), None)


# Who a withdrawn state names as having ended the resource, where that is its customer or the bank and not the
# client calling (NextGenPSD2's consent `revokedByPsu`, against `terminatedByTpp`).
_NOT_THE_CALLER = frozenset(("psu", "user", "customer", "consumer", "payer", "holder", "owner", "member", "bank",
                             "aspsp", "issuer", "system", "admin", "operator"))


def ended_by_caller(states: list) -> str | None:
    """The withdrawn state of `states` that names its ender, the client ending it itself (NextGenPSD2's consent
    `terminatedByTpp`, beside `revokedByPsu`), or None: what a DELETE by the client leaves it in."""
    for value in states:
        words = [word.lower() for word in re.split(r"[^A-Za-z]+|(?<=[a-z])(?=[A-Z])", str(value)) if word]
        if "by" in words[1:-1] and withdrawn_state([value]) is not None \
                and not _NOT_THE_CALLER & set(words[words.index("by") + 1:]):
            return value
    return None


def the_callers_side(values: list) -> str | None:
    """Of the parties a field naming who ended a resource can name (Brazil's consent `rejectedBy`: `USER`, `ASPSP`,
    `TPP`), the one that is the client calling, naming none of its customer or the bank; None if none is."""
    return next((value for value in values if isinstance(value, str) and value
                 and not _NOT_THE_CALLER & {word.lower() for word in re.split(r"[^A-Za-z]+", value) if word}), None)


def revoking_reason(values: list, granted: bool = True) -> str | None:
    """The reason code of `values` that says a resource was revoked (Brazil's consent rejection
    `CUSTOMER_MANUALLY_REVOKED`), or None; for one ended before it was `granted`, the one that says it was refused
    (`CUSTOMER_MANUALLY_REJECTED`: a consent is revoked only once its customer authorised it), where there is one."""
    refused = None if granted else next((value for word in ("reject", "refus", "denied", "declin") for value in values
                                         if isinstance(value, str) and word in _bare(value)), None)
    return refused or next((value for value in values if isinstance(value, str) and "revok" in _bare(value)), None)


def spelled_as(value, word: str) -> bool:
    """Whether a state `value` is the state `word` begins: spelled out (`CANCELLED`, `canceled`), or as the four
    capitals of an ISO 20022 status code (NextGenPSD2's transactionStatus `CANC`, cancelled)."""
    bare = _bare(value)
    return bare.startswith(word) or (len(bare) == 4 and str(value).isupper() and word.startswith(bare))


# The states of a consent the customer granted, and of one it refused, best first: UK Open Banking's `Authorised`
# (`AUTH` in v4's ISO codes) and `Rejected` (`RJCT`), NextGenPSD2's `valid` and `rejected`; last, ISO 20022's
# `ACTC` (AcceptedTechnicalValidation: "authentication and syntactical and semantical validation are successful"),
# what a payment its customer authorised is in where its states are those codes (NextGenPSD2's transactionStatus).
_GRANTED = ("authoris", "authoriz", "valid", "granted", "approved", "accepted", "actc")
_REFUSED_STATES = ("rejected", "rjct", "denied", "refused", "declined")


def awaiting(state) -> bool:
    """Whether `state` says a resource waits for someone to answer it (`PENDING`, `AwaitingAuthorisation`)."""
    return isinstance(state, str) and _bare(state).startswith(("pending", "awaiting"))


def consented_state(states: list, granted: bool) -> str | None:
    """The state of `states` a consent is in once its customer granted it (`granted`) or refused it, or None."""
    words = _GRANTED if granted else _REFUSED_STATES
    return next((value for word in words for value in states if spelled_as(value, word)), None)


# The state of a consent given for one use once that use was made (Brazil's payment consent `CONSUMED`).
_USED = ("consumed", "used", "redeemed", "spent")


def used_state(states: list) -> str | None:
    """The state of `states` a consent is in once what it was given for was done under it, or None."""
    return next((value for word in _USED for value in states if _bare(value) == word), None)


def expired_state(states: list) -> str | None:
    """The state of `states` a resource past its expiry is in (NextGenPSD2's consent `expired`), or None."""
    return next((value for value in states if spelled_as(value, "expir")), None)


# States that say a resource ended otherwise than withdrawn (declined, rejected, expired, failed, reversed, returned).
ENDED_OTHERWISE = ("declin", "reject", "expire", "error", "fail", "revers", "return")


def _not_ended(states: list, held) -> bool:  # (neither withdrawn nor used: a consent revoked or CONSUMED stays so)
    return withdrawn_state([held]) is None and held != used_state(states)


def _live(states: list, held) -> bool:  # (nor ended otherwise: a consent rejected is not expired after)
    return withdrawn_state([held]) is None and not any(spelled_as(held, word) for word in ENDED_OTHERWISE)


# A consent's life in one table: what happens to it -> (the state of its enum it then is in, whether one in the state
# it holds moves so). Each writer of a consent's state reads it here: its customer's answer at the authorization page
# (`granted`, `refused`: remembered.consented), what it was given for done under it (`used`: remembered.consumed),
# its expiry passed (`expired`: remembered.as_expired, for any resource that expires); its connector's DELETE reads
# whether it had been granted (`was_granted`: revoked, or rejected before). They had each kept their own rule.
CONSENT_MOVES = {
    "granted": (lambda states: consented_state(states, True), _not_ended),
    "refused": (lambda states: consented_state(states, False), _not_ended),
    "used": (used_state, lambda states, held: held == consented_state(states, True)),
    "expired": (expired_state, _live),
}


def consent_moved(event: str, states: list, held) -> str | None:
    """The state of `states` a consent in the state `held` moves to when `event` (of `CONSENT_MOVES`) happens to it,
    or None where it stays as it is."""
    to, moves = CONSENT_MOVES[event]
    state = to(states)
    return state if state is not None and isinstance(held, str) and moves(states, held) else None


def was_granted(states: list, held) -> bool:
    """Whether a consent in the state `held` of `states` had been granted by its customer: in its granted state or
    its used one (Brazil's `AUTHORISED` or `CONSUMED`, not `AWAITING_AUTHORISATION`), or where its states name no
    granted one (nothing says it was not)."""
    granted = consented_state(states, True)
    return granted is None or held in (granted, used_state(states))


# States of a payment that say nothing of it was paid yet (it waits for its payer), or ever will be.
_UNPAID = ("pending", "requires", "awaiting", "created", "new", "initiated", "open", "draft", "unpaid",
           "declin", "reject", "expire", "fail")


def unpaid_state(held, states: list) -> bool:
    """Whether `held`, of a payment whose `states` name its success (`SUCCEEDED`, `PAID`), says nothing of it was
    paid (`REQUIRES_ACTION`, `PENDING`, `FAILED`): there is nothing to refund of it."""
    return isinstance(held, str) and succeeded_state(states) is not None and succeeded_state([held]) is None \
        and _bare(held).startswith(_UNPAID)


def succeeded_state(states: list) -> str | None:
    """The state of `states` that says what it was for succeeded (`succeeded`, `COMPLETED`, ...), or None."""
    return next((value for word in _SUCCEEDED for value in states if _bare(value).startswith(word)), None)


# Verbs that return money already moved: what they make is settled at once in a sandbox, with no bank behind it
# to wait for (PayPal's sandbox answers a refund of a capture COMPLETED, never PENDING).
_RETURNING = frozenset(("refund", "reverse"))


def made_state(verb: str, states: list) -> str | None:
    """The state of `states` a resource made by an action's verb starts in, where the verb says: one made by a
    verb that completes (a capture made by `POST /authorizations/{id}/capture`) or returns what was moved (a
    refund made by `POST /captures/{id}/refund`) is what succeeded (`COMPLETED`), not a new one's first state
    (`PENDING`); None for any other verb."""
    return succeeded_state(states) if verb in _COMPLETING or verb in _RETURNING else None


def returning_verb(segment: str) -> str | None:
    """The verb returning money (`_RETURNING`) a collection's noun names (`refunds` -> `refund`, `payment_refunds`
    too), or None: what is made there is made as that verb's action makes it (Stripe's `POST /v1/refunds` of a card payment succeeds at
    once, as its sandbox answers it; made in the first state its prose lists, it was `pending` for good)."""
    last = re.split(r"[-_.]|(?<=[a-z])(?=[A-Z])", str(segment))[-1]  # (a noun qualified by another: PAY.JP's
    return next((form for form in verbs_of(segment) + verbs_of(last) if form in _RETURNING), None)  # payment_refunds)


def verb_state(verb: str, states: list) -> str | None:
    """The state of `states` a verb names (`close` -> `closed`, `freeze` -> `frozen`), else for a verb that
    completes naming none, the one that says it succeeded, for one that withdraws, the one out of service
    (`cancel` -> `inactive`); None if none."""
    stem = (_IRREGULAR.get(verb) or (verb[:-1] if verb.endswith("e") else verb)).replace("z", "s")
    if len(stem) < 3:
        return None
    named = next((value for value in states if _bare(value).replace("z", "s").startswith(stem)), None)
    if named is None:  # a state named as what the verb puts it on (Straddle's charge `hold` -> `on_hold`)
        named = next((value for value in states if _bare(value) == f"on{verb}"), None)
    if named is None and verb in _COMPLETING:
        named = succeeded_state(states)
    if named is None and verb in _ISSUING:
        named = next((value for word in _ISSUED for value in states if _bare(value) == word), None)
    if named is None and verb in _WITHDRAWING:  # (one its states name no cancellation of: Straddle's paykey
        #                                        cancelled among pending, active, inactive, rejected is inactive)
        named = next((value for word in _OUT_OF_SERVICE for value in states if spelled_as(value, word)), None)
    if named is None and verb in _HOLDING | _ACCEPTING:  # what was approved waits to be completed (the ePayment
        named = told_state("hold", states)  # API's payment approved is `AUTHORIZED`: left `CREATED`, none of it could be
    if named is None and verb in _ACCEPTING:  # captured), else is in service (an agreement accepted is `ACTIVE`)
        named = next((value for word in _IN_SERVICE for value in states if _bare(value) == word), None)
    if named is None and (verb in _RESTORING or verb[:2] == "un" and verb[2:] in _STOPPING):  # back in service
        named = next((value for word in _IN_SERVICE for value in states if _bare(value) == word), None)
    return named


# Flags of a creation's body that say whether to complete what it makes at once (Square's payment `autocomplete`,
# `capture`, `auto_capture`) or to confirm it (Stripe's payment intent `confirm`), and the fields and words that say
# its capture is made later, by hand (Stripe's `capture_method: manual`).
_AT_ONCE = frozenset(("autocomplete", "capture", "autocapture", "captureimmediately", "confirm", "autoconfirm"))
_CAPTURE_WAYS = ("capturemethod", "capturemode", "capturetype")
_BY_HAND = ("manual", "manually", "delayed", "later")
# The states of what was authorized and waits to be completed, best first (Stripe's `requires_capture`, Square's
# `APPROVED`, `AUTHORIZED`).
_HELD = ("requirescapture", "authoriz", "authoris", "approved", "onhold", "held")


def told(sent, declared=None) -> str | None:
    """What a creation's body tells it to do with what it makes, at its top or in its envelope: `hold` it,
    authorized, for a completing action to complete (`autocomplete: false`, `capture_method: manual`), `confirm`
    it now (`confirm: true`), else None. Flags come as JSON booleans or a form's `true`/`false`. A boolean flag
    the body's schema `declared` (its properties) and the client left out is its default: the schema's `default`,
    else the one its prose says (Stripe's charge `capture`, "Defaults to `true`.": a charge is captured when made).
    A confirmation not asked for holds nothing: what is made is not confirmed yet (Stripe's `confirm`, "defaults
    to `false`")."""
    holders = [sent] + [value for value in sent.values() if isinstance(value, dict)] if isinstance(sent, dict) else []
    flags = {_bare(key): value if isinstance(value, bool) else str(value).lower() == "true"
             for holder in holders for key, value in holder.items()
             if _bare(key) in _AT_ONCE and (isinstance(value, bool) or str(value).lower() in ("true", "false"))}
    sent_names = {_bare(key) for holder in holders for key in holder}
    for key, field in (declared or {}).items():
        if _bare(key) in _AT_ONCE and _bare(key) not in sent_names and isinstance(field, dict) \
                and field.get("type") == "boolean" and _default(field) is not None:
            flags[_bare(key)] = _default(field)
    by_hand = any(_bare(key) in _CAPTURE_WAYS and _bare(value) in _BY_HAND
                  for holder in holders for key, value in holder.items() if isinstance(value, str))
    if any(flags.get(key) is False for key in _CONFIRMING) and True not in flags.values():
        return "unconfirmed"  # (not confirmed, it is held by nothing: a manual capture waits for its confirmation)
    if by_hand or any(value is False for key, value in flags.items() if key not in _CONFIRMING):
        return "hold"
    return "confirm" if True in flags.values() else None


def way_left_out(key, values: list):
    """The value of `values` (an enum) that a field saying how a payment is captured (`_CAPTURE_WAYS`: `key`)
    means when its client leaves it out and no default says otherwise: the first that is no capture by hand
    (`automatic` of PAY.JP's `capture_method: [automatic, manual]`), as a payment is captured when nothing asks
    it be held (`told`); None for another field."""
    if _bare(key) not in _CAPTURE_WAYS:
        return None
    return next((value for value in values if isinstance(value, str) and _bare(value) not in _BY_HAND), None)


# The flags of `_AT_ONCE` that ask for a confirmation, not a completion: false, they hold nothing.
_CONFIRMING = frozenset(("confirm", "autoconfirm"))


def confirmed_held(verb: str, states: list, holder: dict, sent=None) -> str | None:
    """The state of `states` a confirmation (`verb` confirm) leaves a payment in whose capture is made by hand, as
    the confirmation's body `sent` says (`capture_method: manual`), else as the payment `holder` holds it: authorized
    and waiting for its capture (`told_state` of `hold`: `requires_capture`). PAY.JP's payment flow made with
    `capture_method: manual` and confirmed read `succeeded`, all of it received, and its capture was refused as
    already done. None for another verb, a capture made at once, or states naming no such wait."""
    if verb not in _CONFIRMING:
        return None
    ways = [value for place in (sent, holder) if isinstance(place, dict)
            for value in [next((v for k, v in place.items() if _bare(k) in _CAPTURE_WAYS and isinstance(v, str)), None)]
            if value is not None]
    return told_state("hold", states) if ways and _bare(ways[0]) in _BY_HAND else None
# A flag's default said in its prose ("Defaults to `true`.", "This parameter defaults to `false`", "(default true)").
_SAID_DEFAULT = re.compile(r"\bdefaults?(?:\s+to|\s+is|:)?\s+`?(true|false)\b", re.IGNORECASE)


def _default(field: dict) -> bool | None:
    """A boolean field's default: its schema's `default`, else the one its description says; None if neither."""
    if isinstance(field.get("default"), bool):
        return field["default"]
    said = _SAID_DEFAULT.search(str(field.get("description") or ""))
    return said.group(1).lower() == "true" if said else None


# The flags of what was made that say it was completed, where its state cannot say it was held (Stripe's charge
# `captured`, beside `status` failed/pending/succeeded: a charge held is `succeeded`, `captured: false`).
_DONE_FLAGS = ("captured", "completed")


def done_flag(holder: dict) -> str | None:
    """The boolean field of `holder` that says whether what it is was completed (`_DONE_FLAGS`), or None."""
    return next((key for key, value in holder.items() if _bare(key) in _DONE_FLAGS and isinstance(value, bool)), None)


def standing(state) -> str:
    """Where a payment in `state` stands: "held" (authorized, waiting for its capture: `_HELD`), "done" (what says
    it succeeded), else "other"."""
    if not isinstance(state, str):
        return "other"
    if any(_bare(state).startswith(word) for word in _HELD):
        return "held"
    return "done" if succeeded_state([state]) is not None else "other"


def told_state(told_to: str | None, states: list) -> str | None:
    """The state of `states` a creation told to `hold` or `confirm` (`told`) makes its resource in: authorized and
    waiting (`requires_capture`, `APPROVED`), or what says it succeeded; None where none of `states` says it."""
    if told_to == "hold":
        return next((value for word in _HELD for value in states if _bare(value).startswith(word)), None)
    return made_state(told_to, states) if told_to in ("confirm",) else None


# The words a state starts with that say what the resource waits for (Stripe's `requires_payment_method`,
# `requires_confirmation`; `awaiting_...`).
_WAITING = ("requires", "awaiting", "needs", "waitingfor", "pending")


def awaiting_state(states: list, sent, declared) -> str | None:
    """The state of `states` a creation not confirmed (`told`: `unconfirmed`) is made in: the one saying it waits for
    a field its body `declared` (its properties) and its client did not send (Stripe's payment intent made without
    a `payment_method`: `requires_payment_method`), else the one saying it waits for its confirmation
    (`requires_confirmation`); None where none says so. Made in the first state of its alphabetical enum, an
    intent sent `confirm=false` was `requires_action`, as if a customer had to act on a confirmation never made."""
    holders = [sent] + [value for value in sent.values() if isinstance(value, dict)] if isinstance(sent, dict) else []
    given = {_bare(key) for holder in holders for key, value in holder.items() if value not in (None, "")}
    fields = {_bare(key) for key in (declared or {})} - given - _AT_ONCE
    waits = [(value, _bare(value)[len(word):]) for value in states if isinstance(value, str)
             for word in _WAITING[:1] + _WAITING[1:] if _bare(value).startswith(word) and len(_bare(value)) > len(word)]
    return next((value for value, what in waits if what in fields), None) \
        or next((value for value, what in waits if what.startswith("confirm")), None)


def unrequired(state, states: list, sent, declared, fields) -> tuple[str | None, list]:
    """Where a resource made in `state`, a state waiting for something (`pending_approval`), is made instead when its
    creation's body `declared` a boolean flag asking for that thing (`require_approval`, `requires_approval`) and
    its client did not ask for it (left out, with no default of true, or false): (the state to make it in, the
    states left to choose from), the state being the next of `states` waiting for a step the resource holds a
    field of (`fields`, bare: `pending_submission` of one holding `submission`), else None with the rest of
    `states` (for the caller to choose a first state of). Increase's ACH transfers, made without
    `require_approval`, were made `pending_approval`, and no approval was ever asked for. (None, []) where the
    state waits for nothing such a flag asks for, or the client asked for it."""
    awaited = _awaited(state)
    if awaited is None:
        return None, []
    flag = next((key for key, field in (declared or {}).items() if _bare(key) in ("require" + awaited, "requires" + awaited)
                 and isinstance(field, dict) and field.get("type") == "boolean"), None)
    if flag is None:
        return None, []
    asked = sent[flag] if isinstance(sent, dict) and flag in sent else _default(declared[flag])
    if asked is True or str(asked).lower() == "true":
        return None, []
    rest = [value for value in states if value != state]
    return _next_step(rest, fields), rest


def _awaited(state) -> str | None:
    """What a state waiting for something waits for (`pending_approval` -> `approval`), bare; None for another."""
    word = _bare(state) if isinstance(state, str) else ""
    return next((word[len(w):] for w in _WAITING if word.startswith(w) and len(word) > len(w)), None)


def _next_step(states: list, fields) -> str | None:
    """The first of `states` waiting for a step the resource holds a field of (`fields`, bare: `pending_submission`
    of one holding `submission`), or None."""
    return next((value for value in states if _awaited(value) in fields), None)


def awaited_by(verb: str, states: list) -> str | None:
    """The state of `states` pending what `verb` gives (`pending_approval` for `approve`) where the enum names no
    state of the verb itself (no `approved`: the action is only ever taken from there), or None. (Not a state that
    `requires` it: Stripe's payment intent is confirmed from `requires_payment_method` too.)"""
    if verb_state(verb, states) is not None:
        return None
    return next((value for value in states if _bare(value).startswith("pending") and _awaited(value) is not None
                 and verb in verbs_of(_awaited(value))), None)


# Verbs that let a resource go on from where it was made waiting to be let (`approve`, `accept`).
_LETTING = frozenset(("approve", "accept"))


def let_on(verb: str, state, states: list) -> str | None:
    """Where `verb` (`approve`) moves a resource in `state` where its enum names neither a state of the verb nor one
    waiting for it (no `approved`, no `pending_approval`: a payout's `pending`, `in_transit`, `paid`, `failed`,
    `canceled`): from its first state, the next that is neither withdrawn nor ended otherwise (`in_transit`); None
    from any other state (it is past its approval: refused) or for another verb. Approved, such a payout answered
    200 and stayed `pending` for good."""
    if verb not in _LETTING or not isinstance(state, str) or not states or state != states[0] \
            or verb_state(verb, states) is not None or awaited_by(verb, states) is not None:
        return None
    return next((value for value in states[1:] if withdrawn_state([value]) is None
                 and not any(_bare(value).startswith(word) for word in ENDED_OTHERWISE)), None)


def unletting(verb: str, state, states: list) -> bool:
    """Whether `verb` (`approve`) cannot be taken from `state`: its enum names neither a state of the verb nor one
    waiting for it, and `state` is past the first, where it was made waiting (`let_on`)."""
    return verb in _LETTING and isinstance(state, str) and bool(states) and state in states and state != states[0] \
        and verb_state(verb, states) is None and awaited_by(verb, states) is None


# Verbs that lift a stop put on a resource (`release` of a hold), beside `un` and a stopping verb (`unblock`).
_LIFTING = frozenset(("release", "resume", "unhold", "unpause"))


def lifted(verb: str, state, states: list) -> str | None:
    """Where a verb that lifts a stop (`_LIFTING`) moves a resource that is in the stop's own state and whose enum
    names no state of being back in service (`active`): the first of `states`, where it began (Straddle's charge
    `on_hold` released is `created` again: it stayed `on_hold`); None for any other verb or state."""
    if verb not in _LIFTING and not (verb[:2] == "un" and verb[2:] in _STOPPING) or not states or state == states[0]:
        return None
    return states[0] if any(verb_state(stop, states) == state for stop in _STOPPING) else None


def supplied_step(state, states: list, sent) -> str | None:
    """Where an action whose body `sent` (bare names) gives what its resource's `state` waits for by name
    (`payment_method` to `awaiting_payment_method`) moves it: the next of `states` after it that is neither
    withdrawn nor ended otherwise (`awaiting_next_action`); None for any other. PayMongo's payment intent, sent a
    payment method by `POST /payment_intents/{id}/attach`, stayed `awaiting_payment_method`."""
    awaited = _awaited(state)
    if awaited is None or awaited not in sent or state not in states:
        return None
    return next((value for value in states[states.index(state) + 1:] if withdrawn_state([value]) is None
                 and not any(_bare(value).startswith(word) for word in ENDED_OTHERWISE)), None)


def given_step(verb: str, state, states: list, fields) -> str | None:
    """Where an action's `verb` that gives what its resource's `state` waits for (`approve` of `pending_approval`:
    the verb of the noun it waits for) moves it where its enum names no state of the verb (no `approved`): the
    next of `states` after it waiting for a step the resource holds a field of (`fields`, bare: Increase's ACH
    transfer approved is `pending_submission`; it stayed `pending_approval`); None for any other."""
    awaited = _awaited(state)
    if awaited is None or verb not in verbs_of(awaited) or state not in states:
        return None
    return _next_step(states[states.index(state) + 1:], fields)
