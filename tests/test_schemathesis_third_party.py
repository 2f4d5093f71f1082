"""Schemathesis against the third-party specs the sandbox serves without a binding, over real HTTP.

The specs are fetched by tests/foreign_specs.py when npm reaches its registry (without it this file
has no tests); one test per operation (tests/fuzzing.py says what each one sends).
"""

from __future__ import annotations

import pytest

import foreign_specs
import fuzzing

# Many short cases, tens of seconds in all: the file starts among the first, not last (tests/conftest.py).
pytestmark = pytest.mark.slow
THIRD_PARTY, _ = foreign_specs.fetch()
LIVE_SERVER = {"specs": tuple(filter(None, [THIRD_PARTY]))}
TARGETS = fuzzing.bank_folders(THIRD_PARTY)
globals().update(fuzzing.fuzz_tests(TARGETS))
test_schemathesis_fuzzes_every_operation_served = fuzzing.served_test(TARGETS)
