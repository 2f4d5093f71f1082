"""Bank folders read once and kept on disk for the next process (sandbox/bindings/kept_on_disk.py): the next
process reads a folder's result while the folder is as it was, reads anew once it changed, and keeps
nothing where it could be tampered with."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from connexion.spec import Specification

from sandbox.bindings import kept_on_disk, loader
from sandbox.http import spec_checks
from sandbox.resources import data_dir


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SANDBOX_CACHE_DIR", str(folder))
    monkeypatch.setattr(loader, "_READ", {})  # this process has read nothing yet
    return folder


@pytest.fixture
def bank(tmp_path):
    folder = tmp_path / "banks" / "kaede"
    shutil.copytree(data_dir("specs") / "kaede", folder)
    return folder


def _read_again(*_args, **_kwargs):
    raise AssertionError("the folder was read again")


def test_a_folder_read_once_is_read_from_the_cache_while_it_is_unchanged(cache, bank, monkeypatch):
    first = loader.load_bank(bank)
    assert len(list((cache / kept_on_disk.LAYOUT / "specs").iterdir())) == 1
    assert oct((cache / kept_on_disk.LAYOUT).stat().st_mode)[-3:] == "700"
    monkeypatch.setattr(loader, "_READ", {})  # as a new process
    monkeypatch.setattr(loader, "read_spec", _read_again)
    again = loader.load_bank(bank)
    assert again.spec == first.spec and again.warnings == first.warnings and again.spec_path == first.spec_path
    # A file of the folder changed: the kept result is not this folder's any more.
    spec = next(path for path in bank.iterdir() if path.name.startswith("openapi"))
    spec.write_text(spec.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(loader, "_READ", {})
    with pytest.raises(AssertionError, match="read again"):
        loader.load_bank(bank)


def test_a_new_process_reads_the_folder_from_the_cache(cache, bank):
    """Two processes, the second with the reading itself made impossible: it gets the first one's result."""
    env = {**os.environ, "SANDBOX_CACHE_DIR": str(cache)}
    show = f"from sandbox.bindings import loader; print(sorted(loader.load_bank({str(bank)!r}).spec['paths']))"
    first = subprocess.run([sys.executable, "-c", show], env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    blind = ("from sandbox.bindings import loader\n"
             "def blind(*a, **k): raise SystemExit('read again')\n"
             f"loader.read_spec = blind\n{show}")
    second = subprocess.run([sys.executable, "-c", blind], env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert second.stdout == first.stdout and "/accounts" in first.stdout


def test_a_half_written_entry_is_read_anew_and_replaced(cache, bank, monkeypatch):
    first = loader.load_bank(bank)
    (entry,) = (cache / kept_on_disk.LAYOUT / "specs").iterdir()
    entry.write_bytes(b"\x80\x05 cut short")
    monkeypatch.setattr(loader, "_READ", {})
    assert loader.load_bank(bank).spec == first.spec
    monkeypatch.setattr(loader, "_READ", {})
    monkeypatch.setattr(loader, "read_spec", _read_again)
    assert loader.load_bank(bank).spec == first.spec  # kept whole again


@pytest.mark.parametrize("setting", ["open", "off", "unmakeable"])
def test_nothing_is_kept_where_others_could_write_or_when_turned_off(cache, bank, monkeypatch, setting):
    if setting == "open":
        (cache / kept_on_disk.LAYOUT).mkdir(parents=True)
        cache.chmod(0o777)  # what is kept is unpickled: a folder anyone may write to is not used
    elif setting == "off":
        monkeypatch.setenv("SANDBOX_CACHE_DIR", "off")
    else:  # a file where the folder should be, as a read-only home or a wrong setting would leave it
        cache.write_text("not a folder", encoding="utf-8")
        monkeypatch.setenv("SANDBOX_CACHE_DIR", str(cache / "inside"))
    assert kept_on_disk.root() is None
    assert loader.load_bank(bank).spec["paths"]
    assert not (cache / kept_on_disk.LAYOUT / "specs").exists()


def test_connexion_checks_a_document_once_and_keeps_only_a_pass(cache, monkeypatch):
    spec_checks.check_each_document_once()
    document = loader.load_bank(data_dir("specs") / "kaede").spec
    monkeypatch.setattr(spec_checks, "_passed", set())
    Specification.from_dict(document)
    monkeypatch.setattr(spec_checks, "_passed", set())  # as a new process
    checked = []
    monkeypatch.setattr(spec_checks, "_connexion_check", lambda cls, spec: checked.append(spec))
    Specification.from_dict(document)
    assert checked == []  # its pass was read from the cache
    monkeypatch.undo()
    monkeypatch.setenv("SANDBOX_CACHE_DIR", str(cache))
    spec_checks.check_each_document_once()
    broken = {**document, "paths": {"/x": {"get": {"responses": {"200": {"description": 7}}}}}}
    for _ in range(2):  # a refusal is never kept: it is checked, and refused, each time
        with pytest.raises(Exception, match="7"):
            Specification.from_dict(broken)


def test_entries_older_than_two_weeks_go_at_the_next_write(cache, bank, monkeypatch):
    kept = cache / kept_on_disk.LAYOUT / "specs"
    kept.mkdir(parents=True)
    old, recent = kept / "old", kept / "recent"
    for path, days in ((old, kept_on_disk.KEEP_DAYS + 1), (recent, kept_on_disk.KEEP_DAYS - 1)):
        path.write_bytes(b"")
        written = os.stat(kept).st_mtime - days * 86400
        os.utime(path, (written, written))
    monkeypatch.setattr(kept_on_disk, "_pruned", False)
    loader.load_bank(bank)
    assert not old.exists() and recent.exists()
