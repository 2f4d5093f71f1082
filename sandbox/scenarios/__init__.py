"""Scenario injection: rules that make a workspace's banks fail, stall or change on demand (pure)."""

from .packs import Pack, list_packs, load_pack, shipped_packs
from .rules import EFFECTS, RULE_SCHEMA, Call, check_rule, fires, latency_ms, matches

__all__ = ["EFFECTS", "RULE_SCHEMA", "Call", "Pack", "check_rule", "fires", "latency_ms", "list_packs", "load_pack", "shipped_packs",
           "matches"]
