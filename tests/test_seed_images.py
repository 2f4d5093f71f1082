"""A workspace seeded as one before is made of that one's image: the same data, a file of its own.

Seeding depends only on the profile's data, the seed and the as-of date (tests/test_seeding.py shows two
seedings alike give the same rows); seeding/images.py keeps a process's seeded workspaces as images and
makes later ones of them. These tests check what a client could tell: the copy is the seeding, whatever
the workspace's name, data directory or clock; it is a workspace of its own (money moved in one is not
moved in the other, a reset brings back the seeded state); a profile changed on disk is seeded again;
PostgreSQL's registry takes no images; and the images kept stay within their budget.
"""

from __future__ import annotations

from datetime import datetime

from engines import database_url, digest, postgres  # noqa: F401 - fixtures: the first test runs on both engines

from sandbox.actions import transfers
from sandbox.domain.calendar import JST
from sandbox.domain.clock import FixedClock
from sandbox.seeding.images import Images
from sandbox.seeding.profiles import profile_dirs
from sandbox.workspaces import Workspaces

AS_OF = "2026-11-04"
CLOCK = FixedClock(datetime(2026, 11, 5, 10, 0, tzinfo=JST))


def rows(spaces, name) -> list[str]:
    return list(spaces.database(name).conn.iterdump())


def test_a_workspace_made_of_an_image_holds_exactly_what_seeding_gives(tmp_path, database_url):
    """On PostgreSQL, whose registry takes no image, every workspace is seeded; the rows are the same."""
    images = Images()
    seeded = Workspaces(tmp_path / "seeded", CLOCK, images=None, database_url=database_url)
    seeded.create("reference", seed=11, as_of=AS_OF)
    first = Workspaces(tmp_path / "first", CLOCK, images=images, database_url=database_url)
    made = first.create("alpha", seed=11, as_of=AS_OF)
    assert len(images._kept) == (0 if database_url else 1)  # the first seeding on SQLite left its image
    other_clock = FixedClock(datetime(2027, 3, 1, 9, 0, tzinfo=JST))
    second = Workspaces(tmp_path / "second", other_clock, images=images, database_url=database_url)
    copied = second.create("beta", seed=11, as_of=AS_OF)
    assert (second.images is None) == bool(database_url)
    assert digest(second.database("beta")) == digest(seeded.database("reference")) == digest(first.database("alpha"))
    assert copied["postings"] == made["postings"] > 0
    assert copied["customers"] == made["customers"] and copied["accounts"] == made["accounts"]
    assert second.verify("beta") == []


def test_a_workspace_made_of_an_image_is_its_own_and_resets_to_the_seeded_state(tmp_path, books):
    images = Images()
    spaces = Workspaces(tmp_path, CLOCK, images=images)
    spaces.create("one", seed=12, as_of=AS_OF)
    spaces.create("two", seed=12, as_of=AS_OF)
    pristine = rows(spaces, "two")
    ctx = spaces.context("two")
    payer, payee = books.pick(ctx, "0990", "individual", minimum=200_000), books.pick(ctx, "0992", "individual")
    before = books.balance(spaces.context("one"), payer["id"])
    transfers.create(ctx, from_account_id=payer["id"], to=books.payee(payee), amount=5_000)
    assert books.balance(spaces.context("two"), payer["id"]) < before
    assert books.balance(spaces.context("one"), payer["id"]) == before  # the image's first workspace is untouched
    assert spaces.verify("two") == []
    spaces.reset("two")
    assert rows(spaces, "two") == pristine
    spaces.create("three", seed=12, as_of=AS_OF)  # the image is the seeding, not what "two" became
    assert rows(spaces, "three") == pristine


def test_a_profile_changed_on_disk_or_another_seed_is_seeded_again(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    text = (profile_dirs()[-1] / "default.yaml").read_text(encoding="utf-8")
    (profiles / "mine.yaml").write_text(text, encoding="utf-8")
    images = Images()
    spaces = Workspaces(tmp_path / "data", CLOCK, profile_dirs=(profiles,), images=images)
    spaces.create("before", "mine", seed=13, as_of=AS_OF)
    spaces.create("other-seed", "mine", seed=14, as_of=AS_OF)
    assert len(images._kept) == 2 and rows(spaces, "before") != rows(spaces, "other-seed")
    (profiles / "mine.yaml").write_text(text.replace("history_days: 90", "history_days: 30"), encoding="utf-8")
    spaces.create("after", "mine", seed=13, as_of=AS_OF)
    assert len(images._kept) == 3
    earliest = "SELECT min(booked_on) FROM postings"
    assert (spaces.database("after").conn.execute(earliest).fetchone()
            > spaces.database("before").conn.execute(earliest).fetchone())


def test_images_stay_within_their_budget_the_least_recently_used_going_first():
    images = Images(budget=10)
    images.put("a", b"1234", {"customers": 1})
    images.put("b", b"1234", {"customers": 2})
    assert images.get("a") is not None  # a is now the more recently used
    images.put("c", b"1234", {"customers": 3})
    assert images.get("b") is None and images.get("a") is not None and images.get("c") is not None
    images.put("big", b"x" * 11, {"customers": 4})
    assert images.get("big") is None  # larger than the whole budget: never kept

