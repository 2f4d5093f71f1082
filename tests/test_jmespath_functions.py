"""The JMESPath functions bindings call (sandbox/bindings/functions.py): what each returns, odd inputs included.

An expression runs inside a request, so a function must never raise on what a client or an action hands
it: null stays null and anything it cannot read passes through, for the bank's schema or the action to
refuse with a clear 4xx.
"""

from __future__ import annotations

import itertools
import re

import jmespath
import pytest

from sandbox.bindings.functions import FUNCTION_NAMES, OPTIONS

BUILT_IN = {name[6:] for name in dir(jmespath.functions.Functions) if name.startswith("_func_")}
OURS = sorted(set(FUNCTION_NAMES) - BUILT_IN)


def search(expression: str, data=None):
    return jmespath.search(expression, data, options=OPTIONS)


# (expression, data, expected)
TABLE = [
    # yen_string: integer yen as a digit string
    ("yen_string(`1200`)", None, "1200"),
    ("yen_string(`0`)", None, "0"),
    ("yen_string(`-300`)", None, "-300"),
    ("yen_string(`1200.0`)", None, "1200"),
    ("yen_string('1200')", None, "1200"),
    ("yen_string('1200.00')", None, "1200"),
    ("yen_string(amount)", {"amount": 99999999999}, "99999999999"),
    ("yen_string(`null`)", None, None),
    ("yen_string(missing)", {}, None),
    ("yen_string('abc')", None, "abc"),
    ("yen_string('12.5')", None, "12.5"),
    ("yen_string(`12.7`)", None, "12.7"),  # never truncated into a different sum
    ("yen_string(`true`)", None, True),
    ("yen_string(`[1]`)", None, [1]),
    # decimal_yen: "1200" or "1200.00" -> 1200, the rest passed through for the action to refuse
    ("decimal_yen('1200')", None, 1200),
    ("decimal_yen('1200.00')", None, 1200),
    ("decimal_yen('1200.0')", None, 1200),
    ("decimal_yen('0')", None, 0),
    ("decimal_yen('1200.50')", None, "1200.50"),
    ("decimal_yen('-5')", None, "-5"),
    ("decimal_yen('１２００')", None, "１２００"),
    ("decimal_yen('12,000')", None, "12,000"),
    ("decimal_yen('')", None, ""),
    ("decimal_yen('99999999999999')", None, "99999999999999"),
    ("decimal_yen(`1200`)", None, 1200),
    ("decimal_yen(`null`)", None, None),
    ("decimal_yen(`{\"a\": 1}`)", None, {"a": 1}),
    # amount_string: two decimals, as consent-style APIs print amounts
    ("amount_string(`1200`)", None, "1200.00"),
    ("amount_string(`0`)", None, "0.00"),
    ("amount_string(`12.5`)", None, "12.50"),
    ("amount_string('1200')", None, "1200.00"),
    ("amount_string('1200.5')", None, "1200.50"),
    ("amount_string(`null`)", None, None),
    ("amount_string('abc')", None, "abc"),
    ("amount_string(`false`)", None, False),
    # date: a date or date-time -> YYYY-MM-DD, the date in Japan
    ("date('2026-11-24')", None, "2026-11-24"),
    ("date('2026-11-24T10:00:00+09:00')", None, "2026-11-24"),
    ("date('2026-11-24T23:30:00Z')", None, "2026-11-25"),
    ("date('2026-11-24T10:00:00')", None, "2026-11-24"),
    ("date(now)", {"now": "2026-12-31T23:59:59+09:00"}, "2026-12-31"),
    ("date(`null`)", None, None),
    ("date('garbage')", None, "garbage"),
    ("date('2026-13-45')", None, "2026-13-45"),
    ("date('')", None, ""),
    ("date(`20261124`)", None, 20261124),
    ("date('9999-12-31T23:00:00-05:00')", None, "9999-12-31T23:00:00-05:00"),  # beyond year 9999 in Japan
    # compact_date: -> YYYYMMDD
    ("compact_date('2026-11-24')", None, "20261124"),
    ("compact_date('2026-11-24T20:00:00Z')", None, "20261125"),
    ("compact_date(`null`)", None, None),
    ("compact_date('junk')", None, "junk"),
    ("compact_date('a-b-c')", None, "a-b-c"),
    # from_compact_date: YYYYMMDD -> YYYY-MM-DD, passed through if it is not one
    ("from_compact_date('20261124')", None, "2026-11-24"),
    ("from_compact_date('2026-11-24')", None, "2026-11-24"),
    ("from_compact_date('2026112')", None, "2026112"),
    ("from_compact_date('20261345')", None, "20261345"),
    ("from_compact_date(`20261124`)", None, 20261124),
    ("from_compact_date(`null`)", None, None),
    # datetime: ISO 8601 with the JST offset
    ("datetime('2026-11-24T01:00:00Z')", None, "2026-11-24T10:00:00+09:00"),
    ("datetime('2026-11-24T10:00:00')", None, "2026-11-24T10:00:00+09:00"),
    ("datetime('2026-11-24T10:00:00.123456+09:00')", None, "2026-11-24T10:00:00+09:00"),
    ("datetime('2026-11-24')", None, "2026-11-24T00:00:00+09:00"),
    ("datetime(`null`)", None, None),
    ("datetime('junk')", None, "junk"),
    ("datetime(`1`)", None, 1),
    # utc_datetime: ISO 8601 in UTC
    ("utc_datetime('2026-11-24T10:00:00+09:00')", None, "2026-11-24T01:00:00Z"),
    ("utc_datetime('2026-11-24')", None, "2026-11-23T15:00:00Z"),
    ("utc_datetime('2026-11-24T01:00:00Z')", None, "2026-11-24T01:00:00Z"),
    ("utc_datetime(`null`)", None, None),
    ("utc_datetime('junk')", None, "junk"),
    ("utc_datetime('0001-01-01T00:00:00+09:00')", None, "0001-01-01T00:00:00+09:00"),  # before year 1 in UTC
    # time: HH:MM:SS in Japan
    ("time('2026-11-24T01:00:00Z')", None, "10:00:00"),
    ("time('2026-11-24T15:04:05+09:00')", None, "15:04:05"),
    ("time('2026-11-24')", None, "00:00:00"),
    ("time(`null`)", None, None),
    ("time('junk')", None, "junk"),
    # half_kana / full_kana (jaconv)
    ("half_kana('ヤマダ　タロウ')", None, "ﾔﾏﾀﾞ ﾀﾛｳ"),
    ("half_kana('やまだ')", None, "ﾔﾏﾀﾞ"),
    ("half_kana('ＡＢＣ１２３')", None, "ABC123"),
    ("half_kana('ﾔﾏﾀﾞ')", None, "ﾔﾏﾀﾞ"),
    ("half_kana('')", None, ""),
    ("half_kana(`null`)", None, None),
    ("half_kana(`7`)", None, 7),
    ("full_kana('ﾔﾏﾀﾞ ﾀﾛｳ')", None, "ヤマダ　タロウ"),
    ("full_kana('ABC')", None, "ＡＢＣ"),
    ("full_kana(`null`)", None, None),
    ("full_kana(`[\"ｱ\"]`)", None, ["ｱ"]),
    # account_type_code: names or codes -> the Zengin code
    ("account_type_code('ordinary')", None, "1"),
    ("account_type_code('Current')", None, "2"),
    ("account_type_code(' savings ')", None, "4"),
    ("account_type_code('other')", None, "9"),
    ("account_type_code('2')", None, "2"),
    ("account_type_code(`1`)", None, "1"),
    ("account_type_code(`4.0`)", None, "4"),
    ("account_type_code('weird')", None, "weird"),
    ("account_type_code(`null`)", None, None),
    ("account_type_code(`true`)", None, True),
    # account_type_name / account_type_label: code -> English name / Japanese label
    ("account_type_name('1')", None, "ordinary"),
    ("account_type_name('2')", None, "current"),
    ("account_type_name('4')", None, "savings"),
    ("account_type_name('9')", None, "other"),
    ("account_type_name(`4`)", None, "savings"),
    ("account_type_name('x')", None, "x"),
    ("account_type_name(`null`)", None, None),
    ("account_type_label('1')", None, "普通"),
    ("account_type_label('2')", None, "当座"),
    ("account_type_label('4')", None, "貯蓄"),
    ("account_type_label('9')", None, "その他"),
    ("account_type_label(`2`)", None, "当座"),
    ("account_type_label('x')", None, "x"),
    ("account_type_label(`null`)", None, None),
    # lookup(object, key, default?)
    ("lookup(@, 'a')", {"a": 1}, 1),
    ("lookup(@, 'b')", {"a": 1}, None),
    ("lookup(@, 'b', 'fallback')", {"a": 1}, "fallback"),
    ("lookup(@, 'a', 'fallback')", {"a": None}, None),
    ("lookup(@, `1`)", {"1": "one"}, "one"),
    ("lookup(@, `null`, 'd')", {"a": 1}, "d"),
    ("lookup(codes, code, 'E9999')", {"codes": {"insufficient_funds": "E3001"}, "code": "insufficient_funds"}, "E3001"),
    ("lookup(codes, code, 'E9999')", {"codes": {"insufficient_funds": "E3001"}, "code": "maintenance"}, "E9999"),
    ("lookup(`null`, 'a')", None, None),
    ("lookup(`null`, 'a', 'd')", None, "d"),
    ("lookup(`[1, 2]`, 'a', 'd')", None, "d"),
    # if(condition, then, else): falsy values work
    ("if(`true`, 'y', 'n')", None, "y"),
    ("if('x', 'y', 'n')", None, "y"),
    ("if(`0`, 'y', 'n')", None, "y"),  # 0 is a value, not a missing one
    ("if(`false`, 'y', 'n')", None, "n"),
    ("if(`null`, 'y', 'n')", None, "n"),
    ("if('', 'y', 'n')", None, "n"),
    ("if(`[]`, 'y', 'n')", None, "n"),
    ("if(`{}`, 'y', 'n')", None, "n"),
    ("if(`true`, `null`, 'n')", None, None),
    ("if(`true`, `false`, `true`)", None, False),
    # default(value, fallback)
    ("default(`null`, 'f')", None, "f"),
    ("default(missing, `0`)", {}, 0),
    ("default(`false`, 'f')", None, False),
    ("default('', 'f')", None, ""),
    ("default(`0`, 'f')", None, 0),
    # concat(a, b, ...)
    ("concat('a', 'b', 'c')", None, "abc"),
    ("concat('a')", None, "a"),
    ("concat('trf_', `42`)", None, "trf_42"),
    ("concat('a', `null`, 'b')", None, "ab"),
    ("concat(`true`, `1.5`, `2.0`)", None, "true1.52"),
    ("concat('x', `[1, 2]`, `{\"k\": \"v\"}`)", None, 'x[1,2]{"k":"v"}'),
    ("concat('/banks/', bank.slug, '/x/', id)", {"bank": {"slug": "kaede"}, "id": "trf_1"}, "/banks/kaede/x/trf_1"),
    # split(s, separator)
    ("split('a,b', ',')", None, ["a", "b"]),
    ("split('a b  c', ' ')", None, ["a", "b", "", "c"]),
    ("split('abc', ',')", None, ["abc"]),
    ("split('', ',')", None, [""]),
    ("split('abc', '')", None, ["a", "b", "c"]),
    ("split(`null`, ',')", None, None),
    ("split('a,b', `null`)", None, ["a,b"]),
    ("split(`12`, ',')", None, 12),
    # zengin_account: "0990-001-1-1234567" or "099000111234567" -> its parts, null when malformed
    ("zengin_account('0990-001-1-1234567')", None,
     {"bank_code": "0990", "branch_code": "001", "account_type": "1", "account_number": "1234567"}),
    ("zengin_account('099100241234567')", None,
     {"bank_code": "0991", "branch_code": "002", "account_type": "4", "account_number": "1234567"}),
    ("zengin_account('0990-001-3-1234567')", None, None),  # 3 is not an account type
    ("zengin_account('0990-001-1-123456')", None, None),
    ("zengin_account('0990-001-1-12345678')", None, None),
    ("zengin_account(' 0990-001-1-1234567')", None, None),
    ("zengin_account('bad')", None, None),
    ("zengin_account('')", None, None),
    ("zengin_account(`null`)", None, None),
    ("zengin_account(`99000111234567`)", None, None),
    # zengin_id(bank, branch, type, number)
    ("zengin_id('0990', '001', '1', '1234567')", None, "0990-001-1-1234567"),
    ("zengin_id(bank_code, branch_code, account_type, account_number)",
     {"bank_code": "0992", "branch_code": "010", "account_type": "2", "account_number": "7654321"}, "0992-010-2-7654321"),
    ("zengin_id(`null`, '001', '1', '1234567')", None, None),
    ("zengin_id('0990', '001', `1`, '1234567')", None, "0990-001-1-1234567"),
    # upper / lower
    ("upper('abc')", None, "ABC"),
    ("upper('ｱｲｳ abc')", None, "ｱｲｳ ABC"),
    ("upper(`null`)", None, None),
    ("upper(`1`)", None, 1),
    ("lower('ABC')", None, "abc"),
    ("lower(`null`)", None, None),
    ("lower(`false`)", None, False),
    # omit_nulls(object)
    ("omit_nulls(@)", {"a": None, "b": 0, "c": "", "d": False, "e": []}, {"b": 0, "c": "", "d": False, "e": []}),
    ("omit_nulls(@)", {"a": None}, {}),
    ("omit_nulls(`{}`)", None, {}),
    ("omit_nulls(`null`)", None, None),
    ("omit_nulls(`[1, null]`)", None, [1, None]),
    ("omit_nulls({x: a, y: b})", {"a": 1}, {"x": 1}),
    # slice(s, start, end?): Python's slice of a string, negative positions from the end
    ("slice('0990-001', `5`)", None, "001"),
    ("slice('0990-001', `0`, `4`)", None, "0990"),
    ("slice('trf_00c0ffee12345678', `-6`)", None, "345678"),
    ("slice('ab', `5`)", None, ""),
    ("slice('abc', '1')", None, "bc"),
    ("slice(`12345`, `1`)", None, 12345),
    ("slice('abc', 'x')", None, "abc"),
    ("slice(`null`, `1`)", None, None),
    # pad_left / pad_right(value, width, fill?): to at least `width` characters; longer text is kept whole
    ("pad_left(`42`, `6`, '0')", None, "000042"),
    ("pad_left('7', `3`)", None, "  7"),
    ("pad_left('12345', `3`, '0')", None, "12345"),
    ("pad_right('ﾔﾏﾀﾞ', `6`)", None, "ﾔﾏﾀﾞ  "),
    ("pad_right('A', `3`, '*')", None, "A**"),
    ("pad_left('7', `3`, '00')", None, "7"),  # a fill must be one character
    ("pad_left('7', `100000`)", None, "7"),  # wider than any field: passed through
    ("pad_left(`null`, `3`, '0')", None, None),
    # format(template, values...): {0}, {1} replaced by the values as text; {{ }} are braces; a null value gives null
    ("format('{0}-{1}', '0990', '001')", None, "0990-001"),
    ("format('{1}{0}{1}', 'a', `2`)", None, "2a2"),
    ("format('{{{0}}}', `1.0`)", None, "{1}"),
    ("format('{0.__class__}', 'x')", None, "{0.__class__}"),  # nothing but positions is read
    ("format('{0}-{1}', 'a', `null`)", None, None),
    ("format(`null`, 'a')", None, None),
    # merge_each(array, object): the object's fields added to every object of the array
    ("merge_each(accounts, {at: now})[].[id, at]", {"accounts": [{"id": "a"}, {"id": "b"}], "now": "t"}, [["a", "t"], ["b", "t"]]),
    ("merge_each(`[{\"a\": 1}, 2, null]`, `{\"a\": 3}`)", None, [{"a": 3}, 2, None]),
    ("merge_each(`[]`, `{}`)", None, []),
    ("merge_each(`null`, `{}`)", None, None),
    ("merge_each(`[1]`, 'x')", None, [1]),
    # fixed_id(id, width) / sandbox_id(prefix, text): a sandbox id as exactly `width` (16-64) characters, and back
    ("fixed_id('trf_00c0ffee12345678', `16`)", None, "00c0ffee12345678"),
    ("fixed_id('trf_00c0ffee12345678', `20`)", None, "000000c0ffee12345678"),
    ("fixed_id('trf_00c0ffee12345678', `15`)", None, "trf_00c0ffee12345678"),  # too short to keep every digit
    ("fixed_id('trf_00C0FFEE12345678', `16`)", None, "trf_00C0FFEE12345678"),
    ("fixed_id('TRF-1', `16`)", None, "TRF-1"),
    ("sandbox_id('trf', '00c0ffee12345678')", None, "trf_00c0ffee12345678"),
    ("sandbox_id('trf', '000000c0ffee12345678')", None, "trf_00c0ffee12345678"),
    ("sandbox_id('trf', '100000c0ffee12345678')", None, "100000c0ffee12345678"),  # not a padded id: unchanged
    ("sandbox_id('trf', 'trf_0000000000000000')", None, "trf_0000000000000000"),
    ("sandbox_id('trf', '0c0ffee')", None, "0c0ffee"),
    ("sandbox_id(`null`, '00c0ffee12345678')", None, "00c0ffee12345678"),
]


