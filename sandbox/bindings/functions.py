"""The JMESPath functions bindings use to speak each bank's dialect (see docs/bindings.md)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import jaconv
import jmespath
from jmespath import functions

from ..domain.calendar import JST
from ..domain.identifiers import AccountType

_NAMES = {"1": "ordinary", "2": "current", "4": "savings", "9": "other"}
_CODES = {v: k for k, v in _NAMES.items()}
_ZENGIN = re.compile(r"([0-9]{4})-?([0-9]{3})-?([1249])-?([0-9]{7})")


_ANY = {"types": []}
_INTEGER = re.compile(r"-?[0-9]{1,18}(?:\.0+)?")
_DECIMAL = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]+)?")


def _moment(value) -> datetime | None:
    """The moment an ISO 8601 date or date-time string names (JST when it names no zone); None if it names none."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=JST)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=JST)


def _in_zone(value, zone) -> datetime | None:
    moment = _moment(value)
    try:
        return moment.astimezone(zone) if moment else None
    except OverflowError:  # a date-time at the very edge of the calendar, e.g. 9999-12-31T23:00:00-05:00
        return None


def _whole(value) -> int | None:
    """An integer for a whole number or a digit string ("1200", "1200.00"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value.split(".")[0])
    return None


class SandboxFunctions(functions.Functions):
    """Every function takes any JSON value: what it cannot read it passes through unchanged (null stays null),
    so the bank's schema or the action refuses it with a clear 4xx, never a 500 from inside an expression."""

    @functions.signature(_ANY)
    def _func_yen_string(self, value):
        whole = _whole(value)
        if whole is not None:
            return str(whole)
        return str(value) if isinstance(value, float) else value

    @functions.signature(_ANY)
    def _func_decimal_yen(self, value):
        if isinstance(value, str):
            match = re.fullmatch(r"([0-9]{1,13})(?:\.0{1,5})?", value)
            return int(match.group(1)) if match else value
        return value

    @functions.signature(_ANY)
    def _func_amount_string(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return value
        text = repr(value) if isinstance(value, float) else str(value)
        if not _DECIMAL.fullmatch(text):  # nan, inf, 1e+20, "12,000", "abc"
            return value if isinstance(value, str) else text
        return str(Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    @functions.signature(_ANY)
    def _func_date(self, value):
        moment = _in_zone(value, JST)
        return moment.date().isoformat() if moment else value

    @functions.signature(_ANY)
    def _func_compact_date(self, value):
        moment = _in_zone(value, JST)
        return moment.strftime("%Y%m%d") if moment else value

    @functions.signature(_ANY)
    def _func_from_compact_date(self, value):
        if isinstance(value, str) and re.fullmatch(r"[0-9]{8}", value):
            try:
                return date(int(value[:4]), int(value[4:6]), int(value[6:])).isoformat()
            except ValueError:  # 8 digits that are not a date: passed through for the action to refuse
                return value
        return value

    @functions.signature(_ANY)
    def _func_datetime(self, value):
        moment = _in_zone(value, JST)
        return moment.isoformat(timespec="seconds") if moment else value

    @functions.signature(_ANY)
    def _func_utc_datetime(self, value):
        moment = _in_zone(value, timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else value

    @functions.signature(_ANY)
    def _func_time(self, value):
        moment = _in_zone(value, JST)
        return moment.strftime("%H:%M:%S") if moment else value

    @functions.signature(_ANY)
    def _func_half_kana(self, value):
        return jaconv.z2h(jaconv.hira2kata(value), kana=True, ascii=True, digit=True) if isinstance(value, str) else value

    @functions.signature(_ANY)
    def _func_full_kana(self, value):
        return jaconv.h2z(value, kana=True, ascii=True, digit=True) if isinstance(value, str) else value

    @functions.signature(_ANY)
    def _func_account_type_code(self, value):
        whole = _whole(value)
        if whole is not None:
            return str(whole)
        if not isinstance(value, str):
            return value
        text = value.strip().lower()
        return _CODES.get(text, text)

    @functions.signature(_ANY)
    def _func_account_type_name(self, value):
        whole = _whole(value)
        code = str(whole) if whole is not None else value
        return _NAMES.get(code, value) if isinstance(code, str) else value

    @functions.signature(_ANY)
    def _func_account_type_label(self, value):
        whole = _whole(value)
        code = str(whole) if whole is not None else value
        try:
            return AccountType(code).label
        except ValueError:
            return value

    # jmespath has no optional parameters: the optional ones arrive in a variadic tail, checked here (and
    # by the loader, from ARITY).
    @functions.signature(_ANY, {"types": [], "variadic": True})
    def _func_lookup(self, mapping, *rest):
        if len(rest) > 2:
            raise jmespath.exceptions.ArityError(3, len(rest) + 1, "lookup")
        key, default = rest[0], rest[1] if len(rest) == 2 else None
        if not isinstance(mapping, dict) or key is None:
            return default
        return mapping.get(key if isinstance(key, str) else _text(key), default)

    @functions.signature(_ANY, _ANY, _ANY)
    def _func_if(self, condition, then, otherwise):
        # JMESPath's falsy values: null, false, '', [] and {} (0 is a value; in Python it would equal False).
        falsy = condition is None or condition is False or (isinstance(condition, (str, list, dict)) and not condition)
        return otherwise if falsy else then

    @functions.signature(_ANY, _ANY)
    def _func_default(self, value, fallback):
        return fallback if value is None else value

    @functions.signature({"types": [], "variadic": True})
    def _func_concat(self, *values):
        return "".join(_text(v) for v in values)

    @functions.signature(_ANY, _ANY)
    def _func_split(self, value, separator):
        if not isinstance(value, str):
            return value
        if not isinstance(separator, str) or separator == "":
            return list(value) if separator == "" else [value]
        return value.split(separator)

    @functions.signature(_ANY)
    def _func_zengin_account(self, value):
        match = _ZENGIN.fullmatch(value) if isinstance(value, str) else None
        if not match:
            return None
        bank, branch, type_, number = match.groups()
        return {"bank_code": bank, "branch_code": branch, "account_type": type_, "account_number": number}

    @functions.signature(_ANY, _ANY, _ANY, _ANY)
    def _func_zengin_id(self, bank, branch, type_, number):
        parts = (bank, branch, type_, number)
        if any(part is None for part in parts):
            return None
        return "-".join(_text(part) for part in parts)

    @functions.signature(_ANY)
    def _func_upper(self, value):
        return value.upper() if isinstance(value, str) else value

    @functions.signature(_ANY)
    def _func_lower(self, value):
        return value.lower() if isinstance(value, str) else value

    @functions.signature(_ANY)
    def _func_omit_nulls(self, value):
        return {k: v for k, v in value.items() if v is not None} if isinstance(value, dict) else value

    @functions.signature(_ANY, {"types": [], "variadic": True})
    def _func_slice(self, value, *rest):
        if len(rest) > 2:
            raise jmespath.exceptions.ArityError(3, len(rest) + 1, "slice")
        start, end = rest[0], rest[1] if len(rest) == 2 else None
        if not isinstance(value, str) or _whole(start) is None or (end is not None and _whole(end) is None):
            return value
        return value[_whole(start):None if end is None else _whole(end)]

    @functions.signature(_ANY, {"types": [], "variadic": True})
    def _func_pad_left(self, value, *rest):
        return _pad(value, rest, "pad_left", str.rjust)

    @functions.signature(_ANY, {"types": [], "variadic": True})
    def _func_pad_right(self, value, *rest):
        return _pad(value, rest, "pad_right", str.ljust)

    @functions.signature(_ANY, {"types": [], "variadic": True})
    def _func_format(self, template, *values):
        if not isinstance(template, str):
            return template
        if any(value is None for value in values):
            return None  # null in, null out: a missing part never becomes an empty piece of an id or a key
        return format_text(template, values)

    # A projection cannot see outside the element it is on: this hands every element the same extra fields
    # (e.g. the time of a list of balances), `merge(element, extra)` for each object element.
    @functions.signature(_ANY, _ANY)
    def _func_merge_each(self, values, extra):
        if not isinstance(values, list) or not isinstance(extra, dict):
            return values
        return [{**value, **extra} if isinstance(value, dict) else value for value in values]

    @functions.signature(_ANY, _ANY)
    def _func_fixed_id(self, value, width):
        return fixed_id(value, _whole(width))

    @functions.signature(_ANY, _ANY)
    def _func_sandbox_id(self, prefix, value):
        return sandbox_id(prefix, value)


def _text(value) -> str:
    """A value as text: strings as they are, null as nothing, numbers and the rest as JSON writes them."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


MAX_WIDTH = 1024  # no field of any bank is wider; a larger width is a mistake passed through, not a memory hog


def _pad(value, rest, name: str, pad) -> object:
    """`value` as text padded to `width` characters with `fill` (a space unless given); longer text is kept whole."""
    if len(rest) > 2:
        raise jmespath.exceptions.ArityError(3, len(rest) + 1, name)
    width, char = _whole(rest[0]), rest[1] if len(rest) == 2 else " "
    if value is None or width is None or width > MAX_WIDTH or not (isinstance(char, str) and len(char) == 1):
        return value
    return pad(_text(value), width, char)


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([0-9]+)\}")


def format_text(template: str, values) -> str:
    """`{0}`, `{1}`, ... replaced by the values as text; `{{` and `}}` stand for braces. Nothing else is read.

    Deliberately not `str.format`, which would let a template reach into the values' attributes.
    """
    def place(match):
        if match.group(1) is None:
            return match.group(0)[0]
        index = int(match.group(1))
        return _text(values[index]) if index < len(values) else match.group(0)

    return _PLACEHOLDER.sub(place, template)


def placeholders(template: str) -> set[int]:
    """The positions a `format` template refers to (for the loader's check of the argument count)."""
    return {int(m.group(1)) for m in _PLACEHOLDER.finditer(template) if m.group(1) is not None}


# A sandbox id is a prefix and 16 hexadecimal digits (`trf_00c0ffee12345678`, see domain/identifiers.py).
_SANDBOX_ID = re.compile(r"([a-z]+)_([0-9a-f]{16})")
ID_DIGITS = 16


def fixed_id(value, width: int | None):
    """A sandbox id as exactly `width` (16 to 64) characters: its 16 hex digits, zero-padded on the left.

    Reversible with `sandbox_id`: a bank whose ids have a fixed length gets them, and the id the bank's
    client later sends back finds the same record. Anything else is passed through unchanged.
    """
    match = _SANDBOX_ID.fullmatch(value) if isinstance(value, str) else None
    if match is None or width is None or not ID_DIGITS <= width <= 64:
        return value
    return match.group(2).rjust(width, "0")


def sandbox_id(prefix, value):
    """The sandbox id that `fixed_id` made `value` from (`prefix` is `trf`, `acc`, ...); else `value` unchanged."""
    if not (isinstance(prefix, str) and prefix.isalpha() and isinstance(value, str) and ID_DIGITS <= len(value) <= 64):
        return value
    padding, digits = value[:-ID_DIGITS], value[-ID_DIGITS:]
    if padding.strip("0") or not re.fullmatch(r"[0-9a-f]{16}", digits):
        return value
    return f"{prefix.lower()}_{digits}"


# (fewest, most) arguments of the functions with optional ones (None: no most); the loader checks calls against it.
ARITY = {"lookup": (2, 3), "slice": (2, 3), "pad_left": (2, 3), "pad_right": (2, 3), "format": (2, None), "concat": (1, None)}

OPTIONS = jmespath.Options(custom_functions=SandboxFunctions(), dict_cls=dict)
FUNCTION_NAMES = sorted(name[6:] for name in dir(SandboxFunctions) if name.startswith("_func_"))
