"""Seeding profiles: YAML files in fixtures/profiles/, checked against a JSON Schema when loaded."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from ..domain.banks import BANK_SCHEMA, branch_list
from ..domain.errors import SandboxError
from ..resources import data_dir

SCHEMA = {
    "type": "object",
    "required": ["banks"],
    "additionalProperties": False,
    "properties": {
        "description": {"type": "string"},
        "history_days": {"type": "integer", "minimum": 0, "maximum": 400},
        "as_of": {"type": "string", "format": "date"},
        "banks": {"type": "array", "minItems": 1, "items": BANK_SCHEMA},
    },
}


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    data: dict

    @property
    def description(self) -> str:
        return self.data.get("description", "")

    def with_banks(self, banks) -> "Profile":
        """This profile with `banks` (declared by bank folders) added, except those whose code it already has.

        A folder's bank whose slug is taken by another bank of the profile cannot live beside it.
        """
        mine = {bank["code"]: bank for bank in self.data["banks"]}
        slugs = {bank["slug"]: bank["code"] for bank in self.data["banks"]}
        added = [bank for bank in banks if bank["code"] not in mine]
        for bank in added:
            if bank["slug"] in slugs:
                raise SandboxError("invalid_request", f"the bank folder's bank {bank['code']} has slug {bank['slug']!r}, which "
                                   f"bank {slugs[bank['slug']]} of profile {self.name!r} already uses", profile=self.name)
        if not added:
            return self
        return Profile(self.name, self.path, {**self.data, "banks": [*self.data["banks"], *added]})


def profile_dirs(extra: tuple[Path, ...] = ()) -> list[Path]:
    return [*extra, data_dir("fixtures") / "profiles"]


def list_profiles(extra: tuple[Path, ...] = ()) -> list[Profile]:
    seen, found = set(), []
    for folder in profile_dirs(extra):
        for path in sorted(Path(folder).glob("*.yaml")):
            if path.stem not in seen:
                seen.add(path.stem)
                found.append(load_profile(path.stem, extra))
    return found


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    """The profile schema's validator. The schema is the sandbox's own, checked against its metaschema by
    the test suite (tests/test_seeding.py), not at each start: that check took 0.3-0.4 s of every
    process's first workspace (each `serve`, each CLI command that seeds)."""
    return jsonschema.validators.validator_for(SCHEMA)(SCHEMA)


def load_profile(name: str, extra: tuple[Path, ...] = ()) -> Profile:
    """Load and check the profile called `name` (or at the path `name`)."""
    path = Path(name)
    if not path.suffix:
        path = next((Path(d) / f"{name}.yaml" for d in profile_dirs(extra) if (Path(d) / f"{name}.yaml").exists()), None)
    if path is None or not path.exists():
        known = ", ".join(sorted({p.stem for d in profile_dirs(extra) for p in Path(d).glob("*.yaml")}))
        raise SandboxError("profile_not_found", f"no seeding profile {name!r} (known: {known})", profile=name)
    stat = path.stat()
    return Profile(path.stem, path, copy.deepcopy(_checked(path.resolve(), stat.st_mtime_ns, stat.st_size)))


@lru_cache(maxsize=64)
def _checked(path: Path, mtime_ns: int, size: int) -> dict:
    """The profile file's data, checked, once per version of the file (named by its time and size): reading
    and checking the YAML was most of making a workspace from a seeded image (seeding/images.py).
    Callers get a copy (`load_profile`), so what they add to it is not kept here."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise ValueError(f"{path}: profile is invalid at {where}: {error.message}") from None
    codes = [b["code"] for b in data["banks"]]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: two banks share a bank code")
    for bank in data["banks"]:
        bank["branches"] = branch_list(bank["branches"])
    return data
