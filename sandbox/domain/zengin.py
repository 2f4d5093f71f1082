"""The Zengin fixed-width file of a bulk transfer (総合振込): bytes or text ↔ records, with no I/O.

Japanese banks take a corporate customer's batch of payments as a file of 120-byte records: one header
record (data kind `1`: who pays, from which account, on which day), one data record (`2`) per payment,
a trailer record (`8`) repeating the count and the total, and an end record (`9`). Numeric fields are
right-aligned and zero-filled, text fields left-aligned and space-filled, and text is the Zengin set of
digits, capitals and half-width kana, one byte each in Shift_JIS (JIS X 0201). A record may or may not
be followed by a line break.

`parse` reads a file, refusing what a bank would refuse (with the record number at fault); `dump`
writes one. Both sides speak `BulkFile`, so `parse(dump(f)) == f`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import SandboxError
from .kana import to_zengin

RECORD_LENGTH = 120
MAX_PAYMENTS = 9_999          # the most payments one bulk transfer may carry (a bank's usual ceiling)
BULK_TRANSFER_KIND = "21"     # 種別コード: 21 総合振込 (11 and 12 are salary and bonus transfers)
ENCODING = "cp932"            # Shift_JIS as Windows writes it: half-width kana are single bytes

# Each record's fields in order: (name, width, kind), kind N for digits, C for Zengin text.
HEADER = (
    ("record_kind", 1, "N"), ("kind_code", 2, "N"), ("code_division", 1, "N"), ("requester_code", 10, "N"),
    ("requester_name", 40, "C"), ("transfer_date", 4, "N"), ("bank_code", 4, "N"), ("bank_name", 15, "C"),
    ("branch_code", 3, "N"), ("branch_name", 15, "C"), ("account_type", 1, "N"), ("account_number", 7, "N"),
    ("filler", 17, "C"),
)
DATA = (
    ("record_kind", 1, "N"), ("bank_code", 4, "N"), ("bank_name", 15, "C"), ("branch_code", 3, "N"),
    ("branch_name", 15, "C"), ("clearing_house", 4, "N"), ("account_type", 1, "N"), ("account_number", 7, "N"),
    ("name", 30, "C"), ("amount", 10, "N"), ("new_code", 1, "N"),
    # Customer codes 1 and 2 (ten digits each), or twenty characters of EDI information when the
    # identification field says `Y`: kept as one reference either way.
    ("reference", 20, "C"), ("transfer_kind", 1, "C"), ("identification", 1, "C"), ("filler", 7, "C"),
)
TRAILER = (("record_kind", 1, "N"), ("count", 6, "N"), ("total", 12, "N"), ("filler", 101, "C"))
END = (("record_kind", 1, "N"), ("filler", 119, "C"))

_LINE_BREAK = re.compile(rb"\r?\n")
_TEXT_LINE_BREAK = re.compile(r"\r?\n")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Header:
    """Who pays: the requester (振込依頼人), the payer's account and the designated day (MMDD)."""

    requester_code: str
    requester_name: str
    transfer_date: str
    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    bank_name: str = ""
    branch_name: str = ""


@dataclass(frozen=True)
class Payment:
    """One data record: the payee's coordinates and name, the amount, and the requester's reference."""

    bank_code: str
    branch_code: str
    account_type: str
    account_number: str
    name: str
    amount: int
    bank_name: str = ""
    branch_name: str = ""
    reference: str = ""
    edi: bool = False
    new_code: str = "0"
    transfer_kind: str = "7"  # 7 telegraphic (電信扱), 8 documentary (文書扱)


