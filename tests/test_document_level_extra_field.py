"""A field OpenAPI 3.0 does not have at the document's top is left out with a warning
(tests/published_specs/document-level-extra-field: `deprecated: true` beside `x-retired-since`).
Before, the meta-schema refused the whole folder ("#: 'deprecated' does not match any of the regexes: '^x-'"),
as it did PayPal's published payments v1 spec, though such fields are left out of Info, Tag and parameters."""

from __future__ import annotations

from pathlib import Path

from sandbox.bindings.spec import read

FOLDER = Path(__file__).parent / "published_specs" / "document-level-extra-field"


def test_a_field_the_document_does_not_have_is_left_out_with_a_warning():
    spec = read(FOLDER)
    assert "deprecated" not in spec.document and spec.document["x-retired-since"] == "2020-01-01"
    assert any("#/deprecated" in warning and "left out" in warning for warning in spec.warnings), spec.warnings
    assert "/refunds/{refund_id}" in spec.document["paths"]
