"""Published specs' defaults their own schemas refuse, and the `date`, `uuid` and `uri` formats in requests.

Xero's accounting spec writes `HasAttachments: {type: boolean, default: "false"}` two dozen times;
Connexion refuses a whole document for one such default, so the bank was left out by `serve` while
`check` passed it. Now the default is coerced (or left out when it cannot be) with a warning, `check`
asks Connexion itself, and a date, UUID or URI in a request that is not one is a 400. The folders are
tests/published_specs/bad-defaults and date-and-uuid-formats.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from sandbox.bindings import load_bank
from sandbox.bindings.check import check_folders
from sandbox.cli import main
from sandbox.http.spec_checks import refusal

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": tuple(FOLDER / name for name in (
    "bad-defaults", "date-and-uuid-formats", "pdf-documents"))}  # open access, as live servers of the tests run
UUID = "123e4567-e89b-12d3-a456-426614174000"


def test_a_spec_with_defaults_its_schemas_refuse_is_served_with_them_coerced_or_left_out(live):
    index = httpx.get(f"{live.url}/", timeout=30).json()
    assert "bad-defaults" in {api["slug"] for api in index["apis"]}
    assert "bad-defaults" not in {entry["folder"] for entry in index["unavailable"]}
    assert httpx.get(f"{live.url}/banks/bad-defaults/invoices", timeout=30).status_code == 200
    document = httpx.get(f"{live.url}/banks/bad-defaults/openapi.json", timeout=30).json()
    invoice = document["components"]["schemas"]["Invoice"]["properties"]
    assert invoice["HasAttachments"]["default"] is False and invoice["SentToContact"]["default"] is True
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/invoices"]["get"]["parameters"]}
    assert parameters["page"]["default"] == 1
    assert "default" not in parameters["order"]  # no value of its enum to coerce it to: left out


def test_check_names_each_bad_default_and_what_became_of_it():
    result = CliRunner().invoke(main, ["check", str(FOLDER / "bad-defaults")])
    assert result.exit_code == 0, result.output
    assert "HasAttachments/default: 'false' is not of type 'boolean'; coerced to False" in result.output
    assert "'DueDate' is not one of ['Date', 'Total']; left out" in result.output


def test_a_list_of_lists_whose_default_is_a_flat_list_takes_the_flat_list_clients_send(live):
    url = f"{live.url}/banks/bad-defaults/agreements"
    assert httpx.post(url, json={"access_scope": ["balances", "details"]}, timeout=30).status_code == 201
    assert httpx.post(url, json={"access_scope": "balances"}, timeout=30).status_code == 400
    warnings = load_bank(FOLDER / "bad-defaults").warnings
    assert any("access_scope" in w and "read as an array of its inner items" in w for w in warnings), warnings


def test_check_reports_a_document_connexion_would_refuse_as_serve_leaves_it_out(tmp_path):
    api = load_bank(FOLDER / "bad-defaults")
    assert refusal(api) is None
    broken = dataclasses.replace(api, spec=copy.deepcopy(api.spec))  # a default the repair did not see
    broken.spec["components"]["schemas"]["Invoice"]["properties"]["HasAttachments"]["default"] = "no"
    reason = refusal(broken)
    assert reason == ("bad-defaults: Connexion cannot load its spec (at /components/schemas/Invoice/properties/"
                      "HasAttachments): 'no' is not of type 'boolean'")
    report = check_folders([FOLDER / "bad-defaults"], refusal=lambda _api: reason)
    assert report["errors"] == 1 and report["banks"] == []
    assert report["unavailable"] == [{"folder": "bad-defaults", "path": str(FOLDER / "bad-defaults"), "reason": reason}]


@pytest.mark.parametrize("connection", ["not-a-uuid", "123e4567e89b12d3a456426614174000", UUID + "0"])
def test_a_path_parameter_typed_uuid_that_is_not_one_is_refused(live, connection):
    answer = httpx.get(f"{live.url}/banks/date-and-uuid-formats/FeedConnections/{connection}", timeout=30)
    assert answer.status_code == 400, answer.text


def test_a_path_parameter_that_is_a_uuid_is_answered(live):
    answer = httpx.get(f"{live.url}/banks/date-and-uuid-formats/FeedConnections/{UUID}", timeout=30)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("field, value", [("startDate", "20261204"), ("startDate", ""), ("endDate", "2026-13-45"),
                                          ("endDate", "2026-02-30"), ("feedConnectionId", "xyz"),
                                          ("callbackUrl", "not a uri"), ("callbackUrl", "relative/path")])
def test_a_body_date_or_uuid_that_is_not_one_is_refused(live, field, value):
    body = {"feedConnectionId": UUID, "startDate": "2026-11-01", "endDate": "2026-11-30", field: value}
    answer = httpx.post(f"{live.url}/banks/date-and-uuid-formats/Statements", json=body, timeout=30)
    assert answer.status_code == 400, answer.text


def test_a_body_with_real_dates_and_uuid_is_accepted(live):
    body = {"feedConnectionId": UUID, "startDate": "2026-11-01", "endDate": "2026-11-30",
            "callbackUrl": "https://connector.example/feeds?run=1"}
    answer = httpx.post(f"{live.url}/banks/date-and-uuid-formats/Statements", json=body, timeout=30)
    assert answer.status_code == 202, answer.text


@pytest.mark.parametrize("moment", ["2017-04-05T10:43:07", "2017-04-05T10:43:07.123", "2017-04-05T10:43", "2017-04-05",
                                    "2017-04-05T10:43:07+01:00", "2017-04-05T01:43:07Z"])
def test_a_query_date_time_without_a_zone_is_taken(live, moment):
    """UK Open Banking's clients send query date-times without a zone, as its standard tells them to."""
    answer = httpx.get(f"{live.url}/banks/date-and-uuid-formats/Transactions",
                       params={"fromBookingDateTime": moment, "toBookingDateTime": "2017-05-01T00:00:00"}, timeout=30)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("moment", ["2017-13-45T10:43:07", "2017-04-05T25:00:00", "20170405", "yesterday",
                                    "2017-04-05 10:43:07", "2017-04-05T10:43:07+25:00"])