@pytest.mark.parametrize("expression, data, expected", TABLE, ids=[f"{row[0]}|{row[1]}" for row in TABLE])
def test_jmespath_functions_table(expression, data, expected):
    assert search(expression, data) == expected


def test_jmespath_functions_every_function_is_in_the_table():
    called = {match for expression, *_ in TABLE for match in re.findall(r"([a-z_]+)\(", expression)}
    assert sorted(set(OURS) - called) == []


def test_jmespath_functions_are_the_documented_ones():
    assert OURS == sorted([
        "account_type_code", "account_type_label", "account_type_name", "amount_string", "compact_date", "concat",
        "date", "datetime", "decimal_yen", "default", "fixed_id", "format", "from_compact_date", "full_kana",
        "half_kana", "if", "lookup", "lower", "merge_each", "omit_nulls", "pad_left", "pad_right", "sandbox_id", "slice", "split",
        "time", "upper", "utc_datetime", "yen_string", "zengin_account", "zengin_id",
    ])


# Every kind of JSON value a request or an action might hand a function, well-formed or not.
ODD = ["`null`", "`true`", "`false`", "`0`", "`-1`", "`1.5`", "`1e300`", "''", "' '", "'garbage'", "'0'",
       "'2026-02-30'", "'99999999'", "'ｱｲｳ'", "'\\u0000'", "`[]`", "`[null]`", "`{}`", "`{\"a\": null}`"]
