"""Query strings and form bodies read as a spec's parameter styles and encodings say (http/serialization.py).

What real specs declare and their SDKs send: nested form fields in bracket notation (`metadata[k]=v`,
`items[0][price]=p`, `expand[]=a`), query filters declared `anyOf` an object and a number (`created=5`,
`created[gte]=5`), arrays as deepObject (`expand[0]=a`), names that hold brackets themselves
(`filter[status]`). The unit tests read them with the parser itself; the HTTP tests send them to a live
server serving tests/published_specs/nested-parameters.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sandbox.http.serialization import SpecSerialization, split_key

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "nested-parameters",)}
MOUNT = "/banks/nested-parameters"

RANGE = {"anyOf": [{"type": "object", "properties": {"gte": {"type": "integer"}, "lt": {"type": "integer"}}},
                   {"type": "integer"}]}
PARAMETERS = [
    {"name": "created", "in": "query", "style": "deepObject", "explode": True, "schema": RANGE},
    {"name": "expand", "in": "query", "style": "deepObject", "explode": True,
     "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}}},
    {"name": "limit", "in": "query", "schema": {"type": ["integer", "null"]}},
    {"name": "paid", "in": "query", "schema": {"type": "boolean"}},
    {"name": "filter[status]", "in": "query", "schema": {"type": "string"}},
    {"name": "id", "in": "path", "schema": {"type": "integer"}},
]
FORM = {"schema": {"type": "object", "properties": {
    "email": {"type": "string"},
    "balance": {"type": "integer"},
    "metadata": {"anyOf": [{"type": "object", "additionalProperties": {"type": "string"}}, {"type": "string", "enum": [""]}]},
    "items": {"type": "array", "items": {"type": "object", "properties": {"price": {"type": "string"},
                                                                       "quantity": {"type": "integer"}}}},
    "expand": {"type": "array", "items": {"type": "string"}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "settings": {"type": "object", "properties": {"limits": {"type": "array", "items": {"type": "number"}}}},
    "payload": {"type": "object"},
}}, "encoding": {"payload": {"contentType": "application/json"}}}


def _parser() -> SpecSerialization:
    return SpecSerialization(PARAMETERS, FORM)


def test_a_key_in_bracket_notation_splits_into_its_name_and_parts():
    assert split_key("a[b][0]") == ("a", ["b", "0"])
    assert split_key("expand[]") == ("expand", [""])
    assert split_key("plain") is None
    assert split_key("a[b") is None and split_key("a[b]c") is None and split_key("[b]") is None


def test_deep_object_query_parameters_become_objects_and_arrays_typed_by_their_schema():
    read = _parser().resolve_query({"created[gte]": ["5"], "created[lt]": ["9"], "expand[1]": ["b"], "expand[0]": ["a"]})
    assert read == {"created": {"gte": 5, "lt": 9}, "expand": ["a", "b"]}
    assert _parser().resolve_query({"expand[]": ["a", "b"]}) == {"expand": ["a", "b"]}


def test_an_any_of_parameter_sent_plain_takes_the_alternative_its_text_fits():
    assert _parser().resolve_query({"created": ["1650000000"]}) == {"created": 1650000000}
    assert _parser().resolve_query({"created": ["soon"]}) == {"created": "soon"}  # left for validation to refuse


def test_plain_parameters_keep_their_usual_reading_and_a_bracketed_name_is_a_name_of_its_own():
    read = _parser().resolve_query({"ids": ["1,2", "3"], "limit": ["20"], "paid": ["TRUE"], "filter[status]": ["open"],
                                    "unknown[x]": ["1"]})
    assert read == {"ids": [1, 2, 3], "limit": 20, "paid": True, "filter[status]": "open", "unknown[x]": ["1"]}
    assert _parser().resolve_query({"limit": ["null"]}) == {"limit": None}
    assert _parser().resolve_path({"id": "42"}) == {"id": 42}
    assert _parser().resolve_path({"id": "x"}) == {"id": "x"}


def test_form_fields_in_bracket_notation_are_nested_as_the_body_schema_says():
    form = _parser().resolve_form({
        "email": ["a@example.com"], "balance": ["-300"], "metadata[order]": ["6735"], "metadata[note]": ["x"],
        "items[0][price]": ["p1"], "items[0][quantity]": ["2"], "items[1][price]": ["p2"], "expand[]": ["a", "b"],
        "tags": ["x", "y"], "settings[limits][0]": ["1.5"], "payload": ['{"k": [1]}']})
    assert form == {"email": "a@example.com", "balance": -300, "metadata": {"order": "6735", "note": "x"},
                    "items": [{"price": "p1", "quantity": 2}, {"price": "p2"}], "expand": ["a", "b"],
                    "tags": ["x", "y"], "settings": {"limits": [1.5]}, "payload": {"k": [1]}}


def test_what_cannot_be_read_as_its_schema_is_left_as_sent_never_raised():
    form = _parser().resolve_form({"balance": ["ten"], "metadata": ["k,v"], "items[0][quantity]": ["many"],
                                   "payload": ["{not json"], "nickname[x]": ["1"]})
    assert form == {"balance": "ten", "metadata": "k,v", "items": [{"quantity": "many"}], "payload": "{not json",
                    "nickname[x]": "1"}


# -- over HTTP -----------------------------------------------------------------------------------------------


def _post(live, body: str) -> httpx.Response:
    return httpx.post(f"{live.url}{MOUNT}/v1/customers", content=body, timeout=30,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_a_form_with_nested_fields_as_sdks_send_them_is_accepted(live):
    answer = _post(live, "email=a%40example.com&metadata[order]=6735&address[city]=Tokyo&expand[]=customer"
                         "&items[0][price]=p1&items[0][quantity]=2&tax_exempt=false&balance=-1")
    assert answer.status_code == 200, answer.text
    assert answer.json()["object"] == "customer"


@pytest.mark.parametrize("body, named", [
    ("items[0][price]=p&items[0][quantity]=many", "quantity"),  # a nested value of the wrong type
    ("items[0][quantity]=2", "price"),           # a nested object missing what it requires
    ("metadata=k,v", "metadata"),                # neither an object nor the empty string
    ("nickname[x]=1", "nickname[x]"),            # a field the form does not declare
    ("balance=ten", "balance"),
    ("balance=9223372036854775808", "balance"),  # past int64
])
def test_a_form_field_that_breaks_its_schema_is_a_400_that_names_it(live, body, named):
    answer = _post(live, body)
    assert answer.status_code == 400, answer.text
    assert named in answer.text
    assert "cannot be read" not in answer.text


@pytest.mark.parametrize("query", ["created=1650000000", "created[gte]=5&created[lt]=9", "expand[0]=a&expand[1]=b",
                                   "expand[]=a", "filter[status]=active&limit=10", "starting_after=2147483647"])
def test_query_filters_as_sdks_send_them_are_accepted(live, query):
    answer = httpx.get(f"{live.url}{MOUNT}/v1/customers?{query}", timeout=30)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("query", ["created[gte]=soon", "created=soon", "filter[status]=lost", "limit=1000",
                                   "starting_after=2147483648", "starting_after=-2147483649"])
def test_a_query_filter_that_breaks_its_schema_is_a_400(live, query):
    answer = httpx.get(f"{live.url}{MOUNT}/v1/customers?{query}", timeout=30)
    assert answer.status_code == 400, answer.text
    message = answer.json()["error"]["message"]  # one line naming the parameter, not the schema dumped
    assert query.split("=")[0].split("[")[0] in message and "\n" not in message and len(message) < 200, message


@pytest.mark.parametrize("sent, status", [
    ({}, 200),                                                                       # no body at all
    ({"content": b"", "headers": {"Content-Type": "application/json"}}, 200),       # an empty one, typed
    ({"json": {"expand": ["x"]}}, 200),
    ({"content": b"null", "headers": {"Content-Type": "application/json"}}, 400),   # JSON null is a body, not nullable
    ({"json": {"expand": "x"}}, 400),
])
def test_an_optional_body_may_be_left_out_but_what_is_sent_is_checked(live, sent, status):
    answer = httpx.post(f"{live.url}{MOUNT}/v1/customers/cus_1/refresh", timeout=30, **sent)
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize("accept, status", [
    ("application/json", 200), ("*/*", 200), ("application/*", 200), ("text/html,application/xhtml+xml,*/*;q=0.8", 200),
    ("application/json; charset=utf-8", 200), ("text/html", 406), ("application/xml", 406),
    ("application/json;q=0", 406),
])
def test_an_accept_header_that_takes_none_of_the_answers_media_types_is_a_406(live, accept, status):
    answer = httpx.get(f"{live.url}{MOUNT}/v1/customers", headers={"Accept": accept}, timeout=30)
    assert answer.status_code == status, answer.text
    if status == 406:
        assert "application/json" in answer.json()["error"]["message"]


@pytest.mark.parametrize("accept, offered, expected", [
    ("text/html", {"application/json"}, False),
    ("text/*", {"application/json"}, False),
    ("text/*", {"text/csv"}, True),
    ("application/json;q=0, text/html", {"application/json"}, False),
    ("application/json;q=oops", {"application/json"}, True),    # a quality that cannot be read: not judged
    ("json", {"application/json"}, True),                        # not a media range: not judged
    (" , ", {"application/json"}, True),
    ("text/html", set(), True),                                  # an operation that declares no content
])
def test_accept_ranges_are_read_as_rfc_9110_says(accept, offered, expected):
    from sandbox.http.negotiation import acceptable

    assert acceptable(accept, frozenset(offered)) is expected


def test_a_created_resource_is_answered_with_what_was_sent(live):
    answer = _post(live, "email=hanako%40example.com&metadata[order]=6735")
    assert answer.status_code == 200, answer.text
    assert answer.json()["email"] == "hanako@example.com" and answer.json()["metadata"] == {"order": "6735"}