def test_a_query_date_time_that_is_no_moment_is_refused(live, moment):
    answer = httpx.get(f"{live.url}/banks/date-and-uuid-formats/Transactions",
                       params={"fromBookingDateTime": moment}, timeout=30)
    assert answer.status_code == 400, answer.text


def test_a_time_of_day_example_with_its_offset_is_answered_as_written_and_a_drawn_one_carries_one(live):
    """RFC 3339's full-time has an offset; draft 3's `time` checker refused it, so the example was redrawn."""
    answer = httpx.get(f"{live.url}/banks/date-and-uuid-formats/Branches/B01", timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["opensAt"] == "09:00:00+09:00"
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}\+09:00", answer.json()["closesAt"])


@pytest.mark.parametrize("moment, status", [("09:30:00Z", 201), ("09:30:00+09:00", 201), ("09:30:00", 201),
                                            ("09:30", 201), ("9am", 400), ("25:00:00", 400)])
def test_a_time_of_day_in_a_body_is_checked_as_one(live, moment, status):
    answer = httpx.post(f"{live.url}/banks/date-and-uuid-formats/StandingOrders", json={"executionTime": moment},
                        timeout=30)
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize("path", ["/Invoices/inv-1/pdf", "/statements/st-1"])
def test_a_pdf_answer_is_a_pdf_a_reader_opens(live, path):
    answer = httpx.get(f"{live.url}/banks/pdf-documents{path}", timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/pdf"), answer.text
    data = answer.content
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    # The cross-reference table points at each object's first byte, and startxref at the table.
    table = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[table:].startswith(b"xref")
    offsets = [int(line.split()[0]) for line in data[table:].splitlines()[3:6]]
    assert [data[o:o + 7] for o in offsets] == [b"1 0 obj", b"2 0 obj", b"3 0 obj"]


def test_an_answer_about_one_resource_carries_the_id_its_path_named(live):
    """`GET /FeedConnections/{id}` answered from the spec is about that connection, not the example's."""
    answer = httpx.get(f"{live.url}/banks/date-and-uuid-formats/FeedConnections/{UUID}", timeout=30)
    assert answer.status_code == 200 and answer.json()["id"] == UUID, answer.text
    other = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert httpx.get(f"{live.url}/banks/date-and-uuid-formats/FeedConnections/{other}", timeout=30).json()["id"] == other