@dataclass(frozen=True)
class BulkFile:
    header: Header
    payments: tuple[Payment, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(payment.amount for payment in self.payments)


def parse(data: bytes | str) -> BulkFile:
    """Read a Zengin bulk-transfer file; refuse a malformed one with `invalid_zengin_file` or `invalid_kana`.

    Bytes are Shift_JIS, unless they are valid UTF-8 with characters beyond ASCII (a file saved by
    a modern editor); text is taken as it is.
    """
    records = _records(data)
    if len(records) < 4:
        raise _refusal(None, f"a bulk-transfer file has a header, at least one data record, a trailer and an end "
                             f"record; this one has {len(records)} record(s)")
    kinds = [record[:1] for record in records]
    if kinds[0] != "1":
        raise _refusal(1, f"the first record must be the header (data kind 1), not {kinds[0]!r}")
    if kinds[-1] != "9":
        raise _refusal(len(records), f"the last record must be the end record (data kind 9), not {kinds[-1]!r}")
    if kinds[-2] != "8":
        raise _refusal(len(records) - 1, f"the end record must follow the trailer (data kind 8), not {kinds[-2]!r}")
    for number, kind in enumerate(kinds[1:-2], start=2):
        if kind != "2":
            raise _refusal(number, f"only data records (data kind 2) may stand between the header and the trailer, "
                                   f"not {kind!r}")
    head = _fields(records[0], HEADER, 1)
    if head["kind_code"] != BULK_TRANSFER_KIND:
        raise _refusal(1, f"kind code {head['kind_code']} is not a bulk transfer (総合振込, {BULK_TRANSFER_KIND})",
                       field="kind_code")
    if head["code_division"] != "0":
        raise _refusal(1, "only JIS-coded files (code division 0) are taken", field="code_division")
    header = Header(**{name: head[name] for name in (
        "requester_code", "requester_name", "transfer_date", "bank_code", "branch_code", "account_type",
        "account_number", "bank_name", "branch_name")})
    payments = tuple(_payment(_fields(record, DATA, number)) for number, record in enumerate(records[1:-2], start=2))
    trailer = _fields(records[-2], TRAILER, len(records) - 1)
    _fields(records[-1], END, len(records))
    parsed = BulkFile(header, payments)
    if int(trailer["count"]) != len(payments):
        raise _refusal(len(records) - 1, f"the trailer counts {int(trailer['count'])} data records, the file has "
                                         f"{len(payments)}", field="count")
    if int(trailer["total"]) != parsed.total:
        raise _refusal(len(records) - 1, f"the trailer's total is {int(trailer['total'])} yen, the data records add up "
                                         f"to {parsed.total}", field="total")
    return parsed


def dump(bulk: BulkFile, line_break: bytes = b"\r\n") -> bytes:
    """Write `bulk` as a Shift_JIS Zengin file, each record followed by `line_break` (b"" for none)."""
    header = bulk.header
    records = [_record(HEADER, {**header.__dict__, "record_kind": "1", "kind_code": BULK_TRANSFER_KIND,
                                "code_division": "0"})]
    for payment in bulk.payments:
        values = {**payment.__dict__, "record_kind": "2", "clearing_house": "0",
                  "identification": "Y" if payment.edi else " "}
        records.append(_record(DATA, values))
    records.append(_record(TRAILER, {"record_kind": "8", "count": len(bulk.payments), "total": bulk.total}))
    records.append(_record(END, {"record_kind": "9"}))
    return b"".join(record + line_break for record in records)


def _records(data: bytes | str) -> list[str]:
    """Split a file into its records, each checked to be 120 single-byte characters."""
    if isinstance(data, str):
        text = data.rstrip("\x1a\r\n")
        lines = _TEXT_LINE_BREAK.split(text) if "\n" in text else _chunks(text)
        for number, line in enumerate(lines, start=1):
            _check_length(number, line, len(line))
        return [_single_bytes(number, line) for number, line in enumerate(lines, start=1)]
    if not isinstance(data, (bytes, bytearray)):
        raise _refusal(None, "the file must be bytes or text")
    data = bytes(data).rstrip(b"\x1a\r\n")
    if not data.isascii():
        try:
            return _records(data.decode("utf-8"))
        except UnicodeDecodeError:
            pass  # Shift_JIS, as Zengin files are
    lines = _LINE_BREAK.split(data) if b"\n" in data else _chunks(data)
    records = []
    for number, line in enumerate(lines, start=1):
        _check_length(number, line, len(line))
        try:
            text = line.decode(ENCODING)
        except UnicodeDecodeError as error:
            raise _refusal(number, f"byte {error.start + 1} of the record is not Shift_JIS") from None
        records.append(_single_bytes(number, text))
    return records


def _chunks(data):
    if len(data) % RECORD_LENGTH:
        raise _refusal(None, f"a file without line breaks must be a whole number of {RECORD_LENGTH}-byte records; "
                             f"this one has {len(data)} bytes")
    return [data[i:i + RECORD_LENGTH] for i in range(0, len(data), RECORD_LENGTH)]


def _check_length(number: int, line, length: int) -> None:
    if length != RECORD_LENGTH:
        raise _refusal(number, f"record {number} has {length} bytes, not {RECORD_LENGTH}", length=length)


def _single_bytes(number: int, text: str) -> str:
    """Refuse characters that are not one byte in Shift_JIS (full-width kana, kanji, emoji)."""
    if _CONTROL.search(text) is None:
        try:
            if len(text.encode(ENCODING)) == len(text):
                return text  # the whole record at once; the loop below only finds the culprit
        except UnicodeEncodeError:
            pass
    for position, char in enumerate(text, start=1):
        try:
            if len(char.encode(ENCODING)) == 1 and not _CONTROL.match(char):
                continue
        except UnicodeEncodeError:
            pass
        raise SandboxError("invalid_kana", f"record {number}, column {position}: {char!r} is not a half-width "
                                           f"Zengin character", record=number, column=position)
    return text


def _fields(record: str, layout, number: int) -> dict:
    """Cut a record into its named fields: N fields must be digits, C fields Zengin text (trailing spaces cut)."""
    values, start = {}, 0
    for name, width, kind in layout:
        raw = record[start:start + width]
        start += width
        if name == "filler":
            continue
        if kind == "N":
            if not (raw.isascii() and raw.isdigit()):
                raise _refusal(number, f"record {number}: {name} must be {width} digits, got {raw!r}", field=name)
            values[name] = raw
        else:
            text = raw.rstrip(" ")
            if text:
                try:
                    text = to_zengin(text, name)
                except SandboxError as error:
                    raise SandboxError("invalid_kana", f"record {number}: {error.message}", record=number,
                                       field=name) from None
            values[name] = text
    return values


def _payment(values: dict) -> Payment:
    return Payment(
        bank_code=values["bank_code"], branch_code=values["branch_code"], account_type=values["account_type"],
        account_number=values["account_number"], name=values["name"], amount=int(values["amount"]),
        bank_name=values["bank_name"], branch_name=values["branch_name"], reference=values["reference"],
        edi=values["identification"] == "Y", new_code=values["new_code"], transfer_kind=values["transfer_kind"],
    )


def _record(layout, values: dict) -> bytes:
    parts = []
    for name, width, kind in layout:
        value = values.get(name)
        text = "" if value is None else str(value)
        if kind == "N":
            text = text.rjust(width, "0")
        else:
            text = text.ljust(width, " ")
        if len(text) != width:
            raise ValueError(f"{name} {value!r} does not fit in {width} characters")
        parts.append(text)
    record = "".join(parts).encode(ENCODING)
    if len(record) != RECORD_LENGTH:
        raise ValueError(f"a record came to {len(record)} bytes: its text must be half-width characters")
    return record


def _refusal(record: int | None, message: str, **details) -> SandboxError:
    where = {"record": record} if record is not None else {}
    return SandboxError("invalid_zengin_file", message, **where, **details)
