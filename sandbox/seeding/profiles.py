"""Seeding profiles: YAML files in fixtures/profiles/, checked against a JSON Schema when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from ..domain.errors import SandboxError
from ..resources import data_dir

_RANGE = {"type": "object", "required": ["under", "over"], "properties": {
    "under": {"type": "integer", "minimum": 0}, "over": {"type": "integer", "minimum": 0}}}
_LIMIT = {"type": "object", "required": ["per_transfer", "per_day"], "properties": {
    "per_transfer": {"type": "integer", "minimum": 1}, "per_day": {"type": "integer", "minimum": 1}}}

SCHEMA = {
    "type": "object",
    "required": ["banks"],
    "additionalProperties": False,
    "properties": {
        "description": {"type": "string"},
        "history_days": {"type": "integer", "minimum": 0, "maximum": 400},
        "as_of": {"type": "string", "format": "date"},
        "banks": {"type": "array", "minItems": 1, "items": {
            "type": "object",
            "required": ["code", "slug", "name", "name_kana", "branches", "customers"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": "^[0-9]{4}$"},
                "slug": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
                "name": {"type": "string"},
                "name_kana": {"type": "string"},
                "branches": {"type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["code", "name", "name_kana"], "additionalProperties": False,
                    "properties": {"code": {"type": "string", "pattern": "^[0-9]{3}$"},
                                   "name": {"type": "string"}, "name_kana": {"type": "string"}}}},
                "customers": {"type": "object", "additionalProperties": False, "properties": {
                    "individual": {"type": "integer", "minimum": 0}, "corporate": {"type": "integer", "minimum": 0}}},
                "rules": {"type": "object", "additionalProperties": False, "properties": {
                    "cutoff": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
                    "moretime": {"type": "boolean"},
                    "max_days_ahead": {"type": "integer", "minimum": 1},
                    "approval": {"type": "object", "additionalProperties": False, "properties": {
                        "amount_over": {"type": ["integer", "null"], "minimum": 1},
                        "new_payee": {"type": "boolean"},
                        "per_hour": {"type": ["integer", "null"], "minimum": 1},
                        "classes": {"type": "array", "items": {"enum": ["self-use", "third-party"]}},
                        "corporate_approval_over": {"type": ["integer", "null"], "minimum": 1},
                        "expires_minutes": {"type": "integer", "minimum": 1, "maximum": 1440}}},
                    "fees": {"type": "object", "required": ["same_branch", "same_bank", "other_bank"], "properties": {
                        "threshold": {"type": "integer", "minimum": 1},
                        "same_branch": _RANGE, "same_bank": _RANGE, "other_bank": _RANGE}},
                    "limits": {"type": "object", "properties": {"individual": _LIMIT, "corporate": _LIMIT}},
                }},
            },
        }},
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


def load_profile(name: str, extra: tuple[Path, ...] = ()) -> Profile:
    """Load and check the profile called `name` (or at the path `name`)."""
    path = Path(name)
    if not path.suffix:
        path = next((Path(d) / f"{name}.yaml" for d in profile_dirs(extra) if (Path(d) / f"{name}.yaml").exists()), None)
    if path is None or not path.exists():
        known = ", ".join(sorted({p.stem for d in profile_dirs(extra) for p in Path(d).glob("*.yaml")}))
        raise SandboxError("profile_not_found", f"no seeding profile {name!r} (known: {known})", profile=name)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise ValueError(f"{path}: profile is invalid at {where}: {error.message}") from None
    codes = [b["code"] for b in data["banks"]]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{path}: two banks share a bank code")
    return Profile(path.stem, path, data)
