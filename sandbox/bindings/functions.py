"""The JMESPath functions bindings use to speak each bank's dialect (see docs/bindings.md)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import jaconv
import jmespath
from jmespath import functions

from ..domain.calendar import JST
from ..domain.identifiers import AccountType

_NAMES = {"1": "ordinary", "2": "current", "4": "savings", "9": "other"}
_CODES = {v: k for k, v in _NAMES.items()}
_ZENGIN = re.compile(r"([0-9]{4})-?([0-9]{3})-?([1249])-?([0-9]{7})")


def _moment(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=JST)
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=JST)


class SandboxFunctions(functions.Functions):
    @functions.signature({"types": ["number", "string", "null"]})
    def _func_yen_string(self, value):
        return None if value is None else str(int(value))

    @functions.signature({"types": ["string", "number", "null"]})
    def _func_decimal_yen(self, value):
        if isinstance(value, str):
            match = re.fullmatch(r"([0-9]{1,13})(?:\.0{1,5})?", value)
            return int(match.group(1)) if match else value
        return value

    @functions.signature({"types": ["number", "null"]})
    def _func_amount_string(self, value):
        return None if value is None else f"{int(value)}.00"

    @functions.signature({"types": ["string", "null"]})
    def _func_date(self, value):
        moment = _moment(value)
        if moment is None:
            return value
        return moment.astimezone(JST).date().isoformat() if "T" in str(value) else str(value)[:10]

    @functions.signature({"types": ["string", "null"]})
    def _func_compact_date(self, value):
        text = self._func_date(value)
        return text.replace("-", "") if isinstance(text, str) else text

    @functions.signature({"types": ["string", "null"]})
    def _func_from_compact_date(self, value):
        if isinstance(value, str) and re.fullmatch(r"[0-9]{8}", value):
            return f"{value[:4]}-{value[4:6]}-{value[6:]}"
        return value

    @functions.signature({"types": ["string", "null"]})
    def _func_datetime(self, value):
        moment = _moment(value)
        return moment.astimezone(JST).isoformat(timespec="seconds") if moment else value

    @functions.signature({"types": ["string", "null"]})
    def _func_utc_datetime(self, value):
        moment = _moment(value)
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else value

    @functions.signature({"types": ["string", "null"]})
    def _func_time(self, value):
        moment = _moment(value)
        return moment.astimezone(JST).strftime("%H:%M:%S") if moment else value

    @functions.signature({"types": ["string", "null"]})
    def _func_half_kana(self, value):
        return None if value is None else jaconv.z2h(jaconv.hira2kata(value), kana=True, ascii=True, digit=True)

    @functions.signature({"types": ["string", "null"]})
    def _func_full_kana(self, value):
        return None if value is None else jaconv.h2z(value, kana=True, ascii=True, digit=True)

    @functions.signature({"types": ["string", "number", "null"]})
    def _func_account_type_code(self, value):
        if value is None:
            return None
        text = str(value).strip().lower()
        return _CODES.get(text, text)

    @functions.signature({"types": ["string", "null"]})
    def _func_account_type_name(self, value):
        return _NAMES.get(value, value)

    @functions.signature({"types": ["string", "null"]})
    def _func_account_type_label(self, value):
        try:
            return AccountType(value).label
        except ValueError:
            return value

    # jmespath has no optional parameters: key and default arrive as a variadic tail, checked here.
    @functions.signature({"types": ["object"]}, {"types": [], "variadic": True})
    def _func_lookup(self, mapping, *rest):
        if len(rest) > 2:
            raise jmespath.exceptions.ArityError(3, len(rest) + 1, "lookup")
        key, default = rest[0], rest[1] if len(rest) == 2 else None
        return mapping.get(str(key), default) if key is not None else default

    @functions.signature({"types": []}, {"types": []}, {"types": []})
    def _func_if(self, condition, then, otherwise):
        return then if condition not in (None, False, "", [], {}) else otherwise

    @functions.signature({"types": []}, {"types": []})
    def _func_default(self, value, fallback):
        return fallback if value is None else value

    @functions.signature({"types": [], "variadic": True})
    def _func_concat(self, *values):
        return "".join("" if v is None else str(v) for v in values)

    @functions.signature({"types": ["string", "null"]}, {"types": ["string"]})
    def _func_split(self, value, separator):
        return None if value is None else value.split(separator)

    @functions.signature({"types": ["string", "null"]})
    def _func_zengin_account(self, value):
        match = _ZENGIN.fullmatch(value or "")
        if not match:
            return None
        bank, branch, type_, number = match.groups()
        return {"bank_code": bank, "branch_code": branch, "account_type": type_, "account_number": number}

    @functions.signature({"types": ["string"]}, {"types": ["string"]}, {"types": ["string"]}, {"types": ["string"]})
    def _func_zengin_id(self, bank, branch, type_, number):
        return f"{bank}-{branch}-{type_}-{number}"

    @functions.signature({"types": ["string", "null"]})
    def _func_upper(self, value):
        return None if value is None else value.upper()

    @functions.signature({"types": ["string", "null"]})
    def _func_lower(self, value):
        return None if value is None else value.lower()

    @functions.signature({"types": ["object", "null"]})
    def _func_omit_nulls(self, value):
        return None if value is None else {k: v for k, v in value.items() if v is not None}


OPTIONS = jmespath.Options(custom_functions=SandboxFunctions(), dict_cls=dict)
FUNCTION_NAMES = sorted(name[6:] for name in dir(SandboxFunctions) if name.startswith("_func_"))
