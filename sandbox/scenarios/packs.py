"""Scenario packs: named sets of rules in fixtures/scenarios/*.yaml, each with a description."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..domain.errors import SandboxError
from ..resources import data_dir
from .rules import check_rule


@dataclass(frozen=True)
class Pack:
    name: str
    description: str
    rules: tuple

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "rules": list(self.rules)}


def shipped_packs() -> Path:
    """The packs that come with the sandbox (fixtures/scenarios/)."""
    return data_dir("fixtures") / "scenarios"


def list_packs(folder: Path) -> list[Pack]:
    return [load_pack(folder, path.stem) for path in sorted(Path(folder).glob("*.yaml"))]


def load_pack(folder: Path, name: str) -> Pack:
    path = Path(folder) / f"{name}.yaml"
    if not (isinstance(name, str) and name.replace("-", "").isalnum() and path.is_file()):
        known = ", ".join(p.stem for p in sorted(Path(folder).glob("*.yaml")))
        raise SandboxError("not_found", f"no scenario pack {name!r} (packs: {known})", pack=str(name))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Pack(name, data["description"].strip(), tuple(check_rule(rule) for rule in data["rules"]))
