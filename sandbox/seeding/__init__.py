"""Seeding a workspace from a profile: banks, Faker ja_JP customers, accounts and 90 days of history."""

from .profiles import Profile, list_profiles, load_profile
from .seed import seed_workspace

__all__ = ["Profile", "list_profiles", "load_profile", "seed_workspace"]
