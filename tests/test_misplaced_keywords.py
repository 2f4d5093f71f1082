"""Keywords vendors write in the wrong object (Revolut's Business and Merchant specs): each read as its author
meant, with a warning, instead of the meta-schema refusing the whole folder (tests/published_specs/misplaced-keywords)."""

from __future__ import annotations

from pathlib import Path

from sandbox.bindings.spec import read, server_prefixes

# The folders this module calls, alone: serving all of published_specs/ took a second a module.
LIVE_SERVER = {"specs": tuple(Path(__file__).parent / "published_specs" / name for name in (
    "misplaced-keywords",
))}

FOLDER = Path(__file__).parent / "published_specs" / "misplaced-keywords"


def test_misplaced_keywords_are_read_as_meant_with_a_warning_each():
    published = read(FOLDER)
    document = published.document
    schemas = document["components"]["schemas"]
    lifetime = schemas["Voucher"]["properties"]["lifetime"]
    assert "maximum" not in lifetime and lifetime["minimum"] == 1
    assert "explode" not in schemas["Voucher"]["properties"]["tags"]
    [kind] = document["paths"]["/vouchers"]["get"]["parameters"]
    assert "uniqueItems" not in kind and kind["schema"]["uniqueItems"] is True
    assert "discriminator" not in schemas["PayeeCheck"]
    assert schemas["PayeeCheck"]["anyOf"] == [{"$ref": "#/components/schemas/IbanPayee"},
                                              {"$ref": "#/components/schemas/LocalPayee"}]
    examples = document["components"]["examples"]
    assert examples["VoucherBare"] == {"value": {"id": "v_1", "lifetime": "P7D"}}
    assert examples["VoucherGroup"] == {"summary": "The first", "value": {"id": "v_2", "lifetime": "P1D"}}
    text = "\n".join(published.warnings)
    for expected in ("lifetime/maximum: 'P30D' is not a number; left out",
                     "lifetime/minimum: the number '1' written as text; read as 1",
                     "tags: the OpenAPI Schema object has no keyword 'explode'; left out",
                     "parameters/0/uniqueItems: a keyword of the parameter's schema written beside it; moved into its schema",
                     "PayeeCheck/discriminator: no propertyName; read as a choice (anyOf) of the 2 schemas",
                     "VoucherBare: an example's value written without its Example object",
                     "VoucherGroup: a map of named examples (first, second) where one Example object belongs; read as its first"):
        assert expected in text, expected


def test_a_path_of_its_own_server_version_is_served_under_the_mount_too():
    # `https://api.example.test/v2` on `/hooks` beside the API's `/v1`: a client asks `<mount>/v2/hooks`.
    assert server_prefixes(read(FOLDER).document) == {"/v1", "/v2"}


def test_a_path_parameter_named_otherwise_than_its_template_is_read_as_the_templates(live):
    """`/vouchers/{voucherId}/redeem` declaring `voucher_id`: every call was refused for a parameter no client
    can send. Its answer's example, a reference to another example, is that example's value."""
    import httpx

    warnings = "\n".join(read(FOLDER).warnings)
    assert "the path parameter 'voucher_id' is not in the template; read as {voucherId}" in warnings
    answer = httpx.post(f"{live.url}/banks/misplaced-keywords/vouchers/v_9/redeem", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"redeemed": "yes-it-was"}
