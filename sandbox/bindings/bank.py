"""A bank declared by its folder: `bank.yaml` (or a `bank:` mapping in binding.yaml), checked at start-up.

A folder that declares its bank brings the bank itself, not only its API: code, names, branches, rules
and the customers' mix, in the shape of one bank of a seeding profile (`domain.banks.BANK_SCHEMA`).
Every workspace created afterwards is seeded with it. A folder whose binding says `bank: "0990"` only
fronts a bank that already exists, as before.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from ..domain.banks import BANK_SCHEMA, branch_list
from .loader import BindingError, _Where, read_yaml

FILE = "bank.yaml"
# In a folder, the slug may be left out: it is the folder's name.
SCHEMA = {**BANK_SCHEMA, "required": [name for name in BANK_SCHEMA["required"] if name != "slug"]}
_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def declared_bank(folder: Path, inline, where) -> dict | None:
    """The bank `folder` declares, as a profile's bank entry (branches listed), or None when it declares none.

    `inline` is binding.yaml's `bank:` value (a mapping declares the bank there) and `where` locates
    binding.yaml's keys for messages.
    """
    path = Path(folder) / FILE
    if path.exists():
        if isinstance(inline, dict):
            raise BindingError(where("bank") + f"the bank is declared in {FILE} already; declare it once")
        try:
            data, lines = read_yaml(path)
        except yaml.YAMLError as error:
            raise BindingError(f"{path}: not valid YAML: {error}") from None
        bank = _checked(data, _Where(path, lines), (), str(path))
    elif isinstance(inline, dict):
        bank = _checked(inline, where, ("bank",), "the bank block")
    else:
        return None
    if isinstance(inline, str) and inline != bank["code"]:
        raise BindingError(where("bank") + f"the binding fronts bank {inline} but {FILE} declares bank {bank['code']}")
    return {**bank, "slug": bank.get("slug", Path(folder).name), "branches": branch_list(bank["branches"])}


def _checked(data, where, at: tuple, what: str) -> dict:
    """`data` if it is a valid bank, else a BindingError naming the file, the line and the field."""
    if not isinstance(data, dict):
        raise BindingError(where(*at) + f"{what} must be a mapping of the bank's fields (code, name, branches, ...)")
    error = jsonschema.exceptions.best_match(_VALIDATOR.iter_errors(data))
    if error is not None:
        field = [*at, *(str(part) for part in error.absolute_path)]
        if error.validator == "additionalProperties":  # point at the key that should not be there
            field.append(sorted(set(error.instance) - set(error.schema.get("properties", {})))[0])
        shown = ".".join(field) or "(top)"
        raise BindingError(where(*field) + f"{shown}: {error.message}")
    codes = [branch["code"] for branch in data["branches"]] if isinstance(data["branches"], list) else []
    if len(set(codes)) != len(codes):
        raise BindingError(where(*at, "branches") + "two branches share a branch code")
    return data


def declared_banks(apis) -> tuple[dict, ...]:
    """The banks the served folders declare, for seeding every new workspace; two folders may not claim one code."""
    banks, owners = [], {}
    for api in apis:
        bank = api.declared_bank
        if bank is None:
            continue
        for key in ("code", "slug"):
            other = owners.get((key, bank[key]))
            if other is not None:
                raise BindingError(f"{api.folder}: bank {key} {bank[key]!r} is declared by {other} too")
            owners[(key, bank[key])] = api.folder
        banks.append(bank)
    return tuple(banks)
