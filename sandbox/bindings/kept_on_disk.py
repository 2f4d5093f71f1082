"""Work on bank folders kept on disk between processes: each folder's spec as read and repaired, and which
documents Connexion found valid.

A process that serves the banks first reads every folder (YAML, normalising, repairing the examples) and has
Connexion check each document against the OpenAPI schema: about 2.5 of the 3 seconds `serve` took to
answer, paid again by each worker it starts and by every server a connector's test suite starts. Within
one process both are kept already (loader.py, http/spec_checks.py); here they are also written to a
cache folder, so the next process reads a folder's result in milliseconds while the folder is as it was.

What a result depends on is in its key: the folder's files (path, time and size of each, as the
in-process memo does), this package's code (the same of each of its modules) and the versions of the
libraries that read and check (Connexion, jsonschema, PyYAML, ...); any change makes another key and the
folder is read anew. The folder is `SANDBOX_CACHE_DIR` or `$XDG_CACHE_HOME/bank-sandbox` (`~/.cache/...`);
`SANDBOX_CACHE_DIR=off` keeps nothing. It must belong to this user and be writable by no one else (what
it holds is unpickled): otherwise, or when it cannot be made (a read-only home), nothing is kept and
nothing is read from it, and every process reads its folders as before. Entries written more than
`KEEP_DAYS` ago are removed, at most once a process (a folder still in use is read and kept again).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

# The libraries whose versions change what reading or checking a document gives.
LIBRARIES = ("connexion", "jsonschema", "jsonschema-specifications", "referencing", "openapi-spec-validator",
             "openapi-schema-validator", "PyYAML", "orjson")
KEEP_DAYS = 14
LAYOUT = "v1"  # the layout of what is written; another layout starts a folder of its own

_pruned = False


def root() -> Path | None:
    """The cache folder, made if missing; None when nothing may be kept (module docstring)."""
    configured = os.environ.get("SANDBOX_CACHE_DIR", "")
    if configured.lower() == "off":
        return None
    try:
        base = Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bank-sandbox"
        folder = base / LAYOUT
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for mine in (base, folder):
            stat = mine.stat()
            if stat.st_uid != os.getuid() or stat.st_mode & 0o022:  # another user could plant what is unpickled
                return None
        return folder if os.access(folder, os.W_OK) else None
    except (OSError, RuntimeError):  # no home, a read-only one, or a file where the folder should be
        return None


@lru_cache(maxsize=1)
def code() -> str:
    """A digest of what reads and checks here: this package's modules (path, time, size) and the libraries'
    versions, and Python's."""
    digest = hashlib.sha256(sys.version.encode())
    for name in ("bank-sandbox", *LIBRARIES):
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-;".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    return digest.hexdigest()


def folder_key(folder: Path) -> str:
    """What a folder's reading depends on: its place, every file in it (path, time, size) and the code."""
    digest = hashlib.sha256(f"{code()}|{folder}|".encode())
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    return digest.hexdigest()


def read(kind: str, name: str, key: str):
    """What was kept under `kind`/`name` for `key`; None if nothing was, or for another key, or unreadable."""
    folder = root()
    if folder is None:
        return None
    try:
        with open(folder / kind / _file(name), "rb") as kept:
            stored_key, value = pickle.load(kept)
    except Exception:  # noqa: BLE001 - missing, half-written by a process that died, another layout: read anew
        return None
    return value if stored_key == key else None


def keep(kind: str, name: str, key: str, value) -> None:
    """Keep `value` under `kind`/`name` for `key` (replacing what was), written whole or not at all."""
    folder = root()
    if folder is None:
        return
    try:
        (folder / kind).mkdir(exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder / kind, prefix=".writing-", delete=False) as out:
            pickle.dump((key, value), out, pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, folder / kind / _file(name))
        _prune(folder, (folder / kind / _file(name)).stat().st_mtime)
    except Exception:  # noqa: BLE001 - a full disk, a value pickle cannot write: the next process reads anew
        try:
            os.unlink(out.name)
        except (NameError, OSError):
            pass


def _file(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:40]


def _prune(folder: Path, now: float) -> None:
    """Remove the entries (and files half-written) older than KEEP_DAYS, once in this process's life. `now` is
    the time the file system gave the entry just written: ages are counted on the clock that stamped them."""
    global _pruned
    if _pruned:
        return
    _pruned = True
    old = now - KEEP_DAYS * 86400
    for path in folder.glob("*/*"):
        try:
            if path.stat().st_mtime < old:
                path.unlink()
        except OSError:
            pass
