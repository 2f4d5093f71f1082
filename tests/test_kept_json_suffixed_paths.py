"""An API whose every path ends in a JSON format extension (tests/published_specs/json-suffixed-paths: `POST
/Chirps.json` makes what `GET /Chirps/{Sid}.json` reads, as Twilio's `/2010-04-01/Accounts/{AccountSid}/Messages.json`
and `/Messages/{Sid}.json`), with PascalCase forms, snake_case answers, ids of a prefix and 32 hexadecimal digits,
RFC 2822 moments, pages named by `next_page_uri` and bounds written `DateCreated>`. Read as a segment of its own,
`.json` made each chirp one resource without an id: nothing made was kept, read back, listed or deleted, and
Twilio's SDK read and listed its examples."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "json-suffixed-paths",)}
_SID = re.compile(r"CH[0-9a-fA-F]{32}")


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "json-suffixed-paths")


def _aviary(n: int) -> str:
    return f"/2020-01-01/Aviaries/AV{n:032x}"


def _chirp(client, aviary: str, **form) -> dict:
    made = client.post(f"{aviary}/Chirps.json", data={"To": "+15550009999", **form})
    assert made.status_code == 201, made.text
    return made.json()


def test_a_chirp_made_is_read_back_and_deleted(client):
    aviary = _aviary(1)
    made = _chirp(client, aviary)
    read = client.get(f"{aviary}/Chirps/{made['sid']}.json")
    assert read.status_code == 200, read.text
    assert read.json()["sid"] == made["sid"] and read.json()["to"] == made["to"], (made, read.json())
    assert client.delete(f"{aviary}/Chirps/{made['sid']}.json").status_code == 204
    assert client.get(f"{aviary}/Chirps/{made['sid']}.json").status_code == 404


def test_each_chirp_made_has_an_id_of_its_own_in_the_declared_pattern(client):
    aviary = _aviary(3)
    first, second = _chirp(client, aviary), _chirp(client, aviary)
    assert first["sid"] != second["sid"], (first, second)
    assert _SID.fullmatch(first["sid"]) and _SID.fullmatch(second["sid"]), (first, second)


def test_a_form_in_pascal_case_is_answered_and_changed_in_snake_case(client):
    aviary = _aviary(4)
    made = _chirp(client, aviary, Body="Good morning", FriendlyName="dawn")
    assert (made["body"], made["friendly_name"]) == ("Good morning", "dawn"), made
    redacted = client.post(f"{aviary}/Chirps/{made['sid']}.json", data={"Body": ""})
    assert redacted.status_code == 200 and redacted.json()["body"] == "", redacted.text
    read = client.get(f"{aviary}/Chirps/{made['sid']}.json").json()
    assert (read["body"], read["friendly_name"]) == ("", "dawn"), read


def test_the_next_page_is_named_by_a_path_of_the_api_and_the_last_names_none(client):
    aviary = _aviary(5)
    made = [_chirp(client, aviary, Body=str(n))["sid"] for n in range(3)]
    first = client.get(f"{aviary}/Chirps.json", params={"PageSize": 2}).json()
    following = first["next_page_uri"]
    assert following.startswith(f"{aviary}/Chirps.json?") and "Page=1" in following, first
    last = client.get(following).json()
    assert [chirp["sid"] for chirp in first["chirps"] + last["chirps"]] == made, (first, last)
    assert last["next_page_uri"] is None, last


def test_a_page_whose_example_lists_nothing_lists_what_was_made(client):
    aviary = _aviary(2)
    made = _chirp(client, aviary)
    listed = client.get(f"{aviary}/Chirps.json").json()["chirps"]
    assert [chirp["sid"] for chirp in listed] == [made["sid"]], listed
    assert "To" not in listed[0] and listed[0]["to"] == made["to"], listed


def test_moments_are_written_as_rfc_2822(client):
    made = _chirp(client, _aviary(6))
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000", made["date_created"]), made
    assert parsedate_to_datetime(made["date_created"]).year == 2026, made


def test_bounds_written_after_the_field_name_bound_the_list(client):
    aviary = _aviary(7)
    made = _chirp(client, aviary)["sid"]  # (made on the sandbox's day, 2026-11-05)
    listed = lambda **query: [c["sid"] for c in client.get(f"{aviary}/Chirps.json", params=query).json()["chirps"]]  # noqa: E731
    assert listed(**{"DateCreated>": "2026-11-04T00:00:00Z"}) == [made]
    assert listed(**{"DateCreated>": "2026-11-06T00:00:00Z"}) == []
    assert listed(**{"DateCreated<": "2026-11-06T00:00:00Z"}) == [made]
    assert listed(**{"DateCreated<": "2026-11-04T00:00:00Z"}) == []


def test_a_sid_never_made_is_not_found_though_no_error_is_declared(client):
    aviary = _aviary(8)
    _chirp(client, aviary)
    assert client.get(f"{aviary}/Chirps/CH{'0' * 32}.json").status_code == 404


def test_a_chirp_made_is_queued(client):
    assert _chirp(client, _aviary(9))["status"] == "queued"


def test_a_chirps_paths_name_the_owner_it_was_made_under(client):
    aviary = _aviary(10)
    made = _chirp(client, aviary)
    assert made["aviary_sid"] == aviary.rsplit("/", 1)[-1], made
    assert made["uri"] == f"{aviary}/Chirps/{made['sid']}.json", made
    assert made["subresource_uris"] == {"echoes": f"{aviary}/Chirps/{made['sid']}/Echoes.json"}, made
    assert client.get(f"{aviary}/Chirps/{made['sid']}.json").json()["uri"] == made["uri"]


def test_a_pages_own_first_and_previous_paths_are_the_ones_asked(client):
    aviary = _aviary(11)
    for n in range(3):
        _chirp(client, aviary, Body=str(n))
    first = client.get(f"{aviary}/Chirps.json", params={"PageSize": 2}).json()
    assert (first["uri"], first["first_page_uri"], first["previous_page_uri"]) == (
        f"{aviary}/Chirps.json?PageSize=2", f"{aviary}/Chirps.json?PageSize=2&Page=0", None), first
    last = client.get(first["next_page_uri"]).json()
    assert last["uri"] == first["next_page_uri"], last
    assert last["first_page_uri"] == f"{aviary}/Chirps.json?PageSize=2&Page=0", last
    # (a URL, as its `format: uri` says, where no example writes that link as a path)
    assert last["previous_page_uri"].endswith(f"{aviary}/Chirps.json?PageSize=2&Page=0"), last