ARITY = {"lookup": (2, 3), "if": (3,), "default": (2,), "split": (2,), "zengin_id": (4,), "concat": (1, 2, 3),
         "slice": (2, 3), "pad_left": (2, 3), "pad_right": (2, 3), "format": (2, 3), "fixed_id": (2,), "sandbox_id": (2,),
         "merge_each": (2,)}


def _odd_calls():
    for name in OURS:
        for arity in ARITY.get(name, (1,)):
            pool = ODD if arity == 1 else ["`null`", "`1`", "'x'", "`[]`", "`{}`", "`{\"x\": 1}`"]
            for args in itertools.product(pool, repeat=arity):
                yield f"{name}({', '.join(args)})"


@pytest.mark.parametrize("name", OURS)
def test_jmespath_functions_never_raise_on_odd_input(name):
    calls = [call for call in _odd_calls() if call.startswith(f"{name}(")]
    assert calls
    for call in calls:
        try:
            search(call)
        except Exception as error:  # noqa: BLE001 - the point is that nothing escapes
            pytest.fail(f"{call} raised {type(error).__name__}: {error}")


@pytest.mark.parametrize("name", [n for n in OURS if n not in ARITY])
def test_jmespath_functions_pass_null_through(name):
    # zengin_account answers null for anything it cannot read, null included; the rest keep null as null.
    assert search(f"{name}(`null`)") is None


