"""Schema words a published spec writes loosely (Checkout.com's): a `type` that names no JSON type, a path
parameter not marked required, one named in no variable of its template, a property with no schema. Each is
read as meant, with a warning, instead of the meta-schema refusing the whole folder
(tests/published_specs/loose-schema-words). A text's schema whose `oneOf` branches say only what an object
requires (tests/published_specs/object-branches-of-scalars) is read without them: met twice, the `oneOf` refused
every value."""

from __future__ import annotations

from pathlib import Path

import httpx

from sandbox.bindings.spec import read

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "loose-schema-words", "object-branches-of-scalars",
))}
FOLDER = Path(__file__).parent / "published_specs" / "loose-schema-words"
BRANCHES = Path(__file__).parent / "published_specs" / "object-branches-of-scalars"


def test_loose_schema_words_are_read_as_meant_with_a_warning_each():
    published = read(FOLDER)
    widget = published.document["components"]["schemas"]["Widget"]["properties"]
    assert widget["tags"]["items"]["type"] == "string"
    assert "type" not in widget["signing"]["properties"]["method"]
    assert list(widget["links"]["properties"]) == ["href"]
    [parameter] = published.document["paths"]["/widgets/{id}"]["get"]["parameters"]
    assert parameter["name"] == "id" and parameter["required"] is True
    text = "\n".join(published.warnings)
    for expected in ("items/type: 'strings' is no JSON type; read as 'string'",
                     "method/type: 'enum - SHA256' is no JSON type; left out (any type)",
                     "links/properties/required: null where a schema belongs; left out",
                     "parameters/0: a path parameter not marked required; read as required",
                     "parameters/1: the path parameter 'code' is in no variable of the template; left out"):
        assert expected in text, expected


def test_a_widget_is_read_by_its_id(live):
    answer = httpx.get(f"{live.url}/banks/loose-schema-words/widgets/w_7", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == "w_7"


def test_object_branches_of_a_text_are_left_out_with_a_warning():
    published = read(BRANCHES)
    [parameter] = published.document["paths"]["/members/{identifier}"]["get"]["parameters"]
    assert "oneOf" not in parameter["schema"] and parameter["schema"]["type"] == "string"
    assert "parameters/0/schema/oneOf: branches saying only what an object holds, in a schema of a string; " \
           "left out" in "\n".join(published.warnings)


def test_a_member_is_read_by_the_id_made_and_an_unknown_one_is_not_found(live):
    base = f"{live.url}/banks/object-branches-of-scalars"
    made = httpx.post(f"{base}/members", json={"email": "ana@example.com", "name": "Ana"}, timeout=30)
    assert made.status_code == 201, made.text
    read = httpx.get(f"{base}/members/{made.json()['id']}", timeout=30)
    assert read.status_code == 200, read.text
    assert read.json()["email"] == "ana@example.com"
    assert httpx.get(f"{base}/members/mem_aaaaaaaaaaaaaaaaaaaa", timeout=30).status_code == 404
