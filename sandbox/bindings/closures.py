"""JMESPath expressions turned into Python closures once, instead of walked node by node on every call.

`jmespath` evaluates a compiled expression by walking its syntax tree with a visitor: a fresh
interpreter per search, a method looked up per node, arguments packed per call. Bindings evaluate a
handful of expressions on every request (the case, the action's input, the answer), and that walk was
about a tenth of a transfer's CPU time. Here each node becomes a closure over its children's closures,
built when the binding is loaded, doing exactly what `jmespath.visitor.TreeInterpreter` does for that
node type (its code is the reference: same truthiness, same projections dropping nulls, same
comparisons, functions called through the same function table with the same argument checks). Node
types met rarely (slices, expression references) are left to the interpreter itself, so
nothing the language allows is lost.
"""

from __future__ import annotations

from typing import Callable

from jmespath.visitor import TreeInterpreter, _equals, _is_actual_number, _is_comparable

Evaluate = Callable[[object], object]

_ORDERING = {"lt": lambda a, b: a < b, "gt": lambda a, b: a > b, "lte": lambda a, b: a <= b, "gte": lambda a, b: a >= b}


def compile_tree(parsed: dict, options) -> Evaluate:
    """A function of the document that answers what `jmespath` would for the expression `parsed`."""
    interpreter = TreeInterpreter(options)
    return _Builder(interpreter).build(parsed)


def _projected(items, each: Evaluate) -> list:
    """A projection's answer: `each` of every item, the nulls left out."""
    return [current for current in map(each, items) if current is not None]


def _is_false(value) -> bool:
    return value == "" or value == [] or value == {} or value is None or value is False


class _Builder:
    def __init__(self, interpreter: TreeInterpreter):
        self.interpreter = interpreter
        self.functions = interpreter._functions
        self.dict_cls = interpreter._dict_cls

    def build(self, node: dict) -> Evaluate:
        method = getattr(self, f"_{node['type']}", None)
        if method is None:  # left to the interpreter
            visit = self.interpreter.visit
            return lambda value: visit(node, value)
        return method(node)

    def _children(self, node: dict) -> list[Evaluate]:
        return [self.build(child) for child in node["children"]]

    def _field(self, node):
        key = node["value"]

        def field(value):
            try:
                return value.get(key)
            except AttributeError:
                return None
        return field

    def _subexpression(self, node):
        if all(child["type"] == "field" for child in node["children"]):
            return self._path([child["value"] for child in node["children"]])
        return self._chain(self._children(node))

    @staticmethod
    def _chain(steps: list[Evaluate]) -> Evaluate:
        if len(steps) == 2:
            first, second = steps
            return lambda value: second(first(value))

        def chain(value):
            for step in steps:
                value = step(value)
            return value
        return chain

    def _path(self, keys: list):
        """`a.b.c`: one closure for the whole chain of fields (the commonest expression in a binding)."""

        def path(value):
            for key in keys:
                try:
                    value = value.get(key)
                except AttributeError:
                    return None
            return value
        return path

    def _index_expression(self, node):
        return self._chain(self._children(node))

    _pipe = _index_expression

    def _current(self, node):
        return lambda value: value

    _identity = _current

    def _literal(self, node):
        constant = node["value"]
        return lambda value: constant

    def _index(self, node):
        position = node["value"]

        def index(value):
            if not isinstance(value, list):
                return None
            try:
                return value[position]
            except IndexError:
                return None
        return index

    def _key_val_pair(self, node):
        return self.build(node["children"][0])

    def _multi_select_dict(self, node):
        pairs = [(child["value"], self.build(child)) for child in node["children"]]
        dict_cls = self.dict_cls

        def multi_select_dict(value):
            if value is None:
                return None
            collected = dict_cls()
            for key, evaluate in pairs:
                collected[key] = evaluate(value)
            return collected
        return multi_select_dict

    def _multi_select_list(self, node):
        items = self._children(node)

        def multi_select_list(value):
            if value is None:
                return None
            return [evaluate(value) for evaluate in items]
        return multi_select_list

    def _function_expression(self, node):
        name, arguments = node["value"], self._children(node)
        functions = self.functions
        spec = functions.FUNCTION_TABLE.get(name)
        signature = spec and spec["signature"]
        variadic = bool(signature) and signature[-1].get("variadic")
        if spec is None or (len(arguments) < len(signature) if variadic else len(arguments) != len(signature)):
            call = functions.call_function  # an unknown function or a wrong count: its own error, at each call
            return lambda value: call(name, [argument(value) for argument in arguments])
        # The count of arguments is fixed by the expression, so only their types are left to check at each
        # call: with the allowed type names worked out here, as `Functions._type_check` does per call.
        function, checks = spec["function"], []
        for position, parameter in enumerate(signature):
            if parameter["types"]:
                allowed, subtypes = functions._get_allowed_pytypes(parameter["types"])
                checks.append((position, frozenset(allowed), subtypes, parameter["types"]))

        def call_checked(value):
            given = [argument(value) for argument in arguments]
            for position, allowed, subtypes, types in checks:
                current = given[position]
                if type(current).__name__ not in allowed:
                    functions._type_check_single(current, types, name)  # raises the library's own error
                elif subtypes:
                    functions._subtype_check(current, subtypes, types, name)
            return function(functions, *given)
        return call_checked

    def _filter_projection(self, node):
        base, each, condition = self._children(node)

        def filter_projection(value):
            items = base(value)
            if not isinstance(items, list):
                return None
            return [current for current in (each(item) for item in items if not _is_false(condition(item)))
                    if current is not None]
        return filter_projection

    def _comparator(self, node):
        left, right = self._children(node)
        operator = node["value"]
        if operator == "eq":
            return lambda value: _equals(left(value), right(value))
        if operator == "ne":
            return lambda value: not _equals(left(value), right(value))
        compare = _ORDERING[operator]

        def ordering(value):
            a, b = left(value), right(value)
            if not (_is_comparable(a) and _is_comparable(b)):
                return None
            return compare(a, b)
        return ordering

    def _or_expression(self, node):
        left, right = self._children(node)

        def either(value):
            matched = left(value)
            return right(value) if _is_false(matched) else matched
        return either

    def _and_expression(self, node):
        left, right = self._children(node)

        def both(value):
            matched = left(value)
            return matched if _is_false(matched) else right(value)
        return both

    def _not_expression(self, node):
        operand = self.build(node["children"][0])

        def negation(value):
            original = operand(value)
            if _is_actual_number(original) and original == 0:
                return False  # !0 is false: 0 is no special falsy value in JMESPath
            return not original
        return negation

    def _projection(self, node):
        base, each = self._children(node)

        def projection(value):
            items = base(value)
            return _projected(items, each) if isinstance(items, list) else None
        return projection

    def _value_projection(self, node):
        base, each = self._children(node)

        def value_projection(value):
            try:
                items = base(value).values()
            except AttributeError:
                return None
            return _projected(items, each)
        return value_projection

    def _flatten(self, node):
        base = self.build(node["children"][0])

        def flatten(value):
            items = base(value)
            if not isinstance(items, list):
                return None
            merged = []
            for element in items:
                if isinstance(element, list):
                    merged.extend(element)
                else:
                    merged.append(element)
            return merged
        return flatten
