"""Lightsail snapshot cost: a ceiling, never an exact figure. Pure.

Lightsail bills snapshot storage at one flat GB-month rate on the data that changed, but its
API gives only ``sizeInGb`` (the disk's size) and no blocks. A snapshot stores at most its
disk, so ``sizeInGb x rate`` is an upper bound; shown as "≤ $x" everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

CEILING = "≤"


@dataclass(frozen=True, slots=True)
class LightsailRate:
    usd_per_gb_month: float
    source: str


@cache
def bundled_rate() -> LightsailRate:
    text = resources.files("snaptui.cost").joinpath("prices.json").read_text(encoding="utf-8")
    raw = json.loads(text)["lightsail"]
    return LightsailRate(float(raw["snapshot_gb_month"]), str(raw["source"]))


def ceiling_usd(size_gb: int, rate: LightsailRate) -> float:
    """The most one snapshot can cost a month: its whole disk, stored."""
    return max(size_gb, 0) * rate.usd_per_gb_month


def total_ceiling_usd(sizes_gb: Iterable[int], rate: LightsailRate) -> float:
    """Upper bound of a set: every snapshot's own ceiling (shared blocks make the truth less)."""
    return sum(ceiling_usd(s, rate) for s in sizes_gb)


def format_ceiling(usd: float) -> str:
    return f"{CEILING} ${usd:,.2f}/mo"
