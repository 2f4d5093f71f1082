"""Schema words a published spec writes loosely (Checkout.com's): a `type` that names no JSON type, a path
parameter not marked required, one named in no variable of its template, a property with no schema. Each is
read as meant, with a warning, instead of the meta-schema refusing the whole folder
(tests/published_specs/loose-schema-words)."""

from __future__ import annotations

from pathlib import Path

import httpx

from sandbox.bindings.spec import read

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs",)}
FOLDER = Path(__file__).parent / "published_specs" / "loose-schema-words"


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
