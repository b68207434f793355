"""Deterministic demo data (SPEC.md §6): the tiers, and filling a database with one."""

from lib.demo.bank import SEED, TIERS
from lib.demo.tiers import DATA_TABLES, generate, seed_if_empty

__all__ = ["DATA_TABLES", "SEED", "TIERS", "generate", "seed_if_empty"]
