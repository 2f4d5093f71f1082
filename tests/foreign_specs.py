"""Published specs the sandbox was not written for, fetched from the npm registry when the tests need them.

The Swagger Petstore examples (OpenAPI 3.0) as the `@readme/oas-examples` package publishes them; nothing
of them is kept in this repository. They are fetched once per machine into the temporary directory and
laid out as a specs folder (`petstore/openapi.yaml`, `petstore-expanded/openapi.yaml`) with no binding,
so the sandbox serves them from their schemas alone.
"""

from __future__ import annotations

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
    if not shutil.which("npm"):
        return None, "npm is not installed; it fetches the third-party specs"
    work = Path(tempfile.mkdtemp(prefix="foreign-specs-"))
    try:
        fetched = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=work, capture_output=True, text=True,
                                 timeout=180)
        if fetched.returncode != 0:
            return None, f"could not fetch {PACKAGE} from the npm registry: {fetched.stderr.strip()[-300:]}"
        staged = work / "specs"
        with tarfile.open(next(work.glob("*.tgz"))) as tar:
            for name, member in MEMBERS.items():
                (staged / name).mkdir(parents=True)
                (staged / name / "openapi.yaml").write_bytes(tar.extractfile(member).read())
        try:
            staged.rename(CACHE)  # atomic: a concurrent fetch that got there first wins
        except OSError:
            pass
        return CACHE, ""
    finally:
        shutil.rmtree(work, ignore_errors=True)
