"""The string formats OpenAPI specs use that JSON Schema's own checkers leave out or read otherwise: `date`,
`time`, `uuid`, `uri`.

One definition for every check of a value against a spec: request and response validation
(http/validation.py) and the load-time repair of examples and the fallback's own answers
(bindings/schemas.py). With two definitions, an example `website: www.test.com` under `format: uri`
passed the repair and was then refused by response validation, answered as a 500.
"""

from __future__ import annotations

import re
from datetime import date

_FULL_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A UUID in its hyphenated text form, any version (also what the answers treat as a UUID to draw again).
UUID_TEXT = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _is_date(value) -> bool:
    """OpenAPI's `date`: RFC 3339's full-date, `2026-11-05` (not `20261105`, which Python's parser takes too)."""
    if not isinstance(value, str):
        return True
    if not _FULL_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_uuid(value) -> bool:
    """A UUID in its hyphenated text form, any version."""
    return not isinstance(value, str) or UUID_TEXT.fullmatch(value) is not None


# RFC 3339's full-time (`09:30:00Z`, `09:30:00.5+09:00`), as JSON Schema's `time` means it and schema-driven
# testers draw it; its partial-time without an offset (`09:30:00`), and hours and minutes alone (`09:30`), as
# specs' own examples and the clients built from them write times of day.
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:([0-5]\d|60)(\.\d+)?)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)?")


def _is_time(value) -> bool:
    """A time of day: draft 3's `HH:MM:SS` checker (openapi-schema-validator's for OpenAPI 3.0) refused an
    offset, which RFC 3339 requires, so a spec's example `09:30:00+09:00` was read as wrong and redrawn, while
    draft 4's checker (request and response validation) checked nothing at all."""
    return not isinstance(value, str) or _TIME.fullmatch(value) is not None


_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S*")


def _is_uri(value) -> bool:
    """An absolute URI (RFC 3986): a scheme, then no whitespace. fastjsonschema checked this already and
    jsonschema, which words the refusal, did not (it needs a package for it), so it let the value through."""
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


# Formats that draft 4's checker leaves out: OpenAPI's `date`, `time`, the common `uuid`, and `uri`. A
# request's value that is not one is refused by the spec's own words, as a malformed date-time already was.
OPENAPI_FORMATS = {"date": _is_date, "time": _is_time, "uuid": _is_uuid, "uri": _is_uri}


_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def _is_iban(value) -> bool:
    """ISO 13616: a country's two letters, two check digits and up to 30 letters and digits, the whole, its first
    four moved to its end and its letters read as 10 to 35, being 1 modulo 97 (spaces, as IBANs are printed, left
    out; either case)."""
    if not isinstance(value, str):
        return True
    text = value.replace(" ", "").upper()
    if not _IBAN.fullmatch(text):
        return False
    return int("".join(str(int(char, 36)) for char in text[4:] + text[:4])) % 97 == 1


# Formats a request's values are held to beyond what its spec writes, under names no spec uses (answers are not held
# to them): an IBAN sent in a field named for one (`iban`, `counterpartIban`, `creditor_iban`) whose check digits are
# wrong is refused in the spec's own words, as the bank refuses it (finAPI's `counterpartIban: XX00BAD` had made a
# payment).
REQUEST_FORMATS = {"well-formed IBAN": _is_iban}
