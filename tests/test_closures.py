"""Bindings' JMESPath expressions evaluated as closures answer exactly what jmespath's interpreter answers."""

from __future__ import annotations

from pathlib import Path

import jmespath
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from sandbox.bindings.closures import compile_tree
from sandbox.bindings.functions import OPTIONS
from sandbox.bindings.loader import load_bank
from sandbox.resources import data_dir

KEYS = ("a", "b", "c")
EXPRESSIONS = [
    "a", "a.b", "a.b.c", "a[0]", "a[-1]", "a[0].b", "a[*].b", "a[].b", "a[]", "a[][]", "*.b", "a.*", "a.*.b",
    "{x: a, y: b.c}", "[a, b]", "a.{x: b}", "a[*].{x: b, y: c}", "a[*].[b, c]", "`1`", "`null`", "'text'", "@",
    "a || b", "a && b", "!a", "!`0`", "!`[]`", "a == b", "a != b", "a < b", "a >= `1`", "a.b == `\"x\"`",
    "a | b", "a[*].b | [0]", "length(a)", "keys(a)", "to_string(a)", "not_null(a, b, `3`)", "sort_by(a, &b)",
    "a[?b == `1`].c", "a[1:2]", "max_by(a, &b)", "a[?b].c[]", "{x: a[*].b[]}", "contains(a, `1`)",
    "yen_string(a)", "merge(a, b)", "type(a)", "a == `0` || b", "(a || b).c", "a[*].b.c", "a[0][0]",
    # filter projections, and functions checking their arguments' types (arrays of a type too), variadic ones,
    # and calls with a wrong count of arguments
    "a[?b]", "a[?!b]", "a[?b == `1`]", "a[?b != c].c | [0]", "a[?b > `0`][]", "a[?b][?c]", "a.b.c.a",
    "sum(a)", "avg(a)", "max(a)", "sort(a)", "join(`\",\"`, a)", "abs(a)", "starts_with(a, `\"x\"`)",
    "length(a, b)", "abs()", "format('{0}', a)", "concat(a, b, c)", "if(a, b, c)", "lookup(a, b)", "omit_nulls(a)",
    "sum(a[?b].c)", "length(a[?b])",
]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "1"]),
                    st.floats(allow_nan=False, allow_infinity=False, width=16))
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)),
                         max_leaves=12)


def _answer(evaluate, document):
    """What an evaluation gives: its value with the type of each scalar (True is not 1), or the error's type."""
    try:
        return _typed(evaluate(document))
    except Exception as error:  # the same refusal from both (a function given the wrong type, ...)
        return ("raised", type(error).__name__)


def _typed(value):
    if isinstance(value, dict):
        return ("dict", tuple((key, _typed(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("list", tuple(_typed(item) for item in value))
    return (type(value).__name__, value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.one_of(documents, st.dictionaries(st.sampled_from(KEYS), documents, max_size=3)))
def test_every_kind_of_expression_answers_as_the_interpreter(document):
    for text in EXPRESSIONS:
        compiled = jmespath.compile(text)
        closure = compile_tree(compiled.parsed, OPTIONS)
        assert _answer(closure, document) == _answer(lambda d: compiled.search(d, options=OPTIONS), document), text


def _expressions(value):
    """Every compiled expression held by a loaded binding (cases, inputs, outputs, headers)."""
    if hasattr(value, "compiled") and hasattr(value, "evaluate"):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _expressions(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _expressions(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _expressions(getattr(value, name))


def _identifiers(node, found):
    if isinstance(node, dict):
        if node.get("type") in ("field", "key_val_pair") and isinstance(node.get("value"), str):
            found.add(node["value"])
        for child in node.get("children", []):
            _identifiers(child, found)
    return found


BANKS = sorted(path for path in Path(data_dir("specs")).iterdir() if path.is_dir())


@pytest.mark.parametrize("folder", BANKS, ids=[path.name for path in BANKS])
def test_every_binding_expression_of_every_bank_answers_as_the_interpreter(folder):
    api = load_bank(folder)
    expressions = list(_expressions(api.operations))
    assert expressions and all(expression.evaluate is not None for expression in expressions)
    names = sorted(set().union(*(_identifiers(e.compiled.parsed, set()) for e in expressions)))

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=2),
                                                         st.dictionaries(st.sampled_from(names), inner, max_size=4)),
                        max_leaves=20))
    def check(document):
        for expression in expressions:
            assert (_answer(lambda d: expression.search(d, OPTIONS), document)
                    == _answer(lambda d: expression.compiled.search(d, options=OPTIONS), document)), expression.text

    check()


@pytest.mark.parametrize("text", ["a[?b].c", "a[?!b].c", "a[?b == `0`].c", "sum(a[?b].c)", "a[?b] | length(@)"])
def test_a_filter_keeps_what_jmespath_holds_true_not_what_python_does(text):
    """0 and 0.0 are true in JMESPath (only '', [], {}, null and false are not); a kept item's null is dropped."""
    document = {"a": [{"b": 0, "c": 1}, {"b": "", "c": 2}, {"b": [], "c": 3}, {"b": False, "c": 4}, {"b": {}, "c": 5},
                      {"c": 6}, {"b": 0.0, "c": 7}, {"b": 1, "c": None}, {"b": "x", "c": 8}]}
    compiled = jmespath.compile(text)
    closure = compile_tree(compiled.parsed, OPTIONS)
    assert _answer(closure, document) == _answer(lambda d: compiled.search(d, options=OPTIONS), document)
