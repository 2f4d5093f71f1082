"""The defaults a request body's schema declares are filled in where the client left a property out."""

from __future__ import annotations

import copy

from sandbox.http.banks import defaults_filler

SPEC = {"components": {"schemas": {
    "Money": {"type": "object", "properties": {"currency": {"type": "string", "default": "JPY"},
                                              "amount": {"type": "integer"}}},
    "Payee": {"allOf": [{"$ref": "#/components/schemas/Kind"},
                        {"type": "object", "properties": {"account_type": {"type": "string", "default": "1"}}}]},
    "Kind": {"type": "object", "properties": {"kind": {"type": "string", "default": "person"}}},
    "Node": {"type": "object", "properties": {"label": {"type": "string", "default": "-"},
                                             "children": {"type": "array",
                                                          "items": {"$ref": "#/components/schemas/Node"}}}},
    "Plain": {"type": "object", "properties": {"a": {"type": "string"}, "b": {"$ref": "#/components/schemas/Plain"}}},
    "Tags": {"type": "object", "properties": {"tags": {"type": "array", "default": ["x"]}}},
}}}


def _fill(schema, value):
    fill = defaults_filler(SPEC, schema)
    return value if fill is None else fill(value)


def test_nested_objects_arrays_refs_and_all_of_are_filled_where_the_client_left_a_property_out():
    schema = {"type": "object", "properties": {
        "money": {"$ref": "#/components/schemas/Money"},
        "payees": {"type": "array", "items": {"$ref": "#/components/schemas/Payee"}},
        "note": {"type": "string", "default": "none"}}}
    sent = {"money": {"amount": 5}, "payees": [{}, {"account_type": "2", "kind": "company"}], "note": "hi"}
    assert _fill(schema, sent) == {"money": {"amount": 5, "currency": "JPY"}, "note": "hi", "payees": [
        {"kind": "person", "account_type": "1"}, {"account_type": "2", "kind": "company"}]}


def test_an_object_the_client_did_not_send_stays_missing_and_a_wrong_type_is_left_as_sent():
    schema = {"type": "object", "properties": {"money": {"$ref": "#/components/schemas/Money"}}}
    assert _fill(schema, {}) == {}
    assert _fill(schema, {"money": "ten yen"}) == {"money": "ten yen"}
    assert _fill(schema, ["not", "an", "object"]) == ["not", "an", "object"]
    assert _fill(schema, None) is None


def test_a_schema_that_refers_to_itself_fills_as_deep_as_the_value_goes():
    tree = {"children": [{"children": [{}]}, {"label": "kept"}]}
    assert _fill({"$ref": "#/components/schemas/Node"}, tree) == {"label": "-", "children": [
        {"label": "-", "children": [{"label": "-"}]}, {"label": "kept"}]}


def test_a_schema_without_any_default_needs_no_filling_at_all():
    assert defaults_filler(SPEC, {"$ref": "#/components/schemas/Plain"}) is None
    assert defaults_filler(SPEC, {"$ref": "#/components/schemas/Missing"}) is None
    assert defaults_filler(SPEC, {"$ref": "https://example.com/elsewhere.yaml"}) is None
    assert defaults_filler(SPEC, None) is None


def test_each_request_gets_its_own_copy_of_a_default():
    before = copy.deepcopy(SPEC)
    first = _fill({"$ref": "#/components/schemas/Tags"}, {})
    first["tags"].append("changed by the binding")
    assert _fill({"$ref": "#/components/schemas/Tags"}, {}) == {"tags": ["x"]}
    assert SPEC == before
