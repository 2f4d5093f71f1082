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


def _codat_like(tmp_path: Path) -> Path:
    """A connection whose `additionalProperties: false` sits among its properties, and a page that says it beside
    its own `allOf` of the results and the paging fields (as Codat's expense API writes both)."""
    import json

    document = {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": {"/connections": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ConnectionPage"}}}}}}}},
        "components": {"schemas": {
            "Connection": {"type": "object", "properties": {"id": {"type": "string"}, "additionalProperties": False}},
            "Paging": {"type": "object", "properties": {"pageNumber": {"type": "integer"}, "totalResults": {"type": "integer"}}},
            "ConnectionPage": {"additionalProperties": False, "allOf": [
                {"type": "object", "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Connection"}}}},
                {"$ref": "#/components/schemas/Paging"}]}}}}
    (tmp_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    return tmp_path


def test_a_boolean_among_the_properties_named_additional_properties_is_the_schemas_own_keyword(tmp_path):
    published = read(_codat_like(tmp_path))
    connection = published.document["components"]["schemas"]["Connection"]
    assert connection["properties"] == {"id": {"type": "string"}}
    assert connection["additionalProperties"] is False
    assert "Connection/properties/additionalProperties: False among the properties, a keyword one level too far in" \
           in "\n".join(published.warnings)


def test_additional_properties_false_beside_an_allof_closes_over_the_whole_allof(tmp_path):
    import jsonschema

    published = read(_codat_like(tmp_path))
    page = published.document["components"]["schemas"]["ConnectionPage"]
    assert set(page["properties"]) == {"results", "pageNumber", "totalResults"}
    resolver = {"components": published.document["components"], **page}
    jsonschema.validate({"results": [], "pageNumber": 1, "totalResults": 0}, resolver)
    try:
        jsonschema.validate({"results": [], "surplus": 1}, resolver)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a field no member declares is still refused")


def test_an_allof_member_closed_alone_is_closed_over_its_siblings(tmp_path):
    import json

    relationships = {"allOf": [{"required": ["customer"], "additionalProperties": False},
                               {"properties": {"customer": {"type": "string"}}}]}
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}},
                "components": {"schemas": {"Relationships": relationships}}}
    (tmp_path / "openapi.json").write_text(json.dumps(document), encoding="utf-8")
    published = read(tmp_path)
    closed = published.document["components"]["schemas"]["Relationships"]["allOf"][0]
    assert closed["properties"] == {"customer": {}}
    assert "Relationships/allOf/0: additionalProperties: false beside siblings that declare customer; read as " \
           "closed over the whole allOf" in "\n".join(published.warnings)
