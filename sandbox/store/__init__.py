"""Storage: one SQLite file per workspace (sqlite-utils), its migrations, snapshots and the registry."""

from .errors import StoreUnavailable

__all__ = ["StoreUnavailable"]
