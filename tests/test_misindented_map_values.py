"""A property named `additionalProperties` written just after an object with no fields of its own is that
object's map of values, its indentation slipped (tests/published_specs/misindented-map-values): read as a field,
every page of notices answered one named `additionalProperties` beside links holding no relation."""

from __future__ import annotations

from pathlib import Path

from sandbox.bindings.spec import read

FOLDER = Path(__file__).parent / "published_specs" / "misindented-map-values"


def test_the_property_after_an_empty_object_is_its_map_of_values():
    published = read(FOLDER)
    schemas = published.document["components"]["schemas"]
    page = schemas["Notices"]["properties"]
    assert "additionalProperties" not in page
    assert page["_links"]["additionalProperties"] == {"$ref": "#/components/schemas/Link"}
    assert list(page) == ["_links", "_embedded", "total"]
    assert "Notices/properties/additionalProperties: a property named as a keyword, after '_links', an object " \
           "with no fields; read as the values of its map" in "\n".join(published.warnings)


def test_a_property_of_that_name_after_anything_else_is_a_name():
    published = read(FOLDER)
    rule = published.document["components"]["schemas"]["FieldRule"]["properties"]
    assert rule["additionalProperties"] == {"type": "boolean", "example": False}
    assert "additionalProperties" not in rule["type"]
