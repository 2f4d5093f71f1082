"""Reading published specs as their authors meant them (sandbox/bindings/spec.py), on the folders of tests/published_specs.

Names that look like keywords (a `default` response, a property called `value`) are names; literal data
(an example, a default, an enum) is data, `$ref` keys and all; a reference that points at nothing is
found when the folder is read, never by Connexion later; OpenAPI 3.1 `$id`/`$anchor` references resolve;
cosmetic defects vendors publish are served with a warning; a bank folder given as the specs folder is served.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from connexion.json_schema import resolve_refs

import live_server
from sandbox.bindings import load_bank
from sandbox.bindings.spec import SpecError, read
from sandbox.cli import main

FOLDER = Path(__file__).parent / "published_specs"
OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}


def _write(folder: Path, name: str, document: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(document), encoding="utf-8")
    return folder


def test_spec_read_swagger2_names_that_look_like_keywords_are_converted():
    document = read(FOLDER / "swagger2-name-keys").document
    balance = document["paths"]["/balances/{accountId}"]["get"]
    assert balance["responses"]["default"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert balance["parameters"][2] == {"$ref": "#/components/parameters/value"}
    assert balance["parameters"][1]["name"] == "example" and balance["parameters"][1]["schema"]["default"] == "short"
    properties = document["components"]["schemas"]["Balance"]["properties"]
    for name in ("value", "example", "default"):
        assert properties[name] == {"$ref": "#/components/schemas/Amount"}, name
    assert properties["enum"]["items"] == {"$ref": "#/components/schemas/Amount"}
    responses = document["paths"]["/statements/{accountId}/file"]["get"]["responses"]
    assert responses["200"]["content"]["application/octet-stream"]["schema"] == {"type": "string", "format": "binary"}
    failed = responses["default"]["content"]["application/octet-stream"]
    assert failed["schema"]["properties"]["value"] == {"type": "string", "nullable": True}  # x-nullable under `default`
    assert failed["schema"]["properties"]["detail"] == {"$ref": "#/components/schemas/Error"}
    # The schema's example is data: its `$ref` is text the author wrote, not a reference to move.
    assert document["components"]["schemas"]["Balance"]["example"]["note"] == {"$ref": "#/definitions/NotASchemaJustText"}


def test_spec_read_leaves_references_in_literal_data_alone():
    document = read(FOLDER / "literal-refs").document
    listed = document["paths"]["/attribute-definitions"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    assert [d["schema"] for d in listed["definitions"]] == [
        {"$ref": "https://schemas.example.com/v1/common.json#example.String"},
        {"$ref": "./not-a-file-in-this-folder.yaml#/Size"}]  # neither fetched nor bundled
    stored = document["components"]["schemas"]["StoredDefinition"]["properties"]["schema"]
    assert stored["default"] == {"$ref": "https://schemas.example.com/v1/common.json#example.String"}
    assert stored["enum"][1] == {"$ref": "#/components/schemas/NoSuchSchema"}  # not a dangling reference: data
    assert stored["x-example"] == {"$ref": "elsewhere.json#/Nothing"}


def test_load_bank_hides_literal_refs_from_connexion_but_serves_them_as_written():
    api = load_bank(FOLDER / "literal-refs")
    resolve_refs(api.spec)  # Connexion resolves every `$ref` key it meets: none of the data's may reach it
    served = json.loads(json.dumps(api.spec))
    created = served["paths"]["/attribute-definitions"]["post"]["responses"]["201"]["content"]["application/json"]
    assert created["examples"]["colour"]["value"]["schema"] == {"$ref": "https://schemas.example.com/v1/common.json#example.String"}


def test_spec_read_serves_a_reference_to_a_missing_schema_as_any_value_with_a_warning():
    published = read(FOLDER / "dangling-schema-ref")
    assert published.document["components"]["schemas"]["Modifier"]["properties"]["override"] == {}
    [warning] = published.warnings
    assert "'#/components/schemas/ToggleOverrideType' points at no schema" in warning
    assert "#/components/schemas/Modifier/properties/override" in warning


def test_spec_read_names_a_missing_swagger2_definition_as_the_author_wrote_it(tmp_path):
    _write(tmp_path, "swagger.json", {
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Gone"}}}}}}})
    [warning] = read(tmp_path).warnings
    assert "'#/definitions/Gone'" in warning and "#/paths/~1x/get/responses/200/schema" in warning


@pytest.mark.parametrize("name", ["swagger.json", "openapi.yaml"])
def test_spec_read_takes_a_file_that_starts_with_a_byte_order_mark(tmp_path, name):
    # Specs saved by Windows tools start with one (a card issuer's published swagger.json does).
    text = json.dumps({"swagger": "2.0", "info": {"title": "Marked", "version": "1"},
                       "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}})
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert read(tmp_path).document["info"]["title"] == "Marked"


def test_spec_read_refuses_any_other_reference_that_points_at_nothing():
    with pytest.raises(SpecError, match=r"#/paths/~1accounts/get/parameters/0/\$ref '#/components/parameters/PageSize': "
                                        r"the reference points at nothing"):
        read(FOLDER / "dangling-parameter-ref")


def test_spec_read_escapes_the_pointers_it_names(tmp_path):
    bank = _write(tmp_path / "bank", "openapi.json", {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a/b": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "../outside.json#/Thing"}}}}}}}}})
    with pytest.raises(SpecError, match=r"#/paths/~1a~1b/get/responses/200/content/application~1json/schema/\$ref"):
        read(bank)


def test_spec_read_resolves_openapi31_id_and_anchor_references():
    document = read(FOLDER / "openapi31-ids").document
    pet = document["components"]["schemas"]["Pet"]["properties"]
    assert pet["details"] == {"$ref": "#/components/schemas/PetDetails"}
    assert pet["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert pet["ownerName"] == {"$ref": "#/components/schemas/Owner/properties/name"}
    assert pet["colour"] == {"$ref": "#/components/schemas/Colour"}
    parameter = document["paths"]["/pets/{petId}"]["get"]["parameters"][0]
    assert parameter["schema"] == {"$ref": "#/components/schemas/PetDetails/properties/id"}
    assert "$id" not in document["components"]["schemas"]["PetDetails"]


def test_spec_read_says_an_openapi31_identifier_names_nothing(tmp_path):
    _write(tmp_path, "openapi.json", {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"$id": "/schemas/a", "type": "string"},
                                   "B": {"$ref": "/schemas/a#no-such-anchor"}}}})
    with pytest.raises(SpecError, match=r"#/components/schemas/B/\$ref '/schemas/a#no-such-anchor': names no \$id or \$anchor"):
        read(tmp_path)


def test_spec_read_tolerates_cosmetic_defects_with_a_warning_each_and_no_other(tmp_path):
    published = read(FOLDER / "cosmetic-defects")
    document = published.document
    assert "externalDocs" not in document["info"] and document["info"]["version"] == "2.0"
    assert document["tags"] == [{"name": "locations"}]
    assert document["paths"]["/oauth2/revoke"]["post"]["security"] == [{"oauth2": []}]
    assert len(published.warnings) == 4
    assert any("#/paths/~1oauth2~1revoke/post/security/0/oauth2: null where a list of scopes belongs" in w
               for w in published.warnings)
    # A requirement whose scopes are not a list is not cosmetic: it is still refused.
    _write(tmp_path, "openapi.json", {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "security": [{"oauth2": "read"}],
        "paths": {"/x": {"get": {"responses": OK}}}})
    with pytest.raises(SpecError, match=r"#/security/0/oauth2: 'read' is not of type 'array'"):
        read(tmp_path)


def test_check_reports_a_dangling_reference_as_an_error_or_a_warning():
    runner = CliRunner()
    refused = runner.invoke(main, ["check", str(FOLDER / "dangling-parameter-ref")])
    assert refused.exit_code == 1
    assert "'#/components/parameters/PageSize': the reference points at nothing" in " ".join(refused.output.split())
    served = runner.invoke(main, ["check", "--json", str(FOLDER / "dangling-schema-ref")])
    assert served.exit_code == 0, served.output
    [bank] = json.loads(served.output)["banks"]
    assert any("ToggleOverrideType' points at no schema" in w for w in bank["warnings"])


def test_serve_specs_may_name_a_bank_folder_itself(tmp_path):
    folder = FOLDER / "swagger2-name-keys"
    listed = CliRunner().invoke(main, ["banks", "--json", "--specs", str(folder)])
    assert "swagger2-name-keys" in {bank["slug"] for bank in json.loads(listed.output)["banks"]}, listed.output
    with live_server.running(tmp_path, specs=(folder,)) as server:
        index = httpx.get(f"{server.url}/", timeout=30).json()
        assert "swagger2-name-keys" in {api["slug"] for api in index["apis"]} and index["unavailable"] == []
        answer = httpx.get(f"{server.url}/banks/swagger2-name-keys/balances/1234567", timeout=30,
                           headers={"X-Sandbox-Workspace": "default"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["value"] == {"currency": "JPY", "amount": "1000"}


def test_spec_read_leaves_out_the_annotations_an_openapi31_schema_may_carry(tmp_path):
    """2020-12 lets a schema carry keywords of its own (petstore 3.1's `swagger-extension: true`); OpenAPI
    3.0, which the sandbox serves, does not: they are annotations, left out with a warning."""
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "components": {"schemas": {"Pet": {"type": "object", "swagger-extension": True, "x-kept": 1,
                                                   "properties": {"id": {"type": "integer", "unit": "none"}}}}},
                "paths": {"/pets": {"get": {"parameters": [{"name": "q", "in": "query",
                                                            "schema": {"type": "string", "audience": "public"}}],
                                            "responses": {"200": {"description": "ok", "content": {"application/json": {
                                                "schema": {"$ref": "#/components/schemas/Pet"}}}}}}}}}
    spec = read(_write(tmp_path / "pets", "openapi.json", document))
    pet = spec.document["components"]["schemas"]["Pet"]
    assert pet == {"type": "object", "x-kept": 1, "properties": {"id": {"type": "integer"}}}
    assert spec.document["paths"]["/pets"]["get"]["parameters"][0]["schema"] == {"type": "string"}
    assert any("audience, swagger-extension, unit" in warning for warning in spec.warnings), spec.warnings


def test_spec_read_a_requirement_naming_an_undeclared_scheme_is_read_by_its_name_or_refused(tmp_path):
    # A token operation asks for `basicAuth`, which securitySchemes does not declare: Connexion took such a
    # document and then failed to build the routes of every bank (KeyError: 'basicAuth'), a 500 on /healthz.
    token = {"post": {"security": [{"basicAuth": []}], "responses": OK}}
    _write(tmp_path / "a", "openapi.json", {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "components": {"securitySchemes": {"cc": {"type": "oauth2", "flows": {
            "clientCredentials": {"tokenUrl": "/token", "scopes": {}}}}}},
        "security": [{"cc": []}], "paths": {"/token": token, "/x": {"get": {"responses": OK}}}})
    published = read(tmp_path / "a")
    assert published.document["components"]["securitySchemes"]["basicAuth"] == {"type": "http", "scheme": "basic"}
    assert any("'basicAuth', which the document does not declare; read as HTTP basic" in w for w in published.warnings)
    _write(tmp_path / "b", "openapi.json", {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "security": [{"partnerKey": []}],
        "paths": {"/x": {"get": {"responses": OK}}}})
    with pytest.raises(SpecError, match=r"#/security/0/partnerKey: the security requirement names 'partnerKey'"):
        read(tmp_path / "b")


def test_spec_read_an_openapi31_null_alternative_still_takes_null(tmp_path):
    """Increase writes `anyOf: [{enum: [...]}, {type: "null"}]` and `anyOf: [{$ref}, {type: "null"}]`, with
    nulls in its examples: read as `nullable` alone, a 3.0 validator refused those nulls (an enum without
    null, a combinator whose branches take none), so `check` warned of 24 good examples and left them out."""
    from sandbox.bindings.schemas import Schemas

    _write(tmp_path, "openapi.json", {
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Hold": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Thing": {"type": "object", "properties": {
                "reason": {"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]},
                "hold": {"anyOf": [{"$ref": "#/components/schemas/Hold"}, {"type": "null"}]},
                "colour": {"type": ["string", "null"], "enum": ["red", "blue"]}},
                "example": {"reason": None, "hold": None, "colour": None}}}}})
    published = read(tmp_path)
    schemas = Schemas(published.document)
    thing = {"$ref": "#/components/schemas/Thing"}
    assert schemas.fits(thing, {"reason": None, "hold": None, "colour": None})
    assert schemas.fits(thing, {"reason": "a", "hold": {"id": "h"}, "colour": "red"})
    assert not schemas.fits(thing, {"reason": "c"}) and not schemas.fits(thing, {"hold": "h"})
    assert not any("Thing" in warning for warning in published.warnings), published.warnings


def test_a_spec_dropped_in_under_its_published_name_is_served(tmp_path):
    """A published spec copied in under its own name (`xero_accounting.yaml`, `cds_banking.json`) is the folder's
    spec: it was served as nothing until renamed. Two such documents in one folder are refused, naming both."""
    document = 'openapi: 3.0.0\ninfo: {title: Accounting, version: "1"}\npaths: {}\n'
    (tmp_path / "xero").mkdir()
    (tmp_path / "xero" / "xero_accounting.yaml").write_text(document, encoding="utf-8")
    (tmp_path / "xero" / "notes.yaml").write_text("- read the spec\n", encoding="utf-8")  # not a spec: left alone
    (tmp_path / "pair").mkdir()
    (tmp_path / "pair" / "payments.json").write_text('{"swagger": "2.0", "info": {"title": "P", "version": "1"}, '
                                                     '"paths": {}}', encoding="utf-8")
    (tmp_path / "pair" / "accounts.yml").write_text(document, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--json", str(tmp_path)])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    served = {bank["folder"]: bank for bank in report["banks"]}
    assert served["xero"]["spec"].endswith("xero_accounting.yaml") and served["xero"]["title"] == "Accounting", report
    refused = " ".join(str(item) for item in report["unavailable"])
    assert "accounts.yml and payments.json" in refused and "openapi.yaml" in refused, report
    assert read(tmp_path / "xero").path.name == "xero_accounting.yaml"


def test_a_check_remembered_by_its_json_text_tells_apart_what_that_text_does_not():
    """Checks are remembered by the value's JSON text; values that text would confuse are checked each time:
    NaN is written `null` as None is."""
    from sandbox.bindings.schemas import Schemas

    schemas = Schemas({"openapi": "3.0.3", "paths": {}})
    nullable = {"type": "object", "properties": {"x": {"type": "integer", "nullable": True}}}
    assert schemas.fits(nullable, {"x": None})
    assert not schemas.fits(nullable, {"x": float("nan")})
    assert schemas.fits(nullable, {"x": 1}) and schemas.fits(nullable, {"x": 1})
    assert not schemas.fits({"type": "object", "properties": {"x": {"type": "string"}}}, {"x": 1})
    changed = {"type": "object", "properties": {"x": {"type": "string"}}}
    assert schemas.fits(changed, {"x": "a"}) and not schemas.fits(changed, {"x": 2})


def test_a_value_json_cannot_hold_is_checked_each_time():
    """A map with integer keys has no JSON text to remember it by: checked as it is, every time."""
    from sandbox.bindings.schemas import Schemas

    schemas = Schemas({"openapi": "3.0.3", "paths": {}})
    named = {"type": "object", "additionalProperties": {"type": "string"}}
    assert schemas.fits(named, {1: "a"}) and not schemas.fits(named, {1: 2})


def test_a_folder_read_again_in_one_process_gives_its_own_copy_and_sees_edits(tmp_path):
    # Servers started one after another in a process (a connector's test modules) read each folder once;
    # what one server's app does to its spec never reaches the next, and an edit to any file the spec
    # was read from (here the file its reference reaches) is read anew.
    folder = tmp_path / "twice"
    shared = {"components": {"schemas": {"Pong": {"type": "object", "properties": {"ok": {"type": "boolean"}},
                                                  "example": {"ok": True}}}}}
    _write(folder, "shared.json", shared)
    pong = {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "shared.json#/components/schemas/Pong"}}}}}
    _write(folder, "openapi.json", {"openapi": "3.0.3", "info": {"title": "twice", "version": "1"},
                                    "paths": {"/ping": {"get": {"operationId": "ping", "responses": pong}}}})

    def example(api) -> dict:
        (schema,) = [entry["schema"] for entry in api.spec["paths"]["/ping"]["get"]["responses"]["200"]["content"].values()]
        while "$ref" in schema:
            schema = api.spec["components"]["schemas"][schema["$ref"].rpartition("/")[2]]
        return schema["example"]

    first = load_bank(folder)
    assert example(first) == {"ok": True}
    first.spec["paths"].clear()  # as an app might change what it was given
    second = load_bank(folder)
    assert second.spec is not first.spec and example(second) == {"ok": True}
    shared["components"]["schemas"]["Pong"]["example"] = {"ok": False, "edited": 1}
    _write(folder, "shared.json", shared)
    assert example(load_bank(folder)) == {"ok": False, "edited": 1}


def test_a_spec_with_no_operations_is_served_with_a_warning_that_says_so(tmp_path):
    """A published spec whose operations all live in other files (`paths: {}` in the file that was copied in)
    was served as a bank with nothing to call, and nothing said why."""
    empty = load_bank(_write(tmp_path / "split", "openapi.json",
                             {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}))
    assert any("declares no operations" in warning for warning in empty.warnings), empty.warnings
    one = load_bank(_write(tmp_path / "one", "openapi.json", {
        "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"parameters": [], "get": {"responses": {"200": {"description": "ok"}}}}}}))
    assert not any("declares no operations" in warning for warning in one.warnings), one.warnings
