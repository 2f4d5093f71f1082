"""Where the shipped data lives: specs/ and fixtures/ beside the package in a checkout, inside it when installed."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The shipped `specs` or `fixtures` folder, in a wheel (sandbox/_data/NAME) or a checkout (NAME)."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the sandbox's {name}/ folder is missing from this installation")