@pytest.mark.parametrize("name", [n for n in OURS if n not in ARITY and n != "zengin_account"])
def test_jmespath_functions_pass_unreadable_values_through(name):
    for odd in ([1, [2]], {"k": ["v"]}):
        assert search(f"{name}(@)", odd) == odd


def test_jmespath_functions_lookup_refuses_too_many_arguments():
    with pytest.raises(jmespath.exceptions.ArityError):
        search("lookup(@, 'a', 'b', 'c')", {})


@pytest.mark.parametrize("expression", ["if(`true`, 'y')", "default(`null`)", "zengin_id('0990', '001', '1')", "concat()"])
def test_jmespath_functions_wrong_arity_is_a_jmespath_error(expression):
    # Such an expression is a mistake in a binding: it fails the same way every time, with JMESPath's message.
    with pytest.raises(jmespath.exceptions.ArityError):
        search(expression)


@pytest.mark.parametrize("expression", ["slice('abc')", "slice('abc', `1`, `2`, `3`)", "pad_left('a')",
                                        "pad_right('a', `1`, ' ', ' ')", "format('x')", "fixed_id('x')"])
def test_jmespath_functions_optional_arguments_have_bounds(expression):
    with pytest.raises(jmespath.exceptions.ArityError):
        search(expression)


