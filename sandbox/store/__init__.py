"""Storage: one SQLite file per workspace (sqlite-utils), its migrations, snapshots and the registry."""
