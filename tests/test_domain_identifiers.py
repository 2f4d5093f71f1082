"""The sandbox's opaque ids and interaction UUIDs: drawn from the operating system's randomness, read a
few kilobytes at a time, never the same twice, and never shared between a process and its fork. And the
account type a request names: a Zengin code or an English name, nothing else."""

from __future__ import annotations

import os
import re
import threading
import uuid

import pytest

from sandbox.domain.errors import SandboxError
from sandbox.domain.identifiers import LABELS, AccountType, new_id, new_uuid, parse_account_type


def test_new_uuid_is_a_random_rfc_uuid_as_text():
    drawn = [new_uuid() for _ in range(5_000)]
    for text in drawn:
        parsed = uuid.UUID(text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122 and str(parsed) == text
    assert len(set(drawn)) == len(drawn)


def test_new_id_is_a_prefix_and_sixteen_hex_digits_and_seeded_ids_repeat():
    drawn = [new_id("trf") for _ in range(5_000)]  # more than one read of the pool
    assert all(re.fullmatch(r"trf_[0-9a-f]{16}", each) for each in drawn)
    assert len(set(drawn)) == len(drawn)
    assert new_id("acc", lambda bits: 42) == "acc_000000000000002a"


def test_threads_draw_different_ids():
    drawn: list[list[str]] = [[], []]

    def draw(into):
        into.extend(new_id("evt") for _ in range(2_000))

    threads = [threading.Thread(target=draw, args=(each,)) for each in drawn]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(drawn[0]) & set(drawn[1])


def test_a_forked_child_does_not_draw_what_its_parent_draws():
    new_id("trf")  # the parent has bytes in its pool now
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: its next ids, to the parent
        os.close(read)
        os.write(write, " ".join(new_id("trf") for _ in range(8)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        theirs = set(pipe.read().split())
    os.waitpid(child, 0)
    ours = {new_id("trf") for _ in range(8)}
    assert len(theirs) == 8 and not ours & theirs


@pytest.mark.parametrize("given, code", [
    ("1", "1"), ("4", "4"), (2, "2"), (" 9 ", "9"), ("ordinary", "1"), ("Savings", "4"), ("current", "2")])
def test_parse_account_type_takes_codes_and_names(given, code):
    parsed = parse_account_type(given)
    assert parsed is AccountType(code) and parsed.label == LABELS[code]


@pytest.mark.parametrize("given", ["3", "", "01", None, True, 1.0, "普通", ["1"]])
def test_parse_account_type_refuses_anything_else(given):
    with pytest.raises(SandboxError) as refused:
        parse_account_type(given)
    assert refused.value.code == "invalid_account_type"