def test_jmespath_functions_fixed_ids_round_trip():
    for number in (0, 1, 0xC0FFEE, 2**64 - 1):
        sandbox = f"trf_{number:016x}"
        for width in (16, 20, 64):
            fixed = search("fixed_id(@, `%d`)" % width, sandbox)
            assert len(fixed) == width
            assert search("sandbox_id('trf', @)", fixed) == sandbox


def test_jmespath_functions_round_trips():
    for day in ("2026-01-01", "2026-02-28", "2026-12-31", "2028-02-29"):
        assert search("from_compact_date(compact_date(@))", day) == day
    for code in ("1", "2", "4", "9"):
        assert search("account_type_code(account_type_name(@))", code) == code
    for zengin in ("0990-001-1-1234567", "0991-123-4-0000001"):
        assert search("zengin_id(a.bank_code, a.branch_code, a.account_type, a.account_number)",
                      {"a": search("zengin_account(@)", zengin)}) == zengin
    for name in ("ヤマダ　タロウ", "カ）カエデショウジ"):
        assert search("full_kana(half_kana(@))", name) == name
    for amount in (0, 1, 1200, 30000, 9999999999):
        assert search("decimal_yen(amount_string(@))", amount) == amount
        assert search("decimal_yen(yen_string(@))", amount) == amount
